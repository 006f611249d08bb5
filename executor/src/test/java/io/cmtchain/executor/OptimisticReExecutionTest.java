package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block-STM with a forced interleaving: the first execution of transaction 0 (A pays B) is held, through the work
 * hook, until another thread has started the block's last transaction. Everything after it has then run on values
 * that change: B could not pay the fee (so its first incarnation wrote nothing), C and D did not exist yet. Their
 * validations must fail once 0 publishes, and each must re-execute, some writing keys their last incarnation did not
 * (the recipient they now reach), which must send the validation back for every later transaction. The outcome must
 * be the reference executor's, with at least those three re-executions.
 */
class OptimisticReExecutionTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int FILLERS = 24;

    private final byte[] a = key(1);
    private final byte[] b = key(2);
    private final byte[] c = key(3);
    private final byte[] d = key(4);
    private final byte[] e = key(5);
    private final byte[] filler = key(6);
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 256]);
    private final BlockTransactions txs = new BlockTransactions(64);

    @Test
    void shouldReExecuteEveryTransactionThatRanOnAValueAnEarlierOneChanged()
    {
        txs.reset();
        add(a, 0, b, 1_000_000);
        add(b, 0, c, 500_000);
        add(c, 0, d, 200_000);
        add(d, 0, e, 100_000);
        for (int i = 0; i < FILLERS; i++)
        {
            add(filler, i, key(100 + i), 1 + i);
        }
        runHeld(genesis(50), 4, 3);
    }

    @Test
    void shouldMatchTheReferenceWhenAReExecutionNoLongerWritesAKey()
    {
        // B can pay C before 0 drains it, not after: 1's second incarnation writes B only, and its version of C, below
        // 2's, must be removed and 2's kept.
        txs.reset();
        add(b, 0, e, 900_000);
        add(b, 1, c, 500_000);
        add(a, 0, c, 1);
        for (int i = 0; i < FILLERS; i++)
        {
            add(filler, i, key(100 + i), 1 + i);
        }
        runHeld(genesis(1_000_000), 1, 1);
    }

    /**
     * Transaction 0's first execution held until another thread has started the last one; 20 rounds, each equal to
     * the reference, whose first {@code okUpTo} transactions must be OK.
     */
    private void runHeld(final Genesis genesis, final int okUpTo, final int minReExecutions)
    {
        final int heldOffset = txs.offset(0);
        final int lastOffset = txs.offset(txs.count() - 1);
        final ChainState expected = genesis.createState(1);
        final BlockReceipts expectedReceipts = new BlockReceipts(64);
        new ReferenceExecutor().execute(expected, 1, txs, expectedReceipts);
        expected.endBlock();
        for (int i = 0; i < okUpTo; i++)
        {
            assertEquals(ReceiptStatus.OK.value(), expectedReceipts.status(i), "transaction " + i);
        }
        for (int round = 0; round < 20; round++)
        {
            final AtomicBoolean held = new AtomicBoolean();
            final AtomicReference<Thread> lastStarter = new AtomicReference<>();
            final ChainState actual = genesis.createState(2);
            final BlockReceipts actualReceipts = new BlockReceipts(64);
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(2).scheduler(ParallelExecutorContext.Scheduler.OPTIMISTIC).minParallelBlock(0)
                .tableSeed(round)
                .transactionWork(() -> (TransactionFlyweight tx) ->
                {
                    if (tx.offset() == lastOffset)
                    {
                        lastStarter.compareAndSet(null, Thread.currentThread());
                    }
                    else if (tx.offset() == heldOffset && held.compareAndSet(false, true))
                    {
                        final Thread self = Thread.currentThread();
                        Await.until(() -> lastStarter.get() != null && lastStarter.get() != self, 10_000,
                            "the other thread to reach the last transaction");
                    }
                    return 0;
                })))
            {
                executor.execute(actual, 1, txs, actualReceipts);
                executor.commit(actual);
                assertEquals(-1, expectedReceipts.firstDifference(actualReceipts), "round " + round);
                assertArrayEquals(expected.stateRoot(), actual.stateRoot(), "round " + round);
                assertEquals(expected.accounts().size(), actual.accounts().size());
                assertEquals(expected.feePoolMicroCmt(), actual.feePoolMicroCmt());
                assertTrue(executor.reExecutions() >= minReExecutions, "re-executions: " + executor.reExecutions());
                assertEquals(1, executor.parallelBlocks());
            }
        }
    }

    private void add(final byte[] from, final long nonce, final byte[] to, final long amount)
    {
        final int offset = txs.count() * 256;
        final int length = TestFrames.transfer(frames, offset, CHAIN_ID, from, nonce, FEE, 0, TxTypes.TRANSFER,
            Addresses.of(to), amount);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private Genesis genesis(final long bMicroCmt)
    {
        // C, D and E are no accounts yet.
        return TestFrames.genesis(CHAIN_ID, FEE, new byte[][] {a, b, filler}, i -> i == 1 ? bMicroCmt : 1_000_000_000L);
    }

    private static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)i;
        k[7] = 0x5A;
        return k;
    }
}
