package io.cmtchain.executor;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Stakes that would buy no share (rewards have made a share dear) are rejected INVALID_AMOUNT after the fee: the
     * parallel executor must give the same receipts and root. High inflation over small pools prices a share at
     * thousands of µCMT within a few blocks, so small DELEGATEs and the charge of a small raise of a maximum
     * (UPDATE_CANDIDACY) buy none; SET_COMP_RATE moves delegations between pools. The run must reach those
     * rejections, or it compares nothing new.
     */
    @Test
    void shouldMatchReferenceOnStakesThatWouldBuyNoShare()
    {
        for (final ParallelExecutorContext.Scheduler scheduler : ParallelExecutorContext.Scheduler.values())
        {
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
            {
                final int[] refused = new int[DposDescriptor.VOTE + 1];
                final int[] taken = new int[DposDescriptor.VOTE + 1];
                runDearShares(executor, 78, refused, taken);
                final int delegate = DposDescriptor.DELEGATE;
                assertTrue(refused[delegate] > 0 && taken[delegate] > 0,
                    "DELEGATE refused " + refused[delegate] + ", taken " + taken[delegate]);
                assertTrue(refused[DposDescriptor.UPDATE_CANDIDACY] > 0, "no UPDATE_CANDIDACY bought no share");
                assertTrue(taken[DposDescriptor.SET_COMP_RATE] > 0, "no SET_COMP_RATE was taken");
            }
        }
    }

    private static void runDearShares(
        final ParallelExecutor executor, final long seed, final int[] refused, final int[] taken)
    {
        final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
        final Ed25519Key[] keys = chain.keys;
        final long[] nonces = chain.nonces;
        final byte[][] owners = new byte[CANDIDATES][];
        final String candidates = candidates(keys, owners, 10_000_000_000_000L, 10_000_000);
        // A self-stake of 1 ppm: a raise of the maximum by a few CMT charges a few µCMT.
        chain.run(chain.genesis(",\"dpos\":{\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3," +
            "\"selfStakePpm\":1,\"inflationPpm\":1000000,\"blocksPerYear\":10,\"inflationBaseMicroCmt\":100000000000," +
            "\"candidates\":[" + candidates + "]}"), executor, seed,
            (random, height, frames, offset) ->
            {
                final int kind = random.nextInt(5);
                final int owner = random.nextInt(CANDIDATES);
                final int from = kind < 2 ? CANDIDATES + random.nextInt(ACCOUNTS - CANDIDATES) : owner;
                final byte[] body;
                final int type;
                if (kind < 2)
                {
                    type = DposDescriptor.DELEGATE;
                    body = DposBodies.stake(owners[random.nextInt(CANDIDATES)], 1 + random.nextInt(200_000));
                }
                else if (kind == 2)
                {
                    // Raised by about 4 CMT a block: a charge of a few µCMT, below a share's price.
                    type = DposDescriptor.UPDATE_CANDIDACY;
                    body = DposBodies.updateCandidacy(
                        10_000_000_000_000L + 4_000_000 * height + random.nextInt(4_000_000), new byte[1]);
                }
                else if (kind == 3)
                {
                    type = DposDescriptor.SET_COMP_RATE;
                    body = DposBodies.setCompRate(keys[CANDIDATES + random.nextInt(ACCOUNTS - CANDIDATES)].address(),
                        10_000 * random.nextInt(3));
                }
                else
                {
                    return chain.builder.transfer(keys[from], nonces[from]++, 10, 0, keys[random.nextInt(ACCOUNTS)]
                        .address(), 1 + random.nextInt(1000), frames, offset);
                }
                return chain.builder.build(keys[from], nonces[from]++, 10, 0, type, body, 0, body.length, frames,
                    offset);
            },
            (state, height) -> state.dpos().beginBlock(height, owners, CANDIDATES),
            (txs, receipts) ->
            {
                for (int i = 0; i < receipts.count(); i++)
                {
                    final int type =
                        txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) & 0xFF;
                    if (receipts.status(i) == ReceiptStatus.INVALID_AMOUNT.value())
                    {
                        refused[type]++;
                    }
                    else if (receipts.status(i) == ReceiptStatus.OK.value())
                    {
                        taken[type]++;
                    }
                }
            });
    }

    private static void run(final ParallelExecutor executor, final long seed)
    {
        final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
        final Ed25519Key[] keys = chain.keys;
        final long[] nonces = chain.nonces;
        final byte[][] owners = new byte[CANDIDATES][];
        final String candidates = candidates(keys, owners, 1_000_000_000, 100_000_000);
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

    /**
     * The genesis candidates: the first {@link #CANDIDATES} keys, each at a commission of 10%, the i-th with a stake of
     * {@code stakeMicroCmt + i}.
     *
     * @param keys             the chain's keys.
     * @param owners           filled with the candidates' addresses.
     * @param maxStakeMicroCmt each candidate's maximum stake.
     * @param stakeMicroCmt    the first candidate's stake.
     * @return the genesis "candidates" entries, comma separated.
     */
    private static String candidates(
        final Ed25519Key[] keys, final byte[][] owners, final long maxStakeMicroCmt, final long stakeMicroCmt)
    {
        final StringBuilder candidates = new StringBuilder();
        for (int i = 0; i < CANDIDATES; i++)
        {
            owners[i] = keys[i].address();
            candidates.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(keys[i].publicKey()))
                .append("\",\"maxStakeMicroCmt\":").append(maxStakeMicroCmt)
                .append(",\"commissionPpm\":100000,\"stakeMicroCmt\":").append(stakeMicroCmt + i).append('}');
        }
        return candidates.toString();
    }
}
