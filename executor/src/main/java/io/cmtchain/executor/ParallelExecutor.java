package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.StateCommitment;

/**
 * Executes a block's transactions on several threads with exactly the receipts and state of
 * {@link ReferenceExecutor}, whatever the thread count and timing. Two schedulers (see
 * {@link ParallelExecutorContext.Scheduler}): conflicts from declared access sets (the default), or optimistic
 * Block-STM execution for transactions whose keys cannot be declared up front. Hot keys (the fee pool) are
 * per-thread deltas folded at block end.
 * <p>
 * The worker threads belong to the executor: started by the constructor, reused for every block, stopped by
 * {@link #close()}. The caller's thread is one of the workers. Not thread safe: one block at a time. After a block
 * or commit throws, every later call is refused with an {@link IllegalStateException} naming the failure.
 */
public final class ParallelExecutor implements BlockExecutor, AutoCloseable
{
    private final ParallelExecutorContext ctx;
    private final WorkerPool pool;
    private final DeclaredScheduler declared;
    private final OptimisticScheduler optimistic;
    private final SequentialExecutor small;
    private final WorkerPool.Phase commitPhase = this::commitPart;
    private StateCommitment commitment;
    private StateCommitment.Worker[] commitWorkers;
    private AccountStore commitAccounts;
    private long smallBlocks;
    private Throwable failure;

    /**
     * @param ctx configuration; concluded here.
     */
    public ParallelExecutor(final ParallelExecutorContext ctx)
    {
        this.ctx = ctx.conclude();
        pool = new WorkerPool(ctx.threads(), "cmt-executor");
        small = new SequentialExecutor(ctx.transactionWork() == null ? null : ctx.transactionWork().get());
        if (ctx.scheduler() == ParallelExecutorContext.Scheduler.DECLARED)
        {
            declared = new DeclaredScheduler(pool, ctx.minParallelSpeedup(), ctx.transactionWork(), ctx.tableSeed());
            optimistic = null;
        }
        else
        {
            declared = null;
            optimistic = new OptimisticScheduler(pool, ctx.transactionWork(), ctx.tableSeed());
        }
    }

    public ParallelExecutorContext context()
    {
        return ctx;
    }

    @Override
    public void execute(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        checkNotFailed();
        try
        {
            run(state, height, txs, receipts);
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            throw ex;
        }
    }

    /**
     * A block that failed leaves the schedulers' per-block state (ready queues, per-thread fee deltas, new-address
     * flags) and the chain state part-way through, so nothing after it may run on them: the node stops its
     * execution stage on the failure, and this refuses every later call in case anything tries.
     */
    private void checkNotFailed()
    {
        if (failure != null)
        {
            throw new IllegalStateException(
                "the executor failed on an earlier block and takes no more: " + failure, failure);
        }
    }

    private void run(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        if (pool.workers() == 1 || txs.count() < ctx.minParallelBlock())
        {
            runSmall(state, height, txs, receipts);
        }
        else if (declared != null)
        {
            declared.execute(state, height, txs, receipts);
        }
        else if (holdsNonTransfer(txs))
        {
            // The optimistic scheduler's per-block stores model CMT accounts only; they cannot reach the DPoS or
            // contracts state, so blocks holding any other type run in order.
            runSmall(state, height, txs, receipts);
        }
        else
        {
            optimistic.execute(state, height, txs, receipts);
        }
    }

    /** In order on the caller; a failure is reported as the pool reports a worker's. */
    private void runSmall(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        smallBlocks++;
        try
        {
            small.execute(state, height, txs, receipts);
        }
        catch (final RuntimeException | Error ex)
        {
            throw WorkerPool.workerFailed(ex);
        }
    }

    private static boolean holdsNonTransfer(final BlockTransactions txs)
    {
        for (int i = 0, n = txs.count(); i < n; i++)
        {
            if (txs.length(i) > TransactionDescriptor.TYPE_OFFSET &&
                (txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) & 0xFF) != TxTypes.TRANSFER)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Fold the deltas, then hash the commitment's parts (the root's children, round-robin) on every worker: the
     * state root of a transfer block costs several times its execution, so it is the larger share to spread.
     */
    @Override
    public void commit(final ChainState state)
    {
        checkNotFailed();
        try
        {
            commitState(state);
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            throw ex;
        }
    }

    private void commitState(final ChainState state)
    {
        state.foldDeltas();
        final StateCommitment c = state.commitment();
        if (c != commitment)
        {
            commitment = c;
            commitWorkers = new StateCommitment.Worker[pool.workers()];
            for (int i = 0; i < commitWorkers.length; i++)
            {
                commitWorkers[i] = c.newWorker();
            }
        }
        commitAccounts = state.accounts();
        if (c.beginUpdate() > 0)
        {
            pool.run(commitPhase);
        }
        c.finishUpdate();
        commitAccounts = null;
    }

    private void commitPart(final int worker)
    {
        commitment.updatePart(commitAccounts, worker, commitWorkers.length, commitWorkers[worker]);
    }

    /** @return blocks run in order on the caller: one thread, or fewer transactions than the minimum. */
    public long smallBlocks()
    {
        return smallBlocks;
    }

    /** @return blocks the declared scheduler ran on several threads. */
    public long parallelBlocks()
    {
        return declared != null ? declared.parallelBlocks() : optimistic.blocks();
    }

    /** @return blocks the declared scheduler ran in order because their conflict graph left too little parallelism. */
    public long sequentialBlocks()
    {
        return declared != null ? declared.sequentialBlocks() : 0;
    }

    /** @return executions beyond the first of some transaction (optimistic scheduler; 0 for declared). */
    public long reExecutions()
    {
        return optimistic != null ? optimistic.reExecutions() : 0;
    }

    /** @return a value derived from the transaction work done, so it cannot be optimised away. */
    public long workSink()
    {
        return small.workSink() + (declared != null ? declared.workSink() : optimistic.workSink());
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
