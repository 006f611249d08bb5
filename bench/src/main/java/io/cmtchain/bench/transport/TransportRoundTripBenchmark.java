package io.cmtchain.bench.transport;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.NodeTransport;
import io.cmtchain.transport.ReceiptListener;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.loadgen.EchoNode;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The transport's own cost per transaction, without thread hand-offs: on one thread, a {@link CmtClient} submits a
 * batch of signed transfers over IPC, the node's ingress agent hands them to an echo sink, the egress agent returns
 * the receipts, and the client matches them by hash. Run with {@code -prof gc} to see the steady state allocate
 * nothing per transaction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportRoundTripBenchmark implements ReceiptListener
{
    private static final int BATCH = 1024;
    private static final int STRIDE = 256;
    private static final int FRAMES = 64 * BATCH;

    private File dir;
    private NodeTransport node;
    private CmtClient client;
    private Agent ingress;
    private Agent egress;
    private UnsafeBuffer frames;
    private int[] lengths;
    private int next;
    private long received;

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        dir = Files.createTempDirectory("cmt-transport-bench").toFile();
        final EchoNode.EchoSink sink = new EchoNode.EchoSink(1001);
        node = NodeTransport.launch(new TransportContext().dir(dir).chainId(1001)
            .ingressChannel("aeron:udp?endpoint=localhost:0"), sink, null);
        sink.receiptSink(node.receiptSink());
        ingress = node.ingressAgent();
        egress = node.egressAgent();
        final Thread connector = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                try
                {
                    ingress.doWork();
                    egress.doWork();
                }
                catch (final Exception ex)
                {
                    return;
                }
            }
        });
        connector.start();
        client = CmtClient.connect(new CmtClient.Context()
            .aeronDirectoryName(node.aeronDirectoryName())
            .ingressChannel(TransportContext.IPC_CHANNEL)
            .responseChannel(TransportContext.IPC_CHANNEL)
            .submitTimeoutNs(0));
        connector.interrupt();
        connector.join();

        // Distinct transactions (nonces) so that no two pending ones share a hash.
        final TransactionBuilder builder = new TransactionBuilder(1001);
        final Ed25519Key key = Genesis.devnetAccountKey(0);
        final byte[] recipient = Genesis.devnetAccountKey(1).address();
        frames = new UnsafeBuffer(new byte[FRAMES * STRIDE]);
        lengths = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++)
        {
            lengths[i] = builder.transfer(key, i, 100, 0, recipient, 1, frames, i * STRIDE);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        client.close();
        node.close();
        IoUtil.delete(dir, true);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long roundTrip() throws Exception
    {
        final long target = received + BATCH;
        int sent = 0;
        while (received < target)
        {
            while (sent < BATCH && client.submit(frames, next * STRIDE, lengths[next], this, next) > 0)
            {
                next = (next + 1) % FRAMES;
                sent++;
            }
            ingress.doWork();
            egress.doWork();
            client.poll();
        }
        return received;
    }

    @Override
    public void onReceipt(
        final long tag,
        final DirectBuffer txHash,
        final int hashOffset,
        final int status,
        final long blockHeight,
        final long feeChargedMicroCmt)
    {
        received++;
    }

    @Override
    public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
    {
        throw new IllegalStateException("receipt lost: " + reason);
    }
}
