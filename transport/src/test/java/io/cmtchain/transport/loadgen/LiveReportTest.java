package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live line, driven with explicit times: what each line says follows from the calls alone.
 */
class LiveReportTest
{
    /** Any start: the lines count from it, not from 0. */
    private static final long START_NS = 7_000_000_123L;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LiveReport live = new LiveReport(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void shouldPrintEachSecondWhatWasSentAndCommittedInItWithItsLatencies()
    {
        live.start(START_NS);
        assertFalse(live.due(START_NS + SECOND_NS - 1));
        assertTrue(live.due(START_NS + SECOND_NS));
        live.onCommitted(2 * MS);
        live.onCommitted(4 * MS);
        live.onRejected(ReceiptStatus.BAD_NONCE.value());
        live.report(START_NS + SECOND_NS, 1000, 2, 1, 997);
        assertEquals("[  1s] sent 1000/s  committed 2/s  total committed 2 rejected 1  p50 2.00 ms  p99 4.00 ms  " +
            "pending 997 rejects BAD_NONCE=1\n", take());

        assertFalse(live.due(START_NS + 2 * SECOND_NS - 1));
        assertTrue(live.due(START_NS + 2 * SECOND_NS));
        live.onCommitted(3 * MS);
        live.report(START_NS + 2 * SECOND_NS, 2000, 3, 1, 1997);
        assertEquals("[  2s] sent 1000/s  committed 1/s  total committed 3 rejected 1  p50 3.00 ms  p99 3.00 ms  " +
            "pending 1997\n", take());
    }

    @Test
    void shouldGiveALineAfterAStallTheRatesOverTheTimeItCoversAndNoCatchUpLines()
    {
        live.start(START_NS);
        live.report(START_NS + SECOND_NS, 1000, 1000, 0, 0);
        take();

        // The loop held up from 1 s to 4.5 s (a GC pause, the process descheduled): 3,500 sent and committed since.
        final long afterStallNs = START_NS + 4_500 * MS;
        assertTrue(live.due(afterStallNs));
        live.onCommitted(2 * MS);
        live.report(afterStallNs, 4500, 4500, 0, 0);
        assertEquals("[  4s] over 3.5 s: sent 1000/s  committed 1000/s  total committed 4500 rejected 0  " +
            "p50 2.00 ms  p99 2.00 ms  pending 0\n", take());
        // The seconds the stall passed get no line of zeros: the next is at the next whole second, over what is left.
        assertFalse(live.due(afterStallNs), "a line for a second the stall passed");
        assertFalse(live.due(START_NS + 5 * SECOND_NS - 1));
        assertTrue(live.due(START_NS + 5 * SECOND_NS));
        live.onCommitted(MS);
        live.report(START_NS + 5 * SECOND_NS, 5000, 5000, 0, 0);
        assertEquals("[  5s] over 0.5 s: sent 1000/s  committed 1000/s  total committed 5000 rejected 0  " +
            "p50 1.00 ms  p99 1.00 ms  pending 0\n", take());
    }

    @Test
    void shouldNotFollowALineThatEndedAStallNearlyASecondLateWithOneOverAMomentsTime()
    {
        live.start(START_NS);
        live.report(START_NS + SECOND_NS, 1000, 1000, 0, 0);
        take();
        // A stall ended at 2.98 s: its line covers 1.98 s; the next whole second is 20 ms away, over which a rate
        // (50 receipts drained: 2,500/s) would be noise, so the next line is at 4 s, over 1.02 s.
        live.onCommitted(MS);
        live.report(START_NS + 2_980 * MS, 2980, 2980, 0, 0);
        assertEquals("[  2s] over 2.0 s: sent 1000/s  committed 1000/s  total committed 2980 rejected 0  " +
            "p50 1.00 ms  p99 1.00 ms  pending 0\n", take());
        assertFalse(live.due(START_NS + 3 * SECOND_NS), "a line over 20 ms");
        assertFalse(live.due(START_NS + 4 * SECOND_NS - 1));
        assertTrue(live.due(START_NS + 4 * SECOND_NS));
        live.onCommitted(MS);
        live.report(START_NS + 4 * SECOND_NS, 4000, 4000, 0, 0);
        assertEquals("[  4s] sent 1000/s  committed 1000/s  total committed 4000 rejected 0  " +
            "p50 1.00 ms  p99 1.00 ms  pending 0\n", take());
    }

    @Test
    void shouldGiveALineALittleLateItsRateOverTheTimeItCoversWithoutMarkingIt()
    {
        live.start(START_NS);
        // 1,010 sent in the 1.01 s to a line 10 ms late: 1,000/s; the next, on time, covers 0.99 s.
        live.onCommitted(MS);
        live.report(START_NS + 1_010 * MS, 1010, 1010, 0, 0);
        assertEquals("[  1s] sent 1000/s  committed 1000/s  total committed 1010 rejected 0  p50 1.00 ms  " +
            "p99 1.00 ms  pending 0\n", take());
        assertTrue(live.due(START_NS + 2 * SECOND_NS));
        live.onCommitted(MS);
        live.report(START_NS + 2 * SECOND_NS, 2000, 2000, 0, 0);
        assertEquals("[  2s] sent 1000/s  committed 1000/s  total committed 2000 rejected 0  p50 1.00 ms  " +
            "p99 1.00 ms  pending 0\n", take());
    }

    @Test
    void shouldTellTheTailAfterTheLastFullSecondAsAPartialLineWithItsDurationAndCounts()
    {
        live.start(START_NS);
        live.onCommitted(MS);
        live.report(START_NS + 2 * SECOND_NS, 2000, 2000, 0, 0);
        take();
        // The run ends 0.43 s later, the last 500 receipts drained: their counts, not a rate over a part of a second.
        live.onCommitted(2 * MS);
        live.onRejected(ReceiptStatus.BAD_NONCE.value());
        live.finish(START_NS + 2_430 * MS, 2501, 2500, 1, 0);
        assertEquals("[  2.43s] partial 0.43 s: sent 501  committed 500  total committed 2500 rejected 1  " +
            "p50 2.00 ms  p99 2.00 ms  pending 0 rejects BAD_NONCE=1\n", take());

        // Ended at a line's time: nothing is left to tell.
        live.start(START_NS);
        live.report(START_NS + SECOND_NS, 1000, 1000, 0, 0);
        take();
        live.finish(START_NS + SECOND_NS, 1000, 1000, 0, 0);
        assertEquals("", take());

        // After a line that came 0.6 s late, the next is due at 4 s: a run that ends at 3.9 s has a tail of 1.3 s, told
        // as a partial line too (README: from a microsecond to a second and a half).
        live.start(START_NS);
        live.report(START_NS + 2_600 * MS, 2600, 2600, 0, 0);
        take();
        live.finish(START_NS + 3_900 * MS, 3900, 3900, 0, 0);
        assertEquals("[  3.90s] partial 1.30 s: sent 1300  committed 1300  total committed 3900 rejected 0  " +
            "p50 -  p99 -  pending 0\n", take());

        // Ended before the first full second: the partial line is the only one.
        live.start(START_NS);
        live.onCommitted(MS);
        live.finish(START_NS + 250 * MS, 300, 300, 0, 0);
        assertEquals("[  0.25s] partial 0.25 s: sent 300  committed 300  total committed 300 rejected 0  " +
            "p50 1.00 ms  p99 1.00 ms  pending 0\n", take());
    }

    @Test
    void shouldGiveASecondWithoutACommittedTransactionNoLatency()
    {
        // Sent and rejected, none committed: no latency was measured, which 'p50 0.00 ms' would read as one.
        live.start(START_NS);
        live.onRejected(ReceiptStatus.BAD_NONCE.value());
        live.report(START_NS + SECOND_NS, 1000, 0, 1, 999);
        assertEquals("[  1s] sent 1000/s  committed 0/s  total committed 0 rejected 1  p50 -  p99 -  pending 999 " +
            "rejects BAD_NONCE=1\n", take());
        live.finish(START_NS + 1_500 * MS, 1000, 0, 1, 999);
        assertEquals("[  1.50s] partial 0.50 s: sent 0  committed 0  total committed 0 rejected 1  p50 -  p99 -  " +
            "pending 999\n", take());
    }

    @Test
    void shouldMarkALineThatIsFiftyMillisecondsOffASecondButNotOneLessOff()
    {
        // Within 50 ms of a second, a line does not say how long it covers; from 50 ms on, it does.
        live.start(START_NS);
        live.onCommitted(MS);
        live.report(START_NS + SECOND_NS + 50 * MS - 1, 1050, 1050, 0, 0);
        assertEquals("[  1s] sent 1000/s  committed 1000/s  total committed 1050 rejected 0  p50 1.00 ms  " +
            "p99 1.00 ms  pending 0\n", take());
        live.start(START_NS);
        live.onCommitted(MS);
        live.report(START_NS + SECOND_NS + 50 * MS, 1050, 1050, 0, 0);
        assertEquals("[  1s] over 1.1 s: sent 1000/s  committed 1000/s  total committed 1050 rejected 0  " +
            "p50 1.00 ms  p99 1.00 ms  pending 0\n", take());
    }

    @Test
    void shouldStartAfreshAfterARunThatEndedWithoutItsPartialLine()
    {
        // A run that stopped before its first line (the loop ended by an exception, so without finish): its
        // latencies and rejects are not the next run's.
        live.start(START_NS);
        live.onCommitted(900 * MS);
        live.onRejected(ReceiptStatus.BAD_NONCE.value());
        live.start(START_NS);
        live.report(START_NS + SECOND_NS, 1000, 0, 0, 1000);
        assertEquals("[  1s] sent 1000/s  committed 0/s  total committed 0 rejected 0  p50 -  p99 -  pending 1000\n",
            take());
    }

    private String take()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }
}
