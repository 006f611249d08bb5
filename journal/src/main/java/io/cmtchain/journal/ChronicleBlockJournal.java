package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static io.cmtchain.journal.JournalEntryDescriptor.BLOCK_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.CHECKED_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.HEADER_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.HEIGHT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.LENGTH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_LAST_HEIGHT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_LENGTH;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_TORN_INDEX_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_COUNT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FEE_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FRAME_LENGTH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FRAME_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_HASH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.COMMIT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_STATUS_OFFSET;

/**
 * The block journal on a Chronicle Queue ({@code DATA/journal}, hourly cycle files): one document per block in the
 * layout of {@link JournalEntryDescriptor}, with a CRC32C over the entry, plus the height and transaction-hash
 * indexes of {@link JournalIndex}.
 * <p>
 * Opening the journal checks its tail: a torn last entry (a crash in the middle of a write) is retired with a repair
 * entry so that appending continues after the last whole block; damage anywhere else throws
 * {@link JournalCorruptedException}. The indexes are caught up, or rebuilt when the last run did not close cleanly.
 * <p>
 * {@link #append} encodes the block into a buffer of the journal (grown per block, nothing allocated per
 * transaction), reserves the disk space it goes to ({@link SpaceReservation}) and its slot in the height index
 * ({@link JournalIndex#reserveHeight}), writes it as one document, and with {@link Durability#POWER} forces the
 * written range to the device before returning. Appends, lookups and {@link #close()} belong to one thread; readers
 * from {@link #newReader()} may run on other threads, one each.
 */
public final class ChronicleBlockJournal implements BlockJournal, TransactionLookup
{
    static
    {
        ChronicleDefaults.apply();
    }

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Why a journal with an {@link #unreadableTail} cannot go on, and what to do. */
    private static final String CUT_SHORT = "a file of it was cut short or zeroed (restored or copied short, or " +
        "pages that never reached the disk), and a block appended now would be written past the entries lost, " +
        "where no reader finds it. Restore the data directory from a backup; without one, ";

    private final JournalContext context;
    private final DataDirectory dataDirectory;
    private final Durability durability;
    private final FileLock lock;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final JournalIndex index;
    private final JournalReader lookup;
    private final CRC32C crc = new CRC32C();
    private final long maxEntryLength;
    private final long minFreeBytes;
    private final java.io.File journalDir;
    private SpaceReservation reservation = new SpaceReservation();
    private DirectoryForcer journalForcer = DataDirectory::forceFiles;
    private byte[] entry = new byte[256 * 1024];
    private final UnsafeBuffer entryBuffer = new UnsafeBuffer(entry);
    private long lastHeight;
    private int lastCycle = Integer.MIN_VALUE;
    private long openScannedBlocks;
    /** Why the indexes were rebuilt at open, or null when they were trusted. */
    private String indexRebuildReason;
    private long repairedTornIndex = JournalReader.NO_TORN_ENTRY;
    /** The block in the lookup reader, 0 for none. */
    private long loadedHeight;
    private JournalCorruptedException unreadableCause;
    private boolean closed;

    /**
     * Open (or create) the journal of a data directory.
     *
     * @param context configuration; concluded here.
     * @throws JournalCorruptedException when the journal is damaged before its last entry.
     * @throws IllegalStateException     when another process has the data directory open, or it holds a salvage
     *                                   that did not finish ({@link DataDirectory#SALVAGE_MARKER_FILE}).
     */
    public ChronicleBlockJournal(final JournalContext context)
    {
        this(refuseIncompleteSalvage(context), JournalIndex.HEIGHTS_GROWTH, ChannelWriter.FILE_CHANNEL);
    }

    /**
     * A data directory that {@link JournalSalvage} was writing when it stopped holds a prefix of the blocks it was
     * copying: a node started on it would go on from the wrong block, and a replay would pass a partial chain.
     *
     * @return the context, concluded, when its directory holds no {@link DataDirectory#SALVAGE_MARKER_FILE}.
     * @throws IllegalStateException naming the directory and the marker, and what to do.
     */
    private static JournalContext refuseIncompleteSalvage(final JournalContext context)
    {
        final DataDirectory dir = context.conclude().dataDirectory();
        if (Files.exists(dir.salvageMarkerFile()))
        {
            throw new IllegalStateException("data directory " + dir.root() + " holds an unfinished cmt salvage (" +
                dir.salvageMarkerFile() + " says from where): delete the directory and run cmt salvage again");
        }
        return context;
    }

    /**
     * Open with a given growth of the height index and writer of the index's files (a test's that fails as a full
     * disk does).
     *
     * @param context       configuration; concluded here.
     * @param heightsGrowth heights the height index grows by.
     * @param indexWriter   the index's writes go through it.
     */
    ChronicleBlockJournal(final JournalContext context, final long heightsGrowth, final ChannelWriter indexWriter)
    {
        this.context = context.conclude();
        this.dataDirectory = context.dataDirectory().create();
        this.durability = context.durability();
        this.maxEntryLength = context.blockSizeBytes() / 4;
        this.minFreeBytes = context.minFreeBytes();
        this.lock = dataDirectory.lock();
        SingleChronicleQueue q = null;
        JournalIndex i = null;
        try
        {
            q = openQueue(dataDirectory.journalDir(), context.blockSizeBytes(), durability);
            i = new JournalIndex(
                dataDirectory.heightIndexFile(),
                dataDirectory.txIndexFile(),
                context.txIndexCapacity(),
                heightsGrowth,
                indexWriter);
        }
        catch (final RuntimeException ex)
        {
            closeAll(q, i);
            throw ex;
        }
        queue = q;
        index = i;
        journalDir = dataDirectory.journalDir().toFile();
        ExcerptAppender a = null;
        JournalReader l = null;
        try
        {
            // Both read the queue's files (the appender its last cycle's header): a damaged one fails here too, and
            // the queue, the index and the directory's lock are to be released then as after a failed openTail.
            a = queue.createAppender();
            l = new JournalReader(queue.createTailer(), index).recomputeHashes(false).recordsOnly(true);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(a);
            reservation.close();
            closeAll(queue, index);
            throw ex;
        }
        appender = a;
        lookup = l;
        try
        {
            openTail();
        }
        catch (final RuntimeException ex)
        {
            lookup.close();
            reservation.close();
            appender.close();
            closeAll(queue, index);
            throw ex;
        }
    }

    /**
     * @param journalDir     the queue's directory.
     * @param blockSizeBytes {@link JournalContext#blockSizeBytes()}.
     * @param durability     of appends.
     * @return the journal's Chronicle Queue there, as the journal opens it.
     */
    static SingleChronicleQueue openQueue(final Path journalDir, final long blockSizeBytes, final Durability durability)
    {
        return SingleChronicleQueueBuilder.binary(journalDir)
            .rollCycle(RollCycles.FAST_HOURLY)
            .blockSize(blockSizeBytes)
            .syncMode(durability == Durability.POWER ? SyncMode.SYNC : SyncMode.ASYNC)
            .build();
    }

    /**
     * Refuse a node that would start with its journal's file system already below the free space the journal keeps
     * ({@link JournalContext#MIN_FREE_BYTES_PROP}): it would accept transactions and stop at its first block, with
     * none of them receipted.
     *
     * @throws JournalFullException naming the free space, the space kept and the setting.
     */
    public void requireFreeSpace()
    {
        requireFreeSpace(journalDir, minFreeBytes);
    }

    /**
     * {@link #requireFreeSpace()} before the journal is opened, so that a node refused for it has written nothing to
     * its data directory but the (empty) sub-directories, which it creates to ask their file system.
     *
     * @param ctx the journal's settings, concluded.
     * @throws JournalFullException naming the free space, the space kept and the setting.
     */
    public static void requireFreeSpace(final JournalContext ctx)
    {
        requireFreeSpace(ctx.conclude().dataDirectory().create().journalDir().toFile(), ctx.minFreeBytes());
    }

    private static void requireFreeSpace(final java.io.File journalDir, final long minFreeBytes)
    {
        final long free = journalDir.getUsableSpace();
        if (free < minFreeBytes)
        {
            throw new JournalFullException("not starting: " + belowTheSpaceKept(journalDir, minFreeBytes, free) +
                "; free disk space, or lower the setting");
        }
    }

    /**
     * Open with the defaults of {@link JournalContext} for a directory and a durability.
     *
     * @param dataDirectory the node's data directory.
     * @param durability    of each append.
     * @return the open journal.
     */
    public static ChronicleBlockJournal open(final DataDirectory dataDirectory, final Durability durability)
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dataDirectory).durability(durability));
    }

    @Override
    public void append(
        final BlockHeader header, final BlockCommit commit, final BlockTransactions txs, final BlockReceipts receipts)
    {
        if (closed)
        {
            throw new IllegalStateException("journal is closed");
        }
        final long height = header.height;
        if (height != lastHeight + 1)
        {
            throw new IllegalStateException("block " + height + " appended after " + lastHeight);
        }
        final int count = txs.count();
        if (receipts.count() != count || header.txCount != count)
        {
            throw new IllegalArgumentException("block " + height + " has " + count + " transactions, " +
                receipts.count() + " receipts and a header for " + header.txCount);
        }
        if (count > TxLocation.MAX_TRANSACTIONS_PER_BLOCK)
        {
            throw new IllegalArgumentException("block " + height + " has more than " +
                TxLocation.MAX_TRANSACTIONS_PER_BLOCK + " transactions");
        }
        long frameBytes = 0;
        for (int i = 0; i < count; i++)
        {
            frameBytes += txs.length(i);
        }
        final long entryLength = JournalEntryDescriptor.blockEntryLength(commit.encodedLength(), count, frameBytes);
        if (entryLength > maxEntryLength)
        {
            throw new IllegalArgumentException("block " + height + " needs " + entryLength + " bytes, more than " +
                maxEntryLength + " (a quarter of " + JournalContext.BLOCK_SIZE_PROP + ")");
        }
        final long free = journalDir.getUsableSpace();
        if (free < minFreeBytes + entryLength)
        {
            throw new JournalFullException("block " + height + " (" + entryLength + " bytes) not appended: " +
                belowTheSpaceKept(free) + "; free disk space");
        }
        try
        {
            index.reserveHeight(height);
        }
        catch (final UncheckedIOException ex)
        {
            throw new JournalFullException("block " + height + " (" + entryLength + " bytes) not appended: the " +
                "journal's height index could not allocate disk space for it (" + ex.getMessage() + "); free disk " +
                "space", ex.getCause());
        }
        final int length = (int)entryLength;
        ensureCapacity(length);

        final UnsafeBuffer b = entryBuffer;
        b.putInt(MAGIC_OFFSET, BLOCK_MAGIC, LE);
        b.putInt(LENGTH_OFFSET, length, LE);
        b.putLong(HEIGHT_OFFSET, height, LE);
        b.putInt(TX_COUNT_OFFSET, count, LE);
        header.encode(b, HEADER_OFFSET);
        int position = COMMIT_OFFSET + commit.encode(b, COMMIT_OFFSET);
        final byte[] hashes = txs.hashes();
        for (int i = 0; i < count; i++)
        {
            final int frameLength = txs.length(i);
            b.putInt(position + TX_FRAME_LENGTH_OFFSET, frameLength, LE);
            b.putByte(position + TX_STATUS_OFFSET, (byte)receipts.status(i));
            b.putLong(position + TX_FEE_OFFSET, receipts.feeCharged(i), LE);
            b.putBytes(position + TX_HASH_OFFSET, hashes, i * 32, 32);
            final DirectBuffer frame = txs.buffer(i);
            frame.getBytes(txs.offset(i), b, position + TX_FRAME_OFFSET, frameLength);
            position += TX_FRAME_OFFSET + frameLength;
        }
        crc.reset();
        crc.update(entry, CHECKED_OFFSET, length - CHECKED_OFFSET);
        b.putInt(CRC_OFFSET, (int)crc.getValue(), LE);

        final long queueIndex = write(height, length);
        // The block is in the journal, whatever becomes of its index: it is not to be appended again.
        lastHeight = height;
        try
        {
            index.putBlock(height, queueIndex, hashes, count);
        }
        catch (final UncheckedIOException ex)
        {
            throw new JournalFullException("block " + height + " (" + length + " bytes) is in the journal, but its " +
                "transaction hashes could not be written to the index (" + ex.getMessage() + "); free disk space: " +
                "the index is rebuilt from the journal at the next start", ex.getCause());
        }
    }

    @Override
    public long lastHeight()
    {
        return lastHeight;
    }

    public Durability durability()
    {
        return durability;
    }

    public DataDirectory dataDirectory()
    {
        return dataDirectory;
    }

    public JournalContext context()
    {
        return context;
    }

    /**
     * @param height of a block.
     * @return the queue index of its entry (from the height index, no scan), or -1 when not journaled.
     */
    public long findBlock(final long height)
    {
        final long queueIndex = height > lastHeight ? JournalIndex.MISSING : index.queueIndex(height);
        return queueIndex == JournalIndex.MISSING ? -1 : queueIndex;
    }

    /**
     * Find a transaction by hash through the hash index; a candidate is confirmed against the journal's copy of
     * the full hash. The block last confirmed against is kept, so lookups in block order read each block once.
     * The same signed bytes can be in more than one block (sent again after they left the node's duplicate window):
     * every candidate is looked at, and the earliest is the answer, whatever order the index holds them in.
     * <p>
     * A candidate whose block cannot be read (damaged on disk: the journal is read only up to its snapshot at start,
     * so damage further back shows first here) can be neither confirmed nor ruled out. When it comes before every
     * block found to hold the hash, the answer is its location {@link TxLocation#unreadable(long) marked unreadable},
     * and {@link #unreadableCause()} says why; the lookup itself does not throw, and later lookups are not affected.
     *
     * @param hash   holding a 32-byte transaction hash.
     * @param offset of it.
     * @return its {@link TxLocation} (the earliest), {@link TxLocation#NOT_FOUND}, or an unreadable location.
     */
    @Override
    public long findTransaction(final byte[] hash, final int offset)
    {
        final long prefix = TxHashTable.prefix(hash, offset);
        long found = TxLocation.NOT_FOUND;
        long unreadable = TxLocation.NOT_FOUND;
        for (long probe = index.nextCandidate(prefix, 0); probe >= 0; probe = index.nextCandidate(prefix, probe + 1))
        {
            final long location = index.candidateLocation(prefix, probe);
            final long height = TxLocation.height(location);
            final int i = TxLocation.index(location);
            if (height > lastHeight || (found != TxLocation.NOT_FOUND && location >= found) ||
                (unreadable != TxLocation.NOT_FOUND && height >= TxLocation.height(unreadable)))
            {
                continue;
            }
            final JournalCorruptedException failure = load(height);
            if (failure != null)
            {
                unreadable = location;
                unreadableCause = failure;
            }
            else if (i < lookup.recordCount() && lookup.recordHashEquals(i, hash, offset))
            {
                found = location;
            }
        }
        if (unreadable != TxLocation.NOT_FOUND && (found == TxLocation.NOT_FOUND || unreadable < found))
        {
            return TxLocation.unreadable(unreadable);
        }
        return found;
    }

    /**
     * @return why the block of the last unreadable location {@link #findTransaction(byte[], int)} returned could not
     *         be read, naming the block (the queue's entry and what is wrong with it when the reader could tell).
     */
    @Override
    public JournalCorruptedException unreadableCause()
    {
        return unreadableCause;
    }

    /**
     * @param location of a transaction, from {@link #findTransaction(byte[], int)}.
     * @return its journaled {@code ReceiptStatus} code.
     * @throws IllegalArgumentException  when the journal has no such block or transaction.
     * @throws JournalCorruptedException when its block cannot be read.
     */
    @Override
    public int status(final long location)
    {
        return lookup.recordStatus(loadedIndex(location));
    }

    /**
     * @param location of a transaction, from {@link #findTransaction(byte[], int)}.
     * @return its journaled fee in µCMT.
     * @throws IllegalArgumentException  when the journal has no such block or transaction.
     * @throws JournalCorruptedException when its block cannot be read.
     */
    @Override
    public long feeCharged(final long location)
    {
        return lookup.recordFee(loadedIndex(location));
    }

    /** @return a new reader positioned before the first block; close it after use. */
    public JournalReader newReader()
    {
        return new JournalReader(queue.createTailer(), index);
    }

    /** @return blocks read when the journal was opened (all of them when the index was rebuilt). */
    public long openScannedBlocks()
    {
        return openScannedBlocks;
    }

    /** @return true when the indexes were rebuilt at open (the previous run did not close cleanly). */
    public boolean indexRebuilt()
    {
        return indexRebuildReason != null;
    }

    /**
     * @return why the indexes were rebuilt at open (not closed cleanly, damaged, of an older format version, at odds
     * with the journal), or null when they were not ({@link #indexRebuilt()}).
     */
    public String indexRebuildReason()
    {
        return indexRebuildReason;
    }

    /** @return queue index of the torn entry retired at open, or {@link JournalReader#NO_TORN_ENTRY}. */
    public long repairedTornIndex()
    {
        return repairedTornIndex;
    }

    /** @return transactions in the hash index. */
    public long indexedTransactions()
    {
        return index.transactionCount();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            lookup.close();
            appender.close();
            queue.close();
            try
            {
                forceJournal();
                index.markClean();
            }
            finally
            {
                index.close();
            }
        }
        finally
        {
            releaseLock();
        }
    }

    /**
     * Force the journal's files to the device before the index is marked clean: a clean index trusts the journal up
     * to its last height, so with {@link Durability#PROCESS} (appends in the page cache) a power cut after a clean
     * stop would otherwise find an index ahead of the journal and refuse the directory as having lost blocks.
     *
     * @throws UncheckedIOException when it cannot: the index is then not marked clean, to be rebuilt.
     */
    private void forceJournal()
    {
        try
        {
            journalForcer.force(dataDirectory.journalDir());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the journal was not forced to the device at close (" + ex.getMessage() +
                "); its indexes are left to be rebuilt from it at the next start", ex);
        }
    }

    /** Replace how a clean close forces the journal directory (a test's records or fails). */
    void journalForcer(final DirectoryForcer journalForcer)
    {
        this.journalForcer = journalForcer;
    }

    /** Forces a directory's files and the directory to the device. */
    @FunctionalInterface
    interface DirectoryForcer
    {
        /**
         * @param dir to force.
         * @throws IOException naming what could not be forced.
         */
        void force(Path dir) throws IOException;
    }

    /** Replace the space reservation (a test makes it fail as a full disk does). */
    void reservation(final SpaceReservation reservation)
    {
        this.reservation.close();
        this.reservation = reservation;
    }

    /** @param height of the block written, or -1 for the repair entry. */
    private long write(final long height, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.writePosition();
            try
            {
                reservation.reserve(appender.currentFile(), start, length);
            }
            catch (final IOException ex)
            {
                dc.rollbackOnClose();
                throw new JournalFullException((height < 0 ? "the repair entry" : "block " + height) + " (" + length +
                    " bytes) not appended: the " +
                    "journal could not allocate disk space for it in " + appender.currentFile() + " (" + ex + "); " +
                    "free disk space", ex);
            }
            bytes.write(entry, 0, length);
        }
        final long queueIndex = appender.lastIndexAppended();
        if (durability == Durability.POWER)
        {
            appender.sync();
            final int cycle = appender.cycle();
            if (cycle != lastCycle)
            {
                // A new cycle file is only durable once its directory entry is.
                DataDirectory.forceDirectory(dataDirectory.journalDir());
                lastCycle = cycle;
            }
        }
        return queueIndex;
    }

    /**
     * The index was closed cleanly at block {@code trusted}, so the journal held it then, its receipts sent; the
     * journal cannot give it now. A damaged index is rebuilt; a journal that ends before {@code trusted} lost blocks
     * and is refused (the index left as it was, so that every open refuses it), rather than continued from an earlier
     * height with blocks that differ from ones already acknowledged.
     */
    private void refuseLostBlocks(final JournalReader reader, final long trusted)
    {
        reader.rewind();
        long last = 0;
        while (reader.next())
        {
            last = reader.height();
        }
        if (last < trusted)
        {
            index.markClean();
            throw lostBlocks(last, trusted, unreadableTail(reader));
        }
        reader.rewind();
    }

    /**
     * A journal file cut short or zeroed past some entry (a file restored or copied short, or pages that never
     * reached the disk) keeps, in its header, Chronicle Queue's end past the entries that are gone: the reader stops
     * at the zeros, and the appender writes after them, where no reader reaches. A block appended then would be
     * receipted and lost (the next start refuses the journal, or replays without it), so such a journal is refused,
     * whether the index holds it to a height or not, and deleting the index is no way on from it.
     *
     * @param reader that has read the journal to its end.
     * @return what the queue says past the reader's end, or null when its end is where the reader stopped.
     */
    private String unreadableTail(final JournalReader reader)
    {
        return unreadableTail(queue, reader, journalDir);
    }

    /**
     * @param queue      the journal's queue.
     * @param reader     that has read it to its end.
     * @param journalDir named in the answer.
     * @return what the queue says past the reader's end, or null when its end is where the reader stopped.
     */
    static String unreadableTail(final SingleChronicleQueue queue, final JournalReader reader, final Object journalDir)
    {
        final long readEnd = reader.nextQueueIndex();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            final long queueEnd = queueEnd(queue, tailer);
            return queueEnd <= readEnd ? null : "Chronicle Queue's end in " + journalDir + " is at queue index " +
                Long.toHexString(queueEnd) + ", past the last it can read, " + Long.toHexString(readEnd);
        }
        catch (final RuntimeException ex)
        {
            return "Chronicle Queue cannot find its end in " + journalDir + " (" + ex.getMessage() + ")";
        }
    }

    /**
     * Chronicle Queue's end: past the last entry that the last cycle file holding one says it holds. Not
     * {@code ExcerptTailer.toEnd()}, which, when the last cycle file holds no entry (its first write rolled back on a
     * full disk, or the process killed during it), looks for one a cycle (an hour) before, recursively, one call per
     * hour back to the last entry: months after it, a StackOverflowError every start. The cycle files are walked
     * here, from the last.
     *
     * @return the queue index past the last entry, or {@link Long#MIN_VALUE} when no cycle file holds one.
     */
    private static long queueEnd(final SingleChronicleQueue queue, final ExcerptTailer tailer)
    {
        final int lastCycle = queue.lastCycle();
        if (Integer.MIN_VALUE == lastCycle)
        {
            return Long.MIN_VALUE;
        }
        for (final long cycle : queue.listCyclesBetween(queue.firstCycle(), lastCycle).descendingSet())
        {
            final long entries = tailer.excerptsInCycle((int)cycle);
            if (entries > 0)
            {
                return queue.rollCycle().toIndex((int)cycle, entries);
            }
        }
        return Long.MIN_VALUE;
    }

    /** @return the refusal of a journal with an {@link #unreadableTail} whose index holds it to no later block. */
    private JournalCorruptedException unreadable(final long last, final String tail)
    {
        return new JournalCorruptedException("the journal can be read only to block " + last + ", but " + tail +
            ": " + CUT_SHORT + salvage(last));
    }

    private JournalCorruptedException lostBlocks(final long last, final long trusted, final String tail)
    {
        return new JournalCorruptedException("the journal ends at block " + last + ", but it held block " +
            trusted + " when it was last closed cleanly (" + dataDirectory.heightIndexFile() + "): blocks " +
            (last + 1) + " to " + trusted + " are lost (a damaged, truncated or replaced journal file, or a full " +
            "disk). " + (tail == null ? "Restore the data directory from a backup; or, to go on from block " + last +
            " and give up the blocks after it, delete " + dataDirectory.indexDir() + " (rebuilt from the journal), " +
            "or " + salvage(last) : "Deleting the index is no way on: " + tail + "; " + CUT_SHORT + salvage(last)));
    }

    /** @return the way on from a journal readable to block {@code last} that leaves the directory as it is. */
    private String salvage(final long last)
    {
        return "copy " + (last == 0 ? "the genesis (no block is readable)" : last == 1 ? "block 1" :
            "blocks 1 to " + last) + " into a new data directory with 'cmt salvage --data " + dataDirectory.root() +
            " --out NEWDIR' (which leaves this one as it is) and start the node on that";
    }

    private void openTail()
    {
        boolean rebuild = !index.wasClean();
        String reason = index.untrustedReason();
        try (JournalReader reader = newReader().recomputeHashes(false))
        {
            if (!rebuild && index.lastHeight() > 0)
            {
                final long trusted = index.lastHeight();
                if (!leadsTo(reader, trusted))
                {
                    refuseLostBlocks(reader, trusted);
                    rebuild = true;
                    reason = "the height index does not match the journal at block " + trusted;
                }
            }
            if (rebuild)
            {
                index.clear();
                indexRebuildReason = reason;
                reader.rewind();
            }
            else if (index.lastHeight() > 0)
            {
                lastHeight = index.lastHeight();
            }
            while (reader.next())
            {
                final long height = reader.height();
                final BlockTransactions txs = reader.transactions();
                index.putBlock(height, reader.queueIndex(), txs.hashes(), txs.count());
                lastHeight = height;
                openScannedBlocks++;
            }
            // A rebuild trusts the journal's own end, but not below what a clean close once forced to disk: the index
            // may be dirty since because a start failed on a damaged file, or the process stopped, with the journal
            // truncated or replaced meanwhile. Nothing is written to a journal that lost blocks.
            final String tail = unreadableTail(reader);
            if (lastHeight < index.cleanHeight())
            {
                throw lostBlocks(lastHeight, index.cleanHeight(), tail);
            }
            if (tail != null)
            {
                throw unreadable(lastHeight, tail);
            }
            if (reader.tornIndex() != JournalReader.NO_TORN_ENTRY)
            {
                writeRepair(reader.tornIndex());
            }
        }
    }

    /** @return the free space and the space the journal keeps, with the setting that sets it, for a refusal. */
    private String belowTheSpaceKept(final long free)
    {
        return belowTheSpaceKept(journalDir, minFreeBytes, free);
    }

    private static String belowTheSpaceKept(final java.io.File journalDir, final long minFreeBytes, final long free)
    {
        return (free >> 20) + " MiB free on " + journalDir + ", and the journal keeps at least " +
            (minFreeBytes >> 20) + " MiB free (" + JournalContext.MIN_FREE_BYTES_PROP + ")";
    }

    /**
     * Does the height index lead to its last height's block? One marked clean may still lead elsewhere (a file
     * damaged at rest, or restored from another backup than the journal): the reader then finds another block there,
     * or no block, and says the journal is corrupted, but it is the index that is wrong. Whether the journal itself
     * is whole, the scan that follows a mismatch tells.
     */
    private static boolean leadsTo(final JournalReader reader, final long trusted)
    {
        try
        {
            return reader.seek(trusted) && reader.next() && reader.height() == trusted;
        }
        catch (final JournalCorruptedException ex)
        {
            return false;
        }
    }

    private void writeRepair(final long tornIndex)
    {
        final UnsafeBuffer b = entryBuffer;
        b.setMemory(0, REPAIR_LENGTH, (byte)0);
        b.putInt(MAGIC_OFFSET, REPAIR_MAGIC, LE);
        b.putInt(LENGTH_OFFSET, REPAIR_LENGTH, LE);
        b.putLong(REPAIR_TORN_INDEX_OFFSET, tornIndex, LE);
        b.putLong(REPAIR_LAST_HEIGHT_OFFSET, lastHeight, LE);
        crc.reset();
        crc.update(entry, CHECKED_OFFSET, REPAIR_LENGTH - CHECKED_OFFSET);
        b.putInt(CRC_OFFSET, (int)crc.getValue(), LE);
        write(-1, REPAIR_LENGTH);
        repairedTornIndex = tornIndex;
    }

    /**
     * Read block {@code height} (journaled) into the lookup reader, unless it is the one there.
     *
     * @return null when it is there, else why it cannot be read.
     */
    private JournalCorruptedException load(final long height)
    {
        if (loadedHeight == height)
        {
            return null;
        }
        // The reader's buffer is written before an entry is found whole or not: after a failed read it no longer
        // holds the block it last read, so nothing counts as loaded until a read succeeds.
        loadedHeight = 0;
        try
        {
            if (lookup.seek(height) && lookup.next() && lookup.height() == height)
            {
                loadedHeight = height;
                return null;
            }
            return new JournalCorruptedException("journal block " + height + " cannot be read, though the journal " +
                "ends at block " + lastHeight + " (no entry for it, or a damaged one with no block after it)");
        }
        catch (final JournalCorruptedException ex)
        {
            return ex;
        }
        catch (final RuntimeException ex)
        {
            return new JournalCorruptedException("journal block " + height + " cannot be read: " + ex, ex);
        }
        catch (final InternalError ex)
        {
            // Where the reader does not turn it into a corruption itself (a fault delivered after its read returned).
            return JournalReader.faulted("journal block " + height + " cannot be read", ex);
        }
    }

    /** @return the transaction index of a location, once its block is loaded; refused when the block has none. */
    private int loadedIndex(final long location)
    {
        if (location < 0)
        {
            throw new IllegalArgumentException("location " + location + " is not that of a transaction found");
        }
        final long height = TxLocation.height(location);
        if (height < 1 || height > lastHeight)
        {
            throw new IllegalArgumentException("block " + height + " is not in the journal");
        }
        final JournalCorruptedException failure = load(height);
        if (failure != null)
        {
            throw failure;
        }
        final int i = TxLocation.index(location);
        if (i >= lookup.recordCount())
        {
            throw new IllegalArgumentException("block " + height + " has " +
                lookup.recordCount() + " transactions, not " + (i + 1));
        }
        return i;
    }

    private void ensureCapacity(final int length)
    {
        if (length > entry.length)
        {
            entry = new byte[Math.max(length, entry.length * 2)];
            entryBuffer.wrap(entry);
        }
    }

    private void releaseLock()
    {
        try
        {
            lock.channel().close();
        }
        catch (final IOException ignore)
        {
            // Closing the channel releases the lock; the process is giving the directory up either way.
        }
    }

    private void closeAll(final SingleChronicleQueue q, final JournalIndex i)
    {
        try
        {
            if (i != null)
            {
                i.close();
            }
            if (q != null)
            {
                q.close();
            }
        }
        finally
        {
            releaseLock();
        }
    }
}
