package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay begins a block's transaction check before it finishes the block before, and still reports failures in
 * block order: a block's failed check ahead of a later block's mismatch or execution failure, and ahead of its own.
 */
class JournalReplayTest
{
    private static final int BLOCKS = 4;

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void writeJournal()
    {
        try (ChronicleBlockJournal journal = open())
        {
            new ChainFixture().appendBlocks(journal, BLOCKS, 5);
        }
    }

    @Test
    void shouldBeginEachBlockBeforeFinishingTheOneBeforeAndCompleteBlocksInOrder()
    {
        assertEquals(BLOCKS, replay(new RecordingCheck(Map.of()), new ReferenceExecutor()));
        assertEquals(List.of("begin 1", "begin 2", "finish 1", "done 1", "begin 3", "finish 2", "done 2", "begin 4",
            "finish 3", "done 3", "finish 4", "done 4"), events);
    }

    @Test
    void shouldReportABlocksFailedCheckAheadOfTheNextBlocksMismatchOrExecutionFailure()
    {
        for (final boolean throwing : new boolean[] {false, true})
        {
            events.clear();
            final RecordingCheck check = new RecordingCheck(Map.of(2L, "block 2 is badly signed"));
            final ReplayMismatchException ex = assertThrows(ReplayMismatchException.class,
                () -> replay(check, executorFailing(3, throwing)));
            assertEquals("block 2 is badly signed", ex.getMessage(), "throwing " + throwing);
            assertEquals(List.of("begin 1", "begin 2", "finish 1", "done 1", "begin 3", "finish 2", "finish 3"), events,
                "throwing " + throwing);
        }
    }

    @Test
    void shouldReportAMismatchOnlyOnceItsBlocksCheckHasPassed()
    {
        final ReplayMismatchException mismatch = assertThrows(ReplayMismatchException.class,
            () -> replay(new RecordingCheck(Map.of()), executorFailing(3, false)));
        assertTrue(mismatch.getMessage().startsWith("block 3: "), mismatch.getMessage());
        assertEquals(List.of("begin 1", "begin 2", "finish 1", "done 1", "begin 3", "finish 2", "done 2", "finish 3"),
            events);

        events.clear();
        final ReplayMismatchException checked = assertThrows(ReplayMismatchException.class,
            () -> replay(new RecordingCheck(Map.of(3L, "block 3 is badly signed")), executorFailing(3, false)));
        assertEquals("block 3 is badly signed", checked.getMessage());
    }

    @Test
    void shouldReportTheLastBlocksFailedCheck()
    {
        final ReplayMismatchException ex = assertThrows(ReplayMismatchException.class,
            () -> replay(new RecordingCheck(Map.of((long)BLOCKS, "the last block is badly signed")),
                new ReferenceExecutor()));
        assertEquals("the last block is badly signed", ex.getMessage());
        assertEquals("finish 4", events.get(events.size() - 1));
    }

    @Test
    void shouldReportAJournaledReceiptThatReplayDoesNotReproduce() throws Exception
    {
        // Block 2's first transaction record's status byte, rewritten with the entry's checksum made right: the
        // header's receipts root is what replay computes, so only the comparison with the journaled receipts sees it.
        final int commitSigners = 24 + BlockHeader.ENCODED_LENGTH;
        final int firstStatus = commitSigners + 4 + 4;
        JournalFiles.forgeByteInBlock(dir, 2, firstStatus, ReceiptStatus.BAD_NONCE.value());
        final ReplayMismatchException ex = assertThrows(ReplayMismatchException.class,
            () -> replay(null, new ReferenceExecutor()));
        assertTrue(ex.getMessage().matches(
            "block 2: transaction 0 journaled as BAD_NONCE \\(fee (\\d+)\\) but replays as OK \\(fee \\1\\)"),
            ex.getMessage());
        assertEquals(List.of("done 1"), events);
    }

    private long replay(final JournalReplay.TransactionCheck check, final BlockExecutor executor)
    {
        final Chain chain = new Chain(Genesis.parse(ChainFixture.GENESIS_JSON).createState(7), 0, new byte[32]);
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            return new JournalReplay().transactionCheck(check).run(reader, chain, executor,
                (height, transactions) -> events.add("done " + height));
        }
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(
            new JournalContext().dataDirectory(new DataDirectory(dir)).blockSizeBytes(16L << 20));
    }

    /**
     * @param height of the block it gets wrong.
     * @param throwing true to throw there, false to give one receipt a status other than the journaled one.
     * @return the reference executor, but for that block.
     */
    private static BlockExecutor executorFailing(final long height, final boolean throwing)
    {
        final ReferenceExecutor reference = new ReferenceExecutor();
        return new BlockExecutor()
        {
            @Override
            public void execute(
                final ChainState state, final long at, final BlockTransactions txs, final BlockReceipts receipts)
            {
                if (at == height && throwing)
                {
                    throw new IllegalStateException("execution failed at block " + at);
                }
                reference.execute(state, at, txs, receipts);
                if (at == height)
                {
                    receipts.set(0, receipts.status(0) + 1, receipts.feeCharged(0));
                }
            }

            @Override
            public void commit(final ChainState state)
            {
                reference.commit(state);
            }
        };
    }

    /** Records begin and finish; finishes blocks in the order begun, failing those it is told to. */
    private final class RecordingCheck implements JournalReplay.TransactionCheck
    {
        private final Map<Long, String> failures;
        private final ArrayDeque<Long> begun = new ArrayDeque<>();

        RecordingCheck(final Map<Long, String> failures)
        {
            this.failures = failures;
        }

        @Override
        public void begin(final long height, final BlockTransactions txs)
        {
            assertTrue(begun.size() < 2, "a third block begun");
            begun.add(height);
            events.add("begin " + height);
        }

        @Override
        public String finish()
        {
            final long height = begun.remove();
            events.add("finish " + height);
            return failures.get(height);
        }
    }
}
