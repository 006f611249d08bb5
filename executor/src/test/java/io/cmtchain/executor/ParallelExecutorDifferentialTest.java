package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel equals sequential: every block's receipts and state root from {@link ParallelExecutor} (both schedulers,
 * 1 to 8 threads, with the sequential fallback both allowed and disabled) equal {@link ReferenceExecutor}'s, each
 * run on its own {@link ChainState} built from the same {@link Genesis}.
 */
class ParallelExecutorDifferentialTest
{
    private static final int MAX_THREADS = 8;
    private static ParallelExecutor[][] executors;

    @BeforeAll
    static void startExecutors()
    {
        executors = new ParallelExecutor[2][MAX_THREADS * 2];
        for (final ParallelExecutorContext.Scheduler scheduler : ParallelExecutorContext.Scheduler.values())
        {
            for (int t = 1; t <= MAX_THREADS; t++)
            {
                for (int fallback = 0; fallback < 2; fallback++)
                {
                    executors[scheduler.ordinal()][(t - 1) * 2 + fallback] = new ParallelExecutor(
                        new ParallelExecutorContext()
                            .threads(t)
                            .scheduler(scheduler)
                            .minParallelBlock(fallback == 0 ? 0 : 32)
                            .minParallelSpeedup(fallback == 0 ? 0 : 1.3)
                            .tableSeed(t * 31L + fallback));
                }
            }
        }
    }

    @AfterAll
    static void stopExecutors()
    {
        for (final ParallelExecutor[] row : executors)
        {
            for (final ParallelExecutor e : row)
            {
                e.close();
            }
        }
    }

    @Test
    void shouldMatchReferenceOnRandomBlocksWithDeclaredScheduler()
    {
        run(ParallelExecutorContext.Scheduler.DECLARED, 0xC0FFEEL, 1_500, 120);
    }

    @Test
    void shouldMatchReferenceOnRandomBlocksWithOptimisticScheduler()
    {
        run(ParallelExecutorContext.Scheduler.OPTIMISTIC, 0xBEEFL, 1_500, 120);
    }

    @Test
    @Tag("slow")
    void shouldMatchReferenceOnManyLargerRandomBlocks()
    {
        run(ParallelExecutorContext.Scheduler.DECLARED, 0x5EED1L, 10_000, 400);
        run(ParallelExecutorContext.Scheduler.OPTIMISTIC, 0x5EED2L, 10_000, 400);
    }

    private static void run(
        final ParallelExecutorContext.Scheduler scheduler, final long seed, final int blocks, final int maxBlockSize)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final RandomBlocks generator = new RandomBlocks(seed);
        final ReferenceExecutor reference = new ReferenceExecutor();
        final BlockTransactions txs = new BlockTransactions(maxBlockSize);
        final BlockReceipts expectedReceipts = new BlockReceipts(maxBlockSize);
        final BlockReceipts actualReceipts = new BlockReceipts(maxBlockSize);
        final byte[] expectedRoot = new byte[32];
        final byte[] actualRoot = new byte[32];
        final int[] statusSeen = new int[256];

        ChainState expected = null;
        ChainState actual = null;
        long height = 0;
        for (int b = 0; b < blocks; b++)
        {
            if (b % 500 == 0)
            {
                final Genesis genesis = generator.genesis();
                expected = genesis.createState(1);
                actual = genesis.createState(2);
                height = 0;
            }
            height++;
            generator.syncNonces(expected);
            final int count = random.nextInt(8) == 0 ? random.nextInt(3) : 1 + random.nextInt(maxBlockSize);
            generator.block(height, count, txs);
            final ParallelExecutor executor = executors[scheduler.ordinal()][random.nextInt(MAX_THREADS * 2)];

            reference.execute(expected, height, txs, expectedReceipts);
            expected.endBlock();
            executor.execute(actual, height, txs, actualReceipts);
            executor.commit(actual);

            final int difference = expectedReceipts.firstDifference(actualReceipts);
            final String where = "block " + b + " (" + count + " txs, " + executor.context() + ")";
            assertEquals(-1, difference, () -> where + ": receipt " + difference + " differs: expected status " +
                expectedReceipts.status(difference) + " fee " + expectedReceipts.feeCharged(difference) +
                ", was status " + actualReceipts.status(difference) + " fee " + actualReceipts.feeCharged(difference));
            expected.stateRoot(expectedRoot, 0);
            actual.stateRoot(actualRoot, 0);
            assertArrayEquals(expectedRoot, actualRoot, () -> where + ": state root " + Hex.encode(actualRoot) +
                " != " + Hex.encode(expectedRoot));
            assertEquals(expected.accounts().size(), actual.accounts().size(), where + ": account count");
            assertEquals(expected.feePoolMicroCmt(), actual.feePoolMicroCmt(), where + ": fee pool");
            for (int i = 0; i < count; i++)
            {
                statusSeen[expectedReceipts.status(i)]++;
            }
        }
        System.out.println(scheduler + " seed " + seed + ": receipts by status " + Arrays.toString(statusSeen));
        // The generator must really reach the outcomes the test claims to cover.
        for (final int status : new int[] {0, 1, 2, 4, 5, 6, 7, 8, 11, 13})
        {
            assertTrue(statusSeen[status] > 0, "no receipt with status " + status + ": " + Arrays.toString(statusSeen));
        }
    }
}
