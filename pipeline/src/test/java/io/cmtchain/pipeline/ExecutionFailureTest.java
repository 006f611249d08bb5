package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    @Test
    void shouldStillSendTheReceiptsOfTheBlocksJournaledBeforeTheFailureWhenClosed()
    {
        final TestChain chain = new TestChain(1);
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final List<Long> heights = new ArrayList<>();
        final boolean[] egressFull = {true};
        final ReceiptSink sink = new ReceiptSink()
        {
            @Override
            public void onReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                heights.add(blockHeight);
            }

            @Override
            public boolean offerReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                if (egressFull[0])
                {
                    return false;
                }
                onReceipt(clientId, txHash, hashOffset, status, blockHeight, feeCharged);
                return true;
            }
        };
        final Node node = Node.launch(TestChain.invokerContext(dataDir, new ArrayList<>())
            .genesis(chain.genesis)
            .blockJournal(journal)
            .blockExecutor(new ThrowingOnce())
            .blockIntervalMs(60_000)
            .receiptSink(sink)
            .errorHandler(ex -> { }));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        for (int i = 0; i < 3 * 8; i++)
        {
            assertEquals(TransactionSink.ACCEPTED, node.ingress().onTransaction(frame, 0,
                chain.unsignedTransfer(0, i, frame), i));
        }
        for (int i = 0; i < 100 && node.failure() == null; i++)
        {
            node.doWork();
        }
        assertTrue(node.failure() != null, "block " + FAILING_HEIGHT + " failed");
        assertEquals(FAILING_HEIGHT - 1, journal.lastHeight());
        assertEquals(List.of(), heights, "the egress was full");

        // The egress has room again: the receipts of the journaled blocks, durable, go out; the failed block's not.
        egressFull[0] = false;
        node.close();
        final List<Long> expected = new ArrayList<>();
        for (long height = 1; height < FAILING_HEIGHT; height++)
        {
            expected.addAll(Collections.nCopies(8, height));
        }
        assertEquals(expected, heights);
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
