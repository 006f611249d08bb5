package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.pipeline.InProcessClient;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.ThreadingMode;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The node's pipeline with signature checks off (the pipeline's own cost per transaction, execution included)
 * against the same six stages chained with {@link java.util.concurrent.ArrayBlockingQueue}s ({@link AbqPipeline}).
 * One operation is one transaction offered by the benchmark thread, which waits whenever the pipeline pushes back,
 * so in steady state the score is the pipeline's throughput in transactions per second.
 * <ul>
 *   <li>{@code disruptor-dedicated}: a thread per stage, yielding when idle (as the baseline: a thread per stage);</li>
 *   <li>{@code disruptor-dedicated-park}: the same, but an idle stage spins, yields, then parks up to 1 ms: with more
 *       stage threads than cores, an idle stage then leaves its core to a busy one, as the baseline's blocked
 *       {@code take} does;</li>
 *   <li>{@code disruptor-dedicated-park-dpos}: the same on the devnet with DPoS, the node's default chain: the
 *       proposer signs each header, the validators sign each commit, and ordering releases block h only once block
 *       h - 1 has executed (DPoS picks h's proposer from the state after h - 1), so it runs at most one block ahead of
 *       execution. The baseline has none of this, so this value is for what DPoS costs the pipeline (against
 *       {@code disruptor-dedicated-park}), not for the comparison;</li>
 *   <li>{@code disruptor-shared}: the node's default on small machines (all stages but verification on one thread,
 *       back-off idle);</li>
 *   <li>{@code abq}: a thread per stage, blocking {@code put}/{@code take}.</li>
 * </ul>
 * Both sides: one verifier thread with the pass-through verifier, blocks of 1,024 transactions, a ring (or free list)
 * of 8,192 preallocated slots, a journal that keeps nothing ({@link DiscardingBlockJournal}). After each iteration the
 * bytes allocated by all threads per transaction are printed, besides JMH's {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class PipelineBenchmark
{
    private static final int BATCH = 256;
    private static final int RING_SIZE = 8192;
    private static final int BLOCK_MAX_TXS = 1024;
    private static final long BLOCK_INTERVAL_MS = 50;
    private static final int SENDERS = 1024;

    @Param({"disruptor-dedicated", "disruptor-dedicated-park", "disruptor-dedicated-park-dpos", "disruptor-shared",
        "abq"})
    public String pipeline;

    /**
     * {@code full}: the reference executor applies every transfer and the state root is computed per block;
     * {@code handoff}: execution commits without touching the state ({@link HandoffExecutor}), so the score is the
     * pipeline's own pass-through cost: hand-offs, checks, hashing, block cutting, roots, journal and receipts.
     */
    @Param({"full", "handoff"})
    public String work;

    private BenchTransfers transfers;
    private Node node;
    private InProcessClient client;
    private TransactionSink sink;
    private AbqPipeline abq;
    private File dataDir;
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);
    private long receiptsAtStart;
    private long allocatedAtStart;
    private volatile long receiptCount;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        transfers = new BenchTransfers(SENDERS, pipeline.endsWith("-dpos"));
        if (pipeline.equals("abq"))
        {
            abq = new AbqPipeline(transfers.genesis, new DiscardingBlockJournal(), RING_SIZE, 64, BLOCK_MAX_TXS,
                BLOCK_INTERVAL_MS, 1 << 18, this::executor);
            return;
        }
        dataDir = Files.createTempDirectory("cmt-bench-pipeline").toFile();
        client = new InProcessClient((clientId, hash, off, status, height, fee) -> receiptCount = receiptCount + 1);
        node = client.launch(new NodeContext()
            .dataDir(dataDir)
            .genesis(transfers.genesis)
            .blockJournal(new DiscardingBlockJournal())
            .blockExecutor(executor())
            .sigverify("none")
            .verifierThreads(1)
            .verifyBatchSize(64)
            .ringSize(RING_SIZE)
            .blockMaxTxs(BLOCK_MAX_TXS)
            .blockIntervalMs(BLOCK_INTERVAL_MS)
            .dedupeWindow(1 << 18)
            .dedicatedIdleStrategy(pipeline.startsWith("disruptor-dedicated-park") ?
                () -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000) : YieldingIdleStrategy::new)
            .threadingMode(pipeline.equals("disruptor-shared") ? ThreadingMode.SHARED : ThreadingMode.DEDICATED));
        sink = node.ingress();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (abq != null)
        {
            abq.close();
        }
        if (node != null)
        {
            node.close();
            for (final File file : dataDir.listFiles())
            {
                file.delete();
            }
            dataDir.delete();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        receiptsAtStart = receipts();
        allocatedAtStart = allocatedByAllThreads();
    }

    @TearDown(Level.Iteration)
    public void endIteration()
    {
        final long transactions = receipts() - receiptsAtStart;
        final long allocated = allocatedByAllThreads() - allocatedAtStart;
        System.out.printf("%n[%s] %,d receipts, %.1f bytes allocated per transaction by all threads%n",
            pipeline, transactions, transactions == 0 ? 0.0 : (double)allocated / transactions);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void offer() throws InterruptedException
    {
        final int length = transfers.length();
        if (abq != null)
        {
            for (int i = 0; i < BATCH; i++)
            {
                abq.submit(transfers.next(), length);
            }
            return;
        }
        for (int i = 0; i < BATCH; i++)
        {
            final UnsafeBuffer frame = transfers.next();
            idle.reset();
            while (sink.onTransaction(frame, 0, length, 0) != TransactionSink.ACCEPTED)
            {
                idle.idle();
            }
        }
    }

    private BlockExecutor executor()
    {
        return work.equals("handoff") ? new HandoffExecutor() : new ReferenceExecutor();
    }

    private long receipts()
    {
        return abq != null ? abq.receipts() : receiptCount;
    }

    private static long allocatedByAllThreads()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
        {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
