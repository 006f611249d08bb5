package io.cmtchain.pipeline;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which CPUs the node's stage threads may run on: {@code stage=cpus} entries separated by {@code ;}, the CPUs in
 * {@code taskset}'s list form ({@code 3}, {@code 4-7}, {@code 2,5,8-9}). For example, on a validator with a core
 * per stage: {@code ingress=1;decode=2;verify=3-6;ordering=7;execute=8;journal=9;receipts=10;egress=1}.
 * <ul>
 *   <li>A stage not named is not pinned: its thread runs wherever the operating system puts it.</li>
 *   <li>{@code verify} spreads the verifier threads over its CPUs, one per CPU: verifier {@code i} runs on the
 *       {@code i}-th CPU of the list (round-robin when there are more verifiers than CPUs).</li>
 *   <li>Any other stage's thread may run on every CPU of its list.</li>
 *   <li>{@link ThreadingMode#DEDICATED} names its stage threads: {@value #DEDICATED_NAMES}.
 *       {@link ThreadingMode#SHARED} has one thread for every stage but verification, {@code shared}, and the
 *       verifiers: {@code shared}, {@code verify}. {@link ThreadingMode#INVOKER} has no threads to pin.</li>
 *   <li>{@code driver}, in either mode, pins every thread of the embedded Aeron media driver (its conductor, sender
 *       and receiver, or the thread that composes them, by the transport's threading mode, and its asynchronous
 *       executor) to its CPUs. A node that
 *       connects to an external driver refuses it: pin that driver's process with {@code taskset}.</li>
 * </ul>
 * Pinning is done in process with the OpenHFT affinity library (JNA's {@code sched_setaffinity}), when each thread
 * starts; the node checks the operating system took it.
 */
public final class CpuAffinity
{
    static final String DEDICATED_NAMES = "ingress, decode, verify, ordering, execute, journal, receipts, egress";
    private static final List<String> DEDICATED_STAGES = List.of(DEDICATED_NAMES.split(", "));
    private static final List<String> SHARED_STAGES = List.of("shared", "verify");
    /** The embedded media driver's threads, named in either mode. */
    static final String DRIVER = "driver";
    /** Highest CPU number accepted in a list; the operating system's limit is checked when the node starts. */
    static final int MAX_CPU = 4095;

    /** No stage pinned. */
    public static final CpuAffinity NONE = new CpuAffinity(new LinkedHashMap<>());

    private final Map<String, BitSet> cpus;

    private CpuAffinity(final Map<String, BitSet> cpus)
    {
        this.cpus = cpus;
    }

    /**
     * @param spec {@code stage=cpus} entries separated by {@code ;}; null or blank for none.
     * @return the parsed affinity.
     * @throws IllegalArgumentException naming what is wrong with the spec.
     */
    public static CpuAffinity parse(final String spec)
    {
        if (spec == null || spec.isBlank())
        {
            return NONE;
        }
        final Map<String, BitSet> cpus = new LinkedHashMap<>();
        for (final String entry : spec.split(";"))
        {
            if (entry.isBlank())
            {
                continue;
            }
            final int eq = entry.indexOf('=');
            if (eq < 0)
            {
                throw new IllegalArgumentException("CPU affinity entry '" + entry.trim() +
                    "' is not stage=cpus (e.g. decode=2 or verify=3-6)");
            }
            final String stage = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!DEDICATED_STAGES.contains(stage) && !SHARED_STAGES.contains(stage) && !DRIVER.equals(stage))
            {
                throw new IllegalArgumentException("CPU affinity names an unknown stage '" + stage +
                    "': the stages are " + DEDICATED_NAMES +
                    " (DEDICATED) or shared, verify (SHARED), and driver (the embedded media driver)");
            }
            if (cpus.containsKey(stage))
            {
                throw new IllegalArgumentException("CPU affinity names the stage '" + stage + "' twice");
            }
            try
            {
                cpus.put(stage, parseList(entry.substring(eq + 1)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("CPU affinity of '" + stage + "': " + ex.getMessage());
            }
        }
        return new CpuAffinity(cpus);
    }

    /**
     * @param list CPUs in {@code taskset}'s list form, e.g. {@code 2,4-7}.
     * @return them.
     * @throws IllegalArgumentException saying what is wrong with the list.
     */
    static BitSet parseList(final String list)
    {
        final BitSet set = new BitSet();
        if (list.isBlank())
        {
            throw new IllegalArgumentException("lists no CPUs");
        }
        for (final String part : list.split(","))
        {
            final String range = part.trim();
            final int dash = range.indexOf('-');
            final int from = cpu(dash < 0 ? range : range.substring(0, dash));
            final int to = dash < 0 ? from : cpu(range.substring(dash + 1));
            if (to < from)
            {
                throw new IllegalArgumentException("range " + range + " runs backwards");
            }
            set.set(from, to + 1);
        }
        return set;
    }

    private static int cpu(final String text)
    {
        try
        {
            final int cpu = Integer.parseInt(text.trim());
            if (cpu >= 0 && cpu <= MAX_CPU)
            {
                return cpu;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // Reported below.
        }
        throw new IllegalArgumentException("'" + text.trim() + "' is not a CPU number (0.." + MAX_CPU + ")");
    }

    /** @return true when no stage is pinned. */
    public boolean isEmpty()
    {
        return cpus.isEmpty();
    }

    /**
     * Check the named stages have threads of their own in this mode.
     *
     * @param mode the node's threading mode.
     * @throws IllegalArgumentException naming a stage that has no thread of its own.
     */
    public void validate(final ThreadingMode mode)
    {
        if (cpus.isEmpty())
        {
            return;
        }
        if (mode == ThreadingMode.INVOKER)
        {
            throw new IllegalArgumentException("CPU affinity is set, but the INVOKER mode has no threads to pin");
        }
        final List<String> stages = mode == ThreadingMode.SHARED ? SHARED_STAGES : DEDICATED_STAGES;
        for (final String stage : cpus.keySet())
        {
            if (!stages.contains(stage) && !DRIVER.equals(stage))
            {
                throw new IllegalArgumentException("CPU affinity names '" + stage + "', which has no thread of its " +
                    "own in the " + mode + " mode; its threads are " + String.join(", ", stages));
            }
        }
    }

    /**
     * Check every CPU named is one this process may run on.
     *
     * @param allowed the CPUs the process may run on.
     * @throws IllegalArgumentException naming a stage with a CPU outside them.
     */
    public void validate(final BitSet allowed)
    {
        for (final Map.Entry<String, BitSet> entry : cpus.entrySet())
        {
            final BitSet outside = (BitSet)entry.getValue().clone();
            outside.andNot(allowed);
            if (!outside.isEmpty())
            {
                throw new IllegalArgumentException("CPU affinity of '" + entry.getKey() + "' names CPU(s) " +
                    list(outside) + ", but this process may only run on " + list(allowed));
            }
        }
    }

    /**
     * @param stage  a stage's name, as in the spec.
     * @param thread which of the stage's threads (the verifier's index; 0 for the others).
     * @return the CPUs that thread may run on, or null when it is not pinned.
     */
    public BitSet cpusFor(final String stage, final int thread)
    {
        final BitSet set = cpus.get(stage);
        if (set == null)
        {
            return null;
        }
        if (!stage.equals("verify"))
        {
            return (BitSet)set.clone();
        }
        int cpu = set.nextSetBit(0);
        for (int i = thread % set.cardinality(); i > 0; i--)
        {
            cpu = set.nextSetBit(cpu + 1);
        }
        final BitSet one = new BitSet();
        one.set(cpu);
        return one;
    }

    /**
     * @param set CPUs.
     * @return them in {@code taskset}'s list form, e.g. {@code 2,4-7}.
     */
    public static String list(final BitSet set)
    {
        final StringBuilder text = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; )
        {
            final int to = set.nextClearBit(from) - 1;
            text.append(text.length() == 0 ? "" : ",").append(from);
            if (to > from)
            {
                text.append('-').append(to);
            }
            from = set.nextSetBit(to + 1);
        }
        return text.toString();
    }

    /** @return the spec in canonical form ({@code stage=cpus;...}), empty when none is pinned. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, BitSet> entry : cpus.entrySet())
        {
            text.append(text.length() == 0 ? "" : ";").append(entry.getKey()).append('=')
                .append(list(entry.getValue()));
        }
        return text.toString();
    }
}
