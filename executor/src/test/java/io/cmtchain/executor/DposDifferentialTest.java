package io.cmtchain.executor;

import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;

/**
 * Parallel equals sequential on a DPoS chain: blocks mixing transfers with delegations and withdrawals (which the
 * parallel executor must run in order on the state) give the reference executor's receipts and state root.
 */
class DposDifferentialTest
{
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
        final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
        final Ed25519Key[] keys = chain.keys;
        final long[] nonces = chain.nonces;
        final StringBuilder candidates = new StringBuilder();
        final byte[][] owners = new byte[CANDIDATES][];
        for (int i = 0; i < CANDIDATES; i++)
        {
            owners[i] = keys[i].address();
            candidates.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(keys[i].publicKey()))
                .append("\",\"maxStakeMicroCmt\":1000000000,\"commissionPpm\":100000,\"stakeMicroCmt\":")
                .append(100_000_000 + i).append('}');
        }
        chain.run(chain.genesis(",\"dpos\":{\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3,\"candidates\":[" +
            candidates + "]}"), executor, seed,
            (random, height, frames, offset) ->
            {
                final int from = random.nextInt(ACCOUNTS);
                final int kind = random.nextInt(height % 3 == 0 ? 1 : 4);
                if (kind == 0)
                {
                    return chain.builder.transfer(keys[from], nonces[from]++, 10, 0, keys[random.nextInt(ACCOUNTS)]
                        .address(), 1 + random.nextInt(1000), frames, offset);
                }
                final int type = kind == 1 ? DposDescriptor.WITHDRAW : DposDescriptor.DELEGATE;
                final byte[] body = DposBodies.stake(owners[random.nextInt(CANDIDATES)], 1 + random.nextInt(50_000));
                return chain.builder.build(keys[from], nonces[from]++, 10, 0, type, body, 0, body.length, frames,
                    offset);
            },
            (state, height) -> state.dpos().beginBlock(height, owners, CANDIDATES),
            (txs, receipts) -> { });
    }
}
