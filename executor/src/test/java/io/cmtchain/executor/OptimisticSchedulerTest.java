package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The optimistic scheduler on its own, against the reference executor block by block. The deadline only turns a
 * hang (a worker waiting on a version that is never written) into a failure.
 */
class OptimisticSchedulerTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int SENDERS = 6;
    private static final int OK = ReceiptStatus.OK.value();
    private static final int INSUFFICIENT_FUNDS = ReceiptStatus.INSUFFICIENT_FUNDS.value();

    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 256]);
    private final BlockTransactions txs = new BlockTransactions(64);
    private final long[] nonces = new long[SENDERS];

    @Test
    void shouldForgetEveryKeysVersionsWhenTheBlockEpochWraps()
    {
        final WorkerPool pool = new WorkerPool(2, "cmt-optimistic-test");
        try
        {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runAcrossTheWrap(pool));
        }
        finally
        {
            pool.close();
        }
    }

    @Test
    void shouldLowerAnIndexThatAnotherWorkerMovedBetweenTheReadAndTheExchange()
    {
        // Another worker's fetch-and-increment lands between the decrease's read (5) and its exchange: the exchange
        // fails, and the decrease must read the index again (6) and still lower it to the target.
        final AtomicInteger index = new AtomicInteger(5);
        final List<Integer> reads = new ArrayList<>();
        decreaseWithHook((moved, read) ->
        {
            reads.add(read);
            if (reads.size() == 1)
            {
                moved.getAndIncrement();
            }
        }, scheduler -> scheduler.decreaseTo(index, 2));

        assertEquals(2, index.get());
        assertEquals(List.of(5, 6), reads);
    }

    @Test
    void shouldLeaveAnIndexAtOrBelowTheTargetUnwritten()
    {
        final List<Integer> reads = new ArrayList<>();
        final AtomicInteger below = new AtomicInteger(3);
        final AtomicInteger at = new AtomicInteger(4);
        decreaseWithHook((index, read) -> reads.add(read), scheduler ->
        {
            scheduler.decreaseTo(below, 7);
            scheduler.decreaseTo(at, 4);
        });

        assertEquals(3, below.get());
        assertEquals(4, at.get());
        assertEquals(List.of(), reads, "no exchange tried on an index that needs no decrease");
    }

    @Test
    void shouldMatchTheReferenceOnEveryBlockRunByOneScheduler()
    {
        // One scheduler, its per-block state reset by each block, for blocks of different sizes on a chain without a
        // minimum fee. Each block also has a transaction from an address that is no account, which must be refused
        // (INSUFFICIENT_FUNDS) and create no account even at a fee of 0, a transfer to its own sender, and a
        // transfer from an address that an earlier transaction of the same block created.
        final ReferencePair pair = new ReferencePair(
            TestFrames.genesis(CHAIN_ID, 0, SENDERS, OptimisticSchedulerTest::key, i -> 1_000_000_000L), 64);
        final WorkerPool pool = new WorkerPool(2, "cmt-optimistic-test");
        try
        {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
            {
                final OptimisticScheduler scheduler = new OptimisticScheduler(pool, null, 5);
                final BlockExecutor executor = scheduler::execute;
                final int[] sizes = {12, 3, 40, 7, 25};
                for (int block = 1; block <= sizes.length; block++)
                {
                    txs.reset();
                    final byte[] created = key(120 + block);
                    add(block % SENDERS, created, 5_000);
                    add(unknown(block), 0, 0, key(1), 1);
                    add(block % SENDERS, key(block % SENDERS), 1);
                    add(created, 0, 0, key((block + 1) % SENDERS), 1_000);
                    for (int t = 4; t < sizes[block - 1]; t++)
                    {
                        final int sender = (t * 7 + block) % SENDERS;
                        add(sender, t % 5 == 0 ? key(140 + t) : key((sender + t) % SENDERS), 10 + t);
                    }
                    pair.executeBoth(executor, block, txs);
                    assertEquals(INSUFFICIENT_FUNDS, pair.expectedReceipts.status(1), "block " + block);
                    assertEquals(OK, pair.expectedReceipts.status(3), "block " + block);
                    assertEquals(pair.expected.accounts().size(), pair.actual.accounts().size(), "block " + block);
                    assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt(), "block " + block);
                }
                assertEquals(sizes.length, scheduler.blocks());
            });
        }
        finally
        {
            pool.close();
        }
    }

    private void runAcrossTheWrap(final WorkerPool pool) throws ReflectiveOperationException
    {
        final Genesis genesis = genesis();
        final ChainState expected = genesis.createState(1);
        final ChainState actual = genesis.createState(2);
        final BlockReceipts expectedReceipts = new BlockReceipts(64);
        final BlockReceipts actualReceipts = new BlockReceipts(64);
        final OptimisticScheduler scheduler = new OptimisticScheduler(pool, null, 3);
        for (int block = 1; block <= 3; block++)
        {
            if (block == 2)
            {
                // 2^32 blocks later the epoch wraps, and the blocks after it are stamped like the first ones:
                // without forgetting the stamps, block 1's versions of a key would be read as this block's.
                final Field epoch = OptimisticScheduler.class.getDeclaredField("epoch");
                epoch.setAccessible(true);
                epoch.setInt(scheduler, -1);
            }
            txs.reset();
            // Block 1 touches every sender and a new address; block 2 the first half, block 3 the second half.
            for (int s = 0; s < SENDERS; s++)
            {
                if (block == 1 || (block == 2) == (s < SENDERS / 2))
                {
                    add(s, s == 0 ? key(100) : key((s + 1) % SENDERS), 1_000 + s);
                }
            }
            if (block == 2)
            {
                // A key no block has touched yet, still stamped 0: the block's epoch must never be 0, or the key's
                // unset head is taken for a version and its write is never committed.
                add(SENDERS - 1, key(101), 77);
            }
            new ReferenceExecutor().execute(expected, block, txs, expectedReceipts);
            expected.endBlock();
            scheduler.execute(actual, block, txs, actualReceipts);
            actual.endBlock();
            assertEquals(-1, expectedReceipts.firstDifference(actualReceipts), "block " + block);
            assertArrayEquals(expected.stateRoot(), actual.stateRoot(), "block " + block);
            assertEquals(expected.accounts().size(), actual.accounts().size());
        }
    }

    /** Lower indexes through {@code decreases} on a scheduler (of a one-worker pool) whose decrease hook is given. */
    private static void decreaseWithHook(
        final OptimisticScheduler.DecreaseHook hook, final Consumer<OptimisticScheduler> decreases)
    {
        try (WorkerPool pool = new WorkerPool(1, "cmt-optimistic-test"))
        {
            final OptimisticScheduler scheduler = new OptimisticScheduler(pool, null, 0);
            scheduler.decreaseHook(hook);
            decreases.accept(scheduler);
        }
    }

    private void add(final int sender, final byte[] to, final long amount)
    {
        add(key(sender), nonces[sender]++, FEE, to, amount);
    }

    private void add(final byte[] from, final long nonce, final long fee, final byte[] to, final long amount)
    {
        final int offset = txs.count() * 256;
        final int length = TestFrames.transfer(
            frames, offset, CHAIN_ID, from, nonce, fee, 0, TxTypes.TRANSFER, Addresses.of(to), amount);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private static byte[] unknown(final int i)
    {
        final byte[] k = key(200 + i);
        k[4] = 0x44;
        return k;
    }

    private static Genesis genesis()
    {
        return TestFrames.genesis(CHAIN_ID, FEE, SENDERS, OptimisticSchedulerTest::key, i -> 1_000_000_000L);
    }

    private static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)i;
        k[3] = 0x33;
        return k;
    }
}
