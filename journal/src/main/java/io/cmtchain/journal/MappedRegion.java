package io.cmtchain.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file mapped into memory in 1 GiB chunks, so that it can outgrow the 2 GiB limit of one
 * {@link MappedByteBuffer}, addressed by long offsets. Values are 8-byte aligned and never straddle a chunk.
 * Single writer; growing keeps the existing chunks mapped.
 * <p>
 * The file is not sparse: every byte it grows by is first written with zeros through its {@link FileChannel}, which
 * allocates the disk blocks and, on a full disk, fails at once with an {@link IOException} (thrown as an
 * {@link UncheckedIOException} by the growth). In a sparse file, the first write into each page of the mapping would
 * allocate its block, and on a full disk fail with a {@code SIGBUS}, which the JVM reports later, as an
 * {@code InternalError} "in a recent unsafe memory access operation". A file that was sparse when opened (made by an
 * earlier version) has its unused part allocated by {@link #allocateUnused}.
 */
final class MappedRegion implements AutoCloseable
{
    /** 1 GiB chunks. */
    static final int CHUNK_SHIFT = 30;
    private static final int ZEROS_LENGTH = 64 * 1024;

    private final int chunkShift;
    private final long chunkLength;
    private final long chunkMask;
    private final Path file;
    private final FileChannel channel;
    private final ChannelWriter writer;
    private MappedByteBuffer[] maps = new MappedByteBuffer[0];
    private UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    private long length;

    /**
     * @param file          to map, created when absent.
     * @param minimumLength the file is extended (zeros, allocated) to at least this.
     * @param writer        the file's writes go through it.
     */
    MappedRegion(final Path file, final long minimumLength, final ChannelWriter writer)
    {
        this(file, minimumLength, writer, CHUNK_SHIFT);
    }

    /**
     * @param file          to map, created when absent.
     * @param minimumLength the file is extended (zeros, allocated) to at least this.
     * @param writer        the file's writes go through it.
     * @param chunkShift    log2 of the chunk length: {@link #CHUNK_SHIFT}, or less for tests of a region of many chunks
     *                      (at least 12, a page, so that a chunk starts on a page).
     */
    MappedRegion(final Path file, final long minimumLength, final ChannelWriter writer, final int chunkShift)
    {
        if (chunkShift < 12 || chunkShift > CHUNK_SHIFT)
        {
            throw new IllegalArgumentException("chunk shift " + chunkShift + " is outside [12, " + CHUNK_SHIFT + "]");
        }
        this.chunkShift = chunkShift;
        this.chunkLength = 1L << chunkShift;
        this.chunkMask = chunkLength - 1;
        this.file = file;
        this.writer = writer;
        try
        {
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ensureLength(Math.max(minimumLength, channel.size()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file + ": " + ex.getMessage(), ex);
        }
    }

    long length()
    {
        return length;
    }

    /**
     * @param newLength the region grows (zeros, allocated) to at least this; never shrinks.
     * @throws UncheckedIOException when the file cannot grow (e.g. the disk is full); the region is as it was.
     */
    void ensureLength(final long newLength)
    {
        if (newLength <= length && length > 0)
        {
            return;
        }
        try
        {
            final long size = channel.size();
            if (size < newLength)
            {
                allocate(size, newLength);
            }
            final long mapLength = Math.max(newLength, channel.size());
            final int chunkCount = (int)((mapLength + chunkMask) >>> chunkShift);
            final int oldCount = maps.length;
            maps = Arrays.copyOf(maps, chunkCount);
            chunks = Arrays.copyOf(chunks, chunkCount);
            // The old last chunk may have been mapped short: map it again at its new length.
            final int first = oldCount == 0 ? 0 : oldCount - 1;
            for (int i = first; i < chunkCount; i++)
            {
                final long base = (long)i << chunkShift;
                final MappedByteBuffer old = maps[i];
                maps[i] = channel.map(FileChannel.MapMode.READ_WRITE, base, Math.min(chunkLength, mapLength - base));
                chunks[i] = new UnsafeBuffer(maps[i]);
                if (old != null)
                {
                    IoUtil.unmap(old);
                }
            }
            length = mapLength;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                "cannot grow " + file + " to " + newLength + " bytes: " + ex.getMessage(), ex);
        }
    }

    /**
     * Allocate the part of the file no value has been stored in yet, by writing zeros over it: a file made sparse by an
     * earlier version then has no hole where the next values go.
     *
     * @param from where the unused part begins; nothing at or after it is non-zero.
     * @throws UncheckedIOException when the space cannot be allocated (e.g. the disk is full).
     */
    void allocateUnused(final long from)
    {
        try
        {
            allocate(Math.min(from, length), length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot allocate " + file + " from byte " + from + " to its end (" + length +
                " bytes): " + ex.getMessage(), ex);
        }
    }

    /**
     * Write zeros over {@code [from, to)} of the file, one {@link ChannelWriter} write at a time. Beyond the file's
     * end, a failure leaves it longer by what was written, zeros, from where the next growth goes on.
     */
    private void allocate(final long from, final long to) throws IOException
    {
        writer.writeZeros(channel, ByteBuffer.allocate((int)Math.min(ZEROS_LENGTH, to - from)), from, to);
    }

    long getLong(final long offset)
    {
        return chunks[(int)(offset >>> chunkShift)].getLong((int)(offset & chunkMask));
    }

    void putLong(final long offset, final long value)
    {
        chunks[(int)(offset >>> chunkShift)].putLong((int)(offset & chunkMask), value);
    }

    void putLongRelease(final long offset, final long value)
    {
        chunks[(int)(offset >>> chunkShift)].putLongRelease((int)(offset & chunkMask), value);
    }

    /** Write every dirty page to the device. */
    void force()
    {
        for (final MappedByteBuffer map : maps)
        {
            map.force();
        }
    }

    @Override
    public void close()
    {
        for (final MappedByteBuffer map : maps)
        {
            IoUtil.unmap(map);
        }
        maps = new MappedByteBuffer[0];
        chunks = new UnsafeBuffer[0];
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close " + file + ": " + ex.getMessage(), ex);
        }
    }
}
