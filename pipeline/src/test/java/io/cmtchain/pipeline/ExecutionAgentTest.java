package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.SnapshotStore;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution stage alone, one duty cycle at a time: slots laid out as ordering leaves them (in a block or rejected
 * early, the block's last slot marked), ordering's released sequence and the journal's height set by hand, transfers
 * from {@link TestChain}'s devnet accounts applied by the reference executor to a chain of the test's own.
 */
class ExecutionAgentTest
{
    private static final int ACCOUNTS = 4;
    private static final int DUPLICATE = ReceiptStatus.DUPLICATE.value();
    private static final int BAD_NONCE = ReceiptStatus.BAD_NONCE.value();
    private static final String WITHOUT_DPOS = DevnetGenesis.jsonWithoutDpos(ACCOUNTS);

    @TempDir
    Path dir;

    private final RingBuffer<TxEvent> ring = StageFixtures.ring(512);
    private final Sequence released = new Sequence(-1);
    private final Sequence journaledHeight = new Sequence(0);
    private final NodeCounters counters = StageFixtures.counters(1);
    private final TestChain transfers = new TestChain(ACCOUNTS);
    private final List<Long> appliedHeights = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final AccountQueries queries = new AccountQueries();
    private Chain chain;
    private int transfersPublished;

    @Test
    void shouldExecuteOneBlockPerDutyCycleAndWriteEachSlotsStatusAndFeeBack() throws Exception
    {
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), null, null, null);
        StageFixtures.publishRejected(ring);  // 0
        publishTransfer(1, false);      // 1: sender 0, nonce 0
        publishBadNonce(1);             // 2: block 1's last slot
        publishTransfer(2, true);       // 3
        StageFixtures.publishRejected(ring);  // 4
        released.set(4);

        assertEquals(3, execution.doWork(), "up to block 1's last slot, not beyond");
        assertEquals(2, execution.sequence().get());
        assertEquals(1, chain.height());
        assertEquals(List.of(1L), appliedHeights);
        assertEquals(DUPLICATE, ring.get(0).status, "a rejected slot is not executed");
        assertEquals(TxEvent.OK, ring.get(1).status);
        assertEquals(TestChain.FEE, ring.get(1).feeCharged);
        assertEquals(BAD_NONCE, ring.get(2).status);
        assertEquals(0, ring.get(2).feeCharged);
        final BlockBatch block1 = execution.batch(1);
        assertEquals(1, block1.header.height);
        assertEquals(2, block1.header.txCount);
        assertEquals(2, block1.txs.count());
        assertNull(block1.events[0], "the batch lets go of the slots");
        assertNull(block1.events[1]);
        assertEquals(3, counters.executeEvents.get());
        assertEquals(2, counters.executeQueue.get());
        assertEquals(2, counters.lastBlockTxs.get());
        assertEquals(1, counters.chainHeight.get());

        assertEquals(1, execution.doWork());
        assertEquals(3, execution.sequence().get());
        assertEquals(TxEvent.OK, ring.get(3).status);
        assertEquals(1, counters.lastBlockTxs.get());
        assertEquals(2, counters.chainHeight.get());
        assertEquals(List.of(1L, 2L), appliedHeights);

        assertEquals(1, execution.doWork());
        assertEquals(4, execution.sequence().get());
        assertEquals(DUPLICATE, ring.get(4).status);
        assertEquals(5, counters.executeEvents.get());
        assertEquals(0, counters.executeQueue.get());
        assertEquals(0, execution.doWork());
        assertEquals(2, chain.height());
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @Test
    void shouldRunAtMostBlockBatchesBlocksAheadOfTheJournal() throws Exception
    {
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), null, null, queries);
        final int blocks = ExecutionAgent.BLOCK_BATCHES + 1;
        for (int height = 1; height <= blocks; height++)
        {
            publishTransfer(height, true);
        }
        released.set(blocks - 1);

        for (int height = 1; height <= ExecutionAgent.BLOCK_BATCHES; height++)
        {
            assertEquals(1, execution.doWork(), "block " + height + " with the journal at 0");
        }
        assertEquals(ExecutionAgent.BLOCK_BATCHES, chain.height());

        query(0);
        assertEquals(1, execution.doWork(), "the query is answered, the next block waits for its batch");
        assertEquals(List.of(ExecutionAgent.BLOCK_BATCHES + ":true"), answers);
        assertEquals(ExecutionAgent.BLOCK_BATCHES, chain.height());
        assertEquals(ExecutionAgent.BLOCK_BATCHES - 1, execution.sequence().get());
        assertEquals(0, execution.doWork());

        journaledHeight.set(1);
        assertEquals(1, execution.doWork());
        assertEquals(blocks, chain.height());
        final BlockBatch reused = execution.batch(blocks);
        assertSame(execution.batch(1), reused);
        assertEquals(blocks, reused.header.height);
        assertEquals(1, reused.header.txCount, "block 1's transaction is gone from the reused batch");
    }

    @Test
    void shouldWriteADueSnapshotOnlyOnceTheJournalHasAppendedItsBlock() throws Exception
    {
        final SnapshotStore snapshots = snapshots(dir, 2);
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), snapshots, null, queries);
        publishTransfer(1, true);
        publishTransfer(2, true);
        publishTransfer(3, true);
        released.set(2);
        assertEquals(1, execution.doWork());
        assertEquals(1, execution.doWork());
        assertEquals(2, chain.height());

        journaledHeight.set(1);
        query(0);
        assertEquals(1, execution.doWork(), "the query is answered; no snapshot ahead of the journal, no block 3");
        assertEquals(List.of("2:true"), answers);
        assertEquals(0, execution.doWork());
        assertEquals(2, chain.height());
        assertEquals(0, counters.snapshots.get());
        assertTrue(snapshots.snapshots().isEmpty());

        journaledHeight.set(2);
        counters.lastSnapshotMs.set(Long.MAX_VALUE);  // as if an earlier snapshot had taken that long
        final long startNs = System.nanoTime();
        assertEquals(1, execution.doWork(), "the snapshot, then block 3 in the same duty cycle");
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        assertEquals(3, chain.height());
        assertEquals(1, counters.snapshots.get());
        assertTrue(counters.lastSnapshotMs.get() <= elapsedMs, counters.lastSnapshotMs.get() + " > " + elapsedMs);
        assertEquals(1, snapshots.snapshots().size());
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("snapshot: " + snapshots.snapshots().get(0).getFileName() + " ("),
            log.get(0));

        journaledHeight.set(3);
        assertEquals(0, execution.doWork(), "block 3 is not due");
        assertEquals(1, counters.snapshots.get());
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void shouldReportAFailedSnapshotWriteAndExecuteOn() throws Exception
    {
        final Path notADirectory = Files.createFile(dir.resolve("file"));
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), snapshots(notADirectory, 1),
            null, null);
        publishTransfer(1, true);
        publishTransfer(2, true);
        released.set(1);
        journaledHeight.set(1);

        assertEquals(1, execution.doWork());
        assertEquals(1, execution.doWork(), "the write fails, block 2 is executed");
        assertEquals(2, chain.height());
        assertEquals(1, errors.size());
        assertInstanceOf(UncheckedIOException.class, errors.get(0));
        assertEquals(0, counters.snapshots.get());
        assertTrue(log.isEmpty(), log::toString);
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @Test
    void shouldReportASnapshotStepThatThrowsOtherThanIoAndExecuteOn() throws Exception
    {
        // The snapshot is written, then its log line throws: any failure of the step is reported, not retried every
        // duty cycle ahead of the next block (which then never ran).
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), snapshots(dir, 1), null, null,
            line ->
            {
                throw new IllegalStateException("log closed");
            });
        publishTransfer(1, true);
        publishTransfer(2, true);
        released.set(1);
        journaledHeight.set(1);

        assertEquals(1, execution.doWork());
        assertEquals(1, execution.doWork(), "the snapshot step fails, block 2 is executed");
        assertEquals(2, chain.height());
        assertEquals(1, errors.size());
        assertEquals("log closed", errors.get(0).getMessage());
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @Test
    void shouldStopForGoodAtABlockWhoseExecutionThrowsAndPassOnNoneOfItsSlotsFromItsLast() throws Exception
    {
        final ThrowingAt executor = new ThrowingAt(2);
        final ExecutionAgent execution = execution(WITHOUT_DPOS, executor, null, null, queries);
        publishTransfer(1, true);       // 0
        publishTransfer(2, false);      // 1
        publishTransfer(2, true);       // 2
        publishTransfer(3, true);       // 3
        released.set(3);

        assertEquals(1, execution.doWork());
        query(0);
        assertEquals(1 + 2, execution.doWork(), "the query answered at height 1, the failed block's two slots handled");
        assertEquals(List.of("1:true"), answers);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).getMessage().startsWith("block 2 could not be executed (boom)"),
            failures.get(0).getMessage());
        assertEquals(1, execution.sequence().get(), "the failed block's last slot is not passed on");
        assertEquals(1, counters.chainHeight.get());
        assertEquals(2, executor.runs);

        query(0);
        assertEquals(0, execution.doWork());
        assertEquals(0, execution.doWork());
        assertEquals(1, answers.size(), "no answers from a state that may hold part of a block");
        assertEquals(2, executor.runs);
        assertEquals(1, execution.sequence().get());
        assertEquals(1, failures.size(), "told once");
    }

    @Test
    void shouldRefuseABlockCutAtAHeightTheChainIsNotAt() throws Exception
    {
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), null, null, null);
        publishTransfer(2, true);
        released.set(0);

        assertEquals(1, execution.doWork());
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).getMessage().startsWith(
            "block 2 could not be executed (ordering cut block 2 but the chain is at 0)"),
            failures.get(0).getMessage());
        assertEquals(0, chain.height());
        assertEquals(-1, execution.sequence().get());
    }

    @Test
    void shouldAnswerAccountQueriesBeforeTheNextBlock() throws Exception
    {
        final ExecutionAgent execution = execution(WITHOUT_DPOS, new ReferenceExecutor(), null, null, queries);
        publishTransfer(1, true);       // sender 0, nonce 0
        released.set(0);
        query(0);

        assertEquals(1 + 1, execution.doWork());
        assertEquals(1, chain.height());
        query(0);
        assertEquals(1, execution.doWork());
        assertEquals(List.of("0:true", "1:true"), answers);
    }

    @Test
    void shouldCarryTheCommitOfThePreviousBlockAndTheProposersKeyWithDpos() throws Exception
    {
        final String json = DevnetGenesis.jsonWithAccounts(ACCOUNTS);
        final BlockSigner signer = BlockSigner.devnet(Genesis.parse(json));
        final ExecutionAgent execution = execution(json, new ReferenceExecutor(), null, signer, null);

        publishTransfer(1, true);
        released.set(0);
        assertEquals(1, execution.doWork());
        assertTrue(execution.batch(1).proposerKey >= 0, "the proposer's key is held");
        assertEquals(0, execution.batch(1).commit.count(), "block 1 carries no commit");

        publishTransfer(2, true);
        released.set(1);
        assertEquals(1, execution.doWork());
        final BlockBatch block2 = execution.batch(2);
        assertEquals(chain.state().dpos().previousValidatorCount(), block2.commit.count(),
            "every validator of block 1 signs: the node holds every devnet key");
        assertTrue(block2.commit.count() > 0);
        assertArrayEquals(ring.get(1).proposer, block2.header.proposer);
        assertTrue(failures.isEmpty(), failures::toString);
    }

    private ExecutionAgent execution(
        final String genesisJson, final BlockExecutor executor, final SnapshotStore snapshots, final BlockSigner signer,
        final AccountQueries queries)
    {
        return execution(genesisJson, executor, snapshots, signer, queries, log::add);
    }

    private ExecutionAgent execution(
        final String genesisJson, final BlockExecutor executor, final SnapshotStore snapshots, final BlockSigner signer,
        final AccountQueries queries, final Consumer<String> log)
    {
        chain = new Chain(Genesis.parse(genesisJson).createState(42), 0, new byte[32]);
        return new ExecutionAgent(StagePoller.after(ring, released), chain, executor, journaledHeight, 8, snapshots,
            errors::add, log, schedule(), signer, queries, queries == null ? null : new AnswerSink(), counters,
            failures::add);
    }

    private ProposerSchedule schedule()
    {
        return new ProposerSchedule()
        {
            @Override
            public boolean proposer(final long height, final byte[] out, final int outOffset)
            {
                return false;
            }

            @Override
            public void onBlockApplied(final Chain applied)
            {
                appliedHeights.add(applied.height());
            }
        };
    }

    private SnapshotStore snapshots(final Path root, final long intervalBlocks)
    {
        return new SnapshotStore(new DataDirectory(root), SnapshotStore.genesisHash(WITHOUT_DPOS), intervalBlocks, 4);
    }

    private void query(final int account)
    {
        assertEquals(TransactionSink.ACCEPTED,
            queries.offer(7, 8, new UnsafeBuffer(transfers.keys[account].address()), 0));
    }

    /** The next transfer of {@link TestChain} (sender n % accounts, nonce n / accounts), in the block at height. */
    private void publishTransfer(final long height, final boolean last)
    {
        final int n = transfersPublished++;
        publishInBlock(n % ACCOUNTS, n / ACCOUNTS, height, last);
    }

    /** A transfer from account 1 whose nonce is not its next: the last slot of the block at height. */
    private void publishBadNonce(final long height)
    {
        publishInBlock(1, 99, height, true);
    }

    private void publishInBlock(final int sender, final long nonce, final long height, final boolean last)
    {
        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        event.reset(transfers.unsignedTransfer(sender, nonce, event.buffer), sequence, TxEvent.OK);
        event.hash[0] = (byte)sequence;
        StageFixtures.inBlock(event, height, last);
        // As ordering stamps it: DPoS's scheduled proposer after the chain's last block (none without DPoS).
        chain.scheduledProposer(event.proposer, 0);
        ring.publish(sequence);
    }

    /** Records each account query's answer as "height:exists". */
    private final class AnswerSink implements ReceiptSink
    {
        @Override
        public void onReceipt(
            final long clientId, final byte[] txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeCharged)
        {
            throw new AssertionError("execution sends no receipts");
        }

        @Override
        public boolean offerAccountState(
            final long clientId, final long correlationId, final byte[] address, final long height,
            final boolean exists, final long balance, final long nonce)
        {
            answers.add(height + ":" + exists);
            return true;
        }
    }

    /** The reference executor, but the block at one height throws after it has changed the state. */
    private static final class ThrowingAt implements BlockExecutor
    {
        private final ReferenceExecutor executor = new ReferenceExecutor();
        private final long height;
        int runs;

        ThrowingAt(final long height)
        {
            this.height = height;
        }

        @Override
        public void execute(
            final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
        {
            runs++;
            executor.execute(state, height, txs, receipts);
            if (height == this.height)
            {
                throw new ArithmeticException("boom");
            }
        }

        @Override
        public void commit(final ChainState state)
        {
            executor.commit(state);
        }
    }
}
