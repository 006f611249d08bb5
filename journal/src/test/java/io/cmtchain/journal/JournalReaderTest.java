package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.util.Sha256;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static io.cmtchain.journal.JournalEntryDescriptor.BLOCK_MAGIC;
import static io.cmtchain.journal.JournalEntryDescriptor.CHECKED_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.COMMIT_OFFSET;
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
import static io.cmtchain.journal.JournalEntryDescriptor.TX_FRAME_LENGTH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_HASH_OFFSET;
import static io.cmtchain.journal.JournalEntryDescriptor.TX_RECORD_HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader's verdict on every kind of entry: journaled entries are copied out of a real journal, damaged or made
 * malformed (with the checksum made right again where the damage is to pass it), and written into a queue of their
 * own, which a reader without a height index reads.
 */
class JournalReaderTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int FRAME = 200;
    /** Where the first transaction record starts in an entry with an empty commit (4 bytes: no signers). */
    private static final int RECORDS = COMMIT_OFFSET + 4;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private int directories;

    @BeforeAll
    static void chronicleDefaults()
    {
        ChronicleDefaults.apply();
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
    }

    @Test
    void shouldReadEveryBlockAsJournaled()
    {
        final int[][] frames = {{FRAME, FRAME + 1, FRAME + 2}, {}, {FRAME + 3, FRAME + 4}};
        final List<byte[]> entries = journal(frames);
        final JournalReader reader = reader(entries.toArray(new byte[0][]));
        final Sha256 sha = new Sha256();
        for (int b = 0; b < frames.length; b++)
        {
            assertTrue(reader.next());
            assertEquals(b + 1, reader.height());
            assertEquals(b + 1, reader.lastHeight());
            assertEquals(b + 1, reader.header().height);
            final BlockTransactions txs = reader.transactions();
            assertEquals(frames[b].length, txs.count());
            assertEquals(frames[b].length, reader.receipts().count());
            final BlockTransactions expected = new BlockTransactions(4);
            for (int i = 0; i < frames[b].length; i++)
            {
                final byte[] frame = frame(b, i, frames[b][i]);
                final byte[] read = new byte[txs.length(i)];
                txs.buffer(i).getBytes(txs.offset(i), read);
                assertArrayEquals(frame, read, "block " + (b + 1) + " tx " + i);
                expected.add(new UnsafeBuffer(frame), 0, frame.length, sha);
                assertEquals(i % 3, reader.receipts().status(i));
                assertEquals(100L * b + i, reader.receipts().feeCharged(i));
            }
            assertArrayEquals(Arrays.copyOf(expected.hashes(), 32 * frames[b].length),
                Arrays.copyOf(txs.hashes(), 32 * frames[b].length));
        }
        assertFalse(reader.next());
        assertEquals(JournalReader.NO_TORN_ENTRY, reader.tornIndex());
        assertEquals(3, reader.blocksRead());
        assertEquals(5, reader.transactionsRead());
        // Without a height index there is nothing to seek through.
        assertFalse(reader.seek(1));
    }

    @Test
    void shouldSeekThroughTheHeightIndexAndRefuseHeightsItDoesNotHold()
    {
        try (ChronicleBlockJournal journal = open(dir.resolve("journal")))
        {
            append(journal, new int[][]{{FRAME}, {FRAME, FRAME}, {FRAME}, {}});
            try (JournalReader reader = journal.newReader())
            {
                assertTrue(reader.seek(3));
                assertEquals(2, reader.lastHeight());
                assertTrue(reader.next());
                assertEquals(3, reader.height());
                assertFalse(reader.seek(5));
                assertFalse(reader.seek(0));
                // A refused seek leaves the reader where it was.
                assertTrue(reader.next());
                assertEquals(4, reader.height());
                assertFalse(reader.next());
            }
        }
    }

    @Test
    void shouldReadAnEntryLargerThanItsBufferBetweenSmallOnes()
    {
        // 300 records of 1,045 bytes: more than the reader's first buffer of 256 KiB.
        final int[] big = new int[300];
        Arrays.fill(big, 1000);
        final int[][] frames = {{FRAME}, big, {FRAME, FRAME + 9}};
        final JournalReader reader = reader(journal(frames).toArray(new byte[0][]));
        for (int b = 0; b < frames.length; b++)
        {
            assertTrue(reader.next());
            assertEquals(b + 1, reader.height());
            final BlockTransactions txs = reader.transactions();
            assertEquals(frames[b].length, txs.count());
            final int last = txs.count() - 1;
            final byte[] read = new byte[txs.length(last)];
            txs.buffer(last).getBytes(txs.offset(last), read);
            assertArrayEquals(frame(b, last, frames[b][last]), read);
        }
        assertFalse(reader.next());
    }

    @Test
    void shouldReadABlockWhoseLastTransactionHasAnEmptyFrame()
    {
        // An empty frame cannot be hashed as a transaction: the reader trusts the stored hashes, as lookups do.
        final JournalReader reader = reader(journal(new int[][]{{FRAME, 0}}).toArray(new byte[0][]))
            .recomputeHashes(false);
        assertTrue(reader.next());
        assertEquals(2, reader.transactions().count());
        assertEquals(0, reader.transactions().length(1));
        assertFalse(reader.next());
    }

    @Test
    void shouldTakeADamagedLastEntryForATornWriteAndTheSameInTheMiddleForCorruption()
    {
        final List<byte[]> entries = journal(new int[][]{{FRAME}, {FRAME, FRAME}});
        final byte[] block1 = entries.get(0);
        final byte[] block2 = entries.get(1);

        final byte[] shortEntry = new byte[8];
        putInt(shortEntry, MAGIC_OFFSET, BLOCK_MAGIC);
        putInt(shortEntry, LENGTH_OFFSET, 8);

        final byte[] foreign = block2.clone();
        putInt(foreign, MAGIC_OFFSET, 0x58585858);

        final byte[] longer = withCrc(Arrays.copyOf(block2, block2.length + 8));

        final byte[] flipped = block2.clone();
        flipped[RECORDS + TX_HASH_OFFSET] ^= 0x21;

        final byte[] longRepair = new byte[REPAIR_LENGTH + 8];
        putInt(longRepair, MAGIC_OFFSET, REPAIR_MAGIC);
        putInt(longRepair, LENGTH_OFFSET, longRepair.length);
        withCrc(longRepair);

        final Object[][] cases = {
            {shortEntry, "entry of only 8 bytes"},
            {foreign, "not a journal entry (magic 58585858)"},
            {longer, "entry length " + longer.length + " differs from its recorded length " + block2.length},
            {flipped, "checksum mismatch"},
            {longRepair, "repair entry of " + longRepair.length + " bytes"},
        };
        for (final Object[] c : cases)
        {
            final byte[] damaged = (byte[])c[0];
            final String reason = (String)c[1];

            final Copy last = copy();
            last.append(block1);
            final long tornIndex = last.append(damaged);
            final JournalReader atEnd = last.reader();
            assertTrue(atEnd.next(), reason);
            assertFalse(atEnd.next(), reason);
            assertEquals(tornIndex, atEnd.tornIndex(), reason);
            assertEquals(1, atEnd.lastHeight(), reason);

            final Copy middle = copy();
            middle.append(block1);
            final long badIndex = middle.append(damaged);
            middle.append(block2);
            final JournalReader inMiddle = middle.reader();
            assertTrue(inMiddle.next(), reason);
            final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, inMiddle::next, reason);
            assertEquals("journal corrupted at block 2 (queue index " + Long.toHexString(badIndex) + "): " + reason +
                ", and later entries follow it", ex.getMessage());
        }
    }

    @Test
    void shouldRefuseTwoDamagedEntriesInARowEvenAtTheEnd()
    {
        final List<byte[]> entries = journal(new int[][]{{FRAME}, {FRAME}, {FRAME}});
        final Copy copy = copy();
        copy.append(entries.get(0));
        final long firstBad = copy.append(flipLastByte(entries.get(1)));
        copy.append(flipLastByte(entries.get(2)));
        final JournalReader reader = copy.reader();
        assertTrue(reader.next());
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader::next);
        assertTrue(ex.getMessage().startsWith("journal corrupted at block 2 (queue index " +
            Long.toHexString(firstBad) + "): checksum mismatch"), ex.getMessage());
    }

    @Test
    void shouldSkipATornEntryOnlyWhenTheRepairAfterItNamesIt()
    {
        final List<byte[]> entries = journal(new int[][]{{FRAME}, {FRAME}, {FRAME}});

        final Copy repaired = copy();
        repaired.append(entries.get(0));
        final long torn = repaired.append(flipLastByte(entries.get(1)));
        repaired.append(repair(torn, 1));
        repaired.append(entries.get(1));
        final JournalReader reader = repaired.reader();
        assertTrue(reader.next());
        assertTrue(reader.next());
        assertEquals(2, reader.height());
        assertFalse(reader.next());
        assertEquals(JournalReader.NO_TORN_ENTRY, reader.tornIndex());

        final Copy misnamed = copy();
        misnamed.append(entries.get(0));
        final long bad = misnamed.append(flipLastByte(entries.get(1)));
        misnamed.append(repair(bad + 1, 1));
        misnamed.append(entries.get(1));
        final JournalReader refused = misnamed.reader();
        assertTrue(refused.next());
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, refused::next);
        assertTrue(ex.getMessage().startsWith("journal corrupted at block 2 (queue index " + Long.toHexString(bad) +
            "): checksum mismatch"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnEntryThatPassesItsChecksumButIsNotTheBlockItShouldBe()
    {
        final List<byte[]> entries = journal(new int[][]{{FRAME}, {FRAME, FRAME + 1}});
        final byte[] block2 = entries.get(1);
        final int tx1 = RECORDS + TX_RECORD_HEADER_LENGTH + FRAME;

        final byte[] skipsAHeight = block2.clone();
        putLong(skipsAHeight, HEIGHT_OFFSET, 3);
        withHeader(skipsAHeight, h -> h.height = 3);

        final byte[] otherHeader = block2.clone();
        withHeader(otherHeader, h -> h.height = 9);

        final byte[] fewerThanTheHeader = block2.clone();
        putInt(fewerThanTheHeader, TX_COUNT_OFFSET, 1);

        final byte[] countTooLarge = block2.clone();
        putInt(countTooLarge, TX_COUNT_OFFSET, 20);
        withHeader(countTooLarge, h -> h.txCount = 20);

        final byte[] countNegative = block2.clone();
        putInt(countNegative, TX_COUNT_OFFSET, -1);
        withHeader(countNegative, h -> h.txCount = -1);

        final byte[] oneRecordMissing = block2.clone();
        putInt(oneRecordMissing, TX_COUNT_OFFSET, 3);
        withHeader(oneRecordMissing, h -> h.txCount = 3);

        final byte[] frameTooLong = block2.clone();
        putInt(frameTooLong, tx1 + TX_FRAME_LENGTH_OFFSET, FRAME + 2);

        final byte[] frameNegative = block2.clone();
        putInt(frameNegative, RECORDS + TX_FRAME_LENGTH_OFFSET, -5);

        final byte[] commitTooLong = block2.clone();
        putInt(commitTooLong, COMMIT_OFFSET, 100);

        final byte[] trailing = Arrays.copyOf(block2, block2.length + 7);
        putInt(trailing, LENGTH_OFFSET, trailing.length);

        final byte[] wrongHash = block2.clone();
        wrongHash[tx1 + TX_HASH_OFFSET + 5] ^= 0x10;

        final Object[][] cases = {
            {skipsAHeight, "holds block 3 where block 2 was expected"},
            {otherHeader, "header says block 9 with 2 transactions"},
            {fewerThanTheHeader, "header says block 2 with 2 transactions"},
            {countTooLarge, "transaction count 20 does not fit the entry"},
            {countNegative, "transaction count -1 does not fit the entry"},
            {oneRecordMissing, "transaction 2 runs past the entry"},
            {frameTooLong, "transaction 1 frame of " + (FRAME + 2) + " bytes runs past the entry"},
            {frameNegative, "transaction 0 frame of -5 bytes runs past the entry"},
            {commitTooLong, "commit of 100 signers does not fit " + (block2.length - COMMIT_OFFSET) + " bytes"},
            {trailing, "7 bytes after the last transaction"},
            {wrongHash, "transaction 1 stored hash "},
        };
        for (final Object[] c : cases)
        {
            final byte[] malformed = withCrc((byte[])c[0]);
            final String reason = (String)c[1];
            // Checksum-valid, so not a torn write: refused even as the last entry.
            final JournalReader reader = reader(entries.get(0), malformed);
            assertTrue(reader.next(), reason);
            final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader::next, reason);
            assertTrue(ex.getMessage().contains(reason), ex.getMessage());
            assertEquals(1, reader.lastHeight(), reason);
        }
    }

    @Test
    void shouldRefuseABlockEntryTooShortToHoldABlockEvenAsTheLastEntry()
    {
        // Whole and checksummed (a 12-byte entry checksums nothing: its CRC32C is 0), so not a torn write; but with
        // no room for a height, a header or a commit, it is no block. The reader's buffer holds block 1 when it
        // comes: nothing of that may be read as this entry's.
        final List<byte[]> entries = journal(new int[][]{{FRAME}});
        final int[] lengths = {CHECKED_OFFSET, HEIGHT_OFFSET + 8, HEADER_OFFSET, COMMIT_OFFSET + 3};
        for (final int length : lengths)
        {
            final byte[] tooShort = new byte[length];
            putInt(tooShort, MAGIC_OFFSET, BLOCK_MAGIC);
            putInt(tooShort, LENGTH_OFFSET, length);
            if (length >= HEIGHT_OFFSET + 8)
            {
                putLong(tooShort, HEIGHT_OFFSET, 2);
            }
            withCrc(tooShort);
            final String reason = "block entry of " + length + " bytes, shorter than the " + (COMMIT_OFFSET + 4) +
                " bytes of a block without signers or transactions";

            final Copy afterBlock1 = copy();
            afterBlock1.append(entries.get(0));
            final long badIndex = afterBlock1.append(tooShort);
            final JournalReader reader = afterBlock1.reader();
            assertTrue(reader.next(), reason);
            final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader::next, reason);
            assertEquals("journal corrupted at block 2 (queue index " + Long.toHexString(badIndex) + "): " + reason,
                ex.getMessage());
            assertEquals(1, reader.lastHeight(), reason);
            assertEquals(JournalReader.NO_TORN_ENTRY, reader.tornIndex(), reason);

            final JournalReader first = reader(tooShort);
            final JournalCorruptedException atStart = assertThrows(JournalCorruptedException.class, first::next,
                reason);
            assertTrue(atStart.getMessage().startsWith("journal corrupted at block 1 (queue index "),
                atStart.getMessage());
            assertTrue(atStart.getMessage().endsWith(reason), atStart.getMessage());
        }
    }

    @Test
    void shouldTrustTheStoredHashesOnlyWhenAskedTo()
    {
        final List<byte[]> entries = journal(new int[][]{{FRAME, FRAME + 1}});
        final byte[] wrongHash = entries.get(0).clone();
        final int hashAt = RECORDS + TX_RECORD_HEADER_LENGTH + FRAME + TX_HASH_OFFSET;
        wrongHash[hashAt] ^= 0x10;
        withCrc(wrongHash);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader(wrongHash)::next);
        assertTrue(ex.getMessage().contains("transaction 1 stored hash") &&
            ex.getMessage().contains("is not the hash of its frame"), ex.getMessage());

        final JournalReader trusting = reader(wrongHash).recomputeHashes(false);
        assertTrue(trusting.next());
        final byte[] hash = new byte[32];
        trusting.transactions().hash(1, hash, 0);
        assertArrayEquals(Arrays.copyOfRange(wrongHash, hashAt, hashAt + 32), hash);
    }

    @Test
    void shouldRefuseAnEntryOfTheFormatBeforeCommits()
    {
        final byte[] legacy = journal(new int[][]{{FRAME}}).get(0);
        putInt(legacy, MAGIC_OFFSET, JournalEntryDescriptor.LEGACY_BLOCK_MAGIC);
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader(legacy)::next);
        assertTrue(ex.getMessage().contains("magic CMTB"), ex.getMessage());
    }

    /** A queue of entries written as they come, each one document. */
    private final class Copy
    {
        private final SingleChronicleQueue queue;
        private final ExcerptAppender appender;

        private Copy(final Path path)
        {
            queue = queue(path);
            open.add(queue);
            appender = queue.createAppender();
            open.add(appender);
        }

        long append(final byte[] entry)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(entry);
            }
            return appender.lastIndexAppended();
        }

        JournalReader reader()
        {
            final JournalReader reader = new JournalReader(queue.createTailer(), null);
            open.add(reader);
            return reader;
        }
    }

    private Copy copy()
    {
        return new Copy(dir.resolve("copy-" + directories++));
    }

    private JournalReader reader(final byte[]... entries)
    {
        final Copy copy = copy();
        for (final byte[] entry : entries)
        {
            copy.append(entry);
        }
        return copy.reader();
    }

    /**
     * Journal blocks of made-up frames (the reader does not execute them) and return their entries' bytes.
     *
     * @param frameLengths per block, the length of each transaction's frame.
     */
    private List<byte[]> journal(final int[][] frameLengths)
    {
        final Path root = dir.resolve("source-" + directories++);
        try (ChronicleBlockJournal journal = open(root))
        {
            append(journal, frameLengths);
        }
        final List<byte[]> entries = new ArrayList<>();
        try (SingleChronicleQueue q = queue(new DataDirectory(root).journalDir());
            ExcerptTailer tailer = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return entries;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final byte[] entry = new byte[(int)bytes.readRemaining()];
                    bytes.read(entry);
                    entries.add(entry);
                }
            }
        }
    }

    private static void append(final ChronicleBlockJournal journal, final int[][] frameLengths)
    {
        final BlockHeader header = new BlockHeader();
        final BlockCommit commit = new BlockCommit();
        final BlockTransactions txs = new BlockTransactions(16);
        final BlockReceipts receipts = new BlockReceipts(16);
        final Sha256 sha = new Sha256();
        for (int b = 0; b < frameLengths.length; b++)
        {
            final int n = frameLengths[b].length;
            txs.reset();
            receipts.reset(n);
            for (int i = 0; i < n; i++)
            {
                final byte[] frame = frame(b, i, frameLengths[b][i]);
                if (frame.length == 0)
                {
                    txs.add(new UnsafeBuffer(frame), 0, 0, new byte[32], 0);
                }
                else
                {
                    txs.add(new UnsafeBuffer(frame), 0, frame.length, sha);
                }
                receipts.set(i, i % 3, 100L * b + i);
            }
            header.height = b + 1;
            header.timestampMs = 1_000L * (b + 1);
            header.txCount = n;
            journal.append(header, commit, txs, receipts);
        }
    }

    private static byte[] frame(final int block, final int tx, final int length)
    {
        final byte[] frame = new byte[length];
        for (int k = 0; k < length; k++)
        {
            frame[k] = (byte)(block * 31 + tx * 7 + k);
        }
        return frame;
    }

    private static ChronicleBlockJournal open(final Path root)
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(root).blockSizeBytes(16L << 20)
            .txIndexCapacity(64));
    }

    private static SingleChronicleQueue queue(final Path path)
    {
        return SingleChronicleQueueBuilder.binary(path).rollCycle(RollCycles.FAST_HOURLY).blockSize(16L << 20).build();
    }

    private static byte[] repair(final long tornIndex, final long lastHeight)
    {
        final byte[] entry = new byte[REPAIR_LENGTH];
        putInt(entry, MAGIC_OFFSET, REPAIR_MAGIC);
        putInt(entry, LENGTH_OFFSET, REPAIR_LENGTH);
        putLong(entry, REPAIR_TORN_INDEX_OFFSET, tornIndex);
        putLong(entry, REPAIR_LAST_HEIGHT_OFFSET, lastHeight);
        return withCrc(entry);
    }

    private static byte[] flipLastByte(final byte[] entry)
    {
        final byte[] flipped = entry.clone();
        flipped[flipped.length - 1] ^= 0x01;
        return flipped;
    }

    private static void withHeader(final byte[] entry, final Consumer<BlockHeader> change)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(entry);
        final BlockHeader header = new BlockHeader().decode(buffer, HEADER_OFFSET, BlockHeader.ENCODED_LENGTH);
        change.accept(header);
        header.encode(buffer, HEADER_OFFSET);
    }

    private static byte[] withCrc(final byte[] entry)
    {
        final CRC32C crc = new CRC32C();
        crc.update(entry, CHECKED_OFFSET, entry.length - CHECKED_OFFSET);
        putInt(entry, CRC_OFFSET, (int)crc.getValue());
        return entry;
    }

    private static void putInt(final byte[] entry, final int offset, final int value)
    {
        new UnsafeBuffer(entry).putInt(offset, value, LE);
    }

    private static void putLong(final byte[] entry, final int offset, final long value)
    {
        new UnsafeBuffer(entry).putLong(offset, value, LE);
    }
}
