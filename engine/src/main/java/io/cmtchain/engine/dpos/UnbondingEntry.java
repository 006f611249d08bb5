package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

/**
 * A withdrawal waiting for its maturity height. Pooled stake leaves as shares, which keep earning (and can be
 * slashed) until paid at {@code floor(shares * value / totalShares)}; idle principal leaves as a fixed amount.
 */
final class UnbondingEntry extends DigestRecord
{
    final long id;
    final ByteKey delegator;
    final Candidate candidate;
    final StakePool pool;
    final long shares;
    final long fixedMicroCmt;
    final long matureHeight;

    UnbondingEntry(
        final long id,
        final ByteKey delegator,
        final Candidate candidate,
        final StakePool pool,
        final long shares,
        final long fixedMicroCmt,
        final long matureHeight)
    {
        super(idKey(id));
        this.id = id;
        this.delegator = delegator;
        this.candidate = candidate;
        this.pool = pool;
        this.shares = shares;
        this.fixedMicroCmt = fixedMicroCmt;
        this.matureHeight = matureHeight;
    }

    static byte[] idKey(final long id)
    {
        final byte[] k = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            k[i] = (byte)(id >>> (56 - 8 * i));
        }
        return k;
    }

    /** @return the µCMT it would pay now. */
    long valueMicroCmt()
    {
        return Math.addExact(pool.valueOf(shares), fixedMicroCmt);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(id).update(delegator.raw()).update(candidate.owner.raw()).updateLong(pool.commissionPpm)
            .updateLong(shares).updateLong(fixedMicroCmt).updateLong(matureHeight);
    }
}
