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

/**
 * The replay's check that every journaled transaction carries a signature that verifies under ZIP-215, as the node's
 * verification stage checked it before the transaction was ordered: each block's transactions split over a few
 * threads, each verifying its share in batches with the node's own batch verifier. A journal that holds a transaction
 * whose signature fails was written by a node with its checks off ({@code cmt.sigverify=none}) or was altered.
 */
final class ReplaySignatureCheck implements JournalReplay.TransactionCheck, AutoCloseable
{
    private static final int BATCH = 256;
    /** Fewer transactions than this per thread are not worth a hand-off. */
    private static final int MIN_SHARE = 64;

    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<Zip215BatchVerifier> verifiers =
        ThreadLocal.withInitial(() -> new Zip215BatchVerifier(BATCH, 4096));
    private final List<Future<String>> shares = new ArrayList<>();
    private long verified;

    /**
     * @param threads that verify, this one included; at least 1.
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
    public String check(final long height, final BlockTransactions txs)
    {
        final int count = txs.count();
        final int parts = Math.max(1, Math.min(threads, count / MIN_SHARE));
        final int share = (count + parts - 1) / parts;
        shares.clear();
        for (int p = 1; p < parts; p++)
        {
            final int first = p * share;
            final int end = Math.min(count, first + share);
            shares.add(pool.submit(() -> verify(height, txs, first, end)));
        }
        String failed = verify(height, txs, 0, Math.min(count, share));
        for (final Future<String> f : shares)
        {
            final String result = join(f);
            failed = failed != null ? failed : result;
        }
        if (failed == null)
        {
            verified += count;
        }
        return failed;
    }

    /** @return signatures verified so far. */
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

    private String verify(final long height, final BlockTransactions txs, final int from, final int to)
    {
        final Zip215BatchVerifier verifier = verifiers.get();
        for (int first = from; first < to; first += BATCH)
        {
            final int end = Math.min(to, first + BATCH);
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
                    final byte[] hash = new byte[32];
                    txs.hash(i, hash, 0);
                    return "block " + height + ": transaction " + i + " (" + Hex.encode(hash) + ") carries a " +
                        "signature that does not verify (ZIP-215); a node checks every signature before it orders " +
                        "a transaction, so this journal was written with the checks off (cmt.sigverify=none) or " +
                        "altered";
                }
            }
        }
        return null;
    }

    private static String join(final Future<String> share)
    {
        try
        {
            return share.get();
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
