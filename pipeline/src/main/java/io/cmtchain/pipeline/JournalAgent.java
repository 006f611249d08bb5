package io.cmtchain.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.Consumer;

/**
 * Stage 5: the journal. Appends each executed block ({@link BlockJournal#append}) when it reaches the block's last
 * slot; its sequence ({@link #sequence()}, which the receipts stage follows) never passes the first slot of a block not
 * yet appended, so no receipt of a block (nor any after it in the ring) leaves before the block is as durable as the
 * journal makes it.
 * <p>
 * A failed signature or append (a full disk, an I/O error, a fault in the mapped file) stops this stage for good: the
 * block's receipts are never released, no later block is appended after the gap, and the node is told
 * ({@code onFailure}) so that it stops instead of running on without a journal.
 * <p>
 * DPoS: before the append it signs the block ({@link BlockSigner#sign}): the commit it carries, over the previous
 * block's header hash (kept here from the block before, or the recovered chain's last), and its header as proposer.
 * Execution has already applied the block with the commit's signers; the signatures only go into the journal.
 * <p>
 * Transaction queries ({@link TransactionQueries}): this stage owns the journal, so it answers them from the
 * journal's transaction index, at the start of each duty cycle, between appends.
 */
final class JournalAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final StagePoller poller;
    private final ExecutionAgent execution;
    private final BlockJournal journal;
    private final Sequence journaledHeight;
    private final AtomicCounter eventsCounter;
    private final AtomicCounter queueCounter;
    private final AtomicCounter blocksCounter;
    private final BlockSigner signer;
    private final TransactionQueries queries;
    private final ReceiptSink answers;
    /** The header hash of the last block appended (or of the chain's last block at start): what a commit signs. */
    private final byte[] lastHeaderHash = new byte[32];
    private final Sequence durable;
    private final Consumer<Throwable> onFailure;
    /** Why this stage stopped (told to the node through onFailure); read only on this stage's thread. */
    private Throwable failure;
    /** Set, after {@link #durable}, once the stage has stopped for good after a failure (read by the node's close). */
    private volatile boolean stopped;
    /** The last slot handled, set after {@link #durable} at the end of each duty cycle (read by the node's close). */
    private final Sequence settled;
    /** The first slot of the block being read, not yet appended; -1 between blocks. */
    private long openBlockFirst = -1;
    private int processed;
    private int blocks;

    /**
     * @param signer the node's keys on a DPoS chain, else null.
     * @param chain  as recovered, before any stage runs: where the first commit's header hash comes from.
     * @param queries transaction queries to answer, or null.
     * @param answers where their answers go (the transport's egress), or null without queries.
     * @param onFailure told once, on this stage's thread, when a block cannot be signed or appended.
     */
    JournalAgent(
        final StagePoller poller,
        final ExecutionAgent execution,
        final BlockJournal journal,
        final Sequence journaledHeight,
        final BlockSigner signer,
        final Chain chain,
        final TransactionQueries queries,
        final ReceiptSink answers,
        final NodeCounters counters,
        final Consumer<Throwable> onFailure)
    {
        this.signer = signer;
        this.queries = queries;
        this.answers = answers;
        if (signer != null)
        {
            chain.lastHeaderHash(lastHeaderHash);
        }
        this.poller = poller;
        this.durable = new Sequence(poller.getSequence().get());
        this.settled = new Sequence(poller.getSequence().get());
        this.onFailure = onFailure;
        this.execution = execution;
        this.journal = journal;
        this.journaledHeight = journaledHeight;
        eventsCounter = counters.journalEvents;
        queueCounter = counters.journalQueue;
        blocksCounter = counters.journalBlocks;
    }

    /** @return the last slot receipts may pass: every slot handled, up to the first of a block not yet appended. */
    Sequence sequence()
    {
        return durable;
    }

    /** @return the last slot handled, with {@link #sequence()} already moved for it. */
    long settled()
    {
        return settled.get();
    }

    /** @return true once a block could not be appended and {@link #sequence()} will not move again. */
    boolean hasStopped()
    {
        return stopped;
    }


    @Override
    public int doWork() throws Exception
    {
        if (null != failure)
        {
            return 0;
        }
        // Between appends: answer transaction queries from what is journaled so far.
        final int answered = null == queries ? 0 : queries.answer(answers);
        processed = 0;
        blocks = 0;
        poller.poll(this);
        if (processed > 0)
        {
            // Receipts may pass every slot handled, up to the first slot of a block not yet appended.
            durable.set(openBlockFirst < 0 ? poller.getSequence().get() : openBlockFirst - 1);
            settled.set(poller.getSequence().get());
        }
        if (null != failure)
        {
            stopped = true;
        }
        queueCounter.setRelease(poller.gate() - poller.getSequence().get());
        if (processed > 0)
        {
            eventsCounter.getAndAddRelease(processed);
        }
        if (blocks > 0)
        {
            blocksCounter.getAndAddRelease(blocks);
        }
        return processed + answered;
    }

    @Override
    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        processed++;
        if (event.inBlock && openBlockFirst < 0)
        {
            openBlockFirst = sequence;
        }
        if (event.blockEnd)
        {
            final BlockBatch batch = execution.batch(event.blockHeight);
            try
            {
                if (signer != null)
                {
                    signer.sign(batch.header, batch.proposerKey, batch.commit, batch.commitKeys, lastHeaderHash);
                }
                journal.append(batch.header, batch.commit, batch.txs, batch.receipts);
            }
            catch (final Throwable ex)
            {
                // This block's receipts stay held, and nothing is appended after it. Almost always the block is not
                // durable; the journal's message says when it is (its index could not be written after the append).
                failure = new IllegalStateException("the journal failed at block " + event.blockHeight + ": " +
                    (ex.getMessage() != null ? ex.getMessage() : ex.toString()), ex);
                onFailure.accept(failure);
                return false;
            }
            openBlockFirst = -1;
            // Releases the batch to execution for the block BLOCK_BATCHES later.
            journaledHeight.set(event.blockHeight);
            blocks++;
            // Stop after the append so that the block's receipts can go out now.
            return false;
        }
        return true;
    }

    @Override
    public String roleName()
    {
        return "cmt-journal";
    }
}
