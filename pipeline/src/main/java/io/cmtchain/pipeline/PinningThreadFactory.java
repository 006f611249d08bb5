package io.cmtchain.pipeline;

import java.util.BitSet;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Makes the embedded Aeron media driver's threads, each of which pins itself to the {@code driver} CPUs
 * ({@link CpuAffinity}) before it runs its agent. A thread that cannot be pinned still runs, so the driver can be
 * closed in order; its {@link ThreadPin#failure()} makes the node refuse to start.
 */
final class PinningThreadFactory implements ThreadFactory
{
    private final BitSet cpus;
    private final Consumer<ThreadPin> pins;

    /**
     * @param cpus the CPUs the driver's threads may run on.
     * @param pins told of each thread's pin as the thread is made, before it starts.
     */
    PinningThreadFactory(final BitSet cpus, final Consumer<ThreadPin> pins)
    {
        this.cpus = cpus;
        this.pins = pins;
    }

    @Override
    public Thread newThread(final Runnable task)
    {
        final ThreadPin pin = new ThreadPin(cpus, "the media driver's thread");
        pins.accept(pin);
        return new Thread(() ->
        {
            pin.pinCurrentThread();
            task.run();
        });
    }
}
