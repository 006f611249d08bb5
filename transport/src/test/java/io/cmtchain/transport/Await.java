package io.cmtchain.transport;

import java.util.function.BooleanSupplier;

/** Wait for a condition with a deadline, doing some work between checks; never a bare sleep. */
final class Await
{
    private Await()
    {
    }

    static void until(final String what, final long timeoutMs, final Runnable work, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            work.run();
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static void until(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        until(what, timeoutMs, () ->
        {
        }, condition);
    }
}
