package io.cmtchain.transport;

import io.cmtchain.engine.codec.AccountQueryEncoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.TransactionQueryEncoder;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

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

    /** Writes an AccountQuery at 0 for the address of 20 {@code fill} bytes: @return its length. */
    static int accountQuery(final UnsafeBuffer buffer, final long correlationId, final byte fill)
    {
        final byte[] address = new byte[20];
        Arrays.fill(address, fill);
        new AccountQueryEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .putAddress(address, 0, address.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + AccountQueryEncoder.BLOCK_LENGTH;
    }

    /** Writes a TransactionQuery at {@code offset} for the hash of 32 {@code fill} bytes: @return its length. */
    static int transactionQuery(final UnsafeBuffer buffer, final int offset, final long correlationId, final byte fill)
    {
        final byte[] hash = new byte[32];
        Arrays.fill(hash, fill);
        new TransactionQueryEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .putTxHash(hash, 0, hash.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + TransactionQueryEncoder.BLOCK_LENGTH;
    }
}
