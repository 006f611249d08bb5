package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Arrays;

/**
 * Stage 2: signature verification, one of N workers. Worker {@code id} takes the slots whose sequence is
 * {@code id} modulo N, so every slot gets exactly one verdict; it batches them up to the batch size or the end of
 * what is available (the Disruptor's {@code endOfBatch}), verifies the batch, and only then lets its sequence pass
 * them, so the ordering stage never sees a slot before its verdict.
 */
final class VerifyAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private static final int BAD_SIGNATURE = ReceiptStatus.BAD_SIGNATURE.value();

    private final int id;
    private final int workers;
    private final StagePoller poller;
    private final SignatureBatchVerifier verifier;
    private final int batchSize;
    private final TxEvent[] batch;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter batchesCounter;
    private final AtomicCounter lastBatchCounter;
    private int count;
    private int processed;
    private int verified;
    private int batches;
    private int lastBatch;
    /** A verifier failure of this duty cycle, thrown at its end once its batch's slots are rejected. */
    private RuntimeException failure;

    VerifyAgent(
        final int id,
        final int workers,
        final StagePoller poller,
        final SignatureBatchVerifier verifier,
        final int batchSize,
        final NodeCounters counters)
    {
        this.id = id;
        this.workers = workers;
        this.poller = poller;
        this.verifier = verifier;
        this.batchSize = batchSize;
        batch = new TxEvent[batchSize];
        eventsCounter = counters.verifyEvents[id];
        queueCounter = counters.verifyQueue[id];
        batchesCounter = counters.verifyBatches[id];
        lastBatchCounter = counters.verifyLastBatch[id];
    }

    Sequence sequence()
    {
        return poller.getSequence();
    }

    @Override
    public int doWork() throws Exception
    {
        processed = 0;
        verified = 0;
        batches = 0;
        // One batch per poll (so each batch goes on to ordering as soon as it is verified), several polls per cycle.
        int before;
        do
        {
            before = processed;
            poller.poll(this);
        }
        while (null == failure && processed > before && processed < TxEvent.MAX_SLOTS_PER_POLL);
        queueCounter.setRelease(poller.gate() - poller.getSequence().get());
        if (verified > 0)
        {
            eventsCounter.getAndAddRelease(verified);
        }
        if (batches > 0)
        {
            batchesCounter.getAndAddRelease(batches);
            lastBatchCounter.setRelease(lastBatch);
        }
        if (null != failure)
        {
            // Reported through the runner's error handler and error counter; the stage goes on with the next batch.
            final RuntimeException ex = failure;
            failure = null;
            throw new IllegalStateException("signature verification failed; the " + lastBatch + " transactions of " +
                "its batch are rejected as BAD_SIGNATURE: " + ex, ex);
        }
        return processed;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        try
        {
            if (sequence % workers == id && event.status == TxEvent.OK)
            {
                batch[count++] = event;
                verifier.add(event.buffer, 0, event.length);
            }
            if (count == batchSize || (endOfBatch && count > 0))
            {
                flush();
                // Let the slots of this batch go on to ordering now rather than after the whole available range.
                return false;
            }
            return true;
        }
        catch (final RuntimeException ex)
        {
            // Fail closed: the poller passes every slot handled so far, the batch's unverified ones among them, so
            // each is rejected before it goes (its signature was not shown valid), never passed on as OK.
            rejectBatch();
            failure = ex;
            return false;
        }
    }

    private void rejectBatch()
    {
        for (int i = 0; i < count; i++)
        {
            batch[i].status = BAD_SIGNATURE;
        }
        endBatch();
    }

    private void flush()
    {
        verifier.verify();
        for (int i = 0; i < count; i++)
        {
            if (!verifier.valid(i))
            {
                batch[i].status = BAD_SIGNATURE;
            }
        }
        verified += count;
        batches++;
        endBatch();
    }

    /**
     * Release the batch's slots, only once every verdict is in (should valid() throw part way, rejectBatch still
     * finds every slot of the batch and rejects them all), and empty it before the verifier is reset.
     */
    private void endBatch()
    {
        Arrays.fill(batch, 0, count, null);
        lastBatch = count;
        count = 0;
        verifier.reset();
    }

    @Override
    public String roleName()
    {
        return "cmt-verify-" + id;
    }
}
