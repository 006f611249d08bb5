package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal that cannot append a block (a full disk, an I/O error): no receipt of that block or of any later one
 * leaves, nothing is appended after the gap, and the node reports the failure and stops without waiting out its drain.
 */
class JournalFailureTest
{
    private static final int TXS = 2_000;
    private static final long FAILING_HEIGHT = 3;

    @TempDir
    File dataDir;

    @Test
    void shouldHoldTheFailedBlocksReceiptsAndStop() throws Exception
    {
        final FailingJournal journal = new FailingJournal();
        final StageFailureRun run = new StageFailureRun(dataDir, TXS, ctx -> ctx.blockJournal(journal));
        assertTrue(run.failure.getMessage().contains("block " + FAILING_HEIGHT), run.failure.getMessage());

        assertEquals(FAILING_HEIGHT - 1, journal.lastHeight(), "appended after the failed block");
        assertEquals(journal.transactionsJournaled, run.receipts.get(), "receipts beyond the journaled blocks");
        run.assertNoReceiptFrom(FAILING_HEIGHT);
    }

    @Test
    void shouldWarnWhenTheJournalDoesNotCloseCleanly()
    {
        final InMemoryBlockJournal inMemory = new InMemoryBlockJournal();
        final BlockJournal journal = new BlockJournal()
        {
            @Override
            public void append(
                final BlockHeader header, final BlockCommit commit, final BlockTransactions txs,
                final BlockReceipts receipts)
            {
                inMemory.append(header, commit, txs, receipts);
            }

            @Override
            public long lastHeight()
            {
                return inMemory.lastHeight();
            }

            @Override
            public void close()
            {
                throw new UncheckedIOException("the journal was not forced to the device at close (I/O error)",
                    new java.io.IOException("I/O error"));
            }
        };
        final List<String> lines = new ArrayList<>();
        Node.launch(TestChain.invokerContext(dataDir, new ArrayList<>())
            .genesisJson(DevnetGenesis.jsonWithAccounts(4))
            .blockJournal(journal)
            .log(lines::add)).close();

        assertEquals(List.of("warning: the journal did not close cleanly: the journal was not forced to the device " +
            "at close (I/O error)"), lines);
    }

    /** Appends to memory until {@link #FAILING_HEIGHT}, which fails as a full disk does. */
    private static final class FailingJournal implements BlockJournal
    {
        private final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        volatile long transactionsJournaled;

        @Override
        public void append(
            final BlockHeader header, final BlockCommit commit, final BlockTransactions txs,
            final BlockReceipts receipts)
        {
            if (FAILING_HEIGHT == header.height)
            {
                throw new UncheckedIOException(new java.io.IOException("No space left on device"));
            }
            journal.append(header, commit, txs, receipts);
            transactionsJournaled += txs.count();
        }

        @Override
        public long lastHeight()
        {
            return journal.lastHeight();
        }

        @Override
        public void close()
        {
            journal.close();
        }
    }
}
