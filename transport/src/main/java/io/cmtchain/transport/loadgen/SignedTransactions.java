package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator's pre-signed transactions: transaction {@code i} is from devnet sender {@code i % senders} with
 * nonce {@code firstNonce + i / senders}, so each sender's nonces go out in order. Signed on every core, and, with a
 * cache directory, kept in a file named by a hash of every parameter so that a later run maps it at once.
 * <pre>
 *   file:  0 magic "CMTLGTX1" | 8 count i64 | 16 stride i32 | 20 zero i32 | 24 parameters' SHA-256 | 56 zero
 *         64 records, each stride bytes: length u16 LE, then the frame
 * </pre>
 */
public final class SignedTransactions implements AutoCloseable
{
    private static final byte[] MAGIC = "CMTLGTX1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_LENGTH = 64;
    private static final int CHUNK = 2048;

    private final UnsafeBuffer buffer;
    private final MappedByteBuffer mapped;
    private final long count;
    private final int stride;
    private UnsafeBuffer hashes;

    private SignedTransactions(final UnsafeBuffer buffer, final MappedByteBuffer mapped, final long count,
        final int stride)
    {
        this.buffer = buffer;
        this.mapped = mapped;
        this.count = count;
        this.stride = stride;
    }

    /**
     * @param maxFrameLength the longest frame of the set's mix ({@link TransactionMix#maxFrameLength()}).
     * @return the most transactions one set holds: its buffer, or its cache file, is mapped whole, so it is at most
     *         {@link Integer#MAX_VALUE} bytes.
     */
    public static long maxCount(final int maxFrameLength)
    {
        return (Integer.MAX_VALUE - HEADER_LENGTH) / (2 + maxFrameLength);
    }

    /**
     * Load from the cache or sign.
     *
     * @param chainId    of the frames.
     * @param senders    devnet accounts 0..senders-1.
     * @param firstNonce of every sender.
     * @param count      transactions.
     * @param mix        what to sign.
     * @param cacheDir   directory for the cache, or null for none.
     * @param threads    signing threads.
     * @param out        progress output.
     * @return the set.
     */
    public static SignedTransactions loadOrSign(
        final int chainId,
        final int senders,
        final long firstNonce,
        final long count,
        final TransactionMix mix,
        final File cacheDir,
        final int threads,
        final PrintStream out)
    {
        final int stride = 2 + mix.maxFrameLength();
        if (count < 1 || count > maxCount(mix.maxFrameLength()))
        {
            throw new IllegalArgumentException("transaction count must be in 1.." + maxCount(mix.maxFrameLength()) +
                ", was " + count);
        }
        final String parameters = "v1,chain=" + chainId + ",senders=" + senders + ",firstNonce=" + firstNonce +
            ",count=" + count + "," + mix.describe();
        final byte[] key = new Sha256().update(parameters.getBytes(StandardCharsets.UTF_8)).digest();
        final int length = HEADER_LENGTH + (int)(count * stride);

        if (null == cacheDir)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(length));
            sign(buffer, chainId, senders, firstNonce, count, stride, mix, threads, out);
            return new SignedTransactions(buffer, null, count, stride);
        }

        FileArguments.createDirectories(cacheDir, "cache directory");
        final File file = new File(cacheDir, "loadgen-" + Hex.encode(key, 0, 8) + ".txs");
        if (file.isFile() && file.length() == length)
        {
            final MappedByteBuffer mapped = map(file, length, FileChannel.MapMode.READ_ONLY);
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            if (validHeader(buffer, count, stride, key))
            {
                out.println("loadgen: " + count + " signed transactions from cache " + file);
                return new SignedTransactions(buffer, mapped, count, stride);
            }
            IoUtil.unmap(mapped);
        }

        final File tmp = new File(cacheDir, file.getName() + ".tmp-" + ProcessHandle.current().pid());
        final MappedByteBuffer mapped = map(tmp, length, FileChannel.MapMode.READ_WRITE);
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        try
        {
            sign(buffer, chainId, senders, firstNonce, count, stride, mix, threads, out);
        }
        catch (final RuntimeException ex)
        {
            // A set that failed to sign leaves no file behind: the temporary file is as long as the whole set.
            IoUtil.unmap(mapped);
            IoUtil.delete(tmp, true);
            throw ex;
        }
        buffer.putLong(8, count, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(16, stride, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(24, key);
        // The magic goes last: a file cut short by a crash never passes for a complete one.
        buffer.putBytes(0, MAGIC);
        mapped.force();
        try
        {
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot write cache file " + file + ": " + ex.getMessage(), ex);
        }
        out.println("loadgen: cached in " + file);
        return new SignedTransactions(buffer, mapped, count, stride);
    }

    private static boolean validHeader(final UnsafeBuffer buffer, final long count, final int stride, final byte[] key)
    {
        final byte[] magic = new byte[MAGIC.length];
        buffer.getBytes(0, magic);
        final byte[] storedKey = new byte[key.length];
        buffer.getBytes(24, storedKey);
        return java.util.Arrays.equals(MAGIC, magic) && buffer.getLong(8, ByteOrder.LITTLE_ENDIAN) == count &&
            buffer.getInt(16, ByteOrder.LITTLE_ENDIAN) == stride && java.util.Arrays.equals(key, storedKey);
    }

    private static MappedByteBuffer map(final File file, final int length, final FileChannel.MapMode mode)
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, FileChannel.MapMode.READ_ONLY == mode ? "r" : "rw");
            FileChannel channel = raf.getChannel())
        {
            if (FileChannel.MapMode.READ_WRITE == mode)
            {
                raf.setLength(length);
            }
            return channel.map(mode, 0, length);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot map " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void sign(
        final UnsafeBuffer buffer,
        final int chainId,
        final int senders,
        final long firstNonce,
        final long count,
        final int stride,
        final TransactionMix mix,
        final int threads,
        final PrintStream out)
    {
        final Ed25519Key[] keys = new Ed25519Key[senders];
        for (int i = 0; i < senders; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
        }
        final AtomicLong nextChunk = new AtomicLong();
        final AtomicLong signed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        final long startNs = System.nanoTime();
        for (int t = 0; t < threads; t++)
        {
            final Thread worker = new Thread(() ->
            {
                try
                {
                    final TransactionBuilder builder = new TransactionBuilder(chainId);
                    long first;
                    while ((first = nextChunk.getAndAdd(CHUNK)) < count)
                    {
                        final long last = Math.min(count, first + CHUNK);
                        for (long i = first; i < last; i++)
                        {
                            final int offset = HEADER_LENGTH + (int)(i * stride);
                            final int length = mix.encode(
                                i, keys[(int)(i % senders)], firstNonce + i / senders, builder, buffer, offset + 2);
                            buffer.putShort(offset, (short)length, ByteOrder.LITTLE_ENDIAN);
                        }
                        signed.addAndGet(last - first);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "cmt-loadgen-signer-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        out.println("loadgen: signing " + count + " transactions on " + threads + " threads");
        long lastPrintNs = startNs;
        for (final Thread worker : workers)
        {
            while (worker.isAlive())
            {
                try
                {
                    worker.join(200);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while signing", ex);
                }
                final long nowNs = System.nanoTime();
                if (nowNs - lastPrintNs >= 1_000_000_000L)
                {
                    lastPrintNs = nowNs;
                    final long done = signed.get();
                    out.printf("loadgen: signed %d/%d (%.0f/s)%n", done, count, done * 1e9 / (nowNs - startNs));
                }
            }
        }
        if (null != failure.get())
        {
            throw new IllegalStateException("signing failed: " + failure.get(), failure.get());
        }
        out.printf("loadgen: signed %d in %.1f s%n", count, (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * The transaction hash of every frame, 32 bytes each in order, computed on the first call (before a run, as the
     * signatures are), so the sending loop does not hash.
     *
     * @return the hashes; transaction i's at {@code i * 32}.
     */
    public UnsafeBuffer hashes()
    {
        if (null == hashes)
        {
            final byte[] all = new byte[Math.multiplyExact((int)count, Sha256.DIGEST_LENGTH)];
            final Sha256 sha = new Sha256();
            for (long i = 0; i < count; i++)
            {
                TxHash.compute(sha, buffer, offset(i), length(i), all, (int)i * Sha256.DIGEST_LENGTH);
            }
            hashes = new UnsafeBuffer(all);
        }
        return hashes;
    }

    public long count()
    {
        return count;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param index of a transaction.
     * @return offset of its frame in {@link #buffer()}.
     */
    public int offset(final long index)
    {
        return HEADER_LENGTH + (int)(index * stride) + 2;
    }

    /**
     * @param index of a transaction.
     * @return length of its frame.
     */
    public int length(final long index)
    {
        return buffer.getShort(HEADER_LENGTH + (int)(index * stride), ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    @Override
    public void close()
    {
        if (null != mapped)
        {
            IoUtil.unmap(mapped);
        }
    }
}
