package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * The Block-STM paper's peer-to-peer workload: blocks of transfers between accounts drawn uniformly from a set of
 * {@code accounts} (2 is full contention), every one valid, with nonces that follow on from block to block.
 * <p>
 * Executors never check signatures (they run after verification), so frames carry a zero signature, and account
 * "public keys" are 32 pseudo-random bytes whose SHA-256 gives the address: a million accounts are built in a
 * second instead of deriving a million Ed25519 keys. The state is built directly rather than through a genesis
 * document for the same reason; two states built from the same workload are identical.
 */
public final class ExecutorWorkload implements BenchWorkload
{
    static final int CHAIN_ID = 1001;
    static final long MIN_FEE_MICRO_CMT = 100;
    static final long BALANCE_MICRO_CMT = 1_000_000_000_000L;
    static final int TREE_DEPTH = 5;

    private final int accounts;
    private final int blockSize;
    private final int blocks;
    private final byte[][] publicKeys;
    private final byte[][] addresses;
    private final UnsafeBuffer[] frames;
    private final int[][] offsets;
    private final int[][] lengths;

    /**
     * @param accounts  distinct accounts that send and receive; at least 2.
     * @param blockSize transactions per block.
     * @param blocks    consecutive blocks to generate.
     * @param seed      of the random choices.
     */
    public ExecutorWorkload(final int accounts, final int blockSize, final int blocks, final long seed)
    {
        if (accounts < 2)
        {
            throw new IllegalArgumentException("a transfer workload needs at least 2 accounts, was " + accounts);
        }
        this.accounts = accounts;
        this.blockSize = blockSize;
        this.blocks = blocks;
        publicKeys = new byte[accounts][];
        addresses = new byte[accounts][];
        final Sha256 sha = new Sha256();
        for (int i = 0; i < accounts; i++)
        {
            sha.update("cmt-bench-account".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).updateLong(i);
            publicKeys[i] = sha.digest();
            addresses[i] = Addresses.of(publicKeys[i]);
        }

        final SplittableRandom random = new SplittableRandom(seed);
        final long[] nonces = new long[accounts];
        final int frameLength = TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
        frames = new UnsafeBuffer[blocks];
        offsets = new int[blocks][blockSize];
        lengths = new int[blocks][blockSize];
        for (int b = 0; b < blocks; b++)
        {
            frames[b] = new UnsafeBuffer(new byte[blockSize * frameLength]);
            for (int i = 0; i < blockSize; i++)
            {
                final int from = random.nextInt(accounts);
                int to = random.nextInt(accounts - 1);
                if (to >= from)
                {
                    to++;
                }
                final int offset = i * frameLength;
                offsets[b][i] = offset;
                lengths[b][i] = encodeTransfer(frames[b], offset, publicKeys[from], nonces[from]++,
                    MIN_FEE_MICRO_CMT, addresses[to], 1 + random.nextInt(1000));
            }
        }
    }

    @Override
    public int accounts()
    {
        return accounts;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public int blocks()
    {
        return blocks;
    }

    @Override
    public long firstHeight()
    {
        return 1;
    }

    /** @return a state in which every account of the workload holds {@link #BALANCE_MICRO_CMT}. */
    @Override
    public ChainState createState()
    {
        final ChainState state = new ChainState(
            CHAIN_ID, TREE_DEPTH, Math.max(1024, accounts * 2), new FeeSchedule(MIN_FEE_MICRO_CMT), 42);
        final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        for (int i = 0; i < accounts; i++)
        {
            address.putBytes(0, addresses[i]);
            state.accounts().balance(state.accounts().findOrCreate(address, 0), BALANCE_MICRO_CMT);
        }
        state.endBlock();
        return state;
    }

    /**
     * @param block index of the block.
     * @param txs   receives its transactions (hashes left zero: executors do not read them).
     */
    @Override
    public void fill(final int block, final BlockTransactions txs)
    {
        txs.reset();
        final byte[] noHash = new byte[32];
        for (int i = 0; i < blockSize; i++)
        {
            txs.add(frames[block], offsets[block][i], lengths[block][i], noHash, 0);
        }
    }

    /**
     * Encode an unsigned TRANSFER frame (zero signature).
     *
     * @param out       buffer.
     * @param offset    in {@code out}.
     * @param publicKey 32-byte sender key.
     * @param nonce     sender's nonce.
     * @param fee       offered.
     * @param recipient 20-byte address.
     * @param amount    µCMT.
     * @return frame length.
     */
    static int encodeTransfer(
        final UnsafeBuffer out,
        final int offset,
        final byte[] publicKey,
        final long nonce,
        final long fee,
        final byte[] recipient,
        final long amount)
    {
        return TransactionBuilder.encodeUnsignedTransfer(out, offset, CHAIN_ID, publicKey, nonce, fee, 0, recipient,
            amount);
    }
}
