package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;

/**
 * The sequential reference executor: transactions one after another in block order. The definition of correct
 * that every faster executor is tested against. Each window of transactions is prefetched before it runs
 * ({@link TransactionProcessor#prefetch}), which changes how long a block takes, not what it does.
 */
public final class ReferenceExecutor implements BlockExecutor
{
    private final TransactionProcessor processor = new TransactionProcessor();
    private final TransactionFlyweight tx = new TransactionFlyweight();

    @Override
    public void execute(final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        final int n = txs.count();
        receipts.reset(n);
        for (int from = 0; from < n; from += TransactionProcessor.PREFETCH_WINDOW)
        {
            final int to = Math.min(n, from + TransactionProcessor.PREFETCH_WINDOW);
            processor.prefetch(state, txs, from, to);
            for (int i = from; i < to; i++)
            {
                tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
                final int status = processor.execute(state, tx, height);
                receipts.set(i, status, processor.feeCharged());
            }
        }
        processor.forgetPrefetch();
    }
}
