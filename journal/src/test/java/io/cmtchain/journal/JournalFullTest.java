package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A block is not appended when the file system's free space would fall below cmt.journal.minFreeBytes. */
class JournalFullTest
{
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
            assertTrue(ex.getMessage().contains("block 3") && ex.getMessage().contains(JournalContext.MIN_FREE_BYTES_PROP),
                ex.getMessage());
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
    void shouldRefuseANegativeMinimum()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new JournalContext().dataDirectory(dir).minFreeBytes(-1).conclude());
    }

    private ChronicleBlockJournal open(final long minFreeBytes)
    {
        return new ChronicleBlockJournal(
            new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20).minFreeBytes(minFreeBytes));
    }
}
