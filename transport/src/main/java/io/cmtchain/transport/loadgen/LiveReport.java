package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.tx.ReceiptStatuses;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's live line, once a second of the sending and drain time: what was sent and committed since the
 * last line, the totals, the latency percentiles of the receipts that arrived since, and the receipts outstanding.
 * Times are given by the caller (its clock), so the lines follow from the calls alone.
 */
final class LiveReport
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final PrintStream out;
    private final Histogram interval = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    private final long[] intervalRejects = new long[256];
    private long startNs;
    private long nextReportNs;
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
     * Print the line that is due.
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
        out.printf(Locale.ROOT, "[%3ds] sent %d/s  committed %d/s  total committed %d rejected %d  " +
            "p50 %.2f ms  p99 %.2f ms  pending %d%s%n",
            elapsedS, submitted - lastSubmitted, committed - lastCommitted, committed, rejected,
            interval.getValueAtPercentile(50) / 1e6, interval.getValueAtPercentile(99) / 1e6,
            pending, rejectsText(intervalRejects, " rejects "));
        lastSubmitted = submitted;
        lastCommitted = committed;
        interval.reset();
        Arrays.fill(intervalRejects, 0);
        nextReportNs += SECOND_NS;
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
