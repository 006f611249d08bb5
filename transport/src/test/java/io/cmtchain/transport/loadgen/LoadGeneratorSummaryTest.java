package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A summary's latency figures as the console and the JSON give them, measured or not: the demo prints
 * {@link LoadGenerator.Summary#latencyText()} and writes the same fields, so a figure that was not measured must read
 * as such in both, and one that was must read as itself.
 */
class LoadGeneratorSummaryTest
{
    @Test
    void shouldGiveNoLatencyAndSayWhyWhenNoneWasMeasured()
    {
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        assertFalse(summary.latencyMeasured());
        assertEquals("nothing was committed", summary.noLatencyReason());
        assertEquals("latency p50 -, p99 -, p99.9 -, max - (none measured: nothing was committed)",
            summary.latencyText());

        summary.committed = 1_500;
        assertFalse(summary.latencyMeasured());
        assertEquals("latency p50 -, p99 -, p99.9 -, max - (none measured: the 1,500 committed were all intended " +
            "in the warm-up, which the percentiles leave out)", summary.latencyText());
        assertTrue(summary.toJson().contains(
            "\"steady_tps\":null,\"p50_ms\":null,\"p99_ms\":null,\"p999_ms\":null,\"max_ms\":null,"),
            summary.toJson());
    }

    @Test
    void shouldGiveTheLatenciesAsMeasuredAndNoReasonWhenSomeWere()
    {
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        summary.committed = 1_500;
        summary.steadyTps = 1234.56;
        summary.p50Ms = 1.254;
        summary.p99Ms = 2.5;
        summary.p999Ms = 3.125;
        summary.maxMs = 40;
        assertTrue(summary.latencyMeasured());
        assertNull(summary.noLatencyReason());
        assertEquals("latency p50 1.25 ms, p99 2.50 ms, p99.9 3.13 ms, max 40.00 ms", summary.latencyText());
        assertTrue(summary.toJson().contains(
            "\"steady_tps\":1234.6,\"p50_ms\":1.254,\"p99_ms\":2.500,\"p999_ms\":3.125,\"max_ms\":40.000,"),
            summary.toJson());
        // A latency of 0 ms (under the histogram's resolution) is one measured, not none.
        summary.p50Ms = 0;
        assertTrue(summary.latencyMeasured());
    }

    @Test
    void shouldWriteAFigureNotMeasuredAsNullAndAnyOtherAsANumber()
    {
        assertEquals("null", LoadGenerator.Summary.jsonMs(Double.NaN));
        assertEquals("0.000", LoadGenerator.Summary.jsonMs(0));
        assertEquals("1.235", LoadGenerator.Summary.jsonMs(1.2346));
        assertEquals("null", LoadGenerator.Summary.jsonTps(Double.NaN));
        assertEquals("0.0", LoadGenerator.Summary.jsonTps(0));
        assertEquals("1000.5", LoadGenerator.Summary.jsonTps(1000.46));
    }
}
