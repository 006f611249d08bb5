package io.cmtchain.bench.journal;

import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Where the time of a transaction query on an old block goes ({@link TransactionLookupBenchmark}, {@code random}),
 * part by part, over the same journal of 200 blocks x 1,000 signed transfers, in microseconds per operation:
 * <ul>
 *   <li>{@code seek}: position a reader at a random block (the journal index gives its queue index, then
 *       Chronicle's {@code moveToIndex}), without reading it;</li>
 *   <li>{@code load}: seek and read the block as a replay does with its stored hashes trusted: copy the entry out
 *       of the queue, check its CRC32C and decode every transaction and receipt. A query reads the block the same
 *       way but keeps only where each record starts, so {@code load} less {@code query[random]} is what decoding
 *       the records costs;</li>
 *   <li>{@code copyEntry} and {@code crcEntry}: the two whole-entry passes of every read, alone, on an entry's worth
 *       of bytes (a block's transaction records): the copy from one of 200 such arrays chosen at random (40 MB, so
 *       from memory rather than cache, as a random block is), and the CRC32C over the copy just made.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransactionLookupPartsBenchmark
{
    private Path dir;
    private ChronicleBlockJournal journal;
    private JournalReader reader;
    private byte[][] sources;
    private byte[] target;
    private final CRC32C crc = new CRC32C();
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp()
    {
        dir = BenchChain.tempDir("journal-lookup-parts");
        journal = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir));
        new BenchChain().append(journal, TransactionLookupBenchmark.BLOCKS, TransactionLookupBenchmark.TX_PER_BLOCK);
        reader = journal.newReader().recomputeHashes(false);
        if (!reader.seek(1) || !reader.next())
        {
            throw new IllegalStateException("block 1 is not in the journal");
        }
        int recordBytes = 0;
        for (int i = 0; i < reader.transactions().count(); i++)
        {
            recordBytes += reader.transactions().length(i) + 45; // 45: a transaction record's header
        }
        sources = new byte[TransactionLookupBenchmark.BLOCKS][recordBytes];
        final SplittableRandom fill = new SplittableRandom(11);
        for (final byte[] source : sources)
        {
            fill.nextBytes(source);
        }
        target = new byte[recordBytes];
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        reader.close();
        journal.close();
        BenchChain.delete(dir);
    }

    private long randomHeight()
    {
        return 1 + random.nextInt(TransactionLookupBenchmark.BLOCKS);
    }

    @Benchmark
    public boolean seek()
    {
        return reader.seek(randomHeight());
    }

    @Benchmark
    public long load()
    {
        if (!reader.seek(randomHeight()) || !reader.next())
        {
            throw new IllegalStateException("a journaled block was not read");
        }
        return reader.height();
    }

    @Benchmark
    public byte[] copyEntry()
    {
        final byte[] source = sources[random.nextInt(sources.length)];
        System.arraycopy(source, 0, target, 0, source.length);
        return target;
    }

    @Benchmark
    public long crcEntry()
    {
        crc.reset();
        crc.update(target, 0, target.length);
        return crc.getValue();
    }
}
