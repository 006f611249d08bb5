package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-transaction work model of contract execution cost: every executor performs it once per execution of a
 * transaction (once per incarnation for Block-STM), on an instance of the executing thread's own, without touching the
 * state, and reports the sum of what it returned; {@link HashChainWork} is the SHA-256 chain it says it is.
 */
class TransactionWorkTest
{
    private static final int BLOCKS = 6;

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldPerformTheWorkOncePerExecutionOnEachThreadsOwnInstance(final ParallelExecutorContext.Scheduler scheduler)
    {
        final Set<Counting> instances = ConcurrentHashMap.newKeySet();
        final AtomicInteger made = new AtomicInteger();
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(3).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0).tableSeed(5)
            .transactionWork(() ->
            {
                made.incrementAndGet();
                final Counting c = new Counting();
                instances.add(c);
                return c;
            })))
        {
            assertEquals(4, made.get(), "one per worker, one for the small-block path");
            final long transactions = runAgainstReference(executor, 200);
            long performed = 0;
            for (final Counting c : instances)
            {
                assertTrue(c.owner == null || c.foreign == 0, "an instance used by two threads");
                performed += c.calls;
            }
            final long expected = transactions + executor.reExecutions();
            assertEquals(expected, performed);
            // Each perform returned 1: the sink counts every execution, on every path.
            assertEquals(expected, executor.workSink());
            assertEquals(BLOCKS, executor.parallelBlocks() + executor.sequentialBlocks() + executor.smallBlocks());
        }
    }

    @Test
    void shouldRunSmallBlocksThroughTheSequentialExecutorWithTheWork()
    {
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(2).minParallelBlock(1_000).transactionWork(Counting::new)))
        {
            final long transactions = runAgainstReference(executor, 30);
            assertEquals(BLOCKS, executor.smallBlocks());
            assertEquals(0, executor.parallelBlocks() + executor.sequentialBlocks());
            assertEquals(transactions, executor.workSink());
        }
    }

    @Test
    void shouldKeepTheSequentialExecutorTheReferenceExecutor()
    {
        final Counting work = new Counting();
        final SequentialExecutor withWork = new SequentialExecutor(work);
        final SequentialExecutor without = new SequentialExecutor(null);
        final RandomBlocks generator = new RandomBlocks(17);
        final Genesis genesis = generator.genesis();
        final ChainState expected = genesis.createState(1);
        final ChainState a = genesis.createState(2);
        final ChainState b = genesis.createState(3);
        final BlockTransactions txs = new BlockTransactions(100);
        final BlockReceipts expectedReceipts = new BlockReceipts(100);
        final BlockReceipts receiptsA = new BlockReceipts(100);
        final BlockReceipts receiptsB = new BlockReceipts(100);
        long transactions = 0;
        for (long height = 1; height <= BLOCKS; height++)
        {
            generator.syncNonces(expected);
            generator.block(height, 100, txs);
            new ReferenceExecutor().execute(expected, height, txs, expectedReceipts);
            withWork.execute(a, height, txs, receiptsA);
            without.execute(b, height, txs, receiptsB);
            expected.endBlock();
            a.endBlock();
            b.endBlock();
            assertEquals(-1, expectedReceipts.firstDifference(receiptsA));
            assertEquals(-1, expectedReceipts.firstDifference(receiptsB));
            assertArrayEquals(expected.stateRoot(), a.stateRoot());
            assertArrayEquals(expected.stateRoot(), b.stateRoot());
            transactions += txs.count();
        }
        assertEquals(transactions, work.calls);
        assertEquals(transactions, withWork.workSink());
        assertEquals(0, without.workSink());
    }

    @Test
    void shouldHashTheSignedBytesRoundsTimes()
    {
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[512]);
        final int length =
            TestFrames.transfer(frames, 3, 1, new byte[32], 4, 100, 0, TxTypes.TRANSFER, new byte[20], 5);
        final TransactionFlyweight tx = new TransactionFlyweight().wrap(frames, 3, length);
        for (final int rounds : new int[] {1, 2, 5})
        {
            final HashChainWork work = new HashChainWork(rounds);
            assertEquals(rounds, work.rounds());
            final Sha256 sha = new Sha256();
            final byte[] bytes = new byte[tx.signedLength()];
            frames.getBytes(tx.signedOffset(), bytes);
            byte[] digest = sha.update(bytes).digest();
            for (int i = 1; i < rounds; i++)
            {
                digest = sha.update(digest).digest();
            }
            final long expected = digest[0] | (long)digest[31] << 8;
            assertEquals(expected, work.perform(tx), "rounds " + rounds);
            assertEquals(expected, work.perform(tx), "a second call starts afresh");
        }
        assertNotEquals(new HashChainWork(1).perform(tx), new HashChainWork(2).perform(tx));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new HashChainWork(0));
        assertEquals("hash chain rounds must be >= 1, was 0", ex.getMessage());
    }

    /** Runs blocks of random transfers through the executor and the reference; returns the transactions run. */
    private static long runAgainstReference(final ParallelExecutor executor, final int blockSize)
    {
        final RandomBlocks generator = new RandomBlocks(99);
        final Genesis genesis = generator.genesis();
        final ReferencePair pair = new ReferencePair(genesis, blockSize);
        final BlockTransactions txs = new BlockTransactions(blockSize);
        long transactions = 0;
        for (long height = 1; height <= BLOCKS; height++)
        {
            generator.syncNonces(pair.expected);
            generator.block(height, blockSize, txs);
            pair.executeBoth(executor, height, txs);
            transactions += txs.count();
        }
        return transactions;
    }

    /** Counts its calls and remembers the thread that made them; returns 1 a call. */
    private static final class Counting implements TransactionWork
    {
        private volatile Thread owner;
        private long calls;
        private int foreign;

        @Override
        public long perform(final TransactionFlyweight tx)
        {
            final Thread t = Thread.currentThread();
            if (owner == null)
            {
                owner = t;
            }
            else if (owner != t)
            {
                foreign++;
            }
            calls++;
            return 1;
        }
    }
}
