package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Rules of the declared scheduler that random blocks of at most a few hundred transactions over 88 keys rarely
 * reach: roots claimed several at a time (a block with many more independent transactions than 64 per thread),
 * accounts created in a block in the order of the transfers that reach them although their block-local ids follow
 * the order in which they were first named, and a parallel block's new addresses forgotten before the next parallel
 * block. Each block is checked against the reference executor.
 */
class DeclaredSchedulerTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int SENDERS = 600;

    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[2_048 * 256]);
    private final BlockTransactions txs = new BlockTransactions(2_048);
    private final Genesis genesis = genesis();
    private final ReferencePair pair = new ReferencePair(genesis, 2_048);
    private final long[] nonces = new long[SENDERS + 1];
    private long height;

    @Test
    void shouldRunEveryRootOfABlockWhoseRootsAreClaimedInChunks()
    {
        // 600 independent transfers on 2 threads: roots are claimed 600 / (2 * 32) = 9 at a time.
        txs.reset();
        for (int i = 0; i < SENDERS; i++)
        {
            add(i, 10_000 + i, 1 + i);
        }
        // A chain behind them, so that successors run too.
        for (int i = 0; i < 40; i++)
        {
            add(0, 20_000 + i, 1);
        }
        // A root left unrun would leave the workers waiting: the deadline turns that into a failure.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            try (ParallelExecutor executor = declared(2))
            {
                runBlock(executor);
                assertEquals(1, executor.parallelBlocks());
            }
        }, "a root was never run");
    }

    @Test
    void shouldCreateNewAccountsInTheOrderTheirTransfersReachThem()
    {
        try (ParallelExecutor executor = declared(3))
        {
            txs.reset();
            // X is named first (id 0) but the transfer fails on its amount; Y (id 1) is created first, X after it.
            add(SENDERS, 30_000, 1_000_000_000_000L);
            add(1, 30_001, 7_000);
            add(2, 30_000, 5_000);
            add(3, 30_002, 9_000);
            runBlock(executor);
            assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), pair.actualReceipts.status(0));
            assertEquals(1, executor.parallelBlocks());
        }
    }

    @Test
    void shouldForgetOneParallelBlocksNewAddressesBeforeTheNext()
    {
        try (ParallelExecutor executor = declared(2))
        {
            // Blocks 1 and 3 run in parallel: the first has nothing to compare its speed with, so block 2 runs in
            // order to measure, and with no minimum speedup block 3 is planned again.
            for (int b = 0; b < 3; b++)
            {
                txs.reset();
                for (int i = 0; i < 8; i++)
                {
                    add(b * 8 + i, 40_000 + b * 8 + i, 1_000 + i);
                }
                // The new address sends on in the same block: it must exist by then.
                add(40_000 + b * 8, 50_000 + b, 1);
                runBlock(executor);
            }
            assertEquals(2, executor.parallelBlocks());
            assertEquals(1, executor.sequentialBlocks());
        }
    }

    private ParallelExecutor declared(final int threads)
    {
        return new ParallelExecutor(new ParallelExecutorContext().threads(threads)
            .scheduler(ParallelExecutorContext.Scheduler.DECLARED).minParallelBlock(0).minParallelSpeedup(0));
    }

    private void runBlock(final ParallelExecutor executor)
    {
        height++;
        pair.executeBoth(executor, height, txs);
        assertEquals(pair.expected.accounts().size(), pair.actual.accounts().size(), "block " + height);
        assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt(), "block " + height);
    }

    /**
     * @param from      sender: 0..{@value #SENDERS} - 1 a funded account, {@value #SENDERS} one that holds a fee only;
     *                  a key of 10,000 or more is the key of that new address, which may send once funded.
     * @param to        recipient key: below {@value #SENDERS} an account, else a new address.
     * @param amountMicroCmt moved.
     */
    private void add(final int from, final int to, final long amountMicroCmt)
    {
        final int offset = txs.count() * 256;
        final int length = TestFrames.transfer(frames, offset, CHAIN_ID, key(from), nonce(from), FEE, 0,
            TxTypes.TRANSFER, Addresses.of(key(to)), amountMicroCmt);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private long nonce(final int from)
    {
        return from <= SENDERS ? nonces[from]++ : 0;
    }

    private static Genesis genesis()
    {
        return TestFrames.genesis(
            CHAIN_ID, FEE, SENDERS + 1, DeclaredSchedulerTest::key, i -> i == SENDERS ? 2 * FEE : 1_000_000_000L);
    }

    private static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)i;
        k[1] = (byte)(i >> 8);
        k[2] = (byte)(i >> 16);
        k[11] = 0x3C;
        return k;
    }
}
