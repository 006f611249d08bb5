package io.cmtchain.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Child process: journals some blocks, then opens a queue document, writes part of an entry into it and halts
 * without closing it, as a crash in the middle of a write would.
 */
public final class PartialDocumentMain
{
    private PartialDocumentMain()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int blocks = Integer.parseInt(args[1]);
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = new ChronicleBlockJournal(
            new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20)))
        {
            fixture.appendBlocks(journal, blocks, 10);
        }
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(new DataDirectory(dir).journalDir())
            .rollCycle(RollCycles.FAST_HOURLY).blockSize(16L << 20).build();
        final ExcerptAppender appender = queue.createAppender();
        final DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().write(new byte[] {'C', 'M', 'T', 'B', 1, 2, 3, 4, 5, 6, 7, 8, 9});
        System.out.println("halting");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
