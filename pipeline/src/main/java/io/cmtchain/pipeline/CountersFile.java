package io.cmtchain.pipeline;

import io.cmtchain.transport.loadgen.FileArguments;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's counters in a memory-mapped file, {@code <data>/cmt-counters.dat}, that another process (such as
 * {@code cmt stat}) maps read only while the node runs, as Aeron's tools read its CnC file.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         magic 'CMTC'                          |  0  written last: the file is ready
 *  +---------------------------------------------------------------+
 *  |                           version                             |  4
 *  +---------------------------------------------------------------+
 *  |                         owner pid (64)                        |  8
 *  +---------------------------------------------------------------+
 *  |                     start time, epoch ms (64)                 | 16
 *  +---------------------------------------------------------------+
 *  |                      metadata buffer length                   | 24
 *  +---------------------------------------------------------------+
 *  |                       values buffer length                    | 28
 *  +---------------------------------------------------------------+
 *  |                      padding to 128 bytes                   ...
 *  +---------------------------------------------------------------+
 *  |              Agrona counters metadata buffer                ... 128
 *  +---------------------------------------------------------------+
 *  |              Agrona counters values buffer                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CountersFile implements AutoCloseable
{
    /** File name within the data directory. */
    public static final String FILENAME = "cmt-counters.dat";
    public static final int MAGIC = 0x434D5443;
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int PID_OFFSET = 8;
    public static final int START_MS_OFFSET = 16;
    public static final int METADATA_LENGTH_OFFSET = 24;
    public static final int VALUES_LENGTH_OFFSET = 28;
    public static final int HEADER_LENGTH = 128;
    /** A process start time is known to about a second (the boot time it is reckoned from is in whole seconds). */
    private static final long OWNER_START_SLACK_MS = 5_000;

    private final File file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metadata;
    private final UnsafeBuffer values;

    private CountersFile(
        final File file, final MappedByteBuffer mapped, final int metadataLength, final int valuesLength)
    {
        this.file = file;
        this.mapped = mapped;
        header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
    }

    /**
     * Create (or replace) the counters file of a node.
     *
     * @param dataDir     the node's data directory.
     * @param maxCounters room for this many counters.
     * @param startMs     start time of the node.
     * @return the file, its magic not yet written; call {@link #ready()} once the counters are allocated.
     */
    public static CountersFile create(final File dataDir, final int maxCounters, final long startMs)
    {
        final File file = new File(dataDir, FILENAME);
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        try
        {
            java.nio.file.Files.deleteIfExists(file.toPath());
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("cannot replace " + file + ": " + (file.isDirectory() ?
                "a directory of that name is in the way" : FileArguments.reason(ex)), ex);
        }
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file, HEADER_LENGTH + metadataLength + valuesLength);
        final CountersFile countersFile = new CountersFile(file, mapped, metadataLength, valuesLength);
        countersFile.header.putInt(VERSION_OFFSET, VERSION);
        countersFile.header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        countersFile.header.putLong(START_MS_OFFSET, startMs);
        countersFile.header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        countersFile.header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        return countersFile;
    }

    /**
     * Map an existing counters file read only.
     *
     * @param dataDir the node's data directory.
     * @return the file, or null when there is none or it is not (yet) a complete counters file.
     */
    public static CountersFile openReadOnly(final File dataDir)
    {
        final File file = new File(dataDir, FILENAME);
        if (!file.isFile() || file.length() < HEADER_LENGTH)
        {
            return null;
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, FileChannel.MapMode.READ_ONLY, "counters");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION ||
            metadataLength < 0 || valuesLength < 0 ||
            (long)HEADER_LENGTH + metadataLength + valuesLength > mapped.capacity())
        {
            IoUtil.unmap(mapped);
            return null;
        }
        return new CountersFile(file, mapped, metadataLength, valuesLength);
    }

    /** Publish the magic: readers may use the file from now on. */
    public void ready()
    {
        header.putIntRelease(MAGIC_OFFSET, MAGIC);
    }

    /** @return a manager to allocate counters with (writer side only). */
    public CountersManager newManager()
    {
        return new CountersManager(metadata, values);
    }

    /** @return a reader of the counters. */
    public CountersReader newReader()
    {
        return new CountersReader(metadata, values);
    }

    public File file()
    {
        return file;
    }

    /** @return pid of the node that created the file. */
    public long ownerPid()
    {
        return header.getLong(PID_OFFSET);
    }

    public long startMs()
    {
        return header.getLong(START_MS_OFFSET);
    }

    /**
     * @return true while the process that created the file is alive: a live process with its pid that started after
     *         the file's start time (beyond the few seconds' error of a process start time) is another one that got
     *         the pid later, such as after a reboot.
     */
    public boolean isOwnerAlive()
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(ownerPid());
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        final Optional<Instant> started = process.get().info().startInstant();
        return started.isEmpty() || started.get().toEpochMilli() <= startMs() + OWNER_START_SLACK_MS;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    /**
     * Unmap and delete the file: a node that failed to start leaves no counters file behind, which {@code cmt stat}
     * would otherwise take for a node still starting.
     */
    public void discard()
    {
        close();
        if (file.exists() && !file.delete())
        {
            file.deleteOnExit();
        }
    }
}
