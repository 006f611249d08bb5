package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.pipeline.PassThroughBatchVerifier;
import io.cmtchain.pipeline.ProposerSchedule;
import io.cmtchain.pipeline.RecentTxHashes;
import io.cmtchain.pipeline.RoundRobinProposerSchedule;
import io.cmtchain.pipeline.SignatureBatchVerifier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the node's six stages with the same work per transaction (stateless checks and hash, batched
 * verification, duplicate check and block cutting, {@link Chain#apply} with the reference executor, journal append,
 * receipt), a thread per stage, chained with {@link ArrayBlockingQueue}s ({@code put}/{@code take}, the usual way).
 * <p>
 * To keep the comparison about the hand-offs only, it too copies each frame once into a preallocated slot, recycled
 * through a free queue of the ring's size, so neither side allocates per transaction and both bound what is in
 * flight the same way.
 */
final class AbqPipeline implements AutoCloseable
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int DUPLICATE = ReceiptStatus.DUPLICATE.value();
    private static final int BAD_SIGNATURE = ReceiptStatus.BAD_SIGNATURE.value();

    /** A preallocated slot, as the ring's. */
    static final class Slot
    {
        final byte[] frame = new byte[TransactionDescriptor.MAX_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final byte[] hash = new byte[32];
        final byte[] proposer = new byte[20];
        int length;
        int status;
        boolean inBlock;
        boolean blockEnd;
        long blockHeight;
        long timestampMs;
        long feeCharged;
    }

    private final ArrayBlockingQueue<Slot> free;
    private final ArrayBlockingQueue<Slot> toDecode;
    private final ArrayBlockingQueue<Slot> toVerify;
    private final ArrayBlockingQueue<Slot> toOrder;
    private final ArrayBlockingQueue<Slot> toExecute;
    private final ArrayBlockingQueue<Slot> toJournal;
    private final ArrayBlockingQueue<Slot> toReceipt;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong receipts = new AtomicLong();
    private final int chainId;
    private final int ringSize;
    private final int verifyBatchSize;
    private final int blockMaxTxs;
    private final long blockIntervalMs;
    private final Chain chain;
    private final Supplier<BlockExecutor> executorFactory;
    private final BlockJournal journal;
    private final ProposerSchedule proposers;
    private volatile boolean running = true;

    AbqPipeline(
        final Genesis genesis, final BlockJournal journal, final int ringSize, final int verifyBatchSize,
        final int blockMaxTxs, final long blockIntervalMs, final int dedupeWindow,
        final Supplier<BlockExecutor> executorFactory)
    {
        this.executorFactory = executorFactory;
        this.chainId = genesis.chainId();
        this.ringSize = ringSize;
        this.verifyBatchSize = verifyBatchSize;
        this.blockMaxTxs = blockMaxTxs;
        this.blockIntervalMs = blockIntervalMs;
        this.journal = journal;
        chain = new Chain(genesis.createState(1), 0, new byte[32]);
        proposers = new RoundRobinProposerSchedule(genesis.validators());
        free = new ArrayBlockingQueue<>(ringSize);
        for (int i = 0; i < ringSize; i++)
        {
            free.add(new Slot());
        }
        toDecode = new ArrayBlockingQueue<>(ringSize);
        toVerify = new ArrayBlockingQueue<>(ringSize);
        toOrder = new ArrayBlockingQueue<>(ringSize);
        toExecute = new ArrayBlockingQueue<>(ringSize);
        toJournal = new ArrayBlockingQueue<>(ringSize);
        toReceipt = new ArrayBlockingQueue<>(ringSize);
        for (int i = 0; i < BLOCK_BATCHES; i++)
        {
            freeBatches.add(new Batch(blockMaxTxs));
        }
        final RecentTxHashes recent = new RecentTxHashes(dedupeWindow);
        start("abq-decode", this::decode);
        start("abq-verify", this::verify);
        start("abq-ordering", () -> order(recent));
        start("abq-execute", this::execute);
        start("abq-journal", this::journal);
        start("abq-receipts", this::receipt);
    }

    /**
     * Copy a frame into a free slot and hand it to decode, waiting while none is free.
     *
     * @param buffer holding the frame.
     * @param length of the frame.
     * @throws InterruptedException when interrupted.
     */
    void submit(final DirectBuffer buffer, final int length) throws InterruptedException
    {
        final Slot slot = free.take();
        buffer.getBytes(0, slot.frame, 0, length);
        slot.length = length;
        slot.status = OK;
        slot.inBlock = false;
        slot.blockEnd = false;
        slot.feeCharged = 0;
        toDecode.put(slot);
    }

    long receipts()
    {
        return receipts.get();
    }

    private interface Stage
    {
        void run() throws InterruptedException;
    }

    private void start(final String name, final Stage stage)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                stage.run();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void decode() throws InterruptedException
    {
        final TransactionFlyweight flyweight = new TransactionFlyweight();
        final Sha256 sha = new Sha256();
        while (running)
        {
            final Slot slot = toDecode.take();
            slot.status = flyweight.wrap(slot.buffer, 0, slot.length).check(chainId);
            if (slot.length >= TransactionDescriptor.SIGNED_OFFSET)
            {
                TxHash.compute(sha, slot.buffer, 0, slot.length, slot.hash, 0);
            }
            toVerify.put(slot);
        }
    }

    private void verify() throws InterruptedException
    {
        final SignatureBatchVerifier verifier = new PassThroughBatchVerifier();
        final Slot[] batch = new Slot[verifyBatchSize];
        final Slot[] all = new Slot[verifyBatchSize];
        while (running)
        {
            // Batch what is there, up to the batch size, as the Disruptor stage batches at endOfBatch.
            int n = 0;
            int count = 0;
            Slot slot = toVerify.take();
            do
            {
                all[n++] = slot;
                if (slot.status == OK)
                {
                    batch[count++] = slot;
                    verifier.add(slot.buffer, 0, slot.length);
                }
            }
            while (n < verifyBatchSize && (slot = toVerify.poll()) != null);
            verifier.verify();
            for (int i = 0; i < count; i++)
            {
                if (!verifier.valid(i))
                {
                    batch[i].status = BAD_SIGNATURE;
                }
            }
            verifier.reset();
            for (int i = 0; i < n; i++)
            {
                toOrder.put(all[i]);
                all[i] = null;
            }
        }
    }

    private void order(final RecentTxHashes recent) throws InterruptedException
    {
        final Slot[] pending = new Slot[ringSize];
        int held = 0;
        int inBlock = 0;
        long blockStartMs = 0;
        long nextHeight = 1;
        long lastTimestampMs = 0;
        while (running)
        {
            final Slot slot = toOrder.poll(1, TimeUnit.MILLISECONDS);
            final long nowMs = System.currentTimeMillis();
            if (slot != null)
            {
                slot.blockHeight = nextHeight;
                if (slot.status == OK)
                {
                    if (!recent.add(slot.hash, 0))
                    {
                        slot.status = DUPLICATE;
                    }
                    else
                    {
                        slot.inBlock = true;
                        if (inBlock++ == 0)
                        {
                            blockStartMs = nowMs;
                        }
                    }
                }
                if (inBlock == 0)
                {
                    toExecute.put(slot);
                    continue;
                }
                pending[held++] = slot;
            }
            if (inBlock > 0 && (inBlock == blockMaxTxs || nowMs - blockStartMs >= blockIntervalMs))
            {
                final Slot last = pending[held - 1];
                lastTimestampMs = Math.max(nowMs, lastTimestampMs);
                last.blockEnd = true;
                last.timestampMs = lastTimestampMs;
                proposers.proposer(nextHeight, last.proposer, 0);
                nextHeight++;
                for (int i = 0; i < held; i++)
                {
                    toExecute.put(pending[i]);
                    pending[i] = null;
                }
                held = 0;
                inBlock = 0;
            }
        }
    }

    /** An executed block on its way to the journal, from a pool of {@link #BLOCK_BATCHES}, as on the ring side. */
    private static final class Batch
    {
        final BlockHeader header = new BlockHeader();
        /** Empty, as the ring side's on a chain without DPoS. */
        final BlockCommit commit = new BlockCommit();
        final BlockTransactions txs;
        final BlockReceipts receipts;

        Batch(final int blockMaxTxs)
        {
            txs = new BlockTransactions(blockMaxTxs);
            receipts = new BlockReceipts(blockMaxTxs);
        }
    }

    private static final int BLOCK_BATCHES = 16;
    private final ArrayBlockingQueue<Batch> freeBatches = new ArrayBlockingQueue<>(BLOCK_BATCHES);
    private final ArrayBlockingQueue<Batch> executedBatches = new ArrayBlockingQueue<>(BLOCK_BATCHES);

    private void execute() throws InterruptedException
    {
        final BlockExecutor executor = executorFactory.get();
        final Slot[] held = new Slot[ringSize];
        final Slot[] members = new Slot[blockMaxTxs];
        Batch batch = null;
        int n = 0;
        int count = 0;
        while (running)
        {
            final Slot slot = toExecute.take();
            if (!slot.blockEnd && !slot.inBlock && n == 0)
            {
                toJournal.put(slot);
                continue;
            }
            if (batch == null)
            {
                batch = freeBatches.take();
                batch.txs.reset();
            }
            if (slot.inBlock)
            {
                batch.txs.add(slot.buffer, 0, slot.length, slot.hash, 0);
                members[count++] = slot;
            }
            held[n++] = slot;
            if (slot.blockEnd)
            {
                chain.apply(slot.timestampMs, slot.proposer, batch.txs, executor, batch.receipts, batch.header);
                for (int i = 0; i < count; i++)
                {
                    members[i].status = batch.receipts.status(i);
                    members[i].feeCharged = batch.receipts.feeCharged(i);
                    members[i] = null;
                }
                executedBatches.put(batch);
                batch = null;
                for (int i = 0; i < n; i++)
                {
                    toJournal.put(held[i]);
                    held[i] = null;
                }
                n = 0;
                count = 0;
            }
        }
    }

    private void journal() throws InterruptedException
    {
        final Slot[] held = new Slot[ringSize];
        int n = 0;
        while (running)
        {
            final Slot slot = toJournal.take();
            if (!slot.blockEnd && !slot.inBlock && n == 0)
            {
                toReceipt.put(slot);
                continue;
            }
            held[n++] = slot;
            if (slot.blockEnd)
            {
                // A block's receipts go out only after its append, as on the ring side.
                final Batch batch = executedBatches.take();
                journal.append(batch.header, batch.commit, batch.txs, batch.receipts);
                freeBatches.put(batch);
                for (int i = 0; i < n; i++)
                {
                    toReceipt.put(held[i]);
                    held[i] = null;
                }
                n = 0;
            }
        }
    }

    private void receipt() throws InterruptedException
    {
        long count = 0;
        while (running)
        {
            final Slot slot = toReceipt.take();
            consume(slot.hash, slot.status, slot.blockHeight, slot.feeCharged);
            count++;
            receipts.lazySet(count);
            free.put(slot);
        }
    }

    private long sink;

    private void consume(final byte[] hash, final int status, final long height, final long fee)
    {
        sink += hash[0] + status + height + fee;
    }

    @Override
    public void close()
    {
        running = false;
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
    }
}
