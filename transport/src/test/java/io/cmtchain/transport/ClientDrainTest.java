package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ConnectDecoder;
import io.cmtchain.engine.codec.ConnectedEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptEncoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Sha256;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that shuts down stops reading its ingress first and then hands out the receipts of the transactions it had
 * taken (as {@code Node.close} drains): the client must match them, not report those transactions lost.
 */
class ClientDrainTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int INGRESS_STREAM = 7001;
    private static final int RESPONSE_STREAM = 7002;
    private static final int COUNT = 40;
    private static final int BATCHES = 4;
    private static final long PAUSE_MS = 100;

    private MediaDriver driver;
    private Aeron nodeAeron;
    private CmtClient client;
    private Thread node;
    private final CountDownLatch testDone = new CountDownLatch(1);
    /** The client's clock: the node's pauses are steps of it, so the client's 1 s of quiet never passes by chance. */
    private final CachedNanoClock clock = new CachedNanoClock();
    /** Receipts the client has matched, for the node to wait on before each pause. */
    private final AtomicInteger matched = new AtomicInteger();
    /** The test's polls of the client, for the node to wait on: the client must see each pause, not only its end. */
    private final AtomicLong polls = new AtomicLong();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        testDone.countDown();
        if (null != node)
        {
            node.join(TIMEOUT_MS);
        }
        CloseHelper.quietCloseAll(client, nodeAeron, driver);
    }

    @Test
    void shouldMatchReceiptsTheNodeSendsAfterItStoppedReadingTheIngress() throws InterruptedException
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        nodeAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final AtomicReference<Throwable> nodeFailure = new AtomicReference<>();
        final Subscription ingress = nodeAeron.addSubscription(TransportContext.IPC_CHANNEL, INGRESS_STREAM);
        node = new Thread(() ->
        {
            try
            {
                drainingNode(ingress);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final Throwable ex)
            {
                nodeFailure.set(ex);
            }
        }, "draining-node");
        node.start();

        clock.update(TimeUnit.SECONDS.toNanos(1)); // not 0, which the client takes for "not yet seen"
        client = CmtClient.connect(new CmtClient.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .ingressChannel(TransportContext.IPC_CHANNEL)
            .ingressStreamId(INGRESS_STREAM)
            .responseChannel(TransportContext.IPC_CHANNEL)
            .responseStreamId(RESPONSE_STREAM)
            .autoReconnect(false)
            .nanoClock(clock)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)));
        // This hand-made node's Connected ends at its fixed block, as a node's did before the fees group.
        assertEquals(-1, client.minimumFee(TxTypes.TRANSFER));
        final int[] lengths = new int[COUNT];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, COUNT, lengths);
        final TransportTest.CountingListener listener = new TransportTest.CountingListener();
        final ReceiptListener counting = new ReceiptListener()
        {
            @Override
            public void onReceipt(
                final long tag, final DirectBuffer txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeChargedMicroCmt)
            {
                listener.onReceipt(tag, txHash, hashOffset, status, blockHeight, feeChargedMicroCmt);
                matched.incrementAndGet();
            }

            @Override
            public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
            {
                listener.onLost(tag, txHash, hashOffset, reason);
            }
        };
        for (int i = 0; i < COUNT; i++)
        {
            assertTrue(client.submit(frames, i * TestFrames.STRIDE, lengths[i], counting, i) > 0);
        }

        Await.until("every outcome", TIMEOUT_MS, () ->
        {
            client.poll();
            polls.incrementAndGet();
        },
            () -> null != nodeFailure.get() || listener.ok + listener.lost == COUNT);
        assertEquals(null, nodeFailure.get());
        assertEquals(COUNT, listener.ok, "receipts matched");
        assertEquals(0, listener.lost, "reported lost");
        assertEquals(0, client.unmatchedReceipts());

        // Once nothing more comes, the session ends: the client does not wait for a node that is gone.
        Await.until("the session ends", TIMEOUT_MS, () ->
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(PAUSE_MS));
            client.poll();
        }, () -> !client.isConnected());
    }

    /**
     * Answer Connect, take COUNT transactions, stop reading, then send their receipts in batches with a pause of
     * {@link #PAUSE_MS} of the client's clock before each, once the client has taken all sent so far (the quiet the
     * client must sit out: shorter than its 1 s), and stay up until the test ends.
     */
    private void drainingNode(final Subscription ingress) throws InterruptedException
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ConnectDecoder connect = new ConnectDecoder();
        final List<byte[]> hashes = new ArrayList<>();
        final Sha256 sha = new Sha256();
        final ExclusivePublication[] response = new ExclusivePublication[1];
        final long[] correlationId = new long[1];
        final FragmentHandler handler = (buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            if (ConnectDecoder.TEMPLATE_ID == header.templateId() && null == response[0])
            {
                connect.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
                correlationId[0] = connect.correlationId();
                final int streamId = connect.responseStreamId();
                final byte[] channel = new byte[connect.responseChannelLength()];
                connect.getResponseChannel(channel, 0, channel.length);
                response[0] = nodeAeron.addExclusivePublication(new String(channel, StandardCharsets.US_ASCII),
                    streamId);
            }
            else if (length >= TransactionDescriptor.MIN_LENGTH)
            {
                final byte[] hash = new byte[Sha256.DIGEST_LENGTH];
                TxHash.compute(sha, buffer, offset, length, hash, 0);
                hashes.add(hash);
            }
        };
        Await.until("the client's Connect and its transactions", TIMEOUT_MS, () ->
        {
            ingress.poll(handler, 16);
            if (0 != correlationId[0] && response[0].isConnected())
            {
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + new ConnectedEncoder()
                    .wrapAndApplyHeader(scratch, 0, new MessageHeaderEncoder())
                    .correlationId(correlationId[0])
                    .clientId(1)
                    .chainId(TestFrames.CHAIN_ID)
                    .maxFrameLength(TransactionDescriptor.MAX_LENGTH)
                    .encodedLength();
                offer(response[0], scratch, length);
                correlationId[0] = 0;
            }
        }, () -> hashes.size() == COUNT);

        ingress.close();
        final ReceiptEncoder receipt = new ReceiptEncoder();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ReceiptEncoder.BLOCK_LENGTH;
        for (int i = 0; i < COUNT; i++)
        {
            if (0 == i % (COUNT / BATCHES))
            {
                final int sent = i;
                Await.until("the client takes the receipts sent", TIMEOUT_MS, () -> matched.get() == sent);
                clock.advance(TimeUnit.MILLISECONDS.toNanos(PAUSE_MS));
                // A whole poll after the step, with nothing to read: the client sees the quiet before the batch.
                final long after = polls.get() + 2;
                Await.until("the client polls through the pause", TIMEOUT_MS, () -> polls.get() >= after);
            }
            receipt.wrapAndApplyHeader(scratch, 0, new MessageHeaderEncoder())
                .putTxHash(hashes.get(i), 0, Sha256.DIGEST_LENGTH)
                .blockHeight(1)
                .feeChargedMicroCmt(100)
                .status(ReceiptStatus.OK);
            offer(response[0], scratch, length);
        }
        // Up, without reading, until the test has seen the session end.
        testDone.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static void offer(final ExclusivePublication publication, final UnsafeBuffer buffer, final int length)
    {
        Await.until("room in the response stream", TIMEOUT_MS, () -> publication.offer(buffer, 0, length) > 0);
    }
}
