package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.JournalReplay;
import io.cmtchain.pipeline.Zip215BatchVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replay's check that every journaled transaction carries a signature that verifies under ZIP-215, as the node's
 * verification stage checked it before the transaction was ordered. A block's transactions are cut into chunks of
 * {@value #CHUNK}, which the pool's threads take in turn, each verifying a chunk as one batch with the node's own batch
 * verifier, while the replaying thread executes the block; it then takes the chunks left. A journal that holds a
 * transaction whose signature fails was written by a node with its checks off ({@code cmt.sigverify=none}) or was
 * altered; the failure named is the block's first such transaction, whichever thread found it.
 */
final class ReplaySignatureCheck implements JournalReplay.TransactionCheck, AutoCloseable
{
    /** Transactions per chunk, verified as one batch: the batch verifier's rate is flat from 64 up. */
    static final int CHUNK = 128;

    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<Zip215BatchVerifier> verifiers =
        ThreadLocal.withInitial(() -> new Zip215BatchVerifier(CHUNK, 4096));
    private final List<Future<?>> helpers = new ArrayList<>();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger firstFailure = new AtomicInteger();
    private final Runnable verifyChunks = this::verifyChunks;
    private long height;
    private BlockTransactions txs;
    private int chunks;
    private long verified;

    /**
     * @param threads that verify, the replaying one included (it verifies once it has executed the block); at least 1.
     */
    ReplaySignatureCheck(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("--verify-threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r ->
        {
            final Thread thread = new Thread(r, "replay-verify");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void begin(final long height, final BlockTransactions txs)
    {
        this.height = height;
        this.txs = txs;
        chunks = (txs.count() + CHUNK - 1) / CHUNK;
        nextChunk.set(0);
        firstFailure.set(Integer.MAX_VALUE);
        helpers.clear();
        // The executor's hand-off publishes the fields above to the helpers.
        for (int t = 1, n = Math.min(threads, chunks); t < n; t++)
        {
            helpers.add(pool.submit(verifyChunks));
        }
    }

    @Override
    public String finish()
    {
        verifyChunks();
        for (final Future<?> f : helpers)
        {
            join(f);
        }
        helpers.clear();
        final BlockTransactions checked = txs;
        txs = null;
        final int bad = firstFailure.get();
        if (bad == Integer.MAX_VALUE)
        {
            verified += checked.count();
            return null;
        }
        final byte[] hash = new byte[32];
        checked.hash(bad, hash, 0);
        return "block " + height + ": transaction " + bad + " (" + Hex.encode(hash) + ") carries a signature that " +
            "does not verify (ZIP-215); a node checks every signature before it orders a transaction, so this " +
            "journal was written with the checks off (cmt.sigverify=none) or altered";
    }

    /** @return signatures verified so far, in blocks that passed. */
    long verified()
    {
        return verified;
    }

    @Override
    public void close()
    {
        if (pool != null)
        {
            pool.shutdownNow();
        }
    }

    private void verifyChunks()
    {
        final BlockTransactions txs = this.txs;
        final Zip215BatchVerifier verifier = verifiers.get();
        final int count = txs.count();
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement())
        {
            final int first = c * CHUNK;
            final int end = Math.min(count, first + CHUNK);
            verifier.reset();
            for (int i = first; i < end; i++)
            {
                verifier.add(txs.buffer(i), txs.offset(i), txs.length(i));
            }
            verifier.verify();
            for (int i = first; i < end; i++)
            {
                if (!verifier.valid(i - first))
                {
                    firstFailure.accumulateAndGet(i, Math::min);
                    break;
                }
            }
        }
    }

    private static void join(final Future<?> helper)
    {
        try
        {
            helper.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying signatures", ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("verifying signatures failed: " + ex.getCause(), ex.getCause());
        }
    }
}
