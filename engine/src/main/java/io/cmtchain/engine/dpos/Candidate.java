package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

import java.util.ArrayList;
import java.util.TreeMap;

/**
 * A validator candidate: identity (owner account and consensus public key), declared maximum stake, commission,
 * flags, and its stake pools. Pool 0 is at the candidate's own commission and holds the owner's self-stake; a
 * delegator given a lower rate by SET_COMP_RATE moves to the pool at that rate.
 */
final class Candidate extends DigestRecord
{
    /** Roles from the last election. */
    static final int ROLE_CANDIDATE = 0;
    static final int ROLE_BACKUP = 1;
    static final int ROLE_VALIDATOR = 2;

    /** @return the role's name as snapshots' checks and scenario reports give it. */
    static String roleName(final int role)
    {
        return role == ROLE_VALIDATOR ? "validator" : role == ROLE_BACKUP ? "backup" : "candidate";
    }

    /**
     * Most pools a candidate has, pool 0 included: a pool is never removed, and every rewarded block walks and hashes
     * them all, so without a bound an owner could add one per SET_COMP_RATE (up to a million rates, one fee each) and
     * slow every block of the chain.
     */
    static final int MAX_POOLS = 64;

    final ByteKey owner;
    final ByteKey publicKey;
    final int commissionPpm;
    final long declaredHeight;
    long maxStakeMicroCmt;
    byte[] description;
    boolean active = true;
    boolean verified;
    boolean withdrawn;
    int missedBlocks;
    long lastSlashedHeight;
    /** Idle (below-minimum) principal of every delegation to it. */
    long idleMicroCmt;
    final ArrayList<StakePool> pools = new ArrayList<>(2);
    /** Its delegations by delegator, in address order (withdrawal of candidacy and slashing walk them). */
    final TreeMap<ByteKey, Delegation> delegations = new TreeMap<>();

    /** Election bookkeeping (derived, not hashed): the stake it is ranked by while in the ranking set. */
    long rankStakeMicroCmt;
    boolean ranked;
    boolean rankChanged;
    int role = ROLE_CANDIDATE;
    long votingPower;

    Candidate(
        final ByteKey owner,
        final ByteKey publicKey,
        final long maxStakeMicroCmt,
        final int commissionPpm,
        final byte[] description,
        final long declaredHeight)
    {
        super(owner.bytes());
        this.owner = owner;
        this.publicKey = publicKey;
        this.maxStakeMicroCmt = maxStakeMicroCmt;
        this.commissionPpm = commissionPpm;
        this.description = description;
        this.declaredHeight = declaredHeight;
        pools.add(new StakePool(this, commissionPpm));
    }

    /**
     * @param commission a pool's rate.
     * @return its pool at that rate, or null (none is created).
     */
    StakePool poolOrNull(final int commission)
    {
        final int index = poolIndex(commission);
        return index >= 0 ? pools.get(index) : null;
    }

    StakePool pool(final int commission)
    {
        final int index = poolIndex(commission);
        if (index >= 0)
        {
            return pools.get(index);
        }
        final StakePool pool = new StakePool(this, commission);
        // Kept in descending commission order after pool 0 so that the encoding does not depend on history.
        int at = 1;
        while (at < pools.size() && pools.get(at).commissionPpm > commission)
        {
            at++;
        }
        pools.add(at, pool);
        return pool;
    }

    /** @return the index of its pool at that rate, or -1. */
    private int poolIndex(final int commission)
    {
        for (int i = 0, n = pools.size(); i < n; i++)
        {
            if (pools.get(i).commissionPpm == commission)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return µCMT in its pools: the stake that votes and earns. */
    long pooledMicroCmt()
    {
        long total = 0;
        for (int i = 0, n = pools.size(); i < n; i++)
        {
            total = Math.addExact(total, pools.get(i).valueMicroCmt);
        }
        return total;
    }

    /** @return every µCMT staked with it: pools and idle principal. */
    long totalStakeMicroCmt()
    {
        return Math.addExact(pooledMicroCmt(), idleMicroCmt);
    }

    /** @return true if it may be elected. */
    boolean eligible()
    {
        return active && !withdrawn;
    }

    /**
     * @param selfStakePpm the parameter.
     * @return the self-stake its owner must keep: selfStakePpm of the declared maximum.
     */
    long requiredSelfStakeMicroCmt(final long selfStakePpm)
    {
        return MulDiv.ppm(maxStakeMicroCmt, selfStakePpm);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(owner.raw()).update(publicKey.raw()).updateLong(maxStakeMicroCmt).updateLong(commissionPpm)
            .updateLong(declaredHeight)
            .update((byte)((active ? 1 : 0) | (verified ? 2 : 0) | (withdrawn ? 4 : 0)))
            .updateLong(missedBlocks).updateLong(lastSlashedHeight).updateLong(idleMicroCmt)
            .updateLong(description.length).update(description).updateLong(pools.size());
        for (int i = 0, n = pools.size(); i < n; i++)
        {
            final StakePool p = pools.get(i);
            sha.updateLong(p.commissionPpm).updateLong(p.valueMicroCmt).updateLong(p.totalShares);
        }
    }
}
