package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Set;

import static io.cmtchain.executor.TestFrames.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelExecutorTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int OK = ReceiptStatus.OK.value();
    private static final int BAD_NONCE = ReceiptStatus.BAD_NONCE.value();

    private final byte[] rich = key(1);
    private final byte[] poor = key(2);
    private final byte[] outsider = key(3);
    private final byte[] other = key(4);
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 256]);
    private final BlockTransactions txs = new BlockTransactions(64);

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldCreateARecipientOnlyWhenTheTransferGetsThatFar(final ParallelExecutorContext.Scheduler scheduler)
    {
        txs.reset();
        // The poor account pays the fee but not the amount: the new address must not appear.
        add(poor, 0, Addresses.of(outsider), 1_000);
        // The new address cannot send before it exists...
        add(outsider, 0, Addresses.of(rich), 10);
        // ...is created by a transfer from the rich account...
        add(rich, 0, Addresses.of(outsider), 5_000);
        // ...and can send afterwards in the same block.
        add(outsider, 0, Addresses.of(other), 10);
        add(poor, 1, Addresses.of(key(5)), 1_000_000);

        final BlockReceipts receipts = runBoth(scheduler);
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), receipts.status(0));
        assertEquals(FEE, receipts.feeCharged(0));
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), receipts.status(1));
        assertEquals(0, receipts.feeCharged(1));
        assertEquals(ReceiptStatus.OK.value(), receipts.status(2));
        assertEquals(ReceiptStatus.OK.value(), receipts.status(3));
    }

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldChargeFeesIntoThePoolOnceEach(final ParallelExecutorContext.Scheduler scheduler)
    {
        txs.reset();
        for (int i = 0; i < 40; i++)
        {
            add(i % 2 == 0 ? rich : other, i / 2, Addresses.of(key(100 + i % 5)), 1 + i);
        }
        runBoth(scheduler);
    }

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldRefuseASenderThatIsNoAccountEvenWhenTransfersAreFree(final ParallelExecutorContext.Scheduler scheduler)
    {
        // With no minimum fee, a zero-fee transfer of 1 µCMT from an address that is no account passes the fee
        // and nonce checks that a zero balance would: only "no account" refuses it before any charge, and the
        // address must not become an account.
        final Genesis free = TestFrames.genesis(CHAIN_ID, 0, new byte[][] {rich}, i -> 1_000_000_000L);
        txs.reset();
        for (int i = 0; i < 8; i++)
        {
            final int offset = txs.count() * 256;
            final int length = TestFrames.transfer(frames, offset, CHAIN_ID, key(400 + i), 0, 0, 0, TxTypes.TRANSFER,
                Addresses.of(key(500 + i)), 1);
            txs.add(frames, offset, length, new byte[32], 0);
            add(rich, i, Addresses.of(key(600 + i)), 1);
        }
        final ReferencePair pair = runBoth(scheduler, free);
        for (int i = 0; i < 16; i += 2)
        {
            assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), pair.expectedReceipts.status(i));
        }
        assertEquals(1 + 8, pair.actual.accounts().size());
    }

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldRefuseTheLargestNonceAsTheReferenceDoes(final ParallelExecutorContext.Scheduler scheduler)
    {
        // The rich account is one transaction from the largest nonce: it uses the last one below it, then its
        // transactions under the largest and under the wrapped nonce are refused, interleaved with other senders
        // (one of them paying it) so that the schedulers carry its nonce from transaction to transaction.
        txs.reset();
        add(rich, Long.MAX_VALUE - 1, Addresses.of(other), 1);
        add(other, 0, Addresses.of(rich), 7);
        add(rich, Long.MAX_VALUE, Addresses.of(key(5)), 1);
        add(poor, 0, Addresses.of(other), 1);
        add(rich, Long.MIN_VALUE, Addresses.of(key(5)), 1);
        add(other, 1, Addresses.of(rich), 7);
        add(rich, Long.MIN_VALUE + 1, Addresses.of(key(5)), 1);

        final ReferencePair pair = new ReferencePair(genesis(), 64);
        final UnsafeBuffer richAddress = new UnsafeBuffer(Addresses.of(rich));
        for (final ChainState state : new ChainState[] {pair.expected, pair.actual})
        {
            state.accounts().nonce(state.accounts().find(richAddress, 0), Long.MAX_VALUE - 1);
        }
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
        {
            pair.executeBoth(executor, 1, txs);
        }

        final BlockReceipts receipts = pair.actualReceipts;
        final int[] expected = {OK, OK, BAD_NONCE, OK, BAD_NONCE, OK, BAD_NONCE};
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], receipts.status(i), "tx " + i);
            assertEquals(expected[i] == OK ? FEE : 0, receipts.feeCharged(i), "fee of tx " + i);
        }
        final AccountStore accounts = pair.actual.accounts();
        assertEquals(Long.MAX_VALUE, accounts.nonce(accounts.find(richAddress, 0)));
        assertEquals(AccountStore.MISSING, accounts.find(new UnsafeBuffer(Addresses.of(key(5))), 0));
    }

    @Test
    void shouldReuseItsThreadsForEveryBlockAndStopThemOnClose()
    {
        final Set<Thread> before = executorThreads();
        final ParallelExecutor executor = new ParallelExecutor(
            new ParallelExecutorContext().threads(3).minParallelBlock(0).minParallelSpeedup(0));
        final Set<Thread> started = executorThreads();
        started.removeAll(before);
        assertEquals(2, started.size(), "the caller is the third worker");

        final ChainState state = genesis().createState(1);
        final BlockReceipts receipts = new BlockReceipts(64);
        for (int b = 0; b < 50; b++)
        {
            txs.reset();
            add(rich, b, Addresses.of(key(200 + b)), 1);
            add(other, b, Addresses.of(key(300 + b)), 1);
            executor.execute(state, b + 1, txs, receipts);
            state.endBlock();
            assertEquals(ReceiptStatus.OK.value(), receipts.status(0));
        }
        final Set<Thread> after = executorThreads();
        after.removeAll(before);
        assertEquals(started, after, "no thread is created per block");
        assertTrue(executor.parallelBlocks() >= 1, "planned and run in parallel at least once");
        assertEquals(50, executor.parallelBlocks() + executor.sequentialBlocks());

        executor.close();
        Await.until(() -> started.stream().noneMatch(Thread::isAlive), 10_000, "worker threads to stop");
    }

    @Test
    void shouldRejectBadConfiguration()
    {
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new ParallelExecutorContext().threads(0).conclude());
        assertTrue(ex.getMessage().contains(ParallelExecutorContext.THREADS_PROP));
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ParallelExecutorContext.parseScheduler("fastest"));
    }

    /** Block 1 ({@link #txs}) on the reference and on 2 threads of the scheduler, required to agree. */
    private ReferencePair runBoth(final ParallelExecutorContext.Scheduler scheduler, final Genesis genesis)
    {
        final ReferencePair pair = new ReferencePair(genesis, 64);
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
        {
            pair.executeBoth(executor, 1, txs);
        }
        return pair;
    }

    private BlockReceipts runBoth(final ParallelExecutorContext.Scheduler scheduler)
    {
        final ReferencePair pair = runBoth(scheduler, genesis());
        final ChainState expected = pair.expected;
        final ChainState actual = pair.actual;
        assertEquals(expected.accounts().size(), actual.accounts().size());
        assertEquals(expected.feePoolMicroCmt(), actual.feePoolMicroCmt());
        assertNotEquals(0, expected.feePoolMicroCmt());
        assertEquals(expected.totalSupplyMicroCmt(), actual.totalSupplyMicroCmt());
        final UnsafeBuffer address = new UnsafeBuffer(Addresses.of(key(5)));
        assertEquals(AccountStore.MISSING, actual.accounts().find(address, 0));
        return pair.actualReceipts;
    }

    private void add(final byte[] from, final long nonce, final byte[] to, final long amount)
    {
        final int offset = txs.count() * 256;
        final int length =
            TestFrames.transfer(frames, offset, CHAIN_ID, from, nonce, FEE, 0, TxTypes.TRANSFER, to, amount);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private Genesis genesis()
    {
        return TestFrames.genesis(CHAIN_ID, FEE, new byte[][] {rich, poor, other},
            i -> i == 1 ? 250 : 1_000_000_000L);
    }

    private static Set<Thread> executorThreads()
    {
        final Set<Thread> threads = new HashSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith("cmt-executor") && t.isAlive())
            {
                threads.add(t);
            }
        }
        return threads;
    }
}
