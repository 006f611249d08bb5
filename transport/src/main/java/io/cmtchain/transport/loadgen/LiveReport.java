package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.tx.ReceiptStatuses;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's live line, once a second of the sending and drain time: the rates sent and committed since the
 * last line, the totals, the latency percentiles of the receipts that arrived since, and the receipts outstanding.
 * Times are given by the caller (its clock), so the lines follow from the calls alone.
 * <p>
 * A line's rates are over the time since the last line, which is a second unless the sending loop was held up (a GC
 * pause, the process descheduled): the line after a stall covers the whole stall, says how long that was
 * ({@code over 3.5 s:}), and the next line comes at the next whole second of the run at least half a second away (so
 * every line but the partial last one covers at least half a second). One line per second passed, with zeros for the
 * seconds of the stall, was the other choice: it would print a screenful of zeros after a long stall, and give those
 * seconds a pending count and latencies nobody measured then.
 */
final class LiveReport
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    /** A line that covers a second give or take less than this does not say how long it covers. */
    private static final long SPAN_TOLERANCE_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final PrintStream out;
    private final Histogram interval = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    private final long[] intervalRejects = new long[256];
    private long startNs;
    private long nextReportNs;
    private long lastReportNs;
    private long lastSubmitted;
    private long lastCommitted;

    /**
     * @param out where the lines go.
     */
    LiveReport(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * @param startNs the start of the sending time; the first line is due a second after it.
     */
    void start(final long startNs)
    {
        this.startNs = startNs;
        nextReportNs = startNs + SECOND_NS;
        lastReportNs = startNs;
        lastSubmitted = 0;
        lastCommitted = 0;
        interval.reset();
        Arrays.fill(intervalRejects, 0);
    }

    /**
     * @param latencyNs of a committed transaction, from its intended send time.
     */
    void onCommitted(final long latencyNs)
    {
        interval.recordValue(latencyNs);
    }

    /**
     * @param status of a rejected transaction's receipt.
     */
    void onRejected(final int status)
    {
        intervalRejects[status & 0xFF]++;
    }

    /**
     * @param nowNs now.
     * @return whether a line is due.
     */
    boolean due(final long nowNs)
    {
        return nowNs - nextReportNs >= 0;
    }

    /**
     * Print the line that is due: its rates over the time since the last line, and that time when it is not a
     * second; the next line is then due at the next whole second of the run at least half a second away.
     *
     * @param nowNs     now.
     * @param submitted transactions sent so far.
     * @param committed committed so far.
     * @param rejected  rejected so far.
     * @param pending   sent and still without a receipt.
     */
    void report(final long nowNs, final long submitted, final long committed, final long rejected, final int pending)
    {
        final long elapsedS = (nowNs - startNs) / SECOND_NS;
        final long spanNs = nowNs - lastReportNs;
        final double spanS = spanNs / 1e9;
        out.printf(Locale.ROOT, "[%3ds]%s sent %.0f/s  committed %.0f/s  total committed %d rejected %d  " +
            "p50 %s  p99 %s  pending %d%s%n",
            elapsedS, Math.abs(spanNs - SECOND_NS) < SPAN_TOLERANCE_NS ? "" :
            String.format(Locale.ROOT, " over %.1f s:", spanS),
            (submitted - lastSubmitted) / spanS, (committed - lastCommitted) / spanS, committed, rejected,
            latencyText(50), latencyText(99), pending, rejectsText(intervalRejects, " rejects "));
        lastReportNs = nowNs;
        lastSubmitted = submitted;
        lastCommitted = committed;
        interval.reset();
        Arrays.fill(intervalRejects, 0);
        // Not a second after the last one due: after a stall, those would be lines of zeros for seconds passed. And
        // not within half a second: after a stall that ended just before a whole second, a rate over the moment left
        // would be noise.
        nextReportNs = startNs + (elapsedS + 1) * SECOND_NS;
        if (nextReportNs - nowNs < SECOND_NS / 2)
        {
            nextReportNs += SECOND_NS;
        }
    }

    /**
     * At the end of the run, print the tail since the last line (the drain, most often), marked partial, with its
     * duration and its counts rather than rates (it may last from a microsecond to a second and a half, since the line
     * after one that came late is due at the next whole second at least half a second away; over a part of a second a
     * rate says little); nothing when the run ended at a line's time.
     *
     * @param nowNs     the end of the run.
     * @param submitted transactions sent.
     * @param committed committed.
     * @param rejected  rejected.
     * @param pending   sent and still without a receipt (lost, if the drain timed out).
     */
    void finish(final long nowNs, final long submitted, final long committed, final long rejected, final int pending)
    {
        final long spanNs = nowNs - lastReportNs;
        if (spanNs <= 0)
        {
            return;
        }
        out.printf(Locale.ROOT, "[%6.2fs] partial %.2f s: sent %d  committed %d  total committed %d rejected %d  " +
            "p50 %s  p99 %s  pending %d%s%n",
            (nowNs - startNs) / 1e9, spanNs / 1e9, submitted - lastSubmitted, committed - lastCommitted, committed,
            rejected, latencyText(50), latencyText(99), pending, rejectsText(intervalRejects, " rejects "));
        lastReportNs = nowNs;
        lastSubmitted = submitted;
        lastCommitted = committed;
        interval.reset();
        Arrays.fill(intervalRejects, 0);
    }

    /**
     * @param percentile of the latencies of the transactions committed since the last line.
     * @return it in ms, or "-" when none was committed: there is no latency, and 0.00 ms would read as one measured.
     */
    private String latencyText(final double percentile)
    {
        return 0 == interval.getTotalCount() ? "-" :
            String.format(Locale.ROOT, "%.2f ms", interval.getValueAtPercentile(percentile) / 1e6);
    }

    private static String rejectsText(final long[] byStatus, final String prefix)
    {
        final StringBuilder sb = new StringBuilder();
        for (int status = 1; status < byStatus.length; status++)
        {
            if (byStatus[status] > 0)
            {
                sb.append(sb.length() == 0 ? prefix : " ")
                    .append(ReceiptStatuses.name(status))
                    .append('=').append(byStatus[status]);
            }
        }
        return sb.toString();
    }
}
