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
        if (paidCount == instalments - 1)
        {
            return outstanding;
        }
        final long part = principal / instalments + (paidCount == 0 ? principal % instalments : 0);
        return Math.min(part, outstanding);
    }

    /** @return interest of the next instalment: floor(outstanding × ratePpm / 10^6), exact without overflow. */
    long interest()
    {
        return (outstanding / 1_000_000L) * ratePpm + ((outstanding % 1_000_000L) * ratePpm) / 1_000_000L;
    }

    /**
     * @param amount  a non-negative amount due (principal and interest, each at most the outstanding principal).
     * @param lateFee the non-negative late fee, any long.
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
