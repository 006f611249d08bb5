package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

import static io.cmtchain.engine.contracts.ContractsDescriptor.*;

/**
 * The rules of the contract transaction types, run by {@code TransactionProcessor} after the fee is charged and the
 * nonce advanced. Every rule checks everything before it changes anything, so a rejection leaves the state as the
 * fee left it; no input makes a rule throw. One instance per executing thread.
 * <p>
 * Rejection codes, in the order each type checks them:
 * <ul>
 *   <li>TOKEN_CREATE: INVALID_NAME (name not 1..16 printable ASCII, or symbol not 1..8 of A-Z 0-9, each zero-padded),
 *       INVALID_BODY (decimals above 18, unknown flag bits), INVALID_AMOUNT (negative supply), CONTRACT_EXISTS.</li>
 *   <li>TOKEN_TRANSFER: NO_SUCH_TOKEN, INVALID_AMOUNT (&lt;= 0), ACCOUNT_FROZEN (sender), INSUFFICIENT_TOKENS.</li>
 *   <li>TOKEN_APPROVE: NO_SUCH_TOKEN, INVALID_AMOUNT (&lt; 0; 0 removes the allowance).</li>
 *   <li>TOKEN_TRANSFER_FROM: NO_SUCH_TOKEN, INVALID_AMOUNT, INSUFFICIENT_ALLOWANCE, ACCOUNT_FROZEN (owner),
 *       INSUFFICIENT_TOKENS.</li>
 *   <li>TOKEN_MINT: NO_SUCH_TOKEN, UNAUTHORIZED (not the issuer), NOT_MINTABLE, INVALID_AMOUNT, OVERFLOW (supply).</li>
 *   <li>TOKEN_BURN: NO_SUCH_TOKEN, NOT_BURNABLE, INVALID_AMOUNT, ACCOUNT_FROZEN, INSUFFICIENT_TOKENS.</li>
 *   <li>TOKEN_FREEZE: NO_SUCH_TOKEN, UNAUTHORIZED, NOT_FREEZABLE, INVALID_BODY (flag not 0 or 1).</li>
 *   <li>ESCROW_CREATE: INVALID_BODY (seller zero or the buyer; arbiter the buyer or the seller), INVALID_AMOUNT,
 *       INVALID_DEADLINE (not above the current height), NO_SUCH_TOKEN, ACCOUNT_FROZEN, INSUFFICIENT_TOKENS or
 *       INSUFFICIENT_FUNDS (CMT), CONTRACT_EXISTS.</li>
 *   <li>ESCROW_RELEASE (buyer; open or disputed): NO_SUCH_ESCROW, UNAUTHORIZED, ESCROW_CLOSED.</li>
 *   <li>ESCROW_CLAIM (seller; height &gt;= deadline): NO_SUCH_ESCROW, UNAUTHORIZED, ESCROW_CLOSED, DISPUTE_OPEN,
 *       DEADLINE_NOT_REACHED.</li>
 *   <li>ESCROW_DISPUTE (buyer or seller; height &lt; deadline): NO_SUCH_ESCROW, UNAUTHORIZED, ESCROW_CLOSED,
 *       NO_ARBITER, DISPUTE_OPEN, DEADLINE_PASSED.</li>
 *   <li>ESCROW_SETTLE (arbiter): NO_SUCH_ESCROW, UNAUTHORIZED, ESCROW_CLOSED, NOT_DISPUTED, INVALID_AMOUNT
 *       (toSeller outside 0..amount; the rest goes back to the buyer).</li>
 *   <li>LOAN_OFFER (lender; locks the principal): INVALID_BODY (borrower zero or the lender), INVALID_AMOUNT
 *       (principal &lt;= 0), INVALID_TERMS (rate outside 0..10^6 ppm, instalments outside 1..1000, interval 0,
 *       negative late fee, grace not below the interval), INSUFFICIENT_FUNDS, CONTRACT_EXISTS.</li>
 *   <li>LOAN_ACCEPT (borrower; receives the principal, first instalment due one interval later), LOAN_CANCEL
 *       (lender; principal back): NO_SUCH_LOAN, UNAUTHORIZED, LOAN_NOT_OFFERED.</li>
 *   <li>LOAN_REPAY (borrower, early repayment; the interest of an instalment already due, from its due height on,
 *       and on a late loan the late fee): NO_SUCH_LOAN, UNAUTHORIZED, LOAN_NOT_ACTIVE, INSUFFICIENT_FUNDS.</li>
 *   <li>INSURANCE_OPEN (insurer; locks the deposit, schedules the expiry): INVALID_BODY (no adjuster),
 *       INVALID_AMOUNT (premium or base cover &lt;= 0, cap below base, negative deposit), INVALID_TERMS (sales end
 *       before the current height, expiry not after the sales end), INSUFFICIENT_FUNDS, CONTRACT_EXISTS.</li>
 *   <li>INSURANCE_BUY (premium into the pool, heights up to the sales end): NO_SUCH_POOL, POOL_CLOSED,
 *       POLICY_EXISTS, INSUFFICIENT_FUNDS.</li>
 *   <li>INSURANCE_APPROVE (adjuster, heights below the expiry): NO_SUCH_POOL, UNAUTHORIZED, POOL_CLOSED,
 *       NO_SUCH_POLICY, ALREADY_CLAIMED, NOT_COVERED (delay under 4 h), INVALID_AMOUNT (6 h or more: amount
 *       outside base .. cap).</li>
 * </ul>
 */
public final class ContractTransactions
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int OK = ReceiptStatus.OK.value();
    private static final byte[] ZERO_ADDRESS = new byte[20];

    private final Addresses addresses = new Addresses();

    /**
     * Apply a contract transaction's body.
     *
     * @param contracts  the contracts state (bound to the chain's accounts).
     * @param tx         the transaction (passed the stateless checks).
     * @param senderSlot the sender's slot in the bound accounts.
     * @param height     of the block being executed.
     * @return a {@link ReceiptStatus} code.
     */
    public int execute(
        final ContractsState contracts, final TransactionFlyweight tx, final int senderSlot, final long height)
    {
        final byte[] sender = new byte[20];
        addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), sender, 0);
        final DirectBuffer b = tx.buffer();
        final int body = tx.bodyOffset();
        final int type = tx.type();
        switch (type)
        {
            case 40: return create(contracts, b, body, sender, tx.nonce());
            case 41: return transfer(contracts, b, body, sender);
            case 42: return approve(contracts, b, body, sender);
            case 43: return transferFrom(contracts, b, body, sender);
            case 44: return mint(contracts, b, body, sender);
            case 45: return burn(contracts, b, body, sender);
            case 46: return freeze(contracts, b, body, sender);
            case 47: return escrowCreate(contracts, b, body, sender, senderSlot, tx.nonce(), height);
            case 48: return escrowRelease(contracts, b, body, sender, height);
            case 49: return escrowClaim(contracts, b, body, sender, height);
            case 50: return escrowDispute(contracts, b, body, sender, height);
            case 51: return escrowSettle(contracts, b, body, sender, height);
            case 52: return loanOffer(contracts, b, body, sender, senderSlot, tx.nonce());
            case 53: return loanAccept(contracts, b, body, sender, height);
            case 54: return loanCancel(contracts, b, body, sender);
            case 55: return loanRepay(contracts, b, body, sender, senderSlot, height);
            case 56: return poolOpen(contracts, b, body, sender, senderSlot, tx.nonce(), height);
            case 57: return poolBuy(contracts, b, body, sender, senderSlot, height);
            case 58: return claimApprove(contracts, b, body, sender, height);
            default: return ReceiptStatus.UNKNOWN_TYPE.value();
        }
    }

    private static int create(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long nonce)
    {
        final byte[] name = bytes(b, body + CREATE_NAME_OFFSET, NAME_LENGTH);
        final byte[] symbol = bytes(b, body + CREATE_SYMBOL_OFFSET, SYMBOL_LENGTH);
        if (!validText(name, false) || !validText(symbol, true))
        {
            return ReceiptStatus.INVALID_NAME.value();
        }
        final int decimals = b.getByte(body + CREATE_DECIMALS_OFFSET) & 0xFF;
        final int flags = b.getByte(body + CREATE_FLAGS_OFFSET) & 0xFF;
        if (decimals > MAX_DECIMALS || (flags & ~KNOWN_FLAGS) != 0)
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final long supply = b.getLong(body + CREATE_SUPPLY_OFFSET, LE);
        if (supply < 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final long id = ContractsState.contractId(sender, nonce);
        if (c.token(id) != null)
        {
            return ReceiptStatus.CONTRACT_EXISTS.value();
        }
        final Token t = new Token(id, sender, name, symbol, decimals, flags);
        t.mintedDelta = supply;
        c.addToken(t);
        if (supply > 0)
        {
            c.holdingOrCreate(id, sender).balance = supply;
        }
        return OK;
    }

    private static int transfer(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Token t = c.token(b.getLong(body + TOKEN_ID_OFFSET, LE));
        if (t == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        final long amount = b.getLong(body + MOVE_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final byte[] to = bytes(b, body + MOVE_ACCOUNT_OFFSET, 20);
        return move(c, t, sender, to, amount);
    }

    private static int move(
        final ContractsState c, final Token t, final byte[] from, final byte[] to, final long amount)
    {
        final Holding source = c.holding(t.id, from);
        if (source != null && source.frozen)
        {
            return ReceiptStatus.ACCOUNT_FROZEN.value();
        }
        if (source == null || source.balance < amount)
        {
            return ReceiptStatus.INSUFFICIENT_TOKENS.value();
        }
        if (Arrays.equals(from, to))
        {
            return OK;
        }
        final Holding target = c.holdingOrCreate(t.id, to);
        source.balance -= amount;
        // Cannot overflow: the two holdings together never exceed the token's supply.
        target.balance += amount;
        c.store.markDirty(source);
        c.store.markDirty(target);
        return OK;
    }

    private static int approve(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final long tokenId = b.getLong(body + TOKEN_ID_OFFSET, LE);
        if (c.token(tokenId) == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        final long amount = b.getLong(body + MOVE_AMOUNT_OFFSET, LE);
        if (amount < 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final byte[] key = Keys.allowance(tokenId, sender, bytes(b, body + MOVE_ACCOUNT_OFFSET, 20));
        Allowance a = (Allowance)c.store.get(key);
        if (amount == 0)
        {
            if (a != null)
            {
                c.store.remove(a);
            }
            return OK;
        }
        if (a == null)
        {
            a = new Allowance(key);
            c.store.add(a);
        }
        a.amount = amount;
        c.store.markDirty(a);
        return OK;
    }

    private static int transferFrom(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Token t = c.token(b.getLong(body + TOKEN_ID_OFFSET, LE));
        if (t == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        final long amount = b.getLong(body + FROM_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final byte[] from = bytes(b, body + FROM_FROM_OFFSET, 20);
        final Allowance a = (Allowance)c.store.get(Keys.allowance(t.id, from, sender));
        if (a == null || a.amount < amount)
        {
            return ReceiptStatus.INSUFFICIENT_ALLOWANCE.value();
        }
        final int status = move(c, t, from, bytes(b, body + FROM_TO_OFFSET, 20), amount);
        if (status != OK)
        {
            return status;
        }
        a.amount -= amount;
        if (a.amount == 0)
        {
            c.store.remove(a);
        }
        else
        {
            c.store.markDirty(a);
        }
        return OK;
    }

    private static int mint(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Token t = c.token(b.getLong(body + TOKEN_ID_OFFSET, LE));
        if (t == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        if (!Arrays.equals(t.issuer, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if ((t.flags & FLAG_MINTABLE) == 0)
        {
            return ReceiptStatus.NOT_MINTABLE.value();
        }
        final long amount = b.getLong(body + MOVE_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        if (t.supplyNow() > Long.MAX_VALUE - amount)
        {
            return ReceiptStatus.OVERFLOW.value();
        }
        if (t.mintedTotal + t.mintedDelta > Long.MAX_VALUE - amount)
        {
            // The supply fits but the cumulative minted amount would not: count the burns off it (minted - burned
            // unchanged), so that the totals folded at block end stay within a long.
            t.mintedTotal -= t.burnedTotal;
            t.burnedTotal = 0;
            t.mintedDelta -= t.burnedDelta;
            t.burnedDelta = 0;
        }
        final Holding h = c.holdingOrCreate(t.id, bytes(b, body + MOVE_ACCOUNT_OFFSET, 20));
        h.balance += amount;
        c.store.markDirty(h);
        t.mintedDelta += amount;
        c.touch(t);
        return OK;
    }

    private static int burn(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Token t = c.token(b.getLong(body + TOKEN_ID_OFFSET, LE));
        if (t == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        if ((t.flags & FLAG_BURNABLE) == 0)
        {
            return ReceiptStatus.NOT_BURNABLE.value();
        }
        final long amount = b.getLong(body + BURN_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final Holding h = c.holding(t.id, sender);
        if (h != null && h.frozen)
        {
            return ReceiptStatus.ACCOUNT_FROZEN.value();
        }
        if (h == null || h.balance < amount)
        {
            return ReceiptStatus.INSUFFICIENT_TOKENS.value();
        }
        h.balance -= amount;
        c.store.markDirty(h);
        t.burnedDelta += amount;
        c.touch(t);
        return OK;
    }

    private static int freeze(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Token t = c.token(b.getLong(body + TOKEN_ID_OFFSET, LE));
        if (t == null)
        {
            return ReceiptStatus.NO_SUCH_TOKEN.value();
        }
        if (!Arrays.equals(t.issuer, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if ((t.flags & FLAG_FREEZABLE) == 0)
        {
            return ReceiptStatus.NOT_FREEZABLE.value();
        }
        final int flag = b.getByte(body + FREEZE_FLAG_OFFSET);
        if (flag != 0 && flag != 1)
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final Holding h = c.holdingOrCreate(t.id, bytes(b, body + FREEZE_ACCOUNT_OFFSET, 20));
        h.frozen = flag == 1;
        c.store.markDirty(h);
        return OK;
    }

    private static int escrowCreate(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final int senderSlot,
        final long nonce, final long height)
    {
        final byte[] seller = bytes(b, body + ESCROW_SELLER_OFFSET, 20);
        final byte[] arbiterBytes = bytes(b, body + ESCROW_ARBITER_OFFSET, 20);
        final byte[] arbiter = Arrays.equals(arbiterBytes, ZERO_ADDRESS) ? null : arbiterBytes;
        if (Arrays.equals(seller, ZERO_ADDRESS) || Arrays.equals(seller, sender) ||
            (arbiter != null && (Arrays.equals(arbiter, sender) || Arrays.equals(arbiter, seller))))
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final long tokenId = b.getLong(body + ESCROW_TOKEN_OFFSET, LE);
        final long amount = b.getLong(body + ESCROW_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final long deadline = b.getLong(body + ESCROW_DEADLINE_OFFSET, LE);
        if (Long.compareUnsigned(deadline, height) <= 0 || deadline < 0)
        {
            return ReceiptStatus.INVALID_DEADLINE.value();
        }
        final AccountStore accounts = c.accounts();
        Token token = null;
        Holding holding = null;
        if (tokenId != 0)
        {
            token = c.token(tokenId);
            if (token == null)
            {
                return ReceiptStatus.NO_SUCH_TOKEN.value();
            }
            holding = c.holding(tokenId, sender);
            if (holding != null && holding.frozen)
            {
                return ReceiptStatus.ACCOUNT_FROZEN.value();
            }
            if (holding == null || holding.balance < amount)
            {
                return ReceiptStatus.INSUFFICIENT_TOKENS.value();
            }
        }
        else if (accounts.balance(senderSlot) < amount)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final long id = ContractsState.contractId(sender, nonce);
        if (c.escrow(id) != null)
        {
            return ReceiptStatus.CONTRACT_EXISTS.value();
        }
        if (token != null)
        {
            holding.balance -= amount;
            c.store.markDirty(holding);
            token.locked += amount;
            c.store.markDirty(token);
        }
        else
        {
            accounts.balance(senderSlot, accounts.balance(senderSlot) - amount);
            c.lockMicroCmt(amount);
        }
        c.addEscrow(new Escrow(id, sender, seller, arbiter, tokenId, amount, deadline));
        return OK;
    }

    private static int escrowRelease(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final Escrow e = c.escrow(b.getLong(body + ESCROW_ID_OFFSET, LE));
        if (e == null)
        {
            return ReceiptStatus.NO_SUCH_ESCROW.value();
        }
        if (!Arrays.equals(e.buyer, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (!e.open())
        {
            return ReceiptStatus.ESCROW_CLOSED.value();
        }
        c.payOut(e.tokenId, e.seller, e.amount);
        c.close(e, ContractsState.ESCROW_RELEASED, e.amount, height);
        return OK;
    }

    private static int escrowClaim(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final Escrow e = c.escrow(b.getLong(body + ESCROW_ID_OFFSET, LE));
        if (e == null)
        {
            return ReceiptStatus.NO_SUCH_ESCROW.value();
        }
        if (!Arrays.equals(e.seller, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (!e.open())
        {
            return ReceiptStatus.ESCROW_CLOSED.value();
        }
        if (e.status == ContractsState.ESCROW_DISPUTED)
        {
            return ReceiptStatus.DISPUTE_OPEN.value();
        }
        if (Long.compareUnsigned(height, e.deadlineHeight) < 0)
        {
            return ReceiptStatus.DEADLINE_NOT_REACHED.value();
        }
        c.payOut(e.tokenId, e.seller, e.amount);
        c.close(e, ContractsState.ESCROW_CLAIMED, e.amount, height);
        return OK;
    }

    private static int escrowDispute(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final Escrow e = c.escrow(b.getLong(body + ESCROW_ID_OFFSET, LE));
        if (e == null)
        {
            return ReceiptStatus.NO_SUCH_ESCROW.value();
        }
        if (!Arrays.equals(e.buyer, sender) && !Arrays.equals(e.seller, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (!e.open())
        {
            return ReceiptStatus.ESCROW_CLOSED.value();
        }
        if (e.arbiter == null)
        {
            return ReceiptStatus.NO_ARBITER.value();
        }
        if (e.status == ContractsState.ESCROW_DISPUTED)
        {
            return ReceiptStatus.DISPUTE_OPEN.value();
        }
        if (Long.compareUnsigned(height, e.deadlineHeight) >= 0)
        {
            return ReceiptStatus.DEADLINE_PASSED.value();
        }
        c.dispute(e);
        return OK;
    }

    private static int escrowSettle(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final Escrow e = c.escrow(b.getLong(body + ESCROW_ID_OFFSET, LE));
        if (e == null)
        {
            return ReceiptStatus.NO_SUCH_ESCROW.value();
        }
        if (e.arbiter == null || !Arrays.equals(e.arbiter, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (!e.open())
        {
            return ReceiptStatus.ESCROW_CLOSED.value();
        }
        if (e.status != ContractsState.ESCROW_DISPUTED)
        {
            return ReceiptStatus.NOT_DISPUTED.value();
        }
        final long toSeller = b.getLong(body + SETTLE_TO_SELLER_OFFSET, LE);
        if (toSeller < 0 || toSeller > e.amount)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        c.payOut(e.tokenId, e.seller, toSeller);
        c.payOut(e.tokenId, e.buyer, e.amount - toSeller);
        c.close(e, ContractsState.ESCROW_SETTLED, toSeller, height);
        return OK;
    }

    private static int loanOffer(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final int senderSlot,
        final long nonce)
    {
        final byte[] borrower = bytes(b, body + LOAN_BORROWER_OFFSET, 20);
        if (Arrays.equals(borrower, ZERO_ADDRESS) || Arrays.equals(borrower, sender))
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final long principal = b.getLong(body + LOAN_PRINCIPAL_OFFSET, LE);
        if (principal <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final int ratePpm = b.getInt(body + LOAN_RATE_OFFSET, LE);
        final int instalments = b.getShort(body + LOAN_INSTALMENTS_OFFSET, LE) & 0xFFFF;
        final long interval = b.getInt(body + LOAN_INTERVAL_OFFSET, LE) & 0xFFFF_FFFFL;
        final long grace = b.getInt(body + LOAN_GRACE_OFFSET, LE) & 0xFFFF_FFFFL;
        final long lateFee = b.getLong(body + LOAN_LATE_FEE_OFFSET, LE);
        if (ratePpm < 0 || ratePpm > MAX_RATE_PPM || instalments < 1 || instalments > MAX_INSTALMENTS ||
            interval < 1 || lateFee < 0 || grace >= interval)
        {
            return ReceiptStatus.INVALID_TERMS.value();
        }
        final AccountStore accounts = c.accounts();
        if (accounts.balance(senderSlot) < principal)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final long id = ContractsState.contractId(sender, nonce);
        if (c.loan(id) != null)
        {
            return ReceiptStatus.CONTRACT_EXISTS.value();
        }
        accounts.balance(senderSlot, accounts.balance(senderSlot) - principal);
        c.lockMicroCmt(principal);
        c.store.add(new Loan(id, sender, borrower, principal, ratePpm, instalments, interval, grace, lateFee));
        return OK;
    }

    private static int loanAccept(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final Loan loan = c.loan(b.getLong(body + LOAN_ID_OFFSET, LE));
        if (loan == null)
        {
            return ReceiptStatus.NO_SUCH_LOAN.value();
        }
        if (!Arrays.equals(loan.borrower, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (loan.status != ContractsState.LOAN_OFFERED)
        {
            return ReceiptStatus.LOAN_NOT_OFFERED.value();
        }
        c.payOut(0, loan.borrower, loan.principal);
        loan.status = ContractsState.LOAN_ACTIVE;
        loan.dueHeight = height + loan.intervalBlocks;
        loan.action = c.schedule(ContractsState.ACTION_LOAN_INSTALMENT, loan.dueHeight, loan.id);
        c.store.markDirty(loan);
        return OK;
    }

    private static int loanCancel(final ContractsState c, final DirectBuffer b, final int body, final byte[] sender)
    {
        final Loan loan = c.loan(b.getLong(body + LOAN_ID_OFFSET, LE));
        if (loan == null)
        {
            return ReceiptStatus.NO_SUCH_LOAN.value();
        }
        if (!Arrays.equals(loan.lender, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (loan.status != ContractsState.LOAN_OFFERED)
        {
            return ReceiptStatus.LOAN_NOT_OFFERED.value();
        }
        c.payOut(0, loan.lender, loan.principal);
        loan.status = ContractsState.LOAN_CANCELLED;
        c.store.markDirty(loan);
        return OK;
    }

    /**
     * Early repayment: the outstanding principal, plus, on a late loan, the missed instalment's interest and the
     * late fee; no interest for instalments not yet due. An instalment whose due height is reached is due even while
     * the scheduler's carry-over has not collected it yet: its interest is owed (no late fee, it was not missed), and
     * so is that of every later instalment whose due height is reached too.
     */
    private static int loanRepay(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final int senderSlot,
        final long height)
    {
        final Loan loan = c.loan(b.getLong(body + LOAN_ID_OFFSET, LE));
        if (loan == null)
        {
            return ReceiptStatus.NO_SUCH_LOAN.value();
        }
        if (!Arrays.equals(loan.borrower, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (loan.status != ContractsState.LOAN_ACTIVE && loan.status != ContractsState.LOAN_LATE)
        {
            return ReceiptStatus.LOAN_NOT_ACTIVE.value();
        }
        final boolean late = loan.status == ContractsState.LOAN_LATE;
        final long interest = loan.interestDueBy(height);
        final long fee = late ? loan.lateFee : 0;
        final long amount = Loan.dueWithFee(Loan.dueWithFee(loan.outstanding, interest), fee);
        final AccountStore accounts = c.accounts();
        if (accounts.balance(senderSlot) < amount)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        accounts.balance(senderSlot, accounts.balance(senderSlot) - amount);
        c.creditAccount(loan.lender, amount);
        loan.outstanding = 0;
        loan.interestPaid += interest;
        loan.feesPaid += fee;
        c.closeLoan(loan);
        return OK;
    }

    private static int poolOpen(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final int senderSlot,
        final long nonce, final long height)
    {
        final byte[] adjuster = bytes(b, body + POOL_ADJUSTER_OFFSET, 20);
        if (Arrays.equals(adjuster, ZERO_ADDRESS))
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final long premium = b.getLong(body + POOL_PREMIUM_OFFSET, LE);
        final long base = b.getLong(body + POOL_BASE_OFFSET, LE);
        final long cap = b.getLong(body + POOL_CAP_OFFSET, LE);
        final long deposit = b.getLong(body + POOL_DEPOSIT_OFFSET, LE);
        if (premium <= 0 || base <= 0 || cap < base || deposit < 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final long salesEnd = b.getLong(body + POOL_SALES_END_OFFSET, LE);
        final long expiry = b.getLong(body + POOL_EXPIRY_OFFSET, LE);
        if (salesEnd < 0 || expiry < 0 || salesEnd < height || expiry <= salesEnd)
        {
            return ReceiptStatus.INVALID_TERMS.value();
        }
        final AccountStore accounts = c.accounts();
        if (accounts.balance(senderSlot) < deposit)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final long id = ContractsState.contractId(sender, nonce);
        if (c.pool(id) != null)
        {
            return ReceiptStatus.CONTRACT_EXISTS.value();
        }
        accounts.balance(senderSlot, accounts.balance(senderSlot) - deposit);
        c.lockMicroCmt(deposit);
        c.store.add(new InsurancePool(id, sender, adjuster, premium, base, cap, deposit, salesEnd, expiry));
        c.schedule(ContractsState.ACTION_POLICY_EXPIRY, expiry, id);
        return OK;
    }

    private static int poolBuy(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final int senderSlot,
        final long height)
    {
        final InsurancePool pool = c.pool(b.getLong(body + POOL_ID_OFFSET, LE));
        if (pool == null)
        {
            return ReceiptStatus.NO_SUCH_POOL.value();
        }
        if (Long.compareUnsigned(height, pool.salesEndHeight) > 0 || pool.closed)
        {
            return ReceiptStatus.POOL_CLOSED.value();
        }
        final byte[] key = Keys.policy(pool.id, sender);
        if (c.store.get(key) != null)
        {
            return ReceiptStatus.POLICY_EXISTS.value();
        }
        final AccountStore accounts = c.accounts();
        if (accounts.balance(senderSlot) < pool.premium)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        accounts.balance(senderSlot, accounts.balance(senderSlot) - pool.premium);
        c.lockMicroCmt(pool.premium);
        pool.funds += pool.premium;
        pool.policies++;
        c.store.markDirty(pool);
        c.store.add(new Policy(key));
        return OK;
    }

    /**
     * The adjuster approves a claim against the flight-delay rule: a delay of at least 4 h pays the base cover, at
     * least 6 h pays the approved amount (base cover .. cap); the payout is limited to what the pool holds.
     */
    private static int claimApprove(
        final ContractsState c, final DirectBuffer b, final int body, final byte[] sender, final long height)
    {
        final InsurancePool pool = c.pool(b.getLong(body + POOL_ID_OFFSET, LE));
        if (pool == null)
        {
            return ReceiptStatus.NO_SUCH_POOL.value();
        }
        if (!Arrays.equals(pool.adjuster, sender))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        if (pool.closed || Long.compareUnsigned(height, pool.expiryHeight) >= 0)
        {
            return ReceiptStatus.POOL_CLOSED.value();
        }
        final byte[] holder = bytes(b, body + APPROVE_HOLDER_OFFSET, 20);
        final Policy policy = (Policy)c.store.get(Keys.policy(pool.id, holder));
        if (policy == null)
        {
            return ReceiptStatus.NO_SUCH_POLICY.value();
        }
        if (policy.claimed)
        {
            return ReceiptStatus.ALREADY_CLAIMED.value();
        }
        final long delay = b.getInt(body + APPROVE_DELAY_OFFSET, LE) & 0xFFFF_FFFFL;
        if (delay < BASE_DELAY_MINUTES)
        {
            return ReceiptStatus.NOT_COVERED.value();
        }
        long payout = pool.baseCover;
        if (delay >= CAP_DELAY_MINUTES)
        {
            final long amount = b.getLong(body + APPROVE_AMOUNT_OFFSET, LE);
            if (amount < pool.baseCover || amount > pool.capCover)
            {
                return ReceiptStatus.INVALID_AMOUNT.value();
            }
            payout = amount;
        }
        payout = Math.min(payout, pool.funds);
        c.payOut(0, holder, payout);
        pool.funds -= payout;
        pool.paidOut += payout;
        c.store.markDirty(pool);
        policy.claimed = true;
        policy.delayMinutes = delay;
        policy.payout = payout;
        c.store.markDirty(policy);
        return OK;
    }

    private static byte[] bytes(final DirectBuffer b, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        b.getBytes(offset, out);
        return out;
    }

    /**
     * @param text   zero-padded field.
     * @param symbol true for a symbol (A-Z, 0-9), false for a name (printable ASCII).
     * @return true when at least one character, all allowed, and only zeros after the first zero.
     */
    private static boolean validText(final byte[] text, final boolean symbol)
    {
        if (text[0] == 0)
        {
            return false;
        }
        boolean ended = false;
        for (final byte ch : text)
        {
            if (ch == 0)
            {
                ended = true;
            }
            else if (ended)
            {
                return false;
            }
            else if (symbol ? !((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) : (ch < 0x20 || ch > 0x7E))
            {
                return false;
            }
        }
        return true;
    }
}
