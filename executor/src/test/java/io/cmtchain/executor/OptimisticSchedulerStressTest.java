package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Block-STM under heavy contention, in the manner of the Disruptor's stress tests: thousands of blocks whose
 * transactions all draw from a few hot accounts (and a few addresses that are not accounts yet, so that keys are
 * created, and written or not, from one incarnation to the next), run by more workers than the machine has cores,
 * with random spins and yields injected before executions, between a validation's reads and its verdict, and before
 * a request to wait for a lower transaction. Those are the windows where another worker's version, status or index
 * change races the one under way; the spins move where in its critical sections a preempted worker stops. In the
 * same places a worker sometimes holds a random transaction's lock, or the lock of the key a validated transaction's
 * sender resolved to, for a while: the status or the versions it guards must not change meanwhile, and nobody else
 * may release it, which shows a path that skips the lock within one block instead of waiting for a lost update.
 * <p>
 * Every block must give the reference executor's receipts and state root. Per transaction: its final status is
 * EXECUTED, in an incarnation below the number of times it ran; a validation's incarnation was one that ran; a wait
 * is only ever for a lower transaction of the block; and the runs of the block add up to its transactions plus the
 * scheduler's count of re-executions.
 */
@Tag("stress")
class OptimisticSchedulerStressTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int FRAME = 256;
    private static final int ACCOUNTS = 6;
    private static final int OUTSIDERS = 3;
    private static final int MAX_BLOCK = 48;

    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[MAX_BLOCK * FRAME]);
    private final BlockTransactions txs = new BlockTransactions(MAX_BLOCK);
    private final byte[][] keys = new byte[ACCOUNTS + OUTSIDERS][];
    private final byte[][] addresses = new byte[ACCOUNTS + OUTSIDERS][];
    private final long[] nonces = new long[ACCOUNTS + OUTSIDERS];

    @Test
    void shouldMatchTheReferenceOnEveryBlockOfHotAccountsWithRandomDelays()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () ->
        {
            run(4, 1_500, 11);
            run(6, 1_000, 12);
        });
    }

    private void run(final int threads, final int blocks, final long seed)
    {
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = TestFrames.key(300 + i);
            addresses[i] = Addresses.of(keys[i]);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final ReferencePair pair = new ReferencePair(
            TestFrames.genesis(CHAIN_ID, FEE, ACCOUNTS, i -> keys[i], i -> 2_000_000L + 500_000L * i), MAX_BLOCK);
        final WorkerPool pool = new WorkerPool(threads, "cmt-optimistic-stress");
        try
        {
            final Schedule schedule = new Schedule();
            final OptimisticScheduler scheduler = new OptimisticScheduler(pool, () -> (TransactionFlyweight tx) ->
            {
                schedule.ran(tx.offset() / FRAME);
                return 0;
            }, seed);
            schedule.scheduler = scheduler;
            scheduler.dependencyHook(schedule::beforeAddDependency);
            scheduler.validationHook(schedule::afterReads);
            final BlockExecutor executor = scheduler::execute;
            long reExecutions = 0;
            for (int height = 1; height <= blocks; height++)
            {
                block(random, pair.expected);
                schedule.reset(txs.count());
                pair.executeBoth(executor, height, txs);
                assertNull(schedule.violation.get(), "block " + height + ", seed " + seed);
                assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt(), "block " + height);
                assertEquals(pair.expected.accounts().size(), pair.actual.accounts().size(), "block " + height);
                long runs = 0;
                for (int i = 0, n = txs.count(); i < n; i++)
                {
                    final int status = scheduler.status(i);
                    final int attempts = schedule.attempts.get(i);
                    assertEquals(OptimisticScheduler.EXECUTED, status & 3, "status of " + i + ", block " + height);
                    if ((status >>> 2) >= attempts)
                    {
                        throw new AssertionError("transaction " + i + " of block " + height + " ended in incarnation " +
                            (status >>> 2) + " after " + attempts + " runs");
                    }
                    runs += attempts;
                }
                final long blockReExecutions = scheduler.reExecutions() - reExecutions;
                reExecutions = scheduler.reExecutions();
                assertEquals(txs.count() + blockReExecutions, runs, "runs of block " + height);
            }
        }
        finally
        {
            pool.close();
        }
    }

    /**
     * A block of 8 to {@link #MAX_BLOCK} transfers among 2 to 5 hot parties: senders are accounts, recipients also
     * the outsiders; amounts from small to more than a sender holds, so that whether a transfer happens (and so what
     * it writes) depends on the ones before it. Nonces follow the reference state, in block order.
     */
    private void block(final SplittableRandom random, final ChainState state)
    {
        final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        for (int i = 0; i < keys.length; i++)
        {
            address.putBytes(0, addresses[i]);
            final int slot = state.accounts().find(address, 0);
            nonces[i] = slot == AccountStore.MISSING ? 0 : state.accounts().nonce(slot);
        }
        txs.reset();
        final int count = 8 + random.nextInt(MAX_BLOCK - 7);
        final int hot = 2 + random.nextInt(4);
        final int first = random.nextInt(keys.length - hot + 1);
        for (int t = 0; t < count; t++)
        {
            final int from = first + random.nextInt(hot);
            final int to = first + random.nextInt(hot);
            final long amount = random.nextInt(4) == 0 ? 1 + random.nextLong(3_000_000L) : 1 + random.nextInt(50_000);
            final int offset = t * FRAME;
            final int length = TestFrames.transfer(frames, offset, CHAIN_ID, keys[from], nonces[from]++, FEE, 0,
                TxTypes.TRANSFER, addresses[to], amount);
            txs.add(frames, offset, length, new byte[32], 0);
        }
    }

    /** One block's runs and the per-transaction checks of the hooks, which also inject the delays. */
    private static final class Schedule
    {
        final AtomicReference<String> violation = new AtomicReference<>();
        volatile AtomicIntegerArray attempts = new AtomicIntegerArray(MAX_BLOCK);
        volatile int count;
        volatile OptimisticScheduler scheduler;

        void reset(final int n)
        {
            attempts = new AtomicIntegerArray(n);
            count = n;
        }

        void ran(final int i)
        {
            attempts.incrementAndGet(i);
            delayOrHoldATransactionLock();
        }

        void beforeAddDependency(final int i, final int blocking)
        {
            if (blocking < 0 || blocking >= i)
            {
                fail("transaction " + i + " read an ESTIMATE of transaction " + blocking);
            }
            delayOrHoldATransactionLock();
        }

        void afterReads(final int i, final int incarnation, final boolean valid)
        {
            if (i < 0 || i >= count || incarnation >= attempts.get(i))
            {
                fail("validation of transaction " + i + " incarnation " + incarnation + " after " +
                    (i < 0 || i >= count ? 0 : attempts.get(i)) + " runs");
            }
            if (ThreadLocalRandom.current().nextInt(4) == 0)
            {
                if (!scheduler.holdSenderKeyLock(i, Schedule::spin))
                {
                    fail("the versions of transaction " + i + "'s sender changed, or their lock was released, " +
                        "while another worker held it");
                }
            }
            else
            {
                delayOrHoldATransactionLock();
            }
        }

        private void delayOrHoldATransactionLock()
        {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(3) == 0)
            {
                final int j = random.nextInt(count);
                if (!scheduler.holdTxLock(j, Schedule::spin))
                {
                    fail("the status of transaction " + j + " changed, or its lock was released, while another " +
                        "worker held it");
                }
            }
            else
            {
                delay();
            }
        }

        private static void spin()
        {
            final int spins = ThreadLocalRandom.current().nextInt(500);
            for (int s = 0; s < spins; s++)
            {
                Thread.onSpinWait();
            }
        }

        private void fail(final String message)
        {
            violation.compareAndSet(null, message);
            throw new AssertionError(message);
        }

        /**
         * Mostly nothing; sometimes a spin of up to a few microseconds; rarely a yield, so that a worker is preempted.
         */
        private static void delay()
        {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            final int kind = random.nextInt(16);
            if (kind < 6)
            {
                final int spins = random.nextInt(kind < 2 ? 2_000 : 100);
                for (int s = 0; s < spins; s++)
                {
                    Thread.onSpinWait();
                }
            }
            else if (kind == 6)
            {
                Thread.yield();
            }
        }
    }
}
