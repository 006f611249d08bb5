package io.cmtchain.engine.contracts;

import io.cmtchain.engine.TestChains;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A devnet with contracts enabled, for tests: signs contract transactions with per-account nonces and runs blocks.
 */
final class ContractChain
{
    static final long FEE = TestChains.FEE;

    final Genesis genesis;
    final ChainState state;
    final Chain chain;
    ContractsState contracts;
    private final TransactionBuilder builder = new TransactionBuilder(TestChains.CHAIN_ID);
    private final long[] nonces;
    private final List<byte[]> pending = new ArrayList<>();

    ContractChain(final int accounts, final int maxActionsPerBlock)
    {
        genesis = Genesis.parse("{\"chainId\":" + TestChains.CHAIN_ID + ",\"stateTreeDepth\":3," +
            "\"fees\":{\"minimumMicroCmt\":" + FEE + ",\"byType\":{\"TOKEN_CREATE\":1000}}," +
            "\"devnet\":{\"accounts\":" + accounts + ",\"balanceMicroCmt\":" + TestChains.BALANCE +
            ",\"validators\":1}," +
            "\"contracts\":{\"maxScheduledActionsPerBlock\":" + maxActionsPerBlock + "}}");
        state = genesis.createState(42);
        chain = TestChains.chain(state);
        contracts = state.contracts();
        nonces = new long[accounts];
    }

    static Ed25519Key key(final int index)
    {
        return Genesis.devnetAccountKey(index);
    }

    static byte[] address(final int index)
    {
        return key(index).address();
    }

    long nonce(final int account)
    {
        return nonces[account];
    }

    /** Queue a transaction for the next block; returns the id a creating transaction would give its contract. */
    long add(final int account, final int type, final byte[] body)
    {
        return add(account, type, body, type == ContractsDescriptor.TOKEN_CREATE ? 1000 : FEE);
    }

    long add(final int account, final int type, final byte[] body, final long fee)
    {
        final long nonce = nonces[account]++;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.build(key(account), nonce, fee, 0, type, body, 0, body.length, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        pending.add(frame);
        return ContractsState.contractId(address(account), nonce);
    }

    /** Run the queued transactions as the next block; returns their statuses. */
    int[] block()
    {
        final BlockReceipts receipts = TestChains.runBlock(chain, pending);
        final int[] statuses = new int[pending.size()];
        for (int i = 0; i < statuses.length; i++)
        {
            statuses[i] = receipts.status(i);
        }
        pending.clear();
        return statuses;
    }

    /** Run one transaction as a block of its own; returns its status. */
    int run(final int account, final int type, final byte[] body)
    {
        add(account, type, body);
        return block()[0];
    }

    /** Roll back the nonce of a transaction rejected before its fee (so the next one lines up). */
    void unspend(final int account)
    {
        nonces[account]--;
    }

    /** Queue a CMT transfer. */
    void transfer(final int from, final int to, final long amount)
    {
        final byte[] body = new byte[28];
        System.arraycopy(address(to), 0, body, 0, 20);
        new UnsafeBuffer(body).putLong(20, amount, java.nio.ByteOrder.LITTLE_ENDIAN);
        add(from, io.cmtchain.engine.tx.TxTypes.TRANSFER, body);
    }

    /**
     * Replace the contracts state by what a snapshot of it reads back ({@link ContractsCodec}), as a node restarted
     * from a snapshot would run on: every record rehashed from scratch, the schedule relinked.
     */
    void reloadContracts()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            ContractsCodec.write(contracts, out);
            final ContractsState read = ContractsCodec.read(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            state.contracts(read);
            contracts = read;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    long balance(final int account)
    {
        final UnsafeBuffer b = new UnsafeBuffer(address(account));
        final int slot = state.accounts().find(b, 0);
        return slot < 0 ? 0 : state.accounts().balance(slot);
    }
}
