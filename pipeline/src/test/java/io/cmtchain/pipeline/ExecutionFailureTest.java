package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        final TestChain chain = new TestChain(1);
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final ThrowingOnce executor = new ThrowingOnce();
        final AtomicLongArray receiptHeight = new AtomicLongArray(TXS);
        final AtomicLong receipts = new AtomicLong();
        final InProcessClient client = new InProcessClient((clientId, hash, off, status, height, fee) ->
        {
            receiptHeight.set((int)clientId, height);
            receipts.incrementAndGet();
        });
        final Node node = client.launch(new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .blockJournal(journal)
            .blockExecutor(executor)
            .threadingMode(ThreadingMode.SHARED)
            .sigverify("none")
            .verifierThreads(1)
            .ringSize(4096)
            .blockMaxTxs(100)
            .blockIntervalMs(1_000)
            .errorHandler(ex -> { }));
        final CountDownLatch failed = new CountDownLatch(1);
        node.onFailure(failed::countDown);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 50_000);
        for (int i = 0; i < TXS && failed.getCount() > 0; i++)
        {
            final int length = chain.unsignedTransfer(0, i, frame);
            if (!client.submit(frame, 0, length, i, idle))
            {
                break;
            }
        }
        assertTrue(failed.await(30, TimeUnit.SECONDS), "the node did not report the failure");
        assertNotNull(node.failure());
        assertTrue(node.failure().getMessage().startsWith("block " + FAILING_HEIGHT + " could not be executed"),
            node.failure().getMessage());

        final long startNs = System.nanoTime();
        node.close();
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "close waited out the drain");

        assertEquals(1, executor.failedRuns.get(), "runs of block " + FAILING_HEIGHT);
        assertEquals(0, executor.runsAfterFailure.get(), "blocks executed after the failed one");
        assertEquals(FAILING_HEIGHT - 1, journal.lastHeight(), "journaled past the failed block");
        long journaled = 0;
        for (int i = 0; i < TXS; i++)
        {
            assertTrue(receiptHeight.get(i) < FAILING_HEIGHT, "transaction " + i + " receipted in block " +
                receiptHeight.get(i));
            journaled += receiptHeight.get(i) > 0 ? 1 : 0;
        }
        assertEquals(journaled, receipts.get());
        assertEquals((FAILING_HEIGHT - 1) * 100, receipts.get(), "the receipts of the blocks before it");
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
