package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;

import java.util.function.ToLongFunction;

/**
 * {@link ReferenceExecutor}'s loop with a {@link TransactionWork} before each transaction: the sequential baseline
 * for workloads that model contract execution cost. It runs the reference executor's own loop
 * ({@link ReferenceExecutor#execute(ChainState, long, BlockTransactions, BlockReceipts, ToLongFunction)}), so with
 * no work it is the reference executor.
 */
public final class SequentialExecutor implements BlockExecutor
{
    private final ReferenceExecutor reference = new ReferenceExecutor();
    private final ToLongFunction<TransactionFlyweight> work;
    private long workSink;

    /**
     * @param work per transaction, or null for none.
     */
    public SequentialExecutor(final TransactionWork work)
    {
        this.work = work == null ? null : work::perform;
    }

    @Override
    public void execute(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        workSink += reference.execute(state, height, txs, receipts, work);
    }

    /** @return a value derived from the work done, so it cannot be optimised away. */
    public long workSink()
    {
        return workSink;
    }
}
