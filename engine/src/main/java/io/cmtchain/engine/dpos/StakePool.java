package io.cmtchain.engine.dpos;

/**
 * A candidate's share-based stake pool at one commission rate. Delegators (and unbonding entries, which keep
 * earning until paid) hold shares; rewards raise {@link #valueMicroCmt} and slashing lowers it, both in O(1),
 * without touching any delegation.
 * <p>
 * Remainder rule: a holder of {@code s} shares owns {@code floor(s * value / totalShares)} µCMT; buying mints
 * {@code floor(amount * totalShares / value)} shares (1:1 in an empty pool; a transaction whose purchase would mint
 * none is rejected, see {@link #sharesBought}); selling an exact amount burns
 * {@code ceil(amount * totalShares / value)} shares. Every rounding favours the pool, so the dust stays in it and is
 * shared by its remaining holders; the last holder to leave takes the whole value, so nothing is stranded.
 * Conservation holds exactly at pool level: value changes only by the amounts paid in and out.
 * Invariant: {@code totalShares > 0} implies {@code value > 0} (slashing takes {@code floor(value * ppm)}, with
 * ppm below one million, so never all of it).
 */
final class StakePool
{
    final Candidate candidate;
    final int commissionPpm;
    long valueMicroCmt;
    long totalShares;

    StakePool(final Candidate candidate, final int commissionPpm)
    {
        this.candidate = candidate;
        this.commissionPpm = commissionPpm;
    }

    /**
     * @param shares held.
     * @return their value in µCMT, rounded down.
     */
    long valueOf(final long shares)
    {
        if (shares == 0)
        {
            return 0;
        }
        if (shares == totalShares)
        {
            return valueMicroCmt;
        }
        return MulDiv.floor(shares, valueMicroCmt, totalShares);
    }

    /**
     * Whether {@link #buy} can take an amount: the shares it would mint, and the pool's value and total shares with
     * them, fit in a long. Slashing lowers the value and not the shares, so after enough of it (one slash at the
     * highest rate, or some thousands of double-sign evidences at the default 0.1%) a share is worth a tiny fraction
     * of a µCMT, and a large amount would buy more than 2^63-1 of them.
     *
     * @param amountMicroCmt to pay in, >= 0.
     * @return true when {@link #buy} would not overflow.
     */
    boolean canBuy(final long amountMicroCmt)
    {
        return sharesBought(amountMicroCmt) >= 0;
    }

    /**
     * The shares {@link #buy} would mint, without buying. Rewards raise the value and not the shares, so a share can
     * cost more than the amount, which then buys 0 shares: the rules refuse such a purchase rather than take the
     * amount for nothing.
     *
     * @param amountMicroCmt to pay in, >= 0.
     * @return shares {@link #buy} would mint, or -1 if it would overflow ({@link #canBuy} false).
     */
    long sharesBought(final long amountMicroCmt)
    {
        if (amountMicroCmt > Long.MAX_VALUE - valueMicroCmt)
        {
            return -1;
        }
        if (totalShares == 0)
        {
            return amountMicroCmt;
        }
        final long shares = MulDiv.floorOrMinusOne(amountMicroCmt, totalShares, valueMicroCmt);
        return shares <= Long.MAX_VALUE - totalShares ? shares : -1;
    }

    /**
     * @param amountMicroCmt paid in, > 0; {@link #canBuy} must hold.
     * @return shares minted.
     */
    long buy(final long amountMicroCmt)
    {
        final long shares =
            totalShares == 0 ? amountMicroCmt : MulDiv.floor(amountMicroCmt, totalShares, valueMicroCmt);
        valueMicroCmt = Math.addExact(valueMicroCmt, amountMicroCmt);
        totalShares = Math.addExact(totalShares, shares);
        return shares;
    }

    /**
     * @param shares to burn, at most {@link #totalShares}.
     * @return µCMT paid out.
     */
    long sell(final long shares)
    {
        final long amount = valueOf(shares);
        valueMicroCmt = Math.subtractExact(valueMicroCmt, amount);
        totalShares = Math.subtractExact(totalShares, shares);
        return amount;
    }

    /**
     * @param amountMicroCmt the exact value wanted, at most the value of {@code heldShares}.
     * @param heldShares     the seller's shares.
     * @return shares that must be burnt (or moved) to take {@code amountMicroCmt} out: ceil, capped at the holding.
     */
    long sharesFor(final long amountMicroCmt, final long heldShares)
    {
        final long s = MulDiv.ceil(amountMicroCmt, totalShares, valueMicroCmt);
        return Math.min(s, heldShares);
    }
}
