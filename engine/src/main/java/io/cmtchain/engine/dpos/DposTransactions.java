package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.codec.BlockHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.Ledger;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.cmtchain.engine.dpos.DposDescriptor.*;

/**
 * The rules of the DPoS transaction types, run by {@code TransactionProcessor} after the fee is charged and the
 * nonce advanced. Every rule checks everything before it changes anything, so a rejection leaves the state as the
 * fee left it. One instance per executing thread (scratch buffers); the state itself is single-threaded, which is
 * why executors run blocks holding DPoS transactions in order.
 * <p>
 * Rejection codes, in the order each type checks them (INVALID_BODY for a flag byte other than 0 or 1):
 * <ul>
 *   <li>DECLARE_CANDIDACY: CANDIDATE_EXISTS (owner or key taken), INVALID_COMMISSION (not in 1..999,999 ppm),
 *       DESCRIPTION_TOO_LONG, INVALID_AMOUNT (max &lt;= 0), MAX_STAKE_TOO_LOW (self-stake below the minimum
 *       delegation), INSUFFICIENT_FUNDS (self-stake).</li>
 *   <li>UPDATE_CANDIDACY: NO_SUCH_CANDIDATE, CANDIDATE_WITHDRAWN, DESCRIPTION_TOO_LONG, INVALID_AMOUNT,
 *       MAX_STAKE_TOO_LOW (below the stake it holds), INSUFFICIENT_FUNDS (raising the max charges the self-stake
 *       on the difference), OVERFLOW (that charge would buy more shares than a long holds: see below),
 *       INVALID_AMOUNT (it would buy no share: see below).</li>
 *   <li>WITHDRAW_CANDIDACY, ACTIVATE_/DEACTIVATE_CANDIDACY: NO_SUCH_CANDIDATE, CANDIDATE_WITHDRAWN,
 *       ALREADY_IN_STATE.</li>
 *   <li>VERIFY_CANDIDACY: UNAUTHORIZED (not the foundation), INVALID_BODY, NO_SUCH_CANDIDATE.</li>
 *   <li>SET_COMP_RATE: NO_SUCH_CANDIDATE (sender is not one), CANDIDATE_WITHDRAWN, INVALID_COMMISSION (negative,
 *       above the candidate's, or for the owner itself), NO_SUCH_DELEGATION, INVALID_COMMISSION (a rate without a
 *       pool when the candidate has {@link Candidate#MAX_POOLS} already), OVERFLOW (see below), INVALID_AMOUNT (the
 *       delegation's worth would buy no share of the existing pool it moves into).</li>
 *   <li>DELEGATE: INVALID_AMOUNT, INSUFFICIENT_FUNDS, NO_SUCH_CANDIDATE, CANDIDATE_WITHDRAWN, STAKE_ABOVE_MAX,
 *       OVERFLOW (the stake would buy more shares of its pool than a long holds: slashing lowers a pool's value and
 *       not its shares, so a pool slashed far enough prices a share at a tiny fraction of a µCMT), INVALID_AMOUNT
 *       (it would buy no share: rewards raise a pool's value and not its shares, so a share can cost more than the
 *       amount, or than the idle principal and the amount that take a delegation past the minimum; taken, the
 *       amount would go to the pool's holders and the payer get nothing).</li>
 *   <li>WITHDRAW: INVALID_AMOUNT, NO_SUCH_CANDIDATE, NO_SUCH_DELEGATION, INSUFFICIENT_FUNDS (above its value),
 *       BELOW_SELF_STAKE (the owner's, when what it holds after the withdrawal would be worth less than the
 *       self-stake: its idle principal left plus the shares left at the pool's price, not its value less the
 *       amount; selling an exact amount burns {@code ceil(amount * totalShares / value)} shares, so the shares left
 *       can be worth up to one share's value less).</li>
 *   <li>DOUBLE_SIGN_EVIDENCE: BAD_EVIDENCE (not two block headers, different heights, equal hashes, a future
 *       height, a bad signature), NO_SUCH_CANDIDATE (unknown key), EVIDENCE_TOO_OLD (at or below the height last
 *       punished, or older than the unbonding period). A withdrawn candidate is slashed like any other.</li>
 *   <li>PROPOSE: NOT_A_VALIDATOR (not a validator or backup), INVALID_PARAMETER (unknown kind, parameter or
 *       value out of bounds, a transfer to its own source), INVALID_AMOUNT (transfer amount &lt;= 0),
 *       TOO_MANY_PROPOSALS (the proposer has {@link #MAX_OPEN_PROPOSALS} proposals open already).</li>
 *   <li>VOTE: INVALID_BODY, NO_SUCH_PROPOSAL, PROPOSAL_CLOSED, NOT_A_VALIDATOR.</li>
 * </ul>
 */
public final class DposTransactions
{
    /**
     * Open proposals one proposer may have at a time. Every block end walks every open proposal (against every
     * validator), and a proposal stays open up to proposalExpiryBlocks: without a bound, a validator or backup could
     * make each block end cost as much as it liked, paying one fee per proposal once.
     */
    public static final int MAX_OPEN_PROPOSALS = 16;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int OK = ReceiptStatus.OK.value();

    /** The source and destination a parameter change keeps, whatever its body carries there. */
    static final ByteKey NO_ACCOUNT = new ByteKey(new byte[20]);

    private final Addresses addresses = new Addresses();
    private final byte[] senderAddress = new byte[20];
    private final byte[] scratch = new byte[BlockHeader.ENCODED_LENGTH];
    private final byte[] hashA = new byte[32];
    private final byte[] hashB = new byte[32];
    private final byte[] publicKey = new byte[32];
    private final BlockHeader headerA = new BlockHeader();
    private final BlockHeader headerB = new BlockHeader();
    private final Sha256 sha = new Sha256();
    private final BlockSigning signing = new BlockSigning();

    /**
     * Apply a DPoS transaction's body.
     *
     * @param ledger        accounts (the sender's balance is read and written through it).
     * @param dpos          the DPoS state.
     * @param tx            the transaction (passed the stateless checks).
     * @param sender        the sender's handle in {@code ledger}.
     * @param senderBalance the sender's balance after the fee.
     * @return a {@link ReceiptStatus} code.
     */
    public int execute(
        final Ledger ledger, final DposState dpos, final TransactionFlyweight tx, final int sender,
        final long senderBalance)
    {
        addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), senderAddress, 0);
        final ByteKey from = new ByteKey(senderAddress);
        final DirectBuffer b = tx.buffer();
        final int body = tx.bodyOffset();
        final int type = tx.type();
        if (type == DECLARE_CANDIDACY)
        {
            return declare(ledger, dpos, b, body, from, sender, senderBalance);
        }
        if (type == UPDATE_CANDIDACY)
        {
            return update(ledger, dpos, b, body, from, sender, senderBalance);
        }
        if (type == WITHDRAW_CANDIDACY)
        {
            return withdrawCandidacy(dpos, from);
        }
        if (type == ACTIVATE_CANDIDACY || type == DEACTIVATE_CANDIDACY)
        {
            return setActive(dpos, from, type == ACTIVATE_CANDIDACY);
        }
        if (type == VERIFY_CANDIDACY)
        {
            return verify(dpos, b, body, from);
        }
        if (type == SET_COMP_RATE)
        {
            return setCompRate(dpos, b, body, from);
        }
        if (type == DELEGATE)
        {
            return delegate(ledger, dpos, b, body, from, sender, senderBalance);
        }
        if (type == WITHDRAW)
        {
            return withdraw(dpos, b, body, from);
        }
        if (type == DOUBLE_SIGN_EVIDENCE)
        {
            return evidence(dpos, b, body, tx.chainId());
        }
        if (type == PROPOSE)
        {
            return propose(dpos, b, body, from);
        }
        if (type == VOTE)
        {
            return vote(dpos, b, body, from);
        }
        return ReceiptStatus.UNKNOWN_TYPE.value();
    }

    private static int declare(
        final Ledger ledger, final DposState dpos, final DirectBuffer b, final int body, final ByteKey owner,
        final int sender, final long balance)
    {
        final byte[] key = new byte[32];
        b.getBytes(body + DECLARE_PUBLIC_KEY_OFFSET, key);
        final ByteKey publicKey = new ByteKey(key);
        if (dpos.candidates.containsKey(owner) || dpos.candidatesByKey.containsKey(publicKey))
        {
            return ReceiptStatus.CANDIDATE_EXISTS.value();
        }
        final long maxStake = b.getLong(body + DECLARE_MAX_STAKE_OFFSET, LE);
        final int commission = b.getInt(body + DECLARE_COMMISSION_OFFSET, LE);
        final int descriptionLength = b.getByte(body + DECLARE_DESCRIPTION_LENGTH_OFFSET) & 0xFF;
        if (commission <= 0 || commission >= 1_000_000)
        {
            return ReceiptStatus.INVALID_COMMISSION.value();
        }
        if (descriptionLength > MAX_DESCRIPTION_LENGTH)
        {
            return ReceiptStatus.DESCRIPTION_TOO_LONG.value();
        }
        if (maxStake <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final long self = MulDiv.ppm(maxStake, dpos.params.get(DposParams.SELF_STAKE_PPM));
        if (self < dpos.params.minDelegationMicroCmt())
        {
            return ReceiptStatus.MAX_STAKE_TOO_LOW.value();
        }
        if (self > balance)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final byte[] description = new byte[descriptionLength];
        b.getBytes(body + DECLARE_DESCRIPTION_OFFSET, description);
        final Candidate c = new Candidate(owner, publicKey, maxStake, commission, description, dpos.height);
        dpos.addCandidate(c);
        final Delegation d = dpos.delegation(c, owner);
        d.shares = c.pools.get(0).buy(self);
        dpos.heldMicroCmt = Math.addExact(dpos.heldMicroCmt, self);
        ledger.balance(sender, balance - self);
        return OK;
    }

    private static int update(
        final Ledger ledger, final DposState dpos, final DirectBuffer b, final int body, final ByteKey owner,
        final int sender, final long balance)
    {
        final Candidate c = dpos.candidates.get(owner);
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        if (c.withdrawn)
        {
            return ReceiptStatus.CANDIDATE_WITHDRAWN.value();
        }
        final long maxStake = b.getLong(body + UPDATE_MAX_STAKE_OFFSET, LE);
        final int descriptionLength = b.getByte(body + UPDATE_DESCRIPTION_LENGTH_OFFSET) & 0xFF;
        if (descriptionLength > MAX_DESCRIPTION_LENGTH)
        {
            return ReceiptStatus.DESCRIPTION_TOO_LONG.value();
        }
        if (maxStake <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        if (maxStake < c.totalStakeMicroCmt())
        {
            return ReceiptStatus.MAX_STAKE_TOO_LOW.value();
        }
        final long selfPpm = dpos.params.get(DposParams.SELF_STAKE_PPM);
        final long charge = Math.max(0, MulDiv.ppm(maxStake, selfPpm) - MulDiv.ppm(c.maxStakeMicroCmt, selfPpm));
        if (charge > balance)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        if (maxStake < Math.addExact(c.totalStakeMicroCmt(), charge))
        {
            return ReceiptStatus.MAX_STAKE_TOO_LOW.value();
        }
        final int fits = charge > 0 ? stakeFits(dpos, c, owner, charge) : OK;
        if (fits != OK)
        {
            return fits;
        }
        final byte[] description = new byte[descriptionLength];
        b.getBytes(body + UPDATE_DESCRIPTION_OFFSET, description);
        c.description = description;
        c.maxStakeMicroCmt = maxStake;
        if (charge > 0)
        {
            final Delegation self = dpos.delegation(c, owner);
            addStake(dpos, self, charge);
            ledger.balance(sender, balance - charge);
        }
        dpos.changed(c);
        return OK;
    }

    private static int withdrawCandidacy(final DposState dpos, final ByteKey owner)
    {
        final Candidate c = dpos.candidates.get(owner);
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        if (c.withdrawn)
        {
            return ReceiptStatus.CANDIDATE_WITHDRAWN.value();
        }
        c.withdrawn = true;
        c.active = false;
        final long mature = Math.addExact(dpos.height, dpos.params.get(DposParams.UNBONDING_BLOCKS));
        // Every delegation (the owner's too) leaves as an unbonding entry, in delegator address order.
        final Delegation[] all = c.delegations.values().toArray(new Delegation[0]);
        for (final Delegation d : all)
        {
            final long idle = d.idleMicroCmt;
            c.idleMicroCmt -= idle;
            dpos.addUnbonding(new UnbondingEntry(
                dpos.nextUnbondingId++, d.delegator, c, d.pool, d.shares, idle, mature));
            dpos.removeDelegation(d);
        }
        dpos.changed(c);
        return OK;
    }

    private static int setActive(final DposState dpos, final ByteKey owner, final boolean active)
    {
        final Candidate c = dpos.candidates.get(owner);
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        if (c.withdrawn)
        {
            return ReceiptStatus.CANDIDATE_WITHDRAWN.value();
        }
        if (c.active == active)
        {
            return ReceiptStatus.ALREADY_IN_STATE.value();
        }
        c.active = active;
        if (active)
        {
            c.missedBlocks = 0;
        }
        dpos.changed(c);
        return OK;
    }

    private static int verify(final DposState dpos, final DirectBuffer b, final int body, final ByteKey sender)
    {
        if (!dpos.params.isFoundation(sender.raw()))
        {
            return ReceiptStatus.UNAUTHORIZED.value();
        }
        final int flag = b.getByte(body + VERIFY_FLAG_OFFSET) & 0xFF;
        if (flag > 1)
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final Candidate c = dpos.candidates.get(key20(b, body + VERIFY_CANDIDATE_OFFSET));
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        c.verified = flag == 1;
        dpos.changed(c);
        return OK;
    }

    private static int setCompRate(final DposState dpos, final DirectBuffer b, final int body, final ByteKey owner)
    {
        final Candidate c = dpos.candidates.get(owner);
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        if (c.withdrawn)
        {
            return ReceiptStatus.CANDIDATE_WITHDRAWN.value();
        }
        final ByteKey delegator = key20(b, body + COMP_RATE_DELEGATOR_OFFSET);
        final int rate = b.getInt(body + COMP_RATE_PPM_OFFSET, LE);
        if (rate < 0 || rate > c.commissionPpm || delegator.equals(owner))
        {
            return ReceiptStatus.INVALID_COMMISSION.value();
        }
        final Delegation d = c.delegations.get(delegator);
        if (d == null)
        {
            return ReceiptStatus.NO_SUCH_DELEGATION.value();
        }
        final StakePool existing = c.poolOrNull(rate);
        if (c.pools.size() >= Candidate.MAX_POOLS && existing == null)
        {
            return ReceiptStatus.INVALID_COMMISSION.value();
        }
        final long worth = d.pool.valueOf(d.shares);
        // A new pool sells 1:1; an existing one at its price, which may take more than a long holds or nothing.
        final int fits = existing != null && existing != d.pool && worth > 0 ? buys(existing, worth) : OK;
        if (fits != OK)
        {
            return fits;
        }
        final StakePool target = existing != null ? existing : c.pool(rate);
        if (target != d.pool)
        {
            // Move the pooled value at its current worth (the sale's rounding dust stays in the old pool).
            final long value = d.pool.sell(d.shares);
            d.pool = target;
            d.shares = value > 0 ? target.buy(value) : 0;
            dpos.dirty(d);
            dpos.changed(c);
        }
        return OK;
    }

    private static int delegate(
        final Ledger ledger, final DposState dpos, final DirectBuffer b, final int body, final ByteKey delegator,
        final int sender, final long balance)
    {
        final long amount = b.getLong(body + STAKE_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        if (amount > balance)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final Candidate c = dpos.candidates.get(key20(b, body + STAKE_CANDIDATE_OFFSET));
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        if (c.withdrawn)
        {
            return ReceiptStatus.CANDIDATE_WITHDRAWN.value();
        }
        if (amount > c.maxStakeMicroCmt - c.totalStakeMicroCmt())
        {
            return ReceiptStatus.STAKE_ABOVE_MAX.value();
        }
        final int fits = stakeFits(dpos, c, delegator, amount);
        if (fits != OK)
        {
            return fits;
        }
        addStake(dpos, dpos.delegation(c, delegator), amount);
        ledger.balance(sender, balance - amount);
        return OK;
    }

    /**
     * Whether {@link #addStake} can add {@code amount} to the delegation of {@code delegator} to {@code c} (which may
     * not exist yet): the purchase it makes, if it buys, fits ({@link #buys}).
     *
     * @return OK, OVERFLOW or INVALID_AMOUNT.
     */
    private static int stakeFits(
        final DposState dpos, final Candidate c, final ByteKey delegator, final long amount)
    {
        final Delegation d = c.delegations.get(delegator);
        final StakePool pool = d == null ? c.pools.get(0) : d.pool;
        if (d != null && d.shares > 0)
        {
            return buys(pool, amount);
        }
        final long total = Math.addExact(d == null ? 0 : d.idleMicroCmt, amount);
        return total < dpos.params.minDelegationMicroCmt() ? OK : buys(pool, total);
    }

    /**
     * @param amountMicroCmt > 0, to buy shares of {@code pool} with.
     * @return OK; OVERFLOW if it would buy more shares than a long holds ({@link StakePool#canBuy}); INVALID_AMOUNT
     * if it would buy none (a share costs more than the amount), which would take the amount for nothing.
     */
    private static int buys(final StakePool pool, final long amountMicroCmt)
    {
        final long shares = pool.sharesBought(amountMicroCmt);
        if (shares < 0)
        {
            return ReceiptStatus.OVERFLOW.value();
        }
        return shares == 0 ? ReceiptStatus.INVALID_AMOUNT.value() : OK;
    }

    /** Add to a delegation, applying the minimum-delegation rule (see {@link Delegation}). */
    static void addStake(final DposState dpos, final Delegation d, final long amount)
    {
        final Candidate c = d.candidate;
        if (d.shares > 0)
        {
            d.shares = Math.addExact(d.shares, d.pool.buy(amount));
        }
        else
        {
            final long total = Math.addExact(d.idleMicroCmt, amount);
            if (total >= dpos.params.minDelegationMicroCmt())
            {
                c.idleMicroCmt -= d.idleMicroCmt;
                d.idleMicroCmt = 0;
                d.shares = d.pool.buy(total);
            }
            else
            {
                d.idleMicroCmt = total;
                c.idleMicroCmt = Math.addExact(c.idleMicroCmt, amount);
            }
        }
        dpos.heldMicroCmt = Math.addExact(dpos.heldMicroCmt, amount);
        dpos.dirty(d);
        dpos.changed(c);
    }

    private static int withdraw(final DposState dpos, final DirectBuffer b, final int body, final ByteKey delegator)
    {
        final long amount = b.getLong(body + STAKE_AMOUNT_OFFSET, LE);
        if (amount <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        final Candidate c = dpos.candidates.get(key20(b, body + STAKE_CANDIDATE_OFFSET));
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        final Delegation d = c.delegations.get(delegator);
        if (d == null)
        {
            return ReceiptStatus.NO_SUCH_DELEGATION.value();
        }
        final long value = d.valueMicroCmt();
        if (amount > value)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        // Idle principal leaves first (it earns nothing), then pooled shares, which keep earning while unbonding.
        final long fromIdle = Math.min(amount, d.idleMicroCmt);
        final long fromPool = amount - fromIdle;
        final long shares = fromPool == 0 ? 0 :
            fromPool == d.pool.valueOf(d.shares) ? d.shares : d.pool.sharesFor(fromPool, d.shares);
        // The owner keeps its self-stake in what it holds after the withdrawal: the shares left, at the pool's price
        // (the shares taken stay in the pool, held by the entry), plus idle principal. An exact amount takes
        // ceil(amount * totalShares / value) shares, and the rest are worth floor(s * value / totalShares): up to
        // one share's value less than value - amount, which the rule compared before.
        if (delegator.equals(c.owner) &&
            d.idleMicroCmt - fromIdle + d.pool.valueOf(d.shares - shares) <
            c.requiredSelfStakeMicroCmt(dpos.params.get(DposParams.SELF_STAKE_PPM)))
        {
            return ReceiptStatus.BELOW_SELF_STAKE.value();
        }
        final long mature = Math.addExact(dpos.height, dpos.params.get(DposParams.UNBONDING_BLOCKS));
        d.idleMicroCmt -= fromIdle;
        c.idleMicroCmt -= fromIdle;
        d.shares -= shares;
        dpos.addUnbonding(new UnbondingEntry(dpos.nextUnbondingId++, delegator, c, d.pool, shares, fromIdle, mature));
        if (d.shares > 0)
        {
            final long rest = d.pool.valueOf(d.shares);
            if (rest < dpos.params.minDelegationMicroCmt() && !delegator.equals(c.owner))
            {
                // Below the minimum: the rest leaves the pool and stops earning and voting.
                final long out = d.pool.sell(d.shares);
                d.shares = 0;
                d.idleMicroCmt = Math.addExact(d.idleMicroCmt, out);
                c.idleMicroCmt = Math.addExact(c.idleMicroCmt, out);
            }
        }
        if (d.shares == 0 && d.idleMicroCmt == 0 && !delegator.equals(c.owner))
        {
            dpos.removeDelegation(d);
        }
        else
        {
            dpos.dirty(d);
        }
        dpos.changed(c);
        return OK;
    }

    private int evidence(final DposState dpos, final DirectBuffer b, final int body, final int chainId)
    {
        if (!decode(b, body + EVIDENCE_HEADER_A_OFFSET, headerA) ||
            !decode(b, body + EVIDENCE_HEADER_B_OFFSET, headerB))
        {
            return ReceiptStatus.BAD_EVIDENCE.value();
        }
        headerA.hash(sha, scratch, hashA, 0);
        headerB.hash(sha, scratch, hashB, 0);
        b.getBytes(body + EVIDENCE_PUBLIC_KEY_OFFSET, publicKey);
        if (headerA.height != headerB.height || headerA.height <= 0 || headerA.height > dpos.height ||
            java.util.Arrays.equals(hashA, hashB) ||
            !signing.verifyProposal(publicKey, chainId, hashA, headerA.proposerSignature, 0) ||
            !signing.verifyProposal(publicKey, chainId, hashB, headerB.proposerSignature, 0))
        {
            return ReceiptStatus.BAD_EVIDENCE.value();
        }
        final Candidate c = dpos.candidatesByKey.get(new ByteKey(publicKey));
        if (c == null)
        {
            return ReceiptStatus.NO_SUCH_CANDIDATE.value();
        }
        // A withdrawn candidate is slashed too: its stake stays in its pools as unbonding entries until they mature,
        // and the age limit (the unbonding period) keeps the evidence within the time that stake is still there.
        if (headerA.height <= c.lastSlashedHeight ||
            dpos.height - headerA.height > dpos.params.get(DposParams.UNBONDING_BLOCKS))
        {
            return ReceiptStatus.EVIDENCE_TOO_OLD.value();
        }
        // The slash first: it stops the chain, changing nothing, should the total slashed pass 2^63-1.
        dpos.slash(c, dpos.params.get(DposParams.DOUBLE_SIGN_SLASH_PPM));
        c.lastSlashedHeight = headerA.height;
        c.active = false;
        return OK;
    }

    private static boolean decode(final DirectBuffer b, final int offset, final BlockHeader header)
    {
        if ((b.getShort(offset, LE) & 0xFFFF) != BlockHeaderDecoder.BLOCK_LENGTH ||
            (b.getShort(offset + 2, LE) & 0xFFFF) != BlockHeaderDecoder.TEMPLATE_ID ||
            (b.getShort(offset + 4, LE) & 0xFFFF) != BlockHeaderDecoder.SCHEMA_ID ||
            (b.getShort(offset + 6, LE) & 0xFFFF) != BlockHeaderDecoder.SCHEMA_VERSION)
        {
            return false;
        }
        header.decode(b, offset, MessageHeaderDecoder.ENCODED_LENGTH + BlockHeaderDecoder.BLOCK_LENGTH);
        return true;
    }

    private static int propose(final DposState dpos, final DirectBuffer b, final int body, final ByteKey proposer)
    {
        final Candidate c = dpos.candidates.get(proposer);
        if (c == null || c.role == Candidate.ROLE_CANDIDATE)
        {
            return ReceiptStatus.NOT_A_VALIDATOR.value();
        }
        final int kind = b.getByte(body + PROPOSE_KIND_OFFSET) & 0xFF;
        final int param = b.getByte(body + PROPOSE_PARAM_OFFSET) & 0xFF;
        final long value = b.getLong(body + PROPOSE_VALUE_OFFSET, LE);
        final long amount = b.getLong(body + PROPOSE_AMOUNT_OFFSET, LE);
        final ByteKey source = key20(b, body + PROPOSE_FROM_OFFSET);
        final ByteKey destination = key20(b, body + PROPOSE_TO_OFFSET);
        if (kind == KIND_CHANGE_PARAM)
        {
            if (!DposParams.valid(param, value))
            {
                return ReceiptStatus.INVALID_PARAMETER.value();
            }
        }
        else if (kind == KIND_TRANSFER_FUND)
        {
            // From an account to another: one to its own source would pass having moved nothing.
            if (source.equals(destination))
            {
                return ReceiptStatus.INVALID_PARAMETER.value();
            }
            if (amount <= 0)
            {
                return ReceiptStatus.INVALID_AMOUNT.value();
            }
        }
        else
        {
            return ReceiptStatus.INVALID_PARAMETER.value();
        }
        if (dpos.openProposals(proposer) >= MAX_OPEN_PROPOSALS)
        {
            return ReceiptStatus.TOO_MANY_PROPOSALS.value();
        }
        final long expiry = Math.addExact(dpos.height, dpos.params.get(DposParams.PROPOSAL_EXPIRY_BLOCKS));
        final boolean change = kind == KIND_CHANGE_PARAM;
        dpos.addProposal(new Proposal(dpos.nextProposalId++, proposer, kind, change ? param : 0, change ? value : 0,
            change ? NO_ACCOUNT : source, change ? NO_ACCOUNT : destination, change ? 0 : amount,
            dpos.height, expiry));
        return OK;
    }

    private static int vote(final DposState dpos, final DirectBuffer b, final int body, final ByteKey voter)
    {
        final int yes = b.getByte(body + VOTE_YES_OFFSET) & 0xFF;
        if (yes > 1)
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        final Proposal p = dpos.proposals.get(b.getLong(body + VOTE_PROPOSAL_OFFSET, LE));
        if (p == null)
        {
            return ReceiptStatus.NO_SUCH_PROPOSAL.value();
        }
        if (p.status != Proposal.OPEN)
        {
            return ReceiptStatus.PROPOSAL_CLOSED.value();
        }
        final Candidate c = dpos.candidates.get(voter);
        if (c == null || c.role == Candidate.ROLE_CANDIDATE)
        {
            return ReceiptStatus.NOT_A_VALIDATOR.value();
        }
        dpos.vote(p, voter, yes == 1);
        return OK;
    }

    private static ByteKey key20(final DirectBuffer b, final int offset)
    {
        final byte[] k = new byte[20];
        b.getBytes(offset, k);
        return new ByteKey(k);
    }
}
