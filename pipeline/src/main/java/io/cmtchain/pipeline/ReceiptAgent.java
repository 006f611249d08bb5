package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Stage 6: receipts. One receipt per slot, in ring order, after the journal stage has passed the slot: committed
 * and in-block failures carry their block's height and fee; early rejections carry the height of the next block and
 * no fee. Its sequence gates the producers, so a slot is reused only after its receipt has gone out.
 * <p>
 * Receipts are offered with {@link ReceiptSink#offerReceipt}: when the sink has no room (the egress ring is full),
 * the receipt is copied aside and offered again on the next duty cycles before anything else, and the stage stops
 * meanwhile. A receipt is never dropped; the ring fills behind the stage instead, and ingress pushes back on the
 * clients.
 * <p>
 * A sink that throws (a defect: the transport's sink refuses only by returning false) is not offered that receipt
 * again: re-offering it every duty cycle would stall every later receipt, and through the ring the whole node. The
 * receipt is skipped and the exception is reported, naming the transaction, from {@link #doWork()} (the agent
 * runner's error handler and error counter). The transaction's outcome stays in its journaled block, where a
 * transaction query finds it; its client sees no receipt, as for a receipt lost on the way.
 */
final class ReceiptAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final StagePoller poller;
    private final ReceiptSink sink;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter backPressuredCounter;
    private final AtomicCounter[] byStatus;
    private final long[] pendingByStatus;
    private final byte[] heldHash = new byte[32];
    private volatile boolean holding;
    private long heldClientId;
    private int heldStatus;
    private long heldBlockHeight;
    private long heldFeeCharged;
    private volatile long offered;
    private int processed;
    private RuntimeException sinkFailure;

    ReceiptAgent(
        final StagePoller poller, final ReceiptSink sink, final NodeCounters counters)
    {
        this.poller = poller;
        this.sink = sink;
        eventsCounter = counters.receiptEvents;
        queueCounter = counters.receiptQueue;
        backPressuredCounter = counters.receiptBackPressured;
        byStatus = counters.receiptsByStatus;
        pendingByStatus = new long[byStatus.length];
    }

    Sequence sequence()
    {
        return poller.getSequence();
    }

    /** @return true while a receipt whose slot is passed waits for room in the sink. */
    boolean hasPendingReceipt()
    {
        return holding;
    }

    /** @return receipts the sink has taken. */
    long receiptsOffered()
    {
        return offered;
    }

    @Override
    public int doWork() throws Exception
    {
        processed = 0;
        int work = 0;
        if (holding)
        {
            final boolean taken;
            try
            {
                taken = sink.offerReceipt(heldClientId, heldHash, 0, heldStatus, heldBlockHeight, heldFeeCharged);
            }
            catch (final RuntimeException ex)
            {
                holding = false;
                throw skipped(heldClientId, heldHash, ex);
            }
            if (!taken)
            {
                backPressuredCounter.incrementRelease();
                return 0;
            }
            taken(heldStatus);
            holding = false;
            work = 1;
        }
        poller.poll(this);
        queueCounter.setRelease(poller.gate() - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        for (int i = 0; i < pendingByStatus.length; i++)
        {
            if (pendingByStatus[i] != 0)
            {
                byStatus[i].getAndAddRelease(pendingByStatus[i]);
                pendingByStatus[i] = 0;
            }
        }
        if (sinkFailure != null)
        {
            final RuntimeException ex = sinkFailure;
            sinkFailure = null;
            throw ex;
        }
        return work + processed;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        final int status = event.status;
        final boolean taken;
        try
        {
            taken = sink.offerReceipt(event.clientId, event.hash, 0, status, event.blockHeight, event.feeCharged);
        }
        catch (final RuntimeException ex)
        {
            // Passed on when we return: the counters are brought up to date, then doWork reports it.
            sinkFailure = skipped(event.clientId, event.hash, ex);
            return false;
        }
        if (!taken)
        {
            // The poller passes this slot when we return, and ingress may then reuse it: keep a copy.
            System.arraycopy(event.hash, 0, heldHash, 0, heldHash.length);
            heldClientId = event.clientId;
            heldStatus = status;
            heldBlockHeight = event.blockHeight;
            heldFeeCharged = event.feeCharged;
            holding = true;
            backPressuredCounter.incrementRelease();
            return false;
        }
        taken(status);
        return processed < TxEvent.MAX_SLOTS_PER_POLL;
    }

    private static IllegalStateException skipped(final long clientId, final byte[] hash, final RuntimeException ex)
    {
        return new IllegalStateException("the receipt sink threw on the receipt of transaction " +
            Hex.encode(hash) + " for client " + clientId + ": that receipt is skipped (the outcome stays in the " +
            "journal, for a transaction query); " + ex, ex);
    }

    private void taken(final int status)
    {
        if (status < pendingByStatus.length)
        {
            pendingByStatus[status]++;
        }
        offered++;
    }

    @Override
    public String roleName()
    {
        return "cmt-receipts";
    }
}
