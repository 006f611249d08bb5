package io.cmtchain.executor;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Wait for a condition with a deadline, instead of sleeping. */
final class Await
{
    private Await()
    {
    }

    static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.yield();
        }
    }
}
