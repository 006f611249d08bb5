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
     * Append a block with its commit (the previous block's signers, DPoS's input to the block) in one write; returns
     * once the block is as durable as the journal is configured to make it. A journal that keeps blocks for replay
     * keeps the commit too.
     *
     * @param header   of the block.
     * @param commit   the validators of the previous block that signed it, with their signatures (empty without
     *                 DPoS).
     * @param txs      its transactions in block order.
     * @param receipts their outcomes in block order.
     */
    void append(BlockHeader header, BlockCommit commit, BlockTransactions txs, BlockReceipts receipts);

    /** @return height of the last appended block, 0 when empty. */
    long lastHeight();

    @Override
    void close();
}
