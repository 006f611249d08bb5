package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.ScenarioKeys;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Accounts that come into being other than by a transfer, and are spent from at once, on a chain with Smart Business
 * Contracts. The random differential tests create accounts only by transfers, and their contract chains pay only
 * accounts that exist. Here an escrow release pays a seller with no account (the contracts state creates it in the
 * middle of an in-order block), which then sends in the same block; and an escrow's deadline action pays, at the end
 * of a block the scheduler runs in parallel, a seller that a transfer of that very block created and that sent on in
 * it, and another that no transfer ever named, which both spend in the next parallel block. Each block is checked
 * against the reference executor (receipts, state root, account count, fee pool), and the test checks that the
 * blocks took the paths it claims and that every transaction did what it was written for.
 */
class CreatedAccountDifferentialTest
{
    private static final int ACCOUNTS = 12;
    private static final long FEE = 10;
    private static final long CMT = 1_000_000;

    private final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
    private final Ed25519Key[] outsider = new Ed25519Key[6];
    private final long[] outsiderNonce = new long[outsider.length];
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
    private final BlockTransactions txs = new BlockTransactions(64);
    private final Sha256 sha = new Sha256();
    private int offset;

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldMatchReferenceOnAccountsCreatedByContractsAndSpentAtOnce(
        final ParallelExecutorContext.Scheduler scheduler)
    {
        for (int i = 0; i < outsider.length; i++)
        {
            outsider[i] = ScenarioKeys.key("created-in-block-" + i);
        }
        final ReferencePair pair =
            new ReferencePair(chain.genesis(",\"contracts\":{\"maxScheduledActionsPerBlock\":10}"), 64);

        // Block 1, in order (contract types): escrows whose sellers have no account.
        begin();
        final long releasedEscrow = escrow(2, 1, 40 * CMT, 100);
        escrow(1, 0, 50 * CMT, 3);
        escrow(3, 4, 30 * CMT, 4);
        transfer(5, chain.keys[6].address(), CMT);
        run(pair, scheduler, 1, false);
        assertEquals(AccountStore.MISSING, slot(pair.expected, outsider[1]));

        // Block 2, in order: the release creates outsider 1 mid-block; it sends at once, to a new address (2), which
        // sends back. At the block's end the deadline action of height 3 creates outsider 0.
        begin();
        contract(2, ContractsDescriptor.ESCROW_RELEASE, ContractBodies.escrowAction(releasedEscrow));
        outsiderTransfer(1, outsider[2].address(), 10 * CMT);
        outsiderTransfer(2, outsider[1].address(), CMT);
        transfer(7, outsider[1].address(), 2 * CMT);
        run(pair, scheduler, 2, false);
        assertEquals(50 * CMT, balance(pair.expected, outsider[0]));
        assertEquals(AccountStore.MISSING, slot(pair.expected, outsider[4]));

        // Block 3, transfers only, in parallel: a transfer creates outsider 4, which sends on in this block, and the
        // deadline action of height 4 pays it again at the block's end. A transfer to outsider 5 fails before
        // reaching it and a later one creates it. Outsiders 0, 1 and 2 spend; independent transfers beside them.
        begin();
        transfer(8, outsider[4].address(), 5 * CMT);
        outsiderTransfer(4, outsider[3].address(), CMT);
        outsiderTransfer(0, chain.keys[9].address(), 7 * CMT);
        outsiderTransfer(1, outsider[0].address(), 3 * CMT);
        outsiderTransfer(2, outsider[2].address(), CMT);
        transfer(9, outsider[5].address(), 2_000 * CMT);
        transfer(10, outsider[5].address(), 4 * CMT);
        outsiderTransfer(5, outsider[4].address(), CMT);
        for (int i = 0; i < 6; i++)
        {
            transfer(i, chain.keys[ACCOUNTS - 1 - i].address(), CMT + i);
        }
        run(pair, scheduler, 3, true);
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), pair.expectedReceipts.status(5));
        assertEquals(5 * CMT - CMT - FEE + CMT + 30 * CMT, balance(pair.expected, outsider[4]));

        // Block 4, transfers only, in parallel: every outsider spends what it was paid, some to each other.
        begin();
        for (int i = 0; i < outsider.length; i++)
        {
            outsiderTransfer(i, outsider[(i + 1) % outsider.length].address(), CMT / 2);
            outsiderTransfer(i, chain.keys[i].address(), CMT / 4);
        }
        run(pair, scheduler, 4, true);
    }

    private void begin()
    {
        txs.reset();
        offset = 0;
    }

    private long escrow(final int buyer, final int seller, final long amount, final long deadline)
    {
        final long id = ContractsState.contractId(chain.keys[buyer].address(), chain.nonces[buyer]);
        contract(buyer, ContractsDescriptor.ESCROW_CREATE,
            ContractBodies.escrowCreate(outsider[seller].address(), null, 0, amount, deadline));
        return id;
    }

    private void contract(final int from, final int type, final byte[] body)
    {
        add(chain.builder.build(chain.keys[from], chain.nonces[from]++, FEE, 0, type, body, 0, body.length, frames,
            offset));
    }

    private void transfer(final int from, final byte[] to, final long amount)
    {
        add(chain.builder.transfer(chain.keys[from], chain.nonces[from]++, FEE, 0, to, amount, frames, offset));
    }

    private void outsiderTransfer(final int from, final byte[] to, final long amount)
    {
        add(chain.builder.transfer(outsider[from], outsiderNonce[from]++, FEE, 0, to, amount, frames, offset));
    }

    private void add(final int length)
    {
        txs.add(frames, offset, length, sha);
        offset += length;
    }

    /**
     * Run the block on a fresh executor, so that it takes the path its contents call for (no earlier block's timing
     * sends it in order), on both chains; all but the one transfer written to fail must commit.
     */
    private void run(
        final ReferencePair pair, final ParallelExecutorContext.Scheduler scheduler, final long height,
        final boolean parallel)
    {
        try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
            .threads(3).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
        {
            pair.executeBoth(executor, height, txs);
            assertEquals(parallel ? 1 : 0, executor.parallelBlocks(), "block " + height + " ran in parallel");
        }
        assertEquals(pair.expected.accounts().size(), pair.actual.accounts().size(), "block " + height);
        assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt(), "block " + height);
        for (int i = 0; i < txs.count(); i++)
        {
            if (!(height == 3 && i == 5))
            {
                assertEquals(ReceiptStatus.OK.value(), pair.expectedReceipts.status(i), "block " + height + " tx " + i);
            }
        }
    }

    private static int slot(final ChainState state, final Ed25519Key key)
    {
        return state.accounts().find(new UnsafeBuffer(key.address()), 0);
    }

    private static long balance(final ChainState state, final Ed25519Key key)
    {
        final int slot = slot(state, key);
        return slot == AccountStore.MISSING ? -1 : state.accounts().balance(slot);
    }
}
