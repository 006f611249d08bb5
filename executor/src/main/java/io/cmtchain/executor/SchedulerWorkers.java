package io.cmtchain.executor;

import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The worker arrays of the parallel schedulers: one worker per {@link WorkerPool} thread (the caller is worker 0),
 * each with a {@link TransactionWork} of its own, and the sums over them that the schedulers report.
 */
final class SchedulerWorkers
{
    private SchedulerWorkers()
    {
    }

    /**
     * @param pool      whose threads the workers run on.
     * @param work      one per worker, asked in worker order; null for none.
     * @param newArray  the array of the scheduler's worker type.
     * @param newWorker a worker given its work, null with none.
     * @param <W>       the scheduler's worker type.
     * @return one worker per thread of the pool.
     */
    static <W> W[] create(
        final WorkerPool pool,
        final Supplier<TransactionWork> work,
        final IntFunction<W[]> newArray,
        final Function<TransactionWork, W> newWorker)
    {
        final W[] workers = newArray.apply(pool.workers());
        for (int i = 0; i < workers.length; i++)
        {
            workers[i] = newWorker.apply(work == null ? null : work.get());
        }
        return workers;
    }

    /**
     * Between blocks, not on the hot path.
     *
     * @param workers to sum over.
     * @param value   of one worker.
     * @param <W>     the scheduler's worker type.
     * @return the sum of value over the workers.
     */
    static <W> long sum(final W[] workers, final ToLongFunction<W> value)
    {
        long sum = 0;
        for (final W w : workers)
        {
            sum += value.applyAsLong(w);
        }
        return sum;
    }
}
