package io.cmtchain.engine.dpos;

import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DPoS state machine: candidates and their share-based stake pools, delegations, unbonding entries,
 * governance proposals, the elected sets, inflation and the proposer schedule. Pure and deterministic: the block
 * height and the signers of the previous block are inputs ({@link #beginBlock}); no clocks, threads or I/O.
 *
 * <h2>Block lifecycle</h2>
 * <ol>
 *   <li>{@link #beginBlock(long, byte[][], int)} with block h's height and the candidates (owner addresses) whose
 *       signatures committed block h-1. The validators of h-1 that did not sign have their missed-block count
 *       raised (at {@code maxMissedBlocks} in a row they are deactivated, and slashed by {@code absenceSlashPpm} if
 *       it is not zero); those that signed have it reset and are the block's rewarded validators.</li>
 *   <li>The block's transactions ({@link DposTransactions}).</li>
 *   <li>{@link #endBlock(AccountStore, long)}, from {@code ChainState.foldDeltas()}: (a) the award, (b) matured
 *       unbonding entries paid to their accounts, (c) the governance tally (a passed proposal takes effect here, so
 *       it governs block h+1 onward), (d) the election of the sets for block h+1 and the proposer of h+1,
 *       (e) the digest.</li>
 * </ol>
 *
 * <h2>Award (exact to the µCMT)</h2>
 * The yearly inflation is {@code floor(base * inflationPpm / 10^6)} where base is the genesis
 * {@code inflationBaseMicroCmt} (or, with {@code compoundOnSupply}, the supply at the year's first block). Each
 * rewarded block mints {@code floor(yearly / blocksPerYear)} plus one µCMT whenever the carried remainder
 * ({@code yearly mod blocksPerYear} per block) reaches {@code blocksPerYear}, so a year of blocks mints the yearly
 * amount exactly. The award A is that plus the block's fees. Validators get {@code V = floor(A * validatorSharePpm
 * / 10^6)} (all of A if no backup with stake is present), backups {@code A - V}. Each group is split by voting
 * power, {@code floor(part * vp / sum vp)}, and the remainder goes to the group's first member in rank order. A
 * candidate's reward is split over its pools by value the same way (remainder to pool 0; if pool 0 is empty, to
 * the owner with the commissions); each pool keeps {@code r - floor(r * commission)} and the commissions buy shares
 * for the owner in pool 0 (a commission below a share's price buys none and stays in pool 0's value, as every
 * purchase's rounding dust does). A withdrawn candidate's owner has no delegation left: its commissions go to pool 0's
 * value (its holders are unbonding entries), or, when nobody holds pool 0, to the owner's account; so do
 * commissions that would buy more shares of a slashed pool 0 than a long holds ({@link StakePool#canBuy}). Payouts
 * therefore sum to A exactly; a block whose previous block no validator signed mints nothing and its fees go to the
 * fee pool. An award that would take the supply, or the total minted, past 2^63-1 µCMT throws before it changes
 * anything (the chain stops there).
 *
 * <h2>Election</h2>
 * Eligible (active, not withdrawn) candidates with pooled stake are kept in a sorted array
 * ({@link CandidateRanking}) ordered by (stake desc, address asc); only candidates whose stake or flags changed are
 * moved, each by binary search and a shift of the entries it passes. The
 * first {@code maxValidators + maxBackups} are elected; with S their total stake, each one's voting power is
 * {@code min(stake, max(1, floor(S * validatorCapPpm / 10^6)))} (the 12% cap, at least 1 µCMT so that a tiny
 * elected stake still has power: a delegation's power is its stake times {@code min(1, cap / p)}), and the
 * elected are ranked by (power desc, address asc): the first {@code maxValidators} are validators, the rest backups.
 */
public final class DposState
{
    private static final byte[] TAG = "CMTCHAIN/DPOS/V1".getBytes(StandardCharsets.US_ASCII);

    /** Ranking order: stake descending, then address ascending. */
    static final Comparator<Candidate> RANK_ORDER = (a, b) ->
    {
        final int c = Long.compare(b.rankStakeMicroCmt, a.rankStakeMicroCmt);
        return c != 0 ? c : a.owner.compareTo(b.owner);
    };

    /** Set order: voting power descending, then address ascending. */
    private static final Comparator<Candidate> POWER_ORDER = (a, b) ->
    {
        final int c = Long.compare(b.votingPower, a.votingPower);
        return c != 0 ? c : a.owner.compareTo(b.owner);
    };

    final DposParams params;
    final HashMap<ByteKey, Candidate> candidates = new HashMap<>();
    final HashMap<ByteKey, Candidate> candidatesByKey = new HashMap<>();
    private final CandidateRanking ranking = new CandidateRanking();
    private final ArrayList<Candidate> rankChanged = new ArrayList<>();
    final TreeMap<Long, ArrayList<UnbondingEntry>> unbondingByHeight = new TreeMap<>();
    final TreeMap<Long, Proposal> proposals = new TreeMap<>();
    private final TreeMap<Long, Proposal> openProposals = new TreeMap<>();

    private final RecordDigest candidateDigest = new RecordDigest("CMTCHAIN/DPOS/CANDIDATE", 256);
    private final RecordDigest delegationDigest = new RecordDigest("CMTCHAIN/DPOS/DELEGATION", 1024);
    private final RecordDigest unbondingDigest = new RecordDigest("CMTCHAIN/DPOS/UNBONDING", 256);
    private final RecordDigest proposalDigest = new RecordDigest("CMTCHAIN/DPOS/PROPOSAL", 16);
    private final Sha256 sha = new Sha256();
    private final byte[] digest = new byte[32];

    /** The sets in force for the current block (elected at the end of the previous one), in rank order. */
    Candidate[] validators = new Candidate[0];
    long[] validatorPower = new long[0];
    Candidate[] backups = new Candidate[0];
    long[] backupPower = new long[0];
    /** The sets of the previous block: whose signatures the current block reports, and who is rewarded. */
    Candidate[] prevValidators = new Candidate[0];
    long[] prevValidatorPower = new long[0];
    Candidate[] prevBackups = new Candidate[0];
    long[] prevBackupPower = new long[0];
    /** Scratch of {@link #elect}: the ranking's leaders, and the new validators' addresses for the schedule. */
    private Candidate[] elected = new Candidate[0];
    private byte[][] scheduleAddresses = new byte[0][];
    /** The cap on one candidate's voting power from the last election. */
    long powerCapMicroCmt;
    final ProposerPriority schedule = new ProposerPriority();

    long height;
    boolean inBlock;
    boolean genesisClosed;
    private final boolean[] signed = new boolean[1_000];

    long genesisSupplyMicroCmt;
    long mintedMicroCmt;
    long slashedMicroCmt;
    /** µCMT held by the DPoS state: every pool's value, idle principal and fixed unbonding amounts. */
    long heldMicroCmt;
    long inflationCarry;
    long yearBaseMicroCmt;
    long nextUnbondingId = 1;
    long nextProposalId = 1;

    /** The last block's award, for reports: recipients in payment order and what each received. */
    long awardHeight;
    long awardMintedMicroCmt;
    long awardFeesMicroCmt;
    final ArrayList<Candidate> awardRecipients = new ArrayList<>();
    long[] awardAmounts = new long[32];

    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(new byte[20]);

    /**
     * @param params parameters (kept; governance changes them in place).
     */
    public DposState(final DposParams params)
    {
        this.params = params;
    }

    public DposParams params()
    {
        return params;
    }

    /** @return height of the block begun last (0 at genesis). */
    public long height()
    {
        return height;
    }

    /** @return µCMT held in stake pools, idle delegations and unbonding entries. */
    public long heldMicroCmt()
    {
        return heldMicroCmt;
    }

    public long mintedMicroCmt()
    {
        return mintedMicroCmt;
    }

    public long slashedMicroCmt()
    {
        return slashedMicroCmt;
    }

    /** @return supply at genesis (accounts, fee pool and stake) as recorded by {@link #genesisSupply(long)}. */
    public long genesisSupplyMicroCmt()
    {
        return genesisSupplyMicroCmt;
    }

    /**
     * @param value the whole supply at genesis, for the compounding base and the conservation check.
     */
    public void genesisSupply(final long value)
    {
        genesisSupplyMicroCmt = value;
        yearBaseMicroCmt = value;
    }

    /** @return the proposer schedule (advanced once per block in {@link #endBlock}). */
    public ProposerPriority schedule()
    {
        return schedule;
    }

    /** @return the proposer of the next block (height + 1), or null with no validators. */
    public byte[] nextProposer()
    {
        return schedule.proposer();
    }

    /**
     * @param out    receives the 20-byte address of the proposer of the next block (height + 1).
     * @param offset in {@code out}.
     * @return false (and nothing written) with no validators.
     */
    public boolean nextProposer(final byte[] out, final int offset)
    {
        return schedule.proposer(out, offset);
    }

    /** @return number of validators in force for the current block. */
    public int validatorCount()
    {
        return validators.length;
    }

    /**
     * @param index in rank order.
     * @return a copy of the validator's owner address.
     */
    public byte[] validator(final int index)
    {
        return validators[index].owner.bytes();
    }

    /**
     * @param index in rank order.
     * @return the validator's consensus public key.
     */
    public byte[] validatorPublicKey(final int index)
    {
        return validators[index].publicKey.bytes();
    }

    /**
     * @param index in rank order.
     * @return its voting power.
     */
    public long validatorPower(final int index)
    {
        return validatorPower[index];
    }

    /**
     * @param owner 20-byte owner address.
     * @return the index of the validator in force for the current block with that owner, or -1 (no copy made).
     */
    public int validatorIndex(final byte[] owner)
    {
        for (int i = 0; i < validators.length; i++)
        {
            if (Arrays.equals(validators[i].owner.raw(), owner))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param index     in rank order.
     * @param publicKey 32 bytes.
     * @return true when that validator's consensus public key is this one (no copy made).
     */
    public boolean validatorHasKey(final int index, final byte[] publicKey)
    {
        return Arrays.equals(validators[index].publicKey.raw(), publicKey);
    }

    /**
     * @param address 20 bytes.
     * @return true when DPoS schedules this address to propose the next block (no copy made).
     */
    public boolean isNextProposer(final byte[] address)
    {
        return schedule.isProposer(address);
    }

    /** @return number of validators of the previous block: those whose signatures {@link #beginBlock} takes. */
    public int previousValidatorCount()
    {
        return prevValidators.length;
    }

    /**
     * @param index   in the previous block's rank order.
     * @param address 20-byte owner address.
     * @return true when that validator of the previous block has this owner address (no copy made).
     */
    public boolean isPreviousValidator(final int index, final byte[] address)
    {
        return Arrays.equals(prevValidators[index].owner.raw(), address);
    }

    /**
     * @param index in the previous block's rank order.
     * @return a copy of that validator's owner address.
     */
    public byte[] previousValidator(final int index)
    {
        return prevValidators[index].owner.bytes();
    }

    /**
     * @param index in the previous block's rank order.
     * @return that validator's consensus public key.
     */
    public byte[] previousValidatorPublicKey(final int index)
    {
        return prevValidators[index].publicKey.bytes();
    }

    /**
     * @param index in the previous block's rank order.
     * @param out   receives that validator's 20-byte owner address.
     */
    public void previousValidator(final int index, final byte[] out)
    {
        final byte[] owner = prevValidators[index].owner.raw();
        System.arraycopy(owner, 0, out, 0, owner.length);
    }

    /**
     * @param index     in the previous block's rank order.
     * @param publicKey 32 bytes.
     * @return true when that validator's consensus public key is this one (no copy made).
     */
    public boolean previousValidatorHasKey(final int index, final byte[] publicKey)
    {
        return Arrays.equals(prevValidators[index].publicKey.raw(), publicKey);
    }

    public int backupCount()
    {
        return backups.length;
    }

    /**
     * @param index in rank order.
     * @return a copy of the backup's owner address.
     */
    public byte[] backup(final int index)
    {
        return backups[index].owner.bytes();
    }

    public int candidateCount()
    {
        return candidates.size();
    }

    /**
     * Add a candidate at genesis with its owner's self-stake (part of the genesis supply).
     *
     * @param owner          20-byte owner address.
     * @param publicKey      32-byte consensus key.
     * @param maxStake       declared maximum, µCMT.
     * @param commissionPpm  strictly between 0 and 10^6.
     * @param stakeMicroCmt  the owner's stake, at least the self-stake and the minimum delegation.
     * @param description    bytes, at most {@link DposDescriptor#MAX_DESCRIPTION_LENGTH}.
     * @throws IllegalArgumentException naming the problem.
     */
    public void genesisCandidate(
        final byte[] owner,
        final byte[] publicKey,
        final long maxStake,
        final int commissionPpm,
        final long stakeMicroCmt,
        final byte[] description)
    {
        if (height != 0 || genesisClosed)
        {
            throw new IllegalStateException("genesis candidates only before the first block");
        }
        final ByteKey o = new ByteKey(owner);
        final ByteKey k = new ByteKey(publicKey);
        if (candidates.containsKey(o) || candidatesByKey.containsKey(k))
        {
            throw new IllegalArgumentException("duplicate candidate " + o);
        }
        if (commissionPpm <= 0 || commissionPpm >= 1_000_000)
        {
            throw new IllegalArgumentException("commissionPpm must be in 1..999999, was " + commissionPpm);
        }
        if (description.length > DposDescriptor.MAX_DESCRIPTION_LENGTH)
        {
            throw new IllegalArgumentException("description longer than " + DposDescriptor.MAX_DESCRIPTION_LENGTH);
        }
        final Candidate c = new Candidate(o, k, maxStake, commissionPpm, description.clone(), 0);
        final long self = c.requiredSelfStakeMicroCmt(params.get(DposParams.SELF_STAKE_PPM));
        if (maxStake <= 0 || stakeMicroCmt < self || stakeMicroCmt < params.minDelegationMicroCmt() ||
            stakeMicroCmt > maxStake)
        {
            throw new IllegalArgumentException("candidate " + o + ": stake must be >= the self-stake " + self +
                " and the minimum delegation " + params.minDelegationMicroCmt() + ", and <= maxStake " + maxStake);
        }
        addCandidate(c);
        final Delegation d = delegation(c, o);
        d.shares = c.pools.get(0).buy(stakeMicroCmt);
        heldMicroCmt = Math.addExact(heldMicroCmt, stakeMicroCmt);
    }

    /**
     * Add a delegation at genesis (part of the genesis supply), under the rules of DELEGATE: it must not take the
     * candidate past its declared maximum, and below the minimum delegation it is idle.
     *
     * @param delegator     20-byte address.
     * @param candidate     20-byte owner address of a genesis candidate.
     * @param amountMicroCmt > 0.
     * @throws IllegalArgumentException naming the problem.
     */
    public void genesisDelegation(final byte[] delegator, final byte[] candidate, final long amountMicroCmt)
    {
        if (height != 0 || genesisClosed)
        {
            throw new IllegalStateException("genesis delegations only before the first block");
        }
        final Candidate c = candidates.get(new ByteKey(candidate));
        if (c == null)
        {
            throw new IllegalArgumentException("no candidate " + new ByteKey(candidate));
        }
        if (amountMicroCmt <= 0 || amountMicroCmt > c.maxStakeMicroCmt - c.totalStakeMicroCmt())
        {
            throw new IllegalArgumentException("delegation of " + amountMicroCmt + " to " + c.owner +
                " must be > 0 and within its declared maximum");
        }
        DposTransactions.addStake(this, delegation(c, new ByteKey(delegator)), amountMicroCmt);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Block lifecycle
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Begin block {@code blockHeight}.
     *
     * @param blockHeight the block's height: the last one plus one.
     * @param signers     owner addresses (20 bytes each) of the validators whose signatures committed the previous
     *                    block; addresses not among that block's validators are ignored.
     * @param count       entries of {@code signers} to read.
     * @return how many of the signers were validators of the previous block.
     * @throws IllegalStateException if a block is already open or the height is not the next one (caller bug).
     */
    public int beginBlock(final long blockHeight, final byte[][] signers, final int count)
    {
        if (inBlock)
        {
            throw new IllegalStateException("DPoS block " + height + " was begun and not ended");
        }
        if (blockHeight != height + 1)
        {
            throw new IllegalStateException("DPoS block " + blockHeight + " does not follow " + height);
        }
        int recognised = 0;
        final int n = prevValidators.length;
        for (int i = 0; i < n; i++)
        {
            signed[i] = false;
            final byte[] owner = prevValidators[i].owner.raw();
            for (int s = 0; s < count; s++)
            {
                if (Arrays.equals(owner, signers[s]))
                {
                    signed[i] = true;
                    break;
                }
            }
        }
        checkAbsenceSlashes(blockHeight);
        height = blockHeight;
        inBlock = true;
        for (int i = 0; i < n; i++)
        {
            final Candidate c = prevValidators[i];
            if (signed[i])
            {
                recognised++;
                if (c.missedBlocks != 0)
                {
                    c.missedBlocks = 0;
                    candidateDigest.markDirty(c);
                }
            }
            else if (!c.withdrawn)
            {
                final boolean deactivated = missReachesLimit(c);
                c.missedBlocks++;
                candidateDigest.markDirty(c);
                if (deactivated)
                {
                    c.active = false;
                    final long ppm = params.get(DposParams.ABSENCE_SLASH_PPM);
                    if (ppm > 0)
                    {
                        slash(c, ppm);
                    }
                    changed(c);
                }
            }
        }
        return recognised;
    }

    /**
     * Before {@link #beginBlock} changes anything: the absence slashes it will make must not take the total slashed
     * past 2^63-1 ({@link #slash}).
     */
    private void checkAbsenceSlashes(final long blockHeight)
    {
        final long ppm = params.get(DposParams.ABSENCE_SLASH_PPM);
        if (ppm == 0)
        {
            return;
        }
        long total = 0;
        for (int i = 0; i < prevValidators.length; i++)
        {
            final Candidate c = prevValidators[i];
            // As the loop of beginBlock decides.
            if (!signed[i] && !c.withdrawn && missReachesLimit(c))
            {
                final long amount = slashAmount(c, ppm);
                checkSlashedTotal(blockHeight, total, amount, "for absence");
                total += amount;
            }
        }
    }

    /**
     * @param c a previous validator that did not sign the previous block, before its miss is counted.
     * @return whether this miss takes it, active, to the limit of missed blocks: it is deactivated and slashed.
     */
    private boolean missReachesLimit(final Candidate c)
    {
        return c.active && c.missedBlocks + 1 >= params.get(DposParams.MAX_MISSED_BLOCKS);
    }

    /**
     * End the block: award, unbonding payouts, governance, election, digest. Called by
     * {@code ChainState.foldDeltas()}; the first call at height 0 closes genesis (election and digest only).
     *
     * @param accounts    to pay matured unbonding entries and fund transfers into.
     * @param feesMicroCmt the block's fees.
     * @return fees not awarded (no rewarded validator), for the fee pool.
     * @throws ArithmeticException if the award would take the supply or the total minted past 2^63-1 µCMT: the chain
     *                             cannot go on; the DPoS state is left as the block's transactions left it.
     */
    public long endBlock(final AccountStore accounts, final long feesMicroCmt)
    {
        if (!inBlock)
        {
            if (height == 0 && !genesisClosed)
            {
                genesisClosed = true;
                elect();
                computeDigest();
                return feesMicroCmt;
            }
            throw new IllegalStateException("DPoS endBlock without beginBlock at height " + (height + 1) +
                ": the node must pass each block's signers through DposState.beginBlock");
        }
        final long unawarded = award(accounts, feesMicroCmt);
        payMatured(accounts);
        tally(accounts);
        elect();
        computeDigest();
        inBlock = false;
        return unawarded;
    }

    /**
     * @param out    receives the 32-byte digest of the whole DPoS state as of the last {@link #endBlock}.
     * @param offset in {@code out}.
     */
    public void digest(final byte[] out, final int offset)
    {
        System.arraycopy(digest, 0, out, offset, 32);
    }

    /** @return a copy of the candidates' record root as of the last digest (for tests and audits). */
    byte[] candidatesRoot()
    {
        return candidateDigest.lastRoot();
    }

    /** @return a copy of the delegations' record root as of the last digest (for tests and audits). */
    byte[] delegationsRoot()
    {
        return delegationDigest.lastRoot();
    }

    /** @return a copy of the unbonding entries' record root as of the last digest (for tests and audits). */
    byte[] unbondingRoot()
    {
        return unbondingDigest.lastRoot();
    }

    /** @return a copy of the proposals' record root as of the last digest (for tests and audits). */
    byte[] proposalsRoot()
    {
        return proposalDigest.lastRoot();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Award
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Everything that can refuse the award (the limits on the supply and on the total minted) is checked before any
     * field changes, so that a throw leaves the state exactly as the block's transactions left it.
     */
    private long award(final AccountStore accounts, final long feesMicroCmt)
    {
        final long bpy = params.get(DposParams.BLOCKS_PER_YEAR);
        // The year's base is the supply at its first block, whether or not that block mints: a first block that no
        // validator signed still starts the year on the new supply.
        final long yearBase =
            params.compoundOnSupply() && (height - 1) % bpy == 0 ? supplyMicroCmt() : yearBaseMicroCmt;
        long validatorPowerSum = 0;
        for (int i = 0; i < prevValidators.length; i++)
        {
            if (signed[i] && prevValidators[i].pooledMicroCmt() > 0)
            {
                validatorPowerSum = Math.addExact(validatorPowerSum, prevValidatorPower[i]);
            }
        }
        if (validatorPowerSum == 0)
        {
            startAward(yearBase);
            return feesMicroCmt;
        }
        long backupPowerSum = 0;
        for (int i = 0; i < prevBackups.length; i++)
        {
            if (prevBackups[i].eligible() && prevBackups[i].pooledMicroCmt() > 0)
            {
                backupPowerSum = Math.addExact(backupPowerSum, prevBackupPower[i]);
            }
        }
        // Each rewarded block mints floor(yearly / blocksPerYear), plus the whole µCMT the carried remainders make.
        final long yearly = MulDiv.ppm(params.compoundOnSupply() ? yearBase : params.inflationBaseMicroCmt(),
            params.get(DposParams.INFLATION_PPM));
        final long carry = Math.addExact(inflationCarry, yearly % bpy);
        final long minted = yearly / bpy + carry / bpy;
        final long supply = supplyMicroCmt();
        if (minted > Long.MAX_VALUE - supply)
        {
            // Every balance, pool, lock and the fee pool add up to the supply, so a supply within a long is what
            // keeps each of them, and every sum of them, from wrapping: the chain stops here rather than mint past it
            // (no counter need overflow first, the minted µCMT may be spread over several).
            throw new ArithmeticException("block " + height + ": minting " + minted + " µCMT would take the supply " +
                supply + " past 2^63-1 µCMT; the chain cannot go on (README, Integer money)");
        }
        if (minted > Long.MAX_VALUE - mintedMicroCmt)
        {
            // The total minted can pass 2^63-1 with the supply well within it when slashing has burnt as much: the
            // counter (hashed, and what the supply is worked out from) cannot go on either.
            throw new ArithmeticException("block " + height + ": minting " + minted + " µCMT would take the total " +
                "minted " + mintedMicroCmt + " past 2^63-1 µCMT; the chain cannot go on (README, Integer money)");
        }
        final long award = Math.addExact(minted, feesMicroCmt);
        startAward(yearBase);
        inflationCarry = carry % bpy;
        final long validatorPart = backupPowerSum > 0 ?
            MulDiv.ppm(award, params.get(DposParams.VALIDATOR_SHARE_PPM)) : award;
        final long backupPart = award - validatorPart;

        long toAccounts = pay(accounts, prevValidators, prevValidatorPower, true, validatorPart, validatorPowerSum);
        if (backupPart > 0)
        {
            toAccounts += pay(accounts, prevBackups, prevBackupPower, false, backupPart, backupPowerSum);
        }
        mintedMicroCmt = Math.addExact(mintedMicroCmt, minted);
        heldMicroCmt = Math.addExact(heldMicroCmt, award - toAccounts);
        awardMintedMicroCmt = minted;
        awardFeesMicroCmt = feesMicroCmt;
        return 0;
    }

    /** Begin this block's award records (empty until paid) and take the year's base. */
    private void startAward(final long yearBase)
    {
        awardHeight = height;
        awardRecipients.clear();
        awardMintedMicroCmt = 0;
        awardFeesMicroCmt = 0;
        yearBaseMicroCmt = yearBase;
    }

    /**
     * @return genesis supply plus minted minus slashed: what every balance, pool and entry must add up to.
     * @throws ArithmeticException if that passes 2^63-1, which {@link #endBlock}'s award never lets happen.
     */
    public long supplyMicroCmt()
    {
        // Both in 0..2^63-1, so their difference fits; adding the minted total overflows only if the supply does.
        return Math.addExact(genesisSupplyMicroCmt - slashedMicroCmt, mintedMicroCmt);
    }

    /** @return µCMT of the part paid straight to owners' accounts ({@link #reward}). */
    private long pay(
        final AccountStore accounts, final Candidate[] group, final long[] power, final boolean validatorsGroup,
        final long part, final long powerSum)
    {
        long paid = 0;
        int first = -1;
        final int start = awardRecipients.size();
        for (int i = 0; i < group.length; i++)
        {
            final Candidate c = group[i];
            final boolean present = validatorsGroup ? signed[i] : c.eligible();
            if (!present || c.pooledMicroCmt() == 0)
            {
                continue;
            }
            if (first < 0)
            {
                first = i;
            }
            final long r = MulDiv.floor(part, power[i], powerSum);
            paid += r;
            recordAward(c, r);
        }
        // Remainder rule: the group's first present member in rank order takes what the floors left.
        awardAmounts[start] += part - paid;
        long toAccounts = 0;
        for (int i = start; i < awardRecipients.size(); i++)
        {
            toAccounts += reward(accounts, awardRecipients.get(i), awardAmounts[i]);
        }
        return toAccounts;
    }

    private void recordAward(final Candidate c, final long amount)
    {
        final int i = awardRecipients.size();
        if (i == awardAmounts.length)
        {
            awardAmounts = Arrays.copyOf(awardAmounts, i * 2);
        }
        awardRecipients.add(c);
        awardAmounts[i] = amount;
    }

    /**
     * Split a candidate's reward over its pools; the commissions (and pool 0's part when it is empty) buy its owner
     * shares in pool 0.
     *
     * @return µCMT paid straight to the owner's account instead: the commissions of a withdrawn candidate (its owner
     * has no delegation left) whose pool 0 nobody holds shares of, or commissions too large to buy shares of a pool 0
     * that slashing has left with a share worth a tiny fraction of a µCMT ({@link StakePool#canBuy}).
     */
    private long reward(final AccountStore accounts, final Candidate c, final long amount)
    {
        if (amount == 0)
        {
            return 0;
        }
        final long pooled = c.pooledMicroCmt();
        final ArrayList<StakePool> pools = c.pools;
        long given = 0;
        long commission = 0;
        for (int i = pools.size() - 1; i >= 0; i--)
        {
            final StakePool p = pools.get(i);
            if (p.valueMicroCmt == 0)
            {
                if (i == 0)
                {
                    // Pool 0 is empty (its owner withdrew a self-stake that rounds to 0): the remainder it would
                    // take is the owner's, bought in pool 0 with the commissions below, not lost.
                    commission += amount - given;
                }
                continue;
            }
            // Pool 0 (index 0, last in this loop) takes the remainder of the split by value.
            final long r = i == 0 ? amount - given : MulDiv.floor(amount, p.valueMicroCmt, pooled);
            given += r;
            final long cut = MulDiv.ppm(r, p.commissionPpm);
            commission += cut;
            p.valueMicroCmt = Math.addExact(p.valueMicroCmt, r - cut);
        }
        final StakePool pool0 = pools.get(0);
        final Delegation self = c.delegations.get(c.owner);
        if (self != null && self.pool == pool0 && pool0.canBuy(commission))
        {
            self.shares = Math.addExact(self.shares, pool0.buy(commission));
        }
        else if (self == null && (pool0.totalShares > 0 || commission == 0))
        {
            // Withdrawn: the owner's delegation left as an unbonding entry; pool 0's holders (entries) gain it.
            pool0.valueMicroCmt = Math.addExact(pool0.valueMicroCmt, commission);
        }
        else
        {
            // Withdrawn, and no one holds pool 0: value without shares would be no one's, for good (a withdrawn
            // candidate takes no delegation). Or pool 0 was slashed so far that the commission would buy more
            // shares than a long holds. Either way it is the owner's, so the owner's account gets it.
            credit(accounts, c.owner.raw(), commission);
            changed(c);
            return commission;
        }
        changed(c);
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Unbonding
    // ---------------------------------------------------------------------------------------------------------

    void addUnbonding(final UnbondingEntry e)
    {
        unbondingByHeight.computeIfAbsent(e.matureHeight, h -> new ArrayList<>()).add(e);
        unbondingDigest.add(e);
    }

    private void payMatured(final AccountStore accounts)
    {
        while (!unbondingByHeight.isEmpty() && unbondingByHeight.firstKey() <= height)
        {
            final ArrayList<UnbondingEntry> due = unbondingByHeight.pollFirstEntry().getValue();
            for (int i = 0, n = due.size(); i < n; i++)
            {
                final UnbondingEntry e = due.get(i);
                final long paid = Math.addExact(e.pool.sell(e.shares), e.fixedMicroCmt);
                heldMicroCmt = Math.subtractExact(heldMicroCmt, paid);
                credit(accounts, e.delegator.raw(), paid);
                unbondingDigest.remove(e);
                changed(e.candidate);
            }
        }
    }

    private void credit(final AccountStore accounts, final byte[] address, final long amount)
    {
        addressBuffer.putBytes(0, address);
        final int slot = accounts.findOrCreate(addressBuffer, 0);
        accounts.balance(slot, Math.addExact(accounts.balance(slot), amount));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------------------

    void addProposal(final Proposal p)
    {
        proposals.put(p.id, p);
        openProposals.put(p.id, p);
        proposalDigest.add(p);
    }

    /**
     * @param proposer a candidate owner.
     * @return how many of its proposals are open.
     */
    int openProposals(final ByteKey proposer)
    {
        int n = 0;
        for (final Proposal p : openProposals.values())
        {
            if (p.proposer.equals(proposer))
            {
                n++;
            }
        }
        return n;
    }

    void vote(final Proposal p, final ByteKey voter, final boolean yes)
    {
        p.votes.put(voter, yes);
        proposalDigest.markDirty(p);
    }

    /**
     * Decide open proposals: pass when validators holding at least 2/3 of the validators' voting power voted yes,
     * reject at 2/3 no, expire at the expiry height. Backups vote but only validators' power counts.
     */
    private void tally(final AccountStore accounts)
    {
        if (openProposals.isEmpty())
        {
            return;
        }
        long total = 0;
        for (final long p : validatorPower)
        {
            total += p;
        }
        final long twoThirds = total - total / 3;
        final ArrayList<Proposal> decided = new ArrayList<>();
        for (final Proposal p : openProposals.values())
        {
            long yes = 0;
            long no = 0;
            for (int i = 0; i < validators.length; i++)
            {
                final Boolean v = p.votes.get(validators[i].owner);
                if (v != null)
                {
                    if (v)
                    {
                        yes += validatorPower[i];
                    }
                    else
                    {
                        no += validatorPower[i];
                    }
                }
            }
            if (total > 0 && yes >= twoThirds)
            {
                p.status = execute(p, accounts) ? Proposal.PASSED : Proposal.PASSED_NOT_EXECUTED;
            }
            else if (total > 0 && no >= twoThirds)
            {
                p.status = Proposal.REJECTED;
            }
            else if (height >= p.expiryHeight)
            {
                p.status = Proposal.EXPIRED;
            }
            else
            {
                continue;
            }
            p.decidedHeight = height;
            proposalDigest.markDirty(p);
            decided.add(p);
        }
        for (final Proposal p : decided)
        {
            openProposals.remove(p.id);
        }
    }

    private boolean execute(final Proposal p, final AccountStore accounts)
    {
        if (p.kind == DposDescriptor.KIND_CHANGE_PARAM)
        {
            params.set(p.paramId, p.value);
            return true;
        }
        addressBuffer.putBytes(0, p.from.raw());
        final int from = accounts.find(addressBuffer, 0);
        if (from == AccountStore.MISSING || accounts.balance(from) < p.amountMicroCmt)
        {
            return false;
        }
        addressBuffer.putBytes(0, p.to.raw());
        final int to = accounts.findOrCreate(addressBuffer, 0);
        if (to != from)
        {
            if (accounts.balance(to) > Long.MAX_VALUE - p.amountMicroCmt)
            {
                return false;
            }
            accounts.balance(from, accounts.balance(from) - p.amountMicroCmt);
            accounts.balance(to, accounts.balance(to) + p.amountMicroCmt);
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Election
    // ---------------------------------------------------------------------------------------------------------

    /** Note that a candidate's stake or flags changed: re-rank it at block end and re-hash its record. */
    void changed(final Candidate c)
    {
        candidateDigest.markDirty(c);
        if (!c.rankChanged)
        {
            c.rankChanged = true;
            rankChanged.add(c);
        }
    }

    private void elect()
    {
        for (int i = 0, n = rankChanged.size(); i < n; i++)
        {
            final Candidate c = rankChanged.get(i);
            c.rankChanged = false;
            ranking.rank(c, c.eligible() ? c.pooledMicroCmt() : 0);
        }
        rankChanged.clear();

        final int maxV = params.maxValidators();
        final int seats = maxV + params.maxBackups();
        final int electedCount = Math.min(seats, ranking.size());
        if (elected.length < electedCount)
        {
            elected = new Candidate[electedCount];
        }
        long total = 0;
        for (int i = 0; i < electedCount; i++)
        {
            final Candidate c = ranking.get(i);
            elected[i] = c;
            total = Math.addExact(total, c.rankStakeMicroCmt);
        }
        // At least 1 µCMT while anyone is elected: below 10^6 / capPpm µCMT of elected stake the floor is 0, and a
        // validator without power cannot be scheduled (ProposerPriority refuses it: every node's block end threw).
        powerCapMicroCmt = total == 0 ? 0 : Math.max(1, MulDiv.ppm(total, params.get(DposParams.VALIDATOR_CAP_PPM)));
        for (final Candidate c : validators)
        {
            c.role = Candidate.ROLE_CANDIDATE;
        }
        for (final Candidate c : backups)
        {
            c.role = Candidate.ROLE_CANDIDATE;
        }
        for (int i = 0; i < electedCount; i++)
        {
            final Candidate c = elected[i];
            c.votingPower = Math.min(c.rankStakeMicroCmt, powerCapMicroCmt);
        }
        Arrays.sort(elected, 0, electedCount, POWER_ORDER);
        final int v = Math.min(maxV, electedCount);
        final int b = electedCount - v;
        // The new sets go into the arrays of the sets before last (free once this block's are the previous ones)
        // when they fit, instead of new arrays every block; never into an array that a current set still uses.
        final Candidate[] newValidators = reusable(prevValidators, v);
        final long[] newValidatorPower = reusable(prevValidatorPower, v);
        final Candidate[] newBackups = reusable(prevBackups, b);
        final long[] newBackupPower = reusable(prevBackupPower, b);
        System.arraycopy(elected, 0, newValidators, 0, v);
        System.arraycopy(elected, v, newBackups, 0, b);
        Arrays.fill(elected, 0, electedCount, null);
        prevValidators = validators;
        prevValidatorPower = validatorPower;
        prevBackups = backups;
        prevBackupPower = backupPower;
        validators = newValidators;
        validatorPower = newValidatorPower;
        backups = newBackups;
        backupPower = newBackupPower;
        if (scheduleAddresses.length < v)
        {
            scheduleAddresses = new byte[v][];
        }
        final byte[][] addresses = scheduleAddresses;
        for (int i = 0; i < v; i++)
        {
            validators[i].role = Candidate.ROLE_VALIDATOR;
            validatorPower[i] = validators[i].votingPower;
            addresses[i] = validators[i].owner.raw();
        }
        for (int i = 0; i < backups.length; i++)
        {
            backups[i].role = Candidate.ROLE_BACKUP;
            backupPower[i] = backups[i].votingPower;
        }
        schedule.update(addresses, validatorPower, v);
        schedule.height(height);
        schedule.advance();
    }

    /**
     * The array of a set before last, if it has the length wanted and no current set shares it (empty arrays hold
     * nothing, so any may be shared); else a new one.
     */
    private Candidate[] reusable(final Candidate[] old, final int length)
    {
        return old.length == length && (length == 0 || (old != validators && old != backups)) ? old :
            new Candidate[length];
    }

    private long[] reusable(final long[] old, final int length)
    {
        return old.length == length && (length == 0 || (old != validatorPower && old != backupPower)) ? old :
            new long[length];
    }

    /**
     * @param c a candidate.
     * @return its voting power now: the elected's from the last election, others' {@code min(stake, cap)}.
     */
    long votingPower(final Candidate c)
    {
        if (c.role != Candidate.ROLE_CANDIDATE)
        {
            return c.votingPower;
        }
        return c.eligible() ? Math.min(c.pooledMicroCmt(), powerCapMicroCmt) : 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Records
    // ---------------------------------------------------------------------------------------------------------

    void addCandidate(final Candidate c)
    {
        candidates.put(c.owner, c);
        candidatesByKey.put(c.publicKey, c);
        candidateDigest.add(c);
        changed(c);
    }

    /** @return the delegation of {@code delegator} to {@code c}, created empty in the pool at c's rate if absent. */
    Delegation delegation(final Candidate c, final ByteKey delegator)
    {
        Delegation d = c.delegations.get(delegator);
        if (d == null)
        {
            d = new Delegation(delegator, c, c.pools.get(0));
            c.delegations.put(delegator, d);
            if (!delegator.equals(c.owner))
            {
                delegationDigest.add(d);
            }
        }
        dirty(d);
        return d;
    }

    /**
     * The owner's own delegation (it changes every rewarded block) has no record of its own in the digest: a change
     * to it marks its candidate's record dirty, and that record hashes what it is part of, each pool's value and
     * total shares and the candidate's idle amount (the sum of its delegations' idle). With every other delegation
     * hashed, its shares and idle amount are what those leave; its own fields are not hashed.
     */
    void dirty(final Delegation d)
    {
        if (d.delegator.equals(d.candidate.owner))
        {
            candidateDigest.markDirty(d.candidate);
        }
        else
        {
            delegationDigest.markDirty(d);
        }
    }

    void removeDelegation(final Delegation d)
    {
        d.candidate.delegations.remove(d.delegator);
        if (!d.delegator.equals(d.candidate.owner))
        {
            delegationDigest.remove(d);
        }
        else
        {
            candidateDigest.markDirty(d.candidate);
        }
    }

    /**
     * Slash {@code ppm} of every pool of {@code c} and of every idle delegation to it; the slashed µCMT is burnt.
     * The total slashed over the chain's history is a counter the supply is worked out from (genesis + minted -
     * slashed): a slash that would take it past 2^63-1 stops the chain, as the award does at the limits of the supply
     * and the total minted, before it changes anything.
     *
     * @return µCMT slashed.
     * @throws ArithmeticException if the total slashed would pass 2^63-1 µCMT: the chain cannot go on.
     */
    long slash(final Candidate c, final long ppm)
    {
        final long total = slashAmount(c, ppm);
        checkSlashedTotal(height, 0, total, "of candidate " + c.owner);
        for (int i = 0, n = c.pools.size(); i < n; i++)
        {
            final StakePool p = c.pools.get(i);
            p.valueMicroCmt -= MulDiv.ppm(p.valueMicroCmt, ppm);
        }
        if (c.idleMicroCmt > 0)
        {
            for (final Delegation d : c.delegations.values())
            {
                if (d.idleMicroCmt > 0)
                {
                    final long s = MulDiv.ppm(d.idleMicroCmt, ppm);
                    d.idleMicroCmt -= s;
                    c.idleMicroCmt -= s;
                    dirty(d);
                }
            }
        }
        slashedMicroCmt = Math.addExact(slashedMicroCmt, total);
        heldMicroCmt = Math.subtractExact(heldMicroCmt, total);
        changed(c);
        return total;
    }

    /** @return µCMT {@link #slash} would take: {@code ppm} of each pool and idle delegation (at most their sum). */
    private static long slashAmount(final Candidate c, final long ppm)
    {
        long total = 0;
        for (int i = 0, n = c.pools.size(); i < n; i++)
        {
            total = Math.addExact(total, MulDiv.ppm(c.pools.get(i).valueMicroCmt, ppm));
        }
        if (c.idleMicroCmt > 0)
        {
            for (final Delegation d : c.delegations.values())
            {
                total = Math.addExact(total, MulDiv.ppm(d.idleMicroCmt, ppm));
            }
        }
        return total;
    }

    /**
     * @param before slashed in the same step already checked (not yet added to the total).
     * @param amount to slash now.
     * @throws ArithmeticException if the total slashed plus both passes 2^63-1 µCMT.
     */
    private void checkSlashedTotal(final long blockHeight, final long before, final long amount, final String what)
    {
        if (amount > Long.MAX_VALUE - slashedMicroCmt - before)
        {
            throw new ArithmeticException("block " + blockHeight + ": slashing " + amount + " µCMT " + what +
                " would take the total slashed " + (slashedMicroCmt + before) + " past 2^63-1 µCMT; the chain " +
                "cannot go on (README, Integer money)");
        }
    }

    /**
     * After {@link DposCodec#read}: rebuild what is derived from the records (the digests' buckets, the ranking, the
     * candidates the election that closes genesis is still to rank, the open proposals, the key index) and the
     * digest, which must then equal the one the written state had.
     */
    void restored()
    {
        for (final Candidate c : candidates.values())
        {
            candidatesByKey.put(c.publicKey, c);
            candidateDigest.add(c);
            if (c.ranked)
            {
                ranking.addUnsorted(c);
            }
            if (!genesisClosed)
            {
                // Before genesis closes each genesis candidate waits, unranked, for the election that closes it
                // (genesisCandidate and genesisDelegation mark it changed): without this, none would be ranked.
                changed(c);
            }
            for (final Delegation d : c.delegations.values())
            {
                if (!d.delegator.equals(c.owner))
                {
                    delegationDigest.add(d);
                }
            }
        }
        ranking.sort();
        for (final ArrayList<UnbondingEntry> list : unbondingByHeight.values())
        {
            for (final UnbondingEntry e : list)
            {
                unbondingDigest.add(e);
            }
        }
        for (final Proposal p : proposals.values())
        {
            proposalDigest.add(p);
            if (p.status == Proposal.OPEN)
            {
                openProposals.put(p.id, p);
            }
        }
        computeDigest();
    }

    private void computeDigest()
    {
        // Each root is its digest's own array, unchanged until its records change; all four are brought up to date
        // (which uses sha) before sha starts on this digest.
        final byte[] candidatesRoot = candidateDigest.root(sha);
        final byte[] delegationsRoot = delegationDigest.root(sha);
        final byte[] unbondingRoot = unbondingDigest.root(sha);
        final byte[] proposalsRoot = proposalDigest.root(sha);
        sha.update(TAG).updateLong(height).updateLong(genesisSupplyMicroCmt).updateLong(mintedMicroCmt)
            .updateLong(slashedMicroCmt).updateLong(heldMicroCmt).updateLong(inflationCarry)
            .updateLong(yearBaseMicroCmt).updateLong(nextUnbondingId).updateLong(nextProposalId);
        params.digest(sha);
        sha.update(candidatesRoot).update(delegationsRoot).update(unbondingRoot).update(proposalsRoot);
        digestSet(validators, validatorPower);
        digestSet(backups, backupPower);
        digestSet(prevValidators, prevValidatorPower);
        digestSet(prevBackups, prevBackupPower);
        schedule.digest(sha);
        sha.digest(digest, 0);
    }

    private void digestSet(final Candidate[] set, final long[] power)
    {
        sha.updateLong(set.length);
        for (int i = 0; i < set.length; i++)
        {
            sha.update(set[i].owner.raw()).updateLong(power[i]);
        }
    }

    /**
     * Walk every record and add up what the DPoS state holds; for tests, audits and {@link DposCodec#read} (which
     * refuses a snapshot that fails it), not per block.
     *
     * @return µCMT in pools, idle delegations and fixed unbonding amounts.
     * @throws IllegalStateException if the walk disagrees with the incrementally kept total, a candidate's idle amount
     *                               is not its delegations', or a pool's shares do not add up to the shares its
     *                               delegations and entries hold (or it has value without shares, or shares without
     *                               value).
     * @throws ArithmeticException   if amounts or shares add up past 2^63-1.
     */
    public long auditHeldMicroCmt()
    {
        long total = 0;
        final Map<StakePool, Long> shares = new HashMap<>();
        for (final Candidate c : candidates.values())
        {
            long idle = 0;
            for (final Delegation d : c.delegations.values())
            {
                idle = Math.addExact(idle, d.idleMicroCmt);
                shares.merge(d.pool, d.shares, Math::addExact);
            }
            if (idle != c.idleMicroCmt)
            {
                throw new IllegalStateException("candidate " + c.owner + " idle " + c.idleMicroCmt + " != " + idle);
            }
            total = Math.addExact(total, c.totalStakeMicroCmt());
        }
        for (final ArrayList<UnbondingEntry> list : unbondingByHeight.values())
        {
            for (final UnbondingEntry e : list)
            {
                total = Math.addExact(total, e.fixedMicroCmt);
                shares.merge(e.pool, e.shares, Math::addExact);
            }
        }
        for (final Candidate c : candidates.values())
        {
            for (final StakePool p : c.pools)
            {
                final long held = shares.getOrDefault(p, 0L);
                if (held != p.totalShares || (p.totalShares > 0) != (p.valueMicroCmt > 0))
                {
                    throw new IllegalStateException("pool of " + c.owner + " at " + p.commissionPpm + " ppm: shares " +
                        p.totalShares + ", held " + held + ", value " + p.valueMicroCmt);
                }
            }
        }
        if (total != heldMicroCmt)
        {
            throw new IllegalStateException("DPoS holds " + total + " µCMT by walk, " + heldMicroCmt + " by count");
        }
        return total;
    }
}
