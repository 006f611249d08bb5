package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.status.PublisherLimit;
import io.aeron.driver.status.StreamCounter;
import io.aeron.logbuffer.Header;
import io.cmtchain.engine.codec.AccountStateDecoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.DisconnectDecoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.ReceiptDecoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.codec.TransactionStateDecoder;
import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EgressPublisher} alone, as an agent whose duty cycles the test runs on its own thread, with a clock the test
 * sets: an embedded media driver carries its publications to subscriptions that play the clients, each on its own
 * IPC stream. A client that "stops reading" is a subscription the test does not poll; its publication has a 64 KiB
 * term, so its window fills after a few hundred receipts.
 */
class EgressPublisherTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long SLOW_CLIENT_TIMEOUT_MS = 1_000;
    private static final long SLOW_NS = TimeUnit.MILLISECONDS.toNanos(SLOW_CLIENT_TIMEOUT_MS);
    private static final long CONNECT_TIMEOUT_MS = 2_000;
    private static final long CONNECT_NS = TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
    private static final int BACKLOG_CAPACITY = 4096;
    private static final String SMALL_TERM_CHANNEL = "aeron:ipc?term-length=64k";

    private final List<Client> clients = new ArrayList<>();
    private long nowNs = 1_000;
    private File dir;
    private MediaDriver driver;
    private Aeron aeron;
    private TransportCounters counters;
    private EgressPublisher egress;
    private int nextHash;

    @BeforeEach
    void setUp()
    {
        dir = TestNode.tempDir();
        driver = TestNode.embeddedDriver(dir);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        counters = TransportCounters.inMemory();
        egress = new EgressPublisher(context(), aeron, counters);
    }

    @AfterEach
    void tearDown()
    {
        egress.onClose();
        clients.forEach(client -> CloseHelper.quietClose(client.subscription));
        CloseHelper.quietCloseAll(aeron, driver, counters);
        IoUtil.delete(dir, true);
    }

    private TransportContext context()
    {
        return new TransportContext()
            .chainId(TestFrames.CHAIN_ID)
            .egressRingCapacity(64 * 1024)
            .clientBacklogCapacity(BACKLOG_CAPACITY)
            .slowClientTimeoutMs(SLOW_CLIENT_TIMEOUT_MS)
            .connectTimeoutMs(CONNECT_TIMEOUT_MS)
            .nanoClock(() -> nowNs);
    }

    @Test
    void shouldSendConnectedAndThenEachRecordToItsOwnClientWithItsFields()
    {
        final FeeSchedule fees = new FeeSchedule(7).minFee(TxType.DELEGATE.value(), 70);
        egress = new EgressPublisher(context().feeSchedule(fees), aeron, counters);
        final Client a = client(11, 3_001);
        final Client b = client(22, 3_002);
        open(a, 101, "aeron:ipc");
        open(b, 102, "aeron:ipc");
        assertEquals(2, counters.sessionsOpened.get());
        assertEquals(2, egress.sessionCount());

        final TxType[] types = Arrays.stream(TxType.values()).filter(t -> t != TxType.NULL_VAL).toArray(TxType[]::new);
        final StringBuilder expectedFees = new StringBuilder();
        for (final TxType type : types)
        {
            expectedFees.append(' ').append(type).append('=').append(TxType.DELEGATE == type ? 70 : 7);
        }
        final String connected = " chain=" + TestFrames.CHAIN_ID + " maxFrame=" + TransactionDescriptor.MAX_LENGTH +
            " fees=" + types.length + expectedFees;
        assertEquals(List.of("Connected corr=101 client=11" + connected), a.messages);
        assertEquals(List.of("Connected corr=102 client=22" + connected), b.messages);

        // The hash is read from its offset in the caller's array.
        final byte[] hashes = new byte[40];
        Arrays.fill(hashes, 0, 8, (byte)0xEE);
        Arrays.fill(hashes, 8, 40, (byte)0xA1);
        final byte[] address = filled(20, 0x5C);
        assertTrue(egress.offerReceipt(11, hashes, 8, ReceiptStatus.OK.value(), 7, 3));
        assertTrue(egress.offerReceipt(22, filled(32, 0xB2), 0, ReceiptStatus.BAD_NONCE.value(), 8, 4));
        // The SBE null value is no status: the client is told MALFORMED.
        assertTrue(egress.offerReceipt(11, filled(32, 0xC3), 0, ReceiptStatus.NULL_VAL.value(), 9, 5));
        assertTrue(egress.offerAccountState(22, 31, address, 40, true, 1_000, 6));
        assertTrue(egress.offerAccountState(11, 32, address, 41, false, 0, 0));
        assertTrue(egress.offerTransactionState(
            11, 33, hashes, 8, true, 50, 2, ReceiptStatus.FEE_TOO_LOW.value(), 9, 60));
        assertTrue(egress.offerTransactionState(
            22, 34, filled(32, 0xD4), 0, false, 0, 0, ReceiptStatus.OK.value(), 0, 61));
        // The index places it in block 44, which the node cannot read: found is 2, no status.
        assertTrue(egress.offerTransactionUnreadable(22, 35, hashes, 8, 44, 62));
        assertEquals(8, egress.doWork(), "eight records read, both sessions idle");
        assertEquals(0, egress.doWork());
        pollUntil(a, 5);
        pollUntil(b, 5);

        final String hashA = HexFormat.of().formatHex(hashes, 8, 40);
        final String addr = HexFormat.of().formatHex(address);
        assertEquals(List.of(
            "Receipt " + hashA + " height=7 fee=3 OK",
            "Receipt " + hex(filled(32, 0xC3)) + " height=9 fee=5 MALFORMED",
            "AccountState corr=32 " + addr + " height=41 exists=0 balance=0 nonce=0",
            "TransactionState corr=33 " + hashA + " found=1 height=50 index=2 FEE_TOO_LOW fee=9 journaled=60"),
            a.messages.subList(1, 5));
        assertEquals(List.of(
            "Receipt " + hex(filled(32, 0xB2)) + " height=8 fee=4 BAD_NONCE",
            "AccountState corr=31 " + addr + " height=40 exists=1 balance=1000 nonce=6",
            "TransactionState corr=34 " + hex(filled(32, 0xD4)) +
                " found=0 height=0 index=0 NULL_VAL fee=0 journaled=61",
            "TransactionState corr=35 " + hashA + " found=2 height=44 index=0 NULL_VAL fee=0 journaled=62"),
            b.messages.subList(1, 5));
        assertEquals(3, counters.receiptsSent.get());
        assertEquals(2, counters.accountQueriesAnswered.get());
        assertEquals(3, counters.transactionQueriesAnswered.get());
        assertEquals(0, counters.receiptsNoSession.get());
    }

    /**
     * Before ReceiptStatuses, SBE's ReceiptStatus.get threw for the unlisted code 200 out of doWork, with the record
     * consumed from the ring: the receipt was lost, counted nowhere, and the one behind it waited for the next duty
     * cycle.
     */
    @Test
    void shouldTellTheClientMalformedForAStatusCodeThatIsNoReceiptStatus()
    {
        final Client a = client(11, 3_001);
        open(a, 1, "aeron:ipc");

        assertTrue(egress.offerReceipt(11, filled(32, 1), 0, 200, 1, 0));
        assertTrue(egress.offerReceipt(11, filled(32, 2), 0, ReceiptStatus.OK.value(), 2, 0));
        egress.doWork();
        egress.doWork();
        pollUntil(a, 3);
        assertEquals(List.of("Receipt " + hex(filled(32, 1)) + " height=1 fee=0 MALFORMED",
            "Receipt " + hex(filled(32, 2)) + " height=2 fee=0 OK"), a.messages.subList(1, 3));
    }

    @Test
    void shouldDropRecordsForUnknownClientsCountingOnlyTheReceipts()
    {
        final Client a = client(11, 3_001);
        open(a, 1, "aeron:ipc");

        assertTrue(egress.offerReceipt(12, filled(32, 1), 0, ReceiptStatus.OK.value(), 1, 1));
        assertTrue(egress.offerAccountState(12, 2, filled(20, 2), 1, true, 1, 1));
        assertTrue(egress.offerTransactionState(12, 3, filled(32, 3), 0, true, 1, 1, 0, 1, 1));
        assertTrue(egress.offerClose(12));
        // A receipt for the known client behind them: once it arrives, the others were read and went nowhere.
        assertTrue(egress.offerReceipt(11, filled(32, 4), 0, ReceiptStatus.OK.value(), 1, 1));
        egress.doWork();
        pollUntil(a, 2);

        assertTrue(a.messages.get(1).startsWith("Receipt " + hex(filled(32, 4))));
        assertEquals(1, counters.receiptsNoSession.get());
        assertEquals(1, counters.receiptsSent.get());
        assertEquals(0, counters.accountQueriesAnswered.get());
        assertEquals(0, counters.transactionQueriesAnswered.get());
        assertEquals(0, counters.sessionsClosed.get());
        assertEquals(1, egress.sessionCount());
    }

    @Test
    void shouldHoldWhatComesBeforeTheClientIsConnectedAndSendItAfterConnectedInOrder()
    {
        final Client a = client(11, 3_001);
        assertTrue(openRecord(a, 5, "aeron:ipc"));
        assertTrue(egress.offerReceipt(11, filled(32, 1), 0, ReceiptStatus.OK.value(), 1, 0));
        assertTrue(egress.offerAccountState(11, 6, filled(20, 2), 2, true, 3, 4));
        assertTrue(egress.offerReceipt(11, filled(32, 3), 0, ReceiptStatus.OK.value(), 3, 0));
        assertTrue(egress.offerTransactionState(11, 7, filled(32, 4), 0, true, 4, 0, 0, 0, 4));
        assertTrue(egress.offerReceipt(11, filled(32, 5), 0, ReceiptStatus.OK.value(), 5, 0));
        Await.until("all five after Connected", TIMEOUT_MS, () ->
        {
            egress.doWork();
            a.poll();
        }, () -> a.messages.size() == 6);

        assertEquals("Connected corr=5 client=11 chain=" + TestFrames.CHAIN_ID + " maxFrame=" +
            TransactionDescriptor.MAX_LENGTH + " fees=0", a.messages.get(0), "no schedule, no fees");
        assertEquals(List.of("Receipt height=1", "AccountState corr=6", "Receipt height=3", "TransactionState corr=7",
            "Receipt height=5"), a.summaries(1));
        assertEquals(3, counters.receiptsSent.get(), "answers are not receipts");
        assertEquals(1, counters.accountQueriesAnswered.get());
        assertEquals(1, counters.transactionQueriesAnswered.get());
    }

    @Test
    void shouldQueueWhileTheClientIsBackPressuredAndSendInOrderOnceItReads()
    {
        final Client a = client(11, 3_001);
        open(a, 1, SMALL_TERM_CHANNEL);
        final int window = fillUntilBackPressured(a, 0);
        assertEquals(window, counters.receiptsSent.get());

        // One receipt already waits; behind it, answers and receipts, none sent while the client does not read.
        assertTrue(egress.offerAccountState(11, 2, filled(20, 2), 2, true, 3, 4));
        receipt(a);
        assertTrue(egress.offerTransactionState(11, 3, filled(32, 4), 0, true, 4, 0, 0, 0, 4));
        receipt(a);
        assertTrue(egress.offerAccountState(11, 4, filled(20, 2), 2, true, 3, 4));
        assertEquals(5, egress.doWork(), "five records read, nothing flushed");
        assertEquals(window, counters.receiptsSent.get());
        assertEquals(0, counters.accountQueriesAnswered.get());

        pollUntil(a, 1 + window);
        awaitWindowOpen(a);
        assertEquals(6, egress.doWork(), "the six in the backlog flushed");
        pollUntil(a, 1 + window + 6);

        final List<String> expected = new ArrayList<>();
        for (int i = 0; i <= window; i++)
        {
            expected.add("Receipt height=" + i);
        }
        expected.addAll(List.of("AccountState corr=2", "Receipt height=" + (window + 1), "TransactionState corr=3",
            "Receipt height=" + (window + 2), "AccountState corr=4"));
        assertEquals(expected, a.summaries(1));
        assertEquals(window + 3, counters.receiptsSent.get());
        assertEquals(2, counters.accountQueriesAnswered.get());
        assertEquals(1, counters.transactionQueriesAnswered.get());
        assertEquals(0, counters.clientsEvicted.get());
        assertEquals(0, egress.doWork(), "nothing left");
    }

    @Test
    void shouldEvictAClientWhoseBacklogIsFullAndCountWhatItHeld()
    {
        final Client a = client(11, 3_001);
        open(a, 1, SMALL_TERM_CHANNEL);
        final int window = fillUntilBackPressured(a, 0);
        final int slots = backlogSlots();
        for (int i = 1; i < slots; i++)
        {
            receipt(a);
        }
        egress.doWork();
        assertEquals(0, counters.clientsEvicted.get(), "the backlog is full, not over");
        assertEquals(1, egress.sessionCount());

        // The client reads everything sent, but the next receipt comes before egress flushes the backlog.
        pollUntil(a, 1 + window);
        awaitWindowOpen(a);
        receipt(a);
        egress.doWork();
        assertEquals(1, counters.clientsEvicted.get());
        assertEquals(slots + 1, counters.receiptsEvicted.get(), "the backlog and the receipt that did not fit");
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, egress.sessionCount());
        assertEquals(window, counters.receiptsSent.get());

        // The window had room for the best-effort Disconnect.
        pollUntil(a, 1 + window + 1);
        assertEquals("Disconnect client=11 reason=" + EgressRingDescriptor.REASON_SLOW_CLIENT,
            a.messages.get(a.messages.size() - 1));

        receipt(a);
        egress.doWork();
        assertEquals(1, counters.receiptsNoSession.get());
        assertEquals(slots + 1, counters.receiptsEvicted.get());
    }

    @Test
    void shouldEvictAClientThatTakesNothingForTheSlowClientTimeout()
    {
        // A backlog larger than the publication's window, so that a read of the window leaves some of it waiting.
        egress = new EgressPublisher(context().clientBacklogCapacity(64 * 1024), aeron, counters);
        final Client a = client(11, 3_001);
        open(a, 1, SMALL_TERM_CHANNEL);
        // Each receipt comes long after the one before: the timeout runs from when the first one had to wait.
        final int window = fillUntilBackPressured(a, 2 * SLOW_NS);
        assertEquals(0, counters.clientsEvicted.get());
        final int queued = 500;
        for (int i = 1; i < queued; i++)
        {
            receipt(a);
            egress.doWork();
        }
        assertEquals(window, counters.receiptsSent.get());

        // Part of the backlog goes out: that is progress, and the timeout starts again.
        pollUntil(a, 1 + window);
        awaitWindowOpen(a);
        nowNs += SLOW_NS / 2;
        // Duty cycles until one sends nothing (the flush stops once where the publication moves to its next term).
        int flushed = 0;
        for (int sent; (sent = egress.doWork()) > 0; )
        {
            flushed += sent;
        }
        assertTrue(flushed > 0 && flushed < queued, "part of the backlog sent: " + flushed);
        assertEquals(window + flushed, counters.receiptsSent.get());

        nowNs += SLOW_NS;
        egress.doWork();
        assertEquals(0, counters.clientsEvicted.get(), "not more than the timeout yet");
        assertEquals(1, egress.sessionCount());

        nowNs += 1;
        assertEquals(1, egress.doWork());
        assertEquals(1, counters.clientsEvicted.get());
        assertEquals(queued - flushed, counters.receiptsEvicted.get(), "what was left in the backlog");
        assertEquals(0, counters.receiptsNoSession.get());

        // Its window is full: the publication is kept for the Disconnect until the client has read nothing for
        // another slow-client timeout, and then closed without it.
        assertEquals(0, counters.sessionsClosed.get());
        assertEquals(1, egress.sessionCount());
        nowNs += SLOW_NS;
        assertEquals(0, egress.doWork());
        assertEquals(0, counters.sessionsClosed.get(), "not more than the timeout yet");
        nowNs += 1;
        assertEquals(1, egress.doWork());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, egress.sessionCount());
        assertEquals(1, counters.clientsEvicted.get());
        final int read = a.messages.size();
        Await.until("the stream's end", TIMEOUT_MS, a::poll, () -> streamEnded(a));
        assertTrue(a.messages.subList(read, a.messages.size()).stream().allMatch(m -> m.startsWith("Receipt")),
            "no Disconnect: " + a.messages.subList(read, a.messages.size()));
    }

    /**
     * Evicted while its publication is full, the client is told so once it reads again: the node keeps the
     * publication until the Disconnect goes in behind what the client had not read. Before, the one offer of the
     * Disconnect met the full window, the publication was closed, and the client saw only its stream end (reported
     * as the node gone).
     */
    @Test
    void shouldTellAClientEvictedWhileItsWindowIsFullOnceItReadsAgain()
    {
        final Client a = client(11, 3_001);
        open(a, 1, SMALL_TERM_CHANNEL);
        final int window = fillUntilBackPressured(a, 0);
        final int slots = backlogSlots();
        for (int i = 0; i < slots; i++)
        {
            receipt(a);
        }
        egress.doWork();
        assertEquals(1, counters.clientsEvicted.get());
        assertEquals(slots + 1, counters.receiptsEvicted.get(), "the backlog and the receipt that did not fit");
        assertEquals(0, counters.sessionsClosed.get(), "kept for the Disconnect");
        assertEquals(1, egress.sessionCount());

        // Nothing more goes to it, nor waits for it.
        receipt(a);
        egress.doWork();
        assertEquals(1, counters.receiptsNoSession.get());
        assertEquals(window, counters.receiptsSent.get());

        // The client reads again: the window opens, the Disconnect goes in, and the publication is closed.
        pollUntil(a, 1 + window);
        Await.until("session closed", TIMEOUT_MS, egress::doWork, () -> counters.sessionsClosed.get() == 1);
        assertEquals(0, egress.sessionCount());
        pollUntil(a, 1 + window + 1);
        assertEquals("Disconnect client=11 reason=" + EgressRingDescriptor.REASON_SLOW_CLIENT,
            a.messages.get(a.messages.size() - 1));
        Await.until("the stream's end", TIMEOUT_MS, a::poll, () -> streamEnded(a));
        assertEquals(1 + window + 1, a.messages.size());
        assertEquals(1, counters.clientsEvicted.get());
    }

    @Test
    void shouldCloseTheSessionOfAClientThatGoesAwayAndCountItsBacklogAsNoSession()
    {
        final Client a = client(11, 3_001);
        open(a, 1, SMALL_TERM_CHANNEL);
        final int window = fillUntilBackPressured(a, 0);
        receipt(a);
        receipt(a);
        egress.doWork();
        a.subscription.close();
        Await.until("session closed", TIMEOUT_MS, egress::doWork, () -> egress.sessionCount() == 0);

        assertEquals(3, counters.receiptsNoSession.get());
        assertEquals(window, counters.receiptsSent.get());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, counters.clientsEvicted.get());
        assertEquals(0, counters.receiptsEvicted.get());
    }

    @Test
    void shouldCloseTheSessionWhenAReceiptFindsTheClientGone()
    {
        final Client a = client(11, 3_001);
        open(a, 1, "aeron:ipc");
        a.subscription.close();
        final int[] offered = {0};
        Await.until("session closed", TIMEOUT_MS, () ->
        {
            receipt(a);
            offered[0]++;
            egress.doWork();
        }, () -> egress.sessionCount() == 0);

        assertEquals(1, counters.receiptsNoSession.get());
        assertEquals(offered[0] - 1, counters.receiptsSent.get());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, counters.clientsEvicted.get());
    }

    @Test
    void shouldCloseASessionOnRequestWithoutADisconnectAndRemoveItsPublication()
    {
        final Client a = client(11, 3_001);
        final Client b = client(22, 3_002);
        open(a, 1, "aeron:ipc");
        open(b, 2, "aeron:ipc");
        assertTrue(egress.offerClose(11));
        assertEquals(1, egress.doWork());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(1, egress.sessionCount());

        Await.until("publication removed", TIMEOUT_MS, a::poll, () -> a.subscription.imageCount() == 0);
        assertEquals(1, a.messages.size(), "Connected only");
        receipt(a);
        receipt(b);
        egress.doWork();
        pollUntil(b, 2);
        assertEquals(1, counters.receiptsNoSession.get());
        assertEquals(1, counters.receiptsSent.get());
    }

    @Test
    void shouldTimeOutAClientWhoseResponseChannelNeverConnects()
    {
        final Client a = client(11, 3_001);
        a.subscription.close();
        assertTrue(openRecord(a, 1, "aeron:ipc"));
        receipt(a);
        receipt(a);
        final long openedNs = nowNs;
        for (int i = 0; i < 10; i++)
        {
            egress.doWork();
        }
        nowNs = openedNs + CONNECT_NS;
        for (int i = 0; i < 10; i++)
        {
            egress.doWork();
        }
        assertEquals(0, counters.connectTimeouts.get(), "not more than the timeout yet");
        assertEquals(1, egress.sessionCount());

        nowNs++;
        assertEquals(1, egress.doWork());
        assertEquals(1, counters.connectTimeouts.get());
        assertEquals(2, counters.receiptsNoSession.get(), "what waited for it");
        assertEquals(1, counters.sessionsOpened.get());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, egress.sessionCount());
    }

    @Test
    void shouldDropSessionsWhoseResponseChannelIsRefused()
    {
        // A ring whose records can carry a channel longer than the driver's command ring takes.
        egress = new EgressPublisher(context().egressRingCapacity(2 << 20), aeron, counters);
        final Client a = client(11, 3_001);
        assertTrue(openRecord(a, 1, "aeron:ipc?alias=" + "x".repeat(140_000)));
        assertEquals(1, egress.doWork());
        assertEquals(1, counters.connectTimeouts.get(), "refused by the client library");
        assertEquals(0, counters.sessionsOpened.get());
        assertEquals(0, egress.sessionCount());

        assertTrue(openRecord(a, 2, "aeron:nonsense?x"));
        Await.until("refused by the driver", TIMEOUT_MS, egress::doWork, () -> counters.connectTimeouts.get() == 2);
        assertEquals(1, counters.sessionsOpened.get());
        assertEquals(1, counters.sessionsClosed.get());
        assertEquals(0, egress.sessionCount());
    }

    /**
     * A response channel that names no term-length gets the node's
     * ({@link TransportContext#RESPONSE_TERM_LENGTH_PROP}), over IPC as over UDP. Left to the media driver, an IPC one
     * got its IPC default, 64 MiB a term: 192 MiB of log buffers per client, four times a UDP client's, and more than
     * the client limit was sized for.
     */
    @Test
    void shouldGiveAResponseChannelThatNamesNoTermLengthTheNodes()
    {
        final Client ipc = client(11, 3_001);
        open(ipc, 1, "aeron:ipc");
        assertEquals(TransportContext.DEFAULT_RESPONSE_TERM_LENGTH,
            ipc.subscription.imageAtIndex(0).termBufferLength());

        final String udpChannel = "aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort();
        final Client udp = new Client(22, 3_002, aeron.addSubscription(udpChannel, 3_002));
        clients.add(udp);
        open(udp, 2, udpChannel);
        assertEquals(TransportContext.DEFAULT_RESPONSE_TERM_LENGTH,
            udp.subscription.imageAtIndex(0).termBufferLength());

        // One the channel names is kept (ingress refuses one above 16 MiB, ResponseChannels), and every other
        // parameter with it.
        final Client named = client(33, 3_003);
        open(named, 3, "aeron:ipc?term-length=64k|alias=small");
        assertEquals(64 * 1024, named.subscription.imageAtIndex(0).termBufferLength());
        assertEquals("aeron:ipc?term-length=64k|alias=small", EgressPublisher.responseChannel(
            "aeron:ipc?term-length=64k|alias=small", EgressPublisher.MAX_RESPONSE_LINGER_NS, 1 << 20));
        final ChannelUri written =
            ChannelUri.parse(EgressPublisher.responseChannel("aeron:ipc?alias=small", 0, 1 << 20));
        assertEquals("1048576", written.get(CommonContext.TERM_LENGTH_PARAM_NAME));
        assertEquals("small", written.get(CommonContext.ALIAS_PARAM_NAME));
        assertEquals(3, counters.sessionsOpened.get());
    }

    @Test
    void shouldGiveAResponseChannelThatNamesNoTermLengthTheOneItsContextSays()
    {
        egress = new EgressPublisher(context().responseTermLength(64 * 1024), aeron, counters);
        final Client a = client(11, 3_001);
        open(a, 1, "aeron:ipc");
        assertEquals(64 * 1024, a.subscription.imageAtIndex(0).termBufferLength());
    }

    @Test
    void shouldGiveAResponseChannelNoLongerLingerThanTheNodeAllows()
    {
        // The driver keeps a closed publication's log buffers (three terms of up to 16 MiB) for its linger: a client
        // connecting again and again with linger=3600s would hold that much of the node's memory an hour per Connect.
        final ChannelUri lowered = ChannelUri.parse(EgressPublisher.responseChannel(
            "aeron:udp?endpoint=localhost:5000|linger=3600s|term-length=64k", 1_000, 1 << 20));
        assertEquals(Long.toString(EgressPublisher.MAX_RESPONSE_LINGER_NS),
            lowered.get(CommonContext.LINGER_PARAM_NAME));
        assertEquals("64k", lowered.get(CommonContext.TERM_LENGTH_PARAM_NAME));
        assertEquals("localhost:5000", lowered.get(CommonContext.ENDPOINT_PARAM_NAME));

        final ChannelUri ipc =
            ChannelUri.parse(EgressPublisher.responseChannel("aeron:ipc?term-length=64k|linger=6s", 1_000, 1 << 20));
        assertEquals(Long.toString(EgressPublisher.MAX_RESPONSE_LINGER_NS), ipc.get(CommonContext.LINGER_PARAM_NAME));
        assertEquals("64k", ipc.get(CommonContext.TERM_LENGTH_PARAM_NAME));

        // A shorter one is kept as given.
        assertEquals("aeron:ipc?linger=5s|term-length=64k",
            EgressPublisher.responseChannel("aeron:ipc?linger=5s|term-length=64k", 1_000, 1 << 20));
        assertEquals("aeron:ipc?linger=0|term-length=64k",
            EgressPublisher.responseChannel("aeron:ipc?linger=0|term-length=64k", 1_000, 1 << 20));
        assertEquals("aeron:udp?endpoint=localhost:5000|linger=2s|term-length=64k",
            EgressPublisher.responseChannel("aeron:udp?endpoint=localhost:5000|linger=2s|term-length=64k", 1_000,
            1 << 20));
    }

    /**
     * The node counts a closed UDP session against the client limit for as long as the driver lingers on its
     * publication: it writes the linger into every UDP response channel, so that it is the one it counts with whatever
     * the driver's own default. IPC publications do not linger (Aeron deletes them once drained): none is written.
     */
    @Test
    void shouldGiveAUdpResponseChannelThatNamesNoLingerTheNodesAndCountWithIt()
    {
        final String udp =
            EgressPublisher.responseChannel("aeron:udp?endpoint=localhost:5000|term-length=64k", 1_500, 1 << 20);
        assertEquals("1500", ChannelUri.parse(udp).get(CommonContext.LINGER_PARAM_NAME));
        assertTrue(EgressPublisher.lingers(udp));
        assertEquals(Long.toString(EgressPublisher.MAX_RESPONSE_LINGER_NS), ChannelUri.parse(
            EgressPublisher.responseChannel("aeron:udp?endpoint=localhost:5000|linger=3600s", 1_500, 1 << 20))
            .get(CommonContext.LINGER_PARAM_NAME));
        assertTrue(EgressPublisher.lingers("aeron:udp?endpoint=localhost:5000|linger=2s"));

        assertEquals("aeron:ipc?term-length=64k",
            EgressPublisher.responseChannel("aeron:ipc?term-length=64k", 1_500, 1 << 20));
        assertFalse(EgressPublisher.lingers("aeron:ipc?term-length=64k"));
        assertFalse(EgressPublisher.lingers("aeron:ipc?linger=2s"));
        assertFalse(EgressPublisher.lingers("not a channel"));

        // Aeron's default, unless the process says otherwise (aeron.publication.linger.timeout), at most the cap.
        assertTrue(EgressPublisher.defaultResponseLingerNs() <= EgressPublisher.MAX_RESPONSE_LINGER_NS);
    }

    /**
     * The node's Aeron client can close while egress runs: the media driver timed it out (its conductor stalled past
     * the driver's client liveness timeout), and the client closed itself. The driver then drops what it held for the
     * client, and egress can add no publication again: the closed sessions' publications no longer count, and egress
     * cannot ask the client's counters about them. Its duty cycle must not throw (an agent's runner would call its
     * error handler every cycle, without idling), and the sessions are released.
     */
    @Test
    void shouldReleaseClosedSessionsOnceItsAeronClientHasClosedRatherThanThrowEachDutyCycle()
    {
        final int streamId = 3_001;
        final String channel = "aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort() + "|term-length=64k";
        final Client a = new Client(11, streamId, aeron.addSubscription(channel, streamId));
        clients.add(a);
        open(a, 1, channel);
        assertTrue(egress.offerClose(11));
        egress.doWork();
        assertEquals(1, egress.publicationsLingering(), "a closed UDP session's publication lingers");
        assertEquals(0, egress.sessionsReleased());

        aeron.close();
        egress.doWork();
        egress.doWork();
        assertEquals(1, egress.sessionsReleased());
        assertEquals(0, egress.publicationsLingering());
        assertEquals(0, counters.publicationsLingering.get());
    }

    @Test
    void shouldRefuseRecordsWhenTheRingIsFullAndCountReceiptsDroppedThere()
    {
        final Client a = client(11, 3_001);
        open(a, 1, "aeron:ipc");
        final int accepted = fillRing(egress, 11);
        assertTrue(accepted > 0);
        assertFalse(egress.offerReceipt(11, filled(32, 1), 0, ReceiptStatus.OK.value(), 0, 0));
        assertFalse(egress.offerAccountState(11, 1, filled(20, 1), 1, true, 1, 1));
        assertFalse(egress.offerTransactionState(11, 1, filled(32, 1), 0, true, 1, 1, 0, 1, 1));
        assertFalse(openRecord(client(22, 3_002), 2, "aeron:ipc"));
        assertFalse(egress.offerClose(11));
        egress.onReceipt(11, filled(32, 2), 0, ReceiptStatus.OK.value(), 1, 0);
        egress.onReceipt(11, filled(32, 2), 0, ReceiptStatus.OK.value(), 1, 0);
        assertEquals(2, counters.receiptsRingFull.get());

        Await.until("ring drained", TIMEOUT_MS, () ->
        {
            egress.doWork();
            a.poll();
        }, () -> counters.receiptsSent.get() == accepted);
        egress.onReceipt(11, filled(32, 2), 0, ReceiptStatus.OK.value(), 1, 0);
        assertEquals(2, counters.receiptsRingFull.get());
        egress.doWork();
        assertEquals(accepted + 1, counters.receiptsSent.get());
    }

    @Test
    void shouldSayDisconnectToOpenSessionsOnCloseAndRecordWhereTheirStreamsEnded()
    {
        final Client a = client(11, 3_001);
        final Client b = client(22, 3_002);
        b.subscription.close();
        open(a, 1, "aeron:ipc");
        assertTrue(openRecord(b, 2, "aeron:ipc"));
        egress.doWork();
        assertEquals(2, egress.sessionCount());

        egress.onClose();
        assertEquals(0, egress.sessionCount());
        assertEquals(2, counters.sessionsClosed.get());
        assertEquals(1, egress.delivery().streamCount(), "only the open session's stream");
        pollUntil(a, 2);
        assertEquals("Disconnect client=11 reason=" + EgressRingDescriptor.REASON_SHUTDOWN, a.messages.get(1));
    }

    private Client client(final long clientId, final int streamId)
    {
        final Client client = new Client(clientId, streamId, aeron.addSubscription("aeron:ipc", streamId));
        clients.add(client);
        return client;
    }

    private boolean openRecord(final Client client, final long correlationId, final String channel)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(channel.getBytes(StandardCharsets.US_ASCII));
        return egress.offerOpen(client.clientId, correlationId, client.streamId, bytes, 0, bytes.capacity());
    }

    /** Opens the client's session and runs egress until the client has its Connected. */
    private void open(final Client client, final long correlationId, final String channel)
    {
        assertTrue(openRecord(client, correlationId, channel));
        Await.until("Connected " + client.clientId, TIMEOUT_MS, () ->
        {
            egress.doWork();
            client.poll();
        }, () -> !client.messages.isEmpty());
    }

    /** A receipt for the client whose block height is its number among the client's receipts, from 0. */
    private void receipt(final Client client)
    {
        assertTrue(egress.offerReceipt(
            client.clientId, filled(32, nextHash++), 0, ReceiptStatus.OK.value(), client.receipts++, 0));
    }

    /**
     * Sends receipts one per duty cycle, the clock {@code stepNs} later each time, until one has to wait in the
     * backlog (the client does not read).
     *
     * @return how many were sent.
     */
    private int fillUntilBackPressured(final Client client, final long stepNs)
    {
        long sent = counters.receiptsSent.get();
        while (true)
        {
            nowNs += stepNs;
            receipt(client);
            egress.doWork();
            final long now = counters.receiptsSent.get();
            if (now == sent)
            {
                return (int)now;
            }
            sent = now;
        }
    }

    /** How many receipts a client's backlog holds. */
    private static int backlogSlots()
    {
        final ExpandableRingBuffer backlog = new ExpandableRingBuffer(0, BACKLOG_CAPACITY, false);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[EgressPublisher.RECEIPT_MESSAGE_LENGTH]);
        int slots = 0;
        while (backlog.append(message, 0, message.capacity()))
        {
            slots++;
        }
        return slots;
    }

    /**
     * After the client has read everything sent (its publication was back-pressured), waits until the driver has
     * moved the publication's limit on by a window (half the 64 KiB term) from where the client is.
     */
    private void awaitWindowOpen(final Client client)
    {
        final long position = client.subscription.imageAtIndex(0).position();
        Await.until("window open", TIMEOUT_MS, () -> publisherLimit(client.streamId) - position >= 16 * 1024);
    }

    /** @return true once the client has read to the end of its closed publication (or its image has gone). */
    private static boolean streamEnded(final Client client)
    {
        return client.subscription.images().stream().allMatch(Image::isEndOfStream);
    }

    private long publisherLimit(final int streamId)
    {
        final long[] limit = {-1};
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (PublisherLimit.PUBLISHER_LIMIT_TYPE_ID == typeId &&
                keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET) == streamId)
            {
                limit[0] = aeron.countersReader().getCounterValue(counterId);
            }
        });
        return limit[0];
    }

    private static void pollUntil(final Client client, final int messages)
    {
        Await.until(messages + " messages", TIMEOUT_MS, client::poll, () -> client.messages.size() >= messages);
        assertEquals(messages, client.messages.size());
    }

    /**
     * Fills egress's ring: receipts for {@code clientId} (all of hash 0x01..., block heights 0, 1, ...), then, with
     * the smallest record, a close of no session's id, what is left at the ring's ends.
     *
     * @return the receipts it took.
     */
    static int fillRing(final EgressPublisher egress, final long clientId)
    {
        int receipts = 0;
        while (egress.offerReceipt(clientId, filled(32, 1), 0, ReceiptStatus.OK.value(), receipts, 0))
        {
            receipts++;
        }
        while (egress.offerClose(Aeron.NULL_VALUE))
        {
            Thread.onSpinWait();
        }
        return receipts;
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    private static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    /** A subscription on a client's response stream, every message decoded to a line. */
    private static final class Client
    {
        final long clientId;
        final int streamId;
        final Subscription subscription;
        final List<String> messages = new ArrayList<>();
        final FragmentAssembler handler = new FragmentAssembler(this::onMessage);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final byte[] bytes = new byte[32];
        long receipts;

        Client(final long clientId, final int streamId, final Subscription subscription)
        {
            this.clientId = clientId;
            this.streamId = streamId;
            this.subscription = subscription;
        }

        /**
         * Reads what there is in one poll, so that the subscriber position moves once and the driver moves the
         * publication's limit once, by a whole window (no later move to race a test's next duty cycle).
         */
        void poll()
        {
            if (!subscription.isClosed())
            {
                subscription.poll(handler, 1_000);
            }
        }

        /** The messages from {@code from}, each as its kind and its correlation id or block height. */
        List<String> summaries(final int from)
        {
            final List<String> result = new ArrayList<>();
            for (final String message : messages.subList(from, messages.size()))
            {
                final String[] words = message.split(" ");
                result.add(words[0] + " " + (message.startsWith("Receipt") ? words[2] : words[1]));
            }
            return result;
        }

        private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header h)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            switch (header.templateId())
            {
                case ConnectedDecoder.TEMPLATE_ID:
                {
                    final ConnectedDecoder d = new ConnectedDecoder().wrap(buffer, body, blockLength, version);
                    final StringBuilder line = new StringBuilder("Connected corr=").append(d.correlationId())
                        .append(" client=").append(d.clientId()).append(" chain=").append(d.chainId())
                        .append(" maxFrame=").append(d.maxFrameLength());
                    final ConnectedDecoder.FeesDecoder fees = d.fees();
                    line.append(" fees=").append(fees.count());
                    for (final ConnectedDecoder.FeesDecoder fee : fees)
                    {
                        line.append(' ').append(fee.txType()).append('=').append(fee.minimumFeeMicroCmt());
                    }
                    messages.add(line.toString());
                    break;
                }

                case ReceiptDecoder.TEMPLATE_ID:
                {
                    final ReceiptDecoder d = new ReceiptDecoder().wrap(buffer, body, blockLength, version);
                    d.getTxHash(bytes, 0, 32);
                    messages.add("Receipt " + HexFormat.of().formatHex(bytes) + " height=" + d.blockHeight() +
                        " fee=" + d.feeChargedMicroCmt() + " " + d.status());
                    break;
                }

                case AccountStateDecoder.TEMPLATE_ID:
                {
                    final AccountStateDecoder d = new AccountStateDecoder().wrap(buffer, body, blockLength, version);
                    final byte[] address = new byte[20];
                    final long correlationId = d.correlationId();
                    d.getAddress(address, 0, 20);
                    messages.add("AccountState corr=" + correlationId + " " + HexFormat.of().formatHex(address) +
                        " height=" + d.height() + " exists=" + d.exists() + " balance=" + d.balanceMicroCmt() +
                        " nonce=" + d.nonce());
                    break;
                }

                case TransactionStateDecoder.TEMPLATE_ID:
                {
                    final TransactionStateDecoder d =
                        new TransactionStateDecoder().wrap(buffer, body, blockLength, version);
                    final long correlationId = d.correlationId();
                    d.getTxHash(bytes, 0, 32);
                    messages.add("TransactionState corr=" + correlationId + " " + HexFormat.of().formatHex(bytes) +
                        " found=" + d.found() + " height=" + d.blockHeight() + " index=" + d.index() + " " +
                        d.status() + " fee=" + d.feeChargedMicroCmt() + " journaled=" + d.journaledHeight());
                    break;
                }

                case DisconnectDecoder.TEMPLATE_ID:
                {
                    final DisconnectDecoder d = new DisconnectDecoder().wrap(buffer, body, blockLength, version);
                    messages.add("Disconnect client=" + d.clientId() + " reason=" + d.reason());
                    break;
                }

                default:
                    messages.add("template " + header.templateId());
            }
        }
    }
}
