package io.cmtchain.executor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool the schedulers run their phases on: every worker runs every phase exactly once and the caller returns only
 * after all have (plain writes of the workers are visible to it); a failure on any worker, the caller included,
 * reaches the caller as an exception instead of a hang, lets the other workers stop waiting, and does not poison the
 * next phase.
 */
class WorkerPoolTest
{
    @Test
    void shouldRunEveryPhaseOnceOnEveryWorkerAndReturnAfterAll()
    {
        try (WorkerPool pool = new WorkerPool(3, "cmt-pool-test"))
        {
            assertEquals(3, pool.workers());
            final int[] runs = new int[3];
            for (int phase = 1; phase <= 200; phase++)
            {
                // Plain writes: run's return must happen-after each worker's.
                pool.run(worker -> runs[worker]++);
                assertArrayEquals(new int[] {phase, phase, phase}, runs, "after phase " + phase);
            }
        }
    }

    @Test
    void shouldRunOnTheCallerAloneWithOneWorker()
    {
        try (WorkerPool pool = new WorkerPool(1, "cmt-pool-test"))
        {
            assertEquals(1, pool.workers());
            final Thread caller = Thread.currentThread();
            final Thread[] ran = new Thread[1];
            pool.run(worker -> ran[worker] = Thread.currentThread());
            assertSame(caller, ran[0]);
        }
    }

    @Test
    void shouldSurfaceAFailureWithOneWorkerAsWithSeveral()
    {
        try (WorkerPool pool = new WorkerPool(1, "cmt-pool-test"))
        {
            final IllegalArgumentException bug = new IllegalArgumentException("bug on the caller alone");
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pool.run(worker ->
            {
                throw bug;
            }));
            assertEquals("executor worker failed", ex.getMessage());
            assertSame(bug, ex.getCause());
            assertFalse(pool.failed());

            final int[] runs = new int[1];
            pool.run(worker -> runs[worker]++);
            assertEquals(1, runs[0]);
        }
    }

    @Test
    void shouldSurfaceAWorkerThreadFailureOnTheCallerAndRunTheNextPhase()
    {
        try (WorkerPool pool = new WorkerPool(2, "cmt-pool-test"))
        {
            final IllegalArgumentException bug = new IllegalArgumentException("bug in worker 1");
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pool.run(worker ->
            {
                if (worker == 1)
                {
                    throw bug;
                }
                // The caller waits for the failed worker's signal rather than for work that will never come.
                Await.until(pool::failed, 10_000, "the worker's failure to be seen");
            }));
            assertSame(bug, ex.getCause());
            assertFalse(pool.failed(), "the failure belongs to the phase that had it");

            final AtomicIntegerArray runs = new AtomicIntegerArray(2);
            pool.run(runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    @Test
    void shouldSurfaceACallerFailureAndLetTheOtherWorkersStopWaiting()
    {
        try (WorkerPool pool = new WorkerPool(3, "cmt-pool-test"))
        {
            final AtomicIntegerArray stopped = new AtomicIntegerArray(3);
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pool.run(worker ->
            {
                if (worker == 0)
                {
                    throw new ArithmeticException("bug on the caller");
                }
                // Workers that would wait for the caller's share of the work see the failure instead.
                Await.until(pool::failed, 10_000, "the caller's failure to be seen");
                stopped.incrementAndGet(worker);
            }));
            assertTrue(ex.getCause() instanceof ArithmeticException, String.valueOf(ex.getCause()));
            assertEquals(1, stopped.get(1));
            assertEquals(1, stopped.get(2));
            assertFalse(pool.failed());

            final int[] runs = new int[3];
            pool.run(worker -> runs[worker]++);
            assertArrayEquals(new int[] {1, 1, 1}, runs);
        }
    }

    @Test
    void shouldSurfaceAnErrorFromAWorkerThread()
    {
        try (WorkerPool pool = new WorkerPool(2, "cmt-pool-test"))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pool.run(worker ->
            {
                if (worker == 1)
                {
                    throw new AssertionError("an Error, not an Exception");
                }
            }));
            assertTrue(ex.getCause() instanceof AssertionError, String.valueOf(ex.getCause()));
        }
    }
}
