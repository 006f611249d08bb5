package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.sigverify.Ed25519BatchVerifier;
import org.agrona.DirectBuffer;

/**
 * The node's signature verifier: {@code sigverify}'s batched Ed25519 under ZIP-215 ({@link Ed25519BatchVerifier}),
 * reading key, signature and signed bytes in place in the ring slot. The signed message is
 * {@link TransactionDescriptor#DOMAIN_TAG} (the batch verifier's prefix) followed by the frame from
 * {@link TransactionDescriptor#SIGNED_OFFSET} to its end.
 * <p>
 * The batch verifier gives each entry the verdict the single ZIP-215 check would give it, whatever else is in the
 * batch (a failing batch is bisected down to single checks), which is the consensus rule the pipeline relies on.
 * A frame too short to hold a signature never reaches here: decode rejects it first.
 */
public final class Zip215BatchVerifier implements SignatureBatchVerifier
{
    private final Ed25519BatchVerifier verifier;

    /**
     * @param capacity     most frames per batch (the node's verify batch size).
     * @param keyCacheSize decoded sender keys cached, with their tables; senders repeat, and decoding a key and
     *                     building its table are a quarter of the cost.
     */
    public Zip215BatchVerifier(final int capacity, final int keyCacheSize)
    {
        verifier = new Ed25519BatchVerifier(capacity, keyCacheSize);
    }

    @Override
    public void reset()
    {
        verifier.reset();
    }

    @Override
    public void add(final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        verifier.add(
            buffer, frameOffset + TransactionDescriptor.PUBLIC_KEY_OFFSET,
            buffer, frameOffset + TransactionDescriptor.SIGNATURE_OFFSET,
            TransactionDescriptor.DOMAIN_TAG,
            buffer, frameOffset + TransactionDescriptor.SIGNED_OFFSET,
            frameLength - TransactionDescriptor.SIGNED_OFFSET);
    }

    @Override
    public void verify()
    {
        verifier.verify();
    }

    @Override
    public boolean valid(final int i)
    {
        return verifier.verdict(i);
    }
}
