package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.cmtchain.engine.contracts.ContractBodies.*;
import static io.cmtchain.engine.contracts.ContractChain.FEE;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static io.cmtchain.engine.contracts.ContractsState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EscrowContractTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int BUYER = 0;
    private static final int SELLER = 1;
    private static final int ARBITER = 2;
    private static final int OTHER = 3;

    private final ContractChain c = new ContractChain(5, 2);
    private final long supply = c.state.totalSupplyMicroCmt();

    private long open(final long amount, final long deadline, final boolean arbiter)
    {
        final long id = c.add(BUYER, ESCROW_CREATE,
            escrowCreate(address(SELLER), arbiter ? address(ARBITER) : null, 0, amount, deadline));
        assertEquals(OK, c.block()[0]);
        return id;
    }

    @Test
    void shouldLockCmtAndReleaseToSeller()
    {
        final long buyerBefore = c.balance(BUYER);
        final long sellerBefore = c.balance(SELLER);
        final long id = open(5000, 100, false);
        assertEquals(buyerBefore - FEE - 5000, c.balance(BUYER));
        assertEquals(5000, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
        assertEquals(1, c.contracts.scheduledCount());

        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(SELLER, ESCROW_RELEASE, escrowAction(id)));
        assertEquals(OK, c.run(BUYER, ESCROW_RELEASE, escrowAction(id)));
        assertEquals(ESCROW_RELEASED, c.contracts.escrowStatus(id));
        assertEquals(sellerBefore - FEE + 5000, c.balance(SELLER));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
        assertEquals(1, c.contracts.escrowsCompleted(address(BUYER)));
        assertEquals(1, c.contracts.escrowsCompleted(address(SELLER)));

        assertEquals(ReceiptStatus.ESCROW_CLOSED.value(), c.run(BUYER, ESCROW_RELEASE, escrowAction(id)));
        assertEquals(ReceiptStatus.ESCROW_CLOSED.value(), c.run(SELLER, ESCROW_CLAIM, escrowAction(id)));
        assertEquals(ReceiptStatus.ESCROW_CLOSED.value(), c.run(BUYER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(ReceiptStatus.NO_SUCH_ESCROW.value(), c.run(BUYER, ESCROW_RELEASE, escrowAction(id + 1)));
    }

    @Test
    void shouldRejectBadCreates()
    {
        final long h = c.chain.height() + 1;
        assertEquals(ReceiptStatus.INVALID_BODY.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(BUYER), null, 0, 1, h + 10)));
        assertEquals(ReceiptStatus.INVALID_BODY.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(new byte[20], null, 0, 1, h + 10)));
        assertEquals(ReceiptStatus.INVALID_BODY.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), address(SELLER), 0, 1, h + 10)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 0, h + 10)));
        assertEquals(ReceiptStatus.INVALID_DEADLINE.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 1, c.chain.height() + 1)));
        assertEquals(ReceiptStatus.INSUFFICIENT_FUNDS.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, Long.MAX_VALUE, h + 10)));
        assertEquals(ReceiptStatus.NO_SUCH_TOKEN.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 77, 1, h + 10)));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldLetSellerClaimOnlyFromTheDeadline()
    {
        final long id = open(1000, c.chain.height() + 20, false);
        assertEquals(ReceiptStatus.DEADLINE_NOT_REACHED.value(), c.run(SELLER, ESCROW_CLAIM, escrowAction(id)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(OTHER, ESCROW_CLAIM, escrowAction(id)));
        assertEquals(ReceiptStatus.NO_ARBITER.value(), c.run(BUYER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(ESCROW_OPEN, c.contracts.escrowStatus(id));
    }

    @Test
    void shouldReleaseAutomaticallyAtTheDeadline()
    {
        final long sellerBefore = c.balance(SELLER);
        final long deadline = c.chain.height() + 3;
        final long id = open(1000, deadline, false);
        while (c.chain.height() < deadline - 2)
        {
            c.block();
            assertEquals(ESCROW_OPEN, c.contracts.escrowStatus(id));
        }
        // Ending block deadline - 1 runs the actions due at the start of the deadline block.
        c.block();
        assertEquals(deadline - 1, c.chain.height());
        assertEquals(ESCROW_AUTO_RELEASED, c.contracts.escrowStatus(id));
        assertEquals(1, c.contracts.actionCount());
        assertEquals(ACTION_ESCROW_DEADLINE, c.contracts.actionKind(0));
        assertEquals(id, c.contracts.actionContractId(0));
        assertEquals(deadline, c.contracts.actionDueHeight(0));
        assertEquals(OUTCOME_RELEASED, c.contracts.actionOutcome(0));
        assertEquals(sellerBefore + 1000, c.balance(SELLER));
        assertEquals(ReceiptStatus.ESCROW_CLOSED.value(), c.run(SELLER, ESCROW_CLAIM, escrowAction(id)));
        assertEquals(0, c.contracts.actionCount());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldBoundActionsPerBlockAndCarryOver()
    {
        final long deadline = c.chain.height() + 3;
        final long[] ids = new long[5];
        for (int i = 0; i < 5; i++)
        {
            ids[i] = c.add(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 100 + i, deadline));
        }
        for (final int s : c.block())
        {
            assertEquals(OK, s);
        }
        assertEquals(5, c.contracts.scheduledCount());
        c.block();
        assertEquals(2, c.contracts.actionCount());
        assertEquals(3, c.contracts.scheduledCount());
        c.block();
        assertEquals(2, c.contracts.actionCount());
        c.block();
        assertEquals(1, c.contracts.actionCount());
        assertEquals(0, c.contracts.scheduledCount());
        // Carried-over actions run in creation order.
        assertEquals(ids[4], c.contracts.actionContractId(0));
        for (final long id : ids)
        {
            assertEquals(ESCROW_AUTO_RELEASED, c.contracts.escrowStatus(id));
        }
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldSettleDisputeWithAnySplit()
    {
        final long buyerBefore = c.balance(BUYER);
        final long sellerBefore = c.balance(SELLER);
        final long id = open(1000, c.chain.height() + 20, true);
        assertEquals(ReceiptStatus.NOT_DISPUTED.value(), c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, 500)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(OTHER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(OK, c.run(SELLER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(ReceiptStatus.DISPUTE_OPEN.value(), c.run(BUYER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(0, c.contracts.scheduledCount());
        // A dispute stops the automatic release and the claim.
        for (int i = 0; i < 4; i++)
        {
            c.block();
        }
        assertEquals(ESCROW_DISPUTED, c.contracts.escrowStatus(id));
        assertEquals(ReceiptStatus.DISPUTE_OPEN.value(), c.run(SELLER, ESCROW_CLAIM, escrowAction(id)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(BUYER, ESCROW_SETTLE, escrowSettle(id, 0)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, 1001)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, -1)));
        assertEquals(OK, c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, 300)));
        assertEquals(ESCROW_SETTLED, c.contracts.escrowStatus(id));
        assertEquals(buyerBefore - 3 * FEE - 1000 + 700, c.balance(BUYER));
        assertEquals(sellerBefore - 2 * FEE + 300, c.balance(SELLER));
        assertEquals(ReceiptStatus.ESCROW_CLOSED.value(), c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, 300)));
        assertEquals(1, c.contracts.escrowsDisputed(address(BUYER)));
        assertEquals(1, c.contracts.escrowsDisputed(address(SELLER)));
        assertEquals(0, c.contracts.escrowsCompleted(address(SELLER)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
    }

    @Test
    void shouldRejectDisputeAndAllowClaimFromTheDeadline()
    {
        // The bound is 2 actions per block: two earlier escrows due at the same height take the budget, so the
        // buyer's escrow is still open at its deadline height (carry-over), when the rules, not the scheduler, act.
        final long deadline = c.chain.height() + 3;
        c.add(OTHER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 10, deadline));
        c.add(OTHER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 10, deadline));
        final long id = c.add(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), address(ARBITER), 0, 10, deadline));
        for (final int s : c.block())
        {
            assertEquals(OK, s);
        }
        c.block();
        assertEquals(deadline - 1, c.chain.height());
        assertEquals(2, c.contracts.actionCount());
        assertEquals(ESCROW_OPEN, c.contracts.escrowStatus(id));
        c.add(BUYER, ESCROW_DISPUTE, escrowAction(id));
        c.add(SELLER, ESCROW_CLAIM, escrowAction(id));
        final int[] statuses = c.block();
        assertEquals(ReceiptStatus.DEADLINE_PASSED.value(), statuses[0]);
        assertEquals(OK, statuses[1]);
        assertEquals(ESCROW_CLAIMED, c.contracts.escrowStatus(id));
        assertEquals(0, c.contracts.scheduledCount());
        assertEquals(0, c.contracts.lockedMicroCmt());
    }

    @Test
    void shouldRejectANegativeDeadline()
    {
        // Compared unsigned it would lie beyond every height: refused rather than an escrow that never falls due.
        assertEquals(ReceiptStatus.INVALID_DEADLINE.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 1, -1)));
        assertEquals(ReceiptStatus.INVALID_DEADLINE.value(),
            c.run(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, 1, Long.MIN_VALUE)));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(0, c.contracts.scheduledCount());
    }

    @Test
    void shouldEscrowAWholeBalanceOfTokensOrCmt()
    {
        final long token = c.add(BUYER, TOKEN_CREATE, tokenCreate("Voucher", "VCH", 0, 0, 500));
        c.block();
        final long tokenEscrow = c.add(BUYER, ESCROW_CREATE,
            escrowCreate(address(SELLER), null, token, 500, c.chain.height() + 10));
        assertEquals(OK, c.block()[0]);
        assertEquals(0, c.contracts.tokenBalance(token, address(BUYER)));
        assertEquals(500, c.contracts.tokenLocked(token));

        final long all = c.balance(BUYER) - FEE;
        final long cmtEscrow = c.add(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), null, 0, all,
            c.chain.height() + 10));
        assertEquals(OK, c.block()[0]);
        assertEquals(0, c.balance(BUYER));
        assertEquals(all, c.contracts.lockedMicroCmt());
        assertEquals(ESCROW_OPEN, c.contracts.escrowStatus(tokenEscrow));
        assertEquals(ESCROW_OPEN, c.contracts.escrowStatus(cmtEscrow));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldRefuseToEscrowFrozenTokens()
    {
        final long token = c.add(OTHER, TOKEN_CREATE, tokenCreate("Voucher", "VCH", 0, FLAG_FREEZABLE, 100));
        c.block();
        assertEquals(OK, c.run(OTHER, TOKEN_TRANSFER, tokenMove(token, address(BUYER), 50)));
        assertEquals(OK, c.run(OTHER, TOKEN_FREEZE, tokenFreeze(token, address(BUYER), 1)));
        assertEquals(ReceiptStatus.ACCOUNT_FROZEN.value(), c.run(BUYER, ESCROW_CREATE,
            escrowCreate(address(SELLER), null, token, 10, c.chain.height() + 10)));
        assertEquals(50, c.contracts.tokenBalance(token, address(BUYER)));
        assertEquals(0, c.contracts.tokenLocked(token));
        assertEquals(0, c.contracts.scheduledCount());
    }

    @Test
    void shouldSettleWithNothingForOneSideWithoutOpeningAnAccountOrHoldingForIt()
    {
        // A seller with no account yet: a settlement that gives it nothing must not create its account (CMT) or its
        // holding (tokens), both of which are in the state root.
        final byte[] newcomer = new byte[20];
        Arrays.fill(newcomer, (byte)0x5A);
        final long token = c.add(BUYER, TOKEN_CREATE, tokenCreate("Voucher", "VCH", 0, 0, 500));
        c.block();
        final long cmtEscrow = c.add(BUYER, ESCROW_CREATE,
            escrowCreate(newcomer, address(ARBITER), 0, 1000, c.chain.height() + 20));
        final long tokenEscrow = c.add(BUYER, ESCROW_CREATE,
            escrowCreate(newcomer, address(ARBITER), token, 200, c.chain.height() + 20));
        final long whole = c.add(BUYER, ESCROW_CREATE,
            escrowCreate(address(SELLER), address(ARBITER), token, 100, c.chain.height() + 20));
        c.add(BUYER, ESCROW_DISPUTE, escrowAction(cmtEscrow));
        c.add(BUYER, ESCROW_DISPUTE, escrowAction(tokenEscrow));
        c.add(BUYER, ESCROW_DISPUTE, escrowAction(whole));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        final long buyerBefore = c.balance(BUYER);
        c.add(ARBITER, ESCROW_SETTLE, escrowSettle(cmtEscrow, 0));
        c.add(ARBITER, ESCROW_SETTLE, escrowSettle(tokenEscrow, 0));
        c.add(ARBITER, ESCROW_SETTLE, escrowSettle(whole, 100));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(buyerBefore + 1000, c.balance(BUYER));
        assertTrue(c.state.accounts().find(new UnsafeBuffer(newcomer), 0) < 0);
        assertNull(c.contracts.store.get(Keys.holding(token, newcomer)));
        assertEquals(400, c.contracts.tokenBalance(token, address(BUYER)));
        assertEquals(100, c.contracts.tokenBalance(token, address(SELLER)));
        assertEquals(0, c.contracts.tokenLocked(token));
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertEquals(ESCROW_SETTLED, c.contracts.escrowStatus(whole));
        assertEquals(3, c.contracts.escrowsDisputed(address(BUYER)));
        assertEquals(1, c.contracts.escrowsDisputed(address(SELLER)));
        assertEquals(supply, c.state.totalSupplyMicroCmt());
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldEscrowTokensAndKeepConservation()
    {
        final long token = c.add(BUYER, TOKEN_CREATE, tokenCreate("Voucher", "VCH", 0, 0, 500));
        c.block();
        final long id = c.add(BUYER, ESCROW_CREATE, escrowCreate(address(SELLER), address(ARBITER), token, 200,
            c.chain.height() + 10));
        assertEquals(OK, c.block()[0]);
        assertEquals(300, c.contracts.tokenBalance(token, address(BUYER)));
        assertEquals(200, c.contracts.tokenLocked(token));
        assertNull(c.contracts.auditTokens());
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(), c.run(BUYER, ESCROW_CREATE,
            escrowCreate(address(SELLER), null, token, 301, c.chain.height() + 10)));
        assertEquals(OK, c.run(BUYER, ESCROW_DISPUTE, escrowAction(id)));
        assertEquals(OK, c.run(ARBITER, ESCROW_SETTLE, escrowSettle(id, 150)));
        assertEquals(350, c.contracts.tokenBalance(token, address(BUYER)));
        assertEquals(150, c.contracts.tokenBalance(token, address(SELLER)));
        assertEquals(0, c.contracts.tokenLocked(token));
        assertNull(c.contracts.auditTokens());
    }
}
