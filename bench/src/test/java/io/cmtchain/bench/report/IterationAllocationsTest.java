package io.cmtchain.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IterationAllocationsTest
{
    @Test
    void shouldTakeTheLargestOfTheMeasuredIterationsOfAllForks()
    {
        final Map<String, IterationAllocations.Largest> result = IterationAllocations.parse(List.of(
            "# Benchmark: io.cmtchain.bench.pipeline.PipelineBenchmark.offer",
            "# Parameters: (pipeline = disruptor-dedicated-park, work = full)",
            "",
            "# Run progress: 0.00% complete, ETA 00:16:00",
            "# Fork: 1 of 2",
            "# Warmup Iteration   1: ",
            "[disruptor-dedicated-park] 1,717,248 receipts, 912.5 bytes allocated per transaction by all threads",
            "573978.293 ops/s",
            "Iteration   1: ",
            "[disruptor-dedicated-park] 1,802,092 receipts, 3.5 bytes allocated per transaction by all threads",
            "600987.981 ops/s",
            "Iteration   2: ",
            "[disruptor-dedicated-park] 1,775,616 receipts, 12.0 bytes allocated per transaction by all threads",
            "591396.838 ops/s",
            "",
            "# Run progress: 2.50% complete, ETA 00:15:59",
            "# Fork: 2 of 2",
            "# Warmup Iteration   1: ",
            "[disruptor-dedicated-park] 1,675,197 receipts, 700.0 bytes allocated per transaction by all threads",
            "560586.821 ops/s",
            "Iteration   1: ",
            "[disruptor-dedicated-park] 1.951.744 receipts, 7,25 bytes allocated per transaction by all threads",
            "651180.583 ops/s",
            "",
            "# Benchmark: io.cmtchain.bench.pipeline.PipelineBenchmark.offer",
            "# Parameters: (pipeline = abq, work = handoff)",
            "# Fork: 1 of 1",
            "# Warmup Iteration   1: ",
            "[abq] 1,000 receipts, 50.0 bytes allocated per transaction by all threads",
            "Iteration   1: ",
            "[abq] 1,000 receipts, 40.0 bytes allocated per transaction by all threads",
            "1000.0 ops/s",
            "",
            "# Benchmark: io.cmtchain.bench.pipeline.QueueMechanicsBenchmark.publish",
            "# Parameters: (queue = abq)",
            "Iteration   1: ",
            "25000000.000 ops/s"));

        assertEquals(List.of("pipeline=disruptor-dedicated-park,work=full", "pipeline=abq,work=handoff"),
            List.copyOf(result.keySet()));
        final IterationAllocations.Largest park = result.get("pipeline=disruptor-dedicated-park,work=full");
        assertEquals(12.0, park.bytesPerTransaction());
        assertEquals(3, park.iterations());
        assertEquals(2, park.warmups());
        final IterationAllocations.Largest abq = result.get("pipeline=abq,work=handoff");
        assertEquals(40.0, abq.bytesPerTransaction());
        assertEquals(1, abq.iterations());
        assertEquals(1, abq.warmups());
    }

    @Test
    void shouldNameTheVariantByItsLabelWithoutAParametersLine()
    {
        final Map<String, IterationAllocations.Largest> result = IterationAllocations.parse(List.of(
            "Iteration   1: ",
            "[abq] 8,123,456 receipts, 0.0 bytes allocated per transaction by all threads",
            "[abq] 1 receipts, 1.0 bytes allocated per transaction by all threads (not under an iteration heading)"));
        assertEquals(0.0, result.get("pipeline=abq").bytesPerTransaction());
        assertEquals(1, result.get("pipeline=abq").iterations());
        assertTrue(IterationAllocations.parse(List.of("[abq] 1 receipts, 1.0 bytes allocated per transaction by " +
            "all threads")).isEmpty());
    }
}
