package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs the signature verifier over throwaway frames before the node takes transactions, so that the JIT has compiled
 * the field and curve arithmetic (nine tenths of the node's CPU) before the first client's transactions queue behind
 * interpreted code. The frames are signed here with keys no account holds and never enter the ring.
 */
final class VerifierWarmup
{
    private static final int STRIDE = 256;
    private static final String KEY_TAG = "cmt-verifier-warmup";

    private VerifierWarmup()
    {
    }

    /**
     * @param verifier  to warm up (a throwaway instance of the node's kind; the JIT's work is shared).
     * @param batchSize frames per batch, the node's verify batch size.
     * @param batches   batches to verify.
     * @param chainId   for the frames.
     * @return verdicts that were false (0 when the verifier works).
     */
    static int run(final SignatureBatchVerifier verifier, final int batchSize, final int batches, final int chainId)
    {
        final int frames = Math.min(batchSize, 64);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[frames * STRIDE]);
        final int[] lengths = new int[frames];
        final TransactionBuilder builder = new TransactionBuilder(chainId);
        final byte[] recipient = new byte[20];
        for (int i = 0; i < frames; i++)
        {
            lengths[i] = builder.transfer(Ed25519Key.devnet(KEY_TAG, i), i, 1, 0, recipient, 1, buffer, i * STRIDE);
            if (lengths[i] > STRIDE || lengths[i] > TransactionDescriptor.MAX_LENGTH)
            {
                throw new IllegalStateException("warm-up frame of " + lengths[i] + " bytes");
            }
        }
        int invalid = 0;
        for (int b = 0; b < batches; b++)
        {
            verifier.reset();
            for (int i = 0; i < frames; i++)
            {
                verifier.add(buffer, i * STRIDE, lengths[i]);
            }
            verifier.verify();
            for (int i = 0; i < frames; i++)
            {
                invalid += verifier.valid(i) ? 0 : 1;
            }
        }
        verifier.reset();
        return invalid;
    }
}
