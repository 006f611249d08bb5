package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.AccountQueryEncoder;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptDecoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's ingress when what a message asks for finds no room: a sink that back-pressures a query, an egress ring
 * too full for a Connect's session, an OVERSIZED receipt or a Disconnect's close. The test thread runs the ingress
 * and egress agents itself, one duty cycle at a time, on a clock it moves by hand, so it decides when egress drains
 * and when the session check runs. Both ingress subscriptions are on (UDP and IPC).
 */
class IngressAgentTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int RESPONSE_STREAM_ID = 7_002;
    private static final long SESSION_CHECK_INTERVAL_MS = 10;
    private static final long NO_SUCH_CLIENT = 42;
    private static final int IPC_SUBSCRIPTION = 1;

    private final UnsafeBuffer send = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectedDecoder connectedDecoder = new ConnectedDecoder();
    private final ReceiptDecoder receiptDecoder = new ReceiptDecoder();
    private final FragmentAssembler responseHandler = new FragmentAssembler(this::onResponse);
    /** Connected answers: correlationId, clientId. */
    private final List<long[]> connecteds = new ArrayList<>();
    /** Receipts: the status byte, then the hash. */
    private final List<byte[]> receipts = new ArrayList<>();
    /** Frames the sink took: clientId, length. */
    private final List<long[]> taken = new ArrayList<>();
    private final QueryRecordingSink sink = new QueryRecordingSink((buffer, offset, length, clientId) ->
    {
        taken.add(new long[] {clientId, length});
        return TransactionSink.ACCEPTED;
    });
    private long nonce;
    private long nowNs;
    private File dir;
    private int udpPort;
    private NodeTransport transport;
    private IngressAgent ingress;
    private EgressPublisher egress;
    private Aeron aeron;
    private Subscription responses;

    @BeforeEach
    void setUp()
    {
        dir = TestNode.tempDir();
        udpPort = TransportTest.freeUdpPort();
        transport = NodeTransport.launch(new TransportContext()
            .dir(dir)
            .ingressChannel("aeron:udp?endpoint=localhost:" + udpPort)
            .ipcIngress(true)
            .chainId(TestFrames.CHAIN_ID)
            .egressRingCapacity(64 * 1024)
            .sessionCheckIntervalMs(SESSION_CHECK_INTERVAL_MS)
            .nanoClock(() -> nowNs), sink, TransportCounters.inMemory());
        ingress = (IngressAgent)transport.ingressAgent();
        egress = (EgressPublisher)transport.egressAgent();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(transport.aeronDirectoryName()));
        responses = aeron.addSubscription(TransportContext.IPC_CHANNEL, RESPONSE_STREAM_ID);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(aeron, transport);
        IoUtil.delete(dir, true);
    }

    @Test
    void shouldOpenTheSessionOfAConnectThatFoundEgressFullOnceEgressHasRoom()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        EgressPublisherTest.fillRing(egress, NO_SUCH_CLIENT);
        offer(publication, send, encodeConnect(1));
        Await.until("the Connect held back", TIMEOUT_MS, ingress::doWork,
            () -> counters().ingressBackPressure.get() >= 3);
        assertEquals(0, ingress.sessionCount());
        assertEquals(0, counters().sessionsOpened.get());

        Await.until("Connected", TIMEOUT_MS, this::cycle, () -> !connecteds.isEmpty());
        assertEquals(1, connecteds.get(0)[0]);
        assertEquals(1, ingress.sessionCount());
        assertEquals(1, counters().sessionsOpened.get());
        // Opened once: a transaction behind the Connect comes from that session.
        offerTransfer(publication);
        Await.until("transaction taken", TIMEOUT_MS, this::cycle, () -> !taken.isEmpty());
        assertEquals(connecteds.get(0)[1], taken.get(0)[0]);
        assertEquals(1, connecteds.size());
    }

    @Test
    void shouldAnswerAnOversizedFrameThatFoundEgressFullOnceEgressHasRoom()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        connect(publication, 1);
        final int length = TransactionDescriptor.MAX_LENGTH + 1;
        final UnsafeBuffer frame = oversized(length);
        final byte[] expectedHash = new byte[Sha256.DIGEST_LENGTH];
        TxHash.compute(new Sha256(), frame, 0, length, expectedHash, 0);

        EgressPublisherTest.fillRing(egress, NO_SUCH_CLIENT);
        offer(publication, frame, length);
        Await.until("the oversized frame held back", TIMEOUT_MS, ingress::doWork,
            () -> counters().ingressBackPressure.get() >= 3);
        assertEquals(0, counters().framesOversized.get());

        Await.until("OVERSIZED receipt", TIMEOUT_MS, this::cycle, () -> !receipts.isEmpty());
        assertEquals(ReceiptStatus.OVERSIZED.value(), receipts.get(0)[0] & 0xFF);
        assertArrayEquals(expectedHash, Arrays.copyOfRange(receipts.get(0), 1, 1 + Sha256.DIGEST_LENGTH));
        assertEquals(1, counters().framesOversized.get());
        assertEquals(0, counters().framesUnknownSession.get());
        assertTrue(taken.isEmpty());
    }

    @Test
    void shouldCountAnOversizedFrameOfNoSessionAsSuchAndAnswerNothing()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final int length = TransactionDescriptor.MAX_LENGTH + 1;
        offer(publication, oversized(length), length);
        Await.until("oversized frame counted", TIMEOUT_MS, this::cycle,
            () -> counters().framesOversized.get() == 1);
        assertEquals(1, counters().framesUnknownSession.get());

        // Nothing went to egress for it, not even a receipt to no session.
        drainEgress();
        assertEquals(0, counters().receiptsNoSession.get());
    }

    @Test
    void shouldPassOnAFrameOfExactlyTheLargestLengthAndAnswerOneByteLongerOversized()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        connect(publication, 1);
        offer(publication, oversized(TransactionDescriptor.MAX_LENGTH), TransactionDescriptor.MAX_LENGTH);
        offer(publication, oversized(TransactionDescriptor.MAX_LENGTH + 1), TransactionDescriptor.MAX_LENGTH + 1);
        Await.until("OVERSIZED receipt", TIMEOUT_MS, this::cycle, () -> !receipts.isEmpty());
        assertEquals(1, taken.size());
        assertEquals(TransactionDescriptor.MAX_LENGTH, taken.get(0)[1]);
        assertEquals(1, counters().framesOversized.get());
    }

    @Test
    void shouldCountADisconnectShorterThanItsBlockAsMalformedAndKeepTheSession()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final long clientId = connect(publication, 1);
        // The reason's last byte cut off: the client id is whole, so only the length check refuses it.
        offer(publication, send, encodeDisconnect(clientId) - 1);
        offerTransfer(publication);
        Await.until("transaction taken", TIMEOUT_MS, this::cycle, () -> !taken.isEmpty());
        assertEquals(1, counters().framesMalformed.get());
        assertEquals(1, ingress.sessionCount());
        assertEquals(clientId, taken.get(0)[0]);
    }

    @Test
    void shouldOfferAQueryAgainWhileTheSinkIsBackPressuredAndPassItOnOnce()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final long clientId = connect(publication, 1);
        final UnsafeBuffer query = new UnsafeBuffer(new byte[128]);
        final int accountLength = TestFrames.accountQuery(query, 11, (byte)0x5A);
        final int transactionLength = TestFrames.transactionQuery(query, 64, 12, (byte)0x6B);

        sink.result = TransactionSink.BACK_PRESSURED;
        offer(publication, query, 0, accountLength);
        offer(publication, query, 64, transactionLength);
        Await.until("the query held back", TIMEOUT_MS, this::cycle, () -> counters().ingressBackPressure.get() >= 3);
        assertTrue(sink.queries.isEmpty());

        sink.result = TransactionSink.ACCEPTED;
        Await.until("both queries passed on", TIMEOUT_MS, this::cycle, () -> sink.queries.size() >= 2);
        // Behind them, a transaction: once it is taken, no further copy of either query can come.
        offerTransfer(publication);
        Await.until("transaction taken", TIMEOUT_MS, this::cycle, () -> !taken.isEmpty());
        assertEquals(2, sink.queries.size());
        assertArrayEquals(new long[] {clientId, 11, 0x5A5A5A5A5A5A5A5AL, 1}, sink.queries.poll());
        assertArrayEquals(new long[] {clientId, 12, 0x6B6B6B6B6B6B6B6BL, 0}, sink.queries.poll());
    }

    @Test
    void shouldCountAQueryWhoseHeaderGivesAnotherBlockLengthAsMalformed()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        connect(publication, 1);
        final UnsafeBuffer query = new UnsafeBuffer(new byte[128]);
        final int accountLength = TestFrames.accountQuery(query, 11, (byte)0x5A);
        // The length is right for this version's block; the header says the block of another version.
        query.putShort(0, (short)(AccountQueryEncoder.BLOCK_LENGTH + 1), ByteOrder.LITTLE_ENDIAN);
        offer(publication, query, 0, accountLength);
        offerTransfer(publication);
        Await.until("transaction taken", TIMEOUT_MS, this::cycle, () -> !taken.isEmpty());
        assertEquals(1, counters().framesMalformed.get());
        assertTrue(sink.queries.isEmpty());
    }

    @Test
    void shouldCloseASessionWhoseDisconnectFoundEgressFullAtTheNextSessionCheck()
    {
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final long clientId = connect(publication, 1);
        EgressPublisherTest.fillRing(egress, NO_SUCH_CLIENT);
        offer(publication, send, encodeDisconnect(clientId));
        Await.until("the Disconnect read", TIMEOUT_MS, ingress::doWork, () -> ingress.sessionCount() == 0);

        // Egress drains, but the close was not in its ring: it waits for the session check, which the clock holds.
        drainEgress();
        assertEquals(0, counters().sessionsClosed.get());

        nowNs += TimeUnit.MILLISECONDS.toNanos(SESSION_CHECK_INTERVAL_MS);
        Await.until("session closed", TIMEOUT_MS, this::cycle, () -> counters().sessionsClosed.get() == 1);
    }

    @Test
    void shouldKeepApartSessionsWithTheSameSessionIdOnTheUdpAndTheIpcSubscriptions()
    {
        final ExclusivePublication overIpc = publication(TransportContext.IPC_CHANNEL + "?session-id=4242");
        final ExclusivePublication overUdp =
            publication("aeron:udp?endpoint=localhost:" + udpPort + "|session-id=4242");
        assertEquals(overIpc.sessionId(), overUdp.sessionId());

        final long ipcClient = connect(overIpc, 1);
        final long udpClient = connect(overUdp, 2);
        assertNotEquals(ipcClient, udpClient);
        offerTransfer(overIpc);
        Await.until("IPC transaction taken", TIMEOUT_MS, this::cycle, () -> taken.size() == 1);
        offerTransfer(overUdp);
        Await.until("UDP transaction taken", TIMEOUT_MS, this::cycle, () -> taken.size() == 2);

        // The second Connect replaced nothing: both sessions stand, each frame came from its own.
        assertEquals(2, ingress.sessionCount());
        assertEquals(0, counters().sessionsClosed.get());
        assertEquals(ipcClient, taken.get(0)[0]);
        assertEquals(udpClient, taken.get(1)[0]);
    }

    @Test
    void shouldFreeTheReassemblyBufferOfASessionOnceItsPublicationIsGone()
    {
        // A message larger than the IPC MTU arrives in fragments, reassembled in a buffer kept for its session.
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final int sessionId = publication.sessionId();
        final int length = 64 * 1024;
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[length]);
        junk.setMemory(0, length, (byte)0x5A);
        offer(publication, junk, length);
        Await.until("junk counted", TIMEOUT_MS, this::cycle, () -> counters().framesMalformed.get() == 1);

        // The client goes away: its image goes, and the session check after that drops its buffer.
        publication.close();
        Await.until("image gone", TIMEOUT_MS, this::cycle,
            () -> null == ingress.subscription(IPC_SUBSCRIPTION).imageBySessionId(sessionId));
        nowNs += TimeUnit.MILLISECONDS.toNanos(SESSION_CHECK_INTERVAL_MS);
        cycle();
        assertFalse(ingress.assembler(IPC_SUBSCRIPTION).freeSessionBuffer(sessionId),
            "the gone session's reassembly buffer was kept");
    }

    @Test
    void shouldCountAConnectWhoseChannelIsLongerThanTheSchemaAllowsAsMalformed()
    {
        // The schema allows 1,024 bytes; the length field (u16) 64 KiB; the ring of 64 KiB takes records of 8 KiB.
        final ExclusivePublication publication = publication(TransportContext.IPC_CHANNEL);
        final StringBuilder channel = new StringBuilder(TransportContext.IPC_CHANNEL + "?alias=");
        while (channel.length() < 9_000)
        {
            channel.append('a');
        }
        final byte[] channelBytes = channel.toString().getBytes(StandardCharsets.US_ASCII);
        // By hand: the encoder refuses a channel longer than the schema's 1,024 bytes; a client need not use it.
        final UnsafeBuffer longConnect = new UnsafeBuffer(new byte[16 * 1024]);
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(longConnect, 0, headerEncoder)
            .correlationId(1)
            .responseStreamId(RESPONSE_STREAM_ID);
        final int lengthOffset = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        longConnect.putShort(lengthOffset, (short)channelBytes.length, ByteOrder.LITTLE_ENDIAN);
        longConnect.putBytes(lengthOffset + 2, channelBytes);
        offer(publication, longConnect, lengthOffset + 2 + channelBytes.length);
        Await.until("the long Connect counted", TIMEOUT_MS, this::cycle,
            () -> counters().framesMalformed.get() == 1);
        assertEquals(0, ingress.sessionCount());

        final long clientId = connect(publication, 2);
        offerTransfer(publication);
        Await.until("transaction taken", TIMEOUT_MS, this::cycle, () -> !taken.isEmpty());
        assertEquals(clientId, taken.get(0)[0]);
        assertEquals(1, counters().sessionsOpened.get());
    }

    private void cycle()
    {
        ingress.doWork();
        egress.doWork();
        responses.poll(responseHandler, 16);
    }

    private void drainEgress()
    {
        while (egress.doWork() > 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Ingress alternates which subscription it polls first for as long as the node runs. It kept the count of its duty
     * cycles in an int, which turns negative after 2^31 of them (minutes on a busy-spinning thread): from then on every
     * duty cycle threw (a negative index) before it read the IPC subscription or checked the sessions.
     */
    @Test
    @Tag("slow")
    void shouldKeepPollingBothSubscriptionsAndCheckingSessionsAfter2To31DutyCycles()
    {
        final ExclusivePublication overIpc = publication(TransportContext.IPC_CHANNEL);
        final ExclusivePublication overUdp = publication("aeron:udp?endpoint=localhost:" + udpPort);
        final long cycles = (1L << 31) + 2;
        for (long i = 0; i < cycles; i++)
        {
            ingress.doWork();
        }

        connect(overIpc, 1);
        connect(overUdp, 2);
        overIpc.close();
        Await.until("the IPC session closed", TIMEOUT_MS, () ->
        {
            nowNs += TimeUnit.MILLISECONDS.toNanos(SESSION_CHECK_INTERVAL_MS);
            cycle();
        }, () -> counters().sessionsClosed.get() == 1);
    }

    private TransportCounters counters()
    {
        return transport.counters();
    }

    private ExclusivePublication publication(final String channel)
    {
        final ExclusivePublication result = aeron.addExclusivePublication(
            channel, TransportContext.DEFAULT_INGRESS_STREAM_ID);
        Await.until("publication connected", TIMEOUT_MS, this::cycle, result::isConnected);
        return result;
    }

    /** Says Connect on {@code to} and runs both agents until the node's Connected: @return the client id it gave. */
    private long connect(final ExclusivePublication to, final long correlationId)
    {
        offer(to, send, encodeConnect(correlationId));
        Await.until("Connected " + correlationId, TIMEOUT_MS, this::cycle,
            () -> connecteds.stream().anyMatch(c -> c[0] == correlationId));
        return connecteds.stream().filter(c -> c[0] == correlationId).findFirst().orElseThrow()[1];
    }

    private int encodeConnect(final long correlationId)
    {
        final byte[] channel = TransportContext.IPC_CHANNEL.getBytes(StandardCharsets.US_ASCII);
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(RESPONSE_STREAM_ID)
            .putResponseChannel(channel, 0, channel.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeDisconnect(final long clientId)
    {
        final DisconnectEncoder encoder = new DisconnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .clientId(clientId)
            .reason(EgressRingDescriptor.REASON_REQUESTED);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** Offers the next devnet transfer on {@code to}. */
    private void offerTransfer(final ExclusivePublication to)
    {
        final int[] lengths = new int[1];
        offer(to, TestFrames.transfers(TestFrames.CHAIN_ID, 0, nonce++, 1, lengths), lengths[0]);
    }

    /** Framed like a transaction (the body length agrees) but {@code length} bytes, over the largest allowed. */
    private static UnsafeBuffer oversized(final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        final int[] lengths = new int[1];
        frame.putBytes(0, TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths), 0, lengths[0]);
        frame.putShort(TransactionDescriptor.BODY_LENGTH_OFFSET,
            (short)(length - TransactionDescriptor.BODY_OFFSET), ByteOrder.LITTLE_ENDIAN);
        return frame;
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (ConnectedDecoder.TEMPLATE_ID == templateId)
        {
            connectedDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            connecteds.add(new long[] {connectedDecoder.correlationId(), connectedDecoder.clientId()});
        }
        else if (ReceiptDecoder.TEMPLATE_ID == templateId)
        {
            receiptDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            final byte[] receipt = new byte[1 + Sha256.DIGEST_LENGTH];
            receipt[0] = (byte)receiptDecoder.statusRaw();
            receiptDecoder.getTxHash(receipt, 1, Sha256.DIGEST_LENGTH);
            receipts.add(receipt);
        }
    }

    private void offer(final ExclusivePublication to, final DirectBuffer buffer, final int length)
    {
        offer(to, buffer, 0, length);
    }

    /** Offers without running either agent: a test that holds egress full must not have it drained meanwhile. */
    private void offer(final ExclusivePublication to, final DirectBuffer buffer, final int offset, final int length)
    {
        TransportTest.offer(to, buffer, offset, length, Thread::yield);
    }
}
