package io.cmtchain.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One positional write to a file: {@link FileChannel#write(ByteBuffer, long)} ({@link #FILE_CHANNEL}), or a test's
 * that fails as a full disk does. The writes of {@link JournalIndex} and its {@link MappedRegion} go through one.
 */
@FunctionalInterface
interface ChannelWriter
{
    /** The channel's own write. */
    ChannelWriter FILE_CHANNEL = FileChannel::write;

    /**
     * @param channel  to write to.
     * @param source   bytes from its position to its limit; its position is advanced by the bytes written.
     * @param position in the file of the first byte.
     * @return bytes written.
     * @throws IOException when the write fails, e.g. for want of disk space.
     */
    int write(FileChannel channel, ByteBuffer source, long position) throws IOException;

    /**
     * Write zeros over {@code [from, to)} of the channel's file, through {@link #write}, as many writes as it takes:
     * the way the journal allocates disk blocks ahead of writes into a mapping.
     *
     * @param channel to write to.
     * @param zeros   a buffer of zeros, whose capacity is the most written at once.
     * @param from    first byte.
     * @param to      end, exclusive.
     * @throws IOException when a write fails; the bytes before it are written.
     */
    default void writeZeros(final FileChannel channel, final ByteBuffer zeros, final long from, final long to)
        throws IOException
    {
        long position = from;
        while (position < to)
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), to - position));
            position += write(channel, zeros, position);
        }
    }
}
