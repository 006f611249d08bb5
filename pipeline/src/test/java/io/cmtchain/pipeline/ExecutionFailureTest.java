package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A block whose execution throws, after it has changed the state: the node stops with the failure; the block is not
 * executed again on top of its first, partial, run, nor journaled, and none of its receipts leaves.
 */
class ExecutionFailureTest
{
    private static final int TXS = 2_000;
    private static final long FAILING_HEIGHT = 3;

    @TempDir
    File dataDir;

    @Test
    void shouldStopAtABlockWhoseExecutionThrowsAndNeverApplyItAgain() throws Exception
    {
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final ThrowingOnce executor = new ThrowingOnce();
        final StageFailureRun run = new StageFailureRun(dataDir, TXS,
            ctx -> ctx.blockJournal(journal).blockExecutor(executor));
        assertTrue(run.failure.getMessage().startsWith("block " + FAILING_HEIGHT + " could not be executed"),
            run.failure.getMessage());

        assertEquals(1, executor.failedRuns.get(), "runs of block " + FAILING_HEIGHT);
        assertEquals(0, executor.runsAfterFailure.get(), "blocks executed after the failed one");
        assertEquals(FAILING_HEIGHT - 1, journal.lastHeight(), "journaled past the failed block");
        run.assertNoReceiptFrom(FAILING_HEIGHT);
        assertEquals((FAILING_HEIGHT - 1) * 100, run.receipts.get(), "the receipts of the blocks before it");
    }

    /** Executes every block; block {@link #FAILING_HEIGHT} throws once, after it has changed the state. */
    private static final class ThrowingOnce implements BlockExecutor
    {
        private final ReferenceExecutor executor = new ReferenceExecutor();
        final AtomicLong failedRuns = new AtomicLong();
        final AtomicLong runsAfterFailure = new AtomicLong();

        @Override
        public void execute(
            final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
        {
            if (failedRuns.get() > 0)
            {
                runsAfterFailure.incrementAndGet();
            }
            executor.execute(state, height, txs, receipts);
            if (FAILING_HEIGHT == height && failedRuns.getAndIncrement() == 0)
            {
                throw new ArithmeticException("long overflow");
            }
        }

        @Override
        public void commit(final ChainState state)
        {
            executor.commit(state);
        }
    }
}
