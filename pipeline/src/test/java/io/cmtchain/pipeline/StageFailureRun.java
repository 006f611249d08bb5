package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a node in blocks of 100 until one of its stages fails, then closes it: what a failure test checks afterwards
 * (the failure, and which transactions got receipts in which block).
 */
final class StageFailureRun
{
    final AtomicLongArray receiptHeight;
    final AtomicLong receipts = new AtomicLong();
    Throwable failure;
    long closeNs;

    /**
     * @param dataDir   of the node.
     * @param txs       transfers to send (fewer than the ring holds, so never pushed back for long once a stage stops).
     * @param configure sets what fails (the journal, the executor) on the run's context.
     * @throws InterruptedException if interrupted.
     */
    StageFailureRun(final File dataDir, final int txs, final UnaryOperator<NodeContext> configure)
        throws InterruptedException
    {
        final TestChain chain = new TestChain(1);
        receiptHeight = new AtomicLongArray(txs);
        final InProcessClient client = new InProcessClient((clientId, hash, off, status, height, fee) ->
        {
            receiptHeight.set((int)clientId, height);
            receipts.incrementAndGet();
        });
        final Node node = client.launch(configure.apply(new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .threadingMode(ThreadingMode.SHARED)
            .sigverify("none")
            .verifierThreads(1)
            .ringSize(4096)
            .blockMaxTxs(100)
            .blockIntervalMs(1_000)
            .errorHandler(ex -> { })));
        final CountDownLatch failed = new CountDownLatch(1);
        node.onFailure(failed::countDown);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 50_000);
        for (int i = 0; i < txs && failed.getCount() > 0; i++)
        {
            final int length = chain.unsignedTransfer(0, i, frame);
            if (!client.submit(frame, 0, length, i, idle))
            {
                break;
            }
        }
        assertTrue(failed.await(30, TimeUnit.SECONDS), "the node did not report the failure");
        failure = node.failure();
        assertNotNull(failure);

        final long startNs = System.nanoTime();
        node.close();
        closeNs = System.nanoTime() - startNs;
        assertTrue(closeNs < TimeUnit.SECONDS.toNanos(10), "close waited out the drain");
    }

    /** Assert that no transaction got a receipt in {@code height} or later. */
    void assertNoReceiptFrom(final long height)
    {
        for (int i = 0; i < receiptHeight.length(); i++)
        {
            assertTrue(receiptHeight.get(i) < height, "transaction " + i + " receipted in block " +
                receiptHeight.get(i));
        }
    }
}
