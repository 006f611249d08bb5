package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The decode stage alone, driven one duty cycle at a time over frames published by hand.
 */
class DecodeAgentTest
{
    private final RingBuffer<TxEvent> ring = StageFixtures.ring(512);
    private final NodeCounters counters = StageFixtures.counters(1);
    private final DecodeAgent decode = new DecodeAgent(ring, StagePoller.first(ring, TxEvent.MAX_SLOTS_PER_POLL), 1,
        counters);

    @Test
    void shouldHashEveryFrameEvenOneTooShortToHaveSignedBytes() throws Exception
    {
        final int[] lengths = {10, TransactionDescriptor.SIGNED_OFFSET, 200, 10};
        for (final int length : lengths)
        {
            publish(length);
        }
        assertEquals(lengths.length, decode.doWork());

        // Too short: the tag and the bytes there are. Otherwise: the tag and the signed bytes, none at SIGNED_OFFSET.
        assertArrayEquals(sha256(0, 0, 10), ring.get(0).hash);
        assertArrayEquals(sha256(1, TransactionDescriptor.SIGNED_OFFSET, TransactionDescriptor.SIGNED_OFFSET),
            ring.get(1).hash);
        assertArrayEquals(sha256(2, TransactionDescriptor.SIGNED_OFFSET, 200), ring.get(2).hash);
        assertArrayEquals(sha256(3, 0, 10), ring.get(3).hash);
        for (int i = 0; i < lengths.length; i++)
        {
            assertNotEquals(TxEvent.OK, ring.get(i).status, "slot " + i);
        }
    }

    @Test
    void shouldHandleAtMostMaxSlotsPerPollInADutyCycle() throws Exception
    {
        for (int i = 0; i < 300; i++)
        {
            publish(10);
        }
        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, decode.doWork());
        assertNotEquals(TxEvent.OK, ring.get(TxEvent.MAX_SLOTS_PER_POLL - 1).status);
        assertEquals(TxEvent.OK, ring.get(TxEvent.MAX_SLOTS_PER_POLL).status);
        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, counters.decodeEvents.get());
        assertEquals(300, counters.ingressAccepted.get());
        assertEquals(300 - TxEvent.MAX_SLOTS_PER_POLL, counters.decodeQueue.get());

        assertEquals(300 - TxEvent.MAX_SLOTS_PER_POLL, decode.doWork());
        assertNotEquals(TxEvent.OK, ring.get(299).status);
        assertEquals(300, counters.decodeEvents.get());
        assertEquals(0, counters.decodeQueue.get());
    }

    /** Publish a frame of {@code length} bytes, each byte its slot's sequence plus its index, as ingress would. */
    private void publish(final int length)
    {
        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        for (int i = 0; i < length; i++)
        {
            event.frame[i] = (byte)(sequence + i);
        }
        event.reset(length, sequence, TxEvent.OK);
        ring.publish(sequence);
    }

    private byte[] sha256(final long sequence, final int from, final int to) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(TransactionDescriptor.DOMAIN_TAG);
        sha.update(Arrays.copyOfRange(ring.get(sequence).frame, from, to));
        return sha.digest();
    }
}
