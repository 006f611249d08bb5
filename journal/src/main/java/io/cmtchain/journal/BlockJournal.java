package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;

/**
 * The chain's record: every block (header, commit, transaction bytes, receipt statuses), appended in height order
 * with one write per block. Receipts for a block may leave the node only after {@link #append} has returned.
 */
public interface BlockJournal extends AutoCloseable
{
    /**
     * Append a block in one write; returns once the block is as durable as the journal is configured to make it.
     *
     * @param header   of the block.
     * @param txs      its transactions in block order.
     * @param receipts their outcomes in block order.
     */
    void append(BlockHeader header, BlockTransactions txs, BlockReceipts receipts);

    /**
     * Append a block with its commit (the previous block's signers, DPoS's input to the block), in one write. A
     * journal that keeps blocks for replay must keep the commit too; the default, for journals that keep nothing,
     * drops it.
     *
     * @param header   of the block.
     * @param commit   the validators of the previous block that signed it, with their signatures.
     * @param txs      its transactions in block order.
     * @param receipts their outcomes in block order.
     */
    default void append(BlockHeader header, BlockCommit commit, BlockTransactions txs, BlockReceipts receipts)
    {
        append(header, txs, receipts);
    }

    /** @return height of the last appended block, 0 when empty. */
    long lastHeight();

    @Override
    void close();
}
