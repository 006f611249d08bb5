package io.cmtchain.executor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads owned by an executor, started once and reused for every parallel phase of every block. The caller is
 * worker 0 and takes part in each phase; workers 1..n-1 are threads of their own that spin briefly between
 * phases (a block has two close together) and then park until the next one.
 */
final class WorkerPool implements AutoCloseable
{
    /** One parallel phase: every worker runs it once, the caller returns when all have. */
    interface Phase
    {
        /**
         * @param worker index, 0 for the caller.
         */
        void run(int worker);
    }

    private static final int SPINS_BEFORE_YIELD = 20_000;
    private static final int YIELDS_BEFORE_PARK = 50;

    private final Thread[] threads;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Phase phase;
    private volatile int generation;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param workers including the caller; at least 1.
     * @param name    prefix of the thread names.
     */
    WorkerPool(final int workers, final String name)
    {
        threads = new Thread[workers - 1];
        for (int i = 0; i < threads.length; i++)
        {
            final int worker = i + 1;
            threads[i] = new Thread(() -> loop(worker), name + "-" + worker);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    int workers()
    {
        return threads.length + 1;
    }

    /** @return true once a worker has failed in the current phase: the others should stop waiting for it. */
    boolean failed()
    {
        return failure != null;
    }

    /**
     * Run a phase on every worker and wait for all of them. The return happens-after every worker's run.
     *
     * @param next phase to run.
     */
    void run(final Phase next)
    {
        if (threads.length == 0)
        {
            try
            {
                next.run(0);
            }
            catch (final RuntimeException | Error ex)
            {
                throw workerFailed(ex);
            }
            return;
        }
        finished.set(0);
        phase = next;
        generation = generation + 1;
        for (final Thread thread : threads)
        {
            LockSupport.unpark(thread);
        }
        try
        {
            next.run(0);
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
        int idle = 0;
        while (finished.get() != threads.length)
        {
            idle = idle(idle, false);
        }
        final Throwable t = failure;
        if (t != null)
        {
            failure = null;
            throw workerFailed(t);
        }
    }

    /**
     * How a failure while executing reaches the caller, whatever ran it (a pool thread, the caller as worker 0, or
     * the caller alone on a one-thread pool or a small block), so that callers see one exception type and message.
     *
     * @param cause the worker's exception or error.
     * @return the exception to throw on the caller's thread.
     */
    static IllegalStateException workerFailed(final Throwable cause)
    {
        return new IllegalStateException("executor worker failed", cause);
    }

    @Override
    public void close()
    {
        running = false;
        for (final Thread thread : threads)
        {
            LockSupport.unpark(thread);
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void loop(final int worker)
    {
        int seen = 0;
        int idle = 0;
        while (running)
        {
            final int g = generation;
            if (g != seen)
            {
                seen = g;
                idle = 0;
                try
                {
                    phase.run(worker);
                }
                catch (final Throwable t)
                {
                    // A bug, never an input error: surface it on the caller's thread rather than hang the block.
                    failure = t;
                }
                finished.incrementAndGet();
            }
            else
            {
                idle = idle(idle, true);
            }
        }
    }

    private static int idle(final int idle, final boolean mayPark)
    {
        if (idle < SPINS_BEFORE_YIELD)
        {
            Thread.onSpinWait();
        }
        else if (idle < SPINS_BEFORE_YIELD + YIELDS_BEFORE_PARK || !mayPark)
        {
            Thread.yield();
        }
        else
        {
            // Woken by the caller's unpark after it publishes a phase (or by close); a permit left from an earlier
            // unpark only costs one more turn of the loop.
            LockSupport.park();
        }
        return idle + 1;
    }
}
