package io.cmtchain.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.transport.TransactionSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's entry: copies each frame once into a claimed ring slot and publishes it. Never blocks and never
 * drops: a full ring answers {@link TransactionSink#BACK_PRESSURED} and the caller offers again later. Safe for any
 * number of ingress threads.
 * <p>
 * A frame longer than {@link TransactionDescriptor#MAX_LENGTH} is taken truncated and marked OVERSIZED, so that it
 * still gets its one receipt; a negative length is taken as an empty, MALFORMED frame. A frame whose bytes lie
 * outside the buffer is a caller's error: refused with an {@link IndexOutOfBoundsException}, nothing claimed.
 */
final class IngressPublisher implements TransactionSink
{
    private static final int OVERSIZED = ReceiptStatus.OVERSIZED.value();
    private static final int MALFORMED = ReceiptStatus.MALFORMED.value();
    /** After the ring was full, offers are refused until 1/16 of it is free again. */
    private static final int RESUME_DIVISOR = 16;

    private final RingBuffer<TxEvent> ringBuffer;
    private final AtomicCounter backPressured;
    private final int resumeCapacity;
    /** A hint, read and written by the producers without ordering: a stale value only refuses or claims earlier. */
    private boolean stalled;
    /** Offers between their check of {@link #closing} and their publish; close waits for none to be left. */
    private final AtomicInteger activeOffers = new AtomicInteger();
    private volatile boolean closing;

    /** Where account queries go (to the execution stage), or null when the node does not answer them. */
    private final AccountQueries queries;
    /** Where transaction queries go (to the journal stage), or null when the node does not answer them. */
    private final TransactionQueries transactionQueries;

    IngressPublisher(
        final RingBuffer<TxEvent> ringBuffer,
        final AtomicCounter backPressured,
        final AccountQueries queries,
        final TransactionQueries transactionQueries)
    {
        this.ringBuffer = ringBuffer;
        this.backPressured = backPressured;
        this.queries = queries;
        this.transactionQueries = transactionQueries;
        resumeCapacity = Math.max(1, ringBuffer.getBufferSize() / RESUME_DIVISOR);
    }

    @Override
    public int onAccountQuery(
        final long clientId, final long correlationId, final DirectBuffer buffer, final int addressOffset)
    {
        return offerQuery(queries, clientId, correlationId, buffer, addressOffset);
    }

    @Override
    public int onTransactionQuery(
        final long clientId, final long correlationId, final DirectBuffer buffer, final int hashOffset)
    {
        return offerQuery(transactionQueries, clientId, correlationId, buffer, hashOffset);
    }

    private int offerQuery(
        final QueryRing ring, final long clientId, final long correlationId, final DirectBuffer buffer, final int key)
    {
        if (null == ring)
        {
            return UNSUPPORTED;
        }
        return closing ? BACK_PRESSURED : ring.offer(clientId, correlationId, buffer, key);
    }

    @Override
    public int onTransaction(final DirectBuffer buffer, final int offset, final int length, final long clientId)
    {
        activeOffers.getAndIncrement();
        try
        {
            if (closing)
            {
                return BACK_PRESSURED;
            }
            // Once the ring was full, take again only when a good part of it is free: claiming each slot as soon as
            // one frees makes every claim rescan the consumers' sequences (the claim's cached minimum is always
            // stale), which on a saturated node cost the stage thread about 6% of its time.
            if (stalled)
            {
                if (!ringBuffer.hasAvailableCapacity(resumeCapacity))
                {
                    backPressured.increment();
                    return BACK_PRESSURED;
                }
                stalled = false;
            }
            // A range outside the buffer is the caller's error: refused before the claim, as a slot claimed and
            // never published would stop decode (and every slot after it) for good.
            if (length > 0)
            {
                buffer.boundsCheck(offset, Math.min(length, TransactionDescriptor.MAX_LENGTH));
            }
            final long sequence;
            try
            {
                sequence = ringBuffer.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                stalled = true;
                backPressured.increment();
                return BACK_PRESSURED;
            }
            final TxEvent event = ringBuffer.get(sequence);
            if (length > TransactionDescriptor.MAX_LENGTH)
            {
                buffer.getBytes(offset, event.frame, 0, TransactionDescriptor.MAX_LENGTH);
                event.reset(TransactionDescriptor.MAX_LENGTH, clientId, OVERSIZED);
            }
            else if (length < 0)
            {
                event.reset(0, clientId, MALFORMED);
            }
            else
            {
                buffer.getBytes(offset, event.frame, 0, length);
                event.reset(length, clientId, TxEvent.OK);
            }
            ringBuffer.publish(sequence);
            return ACCEPTED;
        }
        finally
        {
            activeOffers.getAndDecrement();
        }
    }

    /** @return false once closing started: offers are refused. */
    boolean isAccepting()
    {
        return !closing;
    }

    /**
     * Refuse every further offer and wait until no offer is between its check and its publish.
     *
     * @param idleStrategy to wait with.
     * @return the sequence of the last frame accepted.
     */
    long close(final IdleStrategy idleStrategy)
    {
        // The volatile write of closing and the offers' volatile read of it after their increment are totally ordered:
        // an offer that did not see closing incremented before the read of zero below, so it is published by then.
        closing = true;
        while (activeOffers.get() != 0)
        {
            idleStrategy.idle();
        }
        return ringBuffer.getCursor();
    }
}
