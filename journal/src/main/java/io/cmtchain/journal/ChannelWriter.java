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
}
