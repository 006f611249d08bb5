package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;

import java.util.function.ToLongFunction;

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
    public void execute(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        execute(state, height, txs, receipts, null);
    }

    /**
     * The reference loop with extra work before each transaction (a cost model for benchmarks): the one copy of the
     * loop that sequential executors in other modules run, so they stay the reference executor line for line.
     *
     * @param state      to apply to.
     * @param height     of the block.
     * @param txs        in block order.
     * @param receipts   receive one outcome per transaction, in block order.
     * @param beforeEach given each transaction before the ledger rules run it; must not touch the state. Null for
     *                   none.
     * @return the sum of what {@code beforeEach} returned, 0 with none.
     */
    public long execute(
        final ChainState state,
        final long height,
        final BlockTransactions txs,
        final BlockReceipts receipts,
        final ToLongFunction<TransactionFlyweight> beforeEach)
    {
        long sink = 0;
        final int n = txs.count();
        receipts.reset(n);
        for (int from = 0; from < n; from += TransactionProcessor.PREFETCH_WINDOW)
        {
            final int to = Math.min(n, from + TransactionProcessor.PREFETCH_WINDOW);
            processor.prefetch(state, txs, from, to);
            for (int i = from; i < to; i++)
            {
                tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
                if (beforeEach != null)
                {
                    sink += beforeEach.applyAsLong(tx);
                }
                final int status = processor.execute(state, tx, height);
                receipts.set(i, status, processor.feeCharged());
            }
        }
        processor.forgetPrefetch();
        return sink;
    }
}
