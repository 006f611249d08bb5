package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.dpos.ScenarioKeys;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;


/**
 * Parallel equals sequential, block by block: funded accounts, a genesis around them, and 30 blocks of up to 39 random
 * transactions that the reference executor and a {@link ParallelExecutor} apply to two states of that genesis; after
 * each block their receipts and state roots must be equal. The test says what each transaction is.
 */
final class DifferentialChain
{
    static final int CHAIN_ID = 9;
    private static final int BLOCKS = 30;

    /** Writes one random transaction into {@code frames} at {@code offset}; returns its length. */
    interface TransactionSource
    {
        int write(SplittableRandom random, long height, UnsafeBuffer frames, int offset);
    }

    /** Called on both states before each block executes. */
    interface BeforeBlock
    {
        void accept(ChainState state, long height);
    }

    /** Called after each block with its transactions and the parallel executor's receipts. */
    interface AfterBlock
    {
        void accept(BlockTransactions txs, BlockReceipts receipts);
    }

    final Ed25519Key[] keys;
    final long[] nonces;
    final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);

    /**
     * @param accounts funded accounts (keys {@code acct0..}), each with 1,000 CMT.
     */
    DifferentialChain(final int accounts)
    {
        keys = new Ed25519Key[accounts];
        nonces = new long[accounts];
        for (int i = 0; i < accounts; i++)
        {
            keys[i] = ScenarioKeys.key("acct" + i);
        }
    }

    /**
     * @param sections more top-level JSON members, each starting with a comma, e.g. {@code ,"dpos":{...}}.
     * @return the genesis: chain {@value #CHAIN_ID}, minimum fee 10, the accounts, account 0's key as validator.
     */
    Genesis genesis(final String sections)
    {
        final StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < keys.length; i++)
        {
            accounts.append(i == 0 ? "" : ",").append("{\"address\":\"").append(Hex.encode(keys[i].address()))
                .append("\",\"balanceMicroCmt\":1000000000}");
        }
        return Genesis.parse("{\"chainId\":" + CHAIN_ID + ",\"fees\":{\"minimumMicroCmt\":10}," +
            "\"accounts\":[" + accounts + "],\"validators\":[{\"publicKey\":\"" + Hex.encode(keys[0].publicKey()) +
            "\"}]" + sections + "}");
    }

    /**
     * Run the blocks and assert, block by block, that both executors agree.
     */
    void run(
        final Genesis genesis, final ParallelExecutor executor, final long seed, final TransactionSource source,
        final BeforeBlock before, final AfterBlock after)
    {
        run(genesis, executor, seed, BLOCKS, source, before, after);
    }

    /**
     * Run this many blocks and assert, block by block, that both executors agree.
     */
    void run(
        final Genesis genesis, final ParallelExecutor executor, final long seed, final int blocks,
        final TransactionSource source, final BeforeBlock before, final AfterBlock after)
    {
        final ReferencePair pair = new ReferencePair(genesis, 64);
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
        final BlockTransactions txs = new BlockTransactions(64);
        final Sha256 sha = new Sha256();
        for (long height = 1; height <= blocks; height++)
        {
            txs.reset();
            int offset = 0;
            final int n = random.nextInt(40);
            for (int t = 0; t < n; t++)
            {
                final int length = source.write(random, height, frames, offset);
                txs.add(frames, offset, length, sha);
                offset += length;
            }
            before.accept(pair.expected, height);
            before.accept(pair.actual, height);
            pair.executeBoth(executor, height, txs);
            after.accept(txs, pair.actualReceipts);
        }
    }
}
