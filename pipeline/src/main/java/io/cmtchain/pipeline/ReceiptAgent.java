package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Stage 6: receipts. One receipt per slot, in ring order, after the journal stage has passed the slot: committed
 * and in-block failures carry their block's height and fee; early rejections carry the height of the next block and
 * no fee. Its sequence gates the producers, so a slot is reused only after its receipt has gone out.
 */
final class ReceiptAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final EventPoller<TxEvent> poller;
    private final Sequence upstream;
    private final ReceiptSink sink;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter[] byStatus;
    private final long[] pendingByStatus;
    private int processed;

    ReceiptAgent(
        final EventPoller<TxEvent> poller, final Sequence upstream, final ReceiptSink sink, final NodeCounters counters)
    {
        this.poller = poller;
        this.upstream = upstream;
        this.sink = sink;
        eventsCounter = counters.receiptEvents;
        queueCounter = counters.receiptQueue;
        byStatus = counters.receiptsByStatus;
        pendingByStatus = new long[byStatus.length];
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
        queueCounter.setRelease(upstream.get() - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
            for (int i = 0; i < pendingByStatus.length; i++)
            {
                if (pendingByStatus[i] != 0)
                {
                    byStatus[i].getAndAddRelease(pendingByStatus[i]);
                    pendingByStatus[i] = 0;
                }
            }
        }
        return processed;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        final int status = event.status;
        sink.onReceipt(event.clientId, event.hash, 0, status, event.blockHeight, event.feeCharged);
        if (status < pendingByStatus.length)
        {
            pendingByStatus[status]++;
        }
        return processed < TxEvent.MAX_SLOTS_PER_POLL;
    }

    @Override
    public String roleName()
    {
        return "cmt-receipts";
    }
}
