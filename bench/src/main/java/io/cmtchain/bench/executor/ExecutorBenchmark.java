package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.ChainState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Block execution throughput over the Block-STM paper's grid: accounts (2 is full contention) x threads x work per
 * transaction, for the sequential engine and the parallel executor's two schedulers. One invocation executes one
 * 10,000-transaction block and folds it ({@code endBlock}: state root included); an iteration is a fresh state and
 * {@link #BLOCKS} consecutive blocks, so nonces stay valid. Score: milliseconds per block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, batchSize = ExecutorBenchmark.BLOCKS)
@Measurement(iterations = 5, batchSize = ExecutorBenchmark.BLOCKS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ExecutorBenchmark
{
    static final int BLOCKS = 8;
    static final int BLOCK_SIZE = 10_000;

    @Param({"2", "10", "100", "1000", "10000"})
    int accounts;

    @Param({"reference", "declared", "optimistic"})
    String executor;

    @Param({"1", "2"})
    int threads;

    @Param({"transfer", "contract"})
    String work;

    private ExecutorWorkload workload;
    private BlockExecutor blockExecutor;
    private ChainState state;
    private final BlockTransactions[] blockTxs = new BlockTransactions[BLOCKS];
    private final BlockReceipts receipts = new BlockReceipts(BLOCK_SIZE);
    private int block;
    private long height;

    @Setup(Level.Trial)
    public void setUpTrial()
    {
        workload = new ExecutorWorkload(accounts, BLOCK_SIZE, BLOCKS, 7);
        for (int b = 0; b < BLOCKS; b++)
        {
            blockTxs[b] = new BlockTransactions(BLOCK_SIZE);
            workload.fill(b, blockTxs[b]);
        }
        blockExecutor = ExecutorKinds.create(executor, threads, "contract".equals(work));
    }

    @Setup(Level.Iteration)
    public void setUpIteration()
    {
        state = workload.createState();
        block = 0;
        height = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        if (blockExecutor instanceof AutoCloseable)
        {
            ((AutoCloseable)blockExecutor).close();
        }
    }

    @Benchmark
    public int executeBlock()
    {
        blockExecutor.execute(state, ++height, blockTxs[block++ % BLOCKS], receipts);
        state.endBlock();
        return receipts.status(BLOCK_SIZE - 1);
    }
}
