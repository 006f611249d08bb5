package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DPoS chain for tests: accounts and candidates named by label, frames signed with automatic nonces, blocks run
 * through {@link Chain} with the reference executor ({@link Chain#apply} begins each DPoS block).
 */
final class DposChain
{
    static final int CHAIN_ID = 7;

    final ChainState state;
    DposState dpos;
    final Chain chain;
    private final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
    private final ReferenceExecutor executor = new ReferenceExecutor();
    private final Map<String, Long> nonces = new HashMap<>();
    final long fee;
    /** What {@link Chain#apply} returned for the last block: its signers that were validators of the block before. */
    int recognised;

    /**
     * @param fee        minimum fee of every type.
     * @param dposFields the inside of the "dpos" object, without braces (params, foundation, candidates).
     * @param balances   label, balance pairs.
     */
    DposChain(final long fee, final String dposFields, final Object... balances)
    {
        this(42, fee, dposFields, balances);
    }

    DposChain(final long tableSeed, final long fee, final String dposFields, final Object... balances)
    {
        this(tableSeed, fee, dposFields, false, balances);
    }

    /**
     * A chain with DPoS and the Smart Business Contracts (default contracts section).
     *
     * @param tableSeed  account table seed (not consensus state).
     * @param fee        minimum fee of every type.
     * @param dposFields the inside of the "dpos" object, without braces.
     * @param balances   label, balance pairs.
     * @return the chain.
     */
    static DposChain withContracts(
        final long tableSeed, final long fee, final String dposFields, final Object... balances)
    {
        return new DposChain(tableSeed, fee, dposFields, true, balances);
    }

    private DposChain(
        final long tableSeed, final long fee, final String dposFields, final boolean contracts,
        final Object... balances)
    {
        this.fee = fee;
        final StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < balances.length; i += 2)
        {
            if (i > 0)
            {
                accounts.append(',');
            }
            accounts.append("{\"address\":\"").append(Hex.encode(address((String)balances[i])))
                .append("\",\"balanceMicroCmt\":").append(balances[i + 1]).append('}');
        }
        final String json = "{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":2,\"fees\":{\"minimumMicroCmt\":" + fee +
            "},\"accounts\":[" + accounts + "],\"validators\":[{\"publicKey\":\"" +
            Hex.encode(key("genesis-validator").publicKey()) + "\"}],\"dpos\":{" + dposFields + "}" +
            (contracts ? ",\"contracts\":{}" : "") + "}";
        state = Genesis.parse(json).createState(tableSeed);
        dpos = state.dpos();
        chain = new Chain(state, 0, new byte[32]);
    }

    static Ed25519Key key(final String label)
    {
        return ScenarioKeys.key(label);
    }

    static byte[] address(final String label)
    {
        return key(label).address();
    }

    static String hex(final String label)
    {
        return Hex.encode(address(label));
    }

    /** @return a genesis candidate entry: the label's key, owner its address. */
    static String candidate(final String label, final long maxStake, final long commissionPpm, final long stake)
    {
        return "{\"publicKey\":\"" + Hex.encode(key(label).publicKey()) + "\",\"maxStakeMicroCmt\":" + maxStake +
            ",\"commissionPpm\":" + commissionPpm + ",\"stakeMicroCmt\":" + stake + "}";
    }

    byte[] tx(final String label, final int type, final byte[] body)
    {
        final long nonce = nonces.getOrDefault(label, 0L);
        nonces.put(label, nonce + 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.build(key(label), nonce, fee, 0, type, body, 0, body.length, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /**
     * @param label of the sender.
     * @return the nonce its next transaction from {@link #tx} will carry.
     */
    long nonce(final String label)
    {
        return nonces.getOrDefault(label, 0L);
    }

    /** Take every sender's next nonce from its account: after blocks whose rejections may or may not have used one. */
    void resyncNonces()
    {
        for (final Map.Entry<String, Long> e : nonces.entrySet())
        {
            final int slot = state.accounts().find(new UnsafeBuffer(address(e.getKey())), 0);
            e.setValue(slot < 0 ? 0 : state.accounts().nonce(slot));
        }
    }

    /** A transaction whose outcome leaves the nonce unchanged (a rejection before the fee): undo the count. */
    void unuseNonce(final String label)
    {
        nonces.put(label, nonces.get(label) - 1);
    }

    /**
     * Run the next block.
     *
     * @param signers labels of the candidates whose signatures committed the previous block.
     * @param frames  transactions.
     * @return the receipt statuses.
     */
    int[] block(final List<String> signers, final byte[]... frames)
    {
        final byte[][] s = new byte[signers.size()][];
        for (int i = 0; i < s.length; i++)
        {
            s[i] = address(signers.get(i));
        }
        return block(s, frames);
    }

    int[] block(final byte[][] s, final byte[]... frames)
    {
        final BlockTransactions txs = new BlockTransactions(Math.max(1, frames.length));
        final Sha256 sha = new Sha256();
        for (final byte[] frame : frames)
        {
            txs.add(new UnsafeBuffer(frame), 0, frame.length, sha);
        }
        final BlockReceipts receipts = new BlockReceipts(Math.max(1, frames.length));
        recognised = chain.apply(chain.height() * 10_000, new byte[20], s, s.length, txs, executor, receipts,
            new BlockHeader());
        final int[] statuses = new int[frames.length];
        for (int i = 0; i < frames.length; i++)
        {
            statuses[i] = receipts.status(i);
        }
        return statuses;
    }

    int[] block(final String signersCsv, final byte[]... frames)
    {
        final List<String> signers = new ArrayList<>();
        for (final String s : signersCsv.split(","))
        {
            if (!s.isBlank())
            {
                signers.add(s.trim());
            }
        }
        return block(signers, frames);
    }

    /**
     * Replace the DPoS state by what a snapshot of it reads back ({@link DposCodec}), as a node restarted from a
     * snapshot would run on: every record rehashed from scratch, the ranking and open proposals rebuilt.
     */
    void reloadDpos()
    {
        final DposState read = snapshot();
        state.dpos(read);
        dpos = read;
    }

    private DposState snapshot()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            DposCodec.write(dpos, out);
            return DposCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    long balance(final String label)
    {
        final UnsafeBuffer b = new UnsafeBuffer(address(label));
        final int slot = state.accounts().find(b, 0);
        return slot < 0 ? 0 : state.accounts().balance(slot);
    }

    Candidate candidate(final String label)
    {
        return dpos.candidates.get(new ByteKey(address(label)));
    }

    /** @return value of {@code delegator}'s delegation to {@code candidate}, 0 if none. */
    long stake(final String candidate, final String delegator)
    {
        final Delegation d = candidate(candidate).delegations.get(new ByteKey(address(delegator)));
        return d == null ? 0 : d.valueMicroCmt();
    }

    /**
     * Every conservation invariant, and that the digest kept up to date block by block is the one a snapshot of the
     * state rebuilds from scratch (a record changed but not marked dirty would differ); call after any block.
     */
    void checkConservation()
    {
        dpos.auditHeldMicroCmt();
        final long total = state.totalSupplyMicroCmt();
        if (total != dpos.supplyMicroCmt())
        {
            throw new AssertionError("supply " + total + " != genesis + minted - slashed " + dpos.supplyMicroCmt());
        }
        final byte[] kept = new byte[32];
        final byte[] rebuilt = new byte[32];
        dpos.digest(kept, 0);
        snapshot().digest(rebuilt, 0);
        if (!java.util.Arrays.equals(kept, rebuilt))
        {
            throw new AssertionError("the DPoS digest kept block by block differs from its snapshot's");
        }
    }
}
