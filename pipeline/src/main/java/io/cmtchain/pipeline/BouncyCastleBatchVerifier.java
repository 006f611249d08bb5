package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.DirectBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;

/**
 * Stand-in batch verifier that checks each signature alone with BouncyCastle's RFC 8032 verification, until the
 * batched ZIP-215 verifier of {@code sigverify} is plugged in behind {@link SignatureBatchVerifier}.
 * <p>
 * BouncyCastle needs the message contiguous, so the domain tag and the signed bytes are copied into a scratch array
 * per frame; BouncyCastle itself allocates a few small objects per verification.
 */
public final class BouncyCastleBatchVerifier implements SignatureBatchVerifier
{
    private static final int TAG_LENGTH = TransactionDescriptor.DOMAIN_TAG.length;

    private final byte[] message = new byte[TAG_LENGTH + TransactionDescriptor.MAX_LENGTH];
    private final byte[] publicKey = new byte[TransactionDescriptor.PUBLIC_KEY_LENGTH];
    private final byte[] signature = new byte[TransactionDescriptor.SIGNATURE_LENGTH];
    private DirectBuffer[] buffers = new DirectBuffer[64];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private boolean[] verdicts = new boolean[64];
    private int count;

    /** Creates a verifier; one per thread. */
    public BouncyCastleBatchVerifier()
    {
        System.arraycopy(TransactionDescriptor.DOMAIN_TAG, 0, message, 0, TAG_LENGTH);
    }

    @Override
    public void reset()
    {
        Arrays.fill(buffers, 0, count, null);
        count = 0;
    }

    @Override
    public void add(final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (count == offsets.length)
        {
            final int capacity = count * 2;
            buffers = Arrays.copyOf(buffers, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            verdicts = Arrays.copyOf(verdicts, capacity);
        }
        buffers[count] = buffer;
        offsets[count] = frameOffset;
        lengths[count] = frameLength;
        count++;
    }

    @Override
    public void verify()
    {
        for (int i = 0; i < count; i++)
        {
            final DirectBuffer buffer = buffers[i];
            final int offset = offsets[i];
            final int signedLength = lengths[i] - TransactionDescriptor.SIGNED_OFFSET;
            buffer.getBytes(offset + TransactionDescriptor.PUBLIC_KEY_OFFSET, publicKey);
            buffer.getBytes(offset + TransactionDescriptor.SIGNATURE_OFFSET, signature);
            buffer.getBytes(offset + TransactionDescriptor.SIGNED_OFFSET, message, TAG_LENGTH, signedLength);
            verdicts[i] = Ed25519.verify(signature, 0, publicKey, 0, message, 0, TAG_LENGTH + signedLength);
        }
    }

    @Override
    public boolean valid(final int i)
    {
        return verdicts[i];
    }
}
