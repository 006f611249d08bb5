package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A block is not appended when the file system's free space would fall below cmt.journal.minFreeBytes. */
class JournalFullTest
{
    private static final int HEIGHTS_GROWTH = 4;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseABlockThatWouldLeaveLessThanTheKeptFreeSpaceAndWriteNothingOfIt()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open(0))
        {
            fixture.appendBlocks(journal, 2, 10);
        }
        final long free = dir.toFile().getUsableSpace();
        fixture.nextBlock(10);
        try (ChronicleBlockJournal journal = open(free + (1L << 30)))
        {
            final JournalFullException ex = assertThrows(JournalFullException.class,
                () -> journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts));
            assertTrue(ex.getMessage().contains("block 3") &&
                ex.getMessage().contains(JournalContext.MIN_FREE_BYTES_PROP), ex.getMessage());
            assertEquals(2, journal.lastHeight());
        }
        // Nothing of block 3 was written: with room again, it is appended as block 3.
        try (ChronicleBlockJournal journal = open(0))
        {
            assertEquals(2, journal.lastHeight());
            journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            assertEquals(3, journal.lastHeight());
        }
        try (ChronicleBlockJournal journal = open(0); JournalReader reader = journal.newReader())
        {
            int blocks = 0;
            while (reader.next())
            {
                blocks++;
            }
            assertEquals(3, blocks);
        }
    }

    @Test
    void shouldRefuseToStartANodeBelowTheKeptFreeSpaceYetStillOpenTheJournalToRead()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open(0))
        {
            fixture.appendBlocks(journal, 2, 10);
            journal.requireFreeSpace();
        }
        final long free = dir.toFile().getUsableSpace();
        try (ChronicleBlockJournal journal = open(free + (1L << 30)))
        {
            final JournalFullException ex = assertThrows(JournalFullException.class, journal::requireFreeSpace);
            assertTrue(ex.getMessage().startsWith("not starting: ") &&
                ex.getMessage().contains(" MiB free on " + dir.resolve("journal")) &&
                ex.getMessage().contains("keeps at least " + ((free + (1L << 30)) >> 20) + " MiB free (" +
                JournalContext.MIN_FREE_BYTES_PROP + ")"), ex.getMessage());
            // The free space it names, in MiB, is what the file system reported then (others may write meanwhile).
            final long named = Long.parseLong(ex.getMessage().substring("not starting: ".length(),
                ex.getMessage().indexOf(" MiB free on ")));
            assertTrue(Math.abs(named - (free >> 20)) < 4096, named + " MiB named, " + (free >> 20) + " MiB free");
            // Replay and recovery read it all the same.
            assertEquals(2, journal.lastHeight());
        }
    }

    @Test
    void shouldWriteEachEntryIntoTheSpaceReservedForIt() throws IOException
    {
        final ChainFixture fixture = new ChainFixture();
        final SpaceReservationTest.Recording reservation = new SpaceReservationTest.Recording();
        final List<long[]> entries = new ArrayList<>();
        final List<File> files = new ArrayList<>();
        try (ChronicleBlockJournal journal = open(0))
        {
            journal.reservation(new SpaceReservation()
            {
                @Override
                void reserve(final File file, final long start, final long length) throws IOException
                {
                    reservation.reserve(file, start, length);
                    files.add(file);
                    entries.add(new long[]{ start, length, reservation.reservedEnd() });
                }
            });
            fixture.appendBlocks(journal, 3, 50);
        }
        assertEquals(3, entries.size());
        for (int i = 0; i < 3; i++)
        {
            final long[] e = entries.get(i);
            assertTrue(e[0] + e[1] + SpaceReservation.LOW_WATER <= e[2], "reserved beyond block " + (i + 1));
            // The start handed to the reservation is the entry's offset in the cycle file.
            final ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel channel = FileChannel.open(files.get(i).toPath(), StandardOpenOption.READ))
            {
                channel.read(head, e[0]);
            }
            assertEquals(JournalEntryDescriptor.BLOCK_MAGIC, head.getInt(JournalEntryDescriptor.MAGIC_OFFSET));
            assertEquals(e[1], head.getInt(JournalEntryDescriptor.LENGTH_OFFSET));
            assertEquals(i + 1, head.getLong(JournalEntryDescriptor.HEIGHT_OFFSET));
        }
    }

    @Test
    void shouldRefuseABlockWhoseSpaceCannotBeAllocatedAndAppendItOnceItCan()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open(0))
        {
            fixture.appendBlocks(journal, 2, 10);
            // A new reservation has nothing reserved, so block 3 needs new space: the disk has none.
            final SpaceReservationTest.Recording full = new SpaceReservationTest.Recording();
            full.failAt = 0;
            journal.reservation(full);
            fixture.nextBlock(10);
            final JournalFullException ex = assertThrows(JournalFullException.class,
                () -> journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts));
            assertTrue(ex.getMessage().contains("block 3") && ex.getMessage().contains("could not allocate"),
                ex.getMessage());
            assertTrue(ex.getCause() instanceof IOException);
            assertEquals(2, journal.lastHeight());

            full.failAt = Long.MAX_VALUE;
            journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            assertEquals(3, journal.lastHeight());
        }
        try (ChronicleBlockJournal journal = open(0); JournalReader reader = journal.newReader())
        {
            long height = 0;
            while (reader.next())
            {
                assertEquals(++height, reader.height());
            }
            assertEquals(3, height, "the refused block left nothing behind; its retry is block 3");
        }
    }

    @Test
    void shouldRefuseABlockWhoseHeightSlotCannotBeAllocatedAndLeaveNothingOfIt()
    {
        final ChainFixture fixture = new ChainFixture();
        final MappedRegionTest.RecordingWriter disk = new MappedRegionTest.RecordingWriter();
        try (ChronicleBlockJournal journal = open(disk))
        {
            final JournalFullException ex = refuseTheBlockThatNeedsTheHeightFileToGrow(journal, disk, fixture);
            assertTrue(ex.getMessage().contains("block 5") && ex.getMessage().contains("not appended") &&
                ex.getMessage().contains(DataDirectory.HEIGHT_INDEX_FILE), ex.getMessage());
            assertTrue(ex.getCause() instanceof IOException);
            assertEquals(-1, journal.findBlock(5));
        }
        // Nothing of block 5 was written: with room again, it is appended as block 5.
        try (ChronicleBlockJournal journal = open(0))
        {
            assertEquals(4, journal.lastHeight());
            journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            assertEquals(5, journal.lastHeight());
        }
        assertBlocks(5);
    }

    @Test
    void shouldAppendOnOnceTheHeightSlotCanBeAllocated()
    {
        final ChainFixture fixture = new ChainFixture();
        final MappedRegionTest.RecordingWriter disk = new MappedRegionTest.RecordingWriter();
        try (ChronicleBlockJournal journal = open(disk))
        {
            refuseTheBlockThatNeedsTheHeightFileToGrow(journal, disk, fixture);

            disk.failing = false;
            journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            // On past one more growth.
            fixture.appendBlocks(journal, HEIGHTS_GROWTH, 10);
            assertEquals(9, journal.lastHeight());
            for (long height = 1; height <= 9; height++)
            {
                assertTrue(journal.findBlock(height) != -1, "block " + height + " indexed");
            }
        }
        assertBlocks(9);
    }

    @Test
    void shouldSayABlockIsInTheJournalWhenItsHashesCannotBeWrittenAndRebuildTheIndexAtTheNextOpen()
    {
        final ChainFixture fixture = new ChainFixture();
        final MappedRegionTest.RecordingWriter disk = new MappedRegionTest.RecordingWriter();
        final byte[] hash = new byte[32];
        try (ChronicleBlockJournal journal = open(disk))
        {
            fixture.appendBlocks(journal, 2, 10);
            // Block 3's slot is allocated already: the only write that fails is that of its hashes to the log.
            disk.failing = true;
            fixture.nextBlock(10);
            fixture.txs.hash(0, hash, 0);
            final JournalFullException ex = assertThrows(JournalFullException.class,
                () -> journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts));
            assertTrue(ex.getMessage().contains("block 3") && ex.getMessage().contains("is in the journal") &&
                ex.getMessage().contains(DataDirectory.TX_INDEX_FILE), ex.getMessage());
            assertTrue(ex.getCause() instanceof IOException);
            assertEquals(3, journal.lastHeight(), "the block is in the journal");

            disk.failing = false;
            final IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts));
            assertTrue(again.getMessage().contains("block 3 appended after 3"), again.getMessage());
            assertEquals(TxLocation.pack(3, 0), journal.findTransaction(hash, 0));
            fixture.appendBlocks(journal, 1, 10);
            assertEquals(4, journal.lastHeight());
        }
        try (ChronicleBlockJournal journal = open(0))
        {
            assertTrue(journal.indexRebuilt(), "the log lacks block 3: the index was left dirty");
            assertEquals(4, journal.lastHeight());
            assertEquals(TxLocation.pack(3, 0), journal.findTransaction(hash, 0));
        }
        assertBlocks(4);
    }

    @Test
    void shouldAllocateTheUnusedPartOfAHeightFileLeftSparseByAnEarlierVersionAtOpen() throws IOException
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open(new MappedRegionTest.RecordingWriter()))
        {
            fixture.appendBlocks(journal, 2, 10);
        }
        // As an earlier version left it: written up to block 2's slot, a hole from there to the end.
        final Path heights = new DataDirectory(dir).heightIndexFile();
        final long length = java.nio.file.Files.size(heights);
        final long used = 64 + 8 * 2;
        try (FileChannel channel = FileChannel.open(heights, StandardOpenOption.WRITE))
        {
            channel.truncate(used);
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(heights.toFile(), "rw"))
        {
            file.setLength(length);
        }
        final MappedRegionTest.RecordingWriter disk = new MappedRegionTest.RecordingWriter();
        try (ChronicleBlockJournal journal = open(disk))
        {
            assertTrue(!journal.indexRebuilt(), "the index was closed cleanly");
            disk.assertCovered(0, used, length);
            assertEquals(2, journal.lastHeight());
            fixture.appendBlocks(journal, 1, 10);
            assertTrue(journal.findBlock(3) != -1, "block 3 indexed");
        }
        assertBlocks(3);
    }

    @Test
    void shouldRefuseANegativeMinimum()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new JournalContext().dataDirectory(dir).minFreeBytes(-1).conclude());
    }

    /**
     * The height file has room for {@link #HEIGHTS_GROWTH} heights: append that many blocks, then block 5, which
     * needs the file to grow, on a full disk.
     *
     * @return the refusal of block 5, after which the journal still ends at block 4.
     */
    private static JournalFullException refuseTheBlockThatNeedsTheHeightFileToGrow(
        final ChronicleBlockJournal journal, final MappedRegionTest.RecordingWriter disk, final ChainFixture fixture)
    {
        fixture.appendBlocks(journal, HEIGHTS_GROWTH, 10);
        disk.failing = true;
        fixture.nextBlock(10);
        final JournalFullException ex = assertThrows(JournalFullException.class,
            () -> journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts));
        assertEquals(HEIGHTS_GROWTH, journal.lastHeight());
        return ex;
    }

    private void assertBlocks(final long blocks)
    {
        try (ChronicleBlockJournal journal = open(0); JournalReader reader = journal.newReader())
        {
            assertEquals(blocks, journal.lastHeight());
            long height = 0;
            while (reader.next())
            {
                assertEquals(++height, reader.height());
            }
            assertEquals(blocks, height);
        }
    }

    /** A journal whose index grows by {@link #HEIGHTS_GROWTH} heights and writes through {@code disk}. */
    private ChronicleBlockJournal open(final ChannelWriter disk)
    {
        return new ChronicleBlockJournal(
            new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20).minFreeBytes(0), HEIGHTS_GROWTH, disk);
    }

    private ChronicleBlockJournal open(final long minFreeBytes)
    {
        return new ChronicleBlockJournal(
            new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20).minFreeBytes(minFreeBytes));
    }
}
