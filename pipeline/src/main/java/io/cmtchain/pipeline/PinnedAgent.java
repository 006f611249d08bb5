package io.cmtchain.pipeline;

import net.openhft.affinity.Affinity;
import org.agrona.concurrent.Agent;

import java.util.BitSet;

/**
 * Wraps a stage's {@link Agent} and restricts the thread that runs it to a set of CPUs when the thread starts
 * ({@link CpuAffinity}). If the operating system does not take the mask, the start fails with the stage's name and
 * the mask it got, and the node does not run half pinned.
 */
final class PinnedAgent extends DelegatingAgent
{
    private final BitSet cpus;
    private volatile String failure;
    private volatile boolean started;

    PinnedAgent(final Agent delegate, final BitSet cpus)
    {
        super(delegate);
        this.cpus = cpus;
    }

    @Override
    public void onStart()
    {
        String why;
        try
        {
            Affinity.setAffinity(cpus);
            final BitSet got = Affinity.getAffinity();
            why = cpus.equals(got) ? null : "its thread may run on " + CpuAffinity.list(got);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            why = ex.toString();
        }
        if (why != null)
        {
            failure = "could not pin " + delegate.roleName() + " to CPU(s) " + CpuAffinity.list(cpus) + ": " + why;
        }
        // Written after the failure, so that whoever sees started also sees why it failed.
        started = true;
        if (why != null)
        {
            throw new IllegalStateException(failure);
        }
        delegate.onStart();
    }

    /** @return true once the thread has tried to pin itself (see {@link #failure()}). */
    boolean hasStarted()
    {
        return started;
    }

    /** @return why pinning failed, or null (not yet started, or pinned). */
    String failure()
    {
        return failure;
    }
}
