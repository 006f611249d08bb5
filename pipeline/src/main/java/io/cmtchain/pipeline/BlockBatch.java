package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;

/**
 * One executed block on its way from execution to the journal: header, commit, transactions (by reference into the ring
 * slots) and receipts; with DPoS, which keys sign it (the journal stage signs). Execution keeps a small ring of them,
 * so it can run ahead of the journal by a few blocks.
 */
final class BlockBatch
{
    final BlockHeader header = new BlockHeader();
    /** The signers of the previous block this block carries (empty without DPoS); the journal stage signs for them. */
    final BlockCommit commit = new BlockCommit();
    /** Per commit signer, the index of its key in the {@link BlockSigner}. */
    final int[] commitKeys = new int[BlockCommit.MAX_SIGNERS];
    /** The index of the proposer's key in the {@link BlockSigner} (DPoS only). */
    int proposerKey = -1;
    final BlockTransactions txs;
    final BlockReceipts receipts;
    final TxEvent[] events;

    BlockBatch(final int blockMaxTxs)
    {
        txs = new BlockTransactions(blockMaxTxs);
        receipts = new BlockReceipts(blockMaxTxs);
        events = new TxEvent[blockMaxTxs];
    }
}
