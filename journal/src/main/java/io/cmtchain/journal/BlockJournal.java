package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;

/**
 * The chain's record: every block (header, transaction bytes, receipt statuses), appended in height order with one
 * write per block. Receipts for a block may leave the node only after {@link #append} has returned.
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

    /** @return height of the last appended block, 0 when empty. */
    long lastHeight();

    @Override
    void close();
}
