package io.cmtchain.engine.state;

import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.util.Sha256;

import java.nio.charset.StandardCharsets;

/**
 * The whole state the chain agrees on: accounts and the chain-level values beside them.
 * <p>
 * The fee pool is a hot key that every transaction adds to, so it is kept as a per-block delta
 * ({@link #addFeeDelta(long)}) folded once in {@link #endBlock()}; executors never serialise on it.
 * <pre>
 *   stateRoot = SHA-256("CMTCHAIN/STATE/V1" || accountsRoot || SHA-256(feePool i64 LE))
 *   with DPoS:  SHA-256("CMTCHAIN/STATE/V1" || accountsRoot || SHA-256(feePool i64 LE) || dposDigest)
 *   with contracts, their digest follows (after the DPoS digest when both are on): ... || contractsDigest
 * </pre>
 * With DPoS enabled ({@link #dpos(DposState)}), {@link #foldDeltas()} hands the block's fees to
 * {@link DposState#endBlock} (award, unbonding payouts, governance, election, DPoS digest); fees no validator was
 * rewarded with go to the fee pool.
 */
public final class ChainState
{
    private static final byte[] STATE_TAG = "CMTCHAIN/STATE/V1".getBytes(StandardCharsets.US_ASCII);

    private final int chainId;
    private final StateCommitment commitment;
    private final AccountStore accounts;
    private final FeeSchedule fees;
    private final Sha256 sha = new Sha256();
    private final byte[] accountsRoot = new byte[32];
    private final byte[] systemDigest = new byte[32];
    private long feePoolMicroCmt;
    private long feeDeltaMicroCmt;
    private DposState dpos;
    private final byte[] dposDigest = new byte[32];
    private ContractsState contracts;
    private final byte[] contractsDigest = new byte[32];

    /**
     * @param chainId      of the chain.
     * @param treeDepth    of the accounts' commitment.
     * @param expectedSize accounts to size for.
     * @param fees         fee schedule.
     * @param tableSeed    account table seed (not consensus state).
     */
    public ChainState(
        final int chainId, final int treeDepth, final int expectedSize, final FeeSchedule fees, final long tableSeed)
    {
        this.chainId = chainId;
        this.commitment = new StateCommitment(treeDepth);
        this.accounts = new AccountStore(commitment, expectedSize, tableSeed);
        this.fees = fees;
    }

    public int chainId()
    {
        return chainId;
    }

    public AccountStore accounts()
    {
        return accounts;
    }

    public FeeSchedule fees()
    {
        return fees;
    }

    /** @return the DPoS state, or null on a chain without DPoS. */
    public DposState dpos()
    {
        return dpos;
    }

    /**
     * Enable DPoS, at genesis or snapshot loading, before the first block.
     *
     * @param dpos the DPoS state.
     */
    public void dpos(final DposState dpos)
    {
        this.dpos = dpos;
    }

    /** @return the Smart Business Contracts state, or null on a chain without contracts. */
    public ContractsState contracts()
    {
        return contracts;
    }

    /**
     * Enable the Smart Business Contracts, at genesis or snapshot loading, before the first block.
     *
     * @param contracts the contracts state; bound to this state's accounts.
     */
    public void contracts(final ContractsState contracts)
    {
        contracts.bind(accounts);
        this.contracts = contracts;
    }

    public long feePoolMicroCmt()
    {
        return feePoolMicroCmt;
    }

    /**
     * Set the fee pool, for genesis and snapshot loading.
     *
     * @param value in µCMT.
     */
    public void feePoolMicroCmt(final long value)
    {
        feePoolMicroCmt = value;
    }

    /**
     * @param fee collected by a transaction, in µCMT; folded into the pool at block end.
     */
    public void addFeeDelta(final long fee)
    {
        feeDeltaMicroCmt = Math.addExact(feeDeltaMicroCmt, fee);
    }

    /** @return fees collected in the current block so far. */
    public long feeDeltaMicroCmt()
    {
        return feeDeltaMicroCmt;
    }

    /** Fold the block's deltas and bring the commitment up to date, on this thread. */
    public void endBlock()
    {
        foldDeltas();
        commitment.update(accounts);
    }

    /** Fold the block's deltas into their keys; the first half of {@link #endBlock()}. */
    public void foldDeltas()
    {
        final long unawarded = dpos == null ? feeDeltaMicroCmt : dpos.endBlock(accounts, feeDeltaMicroCmt);
        feePoolMicroCmt = Math.addExact(feePoolMicroCmt, unawarded);
        feeDeltaMicroCmt = 0;
        if (contracts != null)
        {
            // Folds token supplies and runs the contract actions due at the start of the next height.
            contracts.endBlock();
        }
    }

    /** @return the accounts' commitment, for executors that hash its parts on threads of their own. */
    public StateCommitment commitment()
    {
        return commitment;
    }

    /**
     * The root as of the last {@link #endBlock()}.
     *
     * @param out    receives 32 bytes.
     * @param offset in {@code out}.
     */
    public void stateRoot(final byte[] out, final int offset)
    {
        commitment.root(accountsRoot, 0);
        sha.updateLong(feePoolMicroCmt);
        sha.digest(systemDigest, 0);
        sha.update(STATE_TAG).update(accountsRoot).update(systemDigest);
        if (dpos != null)
        {
            dpos.digest(dposDigest, 0);
            sha.update(dposDigest);
        }
        if (contracts != null)
        {
            contracts.digest(contractsDigest, 0);
            sha.update(contractsDigest);
        }
        sha.digest(out, offset);
    }

    /** @return the root as of the last {@link #endBlock()}, as a new array. */
    public byte[] stateRoot()
    {
        final byte[] root = new byte[32];
        stateRoot(root, 0);
        return root;
    }

    /**
     * Sum of every balance, the fee pool, what DPoS holds (stake, unbonding) and what contracts lock; constant under
     * transfers and staking, moved only by minting and slashing. Walks every account.
     *
     * @return total µCMT in existence.
     */
    public long totalSupplyMicroCmt()
    {
        long total = Math.addExact(feePoolMicroCmt, feeDeltaMicroCmt);
        if (dpos != null)
        {
            total = Math.addExact(total, dpos.heldMicroCmt());
        }
        if (contracts != null)
        {
            total = Math.addExact(total, contracts.heldMicroCmt());
        }
        for (int slot = 0, n = accounts.size(); slot < n; slot++)
        {
            total = Math.addExact(total, accounts.balance(slot));
        }
        return total;
    }
}
