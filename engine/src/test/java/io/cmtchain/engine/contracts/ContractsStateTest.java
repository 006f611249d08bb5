package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.util.Sha256;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import static io.cmtchain.engine.contracts.ContractBodies.escrowCreate;
import static io.cmtchain.engine.contracts.ContractBodies.tokenCreate;
import static io.cmtchain.engine.contracts.ContractBodies.tokenMove;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.ESCROW_CREATE;
import static io.cmtchain.engine.contracts.ContractsDescriptor.INSURANCE_BUY;
import static io.cmtchain.engine.contracts.ContractsDescriptor.INSURANCE_OPEN;
import static io.cmtchain.engine.contracts.ContractsDescriptor.LOAN_ACCEPT;
import static io.cmtchain.engine.contracts.ContractsDescriptor.LOAN_OFFER;
import static io.cmtchain.engine.contracts.ContractsDescriptor.TOKEN_CREATE;
import static io.cmtchain.engine.contracts.ContractsDescriptor.TOKEN_TRANSFER;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contracts digest and ids as docs/contracts.md states them, computed here from their parts; every flag of a
 * record reaches the records root; the token audit the other tests rely on does report an imbalance.
 */
class ContractsStateTest
{
    private static final int OK = ReceiptStatus.OK.value();

    private static byte[] le(final long value, final int bytes)
    {
        return Arrays.copyOf(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), bytes);
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * digest = SHA-256("CMTCHAIN/CONTRACTS/V1" || recordsRoot || height u64 || scheduleSequence u64
     * || lockedMicroCmt i64 || actionLogHash), actionLogHash = SHA-256(count u32 LE || (dueHeight u64 | kind u8
     * | contractId u64 | outcome u8) ...), all little-endian.
     */
    private static byte[] specified(final ContractsState s)
    {
        final MessageDigest log = sha256();
        final int n = s.actionCount();
        log.update(le(n, 4));
        for (int i = 0; i < n; i++)
        {
            log.update(le(s.actionDueHeight(i), 8));
            log.update((byte)s.actionKind(i));
            log.update(le(s.actionContractId(i), 8));
            log.update((byte)s.actionOutcome(i));
        }
        final MessageDigest d = sha256();
        d.update("CMTCHAIN/CONTRACTS/V1".getBytes(US_ASCII));
        d.update(s.store.root(new Sha256()));
        d.update(le(s.height(), 8));
        d.update(le(s.scheduleSequence, 8));
        d.update(le(s.lockedMicroCmt(), 8));
        d.update(log.digest());
        return d.digest();
    }

    private static byte[] digest(final ContractsState s)
    {
        final byte[] out = new byte[32];
        s.digest(out, 0);
        return out;
    }

    @Test
    void shouldMatchTheDocumentedDigestWithMoreThan255ActionsInABlock()
    {
        final ContractChain c = new ContractChain(3, 300);
        assertArrayEquals(specified(c.contracts), digest(c.contracts), "genesis");
        final long deadline = c.chain.height() + 3;
        for (int i = 0; i < 300; i++)
        {
            c.add(i % 3, ESCROW_CREATE, escrowCreate(address((i + 1) % 3), null, 0, 1 + i, deadline));
        }
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(0, c.contracts.actionCount());
        assertEquals(300 * 301 / 2, c.contracts.lockedMicroCmt());
        assertArrayEquals(specified(c.contracts), digest(c.contracts), "300 escrows open");
        c.block();
        // Ending block deadline - 1 released all 300: the action count takes two bytes of its u32.
        assertEquals(deadline - 1, c.chain.height());
        assertEquals(300, c.contracts.actionCount());
        assertEquals(0, c.contracts.lockedMicroCmt());
        assertArrayEquals(specified(c.contracts), digest(c.contracts), "300 actions in the log");
        final byte[] withActions = c.state.stateRoot();
        c.block();
        assertEquals(0, c.contracts.actionCount());
        assertArrayEquals(specified(c.contracts), digest(c.contracts), "empty log");
        assertFalse(Arrays.equals(withActions, c.state.stateRoot()));
    }

    @Test
    void shouldDeriveContractIdsAsDocumented()
    {
        final byte[] sender = address(1);
        for (final long nonce : new long[] {0, 1, 255, 1L << 40, -1})
        {
            final MessageDigest d = sha256();
            d.update("CMT/CONTRACT".getBytes(US_ASCII));
            d.update(sender);
            d.update(le(nonce, 8));
            final long id = ByteBuffer.wrap(d.digest()).getLong() & Long.MAX_VALUE;
            assertEquals(id == 0 ? 1 : id, ContractsState.contractId(sender, nonce), "nonce " + nonce);
        }
    }

    @Test
    void shouldRefuseAScheduleWithoutRoomForAnAction()
    {
        assertThrows(IllegalArgumentException.class, () -> new ContractsState(0));
        assertEquals(1, new ContractsState(1).maxActionsPerBlock());
    }

    @Test
    void shouldReportATokenWhoseHoldingsDoNotAddUp()
    {
        final ContractChain c = new ContractChain(3, 10);
        final long empty = c.add(0, TOKEN_CREATE, tokenCreate("Nothing", "NIL", 0, 0, 0));
        final long id = c.add(0, TOKEN_CREATE, tokenCreate("Points", "PTS", 0, 0, 1000));
        c.add(0, TOKEN_TRANSFER, tokenMove(id, address(1), 400));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertTrue(c.contracts.tokenExists(empty));
        assertNull(c.contracts.auditTokens());

        c.contracts.holding(id, address(1)).balance++;
        final String report = c.contracts.auditTokens();
        assertNotNull(report);
        assertTrue(report.contains("token " + id + ":"), report);
        c.contracts.holding(id, address(1)).balance--;
        assertNull(c.contracts.auditTokens());
        c.contracts.token(empty).locked = 1;
        assertNotNull(c.contracts.auditTokens());
    }

    @Test
    void shouldReportLockedCmtOrTokensThatTheRecordsDoNotAccountFor()
    {
        // What every conservation check that walks the locks relies on: each kind of lock counted, and any
        // disagreement between the walk and the kept totals reported.
        final ContractChain c = new ContractChain(3, 10);
        final long token = c.add(0, TOKEN_CREATE, tokenCreate("Points", "PTS", 0, 0, 1000));
        c.add(0, ESCROW_CREATE, escrowCreate(address(1), null, 0, 100, c.chain.height() + 9));
        c.add(0, ESCROW_CREATE, escrowCreate(address(1), null, token, 30, c.chain.height() + 9));
        final long loan = c.add(1, LOAN_OFFER, ContractBodies.loanOffer(address(2), 20, 0, 1, 5, 0, 0));
        final long pool = c.add(2, INSURANCE_OPEN,
            ContractBodies.insuranceOpen(address(0), 7, 50, 100, 3, c.chain.height() + 2, c.chain.height() + 9));
        c.add(1, INSURANCE_BUY, ContractBodies.insuranceBuy(pool));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(100 + 20 + 3 + 7, c.contracts.lockedMicroCmt());
        assertEquals(c.contracts.lockedMicroCmt(), c.contracts.auditLockedMicroCmt());
        assertEquals(30, c.contracts.tokenLocked(token));

        c.contracts.lockedMicroCmt++;
        assertThrows(IllegalStateException.class, c.contracts::auditLockedMicroCmt);
        c.contracts.lockedMicroCmt--;
        c.contracts.pool(pool).funds++;
        assertThrows(IllegalStateException.class, c.contracts::auditLockedMicroCmt);
        c.contracts.pool(pool).funds--;
        c.contracts.token(token).locked++;
        final IllegalStateException ex = assertThrows(IllegalStateException.class, c.contracts::auditLockedMicroCmt);
        assertTrue(ex.getMessage().contains("token " + token), ex.getMessage());
        c.contracts.token(token).locked--;
        assertEquals(130, c.contracts.auditLockedMicroCmt());

        // An accepted loan's principal and a closed pool's funds are no longer locked.
        assertEquals(OK, c.run(2, LOAN_ACCEPT, ContractBodies.loanAction(loan)));
        assertEquals(110, c.contracts.auditLockedMicroCmt());
    }

    @Test
    void shouldCommitEveryFlagAndTheArbiterOfARecord()
    {
        final Holding holding = new Holding(Keys.holding(1, address(0)));
        assertRootMoves(holding, () -> holding.frozen = true);
        final Policy policy = new Policy(Keys.policy(1, address(0)));
        assertRootMoves(policy, () -> policy.claimed = true);
        final Loan loan = new Loan(1, address(0), address(1), 1000, 0, 1, 5, 0, 0);
        assertRootMoves(loan, () -> loan.wasLate = true);
        final InsurancePool pool = new InsurancePool(1, address(0), address(1), 1, 1, 1, 0, 5, 6);
        assertRootMoves(pool, () -> pool.closed = true);

        final ContractStore one = new ContractStore();
        one.add(new Escrow(1, address(0), address(1), address(2), 0, 10, 5));
        final ContractStore other = new ContractStore();
        other.add(new Escrow(1, address(0), address(1), address(3), 0, 10, 5));
        assertFalse(Arrays.equals(one.root(new Sha256()), other.root(new Sha256())));
    }

    private static void assertRootMoves(final ContractRecord record, final Runnable change)
    {
        final ContractStore store = new ContractStore();
        store.add(record);
        final byte[] before = store.root(new Sha256()).clone();
        change.run();
        store.markDirty(record);
        assertFalse(Arrays.equals(before, store.root(new Sha256())), record.getClass().getSimpleName());
    }
}
