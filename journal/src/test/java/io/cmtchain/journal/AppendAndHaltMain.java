package io.cmtchain.journal;

import java.nio.file.Path;

/**
 * Child process: appends blocks and halts without closing the journal, as a crash of the node would, leaving the
 * index marked dirty.
 */
public final class AppendAndHaltMain
{
    private AppendAndHaltMain()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int blocks = Integer.parseInt(args[1]);
        final ChainFixture fixture = new ChainFixture();
        final ChronicleBlockJournal journal = new ChronicleBlockJournal(
            new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20).txIndexCapacity(64));
        fixture.appendBlocks(journal, blocks, 10);
        System.out.println("halting at " + journal.lastHeight());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
