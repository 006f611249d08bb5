package io.cmtchain.pipeline;

import org.agrona.concurrent.Agent;

/**
 * An {@link Agent} that runs another, for wrappers that add something around a stage's duty cycle or start
 * ({@link BusyTimeAgent}, {@link PinnedAgent}) and keep its role name, so the thread is named after the stage.
 */
abstract class DelegatingAgent implements Agent
{
    protected final Agent delegate;

    DelegatingAgent(final Agent delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public void onStart()
    {
        delegate.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        return delegate.doWork();
    }

    @Override
    public void onClose()
    {
        delegate.onClose();
    }

    @Override
    public String roleName()
    {
        return delegate.roleName();
    }
}
