package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.transport.ReceiptSink;
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
 * Account queries on their way from ingress to the execution stage, which owns the state and answers them between
 * blocks, so an answer is the state after the last executed block. A many-to-one ring of fixed records (client,
 * correlation id, address); preallocated, nothing allocated per query. A full ring pushes back on ingress like a full
 * transaction ring. An answer that finds the egress full waits in the ring for the next duty cycle.
 */
final class AccountQueries
{
    /** Ring capacity in bytes: thousands of queries. */
    static final int CAPACITY = 64 * 1024;
    /** Most queries answered per duty cycle, so that blocks are not held up by a burst. */
    static final int LIMIT = 64;

    private static final int MSG_TYPE_ID = 1;
    private static final int CLIENT_ID_OFFSET = 0;
    private static final int CORRELATION_ID_OFFSET = 8;
    private static final int ADDRESS_OFFSET = 16;
    private static final int RECORD_LENGTH = ADDRESS_OFFSET + Addresses.LENGTH;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final byte[] address = new byte[Addresses.LENGTH];
    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(address);
    private final ControlledMessageHandler handler = this::answer;
    private Chain chain;
    private ReceiptSink sink;

    /**
     * Ingress's side, from any thread.
     *
     * @return {@link TransactionSink#ACCEPTED} or {@link TransactionSink#BACK_PRESSURED}.
     */
    int offer(final long clientId, final long correlationId, final DirectBuffer buffer, final int addressOffset)
    {
        final int index = ring.tryClaim(MSG_TYPE_ID, RECORD_LENGTH);
        if (index <= 0)
        {
            return TransactionSink.BACK_PRESSURED;
        }
        final MutableDirectBuffer records = ring.buffer();
        records.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        records.putLong(index + CORRELATION_ID_OFFSET, correlationId, LE);
        records.putBytes(index + ADDRESS_OFFSET, buffer, addressOffset, Addresses.LENGTH);
        ring.commit(index);
        return TransactionSink.ACCEPTED;
    }

    /**
     * The execution stage's side: answer up to {@link #LIMIT} queries from the chain's state.
     *
     * @param chain after its last executed block, not in the middle of one.
     * @param sink  where answers go (the transport's egress).
     * @return queries answered.
     */
    int answer(final Chain chain, final ReceiptSink sink)
    {
        this.chain = chain;
        this.sink = sink;
        return ring.controlledRead(handler, LIMIT);
    }

    private ControlledMessageHandler.Action answer(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        buffer.getBytes(index + ADDRESS_OFFSET, address);
        final AccountStore accounts = chain.state().accounts();
        final int slot = accounts.find(addressBuffer, 0);
        final boolean exists = slot != AccountStore.MISSING;
        final boolean taken = sink.offerAccountState(buffer.getLong(index + CLIENT_ID_OFFSET, LE),
            buffer.getLong(index + CORRELATION_ID_OFFSET, LE), address, chain.height(), exists,
            exists ? accounts.balance(slot) : 0, exists ? accounts.nonce(slot) : 0);
        return taken ? ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.ABORT;
    }
}
