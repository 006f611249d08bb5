package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.JournalReplay;
import io.cmtchain.pipeline.Zip215BatchVerifier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The replay's check that every journaled transaction carries a signature that verifies under ZIP-215, as the node's
 * verification stage checked it before the transaction was ordered. A journal that holds a transaction whose signature
 * fails was written by a node with its checks off ({@code cmt.sigverify=none}) or was altered; the failure named is
 * the block's first such transaction, whichever thread found it.
 * <p>
 * {@link #begin} copies a block's transactions and cuts them into chunks of {@value #CHUNK}, each verified as one
 * batch with the node's own batch verifier. The helper threads take chunks in block order, and so does the replaying
 * thread in {@link #finish} until the block it finishes is done. Since the replay begins the next block before it
 * finishes the one before, the helpers go on with the next block's chunks while the replaying thread reads and
 * executes, instead of waiting for it at the end of every block. Chunks are handed out under a lock: one claim costs
 * far less than the few milliseconds a chunk takes to verify.
 */
final class ReplaySignatureCheck implements JournalReplay.TransactionCheck, AutoCloseable
{
    /** Transactions per chunk, verified as one batch: the batch verifier's rate is flat from 64 up. */
    static final int CHUNK = 128;

    private final Object lock = new Object();
    /** The blocks begun and not finished, the earliest at {@code oldest}: at most two. */
    private final Block[] blocks = {new Block(), new Block()};
    private final Zip215BatchVerifier verifier = newVerifier();
    private int oldest;
    private int begun;
    private boolean closed;
    private Throwable helperFailure;
    private long verified;
    private final int threads;

    /**
     * @param threads that verify, the replaying one included (it verifies in {@link #finish}); at least 1.
     */
    ReplaySignatureCheck(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("--verify-threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        // Daemons that wait for chunks until close(); a helper busy with a chunk then stops after it.
        for (int i = 1; i < threads; i++)
        {
            final Thread helper = new Thread(this::runHelper, "replay-verify-" + i);
            helper.setDaemon(true);
            helper.start();
        }
    }

    @Override
    public void begin(final long height, final BlockTransactions txs)
    {
        final Block block;
        synchronized (lock)
        {
            if (begun == blocks.length)
            {
                throw new IllegalStateException("block " + height + " begun with two blocks not finished");
            }
            block = blocks[(oldest + begun) & 1];
        }
        // No thread reads a block that is not begun: it is filled outside the lock and published by the next one.
        block.fill(height, txs);
        synchronized (lock)
        {
            begun++;
            lock.notifyAll();
        }
    }

    @Override
    public String finish()
    {
        final Block block;
        synchronized (lock)
        {
            if (begun == 0)
            {
                throw new IllegalStateException("finish without a block begun");
            }
            block = blocks[oldest];
        }
        while (true)
        {
            final Block claimed;
            final int chunk;
            synchronized (lock)
            {
                throwIfHelperFailed();
                if (block.done == block.chunks)
                {
                    oldest ^= 1;
                    begun--;
                    break;
                }
                claimed = claimable();
                if (claimed == null)
                {
                    awaitChange();
                    continue;
                }
                chunk = claimed.claimed++;
            }
            verifyChunk(claimed, chunk, verifier);
        }
        if (block.firstFailure == Integer.MAX_VALUE)
        {
            verified += block.count;
            return null;
        }
        final byte[] hash = new byte[32];
        System.arraycopy(block.hashes, block.firstFailure * 32, hash, 0, 32);
        return "block " + block.height + ": transaction " + block.firstFailure + " (" + Hex.encode(hash) +
            ") carries a signature that does not verify (ZIP-215); a node checks every signature before it orders a " +
            "transaction, so this journal was written with the checks off (cmt.sigverify=none) or altered";
    }

    /** @return signatures verified so far, in blocks that passed. */
    long verified()
    {
        return verified;
    }

    /** @return threads that verify, the replaying one included. */
    int threads()
    {
        return threads;
    }

    @Override
    public void close()
    {
        synchronized (lock)
        {
            closed = true;
            lock.notifyAll();
        }
    }

    private void runHelper()
    {
        final Zip215BatchVerifier helperVerifier = newVerifier();
        try
        {
            while (true)
            {
                Block claimed;
                final int chunk;
                synchronized (lock)
                {
                    claimed = claimable();
                    while (!closed && claimed == null)
                    {
                        lock.wait();
                        claimed = claimable();
                    }
                    if (closed)
                    {
                        return;
                    }
                    chunk = claimed.claimed++;
                }
                verifyChunk(claimed, chunk, helperVerifier);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Throwable ex)
        {
            synchronized (lock)
            {
                helperFailure = ex;
                lock.notifyAll();
            }
        }
    }

    /** @return the earliest begun block with a chunk nobody has claimed, or null. Call holding the lock. */
    private Block claimable()
    {
        for (int i = 0; i < begun; i++)
        {
            final Block block = blocks[(oldest + i) & 1];
            if (block.claimed < block.chunks)
            {
                return block;
            }
        }
        return null;
    }

    /** Verify one claimed chunk outside the lock, then count it done under the lock. */
    private void verifyChunk(final Block block, final int chunk, final Zip215BatchVerifier batch)
    {
        final int first = chunk * CHUNK;
        final int end = Math.min(block.count, first + CHUNK);
        batch.reset();
        for (int i = first; i < end; i++)
        {
            batch.add(block.frames, block.offsets[i], block.lengths[i]);
        }
        batch.verify();
        int bad = Integer.MAX_VALUE;
        for (int i = first; i < end; i++)
        {
            if (!batch.valid(i - first))
            {
                bad = i;
                break;
            }
        }
        synchronized (lock)
        {
            block.firstFailure = Math.min(block.firstFailure, bad);
            if (++block.done == block.chunks)
            {
                lock.notifyAll();
            }
        }
    }

    private void awaitChange()
    {
        try
        {
            lock.wait();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying signatures", ex);
        }
    }

    private void throwIfHelperFailed()
    {
        if (helperFailure != null)
        {
            throw new IllegalStateException("verifying signatures failed: " + helperFailure, helperFailure);
        }
    }

    private static Zip215BatchVerifier newVerifier()
    {
        return new Zip215BatchVerifier(CHUNK, 4096);
    }

    /** A begun block: its own copy of the transactions' frames and hashes, and how far its chunks have got. */
    private static final class Block
    {
        private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
        private int[] offsets = new int[1024];
        private int[] lengths = new int[1024];
        private byte[] hashes = new byte[1024 * 32];
        private long height;
        private int count;
        private int chunks;
        private int claimed;
        private int done;
        private int firstFailure;

        void fill(final long height, final BlockTransactions txs)
        {
            final int count = txs.count();
            if (count > offsets.length)
            {
                offsets = new int[count];
                lengths = new int[count];
                hashes = new byte[count * 32];
            }
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                bytes += txs.length(i);
            }
            if (bytes > frames.capacity())
            {
                frames.wrap(new byte[(int)Math.min(Integer.MAX_VALUE - 8, Math.max(bytes, 2L * frames.capacity()))]);
            }
            int at = 0;
            for (int i = 0; i < count; i++)
            {
                final int length = txs.length(i);
                txs.buffer(i).getBytes(txs.offset(i), frames, at, length);
                offsets[i] = at;
                lengths[i] = length;
                at += length;
            }
            System.arraycopy(txs.hashes(), 0, hashes, 0, count * 32);
            this.height = height;
            this.count = count;
            chunks = (count + CHUNK - 1) / CHUNK;
            claimed = 0;
            done = 0;
            firstFailure = Integer.MAX_VALUE;
        }
    }
}
