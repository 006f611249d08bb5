package io.cmtchain.transport;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that stops hands its clients the receipts of everything it took (as {@code Node.close} drains) and then
 * closes its transport: the media driver must have sent those receipts before it closes, even when egress wrote them
 * all into the client's stream at once and the client was not reading at that moment.
 */
class ShutdownDeliveryTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int COUNT = 5_000;

    private TestNode node;
    private CmtClient client;
    private Thread closer;

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != closer)
        {
            closer.join(TIMEOUT_MS);
        }
        if (null != client)
        {
            client.close();
        }
        if (null != node)
        {
            node.close();
            node.deleteDir();
        }
    }

    @Test
    void shouldDeliverTheLastReceiptsBeforeClosingTheDriver() throws InterruptedException
    {
        final String ingress = "aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort();
        final HoldingSink sink = new HoldingSink();
        node = new TestNode(new TransportContext().ingressChannel(ingress).chainId(TestFrames.CHAIN_ID), sink,
            TestNode.tempDir());
        // A response term large enough for egress to write every receipt at once, as a node's drain does.
        client = CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(ingress)
            .responseChannel("aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort() + "|term-length=4m")
            .autoReconnect(false)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)));

        final int[] lengths = new int[COUNT];
        final UnsafeBuffer frames = TestFrames.transfers(TestFrames.CHAIN_ID, 0, 0, COUNT, lengths);
        final TransportTest.CountingListener listener = new TransportTest.CountingListener();
        for (int i = 0; i < COUNT; i++)
        {
            assertTrue(client.submit(frames, i * TestFrames.STRIDE, lengths[i], listener, i) > 0);
        }
        Await.until("the node took every transaction", TIMEOUT_MS, client::poll, () -> sink.count == COUNT);

        // The client does not read now. The node hands out every receipt, waits until egress has written them all
        // (as Node.close does), then closes its transport.
        final ReceiptSink receipts = node.transport.receiptSink();
        for (int i = 0; i < COUNT; i++)
        {
            while (!receipts.offerReceipt(sink.clientId, sink.hashes[i], 0, 0, 1, 100))
            {
                Thread.onSpinWait();
            }
        }
        Await.until("egress wrote every receipt", TIMEOUT_MS, () -> node.counters().receiptsSent.get() == COUNT);
        closer = new Thread(() -> node.transport.close(), "node-close");
        closer.start();
        // Still not reading until the close waits for delivery (or, without that wait, has closed the driver).
        Await.until("the close to wait for delivery or end", TIMEOUT_MS,
            () -> node.transport.awaitingDelivery() || !closer.isAlive());

        Await.until("every outcome", TIMEOUT_MS, client::poll, () -> listener.ok + listener.lost == COUNT);
        assertEquals(COUNT, listener.ok, "receipts received");
        assertEquals(0, listener.lost, "reported lost");
        closer.join(TIMEOUT_MS);
        assertEquals(0, node.transport.undeliveredAtClose());
    }

    /** Takes every transaction and keeps its hash, answering none until the test does. */
    private static final class HoldingSink implements TransactionSink
    {
        final byte[][] hashes = new byte[COUNT][Sha256.DIGEST_LENGTH];
        private final Sha256 sha = new Sha256();
        volatile int count;
        volatile long clientId;

        @Override
        public int onTransaction(
            final org.agrona.DirectBuffer buffer, final int offset, final int length, final long clientId)
        {
            TxHash.compute(sha, buffer, offset, length, hashes[count], 0);
            this.clientId = clientId;
            count++;
            return ACCEPTED;
        }
    }
}
