package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.NodeCounters;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
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
            err.println("cmt stat: no node running: no counters file " + file);
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
