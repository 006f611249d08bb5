package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Stage 3: ordering. Rejects duplicates (a hash admitted recently, {@link RecentTxHashes}), admits the rest to the
 * open block in ring order, cuts blocks at {@code blockMaxTxs} transactions or {@code blockIntervalMs} after the
 * block's first transaction, and stamps height, timestamp and proposer.
 * <p>
 * It reads ahead with its poller but releases slots to execution through a separate sequence, {@link #released()},
 * and only at a cut: execution always sees whole blocks. Slots rejected before ordering (or as duplicates) while no
 * block is open are released at once; they carry the height of the next block for their receipts. A cut marks the
 * block's last slot ({@code blockEnd}), which carries the block's timestamp and proposer; the slots of a block are
 * the admitted ({@code inBlock}) slots since the previous cut.
 * <p>
 * A hash is remembered once admitted to a block, whatever its outcome there: the same transaction is never in the
 * chain twice within the window (beyond it, its used nonce stops it).
 * <p>
 * Replays with a used nonce are not this stage's business: execution rejects them as BAD_NONCE, inside the block.
 * <p>
 * The proposer comes from the {@link ProposerSchedule}. With DPoS the proposer of h is known only once execution has
 * applied h-1: until then the cut block waits, unreleased, and this stage reads nothing more (so it runs at most one
 * block ahead of execution); each duty cycle asks again.
 */
final class OrderingAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private static final int DUPLICATE = ReceiptStatus.DUPLICATE.value();
    /** How many verified transactions ahead the duplicate filter's lines are loaded. */
    private static final int PREFETCH_WINDOW = 64;

    private final RingBuffer<TxEvent> ringBuffer;
    private final StagePoller poller;
    private final Sequence released = new Sequence(-1);
    private final RecentTxHashes recent;
    private final EpochClock clock;
    private final ProposerSchedule proposerSchedule;
    private final int blockMaxTxs;
    private final long blockIntervalMs;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter blocksCounter;
    private volatile boolean flushRequested;
    private long lastRead = -1;
    private long releasable = -1;
    /** Last slot of a cut block still waiting for its proposer, or -1. */
    private long unstampedSequence = -1;
    private long unstampedHeight;
    private int pending;
    private long blockStartMs;
    private long nextHeight;
    private long lastTimestampMs;
    private long nowMs;
    private int processed;
    private int blocksCut;
    private long prefetchedUpTo = -1;
    private long prefetchLimit = -1;
    /** Keeps the prefetching loads alive; never read for anything else. */
    private long prefetchSink;

    OrderingAgent(
        final RingBuffer<TxEvent> ringBuffer,
        final StagePoller poller,
        final RecentTxHashes recent,
        final EpochClock clock,
        final ProposerSchedule proposerSchedule,
        final int blockMaxTxs,
        final long blockIntervalMs,
        final long lastHeight,
        final long lastTimestampMs,
        final NodeCounters counters)
    {
        this.ringBuffer = ringBuffer;
        this.poller = poller;
        this.recent = recent;
        this.clock = clock;
        this.proposerSchedule = proposerSchedule;
        this.blockMaxTxs = blockMaxTxs;
        this.blockIntervalMs = blockIntervalMs;
        this.nextHeight = lastHeight + 1;
        this.lastTimestampMs = lastTimestampMs;
        eventsCounter = counters.orderingEvents;
        queueCounter = counters.orderingQueue;
        blocksCounter = counters.blocksCut;
    }

    /** @return the sequence execution follows: the end of the last cut (or of a run of early rejections). */
    Sequence released()
    {
        return released;
    }

    /** Cut the open block as soon as nothing more is waiting: for the drain at shutdown. */
    void requestFlush()
    {
        flushRequested = true;
    }

    @Override
    public int doWork() throws Exception
    {
        nowMs = clock.time();
        if (pending > 0 && nowMs < blockStartMs)
        {
            // The clock went back while a block was open: time its interval from now, or the block would wait for
            // the clock to come back to where it was (an hour's step back, an hour's stall).
            blockStartMs = nowMs;
        }
        processed = 0;
        blocksCut = 0;
        if (unstampedSequence < 0 || stamp())
        {
            prefetchLimit = poller.gate();
            prefetchUpTo(lastRead + PREFETCH_WINDOW);
            poller.poll(this);
            if (unstampedSequence < 0 && pending > 0 &&
                (nowMs - blockStartMs >= blockIntervalMs || (processed == 0 && flushRequested)))
            {
                cut(lastRead);
            }
        }
        if (releasable > released.get())
        {
            released.set(releasable);
        }
        queueCounter.setRelease(poller.gate() - lastRead);
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        if (blocksCut > 0)
        {
            blocksCounter.getAndAddRelease(blocksCut);
        }
        return processed + blocksCut;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        lastRead = sequence;
        prefetchUpTo(sequence + PREFETCH_WINDOW);
        event.blockHeight = nextHeight;
        if (event.status == TxEvent.OK)
        {
            if (!recent.add(event.hash, 0))
            {
                event.status = DUPLICATE;
            }
            else
            {
                event.inBlock = true;
                if (pending++ == 0)
                {
                    blockStartMs = nowMs;
                }
                if (pending == blockMaxTxs)
                {
                    cut(sequence);
                    if (unstampedSequence >= 0)
                    {
                        // Nothing more until the block has its proposer: the slots after it stay unread.
                        return false;
                    }
                }
            }
        }
        if (pending == 0 && unstampedSequence < 0)
        {
            releasable = sequence;
        }
        return processed < TxEvent.MAX_SLOTS_PER_POLL;
    }

    /**
     * Touch the duplicate filter's lines for the verified transactions up to {@code last} (at most the upstream's
     * position read at the start of this duty cycle) that were not touched yet. Called for a window ahead before the
     * poll and then once per event, so the lines of each transaction are loaded {@value #PREFETCH_WINDOW} events
     * before its add and their cache misses (about two each, in a table of megabytes) overlap.
     */
    private void prefetchUpTo(final long last)
    {
        final long end = Math.min(last, prefetchLimit);
        long sequence = Math.max(prefetchedUpTo, lastRead) + 1;
        if (sequence > end)
        {
            return;
        }
        long sink = prefetchSink;
        for (; sequence <= end; sequence++)
        {
            final TxEvent event = ringBuffer.get(sequence);
            if (event.status == TxEvent.OK)
            {
                sink += recent.prefetch(event.hash, 0, (int)(sequence - lastRead - 1));
            }
        }
        prefetchedUpTo = end;
        prefetchSink = sink;
    }

    private void cut(final long lastSequence)
    {
        final TxEvent last = ringBuffer.get(lastSequence);
        // Log timestamps never go backwards, whatever the clock does.
        final long timestampMs = Math.max(nowMs, lastTimestampMs);
        lastTimestampMs = timestampMs;
        last.blockEnd = true;
        last.timestampMs = timestampMs;
        unstampedSequence = lastSequence;
        unstampedHeight = nextHeight;
        nextHeight++;
        pending = 0;
        blocksCut++;
        stamp();
    }

    /** @return true when no cut block waits for its proposer (any that did is now stamped and releasable). */
    private boolean stamp()
    {
        if (!proposerSchedule.proposer(unstampedHeight, ringBuffer.get(unstampedSequence).proposer, 0))
        {
            return false;
        }
        releasable = unstampedSequence;
        unstampedSequence = -1;
        return true;
    }

    @Override
    public String roleName()
    {
        return "cmt-ordering";
    }
}
