package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import io.cmtchain.pipeline.CmtCommand;
import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.NodeCounters;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt stat} on a counters file laid out as a node's: what each line says, and when the command stops.
 */
class StatCommandTest
{
    @TempDir
    File dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * A node writes its counters file only once it has recovered its chain (half a minute, say): until then stat said
     * "no node running" of a node that was.
     */
    @Test
    void shouldSayANodeIsStartingWhenItHoldsTheDirectoryButHasNoCountersFileYet() throws IOException
    {
        final File lock = new File(dir, "lock");
        try (FileChannel channel = FileChannel.open(lock.toPath(), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE); FileLock held = channel.lock())
        {
            assertTrue(held.isValid());
            assertEquals(1, command().execute("stat", "--data", dir.getPath(), "--once"));
        }
        assertEquals("cmt stat: process " + ProcessHandle.current().pid() + " holds " + dir + " but has written no " +
            "counters file yet: a node starting (recovering its chain), or a replay; try again shortly",
            err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, command().execute("stat", "--data", dir.getPath(), "--once"));
        assertTrue(err.toString().startsWith("cmt stat: no node running: no counters file"), err.toString());
    }

    @Test
    void shouldPrintRatesSinceTheLastPrintButNoneForGaugesAndBusyTimeAsAShareOfTheClock()
    {
        try (CountersFile file = CountersFile.create(dir, 16, System.currentTimeMillis() - 42_000))
        {
            final CountersManager manager = file.newManager();
            final AtomicCounter accepted = manager.newCounter("ingress: accepted", NodeCounters.TYPE_ID);
            final AtomicCounter busy =
                manager.newCounter("verify-0" + NodeCounters.BUSY_NS_SUFFIX, NodeCounters.TYPE_ID);
            final AtomicCounter depth =
                manager.newCounter("verify-0" + NodeCounters.QUEUE_DEPTH_SUFFIX, NodeCounters.TYPE_ID);
            final AtomicCounter height = manager.newCounter("ordering: block height", NodeCounters.TYPE_ID);
            final AtomicCounter last = manager.newCounter("journal: last block ms", NodeCounters.TYPE_ID);
            final AtomicCounter still = manager.newCounter("receipts: BAD_NONCE", NodeCounters.TYPE_ID);
            file.ready();
            accepted.set(10_000);
            busy.set(3_000_000_000L);
            depth.set(7);
            height.set(5);
            last.set(1_000);
            still.set(4);

            final Int2ObjectHashMap<long[]> previous = new Int2ObjectHashMap<>();
            final PrintWriter writer = new PrintWriter(out);
            StatCommand.print(writer, file, file.newReader(), previous, 0);
            final List<String> first = out.toString().lines().toList();
            final String pidUp = " - cmt node pid " + ProcessHandle.current().pid() + ", up ";
            assertTrue(first.get(0).contains(pidUp) && first.get(0).endsWith(" s"), first.get(0));
            final long up = Long.parseLong(first.get(0).substring(first.get(0).indexOf(pidUp) + pidUp.length(),
                first.get(0).length() - 2));
            assertTrue(up >= 42 && up <= 45, "started 42 s before the file was made: " + first.get(0));
            assertEquals(String.format("  %-50s %16s %14s", "counter", "value", "per second"), first.get(1));
            // The first print has nothing to take a rate from.
            assertEquals(line("ingress: accepted", "10,000", ""), first.get(2));
            assertEquals(line("verify-0: busy ns", "3,000,000,000", ""), first.get(3));
            assertEquals(line("receipts: BAD_NONCE", "4", ""), first.get(7));

            accepted.getAndAdd(3_000);
            busy.getAndAdd(250_000_000);
            depth.set(9);
            height.set(6);
            last.set(2_000);
            out.getBuffer().setLength(0);
            StatCommand.print(writer, file, file.newReader(), previous, 0.5);
            final List<String> second = out.toString().lines().toList();
            assertEquals(line("ingress: accepted", "13,000", "6,000"), second.get(2), "3,000 in half a second");
            assertEquals(line("verify-0: busy ns", "3,250,000,000", "50.0 %"), second.get(3),
                "busy a quarter second of half a second");
            assertEquals(line("verify-0: queue depth", "9", ""), second.get(4), "a gauge has no rate");
            assertEquals(line("ordering: block height", "6", ""), second.get(5), "nor a height");
            assertEquals(line("journal: last block ms", "2,000", ""), second.get(6), "nor a last value");
            assertEquals(line("receipts: BAD_NONCE", "4", "0"), second.get(7), "unchanged");
            assertEquals("  limiting stage: " + NodeCounters.limitingStage(file.newReader(), 64), second.get(8));
            assertEquals(10, second.size(), out.toString());

            // Rates are from the print before, not from the start.
            out.getBuffer().setLength(0);
            StatCommand.print(writer, file, file.newReader(), previous, 2);
            assertEquals(line("ingress: accepted", "13,000", "0"), out.toString().lines().toList().get(2));
        }
    }

    @Test
    void shouldPrintUntilTheNodeExitsAndSaySo() throws Exception
    {
        try (CountersFile file = CountersFile.create(dir, 4, System.currentTimeMillis()))
        {
            file.newManager().newCounter("ingress: accepted", NodeCounters.TYPE_ID).set(1);
            file.ready();
            final CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> command().execute("stat", "--data", dir.getPath(), "--interval-ms", "1"));
            Await.until(() -> prints() >= 3, 20_000, out::toString);
            assertTrue(!status.isDone(), "stopped while the node runs: " + out);

            final long gone = exitedPid();
            setPid(gone);
            assertEquals(0, status.get(20, TimeUnit.SECONDS));
            assertTrue(out.toString().endsWith("cmt stat: node (pid " + gone + ") exited\n"), out::toString);
        }
    }

    @Test
    void shouldRefuseAFileWhoseNodeHasExitedOrIsNotCompleteAndABadInterval() throws Exception
    {
        try (CountersFile file = CountersFile.create(dir, 4, System.currentTimeMillis()))
        {
            // Not ready: the magic a node writes once its counters are allocated is missing.
            assertEquals(1, command().execute("stat", "--data", dir.getPath(), "--once"));
            assertEquals("cmt stat: " + file.file() + " is not a complete cmt counters file (a node starting, or " +
                "another version)", err.toString().strip());

            file.ready();
            err.getBuffer().setLength(0);
            assertEquals(1, command().execute("stat", "--data", dir.getPath(), "--interval-ms", "0", "--once"));
            assertEquals("cmt stat: --interval-ms must be >= 1", err.toString().strip());

            final long gone = exitedPid();
            setPid(gone);
            err.getBuffer().setLength(0);
            assertEquals(1, command().execute("stat", "--data", dir.getPath(), "--once"));
            assertEquals("cmt stat: no node running on " + dir + " (pid " + gone + ", which wrote " +
                CountersFile.FILENAME + ", has exited)", err.toString().strip());
            assertEquals("", out.toString());
        }
    }

    private CommandLine command()
    {
        return CmtCommand.commandLine(out, err);
    }

    @Test
    void shouldWidenTheLabelColumnToTheLongestLabelAndKeepTheValuesInOneColumn()
    {
        try (CountersFile file = CountersFile.create(dir, 16, System.currentTimeMillis()))
        {
            final CountersManager manager = file.newManager();
            final String longLabel = "transport: client connects refused (too many clients)";
            manager.newCounter("ingress: accepted", NodeCounters.TYPE_ID).set(12);
            manager.newCounter(longLabel, NodeCounters.TYPE_ID).set(3);
            file.ready();

            StatCommand.print(new PrintWriter(out), file, file.newReader(), new Int2ObjectHashMap<>(), 0);
            final List<String> lines = out.toString().lines().toList();
            final String row = "  %-" + longLabel.length() + "s %16s %14s";
            assertTrue(longLabel.length() > StatCommand.MIN_LABEL_WIDTH);
            assertEquals(String.format(row, "counter", "value", "per second"), lines.get(1));
            assertEquals(String.format(row, "ingress: accepted", "12", ""), lines.get(2));
            assertEquals(String.format(row, longLabel, "3", ""), lines.get(3));
        }
    }

    private int prints()
    {
        return (int)out.toString().lines().filter(l -> l.contains(" - cmt node pid ")).count();
    }

    private static String line(final String label, final String value, final String rate)
    {
        return String.format("  %-50s %16s %14s", label, value, rate);
    }

    private void setPid(final long pid) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(new File(dir, CountersFile.FILENAME), "rw"))
        {
            raf.seek(CountersFile.PID_OFFSET);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(pid).array());
        }
    }

    private static long exitedPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        assertEquals(0, process.waitFor());
        return process.pid();
    }
}
