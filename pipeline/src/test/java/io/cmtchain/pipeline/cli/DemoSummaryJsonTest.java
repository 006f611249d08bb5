package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.util.Json;
import io.cmtchain.transport.loadgen.LoadGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt demo --json} holds what the demo prints: the load generator's summary (which it prints as JSON), the plan
 * it prints before sending, and its own summary lines.
 */
class DemoSummaryJsonTest
{
    @Test
    void shouldHoldEveryFieldOfTheLoadGeneratorsSummaryAndWhatTheDemoPrints()
    {
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        summary.tps = 1234.5;
        summary.steadyTps = 1300.2;
        summary.p50Ms = 1.5;
        summary.p99Ms = 9.25;
        summary.p999Ms = 12.125;
        summary.maxMs = 20.5;
        summary.percentiles = "{\"50.0\":1.500,\"100.0\":20.500}";
        summary.submitted = 4000;
        summary.committed = 3990;
        summary.rejected = 7;
        summary.lost = 3;
        summary.backPressured = 11;
        summary.dueUnsent = 13;
        summary.rate = 2000;
        summary.sendSeconds = 2.001;
        summary.interrupted = false;
        summary.rejects = "{\"BAD_NONCE\":7}";
        summary.byType = "{\"TRANSFER\":{\"OK\":3000},\"TOKEN_TRANSFER\":{\"OK\":990,\"BAD_NONCE\":7}}";
        summary.setup = "{\"TOKEN_CREATE\":{\"OK\":50}}";
        summary.mix = "transfer=3,token=1";

        final String text = DemoCommand.summaryJson(summary, "udp", 2, 1, 50, 1000,
            "{\"verify\": {\"events_per_busy_s\": 100.0, \"busy_share\": 0.5000, \"threads\": 2}}",
            "{\"node verify\": 1.500, \"verify_per_cpu_s\": 66.7}", "{\"verify\": 2}");
        assertTrue(text.endsWith("}\n"), text);
        final Map<?, ?> demo = (Map<?, ?>)Json.parse(text);
        final Map<?, ?> loadgen = (Map<?, ?>)Json.parse(summary.toJson());
        for (final Map.Entry<?, ?> field : loadgen.entrySet())
        {
            assertTrue(demo.containsKey(field.getKey()), "no " + field.getKey() + " in " + text);
            assertEquals(field.getValue(), demo.get(field.getKey()), field.getKey() + " in " + text);
        }
        // The plan it prints before sending ('sending 2,000 tx/s for 2 s from 50 senders to 1,000 recipient addresses
        // (first 1 s are warm-up)'), and the seconds each stage limited ('limiting stage, seconds as the deepest
        // queue').
        assertEquals(2L, demo.get("seconds"), text);
        assertEquals(1L, demo.get("warmup_seconds"), text);
        assertEquals(50L, demo.get("senders"), text);
        assertEquals(1000L, demo.get("accounts"), text);
        assertEquals(Map.of("verify", 2L), demo.get("limiting_stage_seconds"), text);
        // The demo's own, as before.
        assertEquals("udp", demo.get("transport"), text);
        assertTrue(((Map<?, ?>)demo.get("cpu")).containsKey("verify_per_cpu_s"), text);
        assertTrue(((Map<?, ?>)demo.get("stages")).containsKey("verify"), text);
    }

    @Test
    void shouldWriteNullAndPrintNoLatencyWhenNoneWasMeasured()
    {
        // As the load generator leaves a run stopped within its warm-up: 150 committed, none in the percentiles. The
        // demo printed 'latency p50 0.00 ms, p99 0.00 ms, ...' and wrote "p50_ms": 0.000 for latencies not measured.
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        summary.tps = 150.3;
        summary.submitted = 150;
        summary.committed = 150;
        summary.rate = 200;
        summary.interrupted = true;
        summary.rejects = "{}";
        summary.byType = "{\"TRANSFER\":{\"OK\":150}}";
        summary.mix = "transfer=1";

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoCommand.printSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8), summary, "{verify=1}");
        final String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("demo: 150 sent, 150 committed, 0 rejected, 0 lost: 150 tx/s committed; " +
            "latency p50 -, p99 -, p99.9 -, max - (none measured: the 150 committed were all intended in the " +
            "warm-up, which the percentiles leave out)\n"), printed);
        assertFalse(printed.contains(" ms"), printed);

        final String text = DemoCommand.summaryJson(summary, "ipc", 20, 2, 50, 1000, "{}", "{}", "{}");
        // Every field in its place, the latencies null and the distribution empty.
        assertTrue(text.contains("\"transport\": \"ipc\", \"p50_ms\": null, \"p99_ms\": null, \"p999_ms\": null, " +
            "\"submitted\": 150, "), text);
        assertTrue(text.contains("\"percentiles\": {}, \"max_ms\": null, \"back_pressured\": 0, "), text);
        assertTrue(text.contains("\"steady_tps\": null, "), text);
        final Map<?, ?> demo = (Map<?, ?>)Json.parse(text);
        for (final String field : new String[] {"p50_ms", "p99_ms", "p999_ms", "max_ms"})
        {
            assertTrue(demo.containsKey(field), field + " in " + text);
            assertNull(demo.get(field), field + " in " + text);
        }
        assertEquals(Map.of(), demo.get("percentiles"), text);
        for (final Map.Entry<?, ?> field : ((Map<?, ?>)Json.parse(summary.toJson())).entrySet())
        {
            assertTrue(demo.containsKey(field.getKey()), "no " + field.getKey() + " in " + text);
            assertEquals(field.getValue(), demo.get(field.getKey()), field.getKey() + " in " + text);
        }
    }
}
