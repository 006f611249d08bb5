package io.cmtchain.bench.journal;

import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.TxLocation;
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

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a transaction query ({@code CmtClient.queryTransaction}, {@code cmt receipt}) costs the journal stage, which
 * answers it between appends: {@link ChronicleBlockJournal#findTransaction} then the journaled status and fee, as
 * the node's {@code TransactionQueries} does, in microseconds per query, over a journal of 200 blocks x 1,000 signed
 * transfers.
 * <ul>
 *   <li>{@code latest}: a transaction of the last block (a wallet asking about what it just sent): after the first,
 *       the block is already loaded;</li>
 *   <li>{@code random}: a transaction of any block, so nearly every query loads another block;</li>
 *   <li>{@code absent}: a hash no block holds (the index says so without reading the journal).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransactionLookupBenchmark
{
    static final int BLOCKS = 200;
    static final int TX_PER_BLOCK = 1000;

    @Param({"latest", "random", "absent"})
    public String which;

    private Path dir;
    private ChronicleBlockJournal journal;
    private byte[] hashes;
    private final byte[] absent = new byte[32];
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp()
    {
        dir = BenchChain.tempDir("journal-lookup");
        journal = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir));
        new BenchChain().append(journal, BLOCKS, TX_PER_BLOCK);
        hashes = new byte[BLOCKS * TX_PER_BLOCK * 32];
        try (JournalReader reader = journal.newReader())
        {
            int at = 0;
            while (reader.next())
            {
                final int count = reader.transactions().count();
                System.arraycopy(reader.transactions().hashes(), 0, hashes, at, count * 32);
                at += count * 32;
            }
            if (at != hashes.length)
            {
                throw new IllegalStateException("read " + at / 32 + " transactions");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        journal.close();
        BenchChain.delete(dir);
    }

    @Benchmark
    public long query()
    {
        final byte[] hash;
        final int offset;
        switch (which)
        {
            case "latest":
                hash = hashes;
                offset = ((BLOCKS - 1) * TX_PER_BLOCK + random.nextInt(TX_PER_BLOCK)) * 32;
                break;
            case "random":
                hash = hashes;
                offset = random.nextInt(BLOCKS * TX_PER_BLOCK) * 32;
                break;
            default:
                hash = absent;
                offset = 0;
                absent[0] = (byte)random.nextInt();
                absent[1] = (byte)random.nextInt();
                absent[2] = (byte)random.nextInt();
                break;
        }
        final long location = journal.findTransaction(hash, offset);
        if (location == TxLocation.NOT_FOUND)
        {
            if (hash != absent)
            {
                throw new IllegalStateException("a journaled transaction was not found");
            }
            return journal.lastHeight();
        }
        return location + journal.status(location) + journal.feeCharged(location);
    }
}
