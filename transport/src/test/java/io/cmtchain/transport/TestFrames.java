package io.cmtchain.transport;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.concurrent.UnsafeBuffer;

/** Signed transfer frames for tests. */
final class TestFrames
{
    static final int CHAIN_ID = 1001;
    static final int STRIDE = 256;

    private TestFrames()
    {
    }

    /**
     * @return {@code count} transfers from devnet sender {@code senderIndex}, nonces from {@code firstNonce}, at
     * {@code i * STRIDE}; lengths in {@code lengths}.
     */
    static UnsafeBuffer transfers(
        final int chainId, final int senderIndex, final long firstNonce, final int count, final int[] lengths)
    {
        final TransactionBuilder builder = new TransactionBuilder(chainId);
        final Ed25519Key key = Genesis.devnetAccountKey(senderIndex);
        final byte[] recipient = Genesis.devnetAccountKey(senderIndex + 1).address();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * STRIDE]);
        for (int i = 0; i < count; i++)
        {
            lengths[i] = builder.transfer(key, firstNonce + i, 100, 0, recipient, 1 + i, buffer, i * STRIDE);
        }
        return buffer;
    }
}
