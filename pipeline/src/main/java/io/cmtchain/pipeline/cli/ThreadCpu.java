package io.cmtchain.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads, grouped by role, from Linux's {@code /proc/PID/task/TID/stat}: where the cores went
 * during a run (a stage's busy wall time also counts the time it was preempted; this does not). Elsewhere than on
 * Linux every reading is empty.
 */
final class ThreadCpu
{
    /** Clock ticks per second of {@code utime}/{@code stime}: {@code USER_HZ}, 100 on every Linux architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu()
    {
    }

    /**
     * @param pid of the process.
     * @return CPU seconds so far per group: verify (signature threads), cmt (every other cmt thread: stages, load
     *         generator), aeron (media driver), jvm (JIT, GC), other; empty when /proc cannot be read.
     */
    static Map<String, Double> read(final long pid)
    {
        final Map<String, Double> groups = new LinkedHashMap<>();
        for (final String group : new String[] {"verify", "cmt", "aeron", "jvm", "other"})
        {
            groups.put(group, 0.0);
        }
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks))
        {
            return Map.of();
        }
        try (Stream<Path> threads = Files.list(tasks))
        {
            threads.forEach(task ->
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).trim();
                    final String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    final double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                    groups.merge(group(name), seconds, Double::sum);
                }
                catch (final IOException | RuntimeException ex)
                {
                    // The thread ended between listing and reading: it has nothing more to add.
                }
            });
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
        return groups;
    }

    /**
     * @param before an earlier reading.
     * @param after  a later one.
     * @param wallS  seconds between them.
     * @return cores used per group between the readings.
     */
    static Map<String, Double> cores(
        final Map<String, Double> before, final Map<String, Double> after, final double wallS)
    {
        final Map<String, Double> cores = new LinkedHashMap<>();
        for (final Map.Entry<String, Double> entry : after.entrySet())
        {
            final Double start = before.get(entry.getKey());
            if (start != null && wallS > 0)
            {
                cores.put(entry.getKey(), (entry.getValue() - start) / wallS);
            }
        }
        return cores;
    }

    private static String group(final String name)
    {
        if (name.startsWith("cmt-verify"))
        {
            return "verify";
        }
        if (name.contains("cmt-") || name.startsWith("[cmt") || name.startsWith("io.cmtchain") || name.equals("main") ||
            name.equals("java"))
        {
            return "cmt";
        }
        if (name.contains("aeron") || name.contains("driver") || name.contains("conductor") || name.startsWith("/"))
        {
            return "aeron";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ") || name.startsWith("G1 ") || name.startsWith("GC ") ||
            name.startsWith("VM ") || name.contains("Compiler"))
        {
            return "jvm";
        }
        return "other";
    }
}
