package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a contracts block costs as the contract state grows: a block of 1,000 token transfers from one issuer to
 * holders picked at random among {@code holders} existing ones, executed by the reference executor, then the block's
 * end and the state root (which re-digests the changed contract records). The state is built once per trial: the
 * token, then one transfer to each holder, in blocks of 10,000. The frames of each measured block are built outside
 * the measured time. Average time per block; the score should stay nearly flat from 10,000 to 1,000,000 holders if
 * a block's commitment cost follows what it changed, not the size of the state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class ContractDigestBenchmark
{
    private static final int BLOCK = 1_000;
    private static final int SETUP_BLOCK = 10_000;
    private static final long SUPPLY = 1_000_000_000_000_000L;

    @Param({"10000", "1000000"})
    public int holders;

    private final ReferenceExecutor executor = new ReferenceExecutor();
    private final BlockTransactions txs = new BlockTransactions(SETUP_BLOCK);
    private final BlockReceipts receipts = new BlockReceipts(SETUP_BLOCK);
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[SETUP_BLOCK * 256]);
    private final byte[] noHash = new byte[32];
    private final byte[] root = new byte[32];
    private final SplittableRandom random = new SplittableRandom(42);
    private byte[] issuerKey;
    private byte[][] holderAddresses;
    private ChainState state;
    private long tokenId;
    private long nonce;
    private long height;

    @Setup(Level.Trial)
    public void setUp()
    {
        issuerKey = new Sha256().update("cmt-bench-issuer".getBytes(StandardCharsets.US_ASCII)).digest();
        state = new ChainState(ExecutorWorkload.CHAIN_ID, ExecutorWorkload.TREE_DEPTH, 1024,
            new FeeSchedule(ExecutorWorkload.MIN_FEE_MICRO_CMT), 42);
        final UnsafeBuffer address = new UnsafeBuffer(Addresses.of(issuerKey));
        state.accounts().balance(state.accounts().findOrCreate(address, 0), ExecutorWorkload.BALANCE_MICRO_CMT);
        state.contracts(new ContractsState(ContractWorkload.MAX_ACTIONS_PER_BLOCK));
        state.endBlock();

        tokenId = ContractsState.contractId(Addresses.of(issuerKey), nonce);
        txs.reset();
        add(0, ContractsDescriptor.TOKEN_CREATE, ContractBodies.tokenCreate("Digest", "DG", 0, 0, SUPPLY));
        run("token creation");

        holderAddresses = new byte[holders][];
        for (int i = 0; i < holders; i++)
        {
            holderAddresses[i] = new byte[20];
            random.nextBytes(holderAddresses[i]);
        }
        for (int first = 0; first < holders; first += SETUP_BLOCK)
        {
            txs.reset();
            int end = 0;
            for (int i = first; i < Math.min(holders, first + SETUP_BLOCK); i++)
            {
                end = add(end, ContractsDescriptor.TOKEN_TRANSFER, ContractBodies.tokenMove(tokenId,
                    holderAddresses[i], 1_000));
            }
            run("setup block at holder " + first);
        }
    }

    @Setup(Level.Invocation)
    public void nextBlock()
    {
        txs.reset();
        int end = 0;
        for (int i = 0; i < BLOCK; i++)
        {
            end = add(end, ContractsDescriptor.TOKEN_TRANSFER,
                ContractBodies.tokenMove(tokenId, holderAddresses[random.nextInt(holders)], 1));
        }
    }

    @Benchmark
    public byte[] block()
    {
        executor.execute(state, ++height, txs, receipts);
        state.endBlock();
        state.stateRoot(root, 0);
        return root;
    }

    private int add(final int offset, final int type, final byte[] body)
    {
        final int length = TransactionBuilder.encodeUnsigned(frames, offset, ExecutorWorkload.CHAIN_ID, issuerKey,
            nonce++, ExecutorWorkload.MIN_FEE_MICRO_CMT, 0, type, body, 0, body.length);
        txs.add(frames, offset, length, noHash, 0);
        return offset + length;
    }

    private void run(final String what)
    {
        executor.execute(state, ++height, txs, receipts);
        state.endBlock();
        ContractWorkload.requireCommitted(what, txs, receipts);
        state.stateRoot(root, 0);
    }
}
