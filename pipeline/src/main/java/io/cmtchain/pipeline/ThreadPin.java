package io.cmtchain.pipeline;

import net.openhft.affinity.Affinity;

import java.util.BitSet;

/**
 * One thread's pin to a set of CPUs ({@link CpuAffinity}): the thread pins itself as it starts, and the node waits
 * for every pin to have been tried ({@link #hasStarted()}) and refuses to run half pinned ({@link #failure()}).
 */
final class ThreadPin
{
    private final BitSet cpus;
    private final String role;
    private volatile String failure;
    private volatile boolean started;

    /**
     * @param cpus the CPUs the thread may run on.
     * @param role what the thread runs, for the message when it does not start.
     */
    ThreadPin(final BitSet cpus, final String role)
    {
        this.cpus = cpus;
        this.role = role;
    }

    /**
     * Restrict the calling thread to the CPUs and check the operating system took the mask. The failure names the
     * thread, which its runner has named after what it runs.
     *
     * @return why the thread could not be pinned, or null when it is.
     */
    String pinCurrentThread()
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
            failure = "could not pin " + Thread.currentThread().getName() + " to CPU(s) " + CpuAffinity.list(cpus) +
                ": " + why;
        }
        // Written after the failure, so that whoever sees started also sees why it failed.
        started = true;
        return failure;
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

    /** @return what the thread runs, as given when the pin was made. */
    String role()
    {
        return role;
    }
}
