package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.Sequencer;

/**
 * A stage's position on the ring and its poll, as Disruptor's {@link EventPoller} but without rescanning the backlog
 * on every poll.
 * <p>
 * {@link EventPoller#poll} asks the multi-producer sequencer for the highest published slot between its next slot
 * and its gate, which reads the availability flag of every slot in between, and our stages poll a bounded number of
 * slots at a time ({@link TxEvent#MAX_SLOTS_PER_POLL}, or a verifier's batch). With a full ring of 8,192 slots each
 * poll of 64 read up to 8,192 flags: a JFR profile of the pipeline benchmark put 30% of all samples there, most of
 * the pass-through verifier's thread. Here:
 * <ul>
 *   <li>a stage behind other stages ({@link #after}) reads up to the least of their sequences with no scan: a stage
 *       passes a slot only after it has seen the slot published and handled it, and its sequence is written with
 *       release semantics after that, so reading it with acquire semantics makes the slot's contents visible;</li>
 *   <li>the first stage ({@link #first}) checks each slot's publication, as the producers publish them out of order,
 *       but only as far as it will handle in this poll.</li>
 * </ul>
 * Not thread-safe: one per stage thread.
 */
final class StagePoller
{
    private final RingBuffer<TxEvent> ringBuffer;
    private final Sequence sequence = new Sequence(Sequencer.INITIAL_CURSOR_VALUE);
    private final Sequence[] gating;
    private final int scanLimit;

    private StagePoller(final RingBuffer<TxEvent> ringBuffer, final Sequence[] gating, final int scanLimit)
    {
        this.ringBuffer = ringBuffer;
        this.gating = gating;
        this.scanLimit = scanLimit;
    }

    /**
     * @param ringBuffer the ring the producers publish to.
     * @param scanLimit  most slots to check for publication per poll: what the stage handles in one poll at most.
     * @return a poller for the stage that reads what the producers published.
     */
    static StagePoller first(final RingBuffer<TxEvent> ringBuffer, final int scanLimit)
    {
        return new StagePoller(ringBuffer, null, scanLimit);
    }

    /**
     * @param ringBuffer the ring.
     * @param upstream   the sequences of the stages this one follows.
     * @return a poller for the stage that reads what every upstream stage has passed.
     */
    static StagePoller after(final RingBuffer<TxEvent> ringBuffer, final Sequence... upstream)
    {
        if (upstream.length == 0)
        {
            throw new IllegalArgumentException("a stage after others needs their sequences");
        }
        return new StagePoller(ringBuffer, upstream.clone(), 0);
    }

    /** @return the last slot this stage has passed on; gates the stages after it. */
    Sequence getSequence()
    {
        return sequence;
    }

    /**
     * Hand the slots ready for this stage to the handler, in order, until it returns false or none is left; then
     * pass on the slots handled.
     *
     * @param handler called per slot; {@code endOfBatch} is true for the last slot ready at the start of the poll.
     * @return true when at least one slot was handled.
     * @throws Exception what the handler throws; the slots handled before it are passed on.
     */
    boolean poll(final EventPoller.Handler<TxEvent> handler) throws Exception
    {
        final long current = sequence.get();
        long next = current + 1;
        final long available = gating == null ? published(next) : gate();
        if (next > available)
        {
            return false;
        }
        long handled = current;
        try
        {
            boolean more;
            do
            {
                more = handler.onEvent(ringBuffer.get(next), next, next == available);
                handled = next++;
            }
            while (more && next <= available);
        }
        finally
        {
            sequence.set(handled);
        }
        return true;
    }

    private long published(final long next)
    {
        final long end = Math.min(ringBuffer.getCursor(), next + scanLimit - 1);
        long slot = next;
        while (slot <= end && ringBuffer.isAvailable(slot))
        {
            slot++;
        }
        return slot - 1;
    }

    /**
     * @return how far this stage may read now: for a stage after others the least of their sequences, for the first
     *         stage the highest slot the producers have claimed (published or not).
     */
    long gate()
    {
        if (gating == null)
        {
            return ringBuffer.getCursor();
        }
        long minimum = Long.MAX_VALUE;
        for (final Sequence upstream : gating)
        {
            minimum = Math.min(minimum, upstream.get());
        }
        return minimum;
    }
}
