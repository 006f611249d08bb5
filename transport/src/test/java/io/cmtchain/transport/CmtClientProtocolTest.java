package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.AccountQueryDecoder;
import io.cmtchain.engine.codec.AccountStateEncoder;
import io.cmtchain.engine.codec.ConnectDecoder;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedEncoder;
import io.cmtchain.engine.codec.DisconnectDecoder;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptEncoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.codec.TransactionDecoder;
import io.cmtchain.engine.codec.TransactionQueryDecoder;
import io.cmtchain.engine.codec.TransactionStateEncoder;
import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CmtClient} against a node played by hand with raw Aeron on the test's thread: a subscription on the ingress
 * stream that records what the client sends, and a publication to the client's response channel that says exactly
 * what each test tells it to. The node's duty cycle runs in the client's idle strategy (so {@code connect} and a
 * submit held up by back-pressure see it) and between the test's own polls. The client's clock only moves when a test
 * steps it, so no deadline passes by chance. Each "nothing happened" is checked behind a later message on the same
 * publication, never by waiting.
 */
class CmtClientProtocolTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final int INGRESS_STREAM = 7_101;
    private static final int RESPONSE_STREAM = 7_102;
    private static final String INGRESS_CHANNEL = "aeron:ipc?term-length=64k";
    private static final int RECEIPT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + ReceiptEncoder.BLOCK_LENGTH;
    private static final int ACCOUNT_STATE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + AccountStateEncoder.BLOCK_LENGTH;
    private static final int TRANSACTION_STATE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + TransactionStateEncoder.BLOCK_LENGTH;
    private static final int DISCONNECT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + DisconnectEncoder.BLOCK_LENGTH;
    private static final int COUNT = 400;
    /** The client's Connect on the ingress, framed and aligned: its response channel is "aeron:ipc". */
    private static final int CONNECT_FRAME_LENGTH = BitUtil.align(DataHeaderFlyweight.HEADER_LENGTH +
        MessageHeaderEncoder.ENCODED_LENGTH + ConnectEncoder.BLOCK_LENGTH +
        ConnectEncoder.responseChannelHeaderLength() + TransportContext.IPC_CHANNEL.length(),
        FrameDescriptor.FRAME_ALIGNMENT);
    /**
     * The ingress starting so that, after the Connect, 32 bytes are left in its first term: the next message sent
     * meets the term's end (Aeron pads it, moves to the next term and answers ADMIN_ACTION: offer again).
     */
    private static final String INGRESS_NEAR_TERM_END = INGRESS_CHANNEL + "|init-term-id=0|term-id=0|term-offset=" +
        (64 * 1024 - CONNECT_FRAME_LENGTH - 32);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<CmtClient> clients = new ArrayList<>();
    /** Distinct signed transfers, enough to fill the ingress window; signed once for every test. */
    private static final int[] LENGTHS = new int[COUNT];
    private static final UnsafeBuffer FRAMES = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, COUNT, LENGTHS);
    private static final byte[][] HASHES = new byte[COUNT][];

    static
    {
        final Sha256 sha = new Sha256();
        for (int i = 0; i < COUNT; i++)
        {
            HASHES[i] = new byte[Sha256.DIGEST_LENGTH];
            TxHash.compute(sha, FRAMES, offset(i), LENGTHS[i], HASHES[i], 0);
        }
    }

    private final int[] lengths = LENGTHS;
    private final UnsafeBuffer frames = FRAMES;
    private final byte[][] hashes = HASHES;
    private File dir;
    private MediaDriver driver;
    private FakeNode node;
    /** How far the client's clock moves at each of its idles. */
    private long clockStepNs;
    private long deadlineNs;
    /** The client's idles since it connected (or since a test reset the count). */
    private int idles;
    /** The client's idle strategy resets since it connected: after each wait, so the next starts afresh. */
    private int resets;

    @BeforeEach
    void setUp()
    {
        deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        clock.update(TimeUnit.SECONDS.toNanos(1));
        dir = TestNode.tempDir();
        driver = TestNode.embeddedDriver(dir);
        node = new FakeNode(Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
    }

    @AfterEach
    void tearDown()
    {
        clients.forEach(CmtClient::close);
        CloseHelper.quietCloseAll(node, driver);
        IoUtil.delete(dir, true);
    }

    @Test
    void shouldOpenTheSessionTheNodeAnswersWithItsClientIdChainIdAndFees()
    {
        node.fees = new long[][] {{TxTypes.TRANSFER, 250}, {TxType.DELEGATE.value(), 0}, {TxType.VOTE.value(), -5}};
        node.staleConnectedFirst = true;
        final CmtClient client = connect(context());

        assertTrue(client.isConnected());
        assertEquals(41, client.clientId(), "the Connected of another correlation id is not this session's");
        assertEquals(TestFrames.CHAIN_ID, client.chainId());
        assertEquals(1, client.connects());
        assertEquals(250, client.minimumFee(TxTypes.TRANSFER));
        assertEquals(250, client.minimumFee(TxTypes.TRANSFER + 256), "the type is a byte");
        assertEquals(0, client.minimumFee(TxType.DELEGATE.value()), "a fee of 0 is a fee");
        assertEquals(-1, client.minimumFee(TxType.VOTE.value()), "a negative fee is none");
        assertEquals(-1, client.minimumFee(TxType.WITHDRAW.value()), "a type not told");
        assertEquals(0, client.pendingCount());
        assertEquals(0, client.backPressureEvents());
        assertEquals(0, client.unmatchedReceipts());
        assertEquals(0, client.lostCount());

        assertEquals(1, node.connects.size());
        assertTrue(node.connects.get(0).correlationId > 0);
        assertEquals(RESPONSE_STREAM, node.connects.get(0).streamId);
        assertEquals("aeron:ipc", node.connects.get(0).channel);
        assertEquals(node.connects.get(0).channel, client.responseChannel());
        assertTrue(client.awaitConnected(0));
    }

    @Test
    void shouldNumberTheConnectsOfTwoClientsOfOneDriverApart()
    {
        // Both clients' Connected come on the one response stream: each must know its own. Both sent correlation id
        // 1, and two clients connecting at once took the same Connected in half the rounds of a scratch run against
        // a real node (then one watched the other's session, and missed its own eviction).
        final CmtClient a = connect(context());
        final CmtClient b = connect(context());
        assertEquals(2, node.connects.size());
        assertNotEquals(node.connects.get(0).correlationId, node.connects.get(1).correlationId);
        assertNotEquals(a.clientId(), b.clientId());
    }

    @Test
    void shouldTakeNoFeesFromAFeesGroupCutShort()
    {
        node.fees = new long[][] {{TxTypes.TRANSFER, 250}, {TxType.DELEGATE.value(), 7}};
        node.connectedCutShortBy = 1;
        final CmtClient client = connect(context());

        assertEquals(41, client.clientId());
        assertEquals(-1, client.minimumFee(TxTypes.TRANSFER));
        assertEquals(-1, client.minimumFee(TxType.DELEGATE.value()));
    }

    @Test
    void shouldTakeNoConnectedCutShortOfItsFixedFields()
    {
        node.shortConnectedFirst = true;
        final CmtClient client = connect(context());

        assertEquals(41, client.clientId(), "the whole Connected that followed, not the short one");
        assertEquals(1, client.connects());
    }

    @Test
    void shouldMatchTheTransactionInTheTablesFirstSlot()
    {
        // A frame whose hash the client's table (two pending, four slots) files in slot 0.
        int first = 0;
        while (0 != new PendingTable(2).insert(new UnsafeBuffer(hashes[first]), 0, new RecordingListener(), 0, 0))
        {
            first++;
        }
        final CmtClient client = connect(context().maxPending(2));
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(first), lengths[first], listener, 7) > 0);

        assertEquals(CmtClient.DUPLICATE_PENDING, client.submit(frames, offset(first), lengths[first], listener, 7));
        node.receipt(hashes[first], ReceiptStatus.OK, 3, 4);
        awaitClient(client, "the receipt", () -> 0 == client.pendingCount());
        assertEquals(List.of("receipt 7 " + hex(first) + " status 0 height 3 fee 4"), listener.events);
        assertEquals(0, client.unmatchedReceipts());
        assertEquals(1, node.transactions.size());
    }

    @Test
    void shouldDeliverEachReceiptOnceToItsOwnListenerWithItsTagAndFields()
    {
        final CmtClient client = connect(context());
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final UnsafeBuffer hash2 = new UnsafeBuffer(new byte[40]);
        hash2.putBytes(8, hashes[2]);

        assertTrue(client.submit(frames, offset(0), lengths[0], a, 10) > 0);
        assertTrue(client.submit(frames, offset(1), lengths[1], b, 11) > 0);
        assertTrue(client.submit(frames, offset(2), lengths[2], hash2, 8, a, 12) > 0);
        final CompletableFuture<Receipt> future = client.submitAsync(frames, offset(3), lengths[3]);
        assertEquals(4, client.pendingCount());
        awaitNode("four transactions", () -> node.transactions.size() == 4);
        for (int i = 0; i < 4; i++)
        {
            assertArrayEquals(hashes[i], node.transactions.get(i), "sent as given, in order");
        }

        node.receipt(hashes[2], ReceiptStatus.FEE_TOO_LOW, 7, 0);
        node.receipt(hashes[0], ReceiptStatus.OK, 8, 100);
        node.receipt(hashes[3], ReceiptStatus.OK, 9, 101);
        node.receipt(hashes[1], ReceiptStatus.BAD_NONCE, 10, 50);
        awaitClient(client, "every receipt", () -> 0 == client.pendingCount());

        assertEquals(List.of(
            "receipt 12 " + hex(2) + " status " + ReceiptStatus.FEE_TOO_LOW.value() + " height 7 fee 0",
            "receipt 10 " + hex(0) + " status 0 height 8 fee 100"), a.events);
        assertEquals(List.of("receipt 11 " + hex(1) + " status " + ReceiptStatus.BAD_NONCE.value() +
            " height 10 fee 50"), b.events);
        final Receipt receipt = future.getNow(null);
        assertArrayEquals(hashes[3], receipt.txHash());
        assertEquals(ReceiptStatus.OK, receipt.statusEnum());
        assertEquals(9, receipt.blockHeight());
        assertEquals(101, receipt.feeChargedMicroCmt());

        // A second receipt for an answered transaction, and one for a transaction never sent: counted, given to none.
        node.receipt(hashes[0], ReceiptStatus.OK, 8, 100);
        node.receipt(hashes[COUNT - 1], ReceiptStatus.OK, 8, 100);
        awaitClient(client, "two unmatched receipts", () -> 2 == client.unmatchedReceipts());
        assertEquals(2, a.events.size());
        assertEquals(1, b.events.size());
        assertEquals(0, client.lostCount());
    }

    @Test
    void shouldIgnoreAResponseShorterThanItsBlockOrOfAnotherSchema()
    {
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 1) > 0);
        final CompletableFuture<AccountState> account = client.queryAccount(new byte[20]);
        final CompletableFuture<TransactionState> transaction = client.queryTransaction(hashes[5]);
        awaitNode("both queries", () -> node.transactionQueries.size() == 1);

        node.send(RECEIPT_LENGTH - 1, encodeReceipt(hashes[0], ReceiptStatus.OK, 1, 1));
        node.send(ACCOUNT_STATE_LENGTH - 1, encodeAccountState(1, new byte[20], 1, 1, 1, 1));
        node.send(TRANSACTION_STATE_LENGTH - 1, encodeTransactionState(2, hashes[5], 0, 0, 0, 0, 0, 0));
        node.send(MessageHeaderEncoder.ENCODED_LENGTH - 1, encodeReceipt(hashes[0], ReceiptStatus.OK, 1, 1));
        final UnsafeBuffer otherSchema = encodeReceipt(hashes[0], ReceiptStatus.OK, 1, 1);
        otherSchema.putShort(4, (short)(MessageHeaderDecoder.SCHEMA_ID + 1), ByteOrder.LITTLE_ENDIAN);
        node.send(RECEIPT_LENGTH, otherSchema);
        // This session's Disconnect, its client id whole and its reason cut short.
        node.send(DISCONNECT_LENGTH - 1, encodeDisconnect(client.clientId(), EgressRingDescriptor.REASON_SHUTDOWN));
        node.receipt(hashes[0], ReceiptStatus.OK, 2, 3);
        awaitClient(client, "the receipt", () -> 0 == client.pendingCount());
        assertTrue(client.isConnected(), "the short Disconnect was not taken for one");

        assertEquals(List.of("receipt 1 " + hex(0) + " status 0 height 2 fee 3"), listener.events);
        assertEquals(0, client.unmatchedReceipts(), "the short receipt was not taken for one");
        assertFalse(account.isDone());
        assertFalse(transaction.isDone());
    }

    @Test
    void shouldRefuseSubmitsWithTheCodeThatSaysWhyAndSendNoneOfThem()
    {
        final CmtClient client = connect(context().maxPending(2));
        final RecordingListener listener = new RecordingListener();
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[200]);

        assertEquals(CmtClient.INVALID_FRAME, client.submit(junk, 0, 200, listener, 0));
        assertEquals(CmtClient.INVALID_FRAME, client.submit(frames, offset(0), lengths[0] - 1, listener, 0));
        assertEquals(CmtClient.INVALID_FRAME, client.submit(frames, offset(0), 10, listener, 0));
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 0) > 0);
        assertTrue(client.submit(frames, offset(1), lengths[1], listener, 1) > 0);
        assertEquals(CmtClient.PENDING_FULL, client.submit(frames, offset(2), lengths[2], listener, 2));
        assertEquals(CmtClient.PENDING_FULL, client.submit(frames, offset(0), lengths[0], listener, 0),
            "a full window is told before a duplicate");
        assertEquals(CmtClient.PENDING_FULL,
            client.submit(frames, offset(2), lengths[2], new UnsafeBuffer(hashes[2]), 0, listener, 2));
        assertEquals(CmtClient.INVALID_FRAME, client.submit(junk, 0, 200, new UnsafeBuffer(hashes[2]), 0, listener, 2));
        final CompletableFuture<Receipt> refused = client.submitAsync(frames, offset(2), lengths[2]);
        assertFailed(refused, CmtClient.PENDING_FULL, "not submitted: PENDING_FULL");

        awaitNode("two transactions", () -> node.transactions.size() == 2);
        node.receipt(hashes[1], ReceiptStatus.OK, 1, 1);
        awaitClient(client, "a slot free", () -> 1 == client.pendingCount());
        assertEquals(CmtClient.DUPLICATE_PENDING, client.submit(frames, offset(0), lengths[0], listener, 0));
        final UnsafeBuffer hash = new UnsafeBuffer(hashes[0]);
        assertEquals(CmtClient.DUPLICATE_PENDING, client.submit(frames, offset(0), lengths[0], hash, 0, listener, 0));
        assertEquals("listener", assertThrows(NullPointerException.class,
            () -> client.submit(frames, offset(3), lengths[3], null, 3)).getMessage());
        assertEquals(1, client.pendingCount());
        assertTrue(client.submit(frames, offset(2), lengths[2], listener, 2) > 0);

        awaitNode("the third transaction", () -> node.transactions.size() == 3);
        assertArrayEquals(hashes[0], node.transactions.get(0));
        assertArrayEquals(hashes[1], node.transactions.get(1));
        assertArrayEquals(hashes[2], node.transactions.get(2), "nothing refused went out");
        assertEquals(2, client.pendingCount());
        assertEquals(List.of("receipt 1 " + hex(1) + " status 0 height 1 fee 1"), listener.events);

        client.close();
        assertEquals(CmtClient.CLOSED, client.submit(frames, offset(3), lengths[3], listener, 3));
        assertFailed(client.submitAsync(frames, offset(3), lengths[3]), CmtClient.CLOSED, "not submitted: CLOSED");
        assertFailed(client.queryAccount(new byte[20]), CmtClient.CLOSED, "query not sent: CLOSED");
        assertFailed(client.queryTransaction(new byte[32]), CmtClient.CLOSED, "query not sent: CLOSED");
        assertEquals(0, client.poll());
        assertFalse(client.awaitConnected(TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void shouldRefuseAFrameSignedForAnotherChainNamingBothAndSendNothing()
    {
        // Before, it went out and came back WRONG_CHAIN, as certain as a frame not framed (INVALID_FRAME).
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        final int[] otherLength = new int[1];
        final UnsafeBuffer other = TestFrames.transfers(TestFrames.CHAIN_ID + 1, 0, 0, 1, otherLength);
        final UnsafeBuffer otherHash = new UnsafeBuffer(new byte[Sha256.DIGEST_LENGTH]);
        TxHash.compute(new Sha256(), other, 0, otherLength[0], otherHash.byteArray(), 0);
        final String refused = "the frame is signed for chain 1002 but the node runs chain 1001 (chainId()): not sent";

        assertEquals(refused, assertThrows(IllegalArgumentException.class,
            () -> client.submit(other, 0, otherLength[0], listener, 1)).getMessage());
        assertEquals(refused, assertThrows(IllegalArgumentException.class,
            () -> client.submit(other, 0, otherLength[0], otherHash, 0, listener, 2)).getMessage());
        assertEquals(refused, assertThrows(IllegalArgumentException.class,
            () -> client.submitAsync(other, 0, otherLength[0])).getMessage());
        assertEquals(0, client.pendingCount(), "none filed");
        assertEquals(0, client.backPressureEvents());

        // A frame of the node's chain goes as before, and is the first the node reads.
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 3) > 0);
        awaitNode("the transaction", () -> !node.transactions.isEmpty());
        node.receipt(hashes[0], ReceiptStatus.OK, 4, 5);
        awaitClient(client, "its receipt", () -> 0 == client.pendingCount());
        assertEquals(1, node.transactions.size(), "nothing refused went out");
        assertArrayEquals(hashes[0], node.transactions.get(0));
        assertEquals(List.of("receipt 3 " + hex(0) + " status 0 height 4 fee 5"), listener.events,
            "the refused frames were told nothing");
        assertEquals(0, client.lostCount());
    }

    @Test
    void shouldSendFramesOfAnyChainToANodeThatAnnouncesNone()
    {
        node.chainId = 0;
        final CmtClient client = connect(context());
        assertEquals(0, client.chainId());
        final int[] otherLength = new int[1];
        final UnsafeBuffer other = TestFrames.transfers(TestFrames.CHAIN_ID + 1, 0, 0, 1, otherLength);

        assertTrue(client.submit(other, 0, otherLength[0], new RecordingListener(), 1) > 0);
        assertTrue(client.submit(frames, offset(0), lengths[0], new RecordingListener(), 2) > 0);
        awaitNode("both transactions", () -> 2 == node.transactions.size());
        assertArrayEquals(hashes[0], node.transactions.get(1));
        assertEquals(2, client.pendingCount());
    }

    @Test
    void shouldRetryUnderBackPressureUntilTheDeadlineAndSendOnceTheNodeReadsAgain()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(5)));
        final RecordingListener listener = new RecordingListener();
        node.reading = false;
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);

        int sent = 0;
        long result;
        while ((result = client.submit(frames, offset(sent), lengths[sent], listener, sent)) > 0)
        {
            sent++;
        }
        assertEquals(CmtClient.BACK_PRESSURED, result);
        assertTrue(sent > 10, "sent before the window filled: " + sent);
        final int filled = sent;
        assertEquals(filled, client.pendingCount(), "the refused one is not pending");
        assertEquals(1, client.backPressureEvents());
        assertEquals(5, idles, "retried, a step of the clock each, until the deadline and not past it");
        assertEquals(1, resets, "reset once the wait ended");

        // The node reads again while the client retries: the same frame goes out, once.
        node.reading = true;
        clockStepNs = 0;
        assertTrue(client.submit(frames, offset(filled), lengths[filled], listener, filled) > 0);
        assertEquals(2, client.backPressureEvents());
        assertEquals(2, resets, "reset once the wait ended");
        awaitNode("every frame", () -> node.transactions.size() == filled + 1);
        assertArrayEquals(hashes[filled], node.transactions.get(filled));
        assertEquals(filled + 1, client.pendingCount());
        assertTrue(listener.events.isEmpty());
    }

    @Test
    void shouldKeepPendingATransactionWhoseListenerSubmittedAnotherWhileItWaitedForTheWindow()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(50)));
        final RecordingListener listener = new RecordingListener();
        // Frame 0's listener sends another frame (the one after the refused one) when its receipt comes.
        final int[] inner = {0};
        final long[] innerResult = {0};
        final ReceiptListener submitting = new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                listener.onReceipt(tag, txHash, hashOffset, status, blockHeight, feeChargedMicroCmt);
                node.reading = true;
                clockStepNs = 0;
                innerResult[0] = client.submit(frames, offset(inner[0]), lengths[inner[0]], listener, inner[0]);
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                listener.onLost(tag, txHash, hashOffset, reason);
            }
        };
        node.reading = false;
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        assertTrue(client.submit(frames, offset(0), lengths[0], submitting, 0) > 0);
        int sent = 1;
        while (client.submit(frames, offset(sent), lengths[sent], listener, sent) > 0)
        {
            sent++;
        }
        final int filled = sent;
        final int outer = filled;
        inner[0] = filled + 1;

        // While the next submit waits for the window, frame 0's receipt comes and its listener sends.
        node.receipt(hashes[0], ReceiptStatus.OK, 1, 1);
        final long outerResult = client.submit(frames, offset(outer), lengths[outer], listener, outer);
        assertTrue(outerResult > 0, "sent: " + outerResult);
        assertTrue(innerResult[0] > 0, "the listener's submit went: " + innerResult[0]);
        awaitNode("both frames", () -> node.transactions.size() == filled + 2);

        // Both wait for their receipt, each under its own hash, and each receipt reaches its own tag.
        assertEquals(filled + 1, client.pendingCount());
        node.receipt(hashes[outer], ReceiptStatus.OK, 2, 1);
        node.receipt(hashes[inner[0]], ReceiptStatus.OK, 2, 1);
        awaitClient(client, "both receipts", () -> client.pendingCount() == filled - 1);
        assertEquals(0, client.unmatchedReceipts(), "a receipt read twice");
        assertTrue(listener.events.contains("receipt " + outer + " " + hex(outer) + " status 0 height 2 fee 1"),
            listener.events.toString());
        assertTrue(listener.events.contains("receipt " + inner[0] + " " + hex(inner[0]) + " status 0 height 2 fee 1"),
            listener.events.toString());
    }

    @Test
    void shouldNotSendAFrameWhoseHashAListenerSentWhileItWaitedForTheWindow()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(50)));
        final RecordingListener listener = new RecordingListener();
        final int[] inner = {0};
        final long[] innerResult = {0};
        // Frame 0's listener sends, when its receipt comes, the very frame the submit under way waits to send.
        final ReceiptListener resending = new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                node.reading = true;
                clockStepNs = 0;
                innerResult[0] = client.submit(frames, offset(inner[0]), lengths[inner[0]], listener, -inner[0]);
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                listener.onLost(tag, txHash, hashOffset, reason);
            }
        };
        node.reading = false;
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        assertTrue(client.submit(frames, offset(0), lengths[0], resending, 0) > 0);
        int sent = 1;
        while (client.submit(frames, offset(sent), lengths[sent], listener, sent) > 0)
        {
            sent++;
        }
        final int filled = sent;
        inner[0] = filled;

        node.receipt(hashes[0], ReceiptStatus.OK, 1, 1);
        final long outerResult = client.submit(frames, offset(filled), lengths[filled], listener, filled);
        assertTrue(innerResult[0] > 0, "the listener's submit went: " + innerResult[0]);
        assertEquals(CmtClient.DUPLICATE_PENDING, outerResult, "already pending when its turn came");
        awaitNode("the frames sent", () -> node.transactions.size() >= filled + 1);
        assertEquals(filled, client.pendingCount());

        // Every submit that returned a position ends in exactly one outcome.
        node.receipt(hashes[filled], ReceiptStatus.OK, 2, 1);
        awaitClient(client, "its receipt", () -> client.pendingCount() == filled - 1);
        assertEquals(List.of("receipt " + -filled + " " + hex(filled) + " status 0 height 2 fee 1"), listener.events);
        client.close();
        assertEquals(filled - 1, client.lostCount());
        assertEquals(filled + 1, node.transactions.size(), "sent once");
    }

    @Test
    void shouldNotSendAFrameWhenListenersFilledThePendingTableWhileItWaitedForTheWindow()
    {
        final int maxPending = 300;
        final CmtClient client = connect(context().maxPending(maxPending)
            .submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(50)));
        final RecordingListener listener = new RecordingListener();
        final int[] next = {0};
        final long[] innerResult = {0};
        // Frame 0's listener, when its receipt comes, sends more until the table is full.
        final ReceiptListener filling = new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                node.reading = true;
                clockStepNs = 0;
                while ((innerResult[0] = client.submit(frames, offset(next[0]), lengths[next[0]], listener,
                    next[0])) > 0)
                {
                    next[0]++;
                }
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                listener.onLost(tag, txHash, hashOffset, reason);
            }
        };
        node.reading = false;
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        assertTrue(client.submit(frames, offset(0), lengths[0], filling, 0) > 0);
        int sent = 1;
        while (client.submit(frames, offset(sent), lengths[sent], listener, sent) > 0)
        {
            sent++;
        }
        final int filled = sent;
        assertTrue(filled < maxPending - 10, "the window is smaller than the table: " + filled);
        final int outer = filled;
        next[0] = filled + 1;

        node.receipt(hashes[0], ReceiptStatus.OK, 1, 1);
        final long outerResult = client.submit(frames, offset(outer), lengths[outer], listener, outer);
        assertEquals(CmtClient.PENDING_FULL, innerResult[0], "the listener filled the table");
        assertEquals(maxPending, client.pendingCount());
        assertEquals(CmtClient.PENDING_FULL, outerResult, "the table was full when its turn came");

        // Every submit that returned a position ends in exactly one outcome: here, lost on close.
        client.close();
        assertEquals(maxPending, client.lostCount());
        awaitNode("the frames sent", () -> node.transactions.size() >= maxPending + 1);
        node.work();
        assertEquals(maxPending + 1, node.transactions.size(), "frame 0 and those pending, no other");
    }

    /**
     * With the node no longer reading, submit frames 0, 1, ... (each retry moving the client's clock 1 ms) until one
     * is refused.
     *
     * @return how many were sent: the ingress window's worth.
     */
    private int fillWindow(final CmtClient client, final RecordingListener listener)
    {
        node.reading = false;
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        int sent = 0;
        while (client.submit(frames, offset(sent), lengths[sent], listener, sent) > 0)
        {
            sent++;
        }
        return sent;
    }

    @Test
    void shouldNotReportLostATransactionWhoseSubmitSawTheSessionEnd()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(5)));
        final RecordingListener listener = new RecordingListener();
        final int sent = fillWindow(client, listener);

        // The node goes away while the next submit retries: that one was never sent, so it is not reported lost.
        clockStepNs = 0;
        final long clientId = client.clientId();
        node.onWork = () -> node.disconnect(clientId, EgressRingDescriptor.REASON_SHUTDOWN);
        assertEquals(CmtClient.NOT_CONNECTED, client.submit(frames, offset(sent), lengths[sent], listener, sent));

        assertEquals(sent, listener.events.size());
        assertEquals(sent, client.lostCount());
        for (final String event : listener.events)
        {
            assertTrue(event.startsWith("lost ") && event.endsWith(" reason " + CmtClient.LOST_NODE_GONE), event);
            assertFalse(event.startsWith("lost " + sent + " "), event);
        }
        assertEquals(0, client.pendingCount());
    }

    @Test
    void shouldFailAQueryWhoseSendSawTheSessionEndAsNotSent()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(5)));
        final RecordingListener listener = new RecordingListener();
        final int sent = fillWindow(client, listener);

        clockStepNs = 0;
        final long clientId = client.clientId();
        node.onWork = () -> node.disconnect(clientId, EgressRingDescriptor.REASON_SLOW_CLIENT);
        assertFailed(client.queryAccount(new byte[20]), CmtClient.NOT_CONNECTED, "query not sent: NOT_CONNECTED");
        assertEquals(sent, client.lostCount(), "the transactions sent are lost; the query was never sent");
        assertFalse(client.isConnected());
    }

    @Test
    void shouldRetryAQueryUnderBackPressureUntilTheDeadlineAndSendItOnceTheNodeReadsAgain()
    {
        final CmtClient client = connect(context().submitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(5)));
        final int sent = fillWindow(client, new RecordingListener());
        idles = 0;
        assertFailed(client.queryAccount(filled(20, 0x11)), CmtClient.BACK_PRESSURED, "query not sent: BACK_PRESSURED");
        assertEquals(5, idles, "retried, a step of the clock each, until the deadline and not past it");

        node.reading = true;
        clockStepNs = 0;
        final CompletableFuture<AccountState> query = client.queryAccount(filled(20, 0x22));
        assertFalse(query.isDone(), "sent, awaiting its answer");
        awaitNode("the query", () -> 1 == node.accountQueries.size());
        assertEquals(List.of("2 " + Hex.encode(filled(20, 0x22))), node.accountQueries, "the refused one never went");
        assertEquals(sent, node.transactions.size());
    }

    @Test
    void shouldSayWhenTheIngressReachesItsMaximumPositionAndKeepWhatWasSent()
    {
        // The ingress starts 1 KiB before the end of its last possible term.
        final CmtClient client = connect(context().ingressChannel(INGRESS_CHANNEL +
            "|init-term-id=0|term-id=" + Integer.MAX_VALUE + "|term-offset=" + (64 * 1024 - 1024)));
        final RecordingListener listener = new RecordingListener();

        int sent = 0;
        long result;
        while ((result = client.submit(frames, offset(sent), lengths[sent], listener, sent)) > 0)
        {
            sent++;
        }
        assertEquals(CmtClient.MAX_POSITION_EXCEEDED, result);
        assertTrue(sent > 0 && sent < 8, "sent before the end: " + sent);
        assertFailed(client.queryAccount(new byte[20]), CmtClient.MAX_POSITION_EXCEEDED,
            "query not sent: MAX_POSITION_EXCEEDED");
        assertEquals(sent, client.pendingCount(), "the refused one is not pending");
        assertTrue(client.isConnected(), "the session is not over: what was sent still gets its receipts");
        assertEquals(0, client.backPressureEvents());

        node.receipt(hashes[0], ReceiptStatus.OK, 1, 1);
        awaitClient(client, "the first receipt", () -> 1 == listener.events.size());
        assertEquals("receipt 0 " + hex(0) + " status 0 height 1 fee 1", listener.events.get(0));
    }

    @Test
    void shouldSendAcrossTheEndOfATermAtOnceEvenWithASubmitTimeoutOfZero()
    {
        final CmtClient client = connect(context().submitTimeoutNs(0).ingressChannel(INGRESS_NEAR_TERM_END));
        final RecordingListener listener = new RecordingListener();

        final long position = client.submit(frames, offset(0), lengths[0], listener, 0);
        assertTrue(position > 64 * 1024, "sent in the second term: " + position);
        assertEquals(0, client.backPressureEvents(), "the end of a term is not back pressure");
        assertEquals(0, idles, "offered again at once");
        awaitNode("the transaction", () -> 1 == node.transactions.size());
        assertArrayEquals(hashes[0], node.transactions.get(0));
    }

    @Test
    void shouldSendAQueryAcrossTheEndOfATermAtOnceEvenWithASubmitTimeoutOfZero()
    {
        final CmtClient client = connect(context().submitTimeoutNs(0).ingressChannel(INGRESS_NEAR_TERM_END));

        final CompletableFuture<TransactionState> query = client.queryTransaction(hashes[0]);
        assertFalse(query.isDone(), "sent, awaiting its answer");
        assertEquals(0, idles, "offered again at once");
        awaitNode("the query", () -> 1 == node.transactionQueries.size());
        assertEquals("1 " + hex(0), node.transactionQueries.get(0));
    }

    @Test
    void shouldRefuseAtOnceWhenTheWindowIsFullAndTheSubmitTimeoutIsZero()
    {
        final CmtClient client = connect(context().submitTimeoutNs(0));
        final RecordingListener listener = new RecordingListener();
        node.reading = false;

        int sent = 0;
        long result;
        while ((result = client.submit(frames, offset(sent), lengths[sent], listener, sent)) > 0)
        {
            sent++;
        }
        assertEquals(CmtClient.BACK_PRESSURED, result);
        assertEquals(0, idles, "one look, no retry");
        assertEquals(1, client.backPressureEvents());
        assertEquals(sent, client.pendingCount());
        assertFailed(client.queryAccount(new byte[20]), CmtClient.BACK_PRESSURED, "query not sent: BACK_PRESSURED");
        assertEquals(1, client.backPressureEvents(), "a query is not a submission");

        node.reading = true;
        final int expected = sent;
        awaitNode("every frame sent", () -> node.transactions.size() == expected);
        assertTrue(client.isConnected());
    }

    @Test
    void shouldReportTheTransactionsOfAnEvictedClientLostOnceAndStayDisconnected()
    {
        node.fees = new long[][] {{TxTypes.TRANSFER, 250}};
        final CmtClient client = connect(context());
        assertEquals(250, client.minimumFee(TxTypes.TRANSFER));
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], a, 20) > 0);
        assertTrue(client.submit(frames, offset(1), lengths[1], b, 21) > 0);
        assertTrue(client.submit(frames, offset(2), lengths[2], a, 22) > 0);
        final CompletableFuture<Receipt> future = client.submitAsync(frames, offset(3), lengths[3]);
        final CompletableFuture<AccountState> account = client.queryAccount(new byte[20]);
        final CompletableFuture<TransactionState> transaction = client.queryTransaction(hashes[9]);
        awaitNode("the client's messages", () -> node.transactionQueries.size() == 1);

        // Another session's Disconnect is not this one's: the receipt behind it still comes.
        node.disconnect(client.clientId() + 1, EgressRingDescriptor.REASON_SLOW_CLIENT);
        node.receipt(hashes[1], ReceiptStatus.OK, 1, 1);
        awaitClient(client, "the receipt", () -> 1 == b.events.size());
        assertTrue(client.isConnected());

        node.disconnect(client.clientId(), EgressRingDescriptor.REASON_SLOW_CLIENT);
        awaitClient(client, "the session to end", () -> !client.isConnected());

        final String reason = " reason " + CmtClient.LOST_EVICTED;
        assertEquals(List.of("lost 20 " + hex(0) + reason, "lost 22 " + hex(2) + reason), sorted(a.events));
        assertEquals(List.of("receipt 21 " + hex(1) + " status 0 height 1 fee 1"), b.events);
        assertFailed(future, CmtClient.LOST_EVICTED, "receipt lost: evicted by the node as a slow reader");
        assertFailed(account, CmtClient.LOST_EVICTED, "account query lost: the session ended");
        assertFailed(transaction, CmtClient.LOST_EVICTED, "transaction query lost: the session ended");
        assertEquals(3, client.lostCount());
        assertEquals(0, client.pendingCount());
        assertEquals(0, client.pendingQueryCount());
        assertEquals(-1, client.clientId());
        assertEquals(-1, client.minimumFee(TxTypes.TRANSFER), "no fee told without a session");
        assertEquals(CmtClient.NOT_CONNECTED, client.submit(frames, offset(4), lengths[4], a, 24));
        assertFailed(client.queryAccount(new byte[20]), CmtClient.NOT_CONNECTED, "query not sent: NOT_CONNECTED");

        // Without auto-reconnect it says no Connect again, however long it polls.
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        assertFalse(client.awaitConnected(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(1, node.connects.size());

        // Closing reports nothing twice.
        client.close();
        assertEquals(2, a.events.size());
        assertEquals(3, client.lostCount());
    }

    @Test
    void shouldReportPendingLostWhenTheNodeShutsDownAndConnectAgain()
    {
        final CmtClient client = connect(context().autoReconnect(true));
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 30) > 0);
        final CompletableFuture<Receipt> future = client.submitAsync(frames, offset(1), lengths[1]);
        awaitNode("two transactions", () -> node.transactions.size() == 2);

        node.staleConnectedFirst = true;
        node.disconnect(41, EgressRingDescriptor.REASON_SHUTDOWN);
        awaitClient(client, "a new session", () -> 2 == client.connects());

        assertEquals(List.of("lost 30 " + hex(0) + " reason " + CmtClient.LOST_NODE_GONE), listener.events);
        assertFailed(future, CmtClient.LOST_NODE_GONE, "receipt lost: node went away");
        assertEquals(2, client.lostCount());
        assertEquals(2, node.connects.size());
        assertEquals(node.connects.get(0).correlationId + 1, node.connects.get(1).correlationId,
            "a new correlation id");
        assertEquals(42, client.clientId());
        assertTrue(client.isConnected());

        // A Connected while connected changes nothing.
        node.connected(2, 99);
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 31) > 0);
        awaitNode("the resent transaction", () -> node.transactions.size() == 3);
        node.receipt(hashes[0], ReceiptStatus.OK, 4, 5);
        awaitClient(client, "its receipt", () -> 0 == client.pendingCount());
        assertEquals("receipt 31 " + hex(0) + " status 0 height 4 fee 5", listener.events.get(1));
        assertEquals(42, client.clientId());
        assertEquals(2, client.connects());
    }

    @Test
    void shouldEndTheSessionOnceTheNodeStopsReadingAndItsReceiptsStopForMoreThanASecond()
    {
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 50) > 0);
        assertTrue(client.submit(frames, offset(1), lengths[1], listener, 51) > 0);
        awaitNode("two transactions", () -> node.transactions.size() == 2);

        // Quiet while the node reads: the session stands however long nothing comes.
        assertEquals(0, client.poll());
        clock.advance(TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, client.poll());
        assertTrue(client.isConnected());

        // The node closes its ingress, as one shutting down does, and keeps its response stream.
        node.closeIngress();
        try (ExclusivePublication probe = node.aeron.addExclusivePublication(INGRESS_CHANNEL, INGRESS_STREAM))
        {
            awaitClient(client, "the ingress unread", () -> !probe.isConnected());
        }
        // The driver marks every publication of the stream unread in the same pass: the client's poll sees it now,
        // and its quiet time starts at this clock reading.
        client.poll();
        assertTrue(client.isConnected());

        // A receipt still coming restarts the quiet time.
        node.receipt(hashes[0], ReceiptStatus.OK, 7, 0);
        clock.advance(TimeUnit.SECONDS.toNanos(1));
        awaitClient(client, "the receipt", () -> 1 == listener.events.size());
        clock.advance(TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, client.poll());
        assertTrue(client.isConnected(), "quiet for exactly a second: not yet over");

        clock.advance(1);
        assertEquals(1, client.poll(), "ending the session is work");
        assertFalse(client.isConnected());
        assertEquals(List.of("receipt 50 " + hex(0) + " status 0 height 7 fee 0",
            "lost 51 " + hex(1) + " reason " + CmtClient.LOST_NODE_GONE), listener.events);
        assertEquals(1, client.lostCount());
    }

    @Test
    void shouldSendConnectAgainOnlyOnceTheConnectTimeoutHasPassed()
    {
        final CmtClient.Context ctx = context().autoReconnect(true);
        final CmtClient client = connect(ctx);
        final long timeoutNs = ctx.connectTimeoutNs();
        node.connectsToIgnore = 1;

        node.disconnect(client.clientId(), EgressRingDescriptor.REASON_SHUTDOWN);
        assertEquals(2, client.poll(), "the Disconnect read, and a Connect sent at once");
        assertFalse(client.isConnected());
        awaitNode("the second Connect", () -> 2 == node.connects.size());

        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);
        assertFalse(client.awaitConnected(TimeUnit.MILLISECONDS.toNanos(3)));
        assertEquals(4, idles, "polled until its clock was past the deadline, a step each");
        clockStepNs = 0;

        clock.advance(timeoutNs - TimeUnit.MILLISECONDS.toNanos(4));
        assertEquals(0, client.poll(), "the second Connect's timeout reached, not passed");
        node.work();
        assertEquals(2, node.connects.size());

        clock.advance(1);
        assertEquals(1, client.poll(), "a third Connect sent");
        awaitClient(client, "the new session", client::isConnected);
        assertEquals(3, node.connects.size());
        assertEquals(node.connects.get(0).correlationId + 2, node.connects.get(2).correlationId);
        assertEquals(42, client.clientId());
        assertEquals(2, client.connects());
    }

    @Test
    void shouldOfferAConnectTheIngressRefusedAgainAtTheNextPoll()
    {
        final CmtClient client = connect(context().autoReconnect(true).submitTimeoutNs(0));
        final RecordingListener listener = new RecordingListener();
        final int sent = fillWindow(client, listener);
        clockStepNs = 0;

        // Evicted while the node reads nothing: the Connect that follows finds the ingress full.
        node.disconnect(client.clientId(), EgressRingDescriptor.REASON_SLOW_CLIENT);
        assertEquals(1, client.poll(), "the Disconnect read; no Connect went out");
        assertEquals(0, client.poll(), "refused again");
        assertEquals(0, client.poll(), "and again");
        assertEquals(sent, client.lostCount());
        assertEquals(1, node.connects.size());

        // The node reads again; the clock has not moved, so the Connect that goes now is the refused one, again: the
        // refusals took no correlation id.
        node.reading = true;
        awaitNode("the transactions sent", () -> node.transactions.size() == sent);
        awaitClient(client, "the new session", client::isConnected);
        assertEquals(2, node.connects.size());
        assertEquals(node.connects.get(0).correlationId + 1, node.connects.get(1).correlationId);
        assertEquals(2, client.connects());
    }

    @Test
    void shouldEndTheSessionWhenTheNodesResponseStreamGoesAway()
    {
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 40) > 0);

        node.closeResponse();
        awaitClient(client, "the session to end", () -> !client.isConnected());
        assertEquals(List.of("lost 40 " + hex(0) + " reason " + CmtClient.LOST_NODE_GONE), listener.events);
        assertEquals(1, client.lostCount());

        // The ingress is still read, but no session: a query is refused, not sent.
        assertFailed(client.queryAccount(new byte[20]), CmtClient.NOT_CONNECTED, "query not sent: NOT_CONNECTED");
        node.work();
        assertTrue(node.accountQueries.isEmpty());
    }

    @Test
    void shouldReportEachTransactionLostOnceWhenAListenerClosesTheClientFromOnLost()
    {
        final CmtClient client = connect(context());
        final RecordingListener recording = new RecordingListener();
        // A caller that gives up at the first loss: it closes the client from onLost.
        final ReceiptListener closing = recordingThen(recording, tag -> client.close());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(client.submit(frames, offset(i), lengths[i], closing, 60 + i) > 0);
        }
        final CompletableFuture<AccountState> account = client.queryAccount(new byte[20]);
        awaitNode("the client's messages", () -> node.accountQueries.size() == 1);

        node.disconnect(client.clientId(), EgressRingDescriptor.REASON_SHUTDOWN);
        awaitClient(client, "the session to end", () -> !client.isConnected());

        assertEquals(3, recording.events.size(), recording.events.toString());
        for (int i = 0; i < 3; i++)
        {
            final String lost = "lost " + (60 + i) + " " + hex(i) + " reason ";
            assertEquals(1, recording.events.stream().filter(event -> event.startsWith(lost)).count(),
                recording.events.toString());
        }
        assertEquals(3, client.lostCount());
        assertFailed(account, CmtClient.LOST_NODE_GONE, "account query lost: the session ended");
        assertEquals(0, client.pendingCount());
        assertEquals(CmtClient.CLOSED, client.submit(frames, offset(3), lengths[3], recording, 63));
    }

    @Test
    void shouldTellEachTransactionLostOnceWhenAListenerThrowsFromOnLost()
    {
        final CmtClient client = connect(context());
        final RecordingListener recording = new RecordingListener();
        // A listener with a bug: its onLost throws, every time.
        final ReceiptListener throwing = recordingThen(recording, tag ->
        {
            throw new IllegalStateException("listener bug " + tag);
        });
        for (int i = 0; i < 3; i++)
        {
            assertTrue(client.submit(frames, offset(i), lengths[i], throwing, 80 + i) > 0);
        }
        awaitNode("three transactions", () -> node.transactions.size() == 3);

        node.disconnect(client.clientId(), EgressRingDescriptor.REASON_SHUTDOWN);
        // Thrown inside the read of the response stream, where Aeron hands it to its error handler and reads on.
        awaitClient(client, "the session to end", () -> !client.isConnected());
        assertEquals(0, client.pendingCount(), "every transaction told");
        assertEquals(3, client.lostCount());
        client.close();

        assertEquals(3, recording.events.size(), recording.events.toString());
        for (int i = 0; i < 3; i++)
        {
            final String lost = "lost " + (80 + i) + " " + hex(i) + " reason " + CmtClient.LOST_NODE_GONE;
            assertEquals(1, recording.events.stream().filter(lost::equals).count(), recording.events.toString());
        }
    }

    @Test
    void shouldTellEachTransactionLostOnceAndReleaseAeronWhenAListenerThrowsFromOnLostOnClose()
    {
        final long conductors = clientConductorThreads();
        final CmtClient client = connect(context());
        final List<Long> told = new ArrayList<>();
        final ReceiptListener throwing = new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                told.add(tag);
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                told.add(tag);
                throw new IllegalStateException("listener bug " + tag);
            }
        };
        assertTrue(client.submit(frames, offset(0), lengths[0], throwing, 90) > 0);
        assertTrue(client.submit(frames, offset(1), lengths[1], throwing, 91) > 0);
        assertEquals(conductors + 1, clientConductorThreads());

        final IllegalStateException thrown = assertThrows(IllegalStateException.class, client::close);
        assertTrue(thrown.getMessage().startsWith("listener bug 9"), thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length, "the other's, told too");
        assertEquals(List.of(90L, 91L), told.stream().sorted().toList());
        assertEquals(conductors, clientConductorThreads(), "its Aeron client closed all the same");
        client.close();
        assertEquals(2, told.size());
    }

    @Test
    void shouldTellTheNodeGoodbyeAndReportPendingLostOnClose()
    {
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 50) > 0);
        final CompletableFuture<Receipt> future = client.submitAsync(frames, offset(1), lengths[1]);
        final CompletableFuture<TransactionState> transaction = client.queryTransaction(hashes[1]);
        final long clientId = client.clientId();

        assertEquals(1, client.pendingQueryCount());
        client.close();
        assertEquals(List.of("lost 50 " + hex(0) + " reason " + CmtClient.LOST_CLOSED), listener.events);
        assertFailed(future, CmtClient.LOST_CLOSED, "receipt lost: client closed");
        assertFailed(transaction, CmtClient.LOST_CLOSED, "transaction query lost: the session ended");
        assertEquals(0, client.pendingQueryCount(), "a failed query is no longer pending");
        assertEquals(2, client.lostCount());
        assertFalse(client.isConnected());

        awaitNode("the goodbye", () -> 1 == node.disconnects.size());
        assertArrayEquals(new long[] {clientId, EgressRingDescriptor.REASON_REQUESTED}, node.disconnects.get(0));
        assertEquals(2, node.transactions.size());
        client.close();
        assertEquals(1, listener.events.size());
    }

    @Test
    void shouldCompleteEachQueryWithTheFieldsOfItsOwnAnswer() throws Exception
    {
        final CmtClient client = connect(context());
        final byte[] first = filled(20, 0x11);
        final byte[] second = filled(20, 0x22);
        final CompletableFuture<AccountState> accountA = client.queryAccount(first);
        final CompletableFuture<TransactionState> found = client.queryTransaction(hashes[0]);
        final CompletableFuture<AccountState> accountB = client.queryAccount(second);
        final CompletableFuture<TransactionState> notFound = client.queryTransaction(hashes[1]);
        awaitNode("four queries", () -> node.accountQueries.size() + node.transactionQueries.size() == 4);
        assertEquals(4, client.pendingQueryCount());
        assertEquals(List.of("1 " + Hex.encode(first), "3 " + Hex.encode(second)), node.accountQueries);
        assertEquals(List.of("2 " + hex(0), "4 " + hex(1)), node.transactionQueries);

        node.send(TRANSACTION_STATE_LENGTH,
            encodeTransactionState(4, hashes[1], 0, 0, 0, ReceiptStatus.OK.value(), 0, 15));
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(3, second, 14, 0, 0, 0));
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(99, second, 1, 1, 1, 1));
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(1, hashes[0], 1, 1, 1, 1, 1, 1));
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(2, first, 1, 1, 1, 1));
        node.send(TRANSACTION_STATE_LENGTH,
            encodeTransactionState(2, hashes[0], 1, 12, 3, ReceiptStatus.BAD_NONCE.value(), 7, 16));
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(1, first, 13, 1, 1_000, 4));
        awaitClient(client, "every answer", () -> accountA.isDone() && found.isDone() && accountB.isDone() &&
            notFound.isDone());
        assertEquals(0, client.pendingQueryCount());

        final AccountState a = accountA.get();
        assertArrayEquals(first, a.address());
        assertEquals(13, a.height());
        assertTrue(a.exists());
        assertEquals(1_000, a.balanceMicroCmt());
        assertEquals(4, a.nonce());
        final AccountState b = accountB.get();
        assertArrayEquals(second, b.address());
        assertEquals(14, b.height());
        assertFalse(b.exists());

        final TransactionState t = found.get();
        assertArrayEquals(hashes[0], t.txHash());
        assertTrue(t.found());
        assertEquals(12, t.blockHeight());
        assertEquals(3, t.index());
        assertEquals(ReceiptStatus.BAD_NONCE, t.statusEnum());
        assertEquals(7, t.feeChargedMicroCmt());
        assertEquals(16, t.journaledHeight());
        final TransactionState n = notFound.get();
        assertArrayEquals(hashes[1], n.txHash());
        assertFalse(n.found());
        assertEquals(TransactionState.NO_STATUS, n.status(), "no status unless found, whatever the raw byte");
        assertEquals(15, n.journaledHeight());
        assertEquals(0, client.unmatchedReceipts(), "answers are not receipts");

        assertEquals("an address is 20 bytes, was 19",
            assertThrows(IllegalArgumentException.class, () -> client.queryAccount(new byte[19])).getMessage());
        assertEquals("a transaction hash is 32 bytes, was 33",
            assertThrows(IllegalArgumentException.class, () -> client.queryTransaction(new byte[33])).getMessage());
    }

    @Test
    void shouldTakeReceiptsAnswersAndDisconnectsOnlyFromItsOwnSession() throws Exception
    {
        // Clients whose response channel is one (aeron:ipc, stream 1002, on the node's driver) each read every
        // session the node opens on it: another client's receipt, answer or Disconnect comes to this one too.
        final CmtClient client = connect(context());
        final RecordingListener listener = new RecordingListener();
        assertTrue(client.submit(frames, offset(0), lengths[0], listener, 70) > 0);
        final byte[] address = filled(20, 0x33);
        final CompletableFuture<AccountState> account = client.queryAccount(address);
        final CompletableFuture<TransactionState> transaction = client.queryTransaction(hashes[0]);
        awaitNode("the client's messages", () -> node.transactionQueries.size() == 1);

        // Another client's session: its first query is numbered 1 too, it sent the same bytes (and was told
        // DUPLICATE), and the node says goodbye to it under the client id this one has.
        try (ExclusivePublication other = node.aeron.addExclusivePublication(TransportContext.IPC_CHANNEL,
            RESPONSE_STREAM))
        {
            final byte[] otherAddress = filled(20, 0x44);
            TransportTest.offer(other, encodeAccountState(1, otherAddress, 9, 1, 5, 6), 0, ACCOUNT_STATE_LENGTH,
                client::poll);
            TransportTest.offer(other, encodeTransactionState(2, hashes[1], 0, 0, 0, 0, 0, 9), 0,
                TRANSACTION_STATE_LENGTH, client::poll);
            TransportTest.offer(other, encodeReceipt(hashes[0], ReceiptStatus.DUPLICATE, 9, 0), 0, RECEIPT_LENGTH,
                client::poll);
            TransportTest.offer(other, encodeDisconnect(client.clientId(), EgressRingDescriptor.REASON_SLOW_CLIENT),
                0, DISCONNECT_LENGTH, client::poll);
            // Last, a receipt no one waits for: counted unmatched whichever session it is taken from.
            TransportTest.offer(other, encodeReceipt(hashes[COUNT - 1], ReceiptStatus.OK, 9, 0), 0, RECEIPT_LENGTH,
                client::poll);
            awaitClient(client, "the other session read",
                () -> listener.events.size() + client.unmatchedReceipts() == 2);
        }
        assertFalse(account.isDone(), "another session's answer to its query 1");
        assertFalse(transaction.isDone(), "another session's answer to its query 2");
        assertEquals(List.of(), listener.events, "another session's receipt");
        assertTrue(client.isConnected(), "another session's Disconnect is not this one's");

        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(1, address, 13, 1, 1_000, 4));
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(2, hashes[0], 0, 0, 0, 0, 0, 13));
        node.receipt(hashes[0], ReceiptStatus.OK, 14, 100);
        awaitClient(client, "this session's answers", () -> account.isDone() && transaction.isDone() &&
            !listener.events.isEmpty());

        assertArrayEquals(address, account.get().address(), "the answer to this client's query");
        assertEquals(1_000, account.get().balanceMicroCmt());
        assertArrayEquals(hashes[0], transaction.get().txHash());
        assertEquals(List.of("receipt 70 " + hex(0) + " status 0 height 14 fee 100"), listener.events);
        assertEquals(2, client.unmatchedReceipts(), "another session's receipts match nothing here");
    }

    @Test
    void shouldTellABlockTheNodeCannotReadFromNotFound() throws Exception
    {
        final CmtClient client = connect(context());
        final CompletableFuture<TransactionState> damaged = client.queryTransaction(hashes[0]);
        final CompletableFuture<TransactionState> failed = client.queryTransaction(hashes[1]);
        final CompletableFuture<TransactionState> later = client.queryTransaction(hashes[2]);
        awaitNode("three queries", () -> node.transactionQueries.size() == 3);
        // found = 2: the node's index places it in block 12, which it cannot read; or, height 0, no block named.
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(1, hashes[0], 2, 12, 0, 255, 0, 16));
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(2, hashes[1], 2, 0, 0, 255, 0, 16));
        // A value this client does not know (a later node's) reads as not found, as the schema says.
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(3, hashes[2], 3, 9, 1, 0, 5, 16));
        awaitClient(client, "every answer", () -> damaged.isDone() && failed.isDone() && later.isDone());

        final TransactionState d = damaged.get();
        assertArrayEquals(hashes[0], d.txHash());
        assertTrue(d.unreadable());
        assertFalse(d.found());
        assertFalse(d.committed());
        assertEquals(12, d.blockHeight());
        assertEquals(TransactionState.NO_STATUS, d.status());
        assertEquals(ReceiptStatus.NULL_VAL, d.statusEnum());
        assertEquals(16, d.journaledHeight());
        assertEquals("TransactionState{" + hex(0) + ", indexed in block 12, which the node cannot read from its " +
            "journal (damaged on disk), journaled up to 16}", d.toString());
        final TransactionState f = failed.get();
        assertTrue(f.unreadable());
        assertEquals(0, f.blockHeight());
        assertEquals("TransactionState{" + hex(1) + ", unknown: the node's journal lookup failed, journaled up to 16}",
            f.toString());
        final TransactionState l = later.get();
        assertFalse(l.unreadable());
        assertFalse(l.found());
        assertEquals(TransactionState.NO_STATUS, l.status());
        assertEquals("TransactionState{" + hex(2) + ", not found, journaled up to 16}", l.toString());
    }

    @Test
    void shouldWaitForAFutureOnlyUntilItsDeadline()
    {
        final CmtClient client = connect(context());
        final CompletableFuture<TransactionState> query = client.queryTransaction(hashes[0]);
        assertEquals(1, resets, "reset once the query went out");
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);

        assertFalse(client.await(query, 0));
        idles = 0;
        assertFalse(client.await(query, TimeUnit.MILLISECONDS.toNanos(3)));
        assertEquals(4, idles, "polled until its clock was past the deadline, a step each");
        awaitNode("the query", () -> 1 == node.transactionQueries.size());
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(1, hashes[0], 0, 0, 0, 0, 0, 0));
        clockStepNs = 0;
        assertTrue(client.await(query, TimeUnit.MILLISECONDS.toNanos(3)));
        assertTrue(client.await(query, 0));
        assertEquals(3, resets, "reset when done, not when timed out");
    }

    @Test
    void shouldFailAQueryTheNodeDoesNotAnswerOnceItsTimeoutHasPassedAndIgnoreItsLateAnswer() throws Exception
    {
        // Before, a query the node took and never answered stayed pending, its future never done, while the session
        // lived (a node that does not answer that kind of query counts it refused and says nothing).
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(50);
        final CmtClient client = connect(context().queryTimeoutNs(timeoutNs));
        final RecordingListener listener = new RecordingListener();
        final byte[] address = filled(20, 0x11);
        final CompletableFuture<AccountState> account = client.queryAccount(address);
        clock.advance(timeoutNs / 2);
        final CompletableFuture<TransactionState> transaction = client.queryTransaction(hashes[0]);
        awaitNode("both queries", () -> 1 == node.transactionQueries.size());

        clock.advance(timeoutNs / 2);
        client.poll();
        assertFalse(account.isDone(), "at its deadline, not past it");
        clock.advance(1);
        client.poll();
        assertFailed(account, CmtClient.LOST_TIMED_OUT,
            "account query timed out after 50 ms: no answer from the node (cmt.client.query.timeout.ms)");
        assertFalse(transaction.isDone(), "sent later: its deadline is later");
        assertEquals(1, client.pendingQueryCount());
        clock.advance(timeoutNs / 2);
        client.poll();
        assertFailed(transaction, CmtClient.LOST_TIMED_OUT,
            "transaction query timed out after 50 ms: no answer from the node (cmt.client.query.timeout.ms)");
        assertEquals(0, client.pendingQueryCount(), "a query timed out is no longer pending");
        assertTrue(client.isConnected(), "the session goes on");
        assertEquals(0, client.lostCount(), "no transaction was lost");

        // The late answers, and behind them on the same stream a receipt: the answers are taken by no query.
        assertTrue(client.submit(frames, offset(1), lengths[1], listener, 5) > 0);
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(1, address, 13, 1, 1_000, 4));
        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(2, hashes[0], 1, 12, 3, 0, 7, 16));
        node.receipt(hashes[1], ReceiptStatus.OK, 14, 100);
        awaitClient(client, "the receipt", () -> !listener.events.isEmpty());
        assertEquals(List.of("receipt 5 " + hex(1) + " status 0 height 14 fee 100"), listener.events);
        assertEquals(0, client.unmatchedReceipts(), "answers are not receipts");
        assertEquals(0, client.pendingQueryCount());
        assertTrue(client.isConnected());

        // The next query has an id of its own (3), and is answered as ever.
        final CompletableFuture<AccountState> next = client.queryAccount(address);
        awaitNode("the next query", () -> 2 == node.accountQueries.size());
        assertEquals("3 " + Hex.encode(address), node.accountQueries.get(1));
        node.send(ACCOUNT_STATE_LENGTH, encodeAccountState(3, address, 15, 1, 900, 5));
        awaitClient(client, "its answer", next::isDone);
        assertEquals(900, next.get().balanceMicroCmt());
        assertEquals(15, next.get().height());
    }

    @Test
    void shouldTakeAnAnswerReadInThePollThatFindsItOverdueAndTimeOutOnlyWhatIsPastItsOwnDeadline() throws Exception
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(50);
        final CmtClient client = connect(context().queryTimeoutNs(timeoutNs));
        final CompletableFuture<TransactionState> answered = client.queryTransaction(hashes[0]);
        clock.advance(timeoutNs - 1);
        final CompletableFuture<AccountState> later = client.queryAccount(filled(20, 0x22));
        awaitNode("both queries", () -> 1 == node.accountQueries.size());

        node.send(TRANSACTION_STATE_LENGTH, encodeTransactionState(1, hashes[0], 1, 12, 3, 0, 7, 16));
        clock.advance(2);
        client.poll();
        assertTrue(answered.isDone(), "read in that poll");
        assertFalse(answered.isCompletedExceptionally(), "read before the deadlines are looked at");
        assertTrue(answered.get().found());
        assertEquals(12, answered.get().blockHeight());
        assertFalse(later.isDone(), "its own deadline is ahead");
        assertEquals(1, client.pendingQueryCount());

        clock.advance(timeoutNs - 2);
        client.poll();
        assertFalse(later.isDone(), "at its deadline");
        clock.advance(1);
        client.poll();
        assertFailed(later, CmtClient.LOST_TIMED_OUT,
            "account query timed out after 50 ms: no answer from the node (cmt.client.query.timeout.ms)");
        assertEquals(0, client.pendingQueryCount());
    }

    @Test
    void shouldTellEachQueryOnceWhenTheFutureOfOneTimedOutClosesTheClient()
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(50);
        final CmtClient client = connect(context().queryTimeoutNs(timeoutNs));
        final CompletableFuture<AccountState> first = client.queryAccount(new byte[20]);
        final CompletableFuture<TransactionState> second = client.queryTransaction(hashes[0]);
        final List<Throwable> told = new ArrayList<>();
        first.whenComplete((state, failure) ->
        {
            told.add(failure);
            client.close();
        });

        clock.advance(timeoutNs + 1);
        client.poll();
        assertFailed(first, CmtClient.LOST_TIMED_OUT,
            "account query timed out after 50 ms: no answer from the node (cmt.client.query.timeout.ms)");
        assertEquals(1, told.size());
        // Both were overdue; the close came first for the second, which is told that.
        assertFailed(second, CmtClient.LOST_CLOSED, "transaction query lost: the session ended");
        assertEquals(0, client.pendingQueryCount());
        assertEquals(0, client.poll());
    }

    @Test
    void shouldCloseOnlyWhatItOpenedOnTheAeronClientItWasGiven()
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())))
        {
            final CmtClient client = connect(context().aeron(aeron));
            assertTrue(node.responseConnected());
            client.close();

            assertFalse(aeron.isClosed());
            awaitNode("the response subscription closed", () -> !node.responseConnected());
            awaitNode("the ingress publication closed",
                () -> 0 == node.ingress.imageCount() || node.ingress.imageAtIndex(0).isEndOfStream());
        }
    }

    @Test
    void shouldEndTheSessionWhenTheAeronClientItWasGivenClosesUnderIt()
    {
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final CmtClient client;
        final RecordingListener listener = new RecordingListener();
        try
        {
            client = connect(context().aeron(aeron));
            assertTrue(client.submit(frames, offset(0), lengths[0], listener, 60) > 0);
        }
        finally
        {
            aeron.close();
        }

        assertEquals(CmtClient.NOT_CONNECTED, client.submit(frames, offset(1), lengths[1], listener, 61));
        assertFalse(client.isConnected());
        assertEquals(List.of("lost 60 " + hex(0) + " reason " + CmtClient.LOST_NODE_GONE), listener.events);
        assertEquals(0, client.pendingCount(), "the refused one is not pending");
    }

    @Test
    void shouldNameTheResponsePortTheDriverChoseInItsConnect()
    {
        final CmtClient client = connect(context().responseChannel("aeron:udp?endpoint=localhost:0"));

        final String channel = node.connects.get(0).channel;
        assertTrue(channel.matches("aeron:udp\\?endpoint=localhost:[1-9][0-9]*"), channel);
        assertEquals(channel, client.responseChannel());
        assertTrue(client.isConnected());
    }

    @Test
    void shouldCloseTheAeronClientItOpenedWhenItCannotConnect()
    {
        final long conductors = clientConductorThreads();
        clockStepNs = TimeUnit.MILLISECONDS.toNanos(1);

        final CmtClientException noNode = assertThrows(CmtClientException.class,
            () -> CmtClient.connect(context().ingressStreamId(INGRESS_STREAM + 1).connectTimeoutNs(5_000_000)));
        assertEquals(CmtClient.NOT_CONNECTED, noNode.code());
        assertEquals("no node answered on " + INGRESS_CHANNEL + " stream " + (INGRESS_STREAM + 1) + " within 5 ms " +
            "(a node ignores a Connect whose response channel, here aeron:ipc, does not lead back to this client: " +
            "from another host it must be a UDP endpoint on this client's IP address as the node sees it, from the " +
            "node's host aeron:ipc, localhost or a loopback address; and any Connect while it already serves as " +
            "many clients as its cmt.transport.max.clients allows)", noNode.getMessage());
        assertEquals(conductors, clientConductorThreads(), "the client's own Aeron client closed");

        // A channel every node refuses is refused before any Aeron client is made; one the driver refuses after.
        assertThrows(IllegalArgumentException.class, () -> CmtClient.connect(context().responseChannel("aeron:bogus")));
        assertEquals(conductors, clientConductorThreads());
        assertInstanceOf(RegistrationException.class, assertThrows(IllegalArgumentException.class,
            () -> CmtClient.connect(context().responseChannel("aeron:udp?endpoint=localhost:99999"))).getCause());
        assertEquals(conductors, clientConductorThreads(), "closed when its response subscription failed too");
    }

    /** The Aeron clients' conductor threads, one for each client open. */
    private static long clientConductorThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && thread.getName().equals("aeron-client")).count();
    }

    @Test
    void shouldDescribeEverySubmitResult()
    {
        assertEquals("NOT_CONNECTED", CmtClient.describe(CmtClient.NOT_CONNECTED));
        assertEquals("BACK_PRESSURED", CmtClient.describe(CmtClient.BACK_PRESSURED));
        assertEquals("INVALID_FRAME", CmtClient.describe(CmtClient.INVALID_FRAME));
        assertEquals("PENDING_FULL", CmtClient.describe(CmtClient.PENDING_FULL));
        assertEquals("DUPLICATE_PENDING", CmtClient.describe(CmtClient.DUPLICATE_PENDING));
        assertEquals("CLOSED", CmtClient.describe(CmtClient.CLOSED));
        assertEquals("MAX_POSITION_EXCEEDED", CmtClient.describe(CmtClient.MAX_POSITION_EXCEEDED));
        assertEquals("OK", CmtClient.describe(0));
        assertEquals("OK", CmtClient.describe(4_096));
        assertEquals("UNKNOWN(-8)", CmtClient.describe(-8));
    }

    private CmtClient.Context context()
    {
        return new CmtClient.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .ingressChannel(INGRESS_CHANNEL)
            .ingressStreamId(INGRESS_STREAM)
            .responseChannel(TransportContext.IPC_CHANNEL)
            .responseStreamId(RESPONSE_STREAM)
            .autoReconnect(false)
            .nanoClock(clock)
            .idleStrategy(new NodeIdle());
    }

    private CmtClient connect(final CmtClient.Context ctx)
    {
        final CmtClient client = CmtClient.connect(ctx);
        clients.add(client);
        idles = 0;
        resets = 0;
        return client;
    }

    /** The client's idle strategy: the node's duty cycle, and a step of the client's clock. */
    private final class NodeIdle implements IdleStrategy
    {
        @Override
        public void idle(final int workCount)
        {
            idle();
        }

        @Override
        public void idle()
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("the client idled past the test's deadline");
            }
            idles++;
            node.work();
            clock.advance(clockStepNs);
            Thread.yield();
        }

        @Override
        public void reset()
        {
            resets++;
        }
    }

    private void awaitNode(final String what, final BooleanSupplier condition)
    {
        Await.until(what, TIMEOUT_MS, node::work, condition);
    }

    private void awaitClient(final CmtClient client, final String what, final BooleanSupplier condition)
    {
        Await.until(what, TIMEOUT_MS, () ->
        {
            node.work();
            client.poll();
        }, condition);
    }

    private static int offset(final int i)
    {
        return i * TestFrames.STRIDE;
    }

    private String hex(final int i)
    {
        return Hex.encode(hashes[i]);
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    private static List<String> sorted(final List<String> events)
    {
        final List<String> copy = new ArrayList<>(events);
        copy.sort(null);
        return copy;
    }

    private static void assertFailed(final CompletableFuture<?> future, final long code, final String message)
    {
        assertTrue(future.isCompletedExceptionally(), "failed");
        final ExecutionException ex = assertThrows(ExecutionException.class, future::get);
        final CmtClientException cause = assertInstanceOf(CmtClientException.class, ex.getCause());
        assertEquals(code, cause.code());
        assertEquals(message, cause.getMessage());
    }

    private static UnsafeBuffer encodeDisconnect(final long clientId, final int reason)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[DISCONNECT_LENGTH]);
        new DisconnectEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientId(clientId)
            .reason(reason);
        return buffer;
    }

    private static UnsafeBuffer encodeReceipt(
        final byte[] hash, final ReceiptStatus status, final long blockHeight, final long fee)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        new ReceiptEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .putTxHash(hash, 0, hash.length)
            .blockHeight(blockHeight)
            .feeChargedMicroCmt(fee)
            .status(status);
        return buffer;
    }

    private static UnsafeBuffer encodeAccountState(
        final long correlationId, final byte[] address, final long height, final int exists, final long balance,
        final long nonce)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        new AccountStateEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .putAddress(address, 0, address.length)
            .height(height)
            .exists((short)exists)
            .balanceMicroCmt(balance)
            .nonce(nonce);
        return buffer;
    }

    private static UnsafeBuffer encodeTransactionState(
        final long correlationId, final byte[] hash, final int found, final long blockHeight, final long index,
        final int status, final long fee, final long journaledHeight)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        new TransactionStateEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .putTxHash(hash, 0, hash.length)
            .found((short)found)
            .blockHeight(blockHeight)
            .index(index)
            .status(ReceiptStatus.get((short)status))
            .feeChargedMicroCmt(fee)
            .journaledHeight(journaledHeight);
        return buffer;
    }

    /** Records each outcome as a line, in the order told. */
    private static final class RecordingListener implements ReceiptListener
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
            events.add("receipt " + tag + " " + hash(txHash, hashOffset) + " status " + status + " height " +
                blockHeight + " fee " + feeChargedMicroCmt);
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            events.add("lost " + tag + " " + hash(txHash, hashOffset) + " reason " + reason);
        }

        private static String hash(final DirectBuffer buffer, final int offset)
        {
            final byte[] bytes = new byte[Sha256.DIGEST_LENGTH];
            buffer.getBytes(offset, bytes);
            return Hex.encode(bytes);
        }
    }

    private static final class Connect
    {
        final long correlationId;
        final int streamId;
        final String channel;

        Connect(final long correlationId, final int streamId, final String channel)
        {
            this.correlationId = correlationId;
            this.streamId = streamId;
            this.channel = channel;
        }
    }

    /** The node's side of the wire, on the test's thread. */
    private static final class FakeNode implements AutoCloseable
    {
        final Aeron aeron;
        final Subscription ingress;
        final List<Connect> connects = new ArrayList<>();
        final List<long[]> disconnects = new ArrayList<>();
        final List<byte[]> transactions = new ArrayList<>();
        final List<String> accountQueries = new ArrayList<>();
        final List<String> transactionQueries = new ArrayList<>();
        /** Fees told in Connected, {type, fee}; null for a Connected that ends at its fixed block. */
        long[][] fees;
        /** The chain id told in Connected; 0 announces none. */
        int chainId = TestFrames.CHAIN_ID;
        /** Bytes cut off the end of each Connected. */
        int connectedCutShortBy;
        /** Answer each Connect with one for another correlation id (and client id 99) first. */
        boolean staleConnectedFirst;
        /** Answer each Connect with its own Connected (client id 77) cut short of its last fixed field first. */
        boolean shortConnectedFirst;
        /** Connects to record and leave unanswered. */
        int connectsToIgnore;
        boolean reading = true;
        /** Run once, at the next duty cycle. */
        Runnable onWork;
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final Sha256 sha = new Sha256();
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);
        private ExclusivePublication response;
        private long toAnswer;
        private long nextClientId = 41;

        FakeNode(final Aeron aeron)
        {
            this.aeron = aeron;
            ingress = aeron.addSubscription(TransportContext.IPC_CHANNEL, INGRESS_STREAM);
        }

        void work()
        {
            final Runnable once = onWork;
            if (null != once)
            {
                onWork = null;
                once.run();
            }
            if (reading)
            {
                ingress.poll(this::onIngress, 16);
            }
            if (0 != toAnswer && null != response && response.isConnected())
            {
                if (staleConnectedFirst)
                {
                    connected(toAnswer + 1_000, 99);
                }
                if (shortConnectedFirst)
                {
                    connected(toAnswer, 77, MessageHeaderEncoder.ENCODED_LENGTH + ConnectedEncoder.BLOCK_LENGTH - 4);
                }
                connected(toAnswer, nextClientId++);
                toAnswer = 0;
            }
        }

        void connected(final long correlationId, final long clientId)
        {
            connected(correlationId, clientId, Integer.MAX_VALUE);
        }

        /** A Connected of at most {@code maxLength} bytes. */
        void connected(final long correlationId, final long clientId, final int maxLength)
        {
            final ConnectedEncoder encoder = new ConnectedEncoder()
                .wrapAndApplyHeader(scratch, 0, new MessageHeaderEncoder())
                .correlationId(correlationId)
                .clientId(clientId)
                .chainId(chainId)
                .maxFrameLength(1_000);
            if (null != fees)
            {
                final ConnectedEncoder.FeesEncoder group = encoder.feesCount(fees.length);
                for (final long[] fee : fees)
                {
                    group.next().txType(TxType.get((short)fee[0])).minimumFeeMicroCmt(fee[1]);
                }
            }
            send(Math.min(maxLength,
                MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength() - connectedCutShortBy), scratch);
        }

        void receipt(final byte[] hash, final ReceiptStatus status, final long blockHeight, final long fee)
        {
            send(RECEIPT_LENGTH, encodeReceipt(hash, status, blockHeight, fee));
        }

        void disconnect(final long clientId, final int reason)
        {
            send(DISCONNECT_LENGTH, encodeDisconnect(clientId, reason));
        }

        void send(final int length, final DirectBuffer buffer)
        {
            TransportTest.offer(response, buffer, 0, length, () ->
            {
            });
        }

        boolean responseConnected()
        {
            return response.isConnected();
        }

        void closeResponse()
        {
            response.close();
        }

        void closeIngress()
        {
            reading = false;
            ingress.close();
        }

        private void onIngress(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            headerDecoder.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (headerDecoder.templateId())
            {
                case ConnectDecoder.TEMPLATE_ID:
                {
                    final ConnectDecoder connect = new ConnectDecoder()
                        .wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
                    final long correlationId = connect.correlationId();
                    final int streamId = connect.responseStreamId();
                    final byte[] channel = new byte[connect.responseChannelLength()];
                    connect.getResponseChannel(channel, 0, channel.length);
                    final String name = new String(channel, StandardCharsets.US_ASCII);
                    connects.add(new Connect(correlationId, streamId, name));
                    if (connectsToIgnore > 0)
                    {
                        connectsToIgnore--;
                        break;
                    }
                    if (null == response)
                    {
                        response = aeron.addExclusivePublication(name, streamId);
                    }
                    toAnswer = correlationId;
                    break;
                }

                case DisconnectDecoder.TEMPLATE_ID:
                {
                    final DisconnectDecoder disconnect = new DisconnectDecoder()
                        .wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
                    disconnects.add(new long[] {disconnect.clientId(), disconnect.reason()});
                    break;
                }

                case AccountQueryDecoder.TEMPLATE_ID:
                {
                    final AccountQueryDecoder query = new AccountQueryDecoder()
                        .wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
                    final byte[] address = new byte[AccountQueryDecoder.addressLength()];
                    query.getAddress(address, 0, address.length);
                    accountQueries.add(query.correlationId() + " " + Hex.encode(address));
                    break;
                }

                case TransactionQueryDecoder.TEMPLATE_ID:
                {
                    final TransactionQueryDecoder query = new TransactionQueryDecoder()
                        .wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
                    final byte[] hash = new byte[TransactionQueryDecoder.txHashLength()];
                    query.getTxHash(hash, 0, hash.length);
                    transactionQueries.add(query.correlationId() + " " + Hex.encode(hash));
                    break;
                }

                case TransactionDecoder.TEMPLATE_ID:
                {
                    final byte[] hash = new byte[Sha256.DIGEST_LENGTH];
                    TxHash.compute(sha, buffer, offset, length, hash, 0);
                    transactions.add(hash);
                    break;
                }

                default:
                    throw new AssertionError("unexpected template " + headerDecoder.templateId());
            }
        }

        @Override
        public void close()
        {
            CloseHelper.quietClose(aeron);
        }
    }

    /**
     * @return a listener that tells {@code recording} each receipt and loss, and after each loss does
     * {@code afterLost} with its tag (a caller that closes the client then, or a listener with a bug that throws).
     */
    private static ReceiptListener recordingThen(final RecordingListener recording, final LongConsumer afterLost)
    {
        return new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                recording.onReceipt(tag, txHash, hashOffset, status, blockHeight, feeChargedMicroCmt);
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                recording.onLost(tag, txHash, hashOffset, reason);
                afterLost.accept(tag);
            }
        };
    }
}
