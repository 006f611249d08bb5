package io.cmtchain.engine.block;

import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.util.Sha256;

import java.util.Arrays;

/**
 * The chain as a deterministic state machine: applies blocks to the state and makes (or checks) their headers.
 * No threads, no I/O, no clocks: the block's timestamp and proposer are inputs.
 */
public final class Chain
{
    /** Receipt leaf: 0x00 || tx hash || status u8 || fee i64 LE. */
    private static final int RECEIPT_LEAF_LENGTH = 42;

    private final ChainState state;
    private final byte[] leafScratch = new byte[RECEIPT_LEAF_LENGTH];
    private final MerkleRoot merkle = new MerkleRoot();
    private final Sha256 sha = new Sha256();
    private final byte[] headerScratch = new byte[BlockHeader.ENCODED_LENGTH];
    private final byte[] lastHash = new byte[32];
    private byte[] receiptLeaves = new byte[32 * 1024];
    private long height;

    /**
     * @param state  the state after genesis (or after the snapshot at {@code height}).
     * @param height of the last applied block; 0 at genesis.
     * @param lastHeaderHash hash of that block's header; zeros at genesis.
     */
    public Chain(final ChainState state, final long height, final byte[] lastHeaderHash)
    {
        this.state = state;
        this.height = height;
        System.arraycopy(lastHeaderHash, 0, lastHash, 0, 32);
    }

    public ChainState state()
    {
        return state;
    }

    /** @return height of the last applied block. */
    public long height()
    {
        return height;
    }

    /** @return a copy of the hash of the last applied block's header. */
    public byte[] lastHeaderHash()
    {
        return lastHash.clone();
    }

    /**
     * Apply the next block and fill in its header.
     *
     * @param timestampMs log timestamp of the block.
     * @param proposer    20-byte address of the proposer.
     * @param txs         ordered transactions.
     * @param executor    that applies them.
     * @param receipts    receive the outcomes.
     * @param header      receives the header (its signature left for the proposer).
     */
    public void apply(
        final long timestampMs,
        final byte[] proposer,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader header)
    {
        final long next = height + 1;
        executor.execute(state, next, txs, receipts);
        executor.commit(state);

        header.height = next;
        header.timestampMs = timestampMs;
        System.arraycopy(lastHash, 0, header.parentHash, 0, 32);
        System.arraycopy(proposer, 0, header.proposer, 0, 20);
        merkle.compute(txs.hashes(), txs.count(), header.txRoot, 0);
        receiptsRoot(txs, receipts, header.receiptsRoot);
        state.stateRoot(header.stateRoot, 0);
        header.txCount = txs.count();
        Arrays.fill(header.proposerSignature, (byte)0);

        header.hash(sha, headerScratch, lastHash, 0);
        height = next;
    }

    /**
     * Re-apply a journaled block and check it against its header.
     *
     * @param expected the journaled header.
     * @param txs      its transactions.
     * @param executor that applies them.
     * @param receipts receive the outcomes.
     * @param scratch  receives the recomputed header.
     * @return null when every root matches, else a description of the first mismatch.
     */
    public String replay(
        final BlockHeader expected,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader scratch)
    {
        if (expected.height != height + 1)
        {
            return "block " + expected.height + " follows " + height;
        }
        if (!Arrays.equals(expected.parentHash, lastHash))
        {
            return "block " + expected.height + ": parent hash does not match block " + height;
        }
        if (expected.txCount != txs.count())
        {
            return "block " + expected.height + ": header says " + expected.txCount + " transactions, found " +
                txs.count();
        }
        apply(expected.timestampMs, expected.proposer, txs, executor, receipts, scratch);
        System.arraycopy(expected.proposerSignature, 0, scratch.proposerSignature, 0, 64);
        if (!Arrays.equals(expected.txRoot, scratch.txRoot))
        {
            return "block " + expected.height + ": transaction root mismatch";
        }
        if (!Arrays.equals(expected.receiptsRoot, scratch.receiptsRoot))
        {
            return "block " + expected.height + ": receipts root mismatch";
        }
        if (!Arrays.equals(expected.stateRoot, scratch.stateRoot))
        {
            return "block " + expected.height + ": state root mismatch";
        }
        return null;
    }

    private void receiptsRoot(final BlockTransactions txs, final BlockReceipts receipts, final byte[] out)
    {
        final int n = txs.count();
        if (receiptLeaves.length < n * 32)
        {
            receiptLeaves = new byte[Math.max(n * 32, receiptLeaves.length * 2)];
        }
        final byte[] hashes = txs.hashes();
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(hashes, i * 32, leafScratch, 1, 32);
            leafScratch[33] = (byte)receipts.status(i);
            final long fee = receipts.feeCharged(i);
            for (int b = 0; b < 8; b++)
            {
                leafScratch[34 + b] = (byte)(fee >>> (8 * b));
            }
            sha.update(leafScratch, 0, RECEIPT_LEAF_LENGTH);
            sha.digest(receiptLeaves, i * 32);
        }
        merkle.compute(receiptLeaves, n, out, 0);
    }
}
