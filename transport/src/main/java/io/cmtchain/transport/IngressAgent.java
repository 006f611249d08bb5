package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.AccountQueryDecoder;
import io.cmtchain.engine.codec.ConnectDecoder;
import io.cmtchain.engine.codec.DisconnectDecoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.TransactionQueryDecoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteOrder;

/**
 * The node's ingress: polls the ingress subscriptions (UDP and, optionally, IPC), reassembles messages larger than
 * the MTU, and hands every transaction frame straight from the Aeron term buffer to the {@link TransactionSink}.
 * <p>
 * A client is identified by the Aeron session of its publication: the Connect it sends first maps that session to a
 * node-assigned clientId. What arrives on the stream is, in order of checks:
 * <ul>
 *   <li>Connect / Disconnect: opens or closes the session (egress does the publication work). A Connect whose
 *       response channel does not lead back to the host it came from ({@link ResponseChannels}) is refused: counted
 *       in {@code connectsRefused}, and answered with nothing, since the node has nowhere it may send to. One that
 *       finds the node at its client limit ({@link TransportContext#MAX_CLIENTS_PROP}) is refused too, counted in
 *       {@code connectsRefusedTooManyClients}, and answered with nothing: an answer would need a publication to the
 *       client, the very thing the limit withholds.</li>
 *   <li>a message with the Transaction header longer than {@link TransactionDescriptor#MAX_LENGTH}: counted, and
 *       answered with an OVERSIZED receipt if the session is known, keyed by SHA-256 of the domain tag and the
 *       frame from {@link TransactionDescriptor#SIGNED_OFFSET} (the same rule as {@link TxHash});</li>
 *   <li>a framed transaction ({@link TransactionFraming#isFramed}) from a known session: to the sink, whatever its
 *       content (wrong chain, bad signature, replayed nonce...), so the pipeline gives it a rejection receipt;</li>
 *   <li>anything else, or anything from a session that never connected: dropped and counted.</li>
 * </ul>
 * When the sink is full it returns BACK_PRESSURED and this agent answers {@code ABORT}: the fragment stays in the
 * log, Aeron's flow control stops the publisher, and nothing accepted is lost. The same when egress has no room for
 * what a message asks of it (a session's opening, an OVERSIZED receipt). A session's close (on Disconnect, on a
 * replacing Connect, or when its publication is gone) that finds egress full waits in a list of closes, which each
 * session check offers again.
 * <p>
 * The client limit: ingress alone offers egress its sessions' opens and closes, and egress counts, for it to read,
 * the sessions it has released (their publications closed and, over UDP, dropped by the media driver; or never
 * added), the closes it has read, and the closed sessions whose publications still
 * linger. Opens offered less sessions released is never fewer than the sessions egress holds, an evicted one waiting
 * to tell its client included, and the publications the driver keeps for closed ones, so a Connect opens a session
 * only when that is under the limit: no lock, and no race past it. At the limit, a Connect waits (ABORT, counted in
 * {@code ingressBackPressure}) while any close ingress offered is still on its way to egress: a reconnect's close of
 * its own session, or another client's Disconnect, frees room only once egress has read it. Once egress has read
 * every close, a Connect still at the limit is refused, unless it is a reconnect and publications of closed sessions
 * still linger (its own old one, say): it waits for one of them to go, as long as {@link #reconnectWaitNs}, and is
 * refused after that. A reconnect's room is kept for it while it waits, so that another client's Connect read
 * meanwhile cannot take it; read again each duty cycle meanwhile, it is only checked for room (nothing allocated), its
 * response channel when it is decided. Messages behind it on the same publication wait with it.
 * <p>
 * A message that arrives in fragments is reassembled in a buffer kept for its Aeron session, as large as the largest
 * such message (up to an eighth of the term length the publisher chose). The session check frees the buffer of every
 * session whose image has gone, connected or not: otherwise publications that each sent one large message and went
 * away would hold the node's memory for good.
 */
final class IngressAgent implements Agent
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int CONNECT_TEMPLATE_ID = 10;
    private static final int DISCONNECT_TEMPLATE_ID = 12;
    /**
     * The longest response channel a Connect may carry: the schema's limit ({@code varDataEncoding}'s maxValue, which
     * the encoder enforces), well inside the largest record of the smallest egress ring (8 KiB of 64 KiB).
     */
    static final int MAX_RESPONSE_CHANNEL_LENGTH = 1024;
    /** Marks which subscription a session came from, in the high half of a session key. */
    private static final int KEY_SHIFT = 32;
    /** {@link #reconnectDeadlineNsBySessionKey}'s value for a session key that has no reserved room. */
    private static final long NOT_RECONNECTING = Long.MIN_VALUE;

    private final Aeron aeron;
    private final TransactionSink sink;
    private final EgressPublisher egress;
    private final TransportCounters counters;
    private final NanoClock clock;
    private final Subscription[] subscriptions;
    private final ControlledFragmentAssembler[] assemblers;
    private final ControlledFragmentHandler[] fragmentHandlers;
    /** Sessions (keys as in {@link #clientIdBySessionKey}) that have begun a fragmented message. */
    private final LongHashSet reassemblingSessionKeys = new LongHashSet();
    /**
     * Sessions whose Connect replaced their own session and waits, at the client limit, for egress to release it: the
     * room is kept for them, and the value is how long the Connect may wait for publications of closed sessions to stop
     * lingering. Freed when the Connect is decided, or by the session check when the publication is gone.
     */
    private final Long2LongHashMap reconnectDeadlineNsBySessionKey = new Long2LongHashMap(NOT_RECONNECTING);
    /**
     * How long a reconnect at the client limit waits for the room its replaced session frees: the longest linger the
     * node gives a response publication, and the connect timeout besides for the driver to drain it (a client that
     * reads what was sent to it lets it do so in milliseconds). Past it the reconnect is refused: what still lingers
     * is a publication the client does not read, which the driver keeps until it does, or goes.
     */
    private final long reconnectWaitNs;
    private final int fragmentLimit;
    private final long sessionCheckIntervalNs;
    private final boolean responseHostCheck;
    /** The term length egress gives a response channel that names none, which the driver checks its mtu against. */
    private final int responseTermLength;
    private final int maxClients;
    private final Long2LongHashMap clientIdBySessionKey = new Long2LongHashMap(Aeron.NULL_VALUE);
    private final LongArrayList pendingCloses = new LongArrayList();
    private final LongArrayList goneSessionKeys = new LongArrayList();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final DisconnectDecoder disconnectDecoder = new DisconnectDecoder();
    private final Sha256 sha = new Sha256();
    private final byte[] hash = new byte[Sha256.DIGEST_LENGTH];
    private long nextClientId;
    /** Sessions offered to egress ({@link EgressPublisher#offerOpen}); with its releases, the sessions held. */
    private long opensOffered;
    /** Closes offered to egress ({@link EgressPublisher#offerClose}); with the closes it read, those on the way. */
    private long closesOffered;
    private long nextSessionCheckNs;
    private int pollingIndex;

    IngressAgent(
        final TransportContext ctx,
        final Aeron aeron,
        final TransactionSink sink,
        final EgressPublisher egress,
        final TransportCounters counters)
    {
        this.aeron = aeron;
        this.sink = sink;
        this.egress = egress;
        this.counters = counters;
        this.clock = ctx.nanoClock();
        this.fragmentLimit = ctx.fragmentLimit();
        this.sessionCheckIntervalNs = ctx.sessionCheckIntervalNs();
        this.responseHostCheck = ctx.responseHostCheck();
        this.responseTermLength = ctx.responseTermLength();
        this.maxClients = ctx.maxClients();
        this.reconnectWaitNs = EgressPublisher.MAX_RESPONSE_LINGER_NS + ctx.connectTimeoutNs();
        final int count = ctx.ipcIngress() ? 2 : 1;
        subscriptions = new Subscription[count];
        assemblers = new ControlledFragmentAssembler[count];
        fragmentHandlers = new ControlledFragmentHandler[count];
        for (int i = 0; i < count; i++)
        {
            subscriptions[i] = aeron.addSubscription(
                0 == i ? ctx.ingressChannel() : TransportContext.IPC_CHANNEL, ctx.ingressStreamId());
            final int subscriptionIndex = i;
            final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(
                (buffer, offset, length, header) -> onMessage(subscriptionIndex, buffer, offset, length, header));
            assemblers[i] = assembler;
            fragmentHandlers[i] = (buffer, offset, length, header) ->
            {
                final byte flags = header.flags();
                if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.BEGIN_FRAG_FLAG)
                {
                    reassemblingSessionKeys.add(sessionKey(subscriptionIndex, header.sessionId()));
                }
                return assembler.onFragment(buffer, offset, length, header);
            };
        }
        // Ids from the wall clock so a restarted node does not hand a new client the id of a previous one whose
        // receipts may still be in flight in the pipeline.
        nextClientId = System.currentTimeMillis() << 16;
    }

    @Override
    public String roleName()
    {
        return "cmt-ingress";
    }

    @Override
    public int doWork()
    {
        int work = 0;
        final int count = subscriptions.length;
        for (int i = 0; i < count; i++)
        {
            // Alternate which subscription goes first so neither can starve the other.
            final int index = (pollingIndex + i) % count;
            work += subscriptions[index].controlledPoll(fragmentHandlers[index], fragmentLimit);
        }
        // Kept below count: a count of duty cycles turns negative after 2^31 of them (minutes on a busy-spinning
        // thread), and so would the index.
        pollingIndex = (pollingIndex + 1) % count;

        final long nowNs = clock.nanoTime();
        if (nowNs - nextSessionCheckNs >= 0)
        {
            nextSessionCheckNs = nowNs + sessionCheckIntervalNs;
            work += checkSessions();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        for (final Subscription subscription : subscriptions)
        {
            CloseHelper.quietClose(subscription);
        }
    }

    int sessionCount()
    {
        return clientIdBySessionKey.size();
    }

    /** For tests: the subscription at {@code index} (0 the ingress channel, 1 IPC when on). */
    Subscription subscription(final int index)
    {
        return subscriptions[index];
    }

    /** For tests: the index of the subscription the next duty cycle polls first (0 the ingress channel, 1 IPC). */
    int firstSubscriptionOfNextCycle()
    {
        return pollingIndex;
    }

    /** For tests: the reassembler of the subscription at {@code index}. */
    ControlledFragmentAssembler assembler(final int index)
    {
        return assemblers[index];
    }

    private Action onMessage(
        final int subscriptionIndex, final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long sessionKey = sessionKey(subscriptionIndex, header.sessionId());
        if (TransactionFraming.hasTransactionHeader(buffer, offset, length))
        {
            final long clientId = clientIdBySessionKey.get(sessionKey);
            if (length > TransactionDescriptor.MAX_LENGTH)
            {
                return onOversized(clientId, buffer, offset, length);
            }
            if (!TransactionFraming.isFramed(buffer, offset, length))
            {
                counters.framesMalformed.incrementRelease();
                return Action.CONTINUE;
            }
            if (Aeron.NULL_VALUE == clientId)
            {
                counters.framesUnknownSession.incrementRelease();
                return Action.CONTINUE;
            }
            if (TransactionSink.ACCEPTED == sink.onTransaction(buffer, offset, length, clientId))
            {
                counters.framesAccepted.incrementRelease();
                return Action.CONTINUE;
            }
            counters.ingressBackPressure.incrementRelease();
            return Action.ABORT;
        }

        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            headerDecoder.wrap(buffer, offset);
            if (headerDecoder.schemaId() == MessageHeaderDecoder.SCHEMA_ID)
            {
                final int templateId = headerDecoder.templateId();
                if (CONNECT_TEMPLATE_ID == templateId)
                {
                    return onConnect(sessionKey, buffer, offset, length, header);
                }
                if (DISCONNECT_TEMPLATE_ID == templateId)
                {
                    return onDisconnect(sessionKey, buffer, offset, length);
                }
                if (AccountQueryDecoder.TEMPLATE_ID == templateId || TransactionQueryDecoder.TEMPLATE_ID == templateId)
                {
                    return onQuery(sessionKey, buffer, offset, length, AccountQueryDecoder.TEMPLATE_ID == templateId);
                }
            }
        }
        counters.framesMalformed.incrementRelease();
        return Action.CONTINUE;
    }

    private static long sessionKey(final int subscriptionIndex, final int sessionId)
    {
        return ((long)subscriptionIndex << KEY_SHIFT) | (sessionId & 0xFFFF_FFFFL);
    }

    private Action onOversized(final long clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (Aeron.NULL_VALUE == clientId)
        {
            counters.framesOversized.incrementRelease();
            counters.framesUnknownSession.incrementRelease();
            return Action.CONTINUE;
        }
        // Longer than MAX_LENGTH, so it holds the signed bytes' start whatever it is.
        TxHash.compute(sha, buffer, offset, length, hash, 0);
        if (!egress.offerReceipt(clientId, hash, 0, ReceiptStatus.OVERSIZED.value(), 0, 0))
        {
            // Egress is full: leave the frame in the log and answer it later rather than drop the answer.
            counters.ingressBackPressure.incrementRelease();
            return Action.ABORT;
        }
        counters.framesOversized.incrementRelease();
        return Action.CONTINUE;
    }

    private Action onConnect(
        final long sessionKey, final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int fixedLength = MessageHeaderDecoder.ENCODED_LENGTH + ConnectDecoder.BLOCK_LENGTH +
            ConnectDecoder.responseChannelHeaderLength();
        if (length < fixedLength || headerDecoder.blockLength() != ConnectDecoder.BLOCK_LENGTH)
        {
            counters.framesMalformed.incrementRelease();
            return Action.CONTINUE;
        }
        connectDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, ConnectDecoder.BLOCK_LENGTH,
            headerDecoder.version());
        final int channelLength = buffer.getShort(
            offset + MessageHeaderDecoder.ENCODED_LENGTH + ConnectDecoder.BLOCK_LENGTH, LE) & 0xFFFF;
        if (fixedLength + channelLength != length || channelLength < "aeron:".length() ||
            channelLength > MAX_RESPONSE_CHANNEL_LENGTH)
        {
            counters.framesMalformed.incrementRelease();
            return Action.CONTINUE;
        }

        // A second Connect on the same publication (the client timed out waiting, or reconnects) replaces the session;
        // a refused one ends it too: its client has left it.
        final long previousClientId = clientIdBySessionKey.remove(sessionKey);
        if (Aeron.NULL_VALUE != previousClientId)
        {
            closeOrDefer(previousClientId);
            // The room the replaced session frees is this one's, not that of another client's Connect read meanwhile.
            reconnectDeadlineNsBySessionKey.put(sessionKey, clock.nanoTime() + reconnectWaitNs);
        }
        else if (reconnectDeadlineNsBySessionKey.containsKey(sessionKey) && Action.ABORT == roomFor(sessionKey))
        {
            // A reconnect read again while it waits for room, every duty cycle for up to reconnectWaitNs: its channel
            // is checked when it is decided, not each time meanwhile (parsing it allocates, and ingress may spin).
            counters.ingressBackPressure.incrementRelease();
            return Action.ABORT;
        }
        if (null != refusal(buffer, offset + fixedLength, channelLength, header))
        {
            reconnectDeadlineNsBySessionKey.remove(sessionKey);
            counters.connectsRefused.incrementRelease();
            return Action.CONTINUE;
        }
        final Action overLimit = overClientLimit(sessionKey);
        if (null != overLimit)
        {
            return overLimit;
        }
        final long clientId = nextClientId;
        if (!egress.offerOpen(clientId, connectDecoder.correlationId(), connectDecoder.responseStreamId(),
            buffer, offset + fixedLength, channelLength))
        {
            // Egress is full: leave the Connect in the log and open the session later.
            counters.ingressBackPressure.incrementRelease();
            return Action.ABORT;
        }
        reconnectDeadlineNsBySessionKey.remove(sessionKey);
        opensOffered++;
        nextClientId++;
        clientIdBySessionKey.put(sessionKey, clientId);
        return Action.CONTINUE;
    }

    /**
     * The client limit, for a Connect about to open a session on {@code sessionKey}. Sessions held are the opens
     * offered less those egress has released: never fewer than egress holds, nor than it and the driver hold, as it
     * releases only what it was offered, and a closed session's only once the driver has dropped its publication. The
     * room of a session another publication's reconnect replaced is kept for that reconnect.
     *
     * @return null if the session may be opened; ABORT, to read the Connect again, while a close on its way to egress
     *         may make room, or, for a reconnect, while a publication of a closed session lingers (no longer than
     *         {@link #reconnectWaitNs}); CONTINUE when the Connect is refused, counted in
     *         {@code connectsRefusedTooManyClients}.
     */
    private Action overClientLimit(final long sessionKey)
    {
        final Action action = roomFor(sessionKey);
        if (Action.ABORT == action)
        {
            counters.ingressBackPressure.incrementRelease();
        }
        else if (Action.CONTINUE == action)
        {
            reconnectDeadlineNsBySessionKey.remove(sessionKey);
            counters.connectsRefusedTooManyClients.incrementRelease();
        }
        return action;
    }

    /**
     * {@link #overClientLimit(long)}'s decision, with nothing counted or freed: it may be asked again.
     *
     * @return null if the session may be opened; ABORT while it waits; CONTINUE when it is refused.
     */
    private Action roomFor(final long sessionKey)
    {
        // Read before the releases: once egress has read every close offered, the releases read next include theirs;
        // and once no publication lingers, they include those of every publication that did.
        final long closesRead = egress.closesRead();
        final long lingering = egress.publicationsLingering();
        final long held = opensOffered - egress.sessionsReleased();
        final long reconnectDeadlineNs = reconnectDeadlineNsBySessionKey.get(sessionKey);
        final boolean reconnecting = NOT_RECONNECTING != reconnectDeadlineNs;
        final int reserved = reconnectDeadlineNsBySessionKey.size() - (reconnecting ? 1 : 0);
        if (held + reserved < maxClients)
        {
            return null;
        }
        if (closesRead != closesOffered || !pendingCloses.isEmpty() ||
            (reconnecting && lingering > 0 && clock.nanoTime() - reconnectDeadlineNs < 0))
        {
            return Action.ABORT;
        }
        return Action.CONTINUE;
    }

    private Action onDisconnect(final long sessionKey, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + DisconnectDecoder.BLOCK_LENGTH)
        {
            counters.framesMalformed.incrementRelease();
            return Action.CONTINUE;
        }
        disconnectDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, DisconnectDecoder.BLOCK_LENGTH,
            headerDecoder.version());
        final long clientId = clientIdBySessionKey.get(sessionKey);
        // Only the session's own publication may end it, and only by naming its id.
        if (Aeron.NULL_VALUE != clientId && disconnectDecoder.clientId() == clientId)
        {
            clientIdBySessionKey.remove(sessionKey);
            closeOrDefer(clientId);
        }
        return Action.CONTINUE;
    }

    /**
     * @return null if egress may open a publication to the response channel in {@code buffer}; else why not. The
     *         Connect's source is its image's ({@link Header#context()}, also on a reassembled message's header).
     */
    private String refusal(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final Object context = header.context();
        final String source = context instanceof Image ? ((Image)context).sourceIdentity() : null;
        final String channel = buffer.getStringWithoutLengthAscii(offset, length);
        final String refusal = ResponseChannels.refusal(channel, source, responseHostCheck, responseTermLength);
        return null != refusal ? refusal : ResponseChannels.streamIdRefusal(channel, connectDecoder.responseStreamId());
    }

    /** An AccountQuery ({@code account}) or a TransactionQuery: both are a correlation id and a key. */
    private Action onQuery(
        final long sessionKey, final DirectBuffer buffer, final int offset, final int length, final boolean account)
    {
        final int blockLength = account ? AccountQueryDecoder.BLOCK_LENGTH : TransactionQueryDecoder.BLOCK_LENGTH;
        if (length != MessageHeaderDecoder.ENCODED_LENGTH + blockLength || headerDecoder.blockLength() != blockLength)
        {
            counters.framesMalformed.incrementRelease();
            return Action.CONTINUE;
        }
        final long clientId = clientIdBySessionKey.get(sessionKey);
        if (Aeron.NULL_VALUE == clientId)
        {
            counters.framesUnknownSession.incrementRelease();
            return Action.CONTINUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int result;
        if (account)
        {
            result = sink.onAccountQuery(clientId, buffer.getLong(body +
                AccountQueryDecoder.correlationIdEncodingOffset(), LE), buffer,
                body + AccountQueryDecoder.addressEncodingOffset());
        }
        else
        {
            result = sink.onTransactionQuery(clientId, buffer.getLong(body +
                TransactionQueryDecoder.correlationIdEncodingOffset(), LE), buffer,
                body + TransactionQueryDecoder.txHashEncodingOffset());
        }
        if (TransactionSink.BACK_PRESSURED == result)
        {
            counters.ingressBackPressure.incrementRelease();
            return Action.ABORT;
        }
        if (TransactionSink.UNSUPPORTED == result)
        {
            (account ? counters.accountQueriesRefused : counters.transactionQueriesRefused).incrementRelease();
        }
        return Action.CONTINUE;
    }

    private void closeOrDefer(final long clientId)
    {
        if (!offerClose(clientId))
        {
            pendingCloses.addLong(clientId);
        }
    }

    private boolean offerClose(final long clientId)
    {
        if (egress.offerClose(clientId))
        {
            closesOffered++;
            return true;
        }
        return false;
    }

    private int checkSessions()
    {
        int work = 0;
        for (int i = pendingCloses.size() - 1; i >= 0; i--)
        {
            if (offerClose(pendingCloses.getLong(i)))
            {
                pendingCloses.fastUnorderedRemove(i);
                work++;
            }
        }

        collectGoneSessionKeys(clientIdBySessionKey);
        for (int i = 0; i < goneSessionKeys.size(); i++)
        {
            final long clientId = clientIdBySessionKey.remove(goneSessionKeys.getLong(i));
            closeOrDefer(clientId);
            work++;
        }
        goneSessionKeys.clear();
        return work + freeReservationsOfGoneSessions() + freeReassemblyBuffersOfGoneSessions();
    }

    /** Add to {@link #goneSessionKeys} each session key of {@code bySessionKey} whose image is gone. */
    private void collectGoneSessionKeys(final Long2LongHashMap bySessionKey)
    {
        final Long2LongHashMap.KeyIterator keys = bySessionKey.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            if (imageGone(key))
            {
                goneSessionKeys.addLong(key);
            }
        }
    }

    /** @return true when the image of a session key (its subscription and Aeron session id) is gone. */
    private boolean imageGone(final long sessionKey)
    {
        return null == subscriptions[(int)(sessionKey >>> KEY_SHIFT)].imageBySessionId((int)sessionKey);
    }

    private int freeReservationsOfGoneSessions()
    {
        if (reconnectDeadlineNsBySessionKey.isEmpty())
        {
            return 0;
        }
        collectGoneSessionKeys(reconnectDeadlineNsBySessionKey);
        final int freed = goneSessionKeys.size();
        for (int i = 0; i < freed; i++)
        {
            reconnectDeadlineNsBySessionKey.remove(goneSessionKeys.getLong(i));
        }
        goneSessionKeys.clear();
        return freed;
    }

    private int freeReassemblyBuffersOfGoneSessions()
    {
        if (reassemblingSessionKeys.isEmpty())
        {
            return 0;
        }
        final LongHashSet.LongIterator keys = reassemblingSessionKeys.iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            if (imageGone(key))
            {
                assemblers[(int)(key >>> KEY_SHIFT)].freeSessionBuffer((int)key);
                goneSessionKeys.addLong(key);
            }
        }
        final int freed = goneSessionKeys.size();
        for (int i = 0; i < freed; i++)
        {
            reassemblingSessionKeys.remove(goneSessionKeys.getLong(i));
        }
        goneSessionKeys.clear();
        return freed;
    }
}
