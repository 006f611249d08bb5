package io.cmtchain.journal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tells an operator how far a recovery's re-execution has got: once {@link #INTERVAL_NS} has passed since it began,
 * and then at most once per interval, a line such as
 * {@code recovery: block 120,000 of 450,000 re-executed (26%), 41,000 blocks/s}. A re-execution that finishes within
 * the first interval prints nothing.
 */
public final class RecoveryProgress implements JournalReplay.Listener
{
    /** The least time between two lines, and before the first. */
    public static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);

    private final Consumer<String> log;
    private final LongSupplier nanoClock;
    private final long intervalNs;
    private final long fromHeight;
    private final long lastHeight;
    private final long startNs;
    private long lastReportNs;

    /**
     * Start measuring now.
     *
     * @param log        receives the progress lines.
     * @param nanoClock  the clock, {@code System::nanoTime} but in tests.
     * @param intervalNs the least time between two lines, and before the first.
     * @param fromHeight the chain's height before re-execution begins.
     * @param lastHeight the journal's last block, where re-execution ends.
     */
    public RecoveryProgress(
        final Consumer<String> log, final LongSupplier nanoClock, final long intervalNs, final long fromHeight,
        final long lastHeight)
    {
        this.log = log;
        this.nanoClock = nanoClock;
        this.intervalNs = intervalNs;
        this.fromHeight = fromHeight;
        this.lastHeight = lastHeight;
        this.startNs = nanoClock.getAsLong();
        this.lastReportNs = startNs;
    }

    @Override
    public void onBlock(final long height, final int transactions)
    {
        final long now = nanoClock.getAsLong();
        if (now - lastReportNs < intervalNs)
        {
            return;
        }
        lastReportNs = now;
        final double seconds = (now - startNs) / 1e9;
        final long percent = lastHeight > 0 ? height * 100 / lastHeight : 100;
        final long rate = Math.round((height - fromHeight) / seconds);
        log.accept(String.format(java.util.Locale.ROOT, "recovery: block %,d of %,d re-executed (%d%%), %,d blocks/s",
            height, lastHeight, percent, rate));
    }
}
