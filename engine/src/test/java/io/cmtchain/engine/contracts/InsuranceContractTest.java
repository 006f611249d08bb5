package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.contracts.ContractBodies.insuranceApprove;
import static io.cmtchain.engine.contracts.ContractBodies.insuranceBuy;
import static io.cmtchain.engine.contracts.ContractBodies.insuranceOpen;
import static io.cmtchain.engine.contracts.ContractChain.FEE;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static io.cmtchain.engine.contracts.ContractsState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InsuranceContractTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int INSURER = 0;
    private static final int ADJUSTER = 1;
    private static final int ALICE = 2;
    private static final int BOB = 3;
    private static final int CAROL = 4;

    private final ContractChain c = new ContractChain(5, 10);
    private final long supply = c.state.totalSupplyMicroCmt();

    /** Premium 100, base cover 1,000, cap 3,000; sales up to 3 blocks on, expiry 20 blocks on. */
    private long openPool(final long deposit)
    {
        final long h = c.chain.height() + 1;
        final long id = c.add(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 1000, 3000, deposit,
            h + 3, h + 20));
        assertEquals(OK, c.block()[0]);
        return id;
    }

    @Test
    void shouldPayClaimsByTheFlightDelayRuleAndReturnTheRestAtExpiry()
    {
        final long insurerBefore = c.balance(INSURER);
        final long aliceBefore = c.balance(ALICE);
        final long pool = openPool(2000);
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        c.add(BOB, INSURANCE_BUY, insuranceBuy(pool));
        c.add(CAROL, INSURANCE_BUY, insuranceBuy(pool));
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        final int[] s = c.block();
        assertEquals(OK, s[0]);
        assertEquals(OK, s[2]);
        assertEquals(ReceiptStatus.POLICY_EXISTS.value(), s[3]);
        assertEquals(2300, c.contracts.poolFunds(pool));

        assertEquals(ReceiptStatus.NOT_COVERED.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 239, 0)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(),
            c.run(ALICE, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 300, 0)));
        // 4 h: the base cover, whatever amount the adjuster writes.
        assertEquals(OK, c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 240, 99_999)));
        assertEquals(1000, c.contracts.policyPayout(pool, address(ALICE)));
        assertEquals(ReceiptStatus.ALREADY_CLAIMED.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 400, 2000)));
        // 6 h: base .. cap.
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(BOB), 360, 3001)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(BOB), 360, 999)));
        assertEquals(OK, c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(BOB), 360, 1200)));
        assertEquals(100, c.contracts.poolFunds(pool));
        assertEquals(2200, c.contracts.poolPaidOut(pool));
        assertEquals(3, c.contracts.pool(pool).policies);
        assertEquals(supply, c.state.totalSupplyMicroCmt());

        // The expiry action returns what is left to the insurer; claims are closed from the expiry height.
        long guard = 0;
        while (!c.contracts.poolClosed(pool) && guard++ < 30)
        {
            c.block();
        }
        assertEquals(ACTION_POLICY_EXPIRY, c.contracts.actionKind(0));
        assertEquals(OUTCOME_RETURNED, c.contracts.actionOutcome(0));
        assertEquals(100, c.contracts.poolReturned(pool));
        assertEquals(0, c.contracts.poolFunds(pool));
        assertEquals(ReceiptStatus.POOL_CLOSED.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(CAROL), 500, 1000)));
        assertEquals(insurerBefore - FEE - 2000 + 100, c.balance(INSURER));
        assertEquals(aliceBefore - 3 * FEE - 100 + 1000, c.balance(ALICE));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldNeverPayMoreThanThePoolHolds()
    {
        final long pool = openPool(0);
        assertEquals(OK, c.run(ALICE, INSURANCE_BUY, insuranceBuy(pool)));
        assertEquals(OK, c.run(BOB, INSURANCE_BUY, insuranceBuy(pool)));
        assertEquals(OK, c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 400, 3000)));
        assertEquals(200, c.contracts.policyPayout(pool, address(ALICE)));
        assertEquals(OK, c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(BOB), 400, 3000)));
        assertEquals(0, c.contracts.policyPayout(pool, address(BOB)));
        assertEquals(0, c.contracts.poolFunds(pool));
        assertEquals(200, c.contracts.poolPaidOut(pool));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldAcceptPoolTermsAtTheirLimits()
    {
        final long h = c.chain.height() + 1;
        // Sales may end at the opening height itself (a purchase in that block still counts), the expiry one later.
        final long pool = c.add(INSURER, INSURANCE_OPEN,
            insuranceOpen(address(ADJUSTER), 100, 1000, 1000, 0, h, h + 1));
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        c.add(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 1000, 3000, 0, h + 5, h + 5));
        c.add(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 0, 3000, 0, h + 5, h + 6));
        // A negative deposit would pay the insurer out of nothing.
        c.add(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 1000, 3000, -1, h + 5, h + 6));
        final long insurerBefore = c.balance(INSURER);
        final int[] statuses = c.block();
        assertEquals(OK, statuses[0]);
        assertEquals(OK, statuses[1]);
        assertEquals(ReceiptStatus.INVALID_TERMS.value(), statuses[2]);
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), statuses[3]);
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), statuses[4]);
        // Ending block h ran the expiry (due at h + 1): Alice's premium went back to the insurer, nothing else moved.
        assertEquals(100, c.contracts.poolReturned(pool));
        assertEquals(insurerBefore - 4 * FEE + 100, c.balance(INSURER));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldTakeAWholeBalanceAsDepositOrPremium()
    {
        final long h = c.chain.height() + 1;
        c.transfer(ALICE, CAROL, c.balance(ALICE) - 2 * FEE - 100);
        final long all = c.balance(INSURER) - FEE;
        final long pool = c.add(INSURER, INSURANCE_OPEN,
            insuranceOpen(address(ADJUSTER), 100, 1000, 3000, all, h + 3, h + 20));
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(0, c.balance(INSURER));
        assertEquals(0, c.balance(ALICE));
        assertEquals(all + 100, c.contracts.poolFunds(pool));
        // One µCMT short of the premium (after the fee): refused, nothing taken but the fee.
        c.transfer(BOB, CAROL, c.balance(BOB) - 2 * FEE - 99);
        c.block();
        assertEquals(FEE + 99, c.balance(BOB));
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), c.run(BOB, INSURANCE_BUY, insuranceBuy(pool)));
        assertEquals(99, c.balance(BOB));
        assertEquals(all + 100, c.contracts.poolFunds(pool));
        assertEquals(-1, c.contracts.policyPayout(pool, address(BOB)));
        assertEquals(all + 100, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldPayFromSixHoursAnyAmountFromBaseToCapInclusive()
    {
        final long pool = openPool(10_000);
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        c.add(BOB, INSURANCE_BUY, insuranceBuy(pool));
        c.block();
        c.add(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 360, 3000));
        c.add(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(BOB), 360, 1000));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(3000, c.contracts.policyPayout(pool, address(ALICE)));
        assertEquals(1000, c.contracts.policyPayout(pool, address(BOB)));
        assertEquals(10_200 - 4000, c.contracts.poolFunds(pool));
        assertEquals(4000, c.contracts.poolPaidOut(pool));
    }

    @Test
    void shouldKeepAHoldersPoliciesInDifferentPoolsApart()
    {
        final long first = openPool(0);
        final long second = openPool(0);
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(first));
        c.add(ALICE, INSURANCE_BUY, insuranceBuy(second));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(OK, c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(second, address(ALICE), 240, 0)));
        assertEquals(100, c.contracts.policyPayout(second, address(ALICE)));
        assertEquals(0, c.contracts.policyPayout(first, address(ALICE)));
        assertEquals(100, c.contracts.poolFunds(first));
    }

    @Test
    void shouldCloseClaimsAtTheExpiryHeightEvenBeforeTheExpiryActionRuns()
    {
        // One action per block: an escrow due at the same height, scheduled first, takes the expiry block's budget,
        // so the pool is still open at its expiry height; the rule, not the scheduler, closes its claims there.
        final ContractChain one = new ContractChain(5, 1);
        final long h = one.chain.height() + 1;
        one.add(BOB, ESCROW_CREATE, ContractBodies.escrowCreate(address(CAROL), null, 0, 10, h + 3));
        final long pool = one.add(INSURER, INSURANCE_OPEN,
            insuranceOpen(address(ADJUSTER), 100, 1000, 3000, 2000, h + 1, h + 3));
        one.add(ALICE, INSURANCE_BUY, insuranceBuy(pool));
        for (final int status : one.block())
        {
            assertEquals(OK, status);
        }
        one.block();
        one.block();
        assertEquals(h + 2, one.chain.height());
        assertEquals(ACTION_ESCROW_DEADLINE, one.contracts.actionKind(0));
        assertEquals(2100, one.contracts.poolFunds(pool));
        assertEquals(ReceiptStatus.POOL_CLOSED.value(),
            one.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 300, 0)));
        assertEquals(ACTION_POLICY_EXPIRY, one.contracts.actionKind(0));
        assertEquals(2100, one.contracts.poolReturned(pool));
        assertEquals(0, one.contracts.policyPayout(pool, address(ALICE)));
    }

    @Test
    void shouldRejectBadPoolsAndLatePurchases()
    {
        final long h = c.chain.height() + 1;
        assertEquals(ReceiptStatus.INVALID_BODY.value(),
            c.run(INSURER, INSURANCE_OPEN, insuranceOpen(new byte[20], 100, 1000, 3000, 0, h + 3, h + 6)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 0, 1000, 3000, 0, h + 3, h + 6)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 1000, 999, 0, h + 3, h + 6)));
        assertEquals(ReceiptStatus.INVALID_TERMS.value(),
            c.run(INSURER, INSURANCE_OPEN, insuranceOpen(address(ADJUSTER), 100, 1000, 3000, 0, h + 30, h + 6)));
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(), c.run(INSURER, INSURANCE_OPEN,
            insuranceOpen(address(ADJUSTER), 100, 1000, 3000, Long.MAX_VALUE, h + 30, h + 60)));
        final long pool = openPool(0);
        assertEquals(ReceiptStatus.NO_SUCH_POOL.value(), c.run(ALICE, INSURANCE_BUY, insuranceBuy(pool + 1)));
        assertEquals(ReceiptStatus.NO_SUCH_POLICY.value(),
            c.run(ADJUSTER, INSURANCE_APPROVE, insuranceApprove(pool, address(ALICE), 400, 1000)));
        c.block();
        c.block();
        c.block();
        assertEquals(ReceiptStatus.POOL_CLOSED.value(), c.run(ALICE, INSURANCE_BUY, insuranceBuy(pool)));
    }
}
