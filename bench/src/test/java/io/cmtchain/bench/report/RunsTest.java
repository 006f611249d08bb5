package io.cmtchain.bench.report;

import io.cmtchain.transport.loadgen.LoadGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunsTest
{
    @Test
    void shouldNotTakeARunThatMeasuredNoLatencyAsZeroInTheMedians()
    {
        // Three runs of the demo: two measured latencies, one committed only what was intended in its warm-up (a
        // stop within it), so its summary has no latency. Its "p50_ms":0.000 made the median p50 1.5 ms of (0, 1.5,
        // 2.5), and the minimum 0.
        final Map<String, Stats> stats = new LinkedHashMap<>();
        Runs.collect(measured(1.5, 10).toJson(), stats);
        Runs.collect(notMeasured().toJson(), stats);
        Runs.collect(measured(2.5, 30).toJson(), stats);

        final Stats p50 = stats.get("p50_ms");
        assertEquals(List.of(1.5, 2.5), p50.values(), "p50_ms over the runs that measured it");
        assertEquals(1, p50.notMeasured());
        assertEquals(2.0, p50.median());
        assertEquals("2.00 (1.50 – 2.50) of 2 runs, not measured in 1", p50.format("%,.2f"));
        assertEquals(List.of(10.0, 30.0), stats.get("max_ms").values());
        assertEquals(List.of(10.0, 30.0), stats.get("percentiles.100.0").values(), "the plotted distribution");
        assertEquals(3, stats.get("committed").count(), "the other figures are every run's");

        // No run measured a latency: no median (the summary's figure is null), and the report says so.
        final Map<String, Stats> none = new LinkedHashMap<>();
        Runs.collect(notMeasured().toJson(), none);
        Runs.collect(notMeasured().toJson(), none);
        final Stats p99 = none.get("p99_ms");
        assertEquals(0, p99.count());
        assertTrue(Double.isNaN(p99.median()));
        assertEquals("not measured in any of the 2 runs", p99.format("%,.2f"));
        assertTrue(none.keySet().stream().noneMatch(key -> key.startsWith("percentiles.")), none.toString());
        assertEquals("n/a", new Stats().format("%,.2f"), "a figure no run gave at all, as before");
    }

    private static LoadGenerator.Summary measured(final double p50Ms, final double maxMs)
    {
        final LoadGenerator.Summary summary = common();
        summary.p50Ms = p50Ms;
        summary.p99Ms = maxMs / 2;
        summary.p999Ms = maxMs / 1.5;
        summary.maxMs = maxMs;
        summary.percentiles = String.format(Locale.ROOT, "{\"50.0\":%.3f,\"100.0\":%.3f}", p50Ms, maxMs);
        return summary;
    }

    /** @return a summary as the load generator leaves it when it recorded no latency. */
    private static LoadGenerator.Summary notMeasured()
    {
        return common();
    }

    private static LoadGenerator.Summary common()
    {
        final LoadGenerator.Summary summary = new LoadGenerator.Summary();
        summary.tps = 1000;
        summary.submitted = 150;
        summary.committed = 150;
        summary.rate = 200;
        summary.rejects = "{}";
        return summary;
    }
}
