package io.cmtchain.bench.executor;

import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.executor.HashChainWork;
import io.cmtchain.executor.ParallelExecutor;
import io.cmtchain.executor.ParallelExecutorContext;
import io.cmtchain.executor.SequentialExecutor;

/**
 * The executors a benchmark compares, by name: {@code reference} (the sequential engine; with contract work, its
 * loop plus the work), {@code declared} and {@code optimistic} (the parallel executor's schedulers).
 */
final class ExecutorKinds
{
    /** Hash chain links of the synthetic contract: about 17 µs on the reference machine (the bench prints it). */
    static final int CONTRACT_ROUNDS = 300;

    private ExecutorKinds()
    {
    }

    /**
     * @param kind     reference, declared or optimistic.
     * @param threads  for the parallel executor.
     * @param contract whether each transaction carries the synthetic contract's work.
     * @return the executor; close it if it is {@link AutoCloseable}.
     */
    static BlockExecutor create(final String kind, final int threads, final boolean contract)
    {
        return create(kind, threads, contract, CONTRACT_ROUNDS);
    }

    /**
     * @param kind     reference, declared or optimistic.
     * @param threads  for the parallel executor.
     * @param contract whether each transaction carries the synthetic contract's work.
     * @param rounds   hash chain links of the contract.
     * @return the executor; close it if it is {@link AutoCloseable}.
     */
    static BlockExecutor create(final String kind, final int threads, final boolean contract, final int rounds)
    {
        switch (kind)
        {
            case "reference":
                return contract ? new SequentialExecutor(new HashChainWork(rounds)) : new ReferenceExecutor();
            case "declared":
            case "optimistic":
                return new ParallelExecutor(new ParallelExecutorContext()
                    .threads(threads)
                    .scheduler(ParallelExecutorContext.parseScheduler(kind))
                    .transactionWork(contract ? () -> new HashChainWork(rounds) : null));
            default:
                throw new IllegalArgumentException("executor must be reference, declared or optimistic, was " + kind);
        }
    }
}
