package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block cutting, driven deterministically: every stage's duty cycle through {@link Node#doWork()} and an injected
 * clock.
 */
class BlockCuttingTest
{
    private static final long INTERVAL_MS = 100;
    private static final int MAX_TXS = 4;

    @TempDir
    File dataDir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final InMemoryBlockJournal journal = new InMemoryBlockJournal();
    private final List<long[]> receipts = new ArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
    private TestChain chain;
    private Node node;

    @BeforeEach
    void before()
    {
        clock.update(1_000_000);
        chain = new TestChain(8);
        node = Node.launch(new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .blockJournal(journal)
            .threadingMode(ThreadingMode.INVOKER)
            .epochClock(clock)
            .sigverify("none")
            .verifierThreads(2)
            .verifyBatchSize(3)
            .ringSize(64)
            .blockMaxTxs(MAX_TXS)
            .blockIntervalMs(INTERVAL_MS)
            .receiptSink((clientId, hash, off, status, height, fee) ->
                receipts.add(new long[] {clientId, status, height, fee})));
    }

    @AfterEach
    void after()
    {
        node.close();
    }

    @Test
    void shouldCutABlockWhenTheIntervalHasPassedSinceItsFirstTransaction()
    {
        submit(0, 0, 1);
        submit(1, 0, 2);
        drive();
        assertEquals(0, receipts.size());
        assertEquals(0, journal.lastHeight());

        clock.advance(INTERVAL_MS - 1);
        drive();
        assertEquals(0, receipts.size());

        submit(2, 0, 3);
        clock.advance(1);
        drive();
        assertEquals(1, journal.lastHeight());
        assertEquals(3, receipts.size());
        final InMemoryBlockJournal.Entry block = journal.entries().get(0);
        assertEquals(3, block.header.txCount);
        assertEquals(1_000_000 + INTERVAL_MS, block.header.timestampMs);
        for (final long[] receipt : receipts)
        {
            assertEquals(ReceiptStatus.OK.value(), receipt[1]);
            assertEquals(1, receipt[2]);
            assertEquals(TestChain.FEE, receipt[3]);
        }
    }

    @Test
    void shouldCutBlocksAtTheMaximumTransactionCountAndKeepTheRestOpen()
    {
        for (int i = 0; i < 10; i++)
        {
            submit(i % 8, i / 8, i);
        }
        drive();
        assertEquals(2, journal.lastHeight());
        assertEquals(8, receipts.size());
        for (int i = 0; i < 8; i++)
        {
            assertEquals(i, receipts.get(i)[0]);
            assertEquals(1 + i / MAX_TXS, receipts.get(i)[2]);
        }

        clock.advance(INTERVAL_MS);
        drive();
        assertEquals(3, journal.lastHeight());
        assertEquals(10, receipts.size());
        assertEquals(2, journal.entries().get(2).header.txCount);
    }

    @Test
    void shouldStampTheProposersDposSchedules()
    {
        for (int h = 1; h <= 6; h++)
        {
            submit(0, h - 1, h);
            drive();
            clock.advance(INTERVAL_MS);
            drive();
        }
        assertEquals(6, journal.lastHeight());
        // The devnet's largest stake proposes first; replay refuses any proposer DPoS did not schedule.
        assertArrayEquals(chain.genesis.validators().get(0).address(), journal.entries().get(0).header.proposer);
        chain.assertReplayMatches(journal, node.chain().state().stateRoot(), 6);
    }

    @Test
    void shouldRejectADuplicateBeforeItsBlockAndKeepItOutOfTheBlock()
    {
        submit(0, 0, 1);
        submit(0, 0, 2);
        drive();
        clock.advance(INTERVAL_MS);
        drive();
        assertEquals(1, journal.lastHeight());
        assertEquals(1, journal.entries().get(0).header.txCount);
        assertEquals(2, receipts.size());
        assertEquals(ReceiptStatus.OK.value(), receipts.get(0)[1]);
        assertEquals(ReceiptStatus.DUPLICATE.value(), receipts.get(1)[1]);
        assertEquals(1, receipts.get(1)[2]);
        assertEquals(0, receipts.get(1)[3]);
    }

    @Test
    void shouldReceiptEarlyRejectionsAtOnceWhenNoBlockIsOpen()
    {
        final int length = chain.unsignedTransfer(0, 0, frame);
        assertEquals(0, node.ingress().onTransaction(frame, 0, length - 1, 7));
        drive();
        assertEquals(1, receipts.size());
        assertEquals(ReceiptStatus.MALFORMED.value(), receipts.get(0)[1]);
        assertEquals(1, receipts.get(0)[2]);
        assertEquals(0, journal.lastHeight());
    }

    @Test
    void shouldAnswerBackPressuredWhenTheRingIsFullAndAcceptAgainOnceDrained()
    {
        int accepted = 0;
        while (accepted < 1000)
        {
            final int length = chain.unsignedTransfer(accepted % 8, accepted / 8, frame);
            if (node.ingress().onTransaction(frame, 0, length, accepted) != 0)
            {
                break;
            }
            accepted++;
        }
        assertEquals(64, accepted);
        assertTrue(node.counters().backPressured() > 0);
        clock.advance(INTERVAL_MS);
        drive();
        assertEquals(64, receipts.size());
        final int length = chain.unsignedTransfer(0, 8, frame);
        assertEquals(0, node.ingress().onTransaction(frame, 0, length, 64));
    }

    @Test
    void shouldCutTheOpenBlockAndReceiptEverythingOnClose()
    {
        submit(0, 0, 1);
        submit(1, 0, 2);
        drive();
        assertEquals(0, receipts.size());
        node.close();
        assertFalse(node.isAccepting());
        assertEquals(2, receipts.size());
        assertEquals(1, journal.lastHeight());
        assertEquals(-1, node.ingress().onTransaction(frame, 0, 10, 3));
    }

    private void submit(final int sender, final long nonce, final long clientId)
    {
        final int length = chain.unsignedTransfer(sender, nonce, frame);
        assertEquals(0, node.ingress().onTransaction(frame, 0, length, clientId));
    }

    private void drive()
    {
        int work;
        do
        {
            work = node.doWork();
        }
        while (work > 0);
    }
}
