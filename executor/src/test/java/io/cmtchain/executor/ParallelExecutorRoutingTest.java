package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.cmtchain.executor.TestFrames.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Which path ParallelExecutor sends a block down (in order on the caller, the configured scheduler, or in order
 * because the optimistic scheduler cannot model it), read from its counters; every block still equals the
 * reference executor's.
 */
class ParallelExecutorRoutingTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final int SENDERS = 8;

    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 256]);
    private final BlockTransactions txs = new BlockTransactions(64);
    private final Genesis genesis = genesis();
    private final ReferencePair pair = new ReferencePair(genesis, 64);
    private final long[] nonces = new long[SENDERS];
    private long height;

    @Test
    void shouldKeepTheContextItWasGiven()
    {
        final ParallelExecutorContext ctx = new ParallelExecutorContext().threads(1);
        try (ParallelExecutor executor = new ParallelExecutor(ctx))
        {
            assertSame(ctx, executor.context());
        }
    }

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldRunABlockBelowTheMinimumInOrderAndOneOfExactlyTheMinimumOnItsScheduler(
        final ParallelExecutorContext.Scheduler scheduler)
    {
        // One unit of work per execution: the sink counts the transactions each path executed.
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(scheduler).minParallelBlock(4).minParallelSpeedup(0)
            .transactionWork(() -> tx -> 1)))
        {
            run(executor, independentTransfers(3));
            assertEquals(1, executor.smallBlocks());
            assertEquals(0, executor.parallelBlocks());
            assertEquals(3, executor.workSink());

            run(executor, independentTransfers(4));
            assertEquals(1, executor.smallBlocks());
            assertEquals(1, executor.parallelBlocks());
            assertEquals(0, executor.sequentialBlocks());
            // The optimistic scheduler may run a transaction more than once; each run is one unit.
            assertEquals(3 + 4 + executor.reExecutions(), executor.workSink());
            if (scheduler == ParallelExecutorContext.Scheduler.DECLARED)
            {
                assertEquals(0, executor.reExecutions());
            }
        }
    }

    @Test
    void shouldPlanWithTheDeclaredSchedulerWhenConfiguredSo()
    {
        // Every transfer from one sender: one dependency chain, so the declared scheduler's plan runs it in order
        // (sequentialBlocks); the optimistic scheduler has no such plan and would count a parallel block.
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(ParallelExecutorContext.Scheduler.DECLARED).minParallelBlock(0)
            .minParallelSpeedup(1.5)))
        {
            txs.reset();
            for (int i = 0; i < 6; i++)
            {
                transfer(0, TxTypes.TRANSFER, Addresses.of(key(100 + i)), 1 + i);
            }
            run(executor, txs);
            assertEquals(0, executor.smallBlocks());
            assertEquals(1, executor.sequentialBlocks());
            assertEquals(0, executor.parallelBlocks());
        }
    }

    @Test
    void shouldRunABlockHoldingAnyOtherTypeInOrderOnTheOptimisticScheduler()
    {
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(ParallelExecutorContext.Scheduler.OPTIMISTIC).minParallelBlock(0)))
        {
            txs.reset();
            for (int i = 0; i < 4; i++)
            {
                transfer(i, TxTypes.TRANSFER, Addresses.of(key(200 + i)), 1);
            }
            // A type the optimistic scheduler's stores cannot model, last in the block.
            transfer(5, TxTypes.TRANSFER + 1, Addresses.of(key(300)), 1);
            run(executor, txs);
            assertEquals(1, executor.smallBlocks());
            assertEquals(0, executor.parallelBlocks());

            run(executor, independentTransfers(4));
            assertEquals(1, executor.smallBlocks());
            assertEquals(1, executor.parallelBlocks());
        }
    }

    @Test
    void shouldTakeAFrameTooShortToHoldAType()
    {
        // A frame that ends where its type byte would start is read no further: it is not taken for some other
        // type, and nothing is read past its end (here the end of its buffer).
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).scheduler(ParallelExecutorContext.Scheduler.OPTIMISTIC).minParallelBlock(0)))
        {
            final BlockTransactions block = independentTransfers(4);
            block.add(new UnsafeBuffer(new byte[TransactionDescriptor.TYPE_OFFSET]), 0,
                TransactionDescriptor.TYPE_OFFSET, new byte[32], 0);
            run(executor, block);
            assertNotEquals(ReceiptStatus.OK.value(), pair.actualReceipts.status(4));
            assertEquals(0, executor.smallBlocks());
            assertEquals(1, executor.parallelBlocks());
        }
    }

    private BlockTransactions independentTransfers(final int count)
    {
        txs.reset();
        for (int i = 0; i < count; i++)
        {
            transfer(i, TxTypes.TRANSFER, Addresses.of(key(1_000 + (int)height * 16 + i)), 1 + i);
        }
        return txs;
    }

    private void run(final ParallelExecutor executor, final BlockTransactions block)
    {
        height++;
        pair.executeBoth(executor, height, block);
    }

    private void transfer(final int sender, final int type, final byte[] to, final long amount)
    {
        final int offset = txs.count() * 256;
        final int length = TestFrames.transfer(
            frames, offset, CHAIN_ID, key(sender), nonces[sender]++, FEE, 0, type, to, amount);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private static Genesis genesis()
    {
        return TestFrames.genesis(CHAIN_ID, FEE, SENDERS, TestFrames::key, i -> 1_000_000_000L);
    }
}
