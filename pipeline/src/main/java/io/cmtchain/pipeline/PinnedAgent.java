package io.cmtchain.pipeline;

import org.agrona.concurrent.Agent;

/**
 * Wraps a stage's {@link Agent} and restricts the thread that runs it to a set of CPUs when the thread starts
 * ({@link CpuAffinity}). If the operating system does not take the mask, the start fails with the stage's name and
 * the mask it got, and the node does not run half pinned.
 */
final class PinnedAgent extends DelegatingAgent
{
    private final ThreadPin pin;

    PinnedAgent(final Agent delegate, final ThreadPin pin)
    {
        super(delegate);
        this.pin = pin;
    }

    @Override
    public void onStart()
    {
        final String failure = pin.pinCurrentThread();
        if (failure != null)
        {
            throw new IllegalStateException(failure);
        }
        delegate.onStart();
    }
}
