package io.cmtchain.engine.contracts;

import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of the Smart Business Contracts: tokens (holdings, allowances, supply), escrows, the per-height
 * schedule of contract actions and each address's credit history. Pure and single-threaded: executors run blocks
 * holding contract types in order on the {@code ChainState} that owns it.
 * <p>
 * Block lifecycle, driven by {@code ChainState.foldDeltas()} through {@link #endBlock()}:
 * <ol>
 *   <li>the first call closes genesis (digest only);</li>
 *   <li>each later call ends block h: token supply deltas are folded, then the scheduler runs the actions due at
 *       heights up to h + 1, in (due height, sequence) order, at most {@code maxActionsPerBlock} of them; the rest
 *       carry over to the next block. Running them here puts them at the start of block h + 1: every transaction
 *       of block h + 1 sees their effects, and block h's state root commits to them. The actions run form the
 *       block's action log ({@link #actionCount()}, ...), whose hash is part of the digest;</li>
 *   <li>the digest is brought up to date, rehashing only the records that changed.</li>
 * </ol>
 * <pre>
 *   digest = SHA-256("CMTCHAIN/CONTRACTS/V1" || recordsRoot || height u64 LE || scheduleSequence u64 LE
 *                    || lockedMicroCmt i64 LE || actionLogHash)
 *   actionLogHash = SHA-256(count u32 LE || (dueHeight u64 | kind u8 | contractId u64 | outcome u8) ...)
 * </pre>
 */
public final class ContractsState
{
    public static final int ESCROW_OPEN = 0;
    public static final int ESCROW_DISPUTED = 1;
    public static final int ESCROW_RELEASED = 2;
    public static final int ESCROW_CLAIMED = 3;
    public static final int ESCROW_SETTLED = 4;
    public static final int ESCROW_AUTO_RELEASED = 5;

    public static final int LOAN_OFFERED = 0;
    public static final int LOAN_ACTIVE = 1;
    public static final int LOAN_LATE = 2;
    public static final int LOAN_REPAID = 3;
    public static final int LOAN_DEFAULTED = 4;
    public static final int LOAN_CANCELLED = 5;

    /** Scheduled action kinds. */
    public static final int ACTION_ESCROW_DEADLINE = 1;
    public static final int ACTION_LOAN_INSTALMENT = 2;
    public static final int ACTION_LOAN_GRACE_END = 3;
    public static final int ACTION_POLICY_EXPIRY = 4;

    /** Action outcomes. */
    public static final int OUTCOME_RELEASED = 0;
    public static final int OUTCOME_PAID = 1;
    public static final int OUTCOME_MISSED = 2;
    public static final int OUTCOME_PAID_LATE = 3;
    public static final int OUTCOME_DEFAULTED = 4;
    public static final int OUTCOME_RETURNED = 5;

    /** Default bound on scheduled actions run per block. */
    public static final int DEFAULT_MAX_ACTIONS_PER_BLOCK = 1000;

    private static final byte[] TAG = "CMTCHAIN/CONTRACTS/V1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_TAG = "CMT/CONTRACT".getBytes(StandardCharsets.US_ASCII);

    final ContractStore store = new ContractStore();
    final TreeMap<byte[], ScheduledAction> schedule = new TreeMap<>(Arrays::compareUnsigned);
    final ArrayList<Token> touchedTokens = new ArrayList<>();
    private final int maxActionsPerBlock;
    private final Sha256 sha = new Sha256();
    private final byte[] digest = new byte[32];
    private final byte[] actionLogHash = new byte[32];
    final long[] logDueHeight;
    final int[] logKind;
    final long[] logContractId;
    final int[] logOutcome;
    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(new byte[20]);
    int logCount;
    long scheduleSequence;
    long lockedMicroCmt;
    long height;
    boolean genesisClosed;
    private AccountStore accounts;

    /**
     * @param maxActionsPerBlock bound on scheduled actions run per block (a genesis parameter), at least 1.
     */
    public ContractsState(final int maxActionsPerBlock)
    {
        if (maxActionsPerBlock < 1)
        {
            throw new IllegalArgumentException("maxActionsPerBlock must be >= 1, was " + maxActionsPerBlock);
        }
        this.maxActionsPerBlock = maxActionsPerBlock;
        logDueHeight = new long[maxActionsPerBlock];
        logKind = new int[maxActionsPerBlock];
        logContractId = new long[maxActionsPerBlock];
        logOutcome = new int[maxActionsPerBlock];
    }

    /**
     * Bind to the accounts that CMT moves touch: the owning {@code ChainState} does this once.
     *
     * @param accounts of the chain.
     */
    public void bind(final AccountStore accounts)
    {
        this.accounts = accounts;
    }

    AccountStore accounts()
    {
        return accounts;
    }

    public int maxActionsPerBlock()
    {
        return maxActionsPerBlock;
    }

    /** @return height of the last block ended. */
    public long height()
    {
        return height;
    }

    /** @return µCMT held by open escrows (outside every account balance). */
    public long lockedMicroCmt()
    {
        return lockedMicroCmt;
    }

    /** @return µCMT the contracts hold, for the chain's supply audit. */
    public long heldMicroCmt()
    {
        return lockedMicroCmt;
    }

    /**
     * Derive the id of the contract (token or escrow) a transaction creates.
     *
     * @param sender address, 20 bytes.
     * @param nonce  of the creating transaction.
     * @return the id, never 0 and never negative.
     */
    public static long contractId(final byte[] sender, final long nonce)
    {
        final Sha256 s = new Sha256();
        s.update(ID_TAG).update(sender, 0, 20).updateLong(nonce);
        final byte[] h = s.digest();
        long id = 0;
        for (int i = 0; i < 8; i++)
        {
            id = (id << 8) | (h[i] & 0xFF);
        }
        id &= Long.MAX_VALUE;
        return id == 0 ? 1 : id;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Block lifecycle
    // ---------------------------------------------------------------------------------------------------------

    /** End a block: fold supply deltas, run the schedule for the next height, refresh the digest. */
    public void endBlock()
    {
        if (!genesisClosed)
        {
            genesisClosed = true;
            logCount = 0;
            computeDigest();
            return;
        }
        height++;
        foldSupply();
        runSchedule(height + 1);
        computeDigest();
    }

    /**
     * @param out    receives the 32-byte digest as of the last {@link #endBlock()}.
     * @param offset in {@code out}.
     */
    public void digest(final byte[] out, final int offset)
    {
        System.arraycopy(digest, 0, out, offset, 32);
    }

    private void foldSupply()
    {
        for (int i = 0, n = touchedTokens.size(); i < n; i++)
        {
            final Token t = touchedTokens.get(i);
            t.mintedTotal = Math.addExact(t.mintedTotal, t.mintedDelta);
            t.burnedTotal = Math.addExact(t.burnedTotal, t.burnedDelta);
            t.mintedDelta = 0;
            t.burnedDelta = 0;
            t.touched = false;
            store.markDirty(t);
        }
        touchedTokens.clear();
    }

    private void runSchedule(final long startHeight)
    {
        logCount = 0;
        while (logCount < maxActionsPerBlock)
        {
            final Map.Entry<byte[], ScheduledAction> first = schedule.firstEntry();
            if (first == null || Long.compareUnsigned(first.getValue().dueHeight, startHeight) > 0)
            {
                break;
            }
            final ScheduledAction action = first.getValue();
            unschedule(action);
            final int outcome = run(action, startHeight);
            logDueHeight[logCount] = action.dueHeight;
            logKind[logCount] = action.kind;
            logContractId[logCount] = action.contractId;
            logOutcome[logCount] = outcome;
            logCount++;
        }
    }

    private int run(final ScheduledAction action, final long startHeight)
    {
        if (action.kind == ACTION_POLICY_EXPIRY)
        {
            // The claim window is over: what the pool holds goes back to the insurer.
            final InsurancePool pool = pool(action.contractId);
            payOut(0, pool.insurer, pool.funds);
            pool.returned = pool.funds;
            pool.funds = 0;
            pool.closed = true;
            store.markDirty(pool);
            return OUTCOME_RETURNED;
        }
        if (action.kind != ACTION_ESCROW_DEADLINE)
        {
            final Loan loan = loan(action.contractId);
            loan.action = null;
            return action.kind == ACTION_LOAN_INSTALMENT ? instalment(loan, false) : instalment(loan, true);
        }
        // An escrow that closes or is disputed first unschedules its action, so the escrow here is open, undisputed.
        final Escrow e = escrow(action.contractId);
        e.deadlineAction = null;
        payOut(e.tokenId, e.seller, e.amount);
        close(e, ESCROW_AUTO_RELEASED, e.amount, startHeight);
        return OUTCOME_RELEASED;
    }

    /**
     * Collect the loan's next instalment from the borrower (plus the late fee at the end of the grace period). A
     * missed instalment makes the loan late and schedules the grace end; missing it again there defaults the loan.
     */
    private int instalment(final Loan loan, final boolean graceEnd)
    {
        final long part = loan.principalPart();
        final long interest = loan.interest();
        final long fee = graceEnd ? loan.lateFee : 0;
        // Principal part and interest can each be up to the outstanding principal, which may pass 2^62 once
        // inflation has: their sum saturates like the fee's, or a wrapped sum plus the fee could come out small.
        final long amount = Loan.dueWithFee(Loan.dueWithFee(part, interest), fee);
        addressBuffer.putBytes(0, loan.borrower);
        final int borrower = accounts.find(addressBuffer, 0);
        if (borrower < 0 || accounts.balance(borrower) < amount)
        {
            store.markDirty(loan);
            if (graceEnd)
            {
                loan.status = LOAN_DEFAULTED;
                credit(loan.borrower).loansDefaulted++;
                return OUTCOME_DEFAULTED;
            }
            loan.status = LOAN_LATE;
            loan.action = schedule(ACTION_LOAN_GRACE_END, loan.dueHeight + loan.graceBlocks, loan.id);
            return OUTCOME_MISSED;
        }
        accounts.balance(borrower, accounts.balance(borrower) - amount);
        creditAccount(loan.lender, amount);
        loan.outstanding -= part;
        loan.interestPaid += interest;
        loan.feesPaid += fee;
        loan.paidCount++;
        loan.wasLate |= graceEnd;
        store.markDirty(loan);
        if (loan.outstanding == 0)
        {
            closeLoan(loan);
        }
        else
        {
            loan.status = LOAN_ACTIVE;
            loan.dueHeight += loan.intervalBlocks;
            loan.action = schedule(ACTION_LOAN_INSTALMENT, loan.dueHeight, loan.id);
        }
        return graceEnd ? OUTCOME_PAID_LATE : OUTCOME_PAID;
    }

    void closeLoan(final Loan loan)
    {
        if (loan.action != null)
        {
            unschedule(loan.action);
            loan.action = null;
        }
        final boolean late = loan.wasLate || loan.status == LOAN_LATE;
        loan.status = LOAN_REPAID;
        store.markDirty(loan);
        final Credit c = credit(loan.borrower);
        if (late)
        {
            c.loansLate++;
        }
        else
        {
            c.loansOnTime++;
        }
    }

    void creditAccount(final byte[] to, final long amount)
    {
        addressBuffer.putBytes(0, to);
        final int slot = accounts.findOrCreate(addressBuffer, 0);
        // Cannot overflow: what is paid out was locked or debited, and the supply (every balance and lock together)
        // stays within a long: DposState's award stops the chain before minting past 2^63-1; without DPoS none is.
        accounts.balance(slot, accounts.balance(slot) + amount);
    }

    ScheduledAction schedule(final int kind, final long dueHeight, final long contractId)
    {
        final ScheduledAction action = new ScheduledAction(dueHeight, scheduleSequence++, kind, contractId);
        schedule.put(action.key, action);
        store.add(action);
        return action;
    }

    /**
     * After {@link ContractsCodec#read}: link escrows and loans to their scheduled actions and recompute the digest,
     * which must then equal the one the written state had.
     */
    void restored()
    {
        for (final ScheduledAction action : schedule.values())
        {
            if (action.kind == ACTION_ESCROW_DEADLINE)
            {
                final Escrow e = escrow(action.contractId);
                if (e == null)
                {
                    throw new IllegalStateException("scheduled deadline of a missing escrow " + action.contractId);
                }
                e.deadlineAction = action;
            }
            else if (action.kind == ACTION_LOAN_INSTALMENT || action.kind == ACTION_LOAN_GRACE_END)
            {
                final Loan l = loan(action.contractId);
                if (l == null)
                {
                    throw new IllegalStateException("scheduled instalment of a missing loan " + action.contractId);
                }
                l.action = action;
            }
            else if (action.kind != ACTION_POLICY_EXPIRY || pool(action.contractId) == null)
            {
                throw new IllegalStateException("scheduled action of kind " + action.kind + " for a missing contract " +
                    action.contractId);
            }
        }
        computeDigest();
    }

    private void computeDigest()
    {
        sha.update((byte)logCount).update((byte)(logCount >>> 8)).update((byte)(logCount >>> 16))
            .update((byte)(logCount >>> 24));
        for (int i = 0; i < logCount; i++)
        {
            sha.updateLong(logDueHeight[i]).update((byte)logKind[i]).updateLong(logContractId[i])
                .update((byte)logOutcome[i]);
        }
        sha.digest(actionLogHash, 0);
        final byte[] recordsRoot = store.root(sha);
        sha.update(TAG).update(recordsRoot).updateLong(height).updateLong(scheduleSequence).updateLong(lockedMicroCmt)
            .update(actionLogHash);
        sha.digest(digest, 0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Action log of the last block
    // ---------------------------------------------------------------------------------------------------------

    /** @return scheduled actions run by the last {@link #endBlock()} (at the start of the next height). */
    public int actionCount()
    {
        return logCount;
    }

    public long actionDueHeight(final int index)
    {
        return logDueHeight[checkIndex(index)];
    }

    public int actionKind(final int index)
    {
        return logKind[checkIndex(index)];
    }

    public long actionContractId(final int index)
    {
        return logContractId[checkIndex(index)];
    }

    public int actionOutcome(final int index)
    {
        return logOutcome[checkIndex(index)];
    }

    private int checkIndex(final int index)
    {
        if (index < 0 || index >= logCount)
        {
            throw new IndexOutOfBoundsException("action " + index + " of " + logCount);
        }
        return index;
    }

    /** @return actions waiting in the schedule. */
    public int scheduledCount()
    {
        return schedule.size();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queries
    // ---------------------------------------------------------------------------------------------------------

    public boolean tokenExists(final long tokenId)
    {
        return token(tokenId) != null;
    }

    /** @return minted − burned as of the last block end (the folded supply), or -1 for no such token. */
    public long tokenTotalSupply(final long tokenId)
    {
        final Token t = token(tokenId);
        return t == null ? -1 : t.mintedTotal - t.burnedTotal;
    }

    /** @return tokens held by open escrows, or -1 for no such token. */
    public long tokenLocked(final long tokenId)
    {
        final Token t = token(tokenId);
        return t == null ? -1 : t.locked;
    }

    public long tokenBalance(final long tokenId, final byte[] address)
    {
        final Holding h = holding(tokenId, address);
        return h == null ? 0 : h.balance;
    }

    public boolean tokenFrozen(final long tokenId, final byte[] address)
    {
        final Holding h = holding(tokenId, address);
        return h != null && h.frozen;
    }

    public long allowance(final long tokenId, final byte[] owner, final byte[] spender)
    {
        final Allowance a = (Allowance)store.get(Keys.allowance(tokenId, owner, spender));
        return a == null ? 0 : a.amount;
    }

    /** @return the escrow's status (ESCROW_*), or -1 for no such escrow. */
    public int escrowStatus(final long escrowId)
    {
        final Escrow e = escrow(escrowId);
        return e == null ? -1 : e.status;
    }

    /** @return escrows the address completed (released, claimed, auto-released) as buyer or seller. */
    public long escrowsCompleted(final byte[] address)
    {
        final Credit c = (Credit)store.get(Keys.credit(address));
        return c == null ? 0 : c.escrowsCompleted;
    }

    /** @return escrows the address took part in that were disputed. */
    public long escrowsDisputed(final byte[] address)
    {
        final Credit c = (Credit)store.get(Keys.credit(address));
        return c == null ? 0 : c.escrowsDisputed;
    }

    /** @return the loan's status (LOAN_*), or -1 for no such loan. */
    public int loanStatus(final long loanId)
    {
        final Loan l = loan(loanId);
        return l == null ? -1 : l.status;
    }

    /** @return principal still owed, or -1 for no such loan. */
    public long loanOutstanding(final long loanId)
    {
        final Loan l = loan(loanId);
        return l == null ? -1 : l.outstanding;
    }

    /** @return instalments paid, or -1 for no such loan. */
    public int loanPaidCount(final long loanId)
    {
        final Loan l = loan(loanId);
        return l == null ? -1 : l.paidCount;
    }

    /** @return the height the next instalment is (or was, when late) due, or -1 for no such loan. */
    public long loanDueHeight(final long loanId)
    {
        final Loan l = loan(loanId);
        return l == null ? -1 : l.dueHeight;
    }

    /** @return interest paid so far, or -1 for no such loan. */
    public long loanInterestPaid(final long loanId)
    {
        final Loan l = loan(loanId);
        return l == null ? -1 : l.interestPaid;
    }

    /** @return µCMT the pool holds now, or -1 for no such pool. */
    public long poolFunds(final long poolId)
    {
        final InsurancePool p = pool(poolId);
        return p == null ? -1 : p.funds;
    }

    /** @return µCMT the pool paid out in claims, or -1 for no such pool. */
    public long poolPaidOut(final long poolId)
    {
        final InsurancePool p = pool(poolId);
        return p == null ? -1 : p.paidOut;
    }

    /** @return µCMT returned to the insurer at expiry, or -1 for no such pool. */
    public long poolReturned(final long poolId)
    {
        final InsurancePool p = pool(poolId);
        return p == null ? -1 : p.returned;
    }

    /** @return whether the pool reached its expiry. */
    public boolean poolClosed(final long poolId)
    {
        final InsurancePool p = pool(poolId);
        return p != null && p.closed;
    }

    /** @return the payout of the holder's claim, 0 if none, -1 for no such policy. */
    public long policyPayout(final long poolId, final byte[] holder)
    {
        final Policy p = (Policy)store.get(Keys.policy(poolId, holder));
        return p == null ? -1 : p.payout;
    }

    /** @return loans the address borrowed and repaid without a late instalment. */
    public long loansOnTime(final byte[] address)
    {
        final Credit c = (Credit)store.get(Keys.credit(address));
        return c == null ? 0 : c.loansOnTime;
    }

    /** @return loans the address repaid after at least one late instalment. */
    public long loansLate(final byte[] address)
    {
        final Credit c = (Credit)store.get(Keys.credit(address));
        return c == null ? 0 : c.loansLate;
    }

    /** @return loans the address defaulted on. */
    public long loansDefaulted(final byte[] address)
    {
        final Credit c = (Credit)store.get(Keys.credit(address));
        return c == null ? 0 : c.loansDefaulted;
    }

    /**
     * Check each token's conservation: the sum of its holdings plus what escrows lock equals minted − burned.
     * Walks every record; for tests and audits.
     *
     * @return null when every token balances, else a description of the first that does not.
     */
    public String auditTokens()
    {
        final TreeMap<Long, long[]> sums = new TreeMap<>();
        store.forEach(r ->
        {
            if (r instanceof Holding)
            {
                long id = 0;
                for (int i = 1; i < 9; i++)
                {
                    id = (id << 8) | (r.key[i] & 0xFF);
                }
                sums.computeIfAbsent(id, k -> new long[1])[0] += ((Holding)r).balance;
            }
        });
        final String[] bad = new String[1];
        store.forEach(r ->
        {
            if (r instanceof Token && bad[0] == null)
            {
                final Token t = (Token)r;
                final long[] held = sums.get(t.id);
                final long total = (held == null ? 0 : held[0]) + t.locked;
                if (total != t.supplyNow())
                {
                    bad[0] = "token " + t.id + ": held " + total + " != minted - burned " + t.supplyNow();
                }
            }
        });
        return bad[0];
    }

    /**
     * Walk every record and add up the CMT the contracts lock: open escrows of CMT, offered loans' principals and the
     * funds of open insurance pools; and, per token, what its open escrows lock. For tests and audits, not per block.
     *
     * @return µCMT locked, by walk.
     * @throws IllegalStateException if the walk disagrees with {@link #lockedMicroCmt()} or with a token's locked
     *                               amount.
     */
    public long auditLockedMicroCmt()
    {
        final long[] cmt = new long[1];
        final TreeMap<Long, long[]> tokens = new TreeMap<>();
        store.forEach(r ->
        {
            if (r instanceof Escrow && ((Escrow)r).open())
            {
                final Escrow e = (Escrow)r;
                if (e.tokenId == 0)
                {
                    cmt[0] = Math.addExact(cmt[0], e.amount);
                }
                else
                {
                    final long[] sum = tokens.computeIfAbsent(e.tokenId, k -> new long[1]);
                    sum[0] = Math.addExact(sum[0], e.amount);
                }
            }
            else if (r instanceof Loan && ((Loan)r).status == LOAN_OFFERED)
            {
                cmt[0] = Math.addExact(cmt[0], ((Loan)r).principal);
            }
            else if (r instanceof InsurancePool && !((InsurancePool)r).closed)
            {
                cmt[0] = Math.addExact(cmt[0], ((InsurancePool)r).funds);
            }
        });
        if (cmt[0] != lockedMicroCmt)
        {
            throw new IllegalStateException(
                "contracts lock " + cmt[0] + " µCMT by walk, " + lockedMicroCmt + " by count");
        }
        final String[] bad = new String[1];
        store.forEach(r ->
        {
            if (r instanceof Token && bad[0] == null)
            {
                final Token t = (Token)r;
                final long[] sum = tokens.get(t.id);
                final long walked = sum == null ? 0 : sum[0];
                if (walked != t.locked)
                {
                    bad[0] = "token " + t.id + ": open escrows lock " + walked + ", the token says " + t.locked;
                }
            }
        });
        if (bad[0] != null)
        {
            throw new IllegalStateException(bad[0]);
        }
        return cmt[0];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Package-private primitives for ContractTransactions
    // ---------------------------------------------------------------------------------------------------------

    Token token(final long tokenId)
    {
        return (Token)store.get(Keys.token(tokenId));
    }

    Holding holding(final long tokenId, final byte[] address)
    {
        return (Holding)store.get(Keys.holding(tokenId, address));
    }

    Holding holdingOrCreate(final long tokenId, final byte[] address)
    {
        final byte[] key = Keys.holding(tokenId, address);
        Holding h = (Holding)store.get(key);
        if (h == null)
        {
            h = new Holding(key);
            store.add(h);
        }
        return h;
    }

    InsurancePool pool(final long poolId)
    {
        return (InsurancePool)store.get(Keys.pool(poolId));
    }

    Loan loan(final long loanId)
    {
        return (Loan)store.get(Keys.loan(loanId));
    }

    Escrow escrow(final long escrowId)
    {
        return (Escrow)store.get(Keys.escrow(escrowId));
    }

    void touch(final Token t)
    {
        if (!t.touched)
        {
            t.touched = true;
            touchedTokens.add(t);
        }
    }

    void addToken(final Token t)
    {
        store.add(t);
        touch(t);
    }

    void addEscrow(final Escrow e)
    {
        store.add(e);
        e.deadlineAction = schedule(ACTION_ESCROW_DEADLINE, e.deadlineHeight, e.id);
    }

    void lockMicroCmt(final long amount)
    {
        lockedMicroCmt = Math.addExact(lockedMicroCmt, amount);
    }

    /** Pay what an escrow locked to an address: CMT to its account, a token to its holding. */
    void payOut(final long tokenId, final byte[] to, final long amount)
    {
        if (amount == 0)
        {
            return;
        }
        if (tokenId == 0)
        {
            lockedMicroCmt -= amount;
            creditAccount(to, amount);
        }
        else
        {
            final Token t = token(tokenId);
            t.locked -= amount;
            store.markDirty(t);
            final Holding h = holdingOrCreate(tokenId, to);
            // Cannot overflow: a holding never exceeds the token's supply, itself a long.
            h.balance += amount;
            store.markDirty(h);
        }
    }

    void close(final Escrow e, final int status, final long toSeller, final long atHeight)
    {
        if (e.deadlineAction != null)
        {
            unschedule(e.deadlineAction);
            e.deadlineAction = null;
        }
        final boolean disputed = e.status == ESCROW_DISPUTED;
        e.status = status;
        e.toSeller = toSeller;
        e.closedHeight = atHeight;
        store.markDirty(e);
        if (!disputed)
        {
            credit(e.buyer).escrowsCompleted++;
            credit(e.seller).escrowsCompleted++;
        }
    }

    void dispute(final Escrow e)
    {
        if (e.deadlineAction != null)
        {
            unschedule(e.deadlineAction);
            e.deadlineAction = null;
        }
        e.status = ESCROW_DISPUTED;
        store.markDirty(e);
        credit(e.buyer).escrowsDisputed++;
        credit(e.seller).escrowsDisputed++;
    }

    Credit credit(final byte[] address)
    {
        final byte[] key = Keys.credit(address);
        Credit c = (Credit)store.get(key);
        if (c == null)
        {
            c = new Credit(key);
            store.add(c);
        }
        else
        {
            store.markDirty(c);
        }
        return c;
    }

    void unschedule(final ScheduledAction action)
    {
        schedule.remove(action.key);
        store.remove(action);
    }
}
