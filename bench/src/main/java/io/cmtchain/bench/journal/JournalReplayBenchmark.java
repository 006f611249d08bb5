package io.cmtchain.bench.journal;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.JournalReplay;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Replaying a journal of 100 blocks x 1,000 signed transfers from genesis through {@link Chain#replay} with the
 * reference executor (signatures are not checked on replay), in transactions per second; with the frames hashed
 * again (as {@code cmt replay} and recovery do) or the journaled hashes trusted. Also the cost of rebuilding the
 * journal's indexes at open after an unclean stop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class JournalReplayBenchmark
{
    static final int BLOCKS = 100;
    static final int TX_PER_BLOCK = 1000;
    static final int TRANSACTIONS = BLOCKS * TX_PER_BLOCK;

    @Param({"true", "false"})
    public boolean recomputeHashes;

    private Path dir;
    private BenchChain genesisSource;
    private ChronicleBlockJournal journal;
    private JournalReader reader;
    private Chain chain;
    private final ReferenceExecutor executor = new ReferenceExecutor();

    @Setup(Level.Trial)
    public void setUp()
    {
        dir = BenchChain.tempDir("journal-replay");
        final BenchChain source = new BenchChain();
        try (ChronicleBlockJournal writer = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir)))
        {
            source.append(writer, BLOCKS, TX_PER_BLOCK);
        }
        genesisSource = source;
        journal = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir));
        reader = journal.newReader().recomputeHashes(recomputeHashes);
    }

    @Setup(Level.Invocation)
    public void freshChain()
    {
        chain = new Chain(genesisSource.genesis.createState(1), 0, new byte[32]);
        reader.rewind();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        reader.close();
        journal.close();
        BenchChain.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(TRANSACTIONS)
    public long replayFromGenesis()
    {
        final long blocks = new JournalReplay().run(reader, chain, executor, null);
        if (blocks != BLOCKS)
        {
            throw new IllegalStateException("replayed " + blocks + " blocks");
        }
        return chain.height();
    }

    /** Open after an unclean stop: both index files rebuilt from every journal entry. */
    @State(Scope.Benchmark)
    public static class Rebuild
    {
        Path dir;

        @Setup(Level.Trial)
        public void setUp()
        {
            dir = BenchChain.tempDir("journal-rebuild");
            final BenchChain source = new BenchChain();
            try (ChronicleBlockJournal writer = new ChronicleBlockJournal(new JournalContext().dataDirectory(dir)))
            {
                source.append(writer, BLOCKS, TX_PER_BLOCK);
            }
        }

        @Setup(Level.Invocation)
        public void dropIndex()
        {
            try
            {
                Files.deleteIfExists(new DataDirectory(dir).heightIndexFile());
                Files.deleteIfExists(new DataDirectory(dir).txIndexFile());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            BenchChain.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRANSACTIONS)
    public long openAndRebuildIndex(final Rebuild rebuild)
    {
        try (ChronicleBlockJournal j = new ChronicleBlockJournal(new JournalContext().dataDirectory(rebuild.dir)))
        {
            if (!j.indexRebuilt() || j.indexedTransactions() != TRANSACTIONS)
            {
                throw new IllegalStateException("index not rebuilt");
            }
            return j.lastHeight();
        }
    }
}
