package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.journal.SnapshotStore;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Stage 4: execution. Collects the admitted slots of each block by reference (no copy), applies the block with
 * {@link Chain#apply} and the configured {@link BlockExecutor}, and writes each transaction's status and fee back into
 * its slot for the receipts stage.
 * <p>
 * It runs ahead of the journal by at most {@link #BLOCK_BATCHES} blocks: the header, transactions and receipts of an
 * executed block wait in a {@link BlockBatch} until the journal has appended the block that used the batch before.
 * <p>
 * DPoS: each block begins with the commit of the previous block: its validators whose keys this node holds
 * ({@link BlockSigner#commitSigners}), fed to DPoS by {@link Chain#apply} (rewards go to the signers); once it is
 * applied the {@link ProposerSchedule} learns the next proposer. The signatures (the commit's and the proposer's over
 * the header) are made by the journal stage before it appends the block, not here.
 * <p>
 * Account queries ({@link AccountQueries}): this stage owns the state, so it answers them, at the start of each duty
 * cycle, between blocks.
 * <p>
 * Snapshots: this stage owns the state, so it writes them, after a block whose height is due and once the journal
 * has appended that block (a snapshot never runs ahead of the journal), before it executes the next block. The walk
 * over every account pauses execution for its length; a failed write is reported and skipped (it only makes a
 * later recovery re-execute more blocks).
 * <p>
 * A block whose execution throws (a defect: the rules give every transaction a receipt) stops this stage for good.
 * The state may hold part of the block, so nothing more is executed or answered from it; the block's last slot is not
 * passed on, so the journal never appends it and none of its receipts leaves; and the node is told
 * ({@code onFailure}). Retrying would apply the block's transactions a second time on top of the first.
 */
final class ExecutionAgent implements Agent, EventPoller.Handler<TxEvent>
{
    /** Blocks in flight between execution and the journal; a power of two. */
    static final int BLOCK_BATCHES = 16;

    private final StagePoller poller;
    private final Chain chain;
    private final BlockExecutor executor;
    private final BlockBatch[] batches = new BlockBatch[BLOCK_BATCHES];
    private final Sequence journaledHeight;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter lastBlockTxsCounter;
    private final AtomicCounter heightCounter;
    private final AtomicCounter snapshotsCounter;
    private final AtomicCounter snapshotMsCounter;
    private final SnapshotStore snapshots;
    private final ErrorHandler errorHandler;
    private final Consumer<String> log;
    private final ProposerSchedule proposerSchedule;
    private final BlockSigner signer;
    private final AccountQueries queries;
    private final ReceiptSink answers;
    private long snapshotDueHeight;
    private BlockBatch batch;
    private int count;
    private boolean needBatch = true;
    private int processed;
    private final Consumer<Throwable> onFailure;
    private IllegalStateException failure;
    /** Set once the stage has stopped for good after a failure, its sequence final (read by the node's close). */
    private volatile boolean stopped;

    ExecutionAgent(
        final StagePoller poller,
        final Chain chain,
        final BlockExecutor executor,
        final Sequence journaledHeight,
        final int blockMaxTxs,
        final SnapshotStore snapshots,
        final ErrorHandler errorHandler,
        final Consumer<String> log,
        final ProposerSchedule proposerSchedule,
        final BlockSigner signer,
        final AccountQueries queries,
        final ReceiptSink answers,
        final NodeCounters counters,
        final Consumer<Throwable> onFailure)
    {
        this.onFailure = onFailure;
        this.proposerSchedule = proposerSchedule;
        this.signer = signer;
        this.queries = queries;
        this.answers = answers;
        this.snapshots = snapshots;
        this.errorHandler = errorHandler;
        this.log = log;
        this.poller = poller;
        this.chain = chain;
        this.executor = executor;
        this.journaledHeight = journaledHeight;
        for (int i = 0; i < BLOCK_BATCHES; i++)
        {
            batches[i] = new BlockBatch(blockMaxTxs);
        }
        eventsCounter = counters.executeEvents;
        queueCounter = counters.executeQueue;
        lastBlockTxsCounter = counters.lastBlockTxs;
        heightCounter = counters.chainHeight;
        snapshotsCounter = counters.snapshots;
        snapshotMsCounter = counters.lastSnapshotMs;
    }

    Sequence sequence()
    {
        return poller.getSequence();
    }

    /** @return true once a block's execution failed and {@link #sequence()} will not move again. */
    boolean hasStopped()
    {
        return stopped;
    }


    /**
     * @param height of a block.
     * @return the batch that holds it between execution and the journal.
     */
    BlockBatch batch(final long height)
    {
        return batches[(int)(height & (BLOCK_BATCHES - 1))];
    }

    @Override
    public int doWork() throws Exception
    {
        if (null != failure)
        {
            return 0;
        }
        // Between blocks the state is the last executed block's: answer account queries first.
        final int answered = null == queries ? 0 : queries.answer(chain, answers);
        processed = 0;
        if (snapshotDueHeight != 0)
        {
            if (journaledHeight.get() < snapshotDueHeight)
            {
                return answered;
            }
            writeSnapshot();
        }
        if (needBatch && !claimBatch())
        {
            return answered;
        }
        if (snapshotDueHeight != 0)
        {
            return answered;
        }
        try
        {
            poller.poll(this);
        }
        catch (final IllegalStateException ex)
        {
            if (ex != failure)
            {
                throw ex;
            }
            // Reported through onFailure; the poller has passed on the slots before the failed block's last only.
            stopped = true;
            return processed + answered;
        }
        queueCounter.setRelease(poller.gate() - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        return processed + answered;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        if (event.inBlock)
        {
            batch.txs.add(event.buffer, 0, event.length, event.hash, 0);
            batch.events[count++] = event;
        }
        if (event.blockEnd)
        {
            try
            {
                execute(event);
            }
            catch (final Throwable ex)
            {
                failure = new IllegalStateException("block " + event.blockHeight + " could not be executed (" +
                    (ex.getMessage() != null ? ex.getMessage() : ex.toString()) + "): a defect in the engine, since " +
                    "every transaction should get a receipt; keep the node's log and report it", ex);
                onFailure.accept(failure);
                // Thrown, not returned: the poller then does not pass on this slot, the block's last.
                throw failure;
            }
            // Stop after each block, so that the journal sees it now; the next block starts on the next duty cycle
            // (once its batch is free of the journal).
            claimBatch();
            return false;
        }
        return true;
    }

    private void execute(final TxEvent last)
    {
        final long height = chain.height() + 1;
        if (height != last.blockHeight)
        {
            throw new IllegalStateException("ordering cut block " + last.blockHeight + " but the chain is at " +
                chain.height());
        }
        if (signer != null)
        {
            // Who signs (the proposer, and the last block's validators whose keys this node holds); the journal stage
            // makes the signatures before it appends the block.
            batch.proposerKey = signer.proposerKeyIndex(chain, last.proposer);
            signer.commitSigners(chain, batch.commit, batch.commitKeys);
            chain.apply(last.timestampMs, last.proposer, batch.commit.signers(), batch.commit.count(), batch.txs,
                executor, batch.receipts, batch.header);
        }
        else
        {
            batch.commit.reset();
            chain.apply(last.timestampMs, last.proposer, batch.txs, executor, batch.receipts, batch.header);
        }
        // Ordering may release the next block only now (with DPoS its proposer follows from this block's state).
        proposerSchedule.onBlockApplied(chain);
        for (int i = 0; i < count; i++)
        {
            final TxEvent event = batch.events[i];
            event.status = batch.receipts.status(i);
            event.feeCharged = batch.receipts.feeCharged(i);
            batch.events[i] = null;
        }
        lastBlockTxsCounter.setRelease(count);
        heightCounter.setRelease(height);
        count = 0;
        needBatch = true;
        if (snapshots != null && snapshots.isDue(height))
        {
            snapshotDueHeight = height;
        }
    }

    private void writeSnapshot()
    {
        final long startNs = System.nanoTime();
        try
        {
            final Path file = snapshots.write(chain);
            final long ms = (System.nanoTime() - startNs) / 1_000_000;
            snapshotsCounter.incrementRelease();
            snapshotMsCounter.setRelease(ms);
            log.accept("snapshot: " + file.getFileName() + " (" + chain.state().accounts().size() + " accounts) in " +
                ms + " ms");
        }
        catch (final RuntimeException ex)
        {
            // Any failure, not only an I/O one: left due, the snapshot would be tried again every duty cycle and no
            // block executed after it. A snapshot only shortens recovery; the chain goes on without it.
            errorHandler.onError(ex);
        }
        snapshotDueHeight = 0;
    }

    private boolean claimBatch()
    {
        final long next = chain.height() + 1;
        if (next - journaledHeight.get() > BLOCK_BATCHES)
        {
            return false;
        }
        batch = batch(next);
        batch.txs.reset();
        needBatch = false;
        return true;
    }

    @Override
    public String roleName()
    {
        return "cmt-execute";
    }
}
