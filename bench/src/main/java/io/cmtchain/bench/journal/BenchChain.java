package io.cmtchain.bench.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.BlockJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Makes a devnet chain of signed transfers for the journal benchmarks, block by block as the node does.
 */
final class BenchChain
{
    static final int ACCOUNTS = 1000;
    static final String GENESIS_JSON = "{\"chainId\":1001,\"devnet\":{\"accounts\":" + ACCOUNTS +
        ",\"balanceMicroCmt\":1000000000000,\"validators\":4},\"fees\":{\"minimumMicroCmt\":100}}";

    final Genesis genesis = Genesis.parse(GENESIS_JSON);
    final Chain chain = new Chain(genesis.createState(1), 0, new byte[32]);
    final BlockHeader header = new BlockHeader();
    /** Empty: the bench chain has no DPoS. */
    final BlockCommit commit = new BlockCommit();
    final BlockTransactions txs = new BlockTransactions(1024);
    final BlockReceipts receipts = new BlockReceipts(1024);
    private final ReferenceExecutor executor = new ReferenceExecutor();
    private final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
    private final Sha256 sha = new Sha256();
    private final Ed25519Key[] keys = new Ed25519Key[ACCOUNTS];
    private final long[] nonces = new long[ACCOUNTS];
    private final byte[] proposer;
    private UnsafeBuffer frames = new UnsafeBuffer(new byte[1 << 20]);
    private long sequence;

    BenchChain()
    {
        for (int i = 0; i < ACCOUNTS; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
        }
        proposer = genesis.validators().get(0).address();
    }

    /**
     * Make and execute the next block of valid transfers.
     *
     * @param txCount transactions in it.
     */
    void nextBlock(final int txCount)
    {
        if (frames.capacity() < txCount * 256)
        {
            frames = new UnsafeBuffer(new byte[txCount * 256]);
        }
        txs.reset();
        int offset = 0;
        for (int i = 0; i < txCount; i++, sequence++)
        {
            final int sender = (int)(sequence % ACCOUNTS);
            final int recipient = (int)((sequence * 7 + 3) % ACCOUNTS);
            final int length = builder.transfer(keys[sender], nonces[sender]++, 100, 0, keys[recipient].address(),
                1 + sequence % 1000, frames, offset);
            txs.add(frames, offset, length, sha);
            offset += length;
        }
        chain.apply(1_000 * (chain.height() + 1), proposer, txs, executor, receipts, header);
    }

    void append(final BlockJournal journal, final int blocks, final int txCount)
    {
        for (int b = 0; b < blocks; b++)
        {
            nextBlock(txCount);
            journal.append(header, commit, txs, receipts);
        }
    }

    static Path tempDir(final String prefix)
    {
        try
        {
            // JMH forks inherit the environment but not the launcher's system properties.
            final String base = System.getProperty("cmt.bench.dir", System.getenv("CMT_BENCH_DIR"));
            return base == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(Path.of(base), prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
