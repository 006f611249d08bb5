package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

/**
 * One delegator's stake with one candidate: shares of a pool (earning, carrying voting power) and, below the
 * minimum delegation, an idle principal that neither earns nor votes.
 * <p>
 * Rule for the minimum: the check is made when the delegation changes. A delegation whose value reaches the
 * minimum moves into the pool; a withdrawal that leaves a pooled delegation below the minimum moves the rest out
 * to idle. Rewards and slashing move a pooled delegation's value without re-checking it.
 */
final class Delegation extends DigestRecord
{
    final ByteKey delegator;
    final Candidate candidate;
    StakePool pool;
    long shares;
    long idleMicroCmt;

    Delegation(final ByteKey delegator, final Candidate candidate, final StakePool pool)
    {
        super(key(candidate.owner, delegator));
        this.delegator = delegator;
        this.candidate = candidate;
        this.pool = pool;
    }

    static byte[] key(final ByteKey candidate, final ByteKey delegator)
    {
        final byte[] k = new byte[40];
        System.arraycopy(candidate.raw(), 0, k, 0, 20);
        System.arraycopy(delegator.raw(), 0, k, 20, 20);
        return k;
    }

    /** @return µCMT: pooled value plus idle principal. */
    long valueMicroCmt()
    {
        return Math.addExact(pool.valueOf(shares), idleMicroCmt);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(sortKey).updateLong(pool.commissionPpm).updateLong(shares).updateLong(idleMicroCmt);
    }
}
