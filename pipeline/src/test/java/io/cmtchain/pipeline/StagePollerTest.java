package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagePollerTest
{
    private final RingBuffer<TxEvent> ring =
        RingBuffer.createMultiProducer(TxEvent::new, 16, new YieldingWaitStrategy());
    private final List<String> seen = new ArrayList<>();

    @Test
    void shouldStopTheFirstStageAtASlotClaimedButNotYetPublished() throws Exception
    {
        final long a = ring.next();
        final long b = ring.next();
        final long c = ring.next();
        ring.publish(a);
        ring.publish(c);
        final StagePoller poller = StagePoller.first(ring, 256);
        assertEquals(2, poller.gate(), "the first stage's gate: the highest slot claimed, published or not");

        assertTrue(poller.poll(this::record));
        assertEquals(List.of("0 end"), seen);
        assertEquals(0, poller.getSequence().get());
        assertFalse(poller.poll(this::record));

        ring.publish(b);
        assertTrue(poller.poll(this::record));
        assertEquals(List.of("0 end", "1", "2 end"), seen);
        assertEquals(2, poller.getSequence().get());
    }

    @Test
    void shouldCheckNoFurtherThanTheScanLimitInOnePoll() throws Exception
    {
        for (int i = 0; i < 10; i++)
        {
            ring.publish(ring.next());
        }
        final StagePoller poller = StagePoller.first(ring, 4);
        assertTrue(poller.poll(this::record));
        assertEquals(List.of("0", "1", "2", "3 end"), seen);
        assertEquals(3, poller.getSequence().get());
    }

    @Test
    void shouldReadUpToTheSlowestUpstreamStage() throws Exception
    {
        final Sequence fast = new Sequence(5);
        final Sequence slow = new Sequence(3);
        final StagePoller poller = StagePoller.after(ring, fast, slow);
        assertTrue(poller.poll(this::record));
        assertEquals(List.of("0", "1", "2", "3 end"), seen);
        assertFalse(poller.poll(this::record));
        slow.set(4);
        assertTrue(poller.poll(this::record));
        assertEquals(4, poller.getSequence().get());
    }

    @Test
    void shouldPassOnTheSlotsHandledWhenTheHandlerStopsOrThrows()
    {
        final Sequence upstream = new Sequence(9);
        final StagePoller poller = StagePoller.after(ring, upstream);
        assertThrows(IllegalStateException.class, () -> poller.poll((event, sequence, endOfBatch) ->
        {
            if (sequence == 2)
            {
                throw new IllegalStateException("slot 2");
            }
            return true;
        }));
        assertEquals(1, poller.getSequence().get(), "slots 0 and 1 passed on, not the one that threw");

        assertTrue(assertDoesNotThrow(() -> poller.poll((event, sequence, endOfBatch) -> sequence < 4)));
        assertEquals(4, poller.getSequence().get(), "the slot the handler stopped at is handled and passed on");
    }

    @Test
    void shouldRefuseAStageAfterNoOthers()
    {
        assertThrows(IllegalArgumentException.class, () -> StagePoller.after(ring));
    }

    private boolean record(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        seen.add(sequence + (endOfBatch ? " end" : ""));
        return true;
    }
}
