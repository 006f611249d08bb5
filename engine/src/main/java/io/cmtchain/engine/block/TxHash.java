package io.cmtchain.engine.block;

import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.DirectBuffer;

/**
 * A transaction's hash: SHA-256 of exactly its signed message (domain tag, then the frame from the chain id on).
 * The signature is not hashed, so re-encoding a signature cannot make a second hash for the same transaction.
 */
public final class TxHash
{
    private TxHash()
    {
    }

    /**
     * @param sha       digest to use.
     * @param buffer    holding the frame.
     * @param offset    of the frame.
     * @param length    of the frame.
     * @param out       receives 32 bytes.
     * @param outOffset in {@code out}.
     */
    public static void compute(
        final Sha256 sha, final DirectBuffer buffer, final int offset, final int length, final byte[] out,
        final int outOffset)
    {
        sha.update(TransactionDescriptor.DOMAIN_TAG);
        sha.update(buffer, offset + TransactionDescriptor.SIGNED_OFFSET, length - TransactionDescriptor.SIGNED_OFFSET);
        sha.digest(out, outOffset);
    }
}
