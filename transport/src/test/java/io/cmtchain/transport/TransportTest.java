package io.cmtchain.transport;

import io.aeron.ExclusivePublication;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.loadgen.EchoNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TransportTest
{
    private static final long TIMEOUT_MS = 30_000;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        for (final TestNode node : nodes)
        {
            node.deleteDir();
        }
    }

    private TestNode node(final TransportContext ctx, final TransactionSink sink)
    {
        final TestNode node = new TestNode(ctx, sink, TestNode.tempDir());
        closeables.add(node);
        nodes.add(node);
        return node;
    }

    private CmtClient client(final CmtClient.Context ctx)
    {
        final CmtClient client = CmtClient.connect(ctx);
        closeables.add(client);
        return client;
    }

    private static TransportContext ipcNode()
    {
        return new TransportContext()
            .ingressChannel("aeron:udp?endpoint=localhost:" + freeUdpPort())
            .chainId(TestFrames.CHAIN_ID);
    }

    private static Receipt await(final CmtClient client, final CompletableFuture<Receipt> future)
    {
        Await.until("receipt", TIMEOUT_MS, client::poll, future::isDone);
        try
        {
            return future.get();
        }
        catch (final InterruptedException | ExecutionException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldReturnReceiptWithHashOfSubmittedTransaction()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode(), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());
        assertEquals(TestFrames.CHAIN_ID, client.chainId());
        assertEquals(-1, client.minimumFee(TxTypes.TRANSFER), "a node without a fee schedule tells none");

        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);
        final Receipt receipt = await(client, client.submitAsync(frames, 0, lengths[0]));

        final byte[] expected = new byte[32];
        TxHash.compute(new Sha256(), frames, 0, lengths[0], expected, 0);
        assertArrayEquals(expected, receipt.txHash());
        assertTrue(receipt.committed());
        assertEquals(100, receipt.feeChargedMicroCmt());
        assertEquals(0, client.pendingCount());
    }

    @Test
    void shouldMatchReceiptsOfTransactionsSubmittedWithTheirPrecomputedHash()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode(), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());

        final int count = 3;
        final int[] lengths = new int[count];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, count, lengths);
        final UnsafeBuffer hashes = new UnsafeBuffer(new byte[count * 32]);
        for (int i = 0; i < count; i++)
        {
            TxHash.compute(new Sha256(), frames, i * TestFrames.STRIDE, lengths[i], hashes.byteArray(), i * 32);
        }
        final long[] statusByTag = new long[count];
        java.util.Arrays.fill(statusByTag, -1);
        final ReceiptListener listener = new ReceiptListener()
        {
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                final byte[] got = new byte[32];
                final byte[] sent = new byte[32];
                txHash.getBytes(hashOffset, got);
                hashes.getBytes((int)tag * 32, sent);
                assertArrayEquals(sent, got);
                statusByTag[(int)tag] = status;
            }

            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                throw new AssertionError("lost " + tag);
            }
        };
        for (int i = 0; i < count; i++)
        {
            assertTrue(client.submit(frames, i * TestFrames.STRIDE, lengths[i], hashes, i * 32, listener, i) > 0);
        }
        assertEquals(CmtClient.DUPLICATE_PENDING,
            client.submit(frames, 0, lengths[0], hashes, 0, listener, 0));
        Await.until("receipts", TIMEOUT_MS, client::poll, () -> 0 == client.pendingCount());
        for (int i = 0; i < count; i++)
        {
            assertEquals(ReceiptStatus.OK.value(), statusByTag[i]);
        }
    }

    @Test
    void shouldAnswerOversizedFrameWithOversizedReceiptKeyedByItsSignedBytes()
    {
        final EchoNode.EchoSink echo = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final AtomicLong sinkCalls = new AtomicLong();
        final TestNode node = node(ipcNode(), (buffer, offset, length, clientId) ->
        {
            sinkCalls.incrementAndGet();
            return echo.onTransaction(buffer, offset, length, clientId);
        });
        echo.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());

        // Framed like a transaction (body length agrees) but 3000 bytes: over the MTU, so it is also reassembled.
        final int length = 3000;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        final int[] lengths = new int[1];
        frame.putBytes(0, TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths), 0, lengths[0]);
        frame.putShort(TransactionDescriptor.BODY_LENGTH_OFFSET,
            (short)(length - TransactionDescriptor.BODY_OFFSET), ByteOrder.LITTLE_ENDIAN);

        final Receipt receipt = await(client, client.submitAsync(frame, 0, length));
        assertEquals(ReceiptStatus.OVERSIZED, receipt.statusEnum());
        final byte[] expected = new byte[32];
        TxHash.compute(new Sha256(), frame, 0, length, expected, 0);
        assertArrayEquals(expected, receipt.txHash());
        assertEquals(0, sinkCalls.get());
        assertEquals(1, node.counters().framesOversized.get());
    }

    @Test
    void shouldRejectNonFramesLocallyAndReportCodes()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode(), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());
        final ReceiptListener listener = new NoopListener();

        final UnsafeBuffer junk = new UnsafeBuffer(new byte[200]);
        assertEquals(CmtClient.INVALID_FRAME, client.submit(junk, 0, 200, listener, 0));

        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);
        assertTrue(client.submit(frames, 0, lengths[0], listener, 0) > 0);
        assertEquals(CmtClient.DUPLICATE_PENDING, client.submit(frames, 0, lengths[0], listener, 0));
        client.close();
        assertEquals(CmtClient.CLOSED, client.submit(frames, 0, lengths[0], listener, 0));
        assertTrue(client.submitAsync(frames, 0, lengths[0]).isCompletedExceptionally());
    }

    @Test
    void shouldRefuseANullListenerBeforeSendingTheFrame()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode(), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());

        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);
        final UnsafeBuffer hash = new UnsafeBuffer(new byte[32]);
        TxHash.compute(new Sha256(), frames, 0, lengths[0], hash.byteArray(), 0);
        assertThrows(NullPointerException.class, () -> client.submit(frames, 0, lengths[0], null, 0));
        assertThrows(NullPointerException.class, () -> client.submit(frames, 0, lengths[0], hash, 0, null, 0));
        assertEquals(0, client.pendingCount());

        // Had either thrown after sending, the node would have taken that frame first.
        final Receipt receipt = await(client, client.submitAsync(frames, 0, lengths[0]));
        assertTrue(receipt.committed());
        assertEquals(1, node.counters().framesAccepted.get());
        assertEquals(0, client.unmatchedReceipts());
    }

    @Test
    void shouldSurviveFuzzAndStillServeAValidTransaction()
    {
        final EchoNode.EchoSink echo = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final AtomicLong sinkCalls = new AtomicLong();
        final AtomicLong sinkJunk = new AtomicLong();
        final TestNode node = node(ipcNode().fragmentLimit(64), (buffer, offset, length, clientId) ->
        {
            if (!TransactionFraming.isFramed(buffer, offset, length) || length > TransactionDescriptor.MAX_LENGTH)
            {
                sinkJunk.incrementAndGet();
            }
            final int result = echo.onTransaction(buffer, offset, length, clientId);
            if (TransactionSink.ACCEPTED == result)
            {
                sinkCalls.incrementAndGet();
            }
            return result;
        });
        echo.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());
        final ExclusivePublication raw = client.ingressPublication();

        final int[] lengths = new int[64];
        final UnsafeBuffer good = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 64, lengths);
        final UnsafeBuffer wrongChain = TestFrames.transfers(7, 0, 0, 64, lengths);
        final int txLength = lengths[0];
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        final SplittableRandom random = new SplittableRandom(42);
        final long[] expected = new long[4];
        final int malformed = 0;
        final int oversized = 1;
        final int parseable = 2;
        final int total = 120_000;

        for (int n = 0; n < total; n++)
        {
            final int kind = random.nextInt(8);
            final int which = random.nextInt(64) * TestFrames.STRIDE;
            int length;
            switch (kind)
            {
                case 0: // random bytes
                    length = 1 + random.nextInt(300);
                    fill(random, scratch, 0, length);
                    expected[malformed]++;
                    break;

                case 1: // truncated transaction
                    length = 1 + random.nextInt(txLength - 1);
                    scratch.putBytes(0, good, which, length);
                    expected[malformed]++;
                    break;

                case 2: // oversized
                    length = TransactionDescriptor.MAX_LENGTH + 1 + random.nextInt(3000);
                    scratch.putBytes(0, good, which, txLength);
                    fill(random, scratch, txLength, length - txLength);
                    expected[oversized]++;
                    break;

                case 3: // extended: body length disagrees with the frame
                    length = txLength + 1 + random.nextInt(20);
                    scratch.putBytes(0, good, which, txLength);
                    fill(random, scratch, txLength, length - txLength);
                    expected[malformed]++;
                    break;

                case 4: // wrong chain id, parseable
                    length = txLength;
                    scratch.putBytes(0, wrongChain, which, txLength);
                    expected[parseable]++;
                    break;

                case 5: // bad signature, parseable
                    length = txLength;
                    scratch.putBytes(0, good, which, txLength);
                    scratch.putByte(TransactionDescriptor.SIGNATURE_OFFSET + random.nextInt(64),
                        (byte)random.nextInt(256));
                    expected[parseable]++;
                    break;

                case 6: // replayed nonce / duplicate, parseable
                    length = txLength;
                    scratch.putBytes(0, good, which, txLength);
                    expected[parseable]++;
                    break;

                default: // transaction header, random rest, body length forced to disagree
                    length = TransactionDescriptor.MIN_LENGTH + random.nextInt(TransactionDescriptor.MAX_LENGTH -
                        TransactionDescriptor.MIN_LENGTH);
                    scratch.putBytes(0, good, which, TransactionDescriptor.HEADER_LENGTH);
                    fill(random, scratch, TransactionDescriptor.HEADER_LENGTH, length -
                        TransactionDescriptor.HEADER_LENGTH);
                    scratch.putShort(TransactionDescriptor.BODY_LENGTH_OFFSET,
                        (short)(length - TransactionDescriptor.BODY_OFFSET + 1), ByteOrder.LITTLE_ENDIAN);
                    expected[malformed]++;
                    break;
            }
            offer(client, raw, scratch, length);
        }

        final CompletableFuture<Receipt> valid = client.submitAsync(good, 5 * TestFrames.STRIDE, txLength);
        assertTrue(await(client, valid).committed());

        final TransportCounters counters = node.counters();
        Await.until("all receipts", TIMEOUT_MS, client::poll,
            () -> client.unmatchedReceipts() == expected[parseable] + expected[oversized]);
        assertEquals(0, sinkJunk.get());
        assertEquals(expected[parseable] + 1, sinkCalls.get());
        assertEquals(expected[parseable] + 1, counters.framesAccepted.get());
        assertEquals(expected[malformed], counters.framesMalformed.get());
        assertEquals(expected[oversized], counters.framesOversized.get());
        assertEquals(expected[parseable] + expected[oversized] + 1, counters.receiptsSent.get());
        assertTrue(expected[malformed] + expected[oversized] + expected[parseable] == total);
    }

    @Test
    void shouldDropFramesFromPublicationsThatNeverConnected()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode(), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());
        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);

        try (io.aeron.Aeron aeron = io.aeron.Aeron.connect(
            new io.aeron.Aeron.Context().aeronDirectoryName(node.transport.aeronDirectoryName()));
            ExclusivePublication stranger = aeron.addExclusivePublication(
                TransportContext.IPC_CHANNEL, TransportContext.DEFAULT_INGRESS_STREAM_ID))
        {
            Await.until("stranger connected", TIMEOUT_MS, stranger::isConnected);
            offer(client, stranger, frames, lengths[0]);
            Await.until("dropped", TIMEOUT_MS, () -> node.counters().framesUnknownSession.get() == 1);
        }
        assertEquals(0, sink.count());
    }

    /**
     * A client that reaches the node at an address other than loopback (here one of this machine's own; the test is
     * skipped on a machine without one) is another host to the node, which refuses a response channel on localhost
     * from it: with the default response channel it connected to nothing, and had to name its own address. It now
     * defaults to the address it sends to the ingress from.
     */
    @Test
    void shouldConnectWithTheDefaultResponseChannelToANodeReachedAtAnAddressOtherThanLoopback()
    {
        final String address = ConnectResponseChannelTest.machineAddress();
        final String ingress = "aeron:udp?endpoint=" + address + ":" + freeUdpPort();
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(new TransportContext().ingressChannel(ingress).chainId(TestFrames.CHAIN_ID), sink);
        sink.receiptSink(node.transport.receiptSink());

        final CmtClient client = client(new CmtClient.Context()
            .aeronDirectoryName(node.transport.aeronDirectoryName())
            .ingressChannel(ingress)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
        assertTrue(client.responseChannel().startsWith("aeron:udp?endpoint=" + address + ":"),
            client.responseChannel());
        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);
        assertTrue(await(client, client.submitAsync(frames, 0, lengths[0])).committed());
        assertEquals(0, node.counters().connectsRefused.get());
    }

    @Test
    void shouldKeepServingAfterConnectsWithBadResponseChannels()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TestNode node = node(ipcNode().connectTimeoutMs(500).responseTermLength(64 * 1024), sink);
        sink.receiptSink(node.transport.receiptSink());
        final CmtClient client = client(node.ipcClient());
        final io.cmtchain.engine.codec.ConnectEncoder connect = new io.cmtchain.engine.codec.ConnectEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

        final String[] channels =
            {"aeron:nonsense?x", "aeron:udp?endpoint=nohost.invalid:1", "aeron:ipc?term-length=32m",
                "aeron:ipc?term-length=3", "aeron:ipc?mtu=9k", "aeron:ipc?session-id=x", "aeron:ipc?stream-id=6"};
        for (int i = 0; i < channels.length; i++)
        {
            final String channel = channels[i];
            final long expectedSessions = 2 + i;
            final byte[] bytes = channel.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            connect.wrapAndApplyHeader(buffer, 0, new io.cmtchain.engine.codec.MessageHeaderEncoder())
                .correlationId(1)
                .responseStreamId(5)
                .putResponseChannel(bytes, 0, bytes.length);
            try (io.aeron.Aeron aeron = io.aeron.Aeron.connect(
                new io.aeron.Aeron.Context().aeronDirectoryName(node.transport.aeronDirectoryName()));
                ExclusivePublication stranger = aeron.addExclusivePublication(
                    TransportContext.IPC_CHANNEL, TransportContext.DEFAULT_INGRESS_STREAM_ID))
            {
                Await.until("stranger connected", TIMEOUT_MS, stranger::isConnected);
                offer(client, stranger, buffer, 8 + connect.encodedLength());
                Await.until("stranger's Connect read", TIMEOUT_MS, client::poll,
                    () -> node.counters().sessionsOpened.get() + node.counters().connectsRefused.get() >=
                        expectedSessions);
            }
        }
        // All are refused at ingress (no media the node opens; a host name; a term above the node's maximum; a term
        // the driver refuses; an mtu above an eighth of the node's term; a session-id that is no number; a stream-id
        // other than the Connect's response stream), so none waits out a timeout. A channel the driver alone refuses
        // is EgressPublisherTest's.
        Await.until("bad Connects refused", TIMEOUT_MS, client::poll,
            () -> node.counters().connectsRefused.get() == channels.length);
        assertEquals(1, node.counters().sessionsOpened.get(), "only the client's own");
        assertEquals(0, node.counters().connectTimeouts.get());

        final int[] lengths = new int[1];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, 1, lengths);
        assertTrue(await(client, client.submitAsync(frames, 0, lengths[0])).committed());
    }

    @Test
    void shouldDeliverEveryFrameInOrderPerClientWhenSinkBackPressures()
    {
        final int perClient = 2_000;
        final ConcurrentLinkedQueue<long[]> accepted = new ConcurrentLinkedQueue<>();
        final EchoNode.EchoSink echo = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final TransactionFlyweight flyweight = new TransactionFlyweight();
        final long[] calls = new long[1];
        final TestNode node = node(ipcNode(), (buffer, offset, length, clientId) ->
        {
            // Refuse two calls in three for the first 6000 calls: long stretches of back-pressure.
            if (calls[0]++ % 3 != 0 && calls[0] < 6_000)
            {
                return TransactionSink.BACK_PRESSURED;
            }
            final int result = echo.onTransaction(buffer, offset, length, clientId);
            if (TransactionSink.ACCEPTED == result)
            {
                flyweight.wrap(buffer, offset, length);
                accepted.add(new long[] {clientId, flyweight.nonce()});
            }
            return result;
        });
        echo.receiptSink(node.transport.receiptSink());

        final CmtClient a = client(node.ipcClient());
        final CmtClient b = client(node.ipcClient().responseStreamId(2002));
        final int[] lengths = new int[perClient];
        final UnsafeBuffer framesA = TestFrames.transfers(TestFrames.CHAIN_ID, 10, 0, perClient, lengths);
        final UnsafeBuffer framesB = TestFrames.transfers(TestFrames.CHAIN_ID, 20, 0, perClient, lengths);
        final CountingListener listenerA = new CountingListener();
        final CountingListener listenerB = new CountingListener();
        int sentA = 0;
        int sentB = 0;
        while (sentA < perClient || sentB < perClient)
        {
            if (sentA < perClient &&
                a.submit(framesA, sentA * TestFrames.STRIDE, lengths[sentA], listenerA, sentA) > 0)
            {
                sentA++;
            }
            if (sentB < perClient &&
                b.submit(framesB, sentB * TestFrames.STRIDE, lengths[sentB], listenerB, sentB) > 0)
            {
                sentB++;
            }
            a.poll();
            b.poll();
        }
        Await.until("all receipts", TIMEOUT_MS, () ->
        {
            a.poll();
            b.poll();
        }, () -> listenerA.ok == perClient && listenerB.ok == perClient);

        assertEquals(0, listenerA.lost + listenerB.lost);
        assertTrue(node.counters().ingressBackPressure.get() > 0);
        final long[] nextNonce = new long[2];
        for (final long[] record : accepted)
        {
            final int index = record[0] == a.clientId() ? 0 : 1;
            assertEquals(nextNonce[index]++, record[1], "per-client order");
        }
        assertEquals(perClient, nextNonce[0]);
        assertEquals(perClient, nextNonce[1]);
    }

    @Test
    void shouldKeepServingOtherClientsWhenOneStopsReading()
    {
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        // The slow-client timeout also bounds how long the node keeps an evicted client's publication for its
        // Disconnect: long enough for this test's thread to come round to reading on a busy machine.
        final TestNode node = node(ipcNode().clientBacklogCapacity(64 * 1024).slowClientTimeoutMs(5_000), sink);
        sink.receiptSink(node.transport.receiptSink());

        final CmtClient slow = client(node.ipcClient().responseChannel("aeron:ipc?term-length=64k"));
        final CmtClient fast = client(node.ipcClient().responseStreamId(2002));
        final int slowCount = 3_000;
        final int fastCount = 1_000;
        final int[] lengths = new int[slowCount];
        final UnsafeBuffer slowFrames = TestFrames.transfers(TestFrames.CHAIN_ID, 30, 0, slowCount, lengths);
        final UnsafeBuffer fastFrames = TestFrames.transfers(TestFrames.CHAIN_ID, 40, 0, fastCount, lengths);
        final CountingListener slowListener = new CountingListener();
        final CountingListener fastListener = new CountingListener();

        for (int i = 0; i < slowCount; i++)
        {
            // The slow client sends, but never polls its receipts.
            while (slow.submit(slowFrames, i * TestFrames.STRIDE, lengths[i], slowListener, i) < 0)
            {
                Thread.yield();
            }
        }
        for (int i = 0; i < fastCount; i++)
        {
            while (fast.submit(fastFrames, i * TestFrames.STRIDE, lengths[i], fastListener, i) < 0)
            {
                fast.poll();
            }
            fast.poll();
        }
        Await.until("fast client's receipts", TIMEOUT_MS, fast::poll, () -> fastListener.ok == fastCount);
        Await.until("slow client evicted", TIMEOUT_MS, () -> node.counters().clientsEvicted.get() == 1);

        // Once it reads again, it gets what reached its image, then the node's Disconnect: it was evicted.
        Await.until("slow client told", TIMEOUT_MS, slow::poll, () -> slowListener.ok + slowListener.lost == slowCount);
        assertTrue(slowListener.lost > 0);
        final TransportCounters counters = node.counters();
        assertEquals(slowCount + fastCount, counters.receiptsSent.get() + counters.receiptsEvicted.get() +
            counters.receiptsNoSession.get(), "every receipt accounted for");
        assertEquals(slowListener.ok + fastListener.ok, counters.receiptsSent.get());
        assertEquals(CmtClient.LOST_EVICTED, slowListener.lastLostReason);
        assertEquals(0, fastListener.lost);
    }

    @Test
    void shouldMatchQueryAnswersToQueriesAndCountThemThroughASlowClientsBacklog() throws Exception
    {
        final ReceiptSink[] egress = new ReceiptSink[1];
        final TransactionSink sink = new TransactionSink()
        {
            public int onTransaction(final DirectBuffer buffer, final int offset, final int length, final long id)
            {
                return ACCEPTED;
            }

            public int onAccountQuery(
                final long clientId, final long correlationId, final DirectBuffer buffer, final int addressOffset)
            {
                // The answer carries what was asked: the balance is the address's first 8 bytes.
                final byte[] address = new byte[20];
                buffer.getBytes(addressOffset, address);
                return egress[0].offerAccountState(clientId, correlationId, address, 1, true,
                    buffer.getLong(addressOffset, ByteOrder.LITTLE_ENDIAN), 0) ? ACCEPTED : BACK_PRESSURED;
            }

            public int onTransactionQuery(
                final long clientId, final long correlationId, final DirectBuffer buffer, final int hashOffset)
            {
                // The block height is the hash's first 8 bytes.
                final byte[] hash = new byte[32];
                buffer.getBytes(hashOffset, hash);
                return egress[0].offerTransactionState(clientId, correlationId, hash, 0, true,
                    buffer.getLong(hashOffset, ByteOrder.LITTLE_ENDIAN), 3, ReceiptStatus.BAD_NONCE.value(), 0, 9) ?
                    ACCEPTED : BACK_PRESSURED;
            }
        };
        final TestNode node = node(ipcNode().clientBacklogCapacity(4 << 20).slowClientTimeoutMs(60_000), sink);
        egress[0] = node.transport.receiptSink();
        // A small response term: most answers wait in the client's backlog until it polls.
        final CmtClient client = client(node.ipcClient().responseChannel("aeron:ipc?term-length=64k"));

        final int count = 2_000;
        final List<CompletableFuture<AccountState>> accounts = new ArrayList<>();
        final List<CompletableFuture<TransactionState>> transactions = new ArrayList<>();
        for (long i = 0; i < count; i++)
        {
            final byte[] address = new byte[20];
            final byte[] hash = new byte[32];
            new UnsafeBuffer(address).putLong(0, 1_000_000 + i, ByteOrder.LITTLE_ENDIAN);
            new UnsafeBuffer(hash).putLong(0, 2_000_000 + i, ByteOrder.LITTLE_ENDIAN);
            accounts.add(client.queryAccount(address));
            transactions.add(client.queryTransaction(hash));
        }
        Await.until("answers", TIMEOUT_MS, client::poll,
            () -> accounts.stream().allMatch(CompletableFuture::isDone) &&
                transactions.stream().allMatch(CompletableFuture::isDone));
        for (int i = 0; i < count; i++)
        {
            assertEquals(1_000_000 + i, accounts.get(i).get().balanceMicroCmt());
            final TransactionState state = transactions.get(i).get();
            assertEquals(2_000_000 + i, state.blockHeight());
            assertEquals(ReceiptStatus.BAD_NONCE, state.statusEnum());
            assertEquals(3, state.index());
            assertEquals(9, state.journaledHeight());
        }
        final TransportCounters counters = node.counters();
        assertEquals(0, counters.clientsEvicted.get());
        assertEquals(count, counters.accountQueriesAnswered.get());
        assertEquals(count, counters.transactionQueriesAnswered.get());
        assertEquals(0, counters.receiptsSent.get(), "answers are not receipts");
    }

    @Test
    void shouldReconnectAfterNodeRestart()
    {
        final int port = freeUdpPort();
        final String ingress = "aeron:udp?endpoint=localhost:" + port;
        final EchoNode.EchoSink echo = new EchoNode.EchoSink(TestFrames.CHAIN_ID);
        final boolean[] answer = {true};
        final TransactionSink sink = (buffer, offset, length, clientId) ->
            answer[0] ? echo.onTransaction(buffer, offset, length, clientId) : TransactionSink.ACCEPTED;
        final TestNode first = node(new TransportContext().ingressChannel(ingress).chainId(TestFrames.CHAIN_ID), sink);
        echo.receiptSink(first.transport.receiptSink());

        final CmtClient client = client(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(ingress)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
        final int[] lengths = new int[3];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 50, 0, 3, lengths);
        assertTrue(await(client, client.submitAsync(frames, 0, lengths[0])).committed());
        final long firstClientId = client.clientId();

        answer[0] = false;
        final CompletableFuture<Receipt> inFlight = client.submitAsync(frames, TestFrames.STRIDE, lengths[1]);
        Await.until("held by the node", TIMEOUT_MS, client::poll, () -> first.counters().framesAccepted.get() == 2);
        first.close();
        Await.until("client sees node gone", TIMEOUT_MS, client::poll, () -> !client.isConnected());
        assertTrue(inFlight.isCompletedExceptionally());
        try
        {
            inFlight.get();
            fail("expected lost");
        }
        catch (final ExecutionException ex)
        {
            assertEquals(CmtClient.LOST_NODE_GONE, ((CmtClientException)ex.getCause()).code());
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }

        answer[0] = true;
        final TestNode second = node(new TransportContext().ingressChannel(ingress).chainId(TestFrames.CHAIN_ID), sink);
        echo.receiptSink(second.transport.receiptSink());
        Await.until("reconnected", TIMEOUT_MS, client::poll, client::isConnected);
        assertEquals(2, client.connects());
        assertTrue(client.clientId() != firstClientId);
        assertTrue(await(client, client.submitAsync(frames, 2 * TestFrames.STRIDE, lengths[2])).committed());
    }

    private static void offer(
        final CmtClient client, final ExclusivePublication publication, final DirectBuffer buffer, final int length)
    {
        offer(publication, buffer, 0, length, client::poll);
    }

    /** Offers on a raw publication until it takes the message, running {@code whileWaiting} between tries. */
    static void offer(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length,
        final Runnable whileWaiting)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (publication.offer(buffer, offset, length) < 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("could not offer");
            }
            whileWaiting.run();
        }
    }

    private static void fill(
        final SplittableRandom random, final UnsafeBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)random.nextInt(256));
        }
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static final class NoopListener implements ReceiptListener
    {
        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
        }
    }

    static final class CountingListener implements ReceiptListener
    {
        int ok;
        int rejected;
        int lost;
        int lastLostReason;

        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
            if (ReceiptStatus.OK.value() == status)
            {
                ok++;
            }
            else
            {
                rejected++;
            }
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            lost++;
            lastLostReason = reason;
        }
    }
}
