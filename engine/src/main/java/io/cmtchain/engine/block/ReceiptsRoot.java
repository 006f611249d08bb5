package io.cmtchain.engine.block;

import io.cmtchain.engine.util.Sha256;

/**
 * A block's receipts root: the {@link MerkleRoot} over one leaf per transaction, in block order, each leaf being
 * SHA-256(0x00 || tx hash || status u8 || fee charged i64 LE). Reuses its buffers; not thread safe.
 */
public final class ReceiptsRoot
{
    /** Bytes hashed per leaf: 0x00 || tx hash || status u8 || fee i64 LE. */
    public static final int LEAF_LENGTH = 42;

    private final Sha256 sha = new Sha256();
    private final MerkleRoot merkle = new MerkleRoot();
    private final byte[] leaf = new byte[LEAF_LENGTH];
    private byte[] leaves = new byte[32 * 1024];

    /**
     * @param txs      the block's transactions (their hashes are read).
     * @param receipts their outcomes, in the same order.
     * @param out      receives the 32-byte root at index 0.
     */
    public void compute(final BlockTransactions txs, final BlockReceipts receipts, final byte[] out)
    {
        final int n = txs.count();
        if (leaves.length < n * 32)
        {
            leaves = new byte[Math.max(n * 32, leaves.length * 2)];
        }
        final byte[] hashes = txs.hashes();
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(hashes, i * 32, leaf, 1, 32);
            leaf[33] = (byte)receipts.status(i);
            final long fee = receipts.feeCharged(i);
            for (int b = 0; b < 8; b++)
            {
                leaf[34 + b] = (byte)(fee >>> (8 * b));
            }
            sha.update(leaf, 0, LEAF_LENGTH);
            sha.digest(leaves, i * 32);
        }
        merkle.compute(leaves, n, out, 0);
    }
}
