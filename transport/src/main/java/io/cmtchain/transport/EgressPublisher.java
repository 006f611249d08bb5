package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.driver.Configuration;
import io.cmtchain.engine.codec.AccountStateEncoder;
import io.cmtchain.engine.codec.TransactionStateEncoder;
import io.cmtchain.engine.codec.ConnectedEncoder;
import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptEncoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.SystemUtil;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.cmtchain.transport.EgressRingDescriptor.*;

/**
 * The node's egress: takes receipts from any thread ({@link ReceiptSink}) and session commands from ingress through
 * one many-to-one ring, and, as an {@link Agent}, is the only thread that writes to clients' publications.
 * <p>
 * Threading: producers only claim and fill a ring record (no Aeron call, no allocation, never blocks); the agent
 * drains the ring and offers each receipt to its client's {@link ExclusivePublication}.
 * <p>
 * Slow-client policy: each client has its Aeron publication window plus a bounded backlog
 * ({@link TransportContext#clientBacklogCapacity()} bytes). While a client's publication is back-pressured, its
 * receipts queue in its backlog and other clients are served as usual. A client is evicted (counted in
 * {@code clientsEvicted}; its queued receipts counted in {@code receiptsEvicted}) when its backlog is full, or when it
 * has had receipts waiting and accepted none for {@link TransportContext#slowClientTimeoutMs()}. Its backlog is dropped
 * and its publication kept until a Disconnect (reason SLOW_CLIENT) goes in behind what the client has not read yet,
 * offered again each duty cycle: a client that reads again reads up to it and reports its pending transactions lost
 * as evicted, not as a node gone. A client that reads nothing for another slow-client timeout, or has gone, gets no
 * Disconnect: its publication is closed then, and it sees the session end as the node's going. Either way it may
 * reconnect and query the outcome of what it had pending. A client that ends the evicted session itself (its
 * Disconnect, a new Connect on the same publication, its publication gone: ingress's close) needs no Disconnect: the
 * publication is closed at once, so that a reconnect at the client limit finds its room.
 * <p>
 * Sessions held: every session ingress offers ({@link #offerOpen}) holds a publication (or its registration) until
 * egress closes it, whatever the cause, or fails to add it; and a UDP one holds it after that while the media driver
 * keeps the closed publication's log buffers: the driver drains what the client has not yet received, then lingers
 * (the channel's {@code linger}, which the node sets on every UDP response channel, at most
 * {@link #MAX_RESPONSE_LINGER_NS}), and only then deletes them, while a new Connect gets a new publication meanwhile.
 * Such a session is released once the driver no longer holds the publication (its publisher-limit counter is gone),
 * and {@link #MIN_CLOSED_HOLD_NS} at the earliest, for the node's own mapping of the buffers; until then it is counted
 * in {@code publicationsLingering}. The driver drops a publication whose client has read it to its end within about
 * 2 s, however long its linger (the client's end-of-stream message cuts it short); one whose client has gone, after
 * the linger. An IPC publication does not linger (Aeron's IPC publications
 * are deleted as soon as their subscribers have read them): its session is released when it is closed. Egress counts
 * the releases, the closes it has read and the publications lingering, for ingress ({@link #sessionsReleased()},
 * {@link #closesRead()}, {@link #publicationsLingering()}): ingress, which alone offers opens and closes, keeps the
 * client limit with them, without a lock and without ever counting fewer sessions than egress and the driver hold.
 * <p>
 * If the ring itself is full (the agent is starved of CPU), {@link #offerReceipt} returns false so that a caller
 * able to wait can retry; {@link #onReceipt} counts the receipt in {@code receiptsRingFull} instead.
 */
final class EgressPublisher implements ReceiptSink, Agent
{
    static final int RECEIPT_MESSAGE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + ReceiptEncoder.BLOCK_LENGTH;
    static final int ACCOUNT_STATE_MESSAGE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + AccountStateEncoder.BLOCK_LENGTH;
    static final int TRANSACTION_STATE_MESSAGE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + TransactionStateEncoder.BLOCK_LENGTH;
    /**
     * The longest linger a client's response channel gets (Aeron's default for a publication): the driver keeps a
     * closed publication's log buffers that long (for tail loss), so a linger in the channel would hold the session's
     * buffers for as long as the client says after it ends. A longer one is lowered to this.
     */
    static final long MAX_RESPONSE_LINGER_NS = TimeUnit.SECONDS.toNanos(5);
    /**
     * The least time a closed UDP session still counts, whatever its linger: the node's own Aeron client keeps a
     * removed publication's log buffers mapped, their memory in use even once the driver has deleted the files, for
     * 1 s (Aeron's {@code ClientConductor.EXPLICIT_CLOSE_LINGER_NS}) and until its next timeout check after that.
     * Without it a client naming {@code linger=0} could have the node map its churned publications for a second each.
     */
    static final long MIN_CLOSED_HOLD_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int STATE_ADDING = 1;
    private static final int STATE_AWAIT_CONNECTED = 2;
    private static final int STATE_OPEN = 3;
    /** Evicted: no longer found by client id, its publication kept only until the Disconnect goes in. */
    private static final int STATE_EVICTED = 4;
    private static final int RING_READ_LIMIT = 4096;
    private static final int BACKLOG_FLUSH_LIMIT = 1024;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer ringBuffer;
    private final Aeron aeron;
    private final TransportCounters counters;
    private final NanoClock clock;
    private final int chainId;
    private final FeeSchedule feeSchedule;
    private final long connectTimeoutNs;
    private final long slowClientTimeoutNs;
    private final int clientBacklogCapacity;
    private final Long2ObjectHashMap<ClientSession> sessionByClientId = new Long2ObjectHashMap<>();
    /** Evicted sessions, found by client id only to close them: no record but a close reaches them. */
    private final Long2ObjectHashMap<ClientSession> evictedByClientId = new Long2ObjectHashMap<>();
    /**
     * Sessions released: publication closed (over UDP, and dropped by the driver), or never added. Written by the
     * egress thread only, read by ingress.
     */
    private final AtomicLong sessionsReleased = new AtomicLong();
    /** CLOSE_SESSION records read, each acted on first. Written by the egress thread only, read by ingress. */
    private final AtomicLong closesRead = new AtomicLong();
    /**
     * Closed sessions not released while the driver keeps their publications: the size of the lingering lists. Written
     * by the egress thread only (after {@link #sessionsReleased}, when it falls), read by ingress.
     */
    private final AtomicLong publicationsLingering = new AtomicLong();
    /** Lingering publications, by index in these three lists: registration ids. */
    private final LongArrayList lingeringRegistrationIds;
    /** Lingering publications: when they may be released at the earliest (the node's clock). */
    private final LongArrayList lingeringDeadlinesNs;
    /** Lingering publications: their publisher-limit counters, or NULL_COUNTER_ID until found. */
    private final IntArrayList lingeringLimitCounterIds;
    /** The linger written into a UDP response channel that names none. */
    private final long defaultResponseLingerNs;
    /** The term length written into a response channel that names none. */
    private final int defaultResponseTermLength;
    private final ArrayList<ClientSession> sessions = new ArrayList<>();
    private final EgressDelivery delivery = new EgressDelivery();
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReceiptEncoder receiptEncoder = new ReceiptEncoder();
    private final AccountStateEncoder accountStateEncoder = new AccountStateEncoder();
    private final TransactionStateEncoder transactionStateEncoder = new TransactionStateEncoder();
    private final ConnectedEncoder connectedEncoder = new ConnectedEncoder();
    private final DisconnectEncoder disconnectEncoder = new DisconnectEncoder();
    private final MessageHandler ringHandler = this::onRingMessage;
    private final ExpandableRingBuffer.MessageConsumer backlogConsumer = this::offerFromBacklog;
    private ClientSession flushing;
    /** The most sessions held at once, for tests of the client limit. */
    private int peakSessionCount;
    /** The most sessions and lingering publications held at once, for tests of the client limit. */
    private int peakRoomsHeld;
    /** Account-query answers among the messages the current backlog flush sent. */
    private int flushedAccountAnswers;
    /** Transaction-query answers among the messages the current backlog flush sent. */
    private int flushedTransactionAnswers;
    /** The transaction types, without SBE's null value. */
    private static final TxType[] TX_TYPES = Arrays.stream(TxType.values())
        .filter(type -> type != TxType.NULL_VAL).toArray(TxType[]::new);
    /** Where a message's SBE template id is, to tell answers from receipts in a backlog. */
    private static final int TEMPLATE_ID_OFFSET = 2;
    private long nowNs;

    /** A client's session as egress sees it. */
    static final class ClientSession
    {
        final long clientId;
        final long correlationId;
        final String channel;
        final int streamId;
        final ExpandableRingBuffer backlog;
        long registrationId = Aeron.NULL_VALUE;
        /** Whether the driver keeps the closed publication's log buffers for a while (UDP), or not (IPC). */
        boolean lingers;
        /** The publication's publisher-limit counter, once the publication is added. */
        int limitCounterId = CountersReader.NULL_COUNTER_ID;
        ExclusivePublication publication;
        int state = STATE_ADDING;
        long deadlineNs;
        long lastProgressNs;
        int backlogCount;

        ClientSession(
            final long clientId,
            final long correlationId,
            final String channel,
            final int streamId,
            final int backlogCapacity)
        {
            this.clientId = clientId;
            this.correlationId = correlationId;
            this.channel = channel;
            this.streamId = streamId;
            this.backlog = new ExpandableRingBuffer(0, backlogCapacity, false);
        }
    }

    EgressPublisher(final TransportContext ctx, final Aeron aeron, final TransportCounters counters)
    {
        this.ringBuffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect(ctx.egressRingCapacity() + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        this.aeron = aeron;
        this.counters = counters;
        this.clock = ctx.nanoClock();
        this.chainId = ctx.chainId();
        this.feeSchedule = ctx.feeSchedule();
        this.connectTimeoutNs = ctx.connectTimeoutNs();
        this.slowClientTimeoutNs = ctx.slowClientTimeoutNs();
        this.clientBacklogCapacity = ctx.clientBacklogCapacity();
        // No more than the client limit linger at once: ingress counts them among the sessions held.
        this.lingeringRegistrationIds = new LongArrayList(ctx.maxClients(), Aeron.NULL_VALUE);
        this.lingeringDeadlinesNs = new LongArrayList(ctx.maxClients(), Aeron.NULL_VALUE);
        this.lingeringLimitCounterIds = new IntArrayList(ctx.maxClients(), CountersReader.NULL_COUNTER_ID);
        this.defaultResponseLingerNs = defaultResponseLingerNs();
        this.defaultResponseTermLength = ctx.responseTermLength();
    }

    /**
     * @return the linger the node writes into a UDP response channel that names none: the media driver's publication
     * linger ({@code aeron.publication.linger.timeout}, 5 s by default, what an embedded driver of this process uses),
     * at most {@link #MAX_RESPONSE_LINGER_NS}. Written into the channel, it is the linger whatever driver publishes.
     */
    static long defaultResponseLingerNs()
    {
        return Math.min(Configuration.publicationLingerTimeoutNs(), MAX_RESPONSE_LINGER_NS);
    }

    /** The fee schedule as the Connected message's fees group: every transaction type, or none without a schedule. */
    private void encodeFees()
    {
        final TxType[] types = TX_TYPES;
        final ConnectedEncoder.FeesEncoder fees = connectedEncoder.feesCount(feeSchedule == null ? 0 : types.length);
        if (feeSchedule != null)
        {
            for (final TxType type : types)
            {
                fees.next().txType(type).minimumFeeMicroCmt(feeSchedule.minFee(type.value()));
            }
        }
    }

    @Override
    public String roleName()
    {
        return "cmt-egress";
    }

    @Override
    public void onReceipt(
        final long clientId,
        final byte[] txHash,
        final int hashOffset,
        final int status,
        final long blockHeight,
        final long feeCharged)
    {
        if (!offerReceipt(clientId, txHash, hashOffset, status, blockHeight, feeCharged))
        {
            counters.receiptsRingFull.incrementRelease();
        }
    }

    @Override
    public boolean offerReceipt(
        final long clientId,
        final byte[] txHash,
        final int hashOffset,
        final int status,
        final long blockHeight,
        final long feeCharged)
    {
        final int index = ring.tryClaim(RECEIPT_MSG_TYPE_ID, RECEIPT_LENGTH);
        if (index <= 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ringBuffer;
        buffer.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        buffer.putLong(index + BLOCK_HEIGHT_OFFSET, blockHeight, LE);
        buffer.putLong(index + FEE_OFFSET, feeCharged, LE);
        buffer.putInt(index + STATUS_OFFSET, status, LE);
        buffer.putBytes(index + HASH_OFFSET, txHash, hashOffset, HASH_LENGTH);
        ring.commit(index);
        return true;
    }

    @Override
    public boolean offerAccountState(
        final long clientId,
        final long correlationId,
        final byte[] address,
        final long height,
        final boolean exists,
        final long balance,
        final long nonce)
    {
        final int index = ring.tryClaim(ACCOUNT_STATE_MSG_TYPE_ID, ACCOUNT_STATE_LENGTH);
        if (index <= 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ringBuffer;
        buffer.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        buffer.putLong(index + STATE_CORRELATION_ID_OFFSET, correlationId, LE);
        buffer.putLong(index + STATE_HEIGHT_OFFSET, height, LE);
        buffer.putLong(index + STATE_BALANCE_OFFSET, balance, LE);
        buffer.putLong(index + STATE_NONCE_OFFSET, nonce, LE);
        buffer.putInt(index + STATE_EXISTS_OFFSET, exists ? 1 : 0, LE);
        buffer.putBytes(index + STATE_ADDRESS_OFFSET, address, 0, ADDRESS_LENGTH);
        ring.commit(index);
        return true;
    }

    @Override
    public boolean offerTransactionState(
        final long clientId,
        final long correlationId,
        final byte[] txHash,
        final int hashOffset,
        final boolean found,
        final long blockHeight,
        final int txIndex,
        final int status,
        final long feeCharged,
        final long journaledHeight)
    {
        return offerTransactionRecord(clientId, correlationId, txHash, hashOffset,
            found ? TransactionState.WIRE_FOUND : TransactionState.WIRE_NOT_FOUND, blockHeight, txIndex, status,
            feeCharged, journaledHeight);
    }

    @Override
    public boolean offerTransactionUnreadable(
        final long clientId,
        final long correlationId,
        final byte[] txHash,
        final int hashOffset,
        final long blockHeight,
        final long journaledHeight)
    {
        return offerTransactionRecord(clientId, correlationId, txHash, hashOffset, TransactionState.WIRE_UNREADABLE,
            blockHeight, 0, TransactionState.NO_STATUS, 0, journaledHeight);
    }

    private boolean offerTransactionRecord(
        final long clientId,
        final long correlationId,
        final byte[] txHash,
        final int hashOffset,
        final short found,
        final long blockHeight,
        final int txIndex,
        final int status,
        final long feeCharged,
        final long journaledHeight)
    {
        final int index = ring.tryClaim(TRANSACTION_STATE_MSG_TYPE_ID, TRANSACTION_STATE_LENGTH);
        if (index <= 0)
        {
            return false;
        }
        final AtomicBuffer buffer = ringBuffer;
        buffer.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        buffer.putLong(index + STATE_CORRELATION_ID_OFFSET, correlationId, LE);
        buffer.putLong(index + TX_STATE_HEIGHT_OFFSET, blockHeight, LE);
        buffer.putLong(index + TX_STATE_FEE_OFFSET, feeCharged, LE);
        buffer.putLong(index + TX_STATE_JOURNALED_OFFSET, journaledHeight, LE);
        buffer.putInt(index + TX_STATE_INDEX_OFFSET, txIndex, LE);
        buffer.putInt(index + TX_STATE_STATUS_OFFSET, status, LE);
        buffer.putInt(index + TX_STATE_FOUND_OFFSET, found, LE);
        buffer.putBytes(index + TX_STATE_HASH_OFFSET, txHash, hashOffset, HASH_LENGTH);
        ring.commit(index);
        return true;
    }

    /**
     * Ingress: open a session (egress adds the publication and answers Connected).
     *
     * @return false if the ring is full; ingress then retries the Connect later.
     */
    boolean offerOpen(
        final long clientId,
        final long correlationId,
        final int responseStreamId,
        final DirectBuffer channel,
        final int channelOffset,
        final int channelLength)
    {
        final int index = ring.tryClaim(OPEN_SESSION_MSG_TYPE_ID, CHANNEL_OFFSET + channelLength);
        if (index <= 0)
        {
            return false;
        }
        ringBuffer.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        ringBuffer.putLong(index + CORRELATION_ID_OFFSET, correlationId, LE);
        ringBuffer.putInt(index + RESPONSE_STREAM_ID_OFFSET, responseStreamId, LE);
        ringBuffer.putInt(index + CHANNEL_LENGTH_OFFSET, channelLength, LE);
        ringBuffer.putBytes(index + CHANNEL_OFFSET, channel, channelOffset, channelLength);
        ring.commit(index);
        return true;
    }

    /**
     * Ingress: close a session.
     *
     * @return false if the ring is full; ingress then retries later.
     */
    boolean offerClose(final long clientId)
    {
        final int index = ring.tryClaim(CLOSE_SESSION_MSG_TYPE_ID, CLOSE_LENGTH);
        if (index <= 0)
        {
            return false;
        }
        ringBuffer.putLong(index + CLIENT_ID_OFFSET, clientId, LE);
        ring.commit(index);
        return true;
    }

    @Override
    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work = ring.read(ringHandler, RING_READ_LIMIT);
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            work += service(sessions.get(i));
        }
        if (!lingeringRegistrationIds.isEmpty())
        {
            work += releaseLingeringPublications();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final ClientSession session = sessions.get(i);
            if (null != session.publication && STATE_OPEN == session.state)
            {
                sendDisconnect(session, REASON_SHUTDOWN);
                if (session.publication.isConnected())
                {
                    delivery.streamEnded(session.publication.sessionId(), session.publication.streamId(),
                        session.publication.position());
                }
            }
            closeSession(session);
        }
    }

    /** @return where the open sessions' streams ended at {@link #onClose()}, for the transport to await. */
    EgressDelivery delivery()
    {
        return delivery;
    }

    int sessionCount()
    {
        return sessions.size();
    }

    /** For tests, on the egress thread or after it: the most sessions held at once so far. */
    int peakSessionCount()
    {
        return peakSessionCount;
    }

    /** For tests, on the egress thread or after it: the most sessions and lingering publications held at once. */
    int peakRoomsHeld()
    {
        return peakRoomsHeld;
    }

    /**
     * Any thread (ingress): how many closed sessions are not released yet because the media driver still keeps their
     * publications (draining them, or lingering). Each is released in time: once the driver has dropped it, which a
     * client that reads what it was sent, or goes, lets it do, and {@link #MIN_CLOSED_HOLD_NS} at the earliest. Falls
     * only after {@link #sessionsReleased()} has risen: a reader that sees it at 0 and then reads
     * {@link #sessionsReleased()} sees every release of the publications that lingered.
     *
     * @return the publications of closed sessions the node still counts.
     */
    long publicationsLingering()
    {
        return publicationsLingering.getAcquire();
    }

    /**
     * Any thread (ingress): how many of the sessions offered with {@link #offerOpen} no longer hold a publication.
     * Ingress's opens offered less this is never fewer than the sessions egress holds, the records still in the ring
     * included: a session is released only after its OPEN record has been read.
     *
     * @return the sessions released so far.
     */
    long sessionsReleased()
    {
        return sessionsReleased.getAcquire();
    }

    /**
     * Any thread (ingress): how many closes ({@link #offerClose}) egress has read. Each is acted on before it is
     * counted, so a reader that sees this equal to the closes it offered, and then reads {@link #sessionsReleased()},
     * sees every session those closes released.
     *
     * @return the CLOSE_SESSION records read so far.
     */
    long closesRead()
    {
        return closesRead.getAcquire();
    }

    private void onRingMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        switch (msgTypeId)
        {
            case RECEIPT_MSG_TYPE_ID:
                onReceiptRecord(buffer, index);
                break;

            case OPEN_SESSION_MSG_TYPE_ID:
                onOpen(buffer, index);
                break;

            case ACCOUNT_STATE_MSG_TYPE_ID:
                onAccountStateRecord(buffer, index);
                break;

            case TRANSACTION_STATE_MSG_TYPE_ID:
                onTransactionStateRecord(buffer, index);
                break;

            case CLOSE_SESSION_MSG_TYPE_ID:
            {
                final long clientId = buffer.getLong(index + CLIENT_ID_OFFSET, LE);
                final ClientSession open = sessionByClientId.get(clientId);
                // An evicted session's client has ended it (or gone): it no longer waits for its Disconnect.
                final ClientSession session = null != open ? open : evictedByClientId.get(clientId);
                if (null != session)
                {
                    closeSession(session);
                }
                closesRead.setRelease(closesRead.getPlain() + 1);
                break;
            }

            default:
                break;
        }
    }

    private void onOpen(final DirectBuffer buffer, final int index)
    {
        final long clientId = buffer.getLong(index + CLIENT_ID_OFFSET, LE);
        final int channelLength = buffer.getInt(index + CHANNEL_LENGTH_OFFSET, LE);
        final byte[] channelBytes = new byte[channelLength];
        buffer.getBytes(index + CHANNEL_OFFSET, channelBytes);
        final ClientSession session = new ClientSession(
            clientId,
            buffer.getLong(index + CORRELATION_ID_OFFSET, LE),
            new String(channelBytes, StandardCharsets.US_ASCII),
            buffer.getInt(index + RESPONSE_STREAM_ID_OFFSET, LE),
            clientBacklogCapacity);
        session.deadlineNs = nowNs + connectTimeoutNs;
        try
        {
            final String channel = responseChannel(session.channel, defaultResponseLingerNs, defaultResponseTermLength);
            session.lingers = lingers(channel);
            session.registrationId = aeron.asyncAddExclusivePublication(channel, session.streamId);
        }
        catch (final RuntimeException ex)
        {
            // A channel the client library rejects (not a valid URI): the client never hears back and times out.
            counters.connectTimeouts.incrementRelease();
            release();
            return;
        }
        sessionByClientId.put(clientId, session);
        sessions.add(session);
        peakSessionCount = Math.max(peakSessionCount, sessions.size());
        peakRoomsHeld = Math.max(peakRoomsHeld, sessions.size() + lingeringRegistrationIds.size());
        counters.sessionsOpened.incrementRelease();
    }

    /**
     * @param channel           a client's response channel, as its Connect gave it, which ingress has not refused
     *                          ({@link ResponseChannels}: a term-length above
     *                          {@link TransportContext#MAX_RESPONSE_TERM_LENGTH} is refused there).
     * @param defaultLingerNs   the linger a UDP channel that names none gets ({@link #defaultResponseLingerNs()}).
     * @param defaultTermLength the term length a channel that names none gets
     *                          ({@link TransportContext#responseTermLength()}).
     * @return the channel to publish on: the same, with a linger above {@link #MAX_RESPONSE_LINGER_NS} lowered to it;
     * a UDP one's linger, when it names none, set to {@code defaultLingerNs}, so that the node knows how long the
     * driver keeps the publication once it is closed; and its term-length, UDP or IPC, when it names none, set to
     * {@code defaultTermLength}, so that the node knows the size of the buffers the driver maps for it (an IPC one
     * would get 64 MiB terms); either whatever the driver's own default. As given when it does not parse (ingress
     * refuses such a channel).
     */
    static String responseChannel(final String channel, final long defaultLingerNs, final int defaultTermLength)
    {
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            boolean changed = false;
            if (null == uri.get(CommonContext.TERM_LENGTH_PARAM_NAME))
            {
                uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(defaultTermLength));
                changed = true;
            }
            final String linger = uri.get(CommonContext.LINGER_PARAM_NAME);
            if (null != linger &&
                SystemUtil.parseDuration(CommonContext.LINGER_PARAM_NAME, linger) > MAX_RESPONSE_LINGER_NS)
            {
                uri.put(CommonContext.LINGER_PARAM_NAME, Long.toString(MAX_RESPONSE_LINGER_NS));
                changed = true;
            }
            else if (null == linger && uri.isUdp())
            {
                uri.put(CommonContext.LINGER_PARAM_NAME, Long.toString(defaultLingerNs));
                changed = true;
            }
            if (changed)
            {
                return uri.toString();
            }
        }
        catch (final RuntimeException ex)
        {
            // Not a channel URI, or a linger that is no duration: left for the driver to refuse.
        }
        return channel;
    }

    /**
     * @param channel a channel to publish on, from {@link #responseChannel(String, long, int)}.
     * @return whether the driver keeps the publication's log buffers for a while once it is closed: a UDP channel's
     *         (drained, then its linger); not an IPC one's, which Aeron deletes once drained, nor a channel that is no
     *         URI (the driver refuses it, and adds no publication).
     */
    static boolean lingers(final String channel)
    {
        try
        {
            return ChannelUri.parse(channel).isUdp();
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private void onReceiptRecord(final MutableDirectBuffer buffer, final int index)
    {
        final ClientSession session = sessionByClientId.get(buffer.getLong(index + CLIENT_ID_OFFSET, LE));
        if (null == session)
        {
            counters.receiptsNoSession.incrementRelease();
            return;
        }

        receiptEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .putTxHash(buffer, index + HASH_OFFSET, HASH_LENGTH)
            .blockHeight(buffer.getLong(index + BLOCK_HEIGHT_OFFSET, LE))
            .feeChargedMicroCmt(buffer.getLong(index + FEE_OFFSET, LE))
            .status(statusOf(buffer.getInt(index + STATUS_OFFSET, LE)));
        send(session, RECEIPT_MESSAGE_LENGTH, counters.receiptsSent);
    }

    private void onAccountStateRecord(final MutableDirectBuffer buffer, final int index)
    {
        final ClientSession session = sessionByClientId.get(buffer.getLong(index + CLIENT_ID_OFFSET, LE));
        if (null == session)
        {
            return;
        }
        accountStateEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .correlationId(buffer.getLong(index + STATE_CORRELATION_ID_OFFSET, LE))
            .putAddress(buffer, index + STATE_ADDRESS_OFFSET, ADDRESS_LENGTH)
            .height(buffer.getLong(index + STATE_HEIGHT_OFFSET, LE))
            .exists((short)buffer.getInt(index + STATE_EXISTS_OFFSET, LE))
            .balanceMicroCmt(buffer.getLong(index + STATE_BALANCE_OFFSET, LE))
            .nonce(buffer.getLong(index + STATE_NONCE_OFFSET, LE));
        send(session, ACCOUNT_STATE_MESSAGE_LENGTH, counters.accountQueriesAnswered);
    }

    private void onTransactionStateRecord(final MutableDirectBuffer buffer, final int index)
    {
        final ClientSession session = sessionByClientId.get(buffer.getLong(index + CLIENT_ID_OFFSET, LE));
        if (null == session)
        {
            return;
        }
        final short foundCode = (short)buffer.getInt(index + TX_STATE_FOUND_OFFSET, LE);
        final boolean found = TransactionState.WIRE_FOUND == foundCode;
        transactionStateEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .correlationId(buffer.getLong(index + STATE_CORRELATION_ID_OFFSET, LE))
            .putTxHash(buffer, index + TX_STATE_HASH_OFFSET, HASH_LENGTH)
            .found(foundCode)
            .blockHeight(buffer.getLong(index + TX_STATE_HEIGHT_OFFSET, LE))
            .index(buffer.getInt(index + TX_STATE_INDEX_OFFSET, LE))
            .status(found ? statusOf(buffer.getInt(index + TX_STATE_STATUS_OFFSET, LE)) : ReceiptStatus.NULL_VAL)
            .feeChargedMicroCmt(buffer.getLong(index + TX_STATE_FEE_OFFSET, LE))
            .journaledHeight(buffer.getLong(index + TX_STATE_JOURNALED_OFFSET, LE));
        send(session, TRANSACTION_STATE_MESSAGE_LENGTH, counters.transactionQueriesAnswered);
    }

    /**
     * Offer the message in {@code scratch} to the session's publication, or queue it in its backlog behind what
     * waits there (in order); evict the session when its backlog is full.
     */
    private void send(final ClientSession session, final int length, final AtomicCounter sent)
    {
        if (STATE_OPEN == session.state && session.backlog.isEmpty())
        {
            final long result = session.publication.offer(scratch, 0, length);
            if (result > 0)
            {
                sent.incrementRelease();
                session.lastProgressNs = nowNs;
                return;
            }
            if (Publication.NOT_CONNECTED == result || Publication.CLOSED == result ||
                Publication.MAX_POSITION_EXCEEDED == result)
            {
                counters.receiptsNoSession.incrementRelease();
                closeSession(session);
                return;
            }
            session.lastProgressNs = nowNs;
        }

        if (session.backlog.append(scratch, 0, length))
        {
            session.backlogCount++;
        }
        else
        {
            counters.receiptsEvicted.incrementRelease();
            evict(session);
        }
    }

    private static ReceiptStatus statusOf(final int code)
    {
        final ReceiptStatus status = ReceiptStatuses.of(code);
        return ReceiptStatus.NULL_VAL == status ? ReceiptStatus.MALFORMED : status;
    }

    private int service(final ClientSession session)
    {
        switch (session.state)
        {
            case STATE_ADDING:
            {
                final ExclusivePublication publication;
                try
                {
                    publication = aeron.getExclusivePublication(session.registrationId);
                }
                catch (final RuntimeException ex)
                {
                    // Bad response channel (the driver refused it): the client never hears back and times out.
                    counters.connectTimeouts.incrementRelease();
                    session.registrationId = Aeron.NULL_VALUE;
                    closeSession(session);
                    return 1;
                }
                if (null != publication)
                {
                    session.publication = publication;
                    session.limitCounterId = publication.positionLimitId();
                    session.state = STATE_AWAIT_CONNECTED;
                    return 1;
                }
                return checkConnectDeadline(session);
            }

            case STATE_AWAIT_CONNECTED:
                if (session.publication.isConnected())
                {
                    connectedEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
                        .correlationId(session.correlationId)
                        .clientId(session.clientId)
                        .chainId(chainId & 0xFFFF_FFFFL)
                        .maxFrameLength(TransactionDescriptor.MAX_LENGTH);
                    encodeFees();
                    final int length = MessageHeaderEncoder.ENCODED_LENGTH + connectedEncoder.encodedLength();
                    if (session.publication.offer(scratch, 0, length) > 0)
                    {
                        session.state = STATE_OPEN;
                        session.lastProgressNs = nowNs;
                        return 1;
                    }
                }
                return checkConnectDeadline(session);

            case STATE_OPEN:
                if (!session.backlog.isEmpty())
                {
                    flushing = session;
                    final int before = session.backlogCount;
                    flushedAccountAnswers = 0;
                    flushedTransactionAnswers = 0;
                    session.backlog.consume(backlogConsumer, BACKLOG_FLUSH_LIMIT);
                    flushing = null;
                    final int sent = before - session.backlogCount;
                    if (sent > 0)
                    {
                        final int answers = flushedAccountAnswers + flushedTransactionAnswers;
                        counters.receiptsSent.getAndAddRelease(sent - answers);
                        counters.accountQueriesAnswered.getAndAddRelease(flushedAccountAnswers);
                        counters.transactionQueriesAnswered.getAndAddRelease(flushedTransactionAnswers);
                        session.lastProgressNs = nowNs;
                        return sent;
                    }
                    if (!session.publication.isConnected())
                    {
                        counters.receiptsNoSession.getAndAddRelease(countBacklog(session));
                        closeSession(session);
                        return 1;
                    }
                    if (nowNs - session.lastProgressNs > slowClientTimeoutNs)
                    {
                        evict(session);
                        return 1;
                    }
                }
                return 0;

            case STATE_EVICTED:
                return sendEvictedDisconnect(session);

            default:
                return 0;
        }
    }

    private int checkConnectDeadline(final ClientSession session)
    {
        if (nowNs - session.deadlineNs > 0)
        {
            counters.connectTimeouts.incrementRelease();
            counters.receiptsNoSession.getAndAddRelease(countBacklog(session));
            closeSession(session);
            return 1;
        }
        return 0;
    }

    private boolean offerFromBacklog(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        if (flushing.publication.offer(buffer, offset, length) > 0)
        {
            flushing.backlogCount--;
            final short templateId = buffer.getShort(offset + TEMPLATE_ID_OFFSET, LE);
            if (templateId == AccountStateEncoder.TEMPLATE_ID)
            {
                flushedAccountAnswers++;
            }
            else if (templateId == TransactionStateEncoder.TEMPLATE_ID)
            {
                flushedTransactionAnswers++;
            }
            return true;
        }
        return false;
    }

    private static int countBacklog(final ClientSession session)
    {
        return session.backlogCount;
    }

    private void evict(final ClientSession session)
    {
        counters.clientsEvicted.incrementRelease();
        counters.receiptsEvicted.getAndAddRelease(countBacklog(session));
        if (STATE_OPEN != session.state)
        {
            // Not told Connected yet: it would take no Disconnect.
            closeSession(session);
            return;
        }
        // Evicted when its publication has been full, so the Disconnect may not go in at once: keep the publication
        // (nothing else for it) until it does, or the client has read nothing for another slow-client timeout.
        sessionByClientId.remove(session.clientId);
        evictedByClientId.put(session.clientId, session);
        session.backlog.reset(0);
        session.backlogCount = 0;
        session.state = STATE_EVICTED;
        session.deadlineNs = nowNs + slowClientTimeoutNs;
        sendEvictedDisconnect(session);
    }

    /** Offer an evicted session's Disconnect; close the session once it is in, or cannot be, or the deadline passed. */
    private int sendEvictedDisconnect(final ClientSession session)
    {
        final long result = sendDisconnect(session, REASON_SLOW_CLIENT);
        if (result > 0 || Publication.NOT_CONNECTED == result || Publication.CLOSED == result ||
            Publication.MAX_POSITION_EXCEEDED == result || nowNs - session.deadlineNs > 0)
        {
            // Closing lets what is in the publication, the Disconnect last, drain to the client first.
            closeSession(session);
            return 1;
        }
        return 0;
    }

    private long sendDisconnect(final ClientSession session, final int reason)
    {
        disconnectEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .clientId(session.clientId)
            .reason(reason);
        return session.publication.offer(
            scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + disconnectEncoder.encodedLength());
    }

    private void closeSession(final ClientSession session)
    {
        sessionByClientId.remove(session.clientId);
        evictedByClientId.remove(session.clientId);
        final boolean held = sessions.remove(session);
        session.backlog.reset(0);
        session.backlogCount = 0;
        boolean removed = false;
        if (Aeron.NULL_VALUE != session.registrationId && !aeron.isClosed())
        {
            CloseHelper.quietClose(() -> aeron.asyncRemovePublication(session.registrationId));
            removed = true;
        }
        counters.sessionsClosed.incrementRelease();
        if (held)
        {
            if (removed && session.lingers)
            {
                linger(session);
            }
            else
            {
                release();
            }
        }
    }

    /**
     * Keep counting a closed session while the driver keeps its publication, and {@link #MIN_CLOSED_HOLD_NS} at least.
     */
    private void linger(final ClientSession session)
    {
        lingeringRegistrationIds.addLong(session.registrationId);
        lingeringDeadlinesNs.addLong(nowNs + MIN_CLOSED_HOLD_NS);
        lingeringLimitCounterIds.addInt(session.limitCounterId);
        publishLingering();
        peakRoomsHeld = Math.max(peakRoomsHeld, sessions.size() + lingeringRegistrationIds.size());
    }

    /**
     * Release the closed sessions whose publications the driver has dropped: {@link #MIN_CLOSED_HOLD_NS} has passed
     * (the node's clock), and their publisher-limit counter is gone. A publication closed before egress had it (still
     * being added) is looked for by its registration id once that time has passed: by then the driver has long added
     * it, if it could.
     * <p>
     * Once the node's Aeron client has closed (the driver timed it out: its counters can no longer be read) every one
     * is released: the driver drops what it held for the client, and egress adds no publication again.
     */
    private int releaseLingeringPublications()
    {
        final boolean clientClosed = aeron.isClosed();
        final CountersReader countersReader = clientClosed ? null : aeron.countersReader();
        int released = 0;
        for (int i = lingeringRegistrationIds.size() - 1; i >= 0; i--)
        {
            if (clientClosed || (nowNs - lingeringDeadlinesNs.getLong(i) >= 0 && !heldByDriver(countersReader, i)))
            {
                lingeringRegistrationIds.fastUnorderedRemove(i);
                lingeringDeadlinesNs.fastUnorderedRemove(i);
                lingeringLimitCounterIds.fastUnorderedRemove(i);
                release();
                released++;
            }
        }
        if (released > 0)
        {
            // After the releases: ingress reads this first, then the releases.
            publishLingering();
        }
        return released;
    }

    /** Publish the number of lingering publications, to ingress and to the counter {@code cmt stat} shows. */
    private void publishLingering()
    {
        final int lingering = lingeringRegistrationIds.size();
        publicationsLingering.setRelease(lingering);
        counters.publicationsLingering.setRelease(lingering);
    }

    /** @return true if the media driver still holds the lingering publication at {@code index}. */
    private boolean heldByDriver(final CountersReader countersReader, final int index)
    {
        final long registrationId = lingeringRegistrationIds.getLong(index);
        int counterId = lingeringLimitCounterIds.getInt(index);
        if (CountersReader.NULL_COUNTER_ID == counterId)
        {
            counterId = countersReader.findByTypeIdAndRegistrationId(
                AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID, registrationId);
            if (CountersReader.NULL_COUNTER_ID == counterId)
            {
                return false;
            }
            lingeringLimitCounterIds.setInt(index, counterId);
        }
        // A freed counter's slot may be taken by another's later: the registration id tells them apart.
        return CountersReader.RECORD_ALLOCATED == countersReader.getCounterState(counterId) &&
            registrationId == countersReader.getCounterRegistrationId(counterId);
    }

    /**
     * One session offered by ingress no longer holds a publication: its removal was asked for and, over UDP, the
     * driver has dropped it; or it never had one.
     */
    private void release()
    {
        sessionsReleased.setRelease(sessionsReleased.getPlain() + 1);
    }
}
