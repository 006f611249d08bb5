package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TornEntryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCutOffAnUnfinishedDocumentAndContinueAppending() throws Exception
    {
        final Process child = ChildProcess.start(PartialDocumentMain.class, dir.toString(), "5");
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        final ChainFixture fixture = new ChainFixture();
        for (int b = 0; b < 5; b++)
        {
            fixture.nextBlock(10);
        }
        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(5, journal.lastHeight());
            fixture.appendBlocks(journal, 6, 10);
        }
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            assertFalse(journal.indexRebuilt());
            int blocks = 0;
            while (reader.next())
            {
                blocks++;
            }
            assertEquals(11, blocks);
        }
    }

    @Test
    void shouldRetireALastEntryThatFailsItsChecksumAndContinueAppending() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 5, 10);
        }
        JournalFiles.flipByteInBlock(dir, 5, 200);
        // A torn last entry comes from a crash, which leaves the index dirty (a journal closed cleanly that lost its
        // last block is refused: shouldRefuseAJournalThatLostBlocksItHeldWhenItWasClosedCleanly).
        Files.delete(new DataDirectory(dir).heightIndexFile());
        final ChainFixture replayed = new ChainFixture();
        for (int b = 0; b < 4; b++)
        {
            replayed.nextBlock(10);
        }
        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(4, journal.lastHeight());
            assertTrue(journal.repairedTornIndex() != JournalReader.NO_TORN_ENTRY);
            replayed.appendBlocks(journal, 3, 10);
        }
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            assertEquals(7, journal.lastHeight());
            assertEquals(JournalReader.NO_TORN_ENTRY, journal.repairedTornIndex());
            int blocks = 0;
            while (reader.next())
            {
                blocks++;
                assertEquals(blocks, reader.height());
            }
            assertEquals(7, blocks);
        }
    }

    @Test
    void shouldRefuseAJournalThatLostBlocksItHeldWhenItWasClosedCleanly() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 6, 10);
        }
        // Blocks 4 to 6 were appended (their receipts sent) and the journal closed cleanly; then their bytes are gone.
        JournalFiles.eraseFromBlock(dir, 4);
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, this::open);
        assertTrue(ex.getMessage().contains("ends at block 3") && ex.getMessage().contains("block 6"),
            ex.getMessage());
        // Refused again, not rebuilt quietly by the failed open.
        assertThrows(JournalCorruptedException.class, this::open);

        // The operator's way on from what is left, as the message says: the index goes, and is rebuilt.
        Files.delete(new DataDirectory(dir).heightIndexFile());
        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(3, journal.lastHeight());
            assertTrue(journal.indexRebuilt());
        }
    }

    @Test
    void shouldStopAtACorruptedMiddleEntryNamingTheBlock() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 6, 10);
        }
        JournalFiles.flipByteInBlock(dir, 3, 300);
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            assertTrue(reader.next());
            assertTrue(reader.next());
            final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, reader::next);
            assertTrue(ex.getMessage().contains("block 3"), ex.getMessage());
        }

        // With an index that must be rebuilt, the open itself reads every entry and refuses the journal.
        Files.delete(new DataDirectory(dir).heightIndexFile());
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class, this::open);
        assertTrue(ex.getMessage().contains("block 3"), ex.getMessage());
        // The failed open released the directory: a second open fails the same way, not with "in use".
        assertThrows(JournalCorruptedException.class, this::open);
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20));
    }
}
