package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordering stage alone, driven one duty cycle at a time: the verifiers' sequence is set by hand and the proposer
 * schedule knows the proposers up to a height the test raises.
 */
class OrderingAgentTest
{
    private final RingBuffer<TxEvent> ring = StageFixtures.ring(1024);
    private final Sequence verified = new Sequence(-1);
    private final CachedEpochClock clock = new CachedEpochClock();
    private final NodeCounters counters = StageFixtures.counters(1);
    private long proposersKnownUpTo;

    @Test
    void shouldHoldACutBlockBackAndReadNoFurtherUntilItsProposerIsKnown() throws Exception
    {
        proposersKnownUpTo = 1;
        final OrderingAgent ordering = ordering(2);
        verify(6);

        // Block 1 (slots 0-1) is stamped and released; block 2 (slots 2-3) waits for its proposer; 4 and 5 stay unread.
        assertEquals(4 + 2, ordering.doWork());
        assertEquals(1, ordering.released().get());
        assertBlockEnd(1, 1, 1);
        assertTrue(ring.get(3).blockEnd);
        assertEquals(2, ring.get(3).blockHeight);
        assertEquals(0, ring.get(3).proposer[0]);
        assertUnread(4);
        assertEquals(4, counters.orderingEvents.get());
        assertEquals(2, counters.blocksCut.get());
        assertEquals(2, counters.orderingQueue.get());

        assertEquals(0, ordering.doWork());
        assertEquals(1, ordering.released().get());
        assertEquals(0, ring.get(3).proposer[0]);
        assertUnread(4);

        // The duty cycle that finds the proposer stamps and releases the block, and reads on.
        proposersKnownUpTo = 2;
        assertEquals(2 + 1, ordering.doWork());
        assertBlockEnd(3, 2, 2);
        assertTrue(ring.get(5).blockEnd);
        assertEquals(3, ring.get(5).blockHeight);
        assertEquals(3, ordering.released().get());
        assertEquals(6, counters.orderingEvents.get());
        assertEquals(3, counters.blocksCut.get());
    }

    @Test
    void shouldHoldABlockCutAtTheFirstSlotUntilItsProposerIsKnown() throws Exception
    {
        // Not reachable with DposProposerSchedule (the node tells it the recovered chain before ordering starts), but
        // the ring's first slot is a block's last slot like any other.
        proposersKnownUpTo = 0;
        final OrderingAgent ordering = ordering(1);
        verify(2);

        assertEquals(1 + 1, ordering.doWork());
        assertTrue(ring.get(0).blockEnd);
        assertEquals(-1, ordering.released().get());
        assertUnread(1);

        assertEquals(0, ordering.doWork());
        assertEquals(-1, ordering.released().get());
        assertUnread(1);

        proposersKnownUpTo = 1;
        assertEquals(1 + 1, ordering.doWork());
        assertBlockEnd(0, 1, 1);
        assertTrue(ring.get(1).blockEnd);
        assertEquals(2, ring.get(1).blockHeight);
        assertEquals(0, ordering.released().get());
    }

    @Test
    void shouldHandleAtMostMaxSlotsPerPollInADutyCycle() throws Exception
    {
        final OrderingAgent ordering = ordering(1000);
        verify(300);

        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, ordering.doWork());
        assertTrue(ring.get(TxEvent.MAX_SLOTS_PER_POLL - 1).inBlock);
        assertUnread(TxEvent.MAX_SLOTS_PER_POLL);
        assertEquals(300 - TxEvent.MAX_SLOTS_PER_POLL, counters.orderingQueue.get());

        assertEquals(300 - TxEvent.MAX_SLOTS_PER_POLL, ordering.doWork());
        assertTrue(ring.get(299).inBlock);
        assertEquals(0, counters.orderingQueue.get());
    }

    @Test
    void shouldCutAnOpenBlockWithinAnIntervalOfTheClockGoingBack() throws Exception
    {
        proposersKnownUpTo = 10;
        final OrderingAgent ordering = ordering(1000);
        verify(1);
        assertEquals(1, ordering.doWork());
        clock.advance(100);
        assertEquals(1, ordering.doWork());
        assertTrue(ring.get(0).blockEnd);
        assertEquals(1_000_100, ring.get(0).timestampMs);

        verify(1);
        assertEquals(1, ordering.doWork());
        assertTrue(ring.get(1).inBlock);
        // The wall clock is stepped back an hour (an NTP correction) while block 2 is open.
        clock.update(1_000_100 - 3_600_000);
        assertEquals(0, ordering.doWork());
        assertFalse(ring.get(1).blockEnd);

        clock.advance(100);
        assertEquals(1, ordering.doWork(), "block 2 waited for the clock to come back to where it was");
        assertTrue(ring.get(1).blockEnd);
        assertEquals(2, ring.get(1).blockHeight);
        assertEquals(1_000_100, ring.get(1).timestampMs, "a log timestamp went back with the clock");
        assertEquals(1, ordering.released().get());
    }

    private OrderingAgent ordering(final int blockMaxTxs)
    {
        clock.update(1_000_000);
        final ProposerSchedule schedule = (height, out, offset) ->
        {
            if (height > proposersKnownUpTo)
            {
                return false;
            }
            out[offset] = (byte)height;
            return true;
        };
        return new OrderingAgent(ring, StagePoller.after(ring, verified), new RecentTxHashes(1024), clock, schedule,
            blockMaxTxs, 100, 0, 0, counters);
    }

    /** Hand the next {@code count} slots, distinct valid transactions, to ordering. */
    private void verify(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long sequence = verified.get() + 1;
            final TxEvent event = ring.get(sequence);
            event.reset(0, sequence, TxEvent.OK);
            event.hash[0] = (byte)sequence;
            event.hash[1] = (byte)(sequence >>> 8);
            verified.set(sequence);
        }
    }

    private void assertBlockEnd(final long sequence, final long height, final int proposer)
    {
        final TxEvent event = ring.get(sequence);
        assertTrue(event.blockEnd, "blockEnd of " + sequence);
        assertEquals(height, event.blockHeight);
        assertEquals(proposer, event.proposer[0]);
        assertEquals(1_000_000, event.timestampMs);
    }

    private void assertUnread(final long sequence)
    {
        final TxEvent event = ring.get(sequence);
        assertFalse(event.inBlock, "slot " + sequence + " read");
        assertEquals(0, event.blockHeight, "slot " + sequence + " read");
    }
}
