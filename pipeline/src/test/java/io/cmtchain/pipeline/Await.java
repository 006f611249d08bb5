package io.cmtchain.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits for a condition with a deadline, for tests.
 */
public final class Await
{
    private Await()
    {
    }

    /**
     * @param condition to wait for.
     * @param timeoutMs deadline.
     * @param message   describes what did not happen.
     */
    public static void until(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> message)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out after " + timeoutMs + " ms: " + message.get());
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
