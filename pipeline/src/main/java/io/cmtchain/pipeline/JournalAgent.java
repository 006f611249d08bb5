package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.journal.BlockJournal;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Stage 5: the journal. Appends each executed block ({@link BlockJournal#append}) when it reaches the block's last
 * slot; its sequence passes a block's slots only after the append has returned, so no receipt of a block leaves
 * before the block is as durable as the journal makes it.
 */
final class JournalAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final StagePoller poller;
    private final ExecutionAgent execution;
    private final BlockJournal journal;
    private final Sequence journaledHeight;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter blocksCounter;
    private int processed;
    private int blocks;

    JournalAgent(
        final StagePoller poller,
        final ExecutionAgent execution,
        final BlockJournal journal,
        final Sequence journaledHeight,
        final NodeCounters counters)
    {
        this.poller = poller;
        this.execution = execution;
        this.journal = journal;
        this.journaledHeight = journaledHeight;
        eventsCounter = counters.journalEvents;
        queueCounter = counters.journalQueue;
        blocksCounter = counters.journalBlocks;
    }

    Sequence sequence()
    {
        return poller.getSequence();
    }

    @Override
    public int doWork() throws Exception
    {
        processed = 0;
        blocks = 0;
        poller.poll(this);
        queueCounter.setRelease(poller.gate() - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        if (blocks > 0)
        {
            blocksCounter.getAndAddRelease(blocks);
        }
        return processed;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        if (event.blockEnd)
        {
            final BlockBatch batch = execution.batch(event.blockHeight);
            journal.append(batch.header, batch.commit, batch.txs, batch.receipts);
            // Releases the batch to execution for the block BLOCK_BATCHES later.
            journaledHeight.set(event.blockHeight);
            blocks++;
            // Stop after the append so that the block's receipts can go out now.
            return false;
        }
        return true;
    }

    @Override
    public String roleName()
    {
        return "cmt-journal";
    }
}
