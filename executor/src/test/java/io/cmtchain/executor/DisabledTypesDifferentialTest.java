package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Well-formed DPoS and contract transactions on a chain that has neither, among transfers of the same senders. They
 * pass the stateless checks (the random blocks' wrong types do not), so the rules reject them DPOS_DISABLED and
 * CONTRACTS_DISABLED, charging nothing and leaving the nonce, so the sender's next transfer with the following nonce
 * is BAD_NONCE and one reusing the nonce commits. The declared scheduler declares no account for such a DPoS
 * transaction and runs its block in parallel; a contract type sends the block in order; the optimistic scheduler runs
 * both in order. Each block is checked against the reference executor, and the test checks that the blocks took the
 * paths it claims and that the rejections happened.
 */
class DisabledTypesDifferentialTest
{
    private static final int ACCOUNTS = 10;
    private static final long FEE = 10;

    private final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
    private final BlockTransactions txs = new BlockTransactions(64);
    private final Sha256 sha = new Sha256();
    private int offset;

    @ParameterizedTest
    @EnumSource(ParallelExecutorContext.Scheduler.class)
    void shouldRejectDisabledTypesAsTheReferenceDoesAndKeepTheirSendersNonces(
        final ParallelExecutorContext.Scheduler scheduler)
    {
        final ReferencePair pair = new ReferencePair(chain.genesis(""), 64);
        final byte[] candidate = chain.keys[0].address();

        for (int height = 1; height <= 2; height++)
        {
            final boolean contracts = height == 2;
            txs.reset();
            offset = 0;
            for (int from = 1; from < ACCOUNTS; from++)
            {
                final byte[] body = contracts ?
                    ContractBodies.escrowCreate(chain.keys[0].address(), null, 0, 1_000, 100) :
                    DposBodies.stake(candidate, 1_000_000_000);
                final int type = contracts ? ContractsDescriptor.ESCROW_CREATE : DposDescriptor.DELEGATE;
                final long nonce = chain.nonces[from];
                add(chain.builder.build(chain.keys[from], nonce, FEE, 0, type, body, 0, body.length, frames, offset));
                // The rejection leaves the nonce: the next one is refused, the same one commits.
                transfer(from, nonce + 1);
                transfer(from, nonce);
                chain.nonces[from] = nonce + 1;
            }
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(3).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
            {
                pair.executeBoth(executor, height, txs);
                final boolean parallel = !contracts && scheduler == ParallelExecutorContext.Scheduler.DECLARED;
                assertEquals(parallel ? 1 : 0, executor.parallelBlocks(), "block " + height + " ran in parallel");
            }
            final int rejected = (contracts ? ReceiptStatus.CONTRACTS_DISABLED : ReceiptStatus.DPOS_DISABLED).value();
            for (int i = 0; i < txs.count(); i += 3)
            {
                assertEquals(rejected, pair.expectedReceipts.status(i), "block " + height + " tx " + i);
                assertEquals(0, pair.expectedReceipts.feeCharged(i), "block " + height + " tx " + i);
                assertEquals(ReceiptStatus.BAD_NONCE.value(), pair.expectedReceipts.status(i + 1));
                assertEquals(ReceiptStatus.OK.value(), pair.expectedReceipts.status(i + 2));
            }
            assertEquals(pair.expected.feePoolMicroCmt(), pair.actual.feePoolMicroCmt(), "block " + height);
        }
    }

    private void transfer(final int from, final long nonce)
    {
        add(chain.builder.transfer(chain.keys[from], nonce, FEE, 0, chain.keys[(from + 1) % ACCOUNTS].address(), 1_000,
            frames, offset));
    }

    private void add(final int length)
    {
        txs.add(frames, offset, length, sha);
        offset += length;
    }
}
