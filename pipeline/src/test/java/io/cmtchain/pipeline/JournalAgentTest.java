package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.journal.BlockJournal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal stage alone, one duty cycle at a time: slots laid out as ordering and execution leave them (in a block
 * or rejected early, the block's last slot marked), execution's sequence set by hand, and a journal that records the
 * heights it appends and can be made to fail. What it pins: the sequence receipts follow never passes the first slot of
 * a block not yet appended.
 */
class JournalAgentTest
{
    private static final int OK = TxEvent.OK;

    private final RingBuffer<TxEvent> ring = StageFixtures.ring(512);
    private final Sequence executed = new Sequence(-1);
    private final Sequence journaledHeight = new Sequence(0);
    private final NodeCounters counters = StageFixtures.counters(1);
    private final ExecutionAgent execution = new ExecutionAgent(StagePoller.after(ring, new Sequence(-1)), null, null,
        journaledHeight, 8, null, null, null, null, null, null, null, counters, failure -> { });
    private final RecordingJournal journal = new RecordingJournal();
    private final List<Throwable> failures = new ArrayList<>();
    private final JournalAgent agent = new JournalAgent(StagePoller.after(ring, executed), execution, journal,
        journaledHeight, null, null, null, null, counters, failures::add);

    @Test
    void shouldReleaseABlocksSlotsToReceiptsOnlyOnceItIsAppended() throws Exception
    {
        StageFixtures.publishRejected(ring);  // 0: rejected before any block
        publishInBlock(1, false);   // 1
        StageFixtures.publishRejected(ring);  // 2: rejected while block 1 is open
        publishInBlock(1, true);    // 3: block 1's last slot
        publishInBlock(2, false);   // 4
        publishInBlock(2, true);    // 5

        executed.set(2);
        assertEquals(3, agent.doWork());
        assertEquals(0, agent.sequence().get(), "slot 0 may go; block 1 from slot 1 is not appended");
        assertTrue(journal.heights.isEmpty());
        assertEquals(0, journaledHeight.get());
        assertEquals(3, counters.journalEvents.get());
        assertEquals(0, counters.journalBlocks.get());

        executed.set(4);
        assertEquals(1, agent.doWork(), "the append ends the duty cycle");
        assertEquals(List.of(1L), journal.heights);
        assertEquals(3, agent.sequence().get(), "block 1 and the rejection inside it may go");
        assertEquals(1, journaledHeight.get());
        assertEquals(1, counters.journalBlocks.get());
        assertEquals(1, counters.journalQueue.get());

        assertEquals(1, agent.doWork());
        assertEquals(3, agent.sequence().get(), "block 2 is open from slot 4");

        executed.set(5);
        assertEquals(1, agent.doWork());
        assertEquals(List.of(1L, 2L), journal.heights);
        assertEquals(5, agent.sequence().get());
        assertEquals(2, journaledHeight.get());
        assertEquals(6, counters.journalEvents.get());
        assertEquals(2, counters.journalBlocks.get());
        assertEquals(0, agent.doWork());
    }

    @Test
    void shouldHoldAFailedBlocksReceiptsAndAppendNothingAfterIt() throws Exception
    {
        publishInBlock(1, true);    // 0
        publishInBlock(2, false);   // 1
        publishInBlock(2, true);    // 2
        StageFixtures.publishRejected(ring);  // 3
        publishInBlock(3, true);    // 4
        executed.set(4);

        assertEquals(1, agent.doWork());
        assertEquals(0, agent.sequence().get());
        journal.failAt = 2;
        agent.doWork();
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).getMessage().startsWith("the journal failed at block 2: disk full"),
            failures.get(0).getMessage());
        assertEquals(0, agent.sequence().get(), "none of block 2's receipts, nor any after them");
        assertEquals(1, journaledHeight.get());

        journal.failAt = 0;
        assertEquals(0, agent.doWork());
        assertEquals(0, agent.doWork());
        assertEquals(List.of(1L), journal.heights);
        assertEquals(0, agent.sequence().get());
        assertEquals(1, failures.size(), "told once");
    }

    @Test
    void shouldHoldABlockThatOpensAtTheRingsFirstSlot() throws Exception
    {
        publishInBlock(1, false);   // 0
        publishInBlock(1, false);   // 1
        publishInBlock(1, true);    // 2

        executed.set(0);
        assertEquals(1, agent.doWork());
        assertEquals(-1, agent.sequence().get());
        executed.set(1);
        assertEquals(1, agent.doWork());
        assertEquals(-1, agent.sequence().get(), "block 1 is open from slot 0");
        executed.set(2);
        assertEquals(1, agent.doWork());
        assertEquals(2, agent.sequence().get());
        assertEquals(List.of(1L), journal.heights);
    }

    private void publishInBlock(final long height, final boolean last)
    {
        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        event.reset(100, sequence, OK);
        StageFixtures.inBlock(event, height, last);
        ring.publish(sequence);
        if (last)
        {
            execution.batch(height).header.height = height;
        }
    }

    /** Records the height of each block appended; throws at the height {@link #failAt}, as a full disk would. */
    private static final class RecordingJournal implements BlockJournal
    {
        final List<Long> heights = new ArrayList<>();
        long failAt;

        @Override
        public void append(
            final BlockHeader header, final BlockCommit commit, final BlockTransactions txs,
            final BlockReceipts receipts)
        {
            if (header.height == failAt)
            {
                throw new IllegalStateException("disk full");
            }
            heights.add(header.height);
        }

        @Override
        public long lastHeight()
        {
            return heights.isEmpty() ? 0 : heights.get(heights.size() - 1);
        }

        @Override
        public void close()
        {
        }
    }
}
