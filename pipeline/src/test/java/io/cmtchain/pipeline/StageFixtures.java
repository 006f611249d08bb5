package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;

/**
 * What a test of one stage alone needs around it: a ring of slots and the node's counters, held in memory.
 */
final class StageFixtures
{
    private StageFixtures()
    {
    }

    /**
     * @param size slots, a power of two.
     * @return a ring that producers publish to as ingress does.
     */
    static RingBuffer<TxEvent> ring(final int size)
    {
        return RingBuffer.createMultiProducer(TxEvent::new, size, new YieldingWaitStrategy());
    }

    /**
     * @param verifierThreads verifier workers to count for.
     * @return the node's counters, in buffers of their own rather than the node's memory-mapped file.
     */
    static NodeCounters counters(final int verifierThreads)
    {
        return new NodeCounters(new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024))),
            verifierThreads);
    }

    /**
     * Publishes a slot that ordering turned away before any block (a duplicate), which later stages pass on as it is.
     *
     * @param ring to publish to.
     */
    static void publishRejected(final RingBuffer<TxEvent> ring)
    {
        final long sequence = ring.next();
        ring.get(sequence).reset(100, sequence, ReceiptStatus.DUPLICATE.value());
        ring.publish(sequence);
    }

    /**
     * Marks a slot as ordering leaves one it put in a block.
     *
     * @param event  the slot.
     * @param height the block's height.
     * @param last   whether the slot is the block's last.
     */
    static void inBlock(final TxEvent event, final long height, final boolean last)
    {
        event.inBlock = true;
        event.blockEnd = last;
        event.blockHeight = height;
    }
}
