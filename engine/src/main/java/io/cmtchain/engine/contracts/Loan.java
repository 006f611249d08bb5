package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/**
 * A loan repayment plan: equal principal parts plus interest on the outstanding principal at a fixed rate per
 * instalment. Rounding: each principal part is floor(principal / instalments), the first instalment also takes the
 * remainder, and the last takes whatever principal is left; interest is floor(outstanding × ratePpm / 10^6), rounded
 * down in the borrower's favour.
 */
final class Loan extends ContractRecord
{
    final long id;
    final byte[] lender;
    final byte[] borrower;
    final long principal;
    final int ratePpm;
    final int instalments;
    final long intervalBlocks;
    final long graceBlocks;
    final long lateFee;
    int status;
    long outstanding;
    int paidCount;
    long dueHeight;
    boolean wasLate;
    long interestPaid;
    long feesPaid;
    ScheduledAction action;

    Loan(
        final long id, final byte[] lender, final byte[] borrower, final long principal, final int ratePpm,
        final int instalments, final long intervalBlocks, final long graceBlocks, final long lateFee)
    {
        super(Keys.loan(id));
        this.id = id;
        this.lender = lender;
        this.borrower = borrower;
        this.principal = principal;
        this.ratePpm = ratePpm;
        this.instalments = instalments;
        this.intervalBlocks = intervalBlocks;
        this.graceBlocks = graceBlocks;
        this.lateFee = lateFee;
        this.outstanding = principal;
    }

    /** @return the principal part of the next instalment. */
    long principalPart()
    {
        return principalPart(paidCount, outstanding);
    }

    /** @return the principal part of instalment {@code k} (0-based), {@code left} being owed before it. */
    private long principalPart(final int k, final long left)
    {
        if (k == instalments - 1)
        {
            return left;
        }
        final long part = principal / instalments + (k == 0 ? principal % instalments : 0);
        return Math.min(part, left);
    }

    /** @return interest of the next instalment: floor(outstanding × ratePpm / 10^6), exact without overflow. */
    long interest()
    {
        return interestOn(outstanding);
    }

    private long interestOn(final long left)
    {
        return (left / 1_000_000L) * ratePpm + ((left % 1_000_000L) * ratePpm) / 1_000_000L;
    }

    /**
     * Interest of the instalments due by {@code height} that the scheduler has not collected: the next one (the
     * missed one on a late loan) from {@link #dueHeight} on, each later one from its own due height (the scheduler's
     * carry-over can hold several back), each on the principal the earlier ones would have left.
     *
     * @param height of the block.
     * @return their interest, or {@link Long#MAX_VALUE} (more than any balance holds) when it does not fit in a long.
     */
    long interestDueBy(final long height)
    {
        long interest = 0;
        long left = outstanding;
        long due = dueHeight;
        for (int k = paidCount; k < instalments && left > 0 && Long.compareUnsigned(height, due) >= 0; k++)
        {
            interest += interestOn(left);
            if (interest < 0)
            {
                return Long.MAX_VALUE;
            }
            left -= principalPart(k, left);
            due += intervalBlocks;
        }
        return interest;
    }

    /**
     * @param amount  a non-negative amount due (principal, interest).
     * @param lateFee a non-negative amount to add (the late fee, any long; or the interest).
     * @return their sum, or {@link Long#MAX_VALUE} (more than any balance holds) when it does not fit in a long.
     */
    static long dueWithFee(final long amount, final long lateFee)
    {
        final long sum = amount + lateFee;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(lender).update(borrower).updateLong(principal).updateLong(ratePpm).updateLong(instalments)
            .updateLong(intervalBlocks).updateLong(graceBlocks).updateLong(lateFee).update((byte)status)
            .updateLong(outstanding).updateLong(paidCount).updateLong(dueHeight).update((byte)(wasLate ? 1 : 0))
            .updateLong(interestPaid).updateLong(feesPaid);
    }
}
