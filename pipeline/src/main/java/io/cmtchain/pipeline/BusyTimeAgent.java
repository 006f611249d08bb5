package io.cmtchain.pipeline;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Wraps a stage's {@link Agent} and adds the nanoseconds of every duty cycle that did work to a counter, so that a
 * stage's capacity (events per busy second) and its share of the wall clock can be read from the counters file while
 * the node runs, whatever thread the stage shares. Idle cycles are not counted; the cost is two {@code nanoTime}
 * reads per duty cycle, not per transaction.
 */
final class BusyTimeAgent extends DelegatingAgent
{
    private final AtomicCounter busyNs;

    BusyTimeAgent(final Agent delegate, final AtomicCounter busyNs)
    {
        super(delegate);
        this.busyNs = busyNs;
    }

    @Override
    public int doWork() throws Exception
    {
        final long start = System.nanoTime();
        final int work = delegate.doWork();
        if (work > 0)
        {
            busyNs.getAndAddRelease(System.nanoTime() - start);
        }
        return work;
    }
}
