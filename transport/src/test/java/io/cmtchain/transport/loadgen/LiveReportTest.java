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

    private String take()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }
}
