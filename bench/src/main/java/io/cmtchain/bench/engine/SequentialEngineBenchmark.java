package io.cmtchain.bench.engine;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sequential reference engine applying already-verified transfers, one block per operation, over a state of
 * {@code accounts} funded accounts: execution, fee delta fold, state commitment update, transaction and receipts
 * roots and the header hash are all inside the measured operation. One operation is one block of {@code blockSize}
 * transfers; the secondary score {@code transactions} is transactions per second.
 * <p>
 * Frames carry zero signatures (verification is a stage before execution) and precomputed hashes (computed at
 * decode in the pipeline). Before each block, every frame's nonce is rewritten to its sender's next nonce, so every
 * transfer succeeds; {@link #checkEveryTransferCommitted()} fails the run if any did not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class SequentialEngineBenchmark
{
    private static final int CHAIN_ID = 1001;
    private static final long FEE = 100;
    private static final int BLOCKS_OF_FRAMES = 16;

    @Param({"1000000"})
    public int accounts;

    @Param({"10000", "100000"})
    public int blockSize;

    private ChainState state;
    private Chain chain;
    private final ReferenceExecutor executor = new ReferenceExecutor();
    private BlockTransactions txs;
    private BlockReceipts receipts;
    private final BlockHeader header = new BlockHeader();
    private final byte[] proposer = new byte[20];

    private UnsafeBuffer frames;
    private int[] senderOfFrame;
    private byte[] hashes;
    private long[] nextNonce;
    private int blockCursor;
    private long rejected;
    private long timestampMs;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(2026);
        state = new ChainState(CHAIN_ID, 5, accounts * 2, new FeeSchedule(FEE), random.nextLong());
        final byte[][] publicKeys = new byte[accounts][32];
        final byte[][] addresses = new byte[accounts][];
        final UnsafeBuffer addressBuffer = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < accounts; i++)
        {
            for (int j = 0; j < 32; j++)
            {
                publicKeys[i][j] = (byte)random.nextInt();
            }
            addresses[i] = Addresses.of(publicKeys[i]);
            addressBuffer.putBytes(0, addresses[i]);
            final int slot = state.accounts().findOrCreate(addressBuffer, 0);
            state.accounts().balance(slot, 1_000_000_000_000L);
        }
        state.endBlock();
        chain = new Chain(state, 0, new byte[32]);

        final int frameCount = BLOCKS_OF_FRAMES * blockSize;
        frames = new UnsafeBuffer(new byte[frameCount * UnsignedFrames.TRANSFER_LENGTH]);
        senderOfFrame = new int[frameCount];
        hashes = new byte[frameCount * 32];
        nextNonce = new long[accounts];
        for (int i = 0; i < frameCount; i++)
        {
            final int sender = random.nextInt(accounts);
            final int recipient = random.nextInt(accounts);
            senderOfFrame[i] = sender;
            UnsignedFrames.transfer(frames, i * UnsignedFrames.TRANSFER_LENGTH, CHAIN_ID, publicKeys[sender], 0, FEE,
                addresses[recipient], 1 + random.nextInt(1000));
        }
        txs = new BlockTransactions(blockSize);
        receipts = new BlockReceipts(blockSize);
    }

    @Setup(Level.Invocation)
    public void nextBlock()
    {
        final Sha256 sha = new Sha256();
        txs.reset();
        final int first = blockCursor * blockSize;
        for (int i = first; i < first + blockSize; i++)
        {
            final int offset = i * UnsignedFrames.TRANSFER_LENGTH;
            UnsignedFrames.nonce(frames, offset, nextNonce[senderOfFrame[i]]++);
            TxHash.compute(sha, frames, offset, UnsignedFrames.TRANSFER_LENGTH, hashes, i * 32);
            txs.add(frames, offset, UnsignedFrames.TRANSFER_LENGTH, hashes, i * 32);
        }
        blockCursor = (blockCursor + 1) % BLOCKS_OF_FRAMES;
    }

    /** Counts transactions, so JMH reports transactions per second beside blocks per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Transactions
    {
        public long transactions;
    }

    @Benchmark
    public BlockHeader applyBlock(final Transactions counter)
    {
        counter.transactions += blockSize;
        timestampMs += 1000;
        chain.apply(timestampMs, proposer, txs, executor, receipts, header);
        return header;
    }

    @TearDown(Level.Invocation)
    public void countRejects()
    {
        for (int i = 0; i < receipts.count(); i++)
        {
            if (receipts.status(i) != ReceiptStatus.OK.value())
            {
                rejected++;
            }
        }
    }

    @TearDown(Level.Trial)
    public void checkEveryTransferCommitted()
    {
        if (rejected != 0)
        {
            throw new IllegalStateException(
                rejected + " transfers were rejected: the benchmark is not measuring commits");
        }
    }
}
