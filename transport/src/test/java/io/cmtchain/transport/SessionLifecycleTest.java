package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptDecoder;
import io.cmtchain.transport.loadgen.EchoNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The node's ingress as a wallet written against the wire format sees it, without {@link CmtClient}: a raw Aeron
 * publication that says Connect, Disconnect and queries by hand, and a subscription on its response stream. Each
 * "nothing happened" is checked behind a later message on the same publication (ingress handles one publication's
 * messages in order), never by waiting.
 */
class SessionLifecycleTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int RESPONSE_STREAM_ID = 7_001;
    private static final int CONNECT_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.BLOCK_LENGTH +
        ConnectEncoder.responseChannelHeaderLength();

    private final EchoNode.EchoSink echo = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
    private final QueryRecordingSink sink = new QueryRecordingSink(echo);
    private final UnsafeBuffer send = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectedDecoder connectedDecoder = new ConnectedDecoder();
    private final List<long[]> connecteds = new ArrayList<>();
    private final FragmentAssembler responseHandler = new FragmentAssembler(this::onResponse);
    private int receipts;
    private TestNode node;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription responses;
    private long nonce;

    @BeforeEach
    void setUp()
    {
        node = new TestNode(new TransportContext()
            .ingressChannel("aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort())
            .chainId(TestFrames.CHAIN_ID)
            .sessionCheckIntervalMs(10), sink, TestNode.tempDir());
        echo.receiptSink(node.transport.receiptSink());
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.transport.aeronDirectoryName()));
        responses = aeron.addSubscription(TransportContext.IPC_CHANNEL, RESPONSE_STREAM_ID);
        publication = ingressPublication();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(aeron, node);
        node.deleteDir();
    }

    @Test
    void shouldEndASessionOnlyOnADisconnectFromItsOwnPublicationNamingItsId()
    {
        final long clientId = connect(publication, 1);
        assertEquals(1, counters().sessionsOpened.get());

        // Another client's id, and this client's id from another publication: both ignored.
        disconnect(publication, clientId + 1);
        try (ExclusivePublication stranger = ingressPublication())
        {
            disconnect(stranger, clientId);
            // The stranger's Disconnect is read when a frame it sent after it is dropped as unknown.
            submit(stranger);
            Await.until("stranger's frame dropped", TIMEOUT_MS, () -> counters().framesUnknownSession.get() == 1);
        }
        submitAndAwaitReceipt();
        assertEquals(0, counters().sessionsClosed.get());

        disconnect(publication, clientId);
        Await.until("session closed", TIMEOUT_MS, () -> counters().sessionsClosed.get() == 1);
        // The publication is still there, so nothing but the Disconnect ended the session; its frames are now unknown.
        submit(publication);
        Await.until("frame after goodbye dropped", TIMEOUT_MS, () -> counters().framesUnknownSession.get() == 2);
        assertEquals(1, echo.count());
    }

    @Test
    void shouldReplaceTheSessionWhenTheSamePublicationConnectsAgain()
    {
        final long first = connect(publication, 1);
        final long second = connect(publication, 2);
        assertNotEquals(first, second);
        Await.until("first session closed", TIMEOUT_MS, () -> counters().sessionsClosed.get() == 1);
        assertEquals(2, counters().sessionsOpened.get());

        // The replaced id no longer names the session.
        disconnect(publication, first);
        submitAndAwaitReceipt();
        assertEquals(1, counters().sessionsClosed.get());

        disconnect(publication, second);
        Await.until("second session closed", TIMEOUT_MS, () -> counters().sessionsClosed.get() == 2);
    }

    @Test
    void shouldEndTheSessionOfAPublicationThatGoesAwayWithoutAGoodbye()
    {
        connect(publication, 1);
        publication.close();
        Await.until("session of the vanished publication closed", TIMEOUT_MS,
            () -> counters().sessionsClosed.get() == 1);

        // A new publication is a new session, served as usual.
        publication = ingressPublication();
        connect(publication, 2);
        submitAndAwaitReceipt();
    }

    @Test
    void shouldCountMalformedConnectsAndOpenNoSessionForThem()
    {
        final byte[] channel = TransportContext.IPC_CHANNEL.getBytes(StandardCharsets.US_ASCII);
        final int length = encodeConnect(1, channel);

        offer(publication, send, length - 1);                                   // channel cut short
        send.putByte(length, (byte)0);
        offer(publication, send, length + 1);                                   // a byte past the channel
        offer(publication, send, CONNECT_FIXED_LENGTH - 1);                     // not even the fixed part
        encodeConnect(1, "aeron".getBytes(StandardCharsets.US_ASCII));
        offer(publication, send, CONNECT_FIXED_LENGTH + 5);                     // shorter than "aeron:"
        encodeConnect(1, channel);
        send.putShort(0, (short)(ConnectEncoder.BLOCK_LENGTH + 1), ByteOrder.LITTLE_ENDIAN);
        offer(publication, send, length);                                       // a block length of another version
        offer(publication, send, MessageHeaderEncoder.ENCODED_LENGTH - 1);      // shorter than a message header

        // The well-formed Connect after them is the first one to open a session.
        connect(publication, 2);
        assertEquals(6, counters().framesMalformed.get());
        assertEquals(1, counters().sessionsOpened.get());
    }

    @Test
    void shouldPassQueriesOfAKnownSessionToTheSinkWithTheirKeyAndRefuseTheRest()
    {
        final UnsafeBuffer query = new UnsafeBuffer(new byte[128]);
        final int accountLength = TestFrames.accountQuery(query, 11, (byte)0x5A);
        final int transactionLength = TestFrames.transactionQuery(query, 64, 12, (byte)0x6B);

        // Before Connect: counted as from an unknown session, not passed on.
        offer(publication, query, 0, accountLength);
        offer(publication, query, 64, transactionLength);
        final long clientId = connect(publication, 1);
        assertEquals(2, counters().framesUnknownSession.get());
        assertEquals(0, sink.queries.size());

        // One byte short or one byte long: malformed.
        offer(publication, query, 0, accountLength - 1);
        offer(publication, query, 64, transactionLength + 1);
        offer(publication, query, 0, accountLength);
        offer(publication, query, 64, transactionLength);
        Await.until("two queries passed on", TIMEOUT_MS, () -> sink.queries.size() == 2);
        assertEquals(2, counters().framesMalformed.get());
        assertArrayEquals(new long[] {clientId, 11, 0x5A5A5A5A5A5A5A5AL, 1}, sink.queries.poll());
        assertArrayEquals(new long[] {clientId, 12, 0x6B6B6B6B6B6B6B6BL, 0}, sink.queries.poll());

        // A sink that serves no queries: each refusal counted by kind.
        sink.result = TransactionSink.UNSUPPORTED;
        offer(publication, query, 0, accountLength);
        offer(publication, query, 64, transactionLength);
        offer(publication, query, 64, transactionLength);
        Await.until("three refusals", TIMEOUT_MS, () -> counters().transactionQueriesRefused.get() == 2);
        assertEquals(1, counters().accountQueriesRefused.get());
    }

    private TransportCounters counters()
    {
        return node.counters();
    }

    private ExclusivePublication ingressPublication()
    {
        final ExclusivePublication result = aeron.addExclusivePublication(
            TransportContext.IPC_CHANNEL, TransportContext.DEFAULT_INGRESS_STREAM_ID);
        Await.until("publication connected", TIMEOUT_MS, result::isConnected);
        return result;
    }

    /** Says Connect on {@code to} and waits for the node's Connected: @return the client id it gave. */
    private long connect(final ExclusivePublication to, final long correlationId)
    {
        offer(to, send, encodeConnect(correlationId, TransportContext.IPC_CHANNEL.getBytes(StandardCharsets.US_ASCII)));
        Await.until("Connected " + correlationId, TIMEOUT_MS, this::pollResponses,
            () -> connecteds.stream().anyMatch(c -> c[0] == correlationId));
        return connecteds.stream().filter(c -> c[0] == correlationId).findFirst().orElseThrow()[1];
    }

    private int encodeConnect(final long correlationId, final byte[] channel)
    {
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(RESPONSE_STREAM_ID)
            .putResponseChannel(channel, 0, channel.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private void disconnect(final ExclusivePublication to, final long clientId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final DisconnectEncoder encoder = new DisconnectEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientId(clientId)
            .reason(EgressRingDescriptor.REASON_REQUESTED);
        offer(to, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** Sends the next devnet transfer on {@code to}. */
    private void submit(final ExclusivePublication to)
    {
        final int[] lengths = new int[1];
        final UnsafeBuffer frame = TestFrames.transfers(TestFrames.CHAIN_ID, 0, nonce++, 1, lengths);
        offer(to, frame, lengths[0]);
    }

    /** Sends a transfer on this test's publication and waits for its receipt on the response stream. */
    private void submitAndAwaitReceipt()
    {
        final int expected = receipts + 1;
        submit(publication);
        Await.until("receipt " + expected, TIMEOUT_MS, this::pollResponses, () -> receipts >= expected);
    }

    private void pollResponses()
    {
        responses.poll(responseHandler, 16);
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
            receipts++;
        }
    }

    private void offer(final ExclusivePublication to, final DirectBuffer buffer, final int length)
    {
        offer(to, buffer, 0, length);
    }

    private void offer(final ExclusivePublication to, final DirectBuffer buffer, final int offset, final int length)
    {
        TransportTest.offer(to, buffer, offset, length, this::pollResponses);
    }
}
