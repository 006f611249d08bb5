package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;

/**
 * {@link ReferenceExecutor}'s loop with a {@link TransactionWork} before each transaction: the sequential baseline
 * for workloads that model contract execution cost. With no work it is the reference executor, line for line
 * (windows prepared by {@link TransactionProcessor#prefetch} included).
 */
public final class SequentialExecutor implements BlockExecutor
{
    private final TransactionProcessor processor = new TransactionProcessor();
    private final TransactionFlyweight tx = new TransactionFlyweight();
    private final TransactionWork work;
    private long workSink;

    /**
     * @param work per transaction, or null for none.
     */
    public SequentialExecutor(final TransactionWork work)
    {
        this.work = work;
    }

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
                if (work != null)
                {
                    workSink += work.perform(tx);
                }
                final int status = processor.execute(state, tx, height);
                receipts.set(i, status, processor.feeCharged());
            }
        }
        processor.forgetPrefetch();
    }

    /** @return a value derived from the work done, so it cannot be optimised away. */
    public long workSink()
    {
        return workSink;
    }
}
