package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel equals sequential on a chain with Smart Business Contracts: blocks mixing transfers with token and escrow
 * transactions (which the parallel executor runs in order on the state) give the reference executor's receipts and
 * state root, and the contract transactions commit rather than being rejected CONTRACTS_DISABLED.
 */
class ContractsDifferentialTest
{
    private static final int CHAIN_ID = 9;
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
        final Ed25519Key[] keys = new Ed25519Key[ACCOUNTS];
        final StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < ACCOUNTS; i++)
        {
            keys[i] = ScenarioKeys.key("acct" + i);
            accounts.append(i == 0 ? "" : ",").append("{\"address\":\"").append(Hex.encode(keys[i].address()))
                .append("\",\"balanceMicroCmt\":1000000000}");
        }
        final Genesis genesis = Genesis.parse("{\"chainId\":" + CHAIN_ID + ",\"fees\":{\"minimumMicroCmt\":10}," +
            "\"accounts\":[" + accounts + "],\"validators\":[{\"publicKey\":\"" + Hex.encode(keys[0].publicKey()) +
            "\"}],\"contracts\":{\"maxScheduledActionsPerBlock\":10}}");
        final ChainState expected = genesis.createState(1);
        final ChainState actual = genesis.createState(2);
        final ReferenceExecutor reference = new ReferenceExecutor();
        final SplittableRandom random = new SplittableRandom(seed);
        final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
        final long[] nonces = new long[ACCOUNTS];
        final long[] tokens = new long[ACCOUNTS];
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[64 * 1024]);
        final BlockTransactions txs = new BlockTransactions(64);
        final BlockReceipts expectedReceipts = new BlockReceipts(64);
        final BlockReceipts actualReceipts = new BlockReceipts(64);
        final Sha256 sha = new Sha256();
        int committedContracts = 0;
        for (long height = 1; height <= 30; height++)
        {
            txs.reset();
            int offset = 0;
            final int n = random.nextInt(40);
            for (int t = 0; t < n; t++)
            {
                final int from = random.nextInt(ACCOUNTS);
                final byte[] to = keys[random.nextInt(ACCOUNTS)].address();
                final int kind = random.nextInt(height % 3 == 0 ? 1 : 4);
                final int length;
                if (kind == 0)
                {
                    length = builder.transfer(keys[from], nonces[from]++, 10, 0, to, 1 + random.nextInt(1000), frames,
                        offset);
                }
                else
                {
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
                    length = builder.build(keys[from], nonces[from]++, 10, 0, type, body, 0, body.length, frames,
                        offset);
                }
                txs.add(frames, offset, length, sha);
                offset += length;
            }
            reference.execute(expected, height, txs, expectedReceipts);
            expected.endBlock();
            executor.execute(actual, height, txs, actualReceipts);
            executor.commit(actual);
            assertEquals(-1, expectedReceipts.firstDifference(actualReceipts), "block " + height);
            assertArrayEquals(expected.stateRoot(), actual.stateRoot(), "block " + height);
            for (int i = 0; i < n; i++)
            {
                final int type = txs.buffer(i).getByte(txs.offset(i) +
                    io.cmtchain.engine.tx.TransactionDescriptor.TYPE_OFFSET) & 0xFF;
                if (ContractsDescriptor.isContract(type) && actualReceipts.status(i) == ReceiptStatus.OK.value())
                {
                    committedContracts++;
                }
            }
        }
        return committedContracts;
    }
}
