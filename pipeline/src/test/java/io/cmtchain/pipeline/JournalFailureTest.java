package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        final TestChain chain = new TestChain(1);
        final FailingJournal journal = new FailingJournal();
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
        int accepted = 0;
        for (int i = 0; i < TXS && failed.getCount() > 0; i++)
        {
            final int length = chain.unsignedTransfer(0, i, frame);
            // Fewer than the ring holds: never pushed back for long, even once the journal stage has stopped.
            if (!client.submit(frame, 0, length, i, idle))
            {
                break;
            }
            accepted++;
        }
        assertTrue(failed.await(30, TimeUnit.SECONDS), "the node did not report the failure");
        assertNotNull(node.failure());
        assertTrue(node.failure().getMessage().contains("block " + FAILING_HEIGHT), node.failure().getMessage());

        final long startNs = System.nanoTime();
        node.close();
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "close waited out the drain");

        assertEquals(FAILING_HEIGHT - 1, journal.lastHeight(), "appended after the failed block");
        final long journaled = journal.transactionsJournaled;
        assertEquals(journaled, receipts.get(), "receipts beyond the journaled blocks (of " + accepted + " accepted)");
        for (int i = 0; i < TXS; i++)
        {
            assertTrue(receiptHeight.get(i) < FAILING_HEIGHT, "transaction " + i + " receipted in block " +
                receiptHeight.get(i));
        }
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
