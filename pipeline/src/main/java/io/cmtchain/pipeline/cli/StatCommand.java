package io.cmtchain.pipeline.cli;

import io.cmtchain.journal.DataDirectory;
import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.NodeCounters;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * {@code cmt stat}: map a running node's counters file read only and print every counter once a second, with its
 * rate per second, until Ctrl-C (or once with {@code --once}).
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = "Print a running node's counters every second with per-second rates, until Ctrl-C.")
public final class StatCommand implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--data", paramLabel = "DIR",
        description = "the node's data directory (default: ${DEFAULT-VALUE}: cmt.data.dir when set, else " +
            "<tmp>/cmt-<user>)")
    File dataDir = NodeContext.configuredDataDir();

    @Option(names = "--once", description = "print once and exit")
    boolean once;

    @Option(names = "--interval-ms", paramLabel = "MS", description = "between prints (default: ${DEFAULT-VALUE})")
    long intervalMs = 1000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (intervalMs < 1)
        {
            err.println("cmt stat: --interval-ms must be >= 1");
            return 1;
        }
        final File file = new File(dataDir, CountersFile.FILENAME);
        if (!file.exists())
        {
            final long holder = lockHolder(new File(dataDir, DataDirectory.LOCK_FILE).toPath());
            // A node writes its counters file once it has recovered its chain, which can take half a minute.
            err.println(holder > 0 ? "cmt stat: process " + holder + " holds " + dataDir + " but has written no " +
                "counters file yet: a node starting (recovering its chain), or a replay; try again shortly" :
                "cmt stat: no node running: no counters file " + file);
            return 1;
        }
        final CountersFile countersFile = CountersFile.openReadOnly(dataDir);
        if (countersFile == null)
        {
            err.println("cmt stat: " + file + " is not a complete cmt counters file (a node starting, or another " +
                "version)");
            return 1;
        }
        try
        {
            if (!countersFile.isOwnerAlive())
            {
                err.println("cmt stat: no node running on " + dataDir + " (pid " + countersFile.ownerPid() +
                    ", which wrote " + file.getName() + ", has exited)");
                return 1;
            }
            final CountersReader reader = countersFile.newReader();
            final Int2ObjectHashMap<long[]> previous = new Int2ObjectHashMap<>();
            long previousNs = System.nanoTime();
            boolean first = true;
            while (true)
            {
                final long nowNs = System.nanoTime();
                final double seconds = (nowNs - previousNs) / 1e9;
                print(out, countersFile, reader, previous, first ? 0 : seconds);
                previousNs = nowNs;
                first = false;
                if (once)
                {
                    return 0;
                }
                Thread.sleep(intervalMs);
                if (!countersFile.isOwnerAlive())
                {
                    out.println("cmt stat: node (pid " + countersFile.ownerPid() + ") exited");
                    out.flush();
                    return 0;
                }
            }
        }
        finally
        {
            countersFile.close();
        }
    }

    /**
     * @param lockFile a data directory's lock file.
     * @return the pid of the process that holds its lock, from {@code /proc/locks} (which lists it without taking
     *         it, as trying the lock would, and a node starting meanwhile would be refused), or -1 when none does or
     *         it cannot be told (not Linux).
     */
    static long lockHolder(final Path lockFile)
    {
        try
        {
            final long inode = ((Number)Files.getAttribute(lockFile, "unix:ino")).longValue();
            final long dev = ((Number)Files.getAttribute(lockFile, "unix:dev")).longValue();
            // The kernel's encoding of a device number, as /proc/locks prints it: major:minor:inode, in hex, decimal.
            final long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
            final long minor = (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
            final String file = String.format("%02x:%02x:%d", major, minor, inode);
            for (final String line : Files.readAllLines(Path.of("/proc/locks")))
            {
                // "1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; a waiter's line has "->" and is not a holder.
                final String[] fields = line.strip().split("\\s+");
                if (fields.length > 5 && !line.contains("->") && fields[5].equals(file))
                {
                    return Long.parseLong(fields[4]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // No such file, no unix attributes or no /proc: nothing to tell.
        }
        return -1;
    }

    /** The narrowest the label column is. */
    static final int MIN_LABEL_WIDTH = 50;

    /**
     * Print every counter once: its value, and its rate since the last print (none for gauges, a share of the
     * wall clock for busy time, none at all on the first print).
     *
     * @param out          where.
     * @param countersFile the node's file, for its pid and start time.
     * @param reader       of its counters.
     * @param previous     each counter's value at the last print, updated.
     * @param seconds      since the last print; 0 for the first.
     */
    static void print(
        final PrintWriter out,
        final CountersFile countersFile,
        final CountersReader reader,
        final Int2ObjectHashMap<long[]> previous,
        final double seconds)
    {
        final long uptimeS = (System.currentTimeMillis() - countersFile.startMs()) / 1000;
        out.printf("%s - cmt node pid %d, up %d s%n", LocalTime.now().format(TIME), countersFile.ownerPid(), uptimeS);
        // The label column is as wide as the longest label (at least 50), so that the values stay in one column.
        final int[] width = {MIN_LABEL_WIDTH};
        reader.forEach((counterId, typeId, keyBuffer, label) -> width[0] = Math.max(width[0], label.length()));
        final String row = "  %-" + width[0] + "s %16s %14s%n";
        out.printf(row, "counter", "value", "per second");
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = reader.getCounterValue(counterId);
            final long[] last = previous.computeIfAbsent(counterId, id -> new long[] {value});
            final boolean gauge = label.endsWith(NodeCounters.QUEUE_DEPTH_SUFFIX) || label.contains("last ") ||
                label.contains("height");
            final boolean busy = label.endsWith(NodeCounters.BUSY_NS_SUFFIX);
            final String rate = seconds <= 0 || gauge ? "" : busy ?
                String.format("%12.1f %%", (value - last[0]) / seconds / 1e7) :
                String.format("%,14.0f", (value - last[0]) / seconds);
            out.printf(row, label, String.format("%,d", value), rate);
            last[0] = value;
        });
        out.printf("  limiting stage: %s%n%n", NodeCounters.limitingStage(reader, 64));
        out.flush();
    }
}
