package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.NodeTransport;
import io.cmtchain.transport.TransportContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest
{
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    File temp;

    @Test
    void shouldSignSendersNoncesInOrderAndReloadTheSameSetFromCache() throws IOException
    {
        final TransactionMix mix = new TransferMix(new RecipientSampler(100, 0, 0, 1), 100, 1);
        final File cache = new File(temp, "cache");
        final byte[] first;
        try (SignedTransactions txs = SignedTransactions.loadOrSign(1001, 3, 5, 30, mix, cache, 2, QUIET))
        {
            final TransactionFlyweight flyweight = new TransactionFlyweight();
            for (int i = 0; i < 30; i++)
            {
                flyweight.wrap(txs.buffer(), txs.offset(i), txs.length(i));
                assertEquals(0, flyweight.check(1001));
                assertEquals(5 + i / 3, flyweight.nonce());
                final byte[] key = new byte[32];
                txs.buffer().getBytes(flyweight.publicKeyOffset(), key);
                assertArrayEquals(Genesis.devnetAccountKey(i % 3).publicKey(), key);
            }
            first = hash(txs, 29);
        }
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SignedTransactions txs = SignedTransactions.loadOrSign(
            1001, 3, 5, 30, mix, cache, 2, new PrintStream(log)))
        {
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("from cache"));
            assertArrayEquals(first, hash(txs, 29));
        }

        // A cache file whose magic is gone (as one cut short by a crash is) is not taken: the set is signed again.
        final File[] files = cache.listFiles((dir, name) -> name.endsWith(".txs"));
        assertEquals(1, files.length);
        try (RandomAccessFile file = new RandomAccessFile(files[0], "rw"))
        {
            file.write(0);
        }
        final ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (SignedTransactions txs = SignedTransactions.loadOrSign(
            1001, 3, 5, 30, mix, cache, 2, new PrintStream(again)))
        {
            final String text = again.toString(StandardCharsets.UTF_8);
            assertFalse(text.contains("from cache"), text);
            assertTrue(text.contains("cached in " + files[0]), text);
            assertArrayEquals(first, hash(txs, 29));
        }
    }

    @Test
    void shouldRunAgainstAnEchoNodeWithNothingLost() throws IOException
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(1001);
        try (NodeTransport node = echoNode(sink))
        {
            final File json = new File(temp, "summary.json");
            final File record = new File(temp, "committed.txt");
            // The measured phase's start is told once, connected and before the first transaction is sent.
            final long[] sentAtStart = {-1, 0};
            final LoadGenerator.Summary summary = LoadGenerator.run(new LoadGenerator.Config()
                .onSendingStart(() ->
                {
                    sentAtStart[0] = sink.count();
                    sentAtStart[1]++;
                })
                .count(3000)
                .rate(0)
                .seconds(30)
                .senders(10)
                .accounts(1000)
                .zipf(1.0)
                .ingressChannel(TransportContext.IPC_CHANNEL)
                .responseChannel(TransportContext.IPC_CHANNEL)
                .aeronDirectoryName(node.aeronDirectoryName())
                .jsonFile(json)
                .recordFile(record), QUIET);

            assertEquals(3000, summary.submitted);
            assertEquals(3000, summary.committed);
            assertEquals(0, summary.lost);
            assertFalse(summary.interrupted);
            assertEquals(0, sentAtStart[0]);
            assertEquals(1, sentAtStart[1]);
            final String text = Files.readString(json.toPath());
            assertTrue(text.contains("\"interrupted\":false,"), text);
            for (final String field : new String[] {"tps", "p50_ms", "p99_ms", "p999_ms", "submitted", "committed",
                "rejected", "lost"})
            {
                assertTrue(text.contains("\"" + field + "\":"), field);
            }
            final List<String> lines = Files.readAllLines(record.toPath());
            assertEquals(3000, lines.size());
            final Set<String> distinct = new HashSet<>(lines);
            assertEquals(3000, distinct.size());
        }
    }

    @Test
    void shouldStopSendingWhenAskedAndSummariseWhatWasSent() throws Exception
    {
        try (NodeTransport node = echoNode())
        {
            // Asked before it sends: nothing is sent.
            final LoadGenerator.Stop early = new LoadGenerator.Stop();
            assertFalse(early.request());
            final LoadGenerator.Summary none = LoadGenerator.run(config(node, 600).stop(early), QUIET);
            assertTrue(none.interrupted);
            assertEquals(0, none.submitted);
            assertEquals(0, none.dueUnsent);

            // Asked once the first second's line is out (of 5 s at 600/s): sending stops there, and the receipts
            // outstanding are awaited.
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            final LoadGenerator.Stop stop = new LoadGenerator.Stop();
            final boolean[] wasSending = new boolean[1];
            final Thread asker = new Thread(() ->
            {
                while (!bytes.toString(StandardCharsets.UTF_8).contains("[  1s]"))
                {
                    Thread.onSpinWait();
                }
                wasSending[0] = stop.request();
            });
            asker.start();
            final LoadGenerator.Summary summary = LoadGenerator.run(config(node, 600).stop(stop), out);
            asker.join();
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(wasSending[0]);
            assertTrue(summary.interrupted, text);
            assertTrue(summary.submitted >= 500 && summary.submitted < 3_000, text);
            assertEquals(summary.submitted, summary.committed, text);
            assertEquals(0, summary.lost, text);
            assertEquals(0, summary.dueUnsent, text);
            assertTrue(summary.sendSeconds < 30, text);
            assertTrue(text.contains("\"interrupted\":true,"), text);
            assertTrue(text.contains(String.format(Locale.ROOT, "loadgen: stopped early, after %.1f s of sending and " +
                "%,d of the 3,000 transactions: the figures cover those sent%n", summary.sendSeconds,
                summary.submitted)), text);
        }
    }

    @Test
    void shouldWriteNullLatenciesAndNoZeroWhenNothingWasCommittedInTheMeasuredWindow() throws Exception
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(1001);
        try (NodeTransport node = echoNode(sink))
        {
            // Stopped within the warm-up (Ctrl-C): the 3,000 at 200/s are all intended in the first 15 s and the
            // warm-up is 59 s, so what was committed before the stop is left out of the percentiles however late the
            // stop comes. An empty histogram answers 0: the summary said "p50_ms":0.000 for a latency never measured.
            final File json = new File(temp, "summary.json");
            final LoadGenerator.Stop stop = new LoadGenerator.Stop();
            final AtomicBoolean over = new AtomicBoolean();
            final Thread asker = new Thread(() ->
            {
                while (sink.count() < 100 && !over.get())
                {
                    Thread.onSpinWait();
                }
                stop.request();
            });
            asker.start();
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary;
            try
            {
                summary = LoadGenerator.run(config(node, 200).warmupSeconds(59).stop(stop).jsonFile(json),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            }
            finally
            {
                over.set(true);
                asker.join();
            }
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(summary.interrupted, text);
            assertTrue(summary.committed >= 100, text);
            assertEquals(summary.submitted, summary.committed, text);
            assertNoLatency(summary.toJson());
            assertNoLatency(Files.readString(json.toPath()));
            // Sending ended within the warm-up: no steady state either, null rather than 0 tx/s.
            assertTrue(summary.toJson().startsWith("{\"tps\":") && summary.toJson().contains(",\"steady_tps\":null,"),
                summary.toJson());
            assertFalse(summary.latencyMeasured(), text);
            assertTrue(text.contains(summary.toJson()), text);
            assertTrue(text.contains(String.format(Locale.ROOT, "loadgen: no latency measured (p50_ms, p99_ms, " +
                "p999_ms and max_ms are null): the %,d committed were all intended in the warm-up, which the " +
                "percentiles leave out (--warmup 59 s)%n", summary.committed)), text);
            assertEquals(String.format(Locale.ROOT, "latency p50 -, p99 -, p99.9 -, max - (none measured: the %,d " +
                "committed were all intended in the warm-up, which the percentiles leave out)", summary.committed),
                summary.latencyText());
        }

        // A node that answers nothing: nothing committed, nothing measured.
        final TransportContext ctx = new TransportContext().dir(new File(temp, "silent")).chainId(1001)
            .ingressChannel("aeron:udp?endpoint=localhost:0");
        try (NodeTransport node = NodeTransport.launch(ctx, (buffer, offset, length, clientId) -> 0, null))
        {
            node.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(config(node, 200).count(10).seconds(1)
                .drainTimeoutMs(100), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, summary.committed, text);
            assertEquals(10, summary.lost, text);
            assertNoLatency(summary.toJson());
            assertTrue(text.contains(summary.toJson()), text);
            assertTrue(text.contains("loadgen: warning: no transaction was committed"), text);
            assertEquals("latency p50 -, p99 -, p99.9 -, max - (none measured: nothing was committed)",
                summary.latencyText());
        }
    }

    /** The summary's latency fields are null, in their places, and its distribution empty: none is 0. */
    private static void assertNoLatency(final String json)
    {
        assertTrue(json.contains(",\"p50_ms\":null,\"p99_ms\":null,\"p999_ms\":null,\"max_ms\":null,\"submitted\":"),
            json);
        final Map<?, ?> parsed = (Map<?, ?>)Json.parse(json);
        for (final String field : new String[] {"p50_ms", "p99_ms", "p999_ms", "max_ms"})
        {
            assertTrue(parsed.containsKey(field), field + " in " + json);
            assertNull(parsed.get(field), field + " in " + json);
        }
        assertEquals(Map.of(), parsed.get("percentiles"), json);
    }

    @Test
    void shouldGiveTheLineAfterAStallOfTheSendingLoopItsRatesOverTheTimeItCovers()
    {
        try (NodeTransport node = echoNode())
        {
            // The run's clock jumps 3 s forward 1.5 s after sending starts, as the loop sees a 3 s stall of its own (a
            // GC pause, the process descheduled): it finds the 1 s line's successor 3.5 s after it.
            final long[] firstNs = {0};
            final NanoClock stalling = () ->
            {
                final long nowNs = System.nanoTime();
                if (0 == firstNs[0])
                {
                    firstNs[0] = nowNs;
                }
                return nowNs - firstNs[0] >= 1_500_000_000L ? nowNs + 3_000_000_000L : nowNs;
            };
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(config(node, 600).nanoClock(stalling),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(3_000, summary.committed, text);

            final Matcher line = Pattern.compile("(?m)^\\[ *(\\d+)s\\]( over (\\d+\\.\\d) s:)? sent ").matcher(text);
            long lastLabel = 0;
            final List<String> spans = new ArrayList<>();
            while (line.find())
            {
                final long label = Long.parseLong(line.group(1));
                assertTrue(label > lastLabel, "a second told twice, or out of order: " + line.group() + " in\n" + text);
                lastLabel = label;
                spans.add(line.group(1) + "s" + (null == line.group(3) ? "" : " over " + line.group(3)));
            }
            assertTrue(spans.get(0).startsWith("1s"), text);
            // The line after the jump covers it all: 3.5 s, less the 1 s line's own delay if it was late.
            final Matcher after = Pattern.compile("(\\d+)s over (\\d+\\.\\d)").matcher(spans.get(1));
            assertTrue(after.matches(), text);
            assertTrue(Double.parseDouble(after.group(2)) >= 3.0, text);
        }
    }

    @Test
    void shouldTellTheRunsTailAfterItsLastFullSecondLive()
    {
        try (NodeTransport node = echoNode())
        {
            // 300 at 200/s: the sending ends 1.5 s in, after the 1 s line.
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(config(node, 200).count(300),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(300, summary.committed, text);
            final Matcher line = Pattern.compile("(?m)^\\[.*\\] .*total committed (\\d+) .*$").matcher(text);
            String last = null;
            while (line.find())
            {
                last = line.group();
            }
            assertTrue(null != last && last.contains("total committed 300 "), "the last live line: " + last + " in\n" +
                text);
            assertTrue(last.matches("\\[ *\\d+\\.\\d\\ds\\] partial 0\\.\\d\\d s: sent \\d+  committed \\d+  .*"),
                last);
        }
    }

    /** @return a node transport that commits every transaction it gets, running, in this test's directory. */
    private NodeTransport echoNode()
    {
        return echoNode(new EchoNode.EchoSink(1001));
    }

    /** @return a node transport that commits every transaction it gets through this sink. */
    private NodeTransport echoNode(final EchoNode.EchoSink sink)
    {
        final NodeTransport node = NodeTransport.launch(new TransportContext().dir(new File(temp, "node")).chainId(1001)
            .ingressChannel("aeron:udp?endpoint=localhost:0"), sink, null);
        sink.receiptSink(node.receiptSink());
        node.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
        return node;
    }

    private static LoadGenerator.Config config(final NodeTransport node, final double rate)
    {
        return new LoadGenerator.Config()
            .rate(rate)
            .count(3_000)
            .seconds(60)
            .senders(10)
            .accounts(100)
            .signingThreads(1)
            .ingressChannel(TransportContext.IPC_CHANNEL)
            .responseChannel(TransportContext.IPC_CHANNEL)
            .aeronDirectoryName(node.aeronDirectoryName());
    }

    @Test
    void shouldCountAsDueUnsentWhatWasDueBeforeAnEarlyEnd()
    {
        // 1,000/s: 1,500 are intended in the first 1.5 s; none before a negative end, none flat out.
        assertEquals(100, LoadGenerator.dueUnsentBefore(1000, 1_500_000_000L, 36_000, 1_400));
        assertEquals(0, LoadGenerator.dueUnsentBefore(1000, 1_500_000_000L, 36_000, 1_600));
        assertEquals(1, LoadGenerator.dueUnsentBefore(1000, 1, 36_000, 0));
        assertEquals(0, LoadGenerator.dueUnsentBefore(1000, -1, 36_000, 0));
        assertEquals(0, LoadGenerator.dueUnsentBefore(0, 1_500_000_000L, 36_000, 0));
        assertEquals(LoadGenerator.dueUnsent(1000, 2, 36_000, 10), LoadGenerator.dueUnsentBefore(1000, 2_000_000_000L,
            36_000, 10));
    }

    @Test
    void shouldSendWhatWasDueBeforeTheEndEvenWhenLateUpToTheGrace()
    {
        final long end = 5_000_000_000L;
        final long grace = LoadGenerator.LATE_SEND_GRACE_NS;
        assertFalse(LoadGenerator.timeUp(end - 1, end, end - 10), "before the end");
        assertFalse(LoadGenerator.timeUp(end + 1_000, end, end - 10), "due before the end, a little late: send it");
        assertFalse(LoadGenerator.timeUp(end + grace - 1, end, end - 10), "still within the grace");
        assertTrue(LoadGenerator.timeUp(end + grace, end, end - 10), "the grace is over");
        assertTrue(LoadGenerator.timeUp(end, end, end), "due at the end: not this run's");
        assertTrue(LoadGenerator.timeUp(end + 1, end, end + 1), "flat out: due now, after the end");
    }

    @Test
    void shouldCountAsDueUnsentOnlyWhatWasIntendedBeforeTheEndAtAFixedRate()
    {
        assertEquals(0, LoadGenerator.dueUnsent(0, 10, 1_000_000, 5), "flat out: nothing is due at a time");
        assertEquals(0, LoadGenerator.dueUnsent(1000, 2, 2000, 2000), "all sent");
        assertEquals(1999, LoadGenerator.dueUnsent(1000, 2, 2000, 1), "i / rate < seconds: i in 0..1999");
        assertEquals(500, LoadGenerator.dueUnsent(1000, 2, 500, 0), "no more than the count");
        assertEquals(3, LoadGenerator.dueUnsent(2.5, 1, 100, 0), "intended at 0, 0.4 and 0.8 s");
        assertEquals(0, LoadGenerator.dueUnsent(1000, 1, 5000, 1000), "the rest of a larger count was not due");
        // 1e9 / 29 is rounded down, so the send loop intends the 30th transaction 1 ns before the end of the second.
        assertEquals(999_999_999, LoadGenerator.intendedOffsetNs(29, 1e9 / 29));
        assertEquals(30, LoadGenerator.dueUnsent(29, 1, 100, 0), "as the send loop counts, not ceil(29 x 1)");
        assertEquals(29, LoadGenerator.dueUnsent(29, 1, 29, 0), "still no more than the count");
        // 4.15 x 60 is 249.00000000000003 in doubles, but the 250th (index 249) is intended at the end, not before.
        assertEquals(249, LoadGenerator.dueUnsent(4.15, 60, 1000, 0), "as the send loop counts, not ceil(4.15 x 60)");
        assertEquals(30, LoadGenerator.intendedBefore(29, 1, Long.MAX_VALUE),
            "--count 0 at --rate 29 signs 30 a second");
    }

    @Test
    void shouldReportAndWarnOfTransactionsDueButNeverSentWhenTheNodeHoldsBack() throws IOException
    {
        final File nodeDir = new File(temp, "node");
        final TransportContext ctx = new TransportContext().dir(nodeDir).chainId(1001)
            .ingressChannel("aeron:udp?endpoint=localhost:0");
        // Takes every transaction and answers none: the client's 8 pending slots fill, and the rest stays unsent.
        try (NodeTransport node = NodeTransport.launch(ctx, (buffer, offset, length, clientId) -> 0, null))
        {
            node.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(new LoadGenerator.Config()
                .rate(200)
                .seconds(1)
                .senders(10)
                .accounts(1000)
                .maxPending(8)
                .drainTimeoutMs(100)
                .ingressChannel(TransportContext.IPC_CHANNEL)
                .responseChannel(TransportContext.IPC_CHANNEL)
                .aeronDirectoryName(node.aeronDirectoryName()), new PrintStream(text, true, StandardCharsets.UTF_8));

            assertEquals(8, summary.submitted);
            assertEquals(192, summary.dueUnsent);
            assertEquals(8, summary.lost);
            assertEquals(0, summary.committed);
            final String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("\"due_unsent\":192,"), out);
            assertTrue(out.contains("loadgen: warning: 192 transactions due before the end of sending at --rate 200 " +
                "were never sent (8 were)"), out);
        }
    }

    @Test
    void shouldWriteRejectsAsJsonEvenForAStatusTheSchemaDoesNotList()
    {
        // A newer node may answer with a status this schema does not list (the client passes the raw code on): it is
        // named STATUS_<code>, and the rejects object must still be JSON, as the summary and --json are.
        final long[] byStatus = new long[256];
        assertEquals("{}", LoadGenerator.rejectsJson(byStatus));
        byStatus[ReceiptStatus.BAD_NONCE.value()] = 2;
        byStatus[200] = 3;
        assertEquals("{\"BAD_NONCE\":2,\"STATUS_200\":3}", LoadGenerator.rejectsJson(byStatus));
    }

    @Test
    void shouldPrintAFractionalRateAsGiven() throws IOException
    {
        // --rate 0.04 (one every 25 s) is taken; the summary said "rate":0.0, which reads as flat out.
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        summary.rate = 0.04;
        summary.rejects = "{}";
        assertTrue(summary.toJson().contains(",\"rate\":0.04,"), summary.toJson());
        summary.rate = 20_000;
        assertTrue(summary.toJson().contains(",\"rate\":20000.0,"), summary.toJson());

        // One every two seconds for 1 s: one transaction, sent at once. The start line said "at 0/s", and the
        // warning "at --rate 1" for a rate of 0.5.
        final File nodeDir = new File(temp, "node");
        final TransportContext ctx = new TransportContext().dir(nodeDir).chainId(1001)
            .ingressChannel("aeron:udp?endpoint=localhost:0");
        try (NodeTransport node = NodeTransport.launch(ctx, (buffer, offset, length, clientId) -> 0, null))
        {
            node.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            // A pending limit of 1 and --count 2 at 2.5/s: the first is sent and never answered, the second (due at
            // 0.4 s) stays unsent, so the warning is printed.
            final LoadGenerator.Summary run = LoadGenerator.run(config(node, 2.5).count(2).seconds(1).maxPending(1)
                .drainTimeoutMs(0), new PrintStream(text, true, StandardCharsets.UTF_8));
            final String out = text.toString(StandardCharsets.UTF_8);
            assertEquals(1, run.dueUnsent, out);
            assertTrue(out.contains(", sending 2 transactions at 2.5/s over 1 s"), out);
            assertTrue(out.contains("\"rate\":2.5,"), out);
            assertTrue(out.contains("were never sent (1 were): "), out);
            assertTrue(out.contains(" at --rate 2.5 were never sent"), out);
        }
    }

    @Test
    void shouldLeaveOutOfThePercentilesExactlyTheTransactionsIntendedInTheWarmup()
    {
        // The receipt's tag carries the type in the intended time's low 6 bits: with the end of the warm-up at any
        // nanosecond, a transaction intended 1 ns before it was counted by a type above the end's low bits, and one
        // intended at it left out by a type below them.
        for (final long nowNs : new long[] {1_000_000_037L, 1_000_000_000L, -5_000_000_001L, Long.MAX_VALUE - 7})
        {
            final long warmupEndNs = LoadGenerator.alignedStartNs(nowNs) + 2_000_000_000L;
            for (long intendedNs = warmupEndNs - 130; intendedNs < warmupEndNs + 130; intendedNs++)
            {
                for (final int type : new int[] {0, 1, 2, 37, 63})
                {
                    assertEquals(intendedNs - warmupEndNs >= 0,
                        LoadGenerator.afterWarmup(LoadGenerator.tag(intendedNs, type), warmupEndNs),
                        "start " + nowNs + ", intended " + (intendedNs - warmupEndNs) + " ns after the end, type " +
                        type);
                }
            }
            assertTrue(nowNs - LoadGenerator.alignedStartNs(nowNs) < 64, "the start moves less than the tag's bits");
        }
    }

    @Test
    void shouldRefuseSendersBeyondTheGenesisDevnetAccounts()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadGenerator.run(new LoadGenerator.Config().senders(1_000_000), QUIET));
        assertTrue(ex.getMessage().contains("--senders"));
    }

    @Test
    void shouldNameAGenesisFileItCannotReadOrUse() throws IOException
    {
        final File missing = new File(temp, "missing.json");
        assertEquals("cannot read genesis " + missing + ": no such file or directory",
            assertThrows(IllegalArgumentException.class, () -> LoadGenerator.loadGenesis(missing)).getMessage());
        final File cut = new File(temp, "cut.json");
        Files.writeString(cut.toPath(), "{\"chainId\": 5,");
        assertEquals("genesis file " + cut + ": genesis is not valid JSON: unexpected end of input at line 1, " +
            "column 15", assertThrows(GenesisException.class, () -> LoadGenerator.loadGenesis(cut)).getMessage());
    }

    private static byte[] hash(final SignedTransactions txs, final int index)
    {
        final byte[] out = new byte[32];
        assertTrue(txs.length(index) >= TransactionDescriptor.MIN_LENGTH);
        TxHash.compute(new Sha256(), txs.buffer(), txs.offset(index), txs.length(index), out, 0);
        assertEquals(64, Hex.encode(out).length());
        return out;
    }
}
