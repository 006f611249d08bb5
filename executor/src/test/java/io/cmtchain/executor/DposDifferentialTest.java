package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.dpos.ScenarioKeys;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parallel equals sequential on a DPoS chain: blocks mixing transfers with delegations and withdrawals (which the
 * parallel executor must run in order on the state) give the reference executor's receipts and state root.
 */
class DposDifferentialTest
{
    private static final int CHAIN_ID = 9;
    private static final int ACCOUNTS = 40;
    private static final int CANDIDATES = 6;

    @Test
    void shouldMatchReferenceWithDposTransactionsOnBothSchedulers()
    {
        for (final ParallelExecutorContext.Scheduler scheduler : ParallelExecutorContext.Scheduler.values())
        {
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
            {
                run(executor, 77);
            }
        }
    }

    private static void run(final ParallelExecutor executor, final long seed)
    {
        final Ed25519Key[] keys = new Ed25519Key[ACCOUNTS];
        final StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < ACCOUNTS; i++)
        {
            keys[i] = ScenarioKeys.key("acct" + i);
            accounts.append(i == 0 ? "" : ",").append("{\"address\":\"").append(Hex.encode(keys[i].address()))
                .append("\",\"balanceMicroCmt\":1000000000}");
        }
        final StringBuilder candidates = new StringBuilder();
        final byte[][] owners = new byte[CANDIDATES][];
        for (int i = 0; i < CANDIDATES; i++)
        {
            owners[i] = keys[i].address();
            candidates.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(keys[i].publicKey()))
                .append("\",\"maxStakeMicroCmt\":1000000000,\"commissionPpm\":100000,\"stakeMicroCmt\":")
                .append(100_000_000 + i).append('}');
        }
        final Genesis genesis = Genesis.parse("{\"chainId\":" + CHAIN_ID + ",\"fees\":{\"minimumMicroCmt\":10}," +
            "\"accounts\":[" + accounts + "],\"validators\":[{\"publicKey\":\"" + Hex.encode(keys[0].publicKey()) +
            "\"}],\"dpos\":{\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3,\"candidates\":[" + candidates + "]}}");
        final ChainState expected = genesis.createState(1);
        final ChainState actual = genesis.createState(2);
        final ReferenceExecutor reference = new ReferenceExecutor();
        final SplittableRandom random = new SplittableRandom(seed);
        final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
        final long[] nonces = new long[ACCOUNTS];
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
        final BlockTransactions txs = new BlockTransactions(64);
        final BlockReceipts expectedReceipts = new BlockReceipts(64);
        final BlockReceipts actualReceipts = new BlockReceipts(64);
        final Sha256 sha = new Sha256();
        for (long height = 1; height <= 30; height++)
        {
            txs.reset();
            int offset = 0;
            final int n = random.nextInt(40);
            for (int t = 0; t < n; t++)
            {
                final int from = random.nextInt(ACCOUNTS);
                final int kind = random.nextInt(height % 3 == 0 ? 1 : 4);
                final int length;
                if (kind == 0)
                {
                    length = builder.transfer(keys[from], nonces[from]++, 10, 0, keys[random.nextInt(ACCOUNTS)]
                        .address(), 1 + random.nextInt(1000), frames, offset);
                }
                else
                {
                    final int type = kind == 1 ? DposDescriptor.WITHDRAW : DposDescriptor.DELEGATE;
                    final byte[] body = DposBodies.stake(owners[random.nextInt(CANDIDATES)], 1 + random.nextInt(50_000));
                    length = builder.build(keys[from], nonces[from]++, 10, 0, type, body, 0, body.length, frames, offset);
                }
                txs.add(frames, offset, length, sha);
                offset += length;
            }
            expected.dpos().beginBlock(height, owners, CANDIDATES);
            actual.dpos().beginBlock(height, owners, CANDIDATES);
            reference.execute(expected, height, txs, expectedReceipts);
            expected.endBlock();
            executor.execute(actual, height, txs, actualReceipts);
            executor.commit(actual);
            assertEquals(-1, expectedReceipts.firstDifference(actualReceipts), "block " + height);
            assertArrayEquals(expected.stateRoot(), actual.stateRoot(), "block " + height);
        }
    }
}
