package io.cmtchain.bench.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.Durability;
import io.cmtchain.journal.JournalContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Appending blocks of 1,000 signed transfers (~163-byte frames) to the Chronicle journal, counted in transaction
 * records per second, for each durability mode. Each block gets fresh transaction hashes so that the hash index
 * grows as it would on a live chain. Set {@code -Dcmt.bench.dir=DIR} (or {@code CMT_BENCH_DIR=DIR} in the
 * environment, which the forks inherit) to put the journal on a given disk, e.g. {@code /dev/shm} to take the disk
 * out of the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalAppendBenchmark
{
    static final int TX_PER_BLOCK = 1000;

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    private Path dir;
    private ChronicleBlockJournal journal;
    private final BlockHeader header = new BlockHeader();
    private final BlockCommit commit = new BlockCommit();
    private final BlockTransactions template = new BlockTransactions(TX_PER_BLOCK);
    private final BlockTransactions txs = new BlockTransactions(TX_PER_BLOCK);
    private final BlockReceipts receipts = new BlockReceipts(TX_PER_BLOCK);
    private final byte[] hashes = new byte[TX_PER_BLOCK * 32];
    private DirectBuffer frames;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp()
    {
        final BenchChain chain = new BenchChain();
        chain.nextBlock(TX_PER_BLOCK);
        header.copyFrom(chain.header);
        // Keep the frames in a buffer of our own: the chain reuses its buffer.
        final int length = chain.txs.offset(TX_PER_BLOCK - 1) + chain.txs.length(TX_PER_BLOCK - 1);
        final byte[] copy = new byte[length];
        chain.txs.buffer(0).getBytes(0, copy);
        frames = new UnsafeBuffer(copy);
        for (int i = 0; i < TX_PER_BLOCK; i++)
        {
            template.add(frames, chain.txs.offset(i), chain.txs.length(i), chain.txs.hashes(), i * 32);
        }
        receipts.reset(TX_PER_BLOCK);
        for (int i = 0; i < TX_PER_BLOCK; i++)
        {
            receipts.set(i, chain.receipts.status(i), chain.receipts.feeCharged(i));
        }
        dir = BenchChain.tempDir("journal-append");
        journal = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir).durability(durability)
            .txIndexCapacity(1 << 24));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        journal.close();
        BenchChain.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(TX_PER_BLOCK)
    public long appendBlock()
    {
        // Distinct hashes per block, as a live chain has: a counter in the first 8 bytes of a copied hash.
        txs.reset();
        for (int i = 0; i < TX_PER_BLOCK; i++)
        {
            final long s = ++sequence;
            for (int b = 0; b < 8; b++)
            {
                hashes[i * 32 + b] = (byte)(s >>> (8 * b));
            }
            txs.add(frames, template.offset(i), template.length(i), hashes, i * 32);
        }
        header.height = journal.lastHeight() + 1;
        journal.append(header, commit, txs, receipts);
        return header.height;
    }
}
