package io.cmtchain.journal;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The journal's two lookups, derived from the journal and rebuilt from it when they cannot be trusted:
 * <ul>
 * <li>{@code heights.idx}: block height to the Chronicle index of its entry, a long per height, memory-mapped.</li>
 * <li>{@code txhash.log}: for each block with transactions, a 16-byte block record then the first 8 bytes of each
 * transaction's hash in block order, appended with one sequential write per block. It backs the in-memory
 * {@link TxHashTable}, which is filled from it at open: the append path only ever writes sequentially, and a
 * transaction costs 8 bytes of it (its {@link TxLocation} is implied by the block record and its position).</li>
 * </ul>
 * <pre>
 *  heights.idx                                    txhash.log
 *  +-------------------------------+              +-------------------------------+
 *  | magic 'CMTHIDX1'              |  0           | magic 'CMTTLOG3'              |  0
 *  | clean (1) / dirty (0)         |  8           | reserved                     ...8..64
 *  | last indexed height           | 16           +-------------------------------+
 *  | height at the last clean close| 24           | block: height (i64)           | 64
 *  | reserved                     ...32..64       |                               |
 *  +-------------------------------+              |  tx count (u32)               | 72
 *  | queue index of height 1       | 64           |  CRC32C of the record (u32)   | 76
 *  | queue index of height 2       | 72           | tx 0: hash prefix (i64)       | 80
 *  | ...                           |              | tx 1: hash prefix (i64)       | 88
 *                                                 | ... next block record         |
 * </pre>
 * A block record's CRC32C covers the whole record but the CRC field itself: its height and count (bytes 0 to 11),
 * then its prefixes. A flipped bit anywhere in a record fails the check: in the height, it would otherwise move the
 * block's transactions to another block that the height-order check lets through, where lookups would not find them.
 * Format 2 ({@code 'CMTTLOG2'}, the same layout) checksummed the prefixes only and format 1 ({@code 'CMTTLOG1'}) had
 * another layout: a log of another format version is not read at all but reported as such
 * ({@link #untrustedReason()}) and rebuilt from the journal, once, in this format.
 * Crash safety: the index is marked dirty (and that mark forced to disk) when the journal opens and marked clean
 * only after both files were forced at close. A dirty index at open means the process or the machine died; the
 * index is then rebuilt from the journal, which costs one read of every entry. A clean log is still checked as it is
 * loaded (its magic and format version, block records in height order within the height index, each record's checksum,
 * the file's length) and rebuilt from the journal when it does not add up.
 * <p>
 * The height the journal held at the last clean close ({@link #cleanHeight()}) outlives the dirty mark and a rebuild:
 * the journal forced every block up to it to disk, so a journal found ending below it has lost blocks, whether the
 * index was closed cleanly since or not (a start that failed on a damaged journal file leaves it dirty, and the
 * rebuild that follows would otherwise take a journal truncated meanwhile as whole). Deleting the index gives it up.
 * <p>
 * Disk space: the height file is allocated, not sparse ({@link MappedRegion}), and the journal makes a block's slot
 * ({@link #reserveHeight}) before it writes the block, so a full disk fails the append with nothing of the block
 * written, rather than a write into the mapping after it with a {@code SIGBUS}. The log's space is not reserved
 * ahead: its length is its record count, and it is written with ordinary file writes, which fail with an
 * {@link IOException}, after the block is in the journal. When one fails, {@link #putBlock} throws with the block
 * recorded in the height file and the table but not in the log; the index is then never marked clean
 * ({@link #markClean}), so the next open rebuilds it from the journal.
 */
final class JournalIndex implements AutoCloseable
{
    static final long MISSING = 0;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int HEADER_LENGTH = 64;
    private static final long HEIGHTS_MAGIC = 0x3158444948544D43L; // "CMTHIDX1" little-endian
    private static final long TX_LOG_MAGIC = 0x33474F4C54544D43L; // "CMTTLOG3" little-endian
    /** The magic's first 7 bytes, "CMTTLOG" little-endian: the 8th is the format version. */
    private static final long TX_LOG_MAGIC_FAMILY = 0x00474F4C54544D43L;
    private static final long TX_LOG_MAGIC_FAMILY_MASK = 0x00FFFFFFFFFFFFFFL;
    private static final int CLEAN_OFFSET = 8;
    private static final int LAST_HEIGHT_OFFSET = 16;
    private static final int CLEAN_HEIGHT_OFFSET = 24;
    private static final int BLOCK_RECORD_LENGTH = 16;
    private static final int BLOCK_COUNT_OFFSET = 8;
    private static final int BLOCK_CRC_OFFSET = 12;
    private static final int PREFIX_LENGTH = 8;
    /** Heights the height file grows by when it is full: 8 MiB. */
    static final long HEIGHTS_GROWTH = 1L << 20;
    private static final int READ_CHUNK_LENGTH = 1 << 20;

    private final Path heightsFile;
    private final Path txLogFile;
    private final long heightsGrowth;
    private final ChannelWriter writer;
    private final TxHashTable table;
    private final CRC32C crc = new CRC32C();
    private MappedRegion heights;
    private FileChannel txLog;
    private long txLogLength;
    private ByteBuffer logBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer logRecords = new UnsafeBuffer(logBuffer);
    private final UnsafeBuffer hashView = new UnsafeBuffer(new byte[32]);
    private long lastHeight;
    /** The height the journal held at its last clean close: kept through a dirty mark and a rebuild. */
    private long cleanHeight;
    /** Why the index was not trusted at open, or null when it was. */
    private String untrustedReason;
    /** A write to the log failed: it lacks a block, and the index must be rebuilt at the next open. */
    private boolean logIncomplete;
    /** Keeps the table's warming loads of {@link #appendToLog} from being optimised away. */
    private long touchSink;

    /**
     * @param heightsFile       height index file.
     * @param txLogFile         transaction hash log file.
     * @param initialTxCapacity slots of the in-memory table to start with; a power of two.
     * @param heightsGrowth     heights the height file grows by, {@link #HEIGHTS_GROWTH} but in tests.
     * @param writer            both files' writes go through it, {@link ChannelWriter#FILE_CHANNEL} but in tests.
     */
    JournalIndex(
        final Path heightsFile,
        final Path txLogFile,
        final int initialTxCapacity,
        final long heightsGrowth,
        final ChannelWriter writer)
    {
        this.heightsFile = heightsFile;
        this.txLogFile = txLogFile;
        this.heightsGrowth = heightsGrowth;
        this.writer = writer;
        this.table = new TxHashTable(initialTxCapacity);
        heights = new MappedRegion(heightsFile, HEADER_LENGTH + 8 * heightsGrowth, writer);
        txLog = openLog(txLogFile);

        if (heights.getLong(0) != HEIGHTS_MAGIC)
        {
            untrustedReason = "no height index in " + heightsFile;
        }
        else if ((cleanHeight = heights.getLong(CLEAN_HEIGHT_OFFSET)) < 0)
        {
            // Not one this index wrote: no height to hold the journal to.
            cleanHeight = 0;
            untrustedReason = "the height index " + heightsFile + " is damaged (a negative height at its last clean " +
                "close)";
        }
        else if (heights.getLong(CLEAN_OFFSET) != 1)
        {
            untrustedReason = "the index was not closed cleanly (the process or the machine stopped, or a write to " +
                "it failed)";
        }
        else
        {
            lastHeight = heights.getLong(LAST_HEIGHT_OFFSET);
            // An index closed cleanly before the field was written holds 0 there: its last height is that height.
            cleanHeight = Math.max(cleanHeight, lastHeight);
            untrustedReason = loadLog();
        }
        if (untrustedReason != null)
        {
            clear();
        }
        else
        {
            // A height file from before the file was allocated is sparse beyond its last height: allocate that part
            // now (at most one growth step, 8 MiB), or a full disk faults in the mapping at a later block.
            heights.allocateUnused(heightOffset(lastHeight + 1));
        }
        // Dirty from now until a clean close: a crash at any point after this leaves a mark that forces a rebuild.
        heights.putLong(0, HEIGHTS_MAGIC);
        heights.putLong(CLEAN_OFFSET, 0);
        heights.force();
    }

    /**
     * What a height file's header says, read without opening the index (which marks it dirty): for a tool that must
     * leave a data directory as it is ({@link JournalSalvage}).
     *
     * @param heightsFile a height index file.
     * @return its header, or null when there is no such file or it is not a height index (too short, another magic).
     * @throws UncheckedIOException naming the file when it cannot be read.
     */
    static Heights readHeights(final Path heightsFile)
    {
        if (!Files.isRegularFile(heightsFile))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(heightsFile, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(CLEAN_HEIGHT_OFFSET + 8).order(LE);
            int read = 0;
            while (header.hasRemaining() && read >= 0)
            {
                read = channel.read(header);
            }
            if (header.hasRemaining() || header.getLong(0) != HEIGHTS_MAGIC)
            {
                return null;
            }
            final boolean clean = header.getLong(CLEAN_OFFSET) == 1;
            final long last = header.getLong(LAST_HEIGHT_OFFSET);
            // As the open reads it: an index closed cleanly before the field was written holds 0 there.
            final long cleanHeight = Math.max(header.getLong(CLEAN_HEIGHT_OFFSET), clean ? last : 0);
            return new Heights(clean, last, cleanHeight);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + heightsFile + ": " + ex.getMessage(), ex);
        }
    }

    /** A height file's header ({@link #readHeights}). */
    static final class Heights
    {
        /** Closed cleanly last time. */
        final boolean clean;
        /** The last height it recorded. */
        final long lastHeight;
        /** The height the journal held at the index's last clean close (0 for none). */
        final long cleanHeight;

        Heights(final boolean clean, final long lastHeight, final long cleanHeight)
        {
            this.clean = clean;
            this.lastHeight = lastHeight;
            this.cleanHeight = cleanHeight;
        }
    }

    /**
     * @return true when the files were closed cleanly last time and could be trusted at open up to the height they
     * held ({@link #untrustedReason()} is null).
     */
    boolean wasClean()
    {
        return untrustedReason == null;
    }

    /**
     * @return why the index was not trusted at open (e.g. "txhash.log is in format CMTTLOG2, ..."), or null when it
     * was ({@link #wasClean()}).
     */
    String untrustedReason()
    {
        return untrustedReason;
    }

    /**
     * @return the height the journal held when the index was last closed cleanly (0 when never, or when the index
     * was deleted): every block up to it was forced to disk then.
     */
    long cleanHeight()
    {
        return cleanHeight;
    }

    /**
     * Forget everything but {@link #cleanHeight()}, for a rebuild: the height file is made again at its first length
     * (that height kept in it, and forced), the log emptied.
     */
    void clear()
    {
        heights.close();
        try
        {
            Files.deleteIfExists(heightsFile);
            txLog.truncate(0);
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(LE);
            header.putLong(0, TX_LOG_MAGIC);
            writeFully(txLog, header, 0);
            txLogLength = HEADER_LENGTH;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot reset " + txLogFile + ": " + ex.getMessage(), ex);
        }
        heights = new MappedRegion(heightsFile, HEADER_LENGTH + 8 * heightsGrowth, writer);
        heights.putLong(0, HEIGHTS_MAGIC);
        heights.putLong(CLEAN_HEIGHT_OFFSET, cleanHeight);
        heights.force();
        lastHeight = 0;
        table.clear();
    }

    long lastHeight()
    {
        return lastHeight;
    }

    /**
     * @param height of a block.
     * @return the queue index of its entry, or {@link #MISSING}.
     */
    long queueIndex(final long height)
    {
        if (height < 1 || height > lastHeight)
        {
            return MISSING;
        }
        return heights.getLong(heightOffset(height));
    }

    /**
     * Make sure the slot of {@code height} is in the height file, its disk space allocated: when it is not, the file
     * grows by {@link #HEIGHTS_GROWTH} heights (8 MiB), rarely. The journal calls this before it writes the block, so
     * that a full disk fails the append with nothing of the block written, not the block's {@link #putBlock} after it.
     *
     * @param height of the block to be appended.
     * @throws UncheckedIOException when the file cannot grow (e.g. the disk is full); the index is as it was.
     */
    void reserveHeight(final long height)
    {
        final long offset = heightOffset(height);
        if (offset + 8 > heights.length())
        {
            heights.ensureLength(offset + 8 * heightsGrowth);
        }
    }

    /**
     * Record a block and its transactions: one slot of the height file, one write of {@code 16 + 8 * txCount}
     * bytes at the end of the log (none for a block without transactions), and the table in memory. Heights must
     * come in order; allocation-free except when a buffer or the table grows.
     *
     * @param height     of the block.
     * @param queueIndex of its entry.
     * @param hashes     32 bytes per transaction in block order.
     * @param txCount    transactions in the block.
     * @throws UncheckedIOException when the log cannot be written: the block is recorded in the height file and the
     *                              table, not in the log, and the index is left to be rebuilt at the next open.
     */
    void putBlock(final long height, final long queueIndex, final byte[] hashes, final int txCount)
    {
        reserveHeight(height);
        heights.putLong(heightOffset(height), queueIndex);
        lastHeight = height;
        heights.putLongRelease(LAST_HEIGHT_OFFSET, height);

        if (txCount > 0)
        {
            appendToLog(height, hashes, txCount);
        }
    }

    /**
     * @param prefix     the hash's first 8 bytes, as from {@link TxHashTable#prefix(byte[], int)}.
     * @param startProbe 0 for the first candidate, then the value returned before plus one.
     * @return the probe position of the next slot holding {@code prefix}, or -1 when there is none.
     */
    long nextCandidate(final long prefix, final long startProbe)
    {
        return table.nextCandidate(prefix, startProbe);
    }

    /**
     * @param prefix of the hash.
     * @param probe  as returned by {@link #nextCandidate(long, long)}.
     * @return the location stored at that probe.
     */
    long candidateLocation(final long prefix, final long probe)
    {
        return table.candidateLocation(prefix, probe);
    }

    long transactionCount()
    {
        return table.size();
    }

    /**
     * Force both files and mark the index clean; the last step of a clean close. Not after a failed write to the log:
     * the index stays marked dirty, and the next open rebuilds it from the journal.
     */
    void markClean()
    {
        if (logIncomplete)
        {
            return;
        }
        try
        {
            // With metadata: the log's length is its record count.
            txLog.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot force " + txLogFile + ": " + ex.getMessage(), ex);
        }
        heights.force();
        cleanHeight = lastHeight;
        heights.putLong(CLEAN_HEIGHT_OFFSET, cleanHeight);
        heights.putLong(CLEAN_OFFSET, 1);
        heights.force();
    }

    @Override
    public void close()
    {
        heights.close();
        BufferUtil.free(logBuffer);
        try
        {
            txLog.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close " + txLogFile + ": " + ex.getMessage(), ex);
        }
    }

    private void appendToLog(final long height, final byte[] hashes, final int txCount)
    {
        final int length = BLOCK_RECORD_LENGTH + txCount * PREFIX_LENGTH;
        if (length > logBuffer.capacity())
        {
            BufferUtil.free(logBuffer);
            logBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1);
            logRecords.wrap(logBuffer);
        }
        final UnsafeBuffer records = logRecords;
        final TxHashTable t = table;
        final long firstLocation = TxLocation.pack(height, 0);
        hashView.wrap(hashes);
        long touched = 0;
        for (int i = 0; i < txCount; i++)
        {
            final long prefix = TxHashTable.key(hashView.getLong(i * 32, LE));
            records.putLong(BLOCK_RECORD_LENGTH + i * PREFIX_LENGTH, prefix, LE);
            touched += t.touch(prefix);
        }
        touchSink = touched;
        for (int i = 0; i < txCount; i++)
        {
            t.put(records.getLong(BLOCK_RECORD_LENGTH + i * PREFIX_LENGTH, LE), firstLocation + i);
        }
        records.putLong(0, height, LE);
        records.putInt(BLOCK_COUNT_OFFSET, txCount, LE);
        records.putInt(BLOCK_CRC_OFFSET, recordChecksum(crc, logBuffer, 0, length), LE);
        logBuffer.clear().limit(length);
        try
        {
            writeFully(txLog, logBuffer, txLogLength);
        }
        catch (final IOException ex)
        {
            logIncomplete = true;
            throw new UncheckedIOException("cannot append to " + txLogFile + ": " + ex.getMessage(), ex);
        }
        txLogLength += length;
    }

    /**
     * Fill the table from a log that was closed cleanly, checking that it adds up with the height index. Read in
     * large sequential chunks: a block's records are parsed in place when the chunk holds them whole.
     *
     * @return null when the log was loaded, else why it cannot be trusted (the caller rebuilds).
     */
    private String loadLog()
    {
        try
        {
            final long size = txLog.size();
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(LE);
            if (size < HEADER_LENGTH || txLog.read(header, 0) != HEADER_LENGTH)
            {
                return txLogFile + " is " + size + " bytes long, shorter than its " + HEADER_LENGTH + "-byte header";
            }
            final long magic = header.getLong(0);
            if (magic != TX_LOG_MAGIC)
            {
                return magicMismatch(magic);
            }
            ByteBuffer chunk = ByteBuffer.allocateDirect(READ_CHUNK_LENGTH);
            final UnsafeBuffer view = new UnsafeBuffer(chunk);
            long chunkPosition = HEADER_LENGTH; // file position of chunk[0]
            int chunkLength = 0;
            long previousHeight = 0;
            long position = HEADER_LENGTH;
            while (position < size)
            {
                if (size - position < BLOCK_RECORD_LENGTH)
                {
                    return fail(position, "a partial block record of " + (size - position) + " bytes at the end");
                }
                if (position + BLOCK_RECORD_LENGTH > chunkPosition + chunkLength)
                {
                    chunkPosition = position;
                    chunkLength = fill(chunk, position, size);
                }
                int at = (int)(position - chunkPosition);
                final long height = view.getLong(at, LE);
                final int count = view.getInt(at + BLOCK_COUNT_OFFSET, LE);
                final int checksum = view.getInt(at + BLOCK_CRC_OFFSET, LE);
                final long length = BLOCK_RECORD_LENGTH + (long)count * PREFIX_LENGTH;
                if (height <= previousHeight || height > lastHeight)
                {
                    return fail(position, "height " + height + " after height " + previousHeight +
                        " (heights rise, up to the last indexed height " + lastHeight + ")");
                }
                if (count < 1 || count > TxLocation.MAX_TRANSACTIONS_PER_BLOCK || length > size - position)
                {
                    return fail(position, "count " + count + " of block " + height + " is not 1 to " +
                        TxLocation.MAX_TRANSACTIONS_PER_BLOCK + " or goes past the end of the file");
                }
                if (position + length > chunkPosition + chunkLength)
                {
                    if (length > chunk.capacity())
                    {
                        chunk = ByteBuffer.allocateDirect(Integer.highestOneBit((int)length - 1) << 1);
                        view.wrap(chunk);
                    }
                    chunkPosition = position;
                    chunkLength = fill(chunk, position, size);
                    at = 0;
                }
                if (recordChecksum(crc, chunk, at, (int)length) != checksum)
                {
                    return fail(position, "the checksum of the record of block " + height + " does not match");
                }
                final long firstLocation = TxLocation.pack(height, 0);
                for (int i = 0, p = at + BLOCK_RECORD_LENGTH; i < count; i++, p += PREFIX_LENGTH)
                {
                    final long prefix = view.getLong(p, LE);
                    if (prefix == 0)
                    {
                        return fail(position, "transaction " + i + " of block " + height + " has a hash prefix of 0");
                    }
                    table.put(prefix, firstLocation + i);
                }
                previousHeight = height;
                position += length;
            }
            txLogLength = size;
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + txLogFile + ": " + ex.getMessage(), ex);
        }
    }

    /** @return bytes of the log read into {@code chunk} from {@code position}: as many as fit, up to the end. */
    private int fill(final ByteBuffer chunk, final long position, final long size) throws IOException
    {
        final int length = (int)Math.min(chunk.capacity(), size - position);
        chunk.clear().limit(length);
        readFully(txLog, chunk, position);
        return length;
    }

    /**
     * CRC32C of the block record at {@code at} in {@code buffer}, {@code length} bytes with its prefixes: its height
     * and count, then its prefixes, i.e. all of it but the CRC field. Allocation-free; leaves the buffer's position
     * and limit anywhere.
     */
    private static int recordChecksum(final CRC32C crc, final ByteBuffer buffer, final int at, final int length)
    {
        crc.reset();
        buffer.clear().limit(at + BLOCK_CRC_OFFSET).position(at);
        crc.update(buffer);
        buffer.limit(at + length).position(at + BLOCK_RECORD_LENGTH);
        crc.update(buffer);
        return (int)crc.getValue();
    }

    private String magicMismatch(final long magic)
    {
        final char current = (char)(TX_LOG_MAGIC >>> 56);
        if ((magic & TX_LOG_MAGIC_FAMILY_MASK) != TX_LOG_MAGIC_FAMILY)
        {
            return txLogFile + " is not a transaction hash log (no 'CMTTLOG" + current + "' magic)";
        }
        final char version = (char)(magic >>> 56);
        return txLogFile + " is in format 'CMTTLOG" + version + "', " +
            (version < current ? "older than this node's" : "not this node's") + " 'CMTTLOG" + current + "'" +
            (version == '2' ? " (its block checksums do not cover the blocks' heights and counts)" : "") +
            ": rebuilt in the new format";
    }

    private String fail(final long position, final String what)
    {
        table.clear();
        return txLogFile + " does not add up at byte " + position + ": " + what;
    }

    private static FileChannel openLog(final Path file)
    {
        try
        {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += writer.write(channel, buffer, at);
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read < 0)
            {
                throw new IOException("unexpected end of file at " + at);
            }
            at += read;
        }
    }

    private static long heightOffset(final long height)
    {
        return HEADER_LENGTH + 8 * (height - 1);
    }

    @Override
    public String toString()
    {
        return "JournalIndex{" + heightsFile + ", " + txLogFile + ", lastHeight=" + lastHeight + ", tx=" +
            table.size() + "}";
    }
}
