package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A defect while a block executes (here: the work model throwing on one transaction, on whichever thread runs it)
 * reaches the caller as an exception, on both schedulers and whatever the thread count, instead of leaving the
 * other workers waiting for a transaction that will never finish, and the executor refuses every later block. The
 * node stops on it (see the pipeline's ExecutionAgent). The deadline only turns a hang into a failure.
 */
class ParallelExecutorFailureTest
{
    private static final int BLOCK = 100;
    private static final int FAILING = 37;

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldSurfaceAFailingTransactionInsteadOfHanging(final ParallelExecutorContext.Scheduler scheduler)
    {
        for (int round = 0; round < 10; round++)
        {
            assertFailsAndRefusesMore(scheduler, 2 + round % 3, 0, round);
        }
    }

    /**
     * A block run in order on the caller (one thread; or fewer transactions than the parallel minimum) reports its
     * failure exactly as a parallel block does, so that the caller need not know which path ran it.
     */
    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldSurfaceAFailureInOrderOnTheCallerAsOnTheWorkers(final ParallelExecutorContext.Scheduler scheduler)
    {
        for (int round = 0; round < 3; round++)
        {
            assertFailsAndRefusesMore(scheduler, 1, 0, round);
            assertFailsAndRefusesMore(scheduler, 2, BLOCK + 1, round);
        }
    }

    private static void assertFailsAndRefusesMore(
        final ParallelExecutorContext.Scheduler scheduler, final int threads, final int minParallelBlock,
        final int seed)
    {
        final RandomBlocks generator = new RandomBlocks(3 + seed);
        final Genesis genesis = generator.genesis();
        final BlockTransactions txs = new BlockTransactions(BLOCK);
        final BlockReceipts receipts = new BlockReceipts(BLOCK);
        final ChainState state = genesis.createState(1);
        generator.syncNonces(state);
        do
        {
            generator.block(1, BLOCK, txs);
        }
        while (!transfersOnly(txs));
        final int failingOffset = txs.offset(FAILING);
        final IllegalArgumentException bug = new IllegalArgumentException("defect on transaction " + FAILING);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(threads).scheduler(scheduler).minParallelBlock(minParallelBlock).minParallelSpeedup(0)
                .transactionWork(() -> tx -> fail(tx, failingOffset, bug))))
            {
                final IllegalStateException ex = assertThrows(
                    IllegalStateException.class, () -> executor.execute(state, 1, txs, receipts));
                assertEquals("executor worker failed", ex.getMessage());
                assertSame(bug, ex.getCause());
                assertEquals(minParallelBlock > BLOCK || threads == 1 ? 1 : 0, executor.smallBlocks(),
                    "blocks run in order on the caller");
                // Its schedulers' per-block state is left mid-block: it must refuse what comes next, not run it
                // on that state. The small-block path and the commit are refused too.
                final ChainState fresh = genesis.createState(1);
                for (final Runnable next : new Runnable[] {
                    () -> executor.execute(fresh, 1, txs, receipts),
                    () -> executor.execute(fresh, 1, new BlockTransactions(1), new BlockReceipts(1)),
                    () -> executor.commit(fresh)})
                {
                    final IllegalStateException refused = assertThrows(IllegalStateException.class, next::run);
                    assertEquals("the executor failed on an earlier block and takes no more: " +
                        "java.lang.IllegalStateException: executor worker failed", refused.getMessage());
                    assertSame(ex, refused.getCause());
                }
            }
        }, scheduler + " with " + threads + " threads, parallel from " + minParallelBlock + ": a worker still waits");
    }

    /** The optimistic scheduler runs blocks holding other types in order on the caller, as the engine does. */
    private static boolean transfersOnly(final BlockTransactions txs)
    {
        for (int i = 0; i < txs.count(); i++)
        {
            if (txs.length(i) > TransactionDescriptor.TYPE_OFFSET &&
                txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) != TxTypes.TRANSFER)
            {
                return false;
            }
        }
        return true;
    }

    private static long fail(final TransactionFlyweight tx, final int failingOffset, final RuntimeException bug)
    {
        if (tx.offset() == failingOffset)
        {
            throw bug;
        }
        return 0;
    }
}
