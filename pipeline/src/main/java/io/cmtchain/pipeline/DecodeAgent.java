package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Stage 1: the stateless checks ({@link TransactionFlyweight#check(int)}) and the transaction hash, in place in the
 * slot. A failed check becomes the slot's status, and so its rejection receipt.
 * <p>
 * The hash of a frame too short to have signed bytes is SHA-256 of the domain tag and whatever bytes it has, so that
 * even such a frame has a hash for its receipt.
 */
final class DecodeAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final RingBuffer<TxEvent> ringBuffer;
    private final StagePoller poller;
    private final int chainId;
    private final TransactionFlyweight flyweight = new TransactionFlyweight();
    private final Sha256 sha = new Sha256();
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter acceptedCounter;
    private int processed;

    DecodeAgent(
        final RingBuffer<TxEvent> ringBuffer, final StagePoller poller, final int chainId,
        final NodeCounters counters)
    {
        this.ringBuffer = ringBuffer;
        this.poller = poller;
        this.chainId = chainId;
        eventsCounter = counters.decodeEvents;
        queueCounter = counters.decodeQueue;
        acceptedCounter = counters.ingressAccepted;
    }

    Sequence sequence()
    {
        return poller.getSequence();
    }

    @Override
    public int doWork() throws Exception
    {
        processed = 0;
        poller.poll(this);
        final long cursor = ringBuffer.getCursor();
        acceptedCounter.setRelease(cursor + 1);
        queueCounter.setRelease(cursor - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        return processed;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        final int length = event.length;
        if (event.status == TxEvent.OK)
        {
            event.status = flyweight.wrap(event.buffer, 0, length).check(chainId);
        }
        if (length >= TransactionDescriptor.SIGNED_OFFSET)
        {
            TxHash.compute(sha, event.buffer, 0, length, event.hash, 0);
        }
        else
        {
            sha.update(TransactionDescriptor.DOMAIN_TAG);
            sha.update(event.frame, 0, length);
            sha.digest(event.hash, 0);
        }
        return ++processed < TxEvent.MAX_SLOTS_PER_POLL;
    }

    @Override
    public String roleName()
    {
        return "cmt-decode";
    }
}
