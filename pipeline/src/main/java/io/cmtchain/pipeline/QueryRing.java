package io.cmtchain.pipeline;

import io.cmtchain.transport.TransactionSink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Queries on their way from ingress to the stage that owns what they ask about, which answers them between its own
 * work: a many-to-one ring of fixed records (client, correlation id, key), preallocated, nothing allocated per query.
 * A full ring pushes back on ingress like a full transaction ring. An answer that finds the egress full stays in the
 * ring for the next duty cycle.
 */
abstract class QueryRing
{
    /** Ring capacity in bytes: thousands of queries. */
    static final int CAPACITY = 64 * 1024;

    private static final int MSG_TYPE_ID = 1;
    private static final int CLIENT_ID_OFFSET = 0;
    private static final int CORRELATION_ID_OFFSET = 8;
    private static final int KEY_OFFSET = 16;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final int keyLength;
    private final int recordLength;
    private final int limit;
    /** The key of the query being answered. */
    protected final byte[] key;
    private final ControlledMessageHandler handler = this::onRecord;

    /**
     * @param keyLength bytes of the key (an address, a transaction hash).
     * @param limit     most queries answered per duty cycle, so that the stage's own work is not held up by a burst.
     */
    QueryRing(final int keyLength, final int limit)
    {
        this.keyLength = keyLength;
        this.limit = limit;
        recordLength = KEY_OFFSET + keyLength;
        key = new byte[keyLength];
    }

    /**
     * Ingress's side, from any thread.
     *
     * @throws IndexOutOfBoundsException when the key is not within the buffer (nothing is claimed).
     * @return {@link TransactionSink#ACCEPTED} or {@link TransactionSink#BACK_PRESSURED}.
     */
    final int offer(final long clientId, final long correlationId, final DirectBuffer buffer, final int keyOffset)
    {
        // Before the claim: a record claimed and never committed would stop the stage's reads at it for good.
        buffer.boundsCheck(keyOffset, keyLength);
        final int index = ring.tryClaim(MSG_TYPE_ID, recordLength);
        if (index <= 0)
        {
            return TransactionSink.BACK_PRESSURED;
        }
        final MutableDirectBuffer records = ring.buffer();
        records.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        records.putLong(index + CORRELATION_ID_OFFSET, correlationId, LE);
        records.putBytes(index + KEY_OFFSET, buffer, keyOffset, keyLength);
        ring.commit(index);
        return TransactionSink.ACCEPTED;
    }

    /**
     * The owning stage's side: answer up to the limit of queries waiting, each with {@link #answer}.
     *
     * @return queries answered.
     */
    final int drain()
    {
        return ring.controlledRead(handler, limit);
    }

    /**
     * Answer one query, whose key is in {@link #key}.
     *
     * @return true when the answer was taken; false to keep the query for the next duty cycle (the egress is full).
     */
    protected abstract boolean answer(long clientId, long correlationId);

    private ControlledMessageHandler.Action onRecord(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        buffer.getBytes(index + KEY_OFFSET, key);
        return answer(buffer.getLong(index + CLIENT_ID_OFFSET, LE), buffer.getLong(index + CORRELATION_ID_OFFSET, LE)) ?
            ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.ABORT;
    }
}
