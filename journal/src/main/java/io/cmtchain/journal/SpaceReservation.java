package io.cmtchain.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Allocates the disk space of the journal's cycle file ahead of the journal's writes into its memory mapping.
 * <p>
 * A write into a mapped page whose disk block is not yet allocated allocates it; when the disk is full that fails
 * with a {@code SIGBUS}, which the JVM reports later, as an {@code InternalError} "in a recent unsafe memory access
 * operation", possibly after {@link ChronicleBlockJournal#append} has returned and the block's receipts have left.
 * The free-space check before each append cannot close that window: another process can take the space between the
 * check and the write. So, before an entry is written, the range it goes to and {@link #AHEAD} bytes beyond it are
 * written with zeros through a {@link FileChannel}: an ordinary write, which allocates the blocks and fails at once,
 * with an {@link IOException}, when it cannot. The mapped write then lands in allocated blocks.
 * <p>
 * Only bytes at or after the entry's start, where the queue has written nothing yet, are zeroed; the queue reads a zero
 * header as the end of its data, so zeros ahead of the writer change nothing. On a copy-on-write file system (btrfs,
 * ZFS) an overwrite needs new blocks too, and the reservation narrows the window without closing it.
 * <p>
 * One appending thread.
 */
class SpaceReservation implements AutoCloseable
{
    /** Bytes reserved beyond the end of the entry being written: room for the next entries and the queue's indexes. */
    static final long AHEAD = 8L << 20;

    /** When less than this is left reserved beyond an entry, the reservation is extended. */
    static final long LOW_WATER = 2L << 20;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);
    /** Each write goes through {@link #write}, which a test overrides. */
    private final ChannelWriter writer = this::write;
    private File file;
    private FileChannel channel;
    private long reservedEnd;

    /**
     * Make sure the disk blocks of {@code [start, start + length + AHEAD)} of {@code file} are allocated, writing
     * zeros from {@code start} on where they may not be.
     *
     * @param file   the cycle file the entry is written into.
     * @param start  the entry's offset in that file; nothing has been written at or after it.
     * @param length of the entry.
     * @throws IOException when the space cannot be allocated (the disk is full); the entry must not be written.
     */
    void reserve(final File file, final long start, final long length) throws IOException
    {
        if (!file.equals(this.file))
        {
            closeChannel();
            channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE);
            this.file = file;
            reservedEnd = 0;
        }
        final long end = start + length;
        if (end + LOW_WATER <= reservedEnd)
        {
            return;
        }
        final long target = end + AHEAD;
        writer.writeZeros(channel, zeros, Math.max(start, reservedEnd), target);
        reservedEnd = target;
    }

    /** @return the end of the reserved range of the current file, 0 before the first reservation. */
    long reservedEnd()
    {
        return reservedEnd;
    }

    /**
     * One positional write of zeros; a test overrides it to fail as a full disk does.
     *
     * @return bytes written.
     */
    int write(final FileChannel channel, final ByteBuffer zeros, final long position) throws IOException
    {
        return channel.write(zeros, position);
    }

    @Override
    public void close()
    {
        closeChannel();
        file = null;
    }

    private void closeChannel()
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Only zeros were written through it; the queue's own mapping holds the file's data.
            }
            channel = null;
        }
    }
}
