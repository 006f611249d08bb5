package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.MerkleRoot;
import io.cmtchain.engine.block.ReceiptsRoot;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.pipeline.RecentTxHashes;
import io.cmtchain.pipeline.RoundRobinProposerSchedule;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The floor under {@link PipelineBenchmark}'s {@code handoff} runs: the same per-transaction work as its stages, done
 * on one thread with no hand-offs at all. Per transaction: the one copy into a preallocated slot, the stateless
 * checks, the transaction hash, the duplicate check, adding it to its block; per block of 1,024: {@link Chain#apply}
 * with {@link HandoffExecutor} (the transactions and receipts roots, the header hash), the journal append (discarding)
 * and the receipts.
 * <p>
 * Whatever carries transactions between stages, two cores cannot pass them through faster than twice this rate. So
 * twice this score divided by the ArrayBlockingQueue pipeline's score bounds the ratio any pipeline can reach against
 * it on this machine; the report prints that bound beside the measured ratios.
 * <p>
 * {@link #hashing} is the part of that work that the chain's format fixes: only the SHA-256 digests that the same
 * block needs (per transaction its hash, of 107 bytes for a transfer, two blocks of the compression function, and its
 * receipt leaf, one block; per inner node of the transactions and receipts trees, 65 bytes, two blocks; the header).
 * Twice its score over the ArrayBlockingQueue pipeline's is what the ratio could reach if everything else the stages
 * do cost nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class PipelineFloorBenchmark
{
    private static final int BLOCK = 1024;
    private static final int RING_SIZE = 8192;
    private static final int SENDERS = 1024;
    private static final int OK = ReceiptStatus.OK.value();

    private BenchTransfers transfers;
    private final UnsafeBuffer[] slots = new UnsafeBuffer[RING_SIZE];
    private final byte[][] hashes = new byte[RING_SIZE][32];
    private final int[] statuses = new int[RING_SIZE];
    private final TransactionFlyweight flyweight = new TransactionFlyweight();
    private final Sha256 sha = new Sha256();
    private final RecentTxHashes recent = new RecentTxHashes(1 << 18);
    private final BlockTransactions txs = new BlockTransactions(BLOCK);
    private final BlockReceipts receipts = new BlockReceipts(BLOCK);
    private final BlockHeader header = new BlockHeader();
    private final BlockCommit commit = new BlockCommit();
    private final byte[] proposer = new byte[20];
    private final HandoffExecutor executor = new HandoffExecutor();
    private final MerkleRoot merkle = new MerkleRoot();
    private final ReceiptsRoot receiptsRoot = new ReceiptsRoot();
    private final byte[] root = new byte[32];
    private final byte[] headerScratch = new byte[BlockHeader.ENCODED_LENGTH];
    private final DiscardingBlockJournal journal = new DiscardingBlockJournal();
    private Chain chain;
    private RoundRobinProposerSchedule proposers;
    private int chainId;
    private long cursor;
    private long sink;

    @Setup
    public void setUp()
    {
        transfers = new BenchTransfers(SENDERS);
        chainId = transfers.genesis.chainId();
        chain = new Chain(transfers.genesis.createState(1), 0, new byte[32]);
        proposers = new RoundRobinProposerSchedule(transfers.genesis.validators());
        for (int i = 0; i < RING_SIZE; i++)
        {
            slots[i] = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public long block()
    {
        final int length = transfers.length();
        txs.reset();
        final int first = (int)(cursor & (RING_SIZE - 1));
        for (int i = 0; i < BLOCK; i++)
        {
            final int s = (int)(cursor++ & (RING_SIZE - 1));
            final UnsafeBuffer slot = slots[s];
            slot.putBytes(0, transfers.next(), 0, length);
            int status = flyweight.wrap(slot, 0, length).check(chainId);
            TxHash.compute(sha, slot, 0, length, hashes[s], 0);
            if (status == OK && !recent.add(hashes[s], 0))
            {
                status = ReceiptStatus.DUPLICATE.value();
            }
            statuses[s] = status;
            if (status == OK)
            {
                txs.add(slot, 0, length, hashes[s], 0);
            }
        }
        final long height = chain.height() + 1;
        proposers.proposer(height, proposer, 0);
        chain.apply(height, proposer, txs, executor, receipts, header);
        journal.append(header, commit, txs, receipts);
        long consumed = 0;
        for (int i = 0, k = 0; i < BLOCK; i++)
        {
            final int s = (first + i) & (RING_SIZE - 1);
            final int status = statuses[s] == OK ? receipts.status(k++) : statuses[s];
            consumed += hashes[s][0] + status + height;
        }
        sink += consumed;
        return sink;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public long hashing()
    {
        final int length = transfers.length();
        txs.reset();
        for (int i = 0; i < BLOCK; i++)
        {
            final int s = (int)(cursor++ & (RING_SIZE - 1));
            final UnsafeBuffer slot = slots[s];
            slot.putBytes(0, transfers.next(), 0, length);
            TxHash.compute(sha, slot, 0, length, hashes[s], 0);
            txs.add(slot, 0, length, hashes[s], 0);
        }
        executor.execute(null, 0, txs, receipts);
        merkle.compute(txs.hashes(), txs.count(), header.txRoot, 0);
        receiptsRoot.compute(txs, receipts, header.receiptsRoot);
        header.hash(sha, headerScratch, root, 0);
        sink += root[0];
        return sink;
    }
}
