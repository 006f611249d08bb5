package io.cmtchain.executor;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel equals sequential on a chain with Smart Business Contracts: blocks mixing transfers with token and escrow
 * transactions (which the parallel executor runs in order on the state) give the reference executor's receipts and
 * state root, and the contract transactions commit rather than being rejected CONTRACTS_DISABLED.
 */
class ContractsDifferentialTest
{
    private static final int ACCOUNTS = 20;

    @Test
    void shouldMatchReferenceAndCommitContractTransactionsOnBothSchedulers()
    {
        for (final ParallelExecutorContext.Scheduler scheduler : ParallelExecutorContext.Scheduler.values())
        {
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
            {
                assertTrue(run(executor, 5) > 100, scheduler + ": contract transactions committed");
            }
        }
    }

    private static int run(final ParallelExecutor executor, final long seed)
    {
        final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
        final Ed25519Key[] keys = chain.keys;
        final long[] nonces = chain.nonces;
        final long[] tokens = new long[ACCOUNTS];
        final int[] committedContracts = new int[1];
        chain.run(chain.genesis(",\"contracts\":{\"maxScheduledActionsPerBlock\":10}"), executor, seed,
            (random, height, frames, offset) ->
            {
                final int from = random.nextInt(ACCOUNTS);
                final byte[] to = keys[random.nextInt(ACCOUNTS)].address();
                final int kind = random.nextInt(height % 3 == 0 ? 1 : 4);
                if (kind == 0)
                {
                    return chain.builder.transfer(keys[from], nonces[from]++, 10, 0, to, 1 + random.nextInt(1000),
                        frames, offset);
                }
                final int type;
                final byte[] body;
                if (tokens[from] == 0)
                {
                    tokens[from] = ContractsState.contractId(keys[from].address(), nonces[from]);
                    type = ContractsDescriptor.TOKEN_CREATE;
                    body = ContractBodies.tokenCreate("T" + from, "T" + from, 0, 0, 1_000_000);
                }
                else if (kind == 1)
                {
                    type = ContractsDescriptor.TOKEN_TRANSFER;
                    body = ContractBodies.tokenMove(tokens[from], to, 1 + random.nextInt(100));
                }
                else
                {
                    type = ContractsDescriptor.ESCROW_CREATE;
                    body = ContractBodies.escrowCreate(to, new byte[20], 0, 1 + random.nextInt(100),
                        height + random.nextInt(4));
                }
                return chain.builder.build(keys[from], nonces[from]++, 10, 0, type, body, 0, body.length, frames,
                    offset);
            },
            (state, height) -> { },
            (txs, receipts) ->
            {
                for (int i = 0; i < txs.count(); i++)
                {
                    final int type = txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) & 0xFF;
                    if (ContractsDescriptor.isContract(type) && receipts.status(i) == ReceiptStatus.OK.value())
                    {
                        committedContracts[0]++;
                    }
                }
            });
        return committedContracts[0];
    }
}
