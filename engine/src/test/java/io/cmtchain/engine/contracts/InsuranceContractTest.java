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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(c.contracts.poolPaidOut(pool) <= 200);
        assertEquals(supply, c.state.totalSupplyMicroCmt());
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
