package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.contracts.ContractBodies.loanAction;
import static io.cmtchain.engine.contracts.ContractBodies.loanOffer;
import static io.cmtchain.engine.contracts.ContractChain.FEE;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static io.cmtchain.engine.contracts.ContractsState.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LoanContractTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int LENDER = 0;
    private static final int BORROWER = 1;
    private static final int OTHER = 2;

    private final ContractChain c = new ContractChain(4, 10);
    private final long supply = c.state.totalSupplyMicroCmt();

    /** 1,000 µCMT at 1% per instalment, 3 instalments every 5 blocks, grace 2, late fee 7; accepted. */
    private long activeLoan()
    {
        return activeLoan(7);
    }

    /** The loan of {@link #activeLoan()} with the given late fee. */
    private long activeLoan(final long lateFee)
    {
        final long id = c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 10_000, 3, 5, 2, lateFee));
        assertEquals(OK, c.block()[0]);
        assertEquals(LOAN_OFFERED, c.contracts.loanStatus(id));
        assertEquals(OK, c.run(BORROWER, LOAN_ACCEPT, loanAction(id)));
        assertEquals(LOAN_ACTIVE, c.contracts.loanStatus(id));
        assertEquals(c.chain.height() + 5, c.contracts.loanDueHeight(id));
        return id;
    }

    /** {@link #activeLoan(long)} whose borrower then gives away all but one fee: it cannot pay an instalment. */
    private long loanOfABrokeBorrower(final long lateFee)
    {
        final long id = activeLoan(lateFee);
        c.transfer(BORROWER, OTHER, c.balance(BORROWER) - FEE);
        c.block();
        return id;
    }

    /** {@link #activeLoan()} whose borrower has nothing left when the first instalment falls due: late. */
    private long lateLoan()
    {
        final long id = loanOfABrokeBorrower(7);
        runUntil(c.contracts.loanDueHeight(id) - 1);
        assertEquals(LOAN_LATE, c.contracts.loanStatus(id));
        return id;
    }

    /** A missed instalment changes the loan at a block end: the digest must have taken it in. */
    private void assertRootSurvivesASnapshot()
    {
        final byte[] root = c.state.stateRoot();
        c.reloadContracts();
        assertArrayEquals(root, c.state.stateRoot());
    }

    private void runUntil(final long height)
    {
        while (c.chain.height() < height)
        {
            c.block();
        }
    }

    @Test
    void shouldDebitInstalmentsOnScheduleWithStatedRounding()
    {
        final long lenderBefore = c.balance(LENDER);
        final long borrowerBefore = c.balance(BORROWER);
        final long id = activeLoan();
        final long due = c.contracts.loanDueHeight(id);
        runUntil(due - 2);
        assertEquals(0, c.contracts.loanPaidCount(id));
        c.block();
        // Instalment 1: principal 333 + remainder 1, interest floor(1000 × 1%) = 10.
        assertEquals(1, c.contracts.loanPaidCount(id));
        assertEquals(666, c.contracts.loanOutstanding(id));
        assertEquals(ACTION_LOAN_INSTALMENT, c.contracts.actionKind(0));
        assertEquals(OUTCOME_PAID, c.contracts.actionOutcome(0));
        runUntil(due + 4);
        // Instalment 2: 333 + floor(6.66) = 6.
        assertEquals(2, c.contracts.loanPaidCount(id));
        assertEquals(333, c.contracts.loanOutstanding(id));
        runUntil(due + 9);
        // Instalment 3 (last): the remaining 333 + floor(3.33) = 3.
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(id));
        assertEquals(19, c.contracts.loanInterestPaid(id));
        assertEquals(lenderBefore - FEE + 19, c.balance(LENDER));
        assertEquals(borrowerBefore - FEE - 19, c.balance(BORROWER));
        assertEquals(1, c.contracts.loansOnTime(address(BORROWER)));
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldDefaultInTheSameBlockEndWhenThereIsNoGrace()
    {
        // graceBlocks 0: the grace end is due at the missed instalment's own height, so the same block end runs it,
        // right after the miss, on the same short balance.
        final long id = c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 10_000, 3, 5, 0, 7));
        assertEquals(OK, c.block()[0]);
        assertEquals(OK, c.run(BORROWER, LOAN_ACCEPT, loanAction(id)));
        c.transfer(BORROWER, OTHER, c.balance(BORROWER) - FEE);
        c.block();
        final long due = c.contracts.loanDueHeight(id);
        runUntil(due - 2);
        assertEquals(LOAN_ACTIVE, c.contracts.loanStatus(id));
        c.block();

        assertEquals(LOAN_DEFAULTED, c.contracts.loanStatus(id));
        assertEquals(2, c.contracts.actionCount());
        assertEquals(ACTION_LOAN_INSTALMENT, c.contracts.actionKind(0));
        assertEquals(OUTCOME_MISSED, c.contracts.actionOutcome(0));
        assertEquals(ACTION_LOAN_GRACE_END, c.contracts.actionKind(1));
        assertEquals(OUTCOME_DEFAULTED, c.contracts.actionOutcome(1));
        assertEquals(due, c.contracts.actionDueHeight(1));
        assertRootSurvivesASnapshot();
    }

    @Test
    void shouldChargeLateFeeAfterGraceAndMarkLate()
    {
        final long id = lateLoan();
        final long due = c.contracts.loanDueHeight(id);
        assertEquals(OUTCOME_MISSED, c.contracts.actionOutcome(0));
        assertRootSurvivesASnapshot();
        c.transfer(OTHER, BORROWER, 10_000);
        c.block();
        runUntil(due + 1);
        // Paid at the grace end (due + 2): 344 + late fee 7.
        assertEquals(ACTION_LOAN_GRACE_END, c.contracts.actionKind(0));
        assertEquals(OUTCOME_PAID_LATE, c.contracts.actionOutcome(0));
        assertEquals(LOAN_ACTIVE, c.contracts.loanStatus(id));
        assertEquals(10_000 - 351, c.balance(BORROWER));
        assertEquals(10, c.contracts.loanInterestPaid(id));
        assertEquals(7, c.contracts.loan(id).feesPaid);
        assertEquals(OK, c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(id));
        assertEquals(1, c.contracts.loansLate(address(BORROWER)));
        assertEquals(0, c.contracts.loansOnTime(address(BORROWER)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldAcceptTermsAtTheirLimits()
    {
        c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, MAX_RATE_PPM, 1, 5, 0, 0));
        c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, MAX_INSTALMENTS, 5, 0, 0));
        c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 1, 1, 0, 0));
        c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, -1, 1, 5, 0, 0));
        c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, MAX_INSTALMENTS + 1, 5, 0, 0));
        final int[] statuses = c.block();
        assertEquals(OK, statuses[0]);
        assertEquals(OK, statuses[1]);
        assertEquals(OK, statuses[2]);
        assertEquals(ReceiptStatus.INVALID_TERMS.value(), statuses[3]);
        assertEquals(ReceiptStatus.INVALID_TERMS.value(), statuses[4]);
        assertEquals(3000, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldLendAWholeBalance()
    {
        final long all = c.balance(LENDER) - FEE;
        final long id = c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), all, 0, 1, 5, 0, 0));
        assertEquals(OK, c.block()[0]);
        assertEquals(0, c.balance(LENDER));
        assertEquals(all, c.contracts.lockedMicroCmt());
        assertEquals(LOAN_OFFERED, c.contracts.loanStatus(id));
    }

    @Test
    void shouldCollectAnInstalmentFromExactlyEnough()
    {
        final long id = activeLoan();
        final long due = c.contracts.loanDueHeight(id);
        // The first instalment is 334 + 10 interest: leave the borrower exactly that.
        c.transfer(BORROWER, OTHER, c.balance(BORROWER) - FEE - 344);
        c.block();
        assertEquals(344, c.balance(BORROWER));
        runUntil(due - 1);
        assertEquals(OUTCOME_PAID, c.contracts.actionOutcome(0));
        assertEquals(LOAN_ACTIVE, c.contracts.loanStatus(id));
        assertEquals(0, c.balance(BORROWER));
        assertEquals(666, c.contracts.loanOutstanding(id));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldRepayALateLoanWithTheMissedInterestAndTheLateFee()
    {
        final long id = lateLoan();
        assertEquals(1, c.contracts.scheduledCount());
        final long lenderBefore = c.balance(LENDER);
        c.transfer(OTHER, BORROWER, 10_000);
        c.add(BORROWER, LOAN_REPAY, loanAction(id));
        final int[] statuses = c.block();
        assertEquals(OK, statuses[0]);
        assertEquals(OK, statuses[1]);
        // The whole principal, the missed instalment's interest (1% of 1,000) and the late fee.
        assertEquals(10_000 - FEE - 1017, c.balance(BORROWER));
        assertEquals(lenderBefore + 1017, c.balance(LENDER));
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(id));
        assertEquals(0, c.contracts.loanOutstanding(id));
        assertEquals(10, c.contracts.loanInterestPaid(id));
        assertEquals(7, c.contracts.loan(id).feesPaid);
        // The grace end is unscheduled, and the loan counts as repaid late.
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(1, c.contracts.loansLate(address(BORROWER)));
        assertEquals(0, c.contracts.loansOnTime(address(BORROWER)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldRepayEarlyFromExactlyEnoughAndCollectFromTheFirstAccount()
    {
        // The borrower keeps exactly the principal (and the fee) for an early repayment.
        final long id = activeLoan();
        c.transfer(BORROWER, OTHER, c.balance(BORROWER) - 2 * FEE - 1000);
        c.block();
        assertEquals(OK, c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        assertEquals(0, c.balance(BORROWER));
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(id));

        // A borrower in the accounts' first slot pays its instalments like any other.
        c.transfer(OTHER, BORROWER, 10_000);
        final long first = c.add(BORROWER, LOAN_OFFER, loanOffer(address(LENDER), 1000, 0, 1, 3, 0, 0));
        assertArrayEquals(new int[]{OK, OK}, c.block());
        assertEquals(0, c.state.accounts().find(new org.agrona.concurrent.UnsafeBuffer(address(LENDER)), 0));
        assertEquals(OK, c.run(LENDER, LOAN_ACCEPT, loanAction(first)));
        final long due = c.contracts.loanDueHeight(first);
        runUntil(due - 1);
        assertEquals(OUTCOME_PAID, c.contracts.actionOutcome(0));
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(first));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldDefaultWhenGraceEndsUnpaid()
    {
        final long id = activeLoan();
        final long due = c.contracts.loanDueHeight(id);
        c.transfer(BORROWER, OTHER, c.balance(BORROWER) - FEE);
        c.block();
        runUntil(due + 1);
        assertEquals(LOAN_DEFAULTED, c.contracts.loanStatus(id));
        assertEquals(OUTCOME_DEFAULTED, c.contracts.actionOutcome(0));
        assertRootSurvivesASnapshot();
        assertEquals(1, c.contracts.loansDefaulted(address(BORROWER)));
        assertEquals(0, c.contracts.scheduledCount());
        c.transfer(OTHER, BORROWER, 10_000);
        c.block();
        assertEquals(ReceiptStatus.LOAN_NOT_ACTIVE.value(), c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        assertEquals(666 + 334, c.contracts.loanOutstanding(id));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldCloseOnEarlyRepayment()
    {
        final long id = activeLoan();
        final long lenderBefore = c.balance(LENDER);
        assertEquals(OK, c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        assertEquals(LOAN_REPAID, c.contracts.loanStatus(id));
        assertEquals(lenderBefore + 1000, c.balance(LENDER));
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(1, c.contracts.loansOnTime(address(BORROWER)));
        assertEquals(ReceiptStatus.LOAN_NOT_ACTIVE.value(), c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldChargeTheInterestOfAnInstalmentDueButCarriedOverOnEarlyRepayment()
    {
        // One action per block: an escrow whose deadline is the loan's first due height, scheduled before it, runs
        // first, so the instalment is carried over to the end of the due block. In that block the instalment is due
        // (the scheduler would have collected 334 + 10 interest at its start): an early repayment owes its interest.
        final ContractChain one = new ContractChain(4, 1);
        final long offer = one.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 10_000, 3, 5, 2, 7));
        assertEquals(OK, one.block()[0]);
        final long due = one.chain.height() + 1 + 5;
        one.add(OTHER, ESCROW_CREATE, ContractBodies.escrowCreate(address(LENDER), null, 0, 1, due));
        one.add(BORROWER, LOAN_ACCEPT, loanAction(offer));
        assertArrayEquals(new int[]{OK, OK}, one.block());
        assertEquals(due, one.contracts.loanDueHeight(offer));
        while (one.chain.height() < due - 1)
        {
            one.block();
        }
        assertEquals(ACTION_ESCROW_DEADLINE, one.contracts.actionKind(0));
        assertEquals(LOAN_ACTIVE, one.contracts.loanStatus(offer));
        assertEquals(1, one.contracts.scheduledCount());

        final long lenderBefore = one.balance(LENDER);
        final long borrowerBefore = one.balance(BORROWER);
        assertEquals(OK, one.run(BORROWER, LOAN_REPAY, loanAction(offer)));
        assertEquals(due, one.chain.height());
        assertEquals(LOAN_REPAID, one.contracts.loanStatus(offer));
        assertEquals(10, one.contracts.loanInterestPaid(offer));
        assertEquals(lenderBefore + 1010, one.balance(LENDER));
        assertEquals(borrowerBefore - FEE - 1010, one.balance(BORROWER));
        assertEquals(0, one.contracts.loan(offer).feesPaid);
        assertEquals(1, one.contracts.loansOnTime(address(BORROWER)));
        assertEquals(0, one.contracts.scheduledCount());
    }

    @Test
    void shouldChargeTheInterestOfEveryInstalmentDueButCarriedOverOnEarlyRepayment()
    {
        // One action per block: two escrows due with the first instalment, ahead of it, hold it back two blocks,
        // so in the block after its due height the second is due as well: 10 on 1,000 and floor(1% of 666) = 6.
        final ContractChain one = new ContractChain(4, 1);
        final long offer = one.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 10_000, 3, 1, 0, 7));
        assertEquals(OK, one.block()[0]);
        final long due = one.chain.height() + 1 + 1;
        one.add(OTHER, ESCROW_CREATE, ContractBodies.escrowCreate(address(LENDER), null, 0, 1, due));
        one.add(OTHER, ESCROW_CREATE, ContractBodies.escrowCreate(address(LENDER), null, 0, 1, due));
        one.add(BORROWER, LOAN_ACCEPT, loanAction(offer));
        assertArrayEquals(new int[]{OK, OK, OK}, one.block());
        assertEquals(due, one.contracts.loanDueHeight(offer));
        one.block();
        assertEquals(ACTION_ESCROW_DEADLINE, one.contracts.actionKind(0));
        assertEquals(LOAN_ACTIVE, one.contracts.loanStatus(offer));

        final long lenderBefore = one.balance(LENDER);
        assertEquals(OK, one.run(BORROWER, LOAN_REPAY, loanAction(offer)));
        assertEquals(due + 1, one.chain.height());
        assertEquals(16, one.contracts.loanInterestPaid(offer));
        assertEquals(lenderBefore + 1016, one.balance(LENDER));
        assertEquals(LOAN_REPAID, one.contracts.loanStatus(offer));
    }

    @Test
    void shouldRejectForbiddenLoanTransitions()
    {
        assertEquals(ReceiptStatus.INVALID_BODY.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(LENDER), 1000, 0, 1, 5, 0, 0)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 0, 0, 1, 5, 0, 0)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 1_000_001, 1, 5, 0, 0)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 0, 5, 0, 0)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 1, 0, 0, 0)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 1, 5, 5, 0)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 1, 5, 0, -1)));
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(),
            c.run(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), Long.MAX_VALUE, 0, 1, 5, 0, 0)));

        final long offered = c.add(LENDER, LOAN_OFFER, loanOffer(address(BORROWER), 1000, 0, 1, 5, 0, 0));
        c.block();
        assertEquals(1000, c.contracts.lockedMicroCmt());
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(OTHER, LOAN_ACCEPT, loanAction(offered)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(BORROWER, LOAN_CANCEL, loanAction(offered)));
        assertEquals(ReceiptStatus.LOAN_NOT_ACTIVE.value(), c.run(BORROWER, LOAN_REPAY, loanAction(offered)));
        assertEquals(ReceiptStatus.NO_SUCH_LOAN.value(), c.run(BORROWER, LOAN_ACCEPT, loanAction(offered + 1)));
        assertEquals(OK, c.run(LENDER, LOAN_CANCEL, loanAction(offered)));
        assertEquals(LOAN_CANCELLED, c.contracts.loanStatus(offered));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(ReceiptStatus.LOAN_NOT_OFFERED.value(), c.run(BORROWER, LOAN_ACCEPT, loanAction(offered)));
        assertEquals(ReceiptStatus.LOAN_NOT_OFFERED.value(), c.run(LENDER, LOAN_CANCEL, loanAction(offered)));

        final long id = activeLoan();
        assertEquals(ReceiptStatus.LOAN_NOT_OFFERED.value(), c.run(BORROWER, LOAN_ACCEPT, loanAction(id)));
        assertEquals(ReceiptStatus.LOAN_NOT_OFFERED.value(), c.run(LENDER, LOAN_CANCEL, loanAction(id)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(LENDER, LOAN_REPAY, loanAction(id)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldDefaultRatherThanWrapWhenInstalmentPlusLateFeePassesLongMax()
    {
        // The late fee is any non-negative long, so instalment + late fee can pass Long.MAX_VALUE: no balance covers
        // it, and the grace end must default the loan, not collect a wrapped (negative) amount.
        final long id = loanOfABrokeBorrower(Long.MAX_VALUE);
        final long due = c.contracts.loanDueHeight(id);
        final long lenderBefore = c.balance(LENDER);
        runUntil(due + 1);
        assertEquals(LOAN_DEFAULTED, c.contracts.loanStatus(id));
        assertEquals(0, c.balance(BORROWER));
        assertEquals(lenderBefore, c.balance(LENDER));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldRejectEarlyRepaymentWhoseLateFeePassesLongMax()
    {
        final long id = loanOfABrokeBorrower(Long.MAX_VALUE);
        final long due = c.contracts.loanDueHeight(id);
        runUntil(due - 1);
        assertEquals(LOAN_LATE, c.contracts.loanStatus(id));
        c.transfer(OTHER, BORROWER, 10_000);
        c.block();
        final long lenderBefore = c.balance(LENDER);
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), c.run(BORROWER, LOAN_REPAY, loanAction(id)));
        // That block's end ran the grace end (due + 2), which cannot collect either.
        assertEquals(LOAN_DEFAULTED, c.contracts.loanStatus(id));
        assertEquals(10_000 - FEE, c.balance(BORROWER));
        assertEquals(lenderBefore, c.balance(LENDER));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }
}
