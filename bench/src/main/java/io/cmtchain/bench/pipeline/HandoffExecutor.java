package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.ChainState;

/**
 * An execution stage that commits every transaction without touching the state: for measuring what the pipeline
 * itself costs per transaction (hand-offs, framing checks, hashing, block cutting, roots, journal and receipt
 * stages) apart from the ledger's work. Used the same way by both pipelines of {@link PipelineBenchmark}; never by a
 * node.
 */
final class HandoffExecutor implements BlockExecutor
{
    @Override
    public void execute(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        final int n = txs.count();
        receipts.reset(n);
        for (int i = 0; i < n; i++)
        {
            receipts.set(i, ReceiptStatus.OK.value(), 0);
        }
    }
}
