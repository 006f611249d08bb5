package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.cmtchain.journal.JournalEntryDescriptor.BLOCK_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.CHECKED_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.HEADER_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.HEIGHT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.LEGACY_BLOCK_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.LENGTH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.MIN_BLOCK_LENGTH;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_LENGTH;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.REPAIR_TORN_INDEX_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_COUNT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FEE_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FRAME_LENGTH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FRAME_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_HASH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.COMMIT_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_RECORD_HEADER_LENGTH;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_STATUS_OFFSET;

/**
 * Reads blocks from the journal in height order, from the start or from a height. Each block is copied out of its
 * queue document into a buffer of this reader (the document's bytes are only valid while it is open), and the
 * block's transactions refer into that buffer until the next {@link #next()}.
 * <p>
 * Checks every entry's checksum and that heights follow each other. An entry that fails its checksum is a torn
 * write when it is the last one (the reader stops before it, {@link #tornIndex()}) or when a repair entry for it
 * follows (skipped); anywhere else it is corruption, reported by {@link JournalCorruptedException}.
 * One thread per reader.
 */
public final class JournalReader implements AutoCloseable
{
    /** Returned by {@link #tornIndex()} when the reader did not stop at a torn entry. */
    public static final long NO_TORN_ENTRY = -1;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int NONE = 0;
    private static final int BLOCK = 1;
    private static final int REPAIR = 2;
    private static final int BAD = 3;

    private final ExcerptTailer tailer;
    private final JournalIndex index;
    private final CRC32C crc = new CRC32C();
    private final Sha256 sha = new Sha256();
    private final byte[] hashScratch = new byte[32];
    private final BlockHeader header = new BlockHeader();
    private final BlockCommit commit = new BlockCommit();
    private final BlockTransactions transactions = new BlockTransactions(1024);
    private final BlockReceipts receipts = new BlockReceipts(1024);
    private byte[] entry = new byte[256 * 1024];
    private final UnsafeBuffer entryBuffer = new UnsafeBuffer(entry);
    private int entryLength;
    private long entryIndex;
    private String badReason;
    private boolean recomputeHashes = true;
    private boolean recordsOnly;
    private int[] recordOffsets = new int[1024];
    private int recordCount;
    private long expectedHeight = 1;
    private long lastHeight;
    private long height;
    private long blockIndex;
    private long tornIndex = NO_TORN_ENTRY;
    private long blocksRead;
    private long transactionsRead;

    JournalReader(final ExcerptTailer tailer, final JournalIndex index)
    {
        this.tailer = tailer;
        this.index = index;
        tailer.toStart();
    }

    /**
     * @param recompute true (the default) to hash every frame again and check it against the stored hash, so that
     *                  the transaction root check covers the frames themselves; false to trust the stored hashes.
     * @return this.
     */
    public JournalReader recomputeHashes(final boolean recompute)
    {
        this.recomputeHashes = recompute;
        return this;
    }

    /**
     * For the journal's transaction queries, which need one record of a block: the blocks read keep only where each
     * transaction record starts ({@link #recordCount()}, {@link #recordHashEquals}, {@link #recordStatus},
     * {@link #recordFee}), and {@link #transactions()} and {@link #receipts()} stay empty. Checksums, heights and the
     * records' framing are checked as for any read.
     *
     * @param only true for records only.
     * @return this.
     */
    JournalReader recordsOnly(final boolean only)
    {
        this.recordsOnly = only;
        return this;
    }

    /** @return transaction records of the block last read in {@link #recordsOnly(boolean)} mode. */
    int recordCount()
    {
        return recordCount;
    }

    /**
     * @param i      record index, below {@link #recordCount()}.
     * @param hash   holding a 32-byte transaction hash.
     * @param offset of the hash.
     * @return true when record {@code i}'s stored transaction hash is that one.
     */
    boolean recordHashEquals(final int i, final byte[] hash, final int offset)
    {
        final int at = recordOffsets[i] + TX_HASH_OFFSET;
        return Arrays.equals(entry, at, at + 32, hash, offset, offset + 32);
    }

    /** @return record {@code i}'s journaled {@code ReceiptStatus} code. */
    int recordStatus(final int i)
    {
        return entry[recordOffsets[i] + TX_STATUS_OFFSET] & 0xFF;
    }

    /** @return record {@code i}'s journaled fee in µCMT. */
    long recordFee(final int i)
    {
        return entryBuffer.getLong(recordOffsets[i] + TX_FEE_OFFSET, LE);
    }

    /**
     * Position the reader so that the next {@link #next()} reads block {@code height}, found through the height
     * index without a scan.
     *
     * @param height of a journaled block.
     * @return false when the journal has no such block.
     * @throws JournalCorruptedException naming the block when the queue cannot find its entry (its own index in the
     *                                   cycle file damaged, or the file truncated under the reader).
     */
    public boolean seek(final long height)
    {
        if (index == null)
        {
            return false;
        }
        try
        {
            final long queueIndex = index.queueIndex(height);
            if (queueIndex == JournalIndex.MISSING || !tailer.moveToIndex(queueIndex))
            {
                return false;
            }
        }
        catch (final RuntimeException ex)
        {
            throw new JournalCorruptedException("journal block " + height + " cannot be read: " + ex, ex);
        }
        catch (final InternalError ex)
        {
            throw faulted("journal block " + height + " cannot be read", ex);
        }
        expectedHeight = height;
        lastHeight = height - 1;
        tornIndex = NO_TORN_ENTRY;
        return true;
    }

    /** Position the reader before the first block. */
    public void rewind()
    {
        tailer.toStart();
        expectedHeight = 1;
        lastHeight = 0;
        tornIndex = NO_TORN_ENTRY;
    }

    /**
     * Read the next block.
     *
     * @return true when a block was read; false at the end of the journal (a torn last entry is not a block).
     * @throws JournalCorruptedException naming the block when an entry other than the last is damaged, or when the
     *                                   file faults on reading (truncated under the reader).
     */
    public boolean next()
    {
        try
        {
            return readNext();
        }
        catch (final InternalError ex)
        {
            // Thrown where the JVM gets round to it after the faulting read (a VM call, a safepoint), not at the read:
            // caught for the whole of the read of a block.
            throw faulted("journal block " + (lastHeight + 1) + " cannot be read", ex);
        }
    }

    private boolean readNext()
    {
        long pendingBad = NO_TORN_ENTRY;
        String pendingReason = null;
        while (true)
        {
            final int kind = readEntry();
            if (kind == NONE)
            {
                if (pendingBad != NO_TORN_ENTRY)
                {
                    tornIndex = pendingBad;
                }
                return false;
            }
            if (kind == REPAIR)
            {
                // A repair entry names the torn entry it retires; one met without its torn entry (after a seek)
                // is harmless.
                if (pendingBad != NO_TORN_ENTRY && repairTornIndex() != pendingBad)
                {
                    throw corrupted(pendingBad, pendingReason);
                }
                pendingBad = NO_TORN_ENTRY;
                continue;
            }
            if (kind == BAD)
            {
                if (pendingBad != NO_TORN_ENTRY)
                {
                    throw corrupted(pendingBad, pendingReason);
                }
                pendingBad = entryIndex;
                pendingReason = badReason;
                continue;
            }
            if (pendingBad != NO_TORN_ENTRY)
            {
                throw corrupted(pendingBad, pendingReason);
            }
            decodeBlock();
            return true;
        }
    }

    /** @return height of the block last read. */
    public long height()
    {
        return height;
    }

    /** @return queue index of the block last read. */
    public long queueIndex()
    {
        return blockIndex;
    }

    /**
     * @return the queue index the reader reads next: past the last entry it read (a torn one that was whole to the
     * queue included), or at an unfinished one it stopped before.
     */
    long nextQueueIndex()
    {
        return tailer.index();
    }

    /** @return header of the block last read. */
    public BlockHeader header()
    {
        return header;
    }

    /** @return commit of the block last read: the previous block's signers and their signatures. */
    public BlockCommit commit()
    {
        return commit;
    }

    /** @return transactions of the block last read, valid until the next read. */
    public BlockTransactions transactions()
    {
        return transactions;
    }

    /** @return journaled receipts of the block last read. */
    public BlockReceipts receipts()
    {
        return receipts;
    }

    /** @return the queue index of the torn last entry the reader stopped at, or {@link #NO_TORN_ENTRY}. */
    public long tornIndex()
    {
        return tornIndex;
    }

    /** @return height of the last block read, or the one before the seek position. */
    public long lastHeight()
    {
        return lastHeight;
    }

    public long blocksRead()
    {
        return blocksRead;
    }

    public long transactionsRead()
    {
        return transactionsRead;
    }

    @Override
    public void close()
    {
        tailer.close();
    }

    private int readEntry()
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return NONE;
            }
            entryIndex = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final long remaining = bytes.readRemaining();
            if (remaining > Integer.MAX_VALUE - 8)
            {
                badReason = "entry of " + remaining + " bytes";
                return BAD;
            }
            final int length = (int)remaining;
            if (length > entry.length)
            {
                entry = new byte[Math.max(length, entry.length * 2)];
                entryBuffer.wrap(entry);
            }
            bytes.read(entry, 0, length);
            entryLength = length;
        }
        catch (final JournalCorruptedException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new JournalCorruptedException("journal unreadable after block " + lastHeight + ": " + ex, ex);
        }
        return classify();
    }

    /**
     * @param what  what cannot be read.
     * @param fault the JVM's report of a fault on mapped memory (SIGBUS): a file shorter than the queue mapped it,
     *              truncated or replaced underneath the reader. Every other Error still propagates.
     * @return the corruption to throw, naming the fault.
     */
    static JournalCorruptedException faulted(final String what, final InternalError fault)
    {
        return new JournalCorruptedException(what + ": its file faulted on reading (truncated or replaced while the " +
            "journal had it open?): " + fault, fault);
    }

    private int classify()
    {
        if (entryLength < CHECKED_OFFSET)
        {
            badReason = "entry of only " + entryLength + " bytes";
            return BAD;
        }
        final int magic = entryBuffer.getInt(MAGIC_OFFSET, LE);
        if (magic == LEGACY_BLOCK_MAGIC)
        {
            throw new JournalCorruptedException("journal entry after block " + lastHeight + " is in the format " +
                "before block commits (magic CMTB): this cmtchain cannot replay it; start a fresh data directory");
        }
        if (magic != BLOCK_MAGIC && magic != REPAIR_MAGIC)
        {
            badReason = "not a journal entry (magic " + Integer.toHexString(magic) + ")";
            return BAD;
        }
        final int declared = entryBuffer.getInt(LENGTH_OFFSET, LE);
        if (declared != entryLength)
        {
            badReason = "entry length " + entryLength + " differs from its recorded length " + declared;
            return BAD;
        }
        crc.reset();
        crc.update(entry, CHECKED_OFFSET, entryLength - CHECKED_OFFSET);
        if ((int)crc.getValue() != entryBuffer.getInt(CRC_OFFSET, LE))
        {
            badReason = "checksum mismatch";
            return BAD;
        }
        if (magic == REPAIR_MAGIC)
        {
            if (entryLength != REPAIR_LENGTH)
            {
                badReason = "repair entry of " + entryLength + " bytes";
                return BAD;
            }
            return REPAIR;
        }
        return BLOCK;
    }

    private void decodeBlock()
    {
        if (entryLength < MIN_BLOCK_LENGTH)
        {
            // Whole and checksummed, so not a torn write, but no block: its height and header would be read from
            // beyond its end, the bytes of an entry read before it.
            throw malformed(expectedHeight, "block entry of " + entryLength + " bytes, shorter than the " +
                MIN_BLOCK_LENGTH + " bytes of a block without signers or transactions");
        }
        final long entryHeight = entryBuffer.getLong(HEIGHT_OFFSET, LE);
        if (entryHeight != expectedHeight)
        {
            throw new JournalCorruptedException("journal entry at queue index " + Long.toHexString(entryIndex) +
                " holds block " + entryHeight + " where block " + expectedHeight + " was expected");
        }
        final int count = entryBuffer.getInt(TX_COUNT_OFFSET, LE);
        final int recordsOffset;
        try
        {
            header.decode(entryBuffer, HEADER_OFFSET, COMMIT_OFFSET - HEADER_OFFSET);
            recordsOffset = COMMIT_OFFSET + commit.decode(entryBuffer, COMMIT_OFFSET, entryLength - COMMIT_OFFSET);
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(entryHeight, ex.getMessage());
        }
        if (count < 0 || recordsOffset + (long)count * TX_RECORD_HEADER_LENGTH > entryLength)
        {
            throw malformed(entryHeight, "transaction count " + count + " does not fit the entry");
        }
        if (header.height != entryHeight || header.txCount != count)
        {
            throw malformed(entryHeight, "header says block " + header.height + " with " + header.txCount +
                " transactions");
        }
        transactions.reset();
        receipts.reset(recordsOnly ? 0 : count);
        if (recordsOnly && count > recordOffsets.length)
        {
            recordOffsets = new int[Math.max(count, recordOffsets.length * 2)];
        }
        int position = recordsOffset;
        for (int i = 0; i < count; i++)
        {
            if (position + TX_RECORD_HEADER_LENGTH > entryLength)
            {
                throw malformed(entryHeight, "transaction " + i + " runs past the entry");
            }
            final int frameLength = entryBuffer.getInt(position + TX_FRAME_LENGTH_OFFSET, LE);
            final int frameOffset = position + TX_FRAME_OFFSET;
            if (frameLength < 0 || frameOffset + (long)frameLength > entryLength)
            {
                throw malformed(entryHeight, "transaction " + i + " frame of " + frameLength +
                    " bytes runs past the entry");
            }
            final int hashOffset = position + TX_HASH_OFFSET;
            if (recordsOnly)
            {
                recordOffsets[i] = position;
            }
            else if (recomputeHashes)
            {
                transactions.add(entryBuffer, frameOffset, frameLength, sha);
                transactions.hash(i, hashScratch, 0);
                if (!Arrays.equals(hashScratch, 0, 32, entry, hashOffset, hashOffset + 32))
                {
                    throw malformed(entryHeight, "transaction " + i + " stored hash " +
                        Hex.encode(entry, hashOffset, 32) + " is not the hash of its frame");
                }
            }
            else
            {
                transactions.add(entryBuffer, frameOffset, frameLength, entry, hashOffset);
            }
            if (!recordsOnly)
            {
                receipts.set(i, entry[position + TX_STATUS_OFFSET] & 0xFF,
                    entryBuffer.getLong(position + TX_FEE_OFFSET, LE));
            }
            position = frameOffset + frameLength;
        }
        if (position != entryLength)
        {
            throw malformed(entryHeight, (entryLength - position) + " bytes after the last transaction");
        }
        recordCount = recordsOnly ? count : 0;
        height = entryHeight;
        blockIndex = entryIndex;
        lastHeight = entryHeight;
        expectedHeight = entryHeight + 1;
        blocksRead++;
        transactionsRead += count;
    }

    private JournalCorruptedException corrupted(final long badIndex, final String reason)
    {
        return new JournalCorruptedException("journal corrupted at block " + (lastHeight + 1) + " (queue index " +
            Long.toHexString(badIndex) + "): " + reason + ", and later entries follow it");
    }

    private JournalCorruptedException malformed(final long height, final String reason)
    {
        return new JournalCorruptedException("journal corrupted at block " + height + " (queue index " +
            Long.toHexString(entryIndex) + "): " + reason);
    }

    /** @return the current entry's recorded torn index when it is a repair entry. */
    long repairTornIndex()
    {
        return entryBuffer.getLong(REPAIR_TORN_INDEX_OFFSET, LE);
    }
}
