package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block-STM's ESTIMATE and dependency paths under forced interleavings: each execution of a transaction first runs
 * the work hook, which holds chosen attempts of chosen transactions until the scheduler has reached a given status
 * (read through its {@link OptimisticScheduler#status(int)} seam), so that every round runs the same schedule
 * whichever thread picks which task. Every block must end with the reference executor's receipts and state root,
 * with each transaction run exactly the number of times the schedule implies, each run with its transaction's status
 * EXECUTING, and the scheduler's count of re-executions equal to the runs beyond each transaction's first. A wait is
 * dropped as soon as a worker has failed, so that a broken scheduler fails the block; the deadline only turns a hang
 * into a failure.
 */
class OptimisticDependencyTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int FRAME = 256;
    private static final int ROUNDS = 5;
    private static final long WAIT_MS = 10_000;

    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[8 * FRAME]);
    private final BlockTransactions txs = new BlockTransactions(8);
    private final long[] nonces = new long[16];

    /**
     * 0: A pays B, 1: B pays C, 2: C pays D, on two threads. 0 is held until 1 has run and been validated on B's
     * block-start value and 2 is handed out; 2 until 0 has published, 1's validation has failed and 1's
     * re-execution has begun, so 1's writes are ESTIMATE marks when 2 reads C; 1's re-execution until 2 waits for
     * it. 2 must then run again only once 1 has re-executed, which resumes it by sending the execution index back.
     */
    @Test
    void shouldSuspendAReaderOfAnEstimateUntilTheAbortedWriterReExecutes()
    {
        chainOfThree();
        for (int round = 0; round < ROUNDS; round++)
        {
            run(2, round, 3, new int[] {1, 2, 2}, (forced, i, attempt) ->
            {
                if (i == 0 && attempt == 1)
                {
                    forced.await(() -> forced.attempts(2) > 0, "transaction 2 to be handed out");
                }
                else if (i == 2 && attempt == 1)
                {
                    forced.await(() -> forced.attempts(1) > 1, "transaction 1's re-execution to begin");
                }
                else if (i == 1 && attempt == 2)
                {
                    forced.await(() -> forced.status(2) == (OptimisticScheduler.ABORTING),
                        "transaction 2 to wait for transaction 1");
                }
                else if (i == 2 && attempt == 2 && forced.status(1) != (1 << 2 | OptimisticScheduler.EXECUTED))
                {
                    forced.fail("transaction 2 ran again before transaction 1, whose ESTIMATE it read, re-executed");
                }
            }, null, null);
        }
    }

    /**
     * The schedule above, except that 1's re-execution is held only until 2 has read the ESTIMATE, and 2 is held
     * between that read and its request to wait until 1 has finished: 2 must not wait for a transaction that will
     * never resume it, but run again at once on 1's new values.
     */
    @Test
    void shouldRunAReaderOfAnEstimateAgainAtOnceWhenTheWriterFinishedBeforeItAskedToWait()
    {
        chainOfThree();
        for (int round = 0; round < ROUNDS; round++)
        {
            final AtomicBoolean readerAsked = new AtomicBoolean();
            final AtomicBoolean writerFinishedFirst = new AtomicBoolean();
            run(2, round, 3, new int[] {1, 2, 2}, (forced, i, attempt) ->
            {
                if (i == 0 && attempt == 1)
                {
                    forced.await(() -> forced.attempts(2) > 0, "transaction 2 to be handed out");
                }
                else if (i == 2 && attempt == 1)
                {
                    forced.await(() -> forced.attempts(1) > 1, "transaction 1's re-execution to begin");
                }
                else if (i == 1 && attempt == 2)
                {
                    forced.await(readerAsked::get, "transaction 2 to read transaction 1's ESTIMATE");
                }
            }, (forced, i, blocking) ->
            {
                if (i != 2 || blocking != 1)
                {
                    forced.fail("transaction " + i + " read an ESTIMATE of transaction " + blocking);
                }
                readerAsked.set(true);
                forced.await(() -> forced.status(1) == (1 << 2 | OptimisticScheduler.EXECUTED),
                    "transaction 1 to finish its re-execution");
                writerFinishedFirst.set(true);
            }, null);
            assertTrue(writerFinishedFirst.get(), "the ESTIMATE's writer finished before its reader asked to wait");
        }
    }

    /**
     * 0: A pays B, 1: E pays B, 2: B pays C, 3: B pays D, 4 and 5 unrelated, on three threads. 2 runs on B's
     * block-start value and is validated; 0 publishes and fails 2's validation (first abort); 2's second
     * incarnation runs on 0's B and is validated, and 3 reads B from it; with the two other threads held in 4 and 5,
     * 1 publishes and fails the validation of 2's second incarnation (second abort), so 2 runs a third time before
     * anything can validate 3. 3's read of B from 2's second incarnation must then fail its validation, which it
     * can only do if the third incarnation is numbered apart from the second.
     */
    @Test
    void shouldReExecuteAReaderOfAnIncarnationThatWasAbortedAgain()
    {
        txs.reset();
        Arrays.fill(nonces, 0);
        final int a = 0;
        final int b = 1;
        final int e = 4;
        add(a, b, 1_000_000);
        add(e, b, 2_000_000);
        add(b, 2, 500_000);
        add(b, 3, 700_000);
        add(5, 6, 1);
        add(7, 8, 1);
        for (int round = 0; round < ROUNDS; round++)
        {
            run(3, round, 9, new int[] {1, 1, 3, 2, 1, 1}, (forced, i, attempt) ->
            {
                final BooleanSupplier thirdRunOfTwoDone = () ->
                    forced.attempts(2) == 3 && (forced.status(2) & 3) == OptimisticScheduler.EXECUTED;
                if (i == 0 && attempt == 1)
                {
                    // 3 handed out: 2's first incarnation has run and been validated on B's block-start value.
                    forced.await(() -> forced.attempts(3) > 0, "transaction 3 to be handed out");
                }
                else if (i == 3 && attempt == 1)
                {
                    forced.await(() -> forced.status(2) == (1 << 2 | OptimisticScheduler.EXECUTED),
                        "transaction 2's second incarnation to finish");
                }
                else if (i == 1 && attempt == 1)
                {
                    // 5 handed out: 3 has run and been validated, and the other two threads are held in 4 and 5.
                    forced.await(() -> forced.attempts(5) > 0, "transaction 5 to be handed out");
                }
                else if (i == 4 || i == 5)
                {
                    forced.await(thirdRunOfTwoDone, "transaction 2's third incarnation to finish");
                }
            }, null, null);
        }
    }

    /**
     * 0: A pays B, 1: B pays C, 2: B pays D, 3: E pays F, on two threads. 0 is held until 3 is handed out: 1 and 2
     * have then run and been validated, 2 on 1's B. Once 0 publishes, the validation of 1 fails, and it is held
     * between its reads and the abort until 2 has been validated again, still on 1's first incarnation (not yet an
     * ESTIMATE), so that the validation index is past 2. 1's re-execution writes the keys it wrote before and so
     * validates only itself: 2 runs again only because the abort sent the validation index back to the transaction
     * after 1. The validation of 2 that finds this out is held until 1's re-execution has finished, so that 2 runs
     * once more, on 1's new B; and 0, below the abort, is validated only once, after it publishes.
     */
    @Test
    void shouldValidateAgainALaterTransactionThatPassedOnTheVersionsOfAnAbortedOne()
    {
        txs.reset();
        Arrays.fill(nonces, 0);
        final int b = 1;
        add(0, b, 1_000_000);
        add(b, 2, 500_000);
        add(b, 3, 100_000);
        add(4, 5, 1);
        for (int round = 0; round < ROUNDS; round++)
        {
            final Forced schedule = run(2, round, 6, new int[] {1, 2, 2, 1}, (forced, i, attempt) ->
            {
                if (i == 0 && attempt == 1)
                {
                    forced.await(() -> forced.attempts(3) > 0, "transaction 3 to be handed out");
                }
            }, null, (forced, i, incarnation, valid) ->
            {
                if (i == 1 && !valid)
                {
                    forced.await(() -> forced.validations(2) == 2, "transaction 2 to be validated again");
                }
                else if (i == 2 && !valid)
                {
                    forced.await(() -> forced.status(1) == (1 << 2 | OptimisticScheduler.EXECUTED),
                        "transaction 1's re-execution to finish");
                }
                else if (i == 2 && valid && incarnation == 0 && forced.validations(2) > 2)
                {
                    forced.fail("transaction 2's first incarnation passed a validation after transaction 1 aborted");
                }
            });
            assertEquals(1, schedule.validations(0), "validations of transaction 0, seed " + round);
        }
    }

    /**
     * 0: M pays Z (nonce 0), 1: L pays K, 2: M pays K with M's nonce 0 again, 3: H pays K, on two threads. 0 is held
     * until 3 has run: 2 has then run on M's block-start nonce and written K, so K has versions of 1, 2 and 3, 3's
     * on top. Once 0 publishes, 2's re-execution finds M's nonce used (BAD_NONCE) and writes nothing: its version of
     * K, in the middle of the list, must be removed and 3's above it kept, so that 3's re-execution, which now reads
     * K from 1, is the version the block commits. 3's re-execution is held until 2's has finished, so that it never
     * waits on 2's ESTIMATE.
     */
    @Test
    void shouldKeepTheVersionsAboveOneThatAReExecutionNoLongerWrites()
    {
        txs.reset();
        Arrays.fill(nonces, 0);
        final int m = 0;
        final int k = 3;
        add(m, 1, 1);
        add(2, k, 1);
        nonces[m] = 0;
        add(m, k, 5);
        add(4, k, 7);
        for (int round = 0; round < ROUNDS; round++)
        {
            run(2, round, 5, new int[] {1, 1, 2, 2}, (forced, i, attempt) ->
            {
                if (i == 0 && attempt == 1)
                {
                    forced.await(() -> forced.status(3) == OptimisticScheduler.EXECUTED, "transaction 3 to run");
                }
                else if (i == 3 && attempt == 2)
                {
                    forced.await(() -> forced.status(2) == (1 << 2 | OptimisticScheduler.EXECUTED),
                        "transaction 2's re-execution to finish");
                }
            }, null, null);
        }
    }

    private void chainOfThree()
    {
        txs.reset();
        Arrays.fill(nonces, 0);
        add(0, 1, 1_000_000);
        add(1, 2, 500_000);
        add(2, 3, 200_000);
    }

    /** Execution hook: called with the transaction and its attempt, before the attempt runs. */
    @FunctionalInterface
    private interface Hold
    {
        void before(Forced forced, int i, int attempt);
    }

    @FunctionalInterface
    private interface DependencyHold
    {
        void before(Forced forced, int i, int blocking);
    }

    /** Validation hook: called after a validation's reads, before the scheduler acts on the verdict. */
    @FunctionalInterface
    private interface ValidationHold
    {
        void afterReads(Forced forced, int i, int incarnation, boolean valid);
    }

    /** @return the round's schedule, after its block. */
    private Forced run(
        final int threads,
        final int seed,
        final int accounts,
        final int[] expectedAttempts,
        final Hold hold,
        final DependencyHold dependencyHold,
        final ValidationHold validationHold)
    {
        final ReferencePair pair = new ReferencePair(
            TestFrames.genesis(CHAIN_ID, FEE, accounts, OptimisticDependencyTest::key, i -> 10_000_000L), 8);
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final WorkerPool pool = new WorkerPool(threads, "cmt-optimistic-dependency-test");
            try
            {
                final Forced forced = new Forced(pool, txs.count());
                final OptimisticScheduler scheduler = new OptimisticScheduler(pool, () -> (TransactionFlyweight tx) ->
                {
                    final int i = tx.offset() / FRAME;
                    final int attempt = forced.attempts.incrementAndGet(i);
                    if (attempt > expectedAttempts[i])
                    {
                        forced.fail("transaction " + i + " ran " + attempt + " times");
                    }
                    if ((forced.status(i) & 3) != OptimisticScheduler.EXECUTING)
                    {
                        forced.fail("transaction " + i + " ran with status " + forced.status(i));
                    }
                    hold.before(forced, i, attempt);
                    return 0;
                }, seed);
                forced.scheduler = scheduler;
                if (dependencyHold != null)
                {
                    scheduler.dependencyHook((i, blocking) -> dependencyHold.before(forced, i, blocking));
                }
                scheduler.validationHook((i, incarnation, valid) ->
                {
                    forced.validations.incrementAndGet(i);
                    if (validationHold != null)
                    {
                        validationHold.afterReads(forced, i, incarnation, valid);
                    }
                });
                final BlockExecutor executor = scheduler::execute;

                pair.executeBoth(executor, 1, txs);

                assertNull(forced.violation.get(), "seed " + seed);
                for (int i = 0; i < expectedAttempts.length; i++)
                {
                    assertEquals(expectedAttempts[i], forced.attempts(i), "runs of transaction " + i);
                }
                assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt());
                // Every run but each transaction's first is a re-execution, a run again after a needless wait too.
                assertEquals(Arrays.stream(expectedAttempts).sum() - expectedAttempts.length, scheduler.reExecutions(),
                    "re-executions, seed " + seed);
                return forced;
            }
            finally
            {
                pool.close();
            }
        }, "seed " + seed);
    }

    /** One round's attempts, and the waits and failures of its holds. */
    private static final class Forced
    {
        final AtomicIntegerArray attempts;
        final AtomicIntegerArray validations;
        final AtomicReference<String> violation = new AtomicReference<>();
        private final WorkerPool pool;
        volatile OptimisticScheduler scheduler;

        Forced(final WorkerPool pool, final int count)
        {
            this.pool = pool;
            this.attempts = new AtomicIntegerArray(count);
            this.validations = new AtomicIntegerArray(count);
        }

        int attempts(final int i)
        {
            return attempts.get(i);
        }

        int validations(final int i)
        {
            return validations.get(i);
        }

        int status(final int i)
        {
            return scheduler.status(i);
        }

        void await(final BooleanSupplier condition, final String what)
        {
            Await.until(() -> condition.getAsBoolean() || pool.failed(), WAIT_MS, what);
        }

        void fail(final String message)
        {
            violation.compareAndSet(null, message);
            throw new AssertionError(message);
        }
    }

    private void add(final int from, final int to, final long amount)
    {
        final int offset = txs.count() * FRAME;
        final int length = TestFrames.transfer(frames, offset, CHAIN_ID, key(from), nonces[from]++, FEE, 0,
            TxTypes.TRANSFER, Addresses.of(key(to)), amount);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)(i + 1);
        k[9] = 0x1D;
        return k;
    }
}
