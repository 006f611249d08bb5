package io.cmtchain.executor;

import io.cmtchain.engine.util.SystemProperties;

import java.util.function.Supplier;

/**
 * Configuration of a {@link ParallelExecutor}, Aeron style: fields start from system properties, fluent setters
 * override them, {@link #conclude()} validates once.
 * <ul>
 *   <li>{@value #THREADS_PROP}: executing threads including the caller (default: available processors);</li>
 *   <li>{@value #SCHEDULER_PROP}: {@code declared} (conflict graph from declared access sets, the default) or
 *       {@code optimistic} (Block-STM);</li>
 *   <li>{@value #MIN_PARALLEL_SPEEDUP_PROP}: the declared scheduler runs a block in order on the caller when its
 *       conflict graph predicts less speedup than this (default {@value #MIN_PARALLEL_SPEEDUP_DEFAULT});</li>
 *   <li>{@value #MIN_PARALLEL_BLOCK_PROP}: blocks with fewer transactions run on the caller with the engine's
 *       own loop (default {@value #MIN_PARALLEL_BLOCK_DEFAULT}): waking threads costs more than they save.</li>
 * </ul>
 */
public final class ParallelExecutorContext
{
    public static final String THREADS_PROP = "cmt.executor.threads";
    public static final String SCHEDULER_PROP = "cmt.executor.scheduler";
    public static final String MIN_PARALLEL_SPEEDUP_PROP = "cmt.executor.minParallelSpeedup";
    public static final double MIN_PARALLEL_SPEEDUP_DEFAULT = 1.3;
    public static final String MIN_PARALLEL_BLOCK_PROP = "cmt.executor.minParallelBlock";
    public static final int MIN_PARALLEL_BLOCK_DEFAULT = 64;

    /** How the parallel executor finds conflicts. */
    public enum Scheduler
    {
        /** Declared access sets and a conflict graph: Sealevel-style. */
        DECLARED,
        /** Optimistic execution with a multi-version store, validation and re-execution: Block-STM. */
        OPTIMISTIC
    }

    private int threads;
    private Scheduler scheduler;
    private double minParallelSpeedup;
    private int minParallelBlock;
    private Supplier<TransactionWork> transactionWork;
    private long tableSeed = System.nanoTime();
    private boolean concluded;

    public ParallelExecutorContext()
    {
        threads = SystemProperties.intValue(THREADS_PROP, Runtime.getRuntime().availableProcessors());
        final String s = System.getProperty(SCHEDULER_PROP, "declared");
        scheduler = parseScheduler(s);
        minParallelSpeedup = Double.parseDouble(
            System.getProperty(MIN_PARALLEL_SPEEDUP_PROP, Double.toString(MIN_PARALLEL_SPEEDUP_DEFAULT)));
        minParallelBlock = SystemProperties.intValue(MIN_PARALLEL_BLOCK_PROP, MIN_PARALLEL_BLOCK_DEFAULT);
    }

    /**
     * @param name {@code declared} or {@code optimistic}, any case.
     * @return the scheduler.
     * @throws IllegalArgumentException naming the valid values.
     */
    public static Scheduler parseScheduler(final String name)
    {
        for (final Scheduler s : Scheduler.values())
        {
            if (s.name().equalsIgnoreCase(name))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("executor scheduler must be declared or optimistic, was " + name);
    }

    public ParallelExecutorContext threads(final int threads)
    {
        this.threads = threads;
        return this;
    }

    public int threads()
    {
        return threads;
    }

    public ParallelExecutorContext scheduler(final Scheduler scheduler)
    {
        this.scheduler = scheduler;
        return this;
    }

    public Scheduler scheduler()
    {
        return scheduler;
    }

    public ParallelExecutorContext minParallelSpeedup(final double minParallelSpeedup)
    {
        this.minParallelSpeedup = minParallelSpeedup;
        return this;
    }

    public double minParallelSpeedup()
    {
        return minParallelSpeedup;
    }

    public ParallelExecutorContext minParallelBlock(final int minParallelBlock)
    {
        this.minParallelBlock = minParallelBlock;
        return this;
    }

    public int minParallelBlock()
    {
        return minParallelBlock;
    }

    /**
     * @param transactionWork makes one {@link TransactionWork} per executing thread, or null for none.
     * @return this.
     */
    public ParallelExecutorContext transactionWork(final Supplier<TransactionWork> transactionWork)
    {
        this.transactionWork = transactionWork;
        return this;
    }

    public Supplier<TransactionWork> transactionWork()
    {
        return transactionWork;
    }

    /**
     * @param tableSeed seed of the executor's address tables; not consensus state.
     * @return this.
     */
    public ParallelExecutorContext tableSeed(final long tableSeed)
    {
        this.tableSeed = tableSeed;
        return this;
    }

    public long tableSeed()
    {
        return tableSeed;
    }

    /**
     * Validate; called once by the executor.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public ParallelExecutorContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("context already concluded");
        }
        if (threads < 1 || threads > 1024)
        {
            throw new IllegalArgumentException(THREADS_PROP + " must be 1..1024, was " + threads);
        }
        if (scheduler == null)
        {
            throw new IllegalArgumentException(SCHEDULER_PROP + " must be set");
        }
        if (!(minParallelSpeedup >= 0) || Double.isInfinite(minParallelSpeedup))
        {
            throw new IllegalArgumentException(MIN_PARALLEL_SPEEDUP_PROP + " must be >= 0, was " + minParallelSpeedup);
        }
        if (minParallelBlock < 0)
        {
            throw new IllegalArgumentException(MIN_PARALLEL_BLOCK_PROP + " must be >= 0, was " + minParallelBlock);
        }
        concluded = true;
        return this;
    }

    @Override
    public String toString()
    {
        return "ParallelExecutorContext{threads=" + threads + ", scheduler=" + scheduler +
            ", minParallelSpeedup=" + minParallelSpeedup + ", minParallelBlock=" + minParallelBlock + "}";
    }
}
