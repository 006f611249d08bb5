package io.cmtchain.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TornEntryTest
{
    /** The start of a block entry, as far as a writer got before it died. */
    private static final byte[] PARTIAL_ENTRY = {'C', 'M', 'T', 'C', 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @TempDir
    Path dir;

    /**
     * A real crash: a child JVM halts in the middle of a document. Tagged crash (run by -Pslow): it forks a JVM;
     * {@link #shouldCutOffAnUnfinishedDocumentLeftInTheCycleFileAndContinueAppending} covers the same bytes in process
     * in the default build.
     */
    @Test
    @Tag("crash")
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
            assertEquals(JournalReader.NO_TORN_ENTRY, journal.repairedTornIndex());
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
    void shouldCutOffAnUnfinishedDocumentLeftInTheCycleFileAndContinueAppending() throws Exception
    {
        // In process, the bytes a writer that died in the middle of a document leaves: the cycle file as it is while
        // the document is open (its header marked not complete, part of an entry after it), with the queue closed
        // cleanly otherwise, as Chronicle finds it once it has released the dead writer's lock.
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 5, 10);
        }
        final Path cycleFile;
        final byte[] unfinished;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(new DataDirectory(dir).journalDir())
            .rollCycle(RollCycles.FAST_HOURLY).blockSize(16L << 20).build();
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(PARTIAL_ENTRY);
                cycleFile = appender.currentFile().toPath();
                unfinished = Files.readAllBytes(cycleFile);
                dc.rollbackOnClose();
            }
        }
        assertTrue(indexOf(unfinished, PARTIAL_ENTRY) > 0);
        Files.write(cycleFile, unfinished);

        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(5, journal.lastHeight());
            // Not a document (its header says so), so not a torn entry to retire either.
            assertEquals(JournalReader.NO_TORN_ENTRY, journal.repairedTornIndex());
            fixture.appendBlocks(journal, 2, 10);
        }
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            assertFalse(journal.indexRebuilt());
            assertEquals(7, journal.lastHeight());
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

        // Their bytes are zeros now, with the queue's end past them: a block appended would be written after the
        // zeros, where no reader finds it, so deleting the index is no way on here (see ChronicleBlockJournalTest).
        assertTrue(ex.getMessage().contains("Deleting the index is no way on"), ex.getMessage());
        Files.delete(new DataDirectory(dir).heightIndexFile());
        final JournalCorruptedException erased = assertThrows(JournalCorruptedException.class, this::open);
        assertTrue(erased.getMessage().startsWith("the journal can be read only to block 3"), erased.getMessage());
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

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length))
            {
                return i;
            }
        }
        return -1;
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20));
    }
}
