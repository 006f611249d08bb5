package io.cmtchain.engine.dpos;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic serialisation of a {@link DposState} between blocks, for snapshots: the same state always gives the
 * same bytes, and {@link #read(DataInput)} gives a state with the same digest that goes on exactly as the written one
 * would (pool share counts, unbonding order, proposer priorities, governed parameters included). What is derived from
 * the records (digest buckets, the ranking set, open proposals) is rebuilt, not stored. Big-endian (DataOutput):
 * <pre>
 *   version u8 (1)
 *   params: 13 values i64 | inflationBase i64 | compoundOnSupply u8 | foundation[20]
 *   height | genesisClosed u8 | genesisSupply | minted | slashed | held | inflationCarry | yearBase
 *     | nextUnbondingId | nextProposalId | powerCap                                              (i64 unless noted)
 *   award of the last block: height | minted | fees | count i32 | (owner[20] | amount i64)*
 *   candidates i32, in owner order: owner[20] | publicKey[32] | commissionPpm i32 | declaredHeight | maxStake
 *     | description (u16 length + bytes) | flags u8 (1 active, 2 verified, 4 withdrawn) | missedBlocks i32
 *     | lastSlashedHeight | idle | rankStake | ranked u8 | role u8 | votingPower
 *     | pools i32: (commissionPpm i32 | value | totalShares)*
 *     | delegations i32, in delegator order: (delegator[20] | pool commissionPpm i32 | shares | idle)*
 *   unbonding entries i32, in payout order: id | delegator[20] | candidate[20] | pool commissionPpm i32 | shares
 *     | fixed | matureHeight
 *   proposals i32, in id order: id | proposer[20] | kind i32 | paramId i32 | value | from[20] | to[20] | amount
 *     | createdHeight | expiryHeight | status i32 | decidedHeight | votes i32: (voter[20] | yes u8)*
 *   sets validators, backups, previous validators, previous backups: count i32 | (owner[20] | power)*
 *   proposer schedule: count i32 | (address[20] | power | priority)* | totalPower | proposer i32 | height
 * </pre>
 */
public final class DposCodec
{
    /** Format version, the first byte. */
    public static final int VERSION = 1;

    private static final int MAX_RECORDS = 1 << 28;

    private DposCodec()
    {
    }

    /**
     * @param state between blocks (not inside {@code beginBlock} .. {@code endBlock}).
     * @param out   destination.
     * @throws IOException from {@code out}.
     */
    public static void write(final DposState state, final DataOutput out) throws IOException
    {
        if (state.inBlock)
        {
            throw new IllegalStateException("DPoS state can be written only between blocks");
        }
        out.writeByte(VERSION);
        state.params.write(out);
        out.writeLong(state.height);
        out.writeBoolean(state.genesisClosed);
        out.writeLong(state.genesisSupplyMicroCmt);
        out.writeLong(state.mintedMicroCmt);
        out.writeLong(state.slashedMicroCmt);
        out.writeLong(state.heldMicroCmt);
        out.writeLong(state.inflationCarry);
        out.writeLong(state.yearBaseMicroCmt);
        out.writeLong(state.nextUnbondingId);
        out.writeLong(state.nextProposalId);
        out.writeLong(state.powerCapMicroCmt);

        out.writeLong(state.awardHeight);
        out.writeLong(state.awardMintedMicroCmt);
        out.writeLong(state.awardFeesMicroCmt);
        out.writeInt(state.awardRecipients.size());
        for (int i = 0; i < state.awardRecipients.size(); i++)
        {
            out.write(state.awardRecipients.get(i).owner.raw());
            out.writeLong(state.awardAmounts[i]);
        }

        final TreeMap<ByteKey, Candidate> candidates = new TreeMap<>(state.candidates);
        out.writeInt(candidates.size());
        for (final Candidate c : candidates.values())
        {
            out.write(c.owner.raw());
            out.write(c.publicKey.raw());
            out.writeInt(c.commissionPpm);
            out.writeLong(c.declaredHeight);
            out.writeLong(c.maxStakeMicroCmt);
            out.writeShort(c.description.length);
            out.write(c.description);
            out.writeByte((c.active ? 1 : 0) | (c.verified ? 2 : 0) | (c.withdrawn ? 4 : 0));
            out.writeInt(c.missedBlocks);
            out.writeLong(c.lastSlashedHeight);
            out.writeLong(c.idleMicroCmt);
            out.writeLong(c.rankStakeMicroCmt);
            out.writeBoolean(c.ranked);
            out.writeByte(c.role);
            out.writeLong(c.votingPower);
            out.writeInt(c.pools.size());
            for (final StakePool p : c.pools)
            {
                out.writeInt(p.commissionPpm);
                out.writeLong(p.valueMicroCmt);
                out.writeLong(p.totalShares);
            }
            out.writeInt(c.delegations.size());
            for (final Delegation d : c.delegations.values())
            {
                out.write(d.delegator.raw());
                out.writeInt(d.pool.commissionPpm);
                out.writeLong(d.shares);
                out.writeLong(d.idleMicroCmt);
            }
        }

        int entries = 0;
        for (final ArrayList<UnbondingEntry> list : state.unbondingByHeight.values())
        {
            entries += list.size();
        }
        out.writeInt(entries);
        for (final ArrayList<UnbondingEntry> list : state.unbondingByHeight.values())
        {
            for (final UnbondingEntry e : list)
            {
                out.writeLong(e.id);
                out.write(e.delegator.raw());
                out.write(e.candidate.owner.raw());
                out.writeInt(e.pool.commissionPpm);
                out.writeLong(e.shares);
                out.writeLong(e.fixedMicroCmt);
                out.writeLong(e.matureHeight);
            }
        }

        out.writeInt(state.proposals.size());
        for (final Proposal p : state.proposals.values())
        {
            out.writeLong(p.id);
            out.write(p.proposer.raw());
            out.writeInt(p.kind);
            out.writeInt(p.paramId);
            out.writeLong(p.value);
            out.write(p.from.raw());
            out.write(p.to.raw());
            out.writeLong(p.amountMicroCmt);
            out.writeLong(p.createdHeight);
            out.writeLong(p.expiryHeight);
            out.writeInt(p.status);
            out.writeLong(p.decidedHeight);
            out.writeInt(p.votes.size());
            for (final Map.Entry<ByteKey, Boolean> v : p.votes.entrySet())
            {
                out.write(v.getKey().raw());
                out.writeBoolean(v.getValue());
            }
        }

        writeSet(out, state.validators, state.validatorPower);
        writeSet(out, state.backups, state.backupPower);
        writeSet(out, state.prevValidators, state.prevValidatorPower);
        writeSet(out, state.prevBackups, state.prevBackupPower);
        state.schedule.write(out);
    }

    /**
     * Read a snapshot, refusing one that breaks an invariant the rules keep and rely on: every amount, share count
     * and counter within its range (none negative; the supply, genesis + minted - slashed, within a long and at
     * least what the DPoS state holds; the inflation carry below any blocksPerYear), each pool's value and shares
     * both 0 or both positive, a candidate's rates and pools as the rules make them, no record twice, each pool's
     * shares those its delegations and unbonding entries hold, idle and held amounts what the records add up to
     * ({@link DposState#auditHeldMicroCmt}), proposals of a known kind with valid parameters and positive
     * transfers, each with only its kind's fields and heights the PROPOSE and tally rules give (at most
     * {@link DposTransactions#MAX_OPEN_PROPOSALS} open per proposer), sets and the proposer schedule with powers that
     * add up, the sets, powers, power cap and roles the election at the end of the last block made from the
     * candidates' stakes, the schedule over exactly those validators with their powers, and each unbonding entry
     * maturing after the height and at most unbondingBlocks after it (the largest unbondingBlocks there can be once a
     * change of it has passed).
     *
     * @param in source, positioned at what {@link #write} wrote.
     * @return the state, its digest recomputed.
     * @throws IOException from {@code in}, or naming what in the data is inconsistent.
     */
    public static DposState read(final DataInput in) throws IOException
    {
        final int version = in.readUnsignedByte();
        if (version != VERSION)
        {
            throw new IOException("DPoS state version " + version + ", this build reads " + VERSION);
        }
        final DposState state = new DposState(DposParams.read(in));
        state.height = atLeast(in.readLong(), 0, "height");
        state.genesisClosed = in.readBoolean();
        state.genesisSupplyMicroCmt = atLeast(in.readLong(), 0, "genesis supply");
        state.mintedMicroCmt = atLeast(in.readLong(), 0, "minted");
        state.slashedMicroCmt = atLeast(in.readLong(), 0, "slashed");
        state.heldMicroCmt = atLeast(in.readLong(), 0, "held");
        // Every balance, pool, lock and the fee pool add up to the supply: it fits a long, and the DPoS state's share
        // of it is at most all of it (DposState.supplyMicroCmt relies on both counters it subtracts being >= 0).
        final long net = state.genesisSupplyMicroCmt - state.slashedMicroCmt;
        if ((net > 0 && state.mintedMicroCmt > Long.MAX_VALUE - net) || net + state.mintedMicroCmt < 0)
        {
            throw new IOException("supply (genesis supply + minted - slashed) must be in 0..2^63-1, was " +
                state.genesisSupplyMicroCmt + " + " + state.mintedMicroCmt + " - " + state.slashedMicroCmt);
        }
        final long supply = net + state.mintedMicroCmt;
        if (state.heldMicroCmt > supply)
        {
            throw new IOException("held " + state.heldMicroCmt + " µCMT is more than the supply " + supply);
        }
        // Below the blocksPerYear of the last award, which governance may have lowered since (the next award takes
        // the whole blocks out of the carry): below any blocksPerYear there can be.
        state.inflationCarry = within(in.readLong(), 0, DposParams.max(DposParams.BLOCKS_PER_YEAR) - 1,
            "inflation carry");
        state.yearBaseMicroCmt = atLeast(in.readLong(), 0, "year base");
        state.nextUnbondingId = atLeast(in.readLong(), 1, "next unbonding id");
        state.nextProposalId = atLeast(in.readLong(), 1, "next proposal id");
        state.powerCapMicroCmt = atLeast(in.readLong(), 0, "power cap");

        state.awardHeight = within(in.readLong(), 0, state.height, "award height");
        state.awardMintedMicroCmt = atLeast(in.readLong(), 0, "award minted");
        state.awardFeesMicroCmt = atLeast(in.readLong(), 0, "award fees");
        final int recipients = count(in, MAX_RECORDS, "award recipients");
        final ByteKey[] recipientOwners = new ByteKey[recipients];
        state.awardAmounts = new long[Math.max(32, recipients)];
        for (int i = 0; i < recipients; i++)
        {
            recipientOwners[i] = key(in, 20);
            state.awardAmounts[i] = atLeast(in.readLong(), 0, "award amount of candidate " + recipientOwners[i]);
        }

        final int candidates = count(in, MAX_RECORDS, "candidates");
        for (int i = 0; i < candidates; i++)
        {
            final Candidate c = readCandidate(in, state);
            if (state.candidates.put(c.owner, c) != null)
            {
                throw new IOException("candidate " + c.owner + " appears twice");
            }
        }
        for (int i = 0; i < recipients; i++)
        {
            state.awardRecipients.add(candidate(state, recipientOwners[i]));
        }

        final int entries = count(in, MAX_RECORDS, "unbonding entries");
        final HashSet<Long> entryIds = new HashSet<>();
        for (int i = 0; i < entries; i++)
        {
            final long id = within(in.readLong(), 1, state.nextUnbondingId - 1, "unbonding entry id");
            if (!entryIds.add(id))
            {
                throw new IOException("unbonding entry " + id + " appears twice");
            }
            final ByteKey delegator = key(in, 20);
            final Candidate c = candidate(state, key(in, 20));
            final StakePool pool = pool(c, in.readInt());
            final long shares = atLeast(in.readLong(), 0, "unbonding entry " + id + ": shares");
            final long fixed = atLeast(in.readLong(), 0, "unbonding entry " + id + ": fixed");
            final long mature = in.readLong();
            final UnbondingEntry e = new UnbondingEntry(id, delegator, c, pool, shares, fixed, mature);
            // Written in payout order, so appending keeps each height's list in the order it pays out.
            state.unbondingByHeight.computeIfAbsent(mature, h -> new ArrayList<>()).add(e);
        }
        try
        {
            state.auditHeldMicroCmt();
        }
        catch (final IllegalStateException ex)
        {
            throw new IOException("DPoS records do not add up: " + ex.getMessage(), ex);
        }
        catch (final ArithmeticException ex)
        {
            throw new IOException("DPoS records do not add up: their shares or amounts add up past 2^63-1", ex);
        }

        final int proposals = count(in, MAX_RECORDS, "proposals");
        for (int i = 0; i < proposals; i++)
        {
            final Proposal p = readProposal(in, state);
            if (state.proposals.put(p.id, p) != null)
            {
                throw new IOException("proposal " + p.id + " appears twice");
            }
        }
        checkOpenProposals(state);

        SetRead set = readSet(in, state, "validators");
        state.validators = set.members;
        state.validatorPower = set.power;
        set = readSet(in, state, "backups");
        state.backups = set.members;
        state.backupPower = set.power;
        distinct(state.validators, state.backups, "validators and backups");
        set = readSet(in, state, "previous validators");
        state.prevValidators = set.members;
        state.prevValidatorPower = set.power;
        set = readSet(in, state, "previous backups");
        state.prevBackups = set.members;
        state.prevBackupPower = set.power;
        distinct(state.prevValidators, state.prevBackups, "previous validators and backups");
        state.schedule.read(in);
        checkElection(state);
        checkSchedule(state);
        checkMaturities(state);
        state.restored();
        return state;
    }

    /** @return whether an election has run: from genesis's close on (a state at height 0 before it has none). */
    private static boolean electionRan(final DposState state)
    {
        return state.genesisClosed || state.height > 0;
    }

    /**
     * The sets are what the election at the end of the last block made ({@code DposState.elect}), and nothing between
     * that election and a snapshot changes a stake or a flag: every candidate is ranked at its pooled stake if it is
     * eligible, else unranked at 0; the first maxValidators + maxBackups by (stake desc, address asc) are elected,
     * each with power min(stake, cap), cap = max(1, floor(S * validatorCapPpm / 10^6)) over their total stake S (0
     * with none elected); by (power desc, address asc) the first maxValidators are the validators, the rest the
     * backups; each candidate's votingPower (if elected) and role are its place there. Before genesis closes (height
     * 0) no election has run: nothing is ranked or elected.
     */
    private static void checkElection(final DposState state) throws IOException
    {
        final boolean electionRan = electionRan(state);
        final ArrayList<Candidate> ranked = new ArrayList<>();
        for (final Candidate c : new TreeMap<>(state.candidates).values())
        {
            final long stake = electionRan && c.eligible() ? c.pooledMicroCmt() : 0;
            if (c.rankStakeMicroCmt != stake || c.ranked != (stake > 0))
            {
                throw new IOException("candidate " + c.owner + ": " + (c.ranked ? "ranked" : "unranked") + " at " +
                    c.rankStakeMicroCmt + " µCMT, the election ranks it at " + stake + " µCMT (" +
                    (!electionRan ? "none before genesis closes" : c.eligible() ? "its pooled stake" :
                    "not eligible") + ")");
            }
            if (c.ranked)
            {
                ranked.add(c);
            }
        }
        ranked.sort(DposState.RANK_ORDER);
        final int maxValidators = state.params.maxValidators();
        final int seats = Math.min(ranked.size(), maxValidators + state.params.maxBackups());
        long total = 0;
        for (int i = 0; i < seats; i++)
        {
            // Within a long: the pools' values added up past it would have failed auditHeldMicroCmt.
            total += ranked.get(i).rankStakeMicroCmt;
        }
        final long capPpm = state.params.get(DposParams.VALIDATOR_CAP_PPM);
        final long cap = total == 0 ? 0 : Math.max(1, MulDiv.ppm(total, capPpm));
        if (state.powerCapMicroCmt != cap)
        {
            throw new IOException("power cap " + state.powerCapMicroCmt + " µCMT is not the election's " + cap +
                " (validatorCapPpm of the elected stake " + total + " µCMT, at least 1)");
        }
        final Candidate[] elected = ranked.subList(0, seats).toArray(new Candidate[0]);
        Arrays.sort(elected, (a, b) ->
        {
            final int byPower = Long.compare(Math.min(b.rankStakeMicroCmt, cap), Math.min(a.rankStakeMicroCmt, cap));
            return byPower != 0 ? byPower : a.owner.compareTo(b.owner);
        });
        final int validators = Math.min(maxValidators, seats);
        checkElected(state.validators, state.validatorPower, elected, 0, validators, cap, "validators");
        checkElected(state.backups, state.backupPower, elected, validators, seats, cap, "backups");
        final HashSet<Candidate> inValidators = new HashSet<>(Arrays.asList(state.validators));
        final HashSet<Candidate> inBackups = new HashSet<>(Arrays.asList(state.backups));
        for (final Candidate c : state.candidates.values())
        {
            final int role = inValidators.contains(c) ? Candidate.ROLE_VALIDATOR :
                inBackups.contains(c) ? Candidate.ROLE_BACKUP : Candidate.ROLE_CANDIDATE;
            if (c.role != role)
            {
                throw new IOException("candidate " + c.owner + ": role " + Candidate.roleName(c.role) +
                    ", but it is " + (role == Candidate.ROLE_VALIDATOR ? "a validator" :
                    role == Candidate.ROLE_BACKUP ? "a backup" : "in neither set"));
            }
        }
    }

    /** A set read against the election's members {@code from..to-1} of {@code elected}, in that order. */
    private static void checkElected(
        final Candidate[] set, final long[] power, final Candidate[] elected, final int from, final int to,
        final long cap, final String name) throws IOException
    {
        if (set.length != to - from)
        {
            throw new IOException(name + ": " + set.length + " members, the election from the candidates' stakes " +
                "gives " + (to - from));
        }
        for (int i = 0; i < set.length; i++)
        {
            final Candidate expected = elected[from + i];
            if (set[i] != expected)
            {
                throw new IOException(name + ": member " + i + " is " + set[i].owner + ", the election from the " +
                    "candidates' stakes gives " + expected.owner);
            }
            final long stake = expected.rankStakeMicroCmt;
            final long elect = Math.min(stake, cap);
            if (power[i] != elect || expected.votingPower != elect)
            {
                throw new IOException(name + ": power of " + expected.owner + " is " + power[i] + " (votingPower " +
                    expected.votingPower + "), the election gives min(stake " + stake + ", cap " + cap + ") = " +
                    elect);
            }
        }
    }

    /**
     * The proposer schedule is the one the last election updated with the validators, in their order and with their
     * powers, and advanced to the height after the snapshot's (0, before genesis closes, when none ran).
     */
    private static void checkSchedule(final DposState state) throws IOException
    {
        final ProposerPriority schedule = state.schedule;
        if (schedule.size() != state.validators.length)
        {
            throw new IOException("proposer schedule: " + schedule.size() + " validators, the validator set has " +
                state.validators.length);
        }
        for (int i = 0; i < state.validators.length; i++)
        {
            final ByteKey address = new ByteKey(schedule.address(i));
            if (!address.equals(state.validators[i].owner))
            {
                throw new IOException("proposer schedule: validator " + i + " is " + address + ", the validator " +
                    "set's is " + state.validators[i].owner);
            }
            if (schedule.power(i) != state.validatorPower[i])
            {
                throw new IOException("proposer schedule: power of " + address + " is " + schedule.power(i) +
                    ", in the validator set " + state.validatorPower[i]);
            }
        }
        final long height = electionRan(state) ? state.height + 1 : 0;
        if (schedule.height() != height)
        {
            throw new IOException("proposer schedule: height " + schedule.height() + ", the election at the end of " +
                "block " + state.height + " advanced it to " + height);
        }
    }

    /**
     * An unbonding entry matures after the height (the block end pays every entry maturing at or before it) and at
     * most unbondingBlocks after it: WITHDRAW and WITHDRAW_CANDIDACY make it mature at their block's height +
     * unbondingBlocks. Governance may have lowered unbondingBlocks since, so the bound is the value in force only
     * while no change of it has passed (proposals are kept for good; the genesis value is then the one in force),
     * else the largest unbondingBlocks there can be.
     */
    private static void checkMaturities(final DposState state) throws IOException
    {
        long longest = state.params.get(DposParams.UNBONDING_BLOCKS);
        String bound = "unbondingBlocks " + longest;
        for (final Proposal p : state.proposals.values())
        {
            if (p.kind == DposDescriptor.KIND_CHANGE_PARAM && p.paramId == DposParams.UNBONDING_BLOCKS &&
                p.status == Proposal.PASSED)
            {
                longest = DposParams.max(DposParams.UNBONDING_BLOCKS);
                bound = "the largest unbondingBlocks " + longest + " (proposal " + p.id + " changed it)";
            }
        }
        final long last = state.height > Long.MAX_VALUE - longest ? Long.MAX_VALUE : state.height + longest;
        for (final ArrayList<UnbondingEntry> list : state.unbondingByHeight.values())
        {
            for (final UnbondingEntry e : list)
            {
                if (e.matureHeight <= state.height)
                {
                    throw new IOException("unbonding entry " + e.id + " matures at " + e.matureHeight + ", not " +
                        "after the height " + state.height + ": its block end would have paid it");
                }
                if (e.matureHeight > last)
                {
                    throw new IOException("unbonding entry " + e.id + " matures at " + e.matureHeight + ", more " +
                        "than " + bound + " after the height " + state.height);
                }
            }
        }
    }

    private static Candidate readCandidate(final DataInput in, final DposState state) throws IOException
    {
        final ByteKey owner = key(in, 20);
        final ByteKey publicKey = key(in, 32);
        final String of = "candidate " + owner + ": ";
        final int commission = (int)within(in.readInt(), 1, 999_999, of + "commissionPpm");
        final long declaredHeight = within(in.readLong(), 0, state.height, of + "declaredHeight");
        final long maxStake = atLeast(in.readLong(), 1, of + "maxStake");
        final int descriptionLength = in.readUnsignedShort();
        if (descriptionLength > DposDescriptor.MAX_DESCRIPTION_LENGTH)
        {
            throw new IOException(of + "description must be at most " + DposDescriptor.MAX_DESCRIPTION_LENGTH +
                " bytes, was " + descriptionLength);
        }
        final byte[] description = new byte[descriptionLength];
        in.readFully(description);
        final Candidate c = new Candidate(owner, publicKey, maxStake, commission, description, declaredHeight);
        final int flags = (int)within(in.readUnsignedByte(), 0, 7, of + "flags");
        c.active = (flags & 1) != 0;
        c.verified = (flags & 2) != 0;
        c.withdrawn = (flags & 4) != 0;
        c.missedBlocks = (int)atLeast(in.readInt(), 0, of + "missedBlocks");
        c.lastSlashedHeight = within(in.readLong(), 0, state.height, of + "lastSlashedHeight");
        c.idleMicroCmt = atLeast(in.readLong(), 0, of + "idle");
        c.rankStakeMicroCmt = atLeast(in.readLong(), 0, of + "rankStake");
        c.ranked = in.readBoolean();
        c.role = (int)within(in.readUnsignedByte(), Candidate.ROLE_CANDIDATE, Candidate.ROLE_VALIDATOR, of + "role");
        c.votingPower = atLeast(in.readLong(), 0, of + "votingPower");
        final int pools = count(in, Candidate.MAX_POOLS, "pools of candidate " + owner);
        for (int p = 0; p < pools; p++)
        {
            final int poolCommission = in.readInt();
            if (p == 0 && poolCommission != commission)
            {
                throw new IOException(of + "pool 0 is not at its commission");
            }
            if (p > 0)
            {
                if (c.poolOrNull(poolCommission) != null)
                {
                    throw new IOException(of + "pool at " + poolCommission + " ppm appears twice");
                }
                // A pool other than pool 0 is a lower rate SET_COMP_RATE gave: 0 up to below the candidate's own.
                within(poolCommission, 0, commission - 1, of + "pool rate");
            }
            final StakePool pool = c.pool(poolCommission);
            pool.valueMicroCmt = in.readLong();
            pool.totalShares = in.readLong();
            // StakePool's invariant: value without shares would be no one's, shares without value price nothing.
            if (pool.valueMicroCmt < 0 || pool.totalShares < 0 || (pool.valueMicroCmt > 0) != (pool.totalShares > 0))
            {
                throw new IOException(of + "pool at " + poolCommission + " ppm has " + pool.valueMicroCmt +
                    " µCMT for " + pool.totalShares + " shares (both must be 0, or both > 0)");
            }
        }
        final int delegations = count(in, MAX_RECORDS, "delegations");
        ByteKey previous = null;
        for (int d = 0; d < delegations; d++)
        {
            final ByteKey delegator = key(in, 20);
            // In delegator order, each once: a second record of one delegator would replace the first.
            if (previous != null && previous.compareTo(delegator) >= 0)
            {
                throw new IOException(of + "delegations are not in delegator order at " + delegator);
            }
            previous = delegator;
            final String delegation = of + "delegation of " + delegator + ": ";
            final Delegation record = new Delegation(delegator, c, pool(c, in.readInt()));
            record.shares = atLeast(in.readLong(), 0, delegation + "shares");
            record.idleMicroCmt = atLeast(in.readLong(), 0, delegation + "idle");
            c.delegations.put(delegator, record);
        }
        return c;
    }

    /** No proposer has more proposals open than PROPOSE lets it open ({@link DposTransactions#MAX_OPEN_PROPOSALS}). */
    private static void checkOpenProposals(final DposState state) throws IOException
    {
        final TreeMap<ByteKey, Integer> open = new TreeMap<>();
        for (final Proposal p : state.proposals.values())
        {
            if (p.status == Proposal.OPEN && open.merge(p.proposer, 1, Integer::sum) >
                DposTransactions.MAX_OPEN_PROPOSALS)
            {
                throw new IOException("proposer " + p.proposer + " has more than " +
                    DposTransactions.MAX_OPEN_PROPOSALS + " proposals open, which PROPOSE refuses");
            }
        }
    }

    private static Proposal readProposal(final DataInput in, final DposState state) throws IOException
    {
        final long id = within(in.readLong(), 1, state.nextProposalId - 1, "proposal id");
        final String of = "proposal " + id + ": ";
        final ByteKey proposer = key(in, 20);
        final int kind = in.readInt();
        final int paramId = in.readInt();
        final long value = in.readLong();
        final ByteKey from = key(in, 20);
        final ByteKey to = key(in, 20);
        final long amount = in.readLong();
        if (kind == DposDescriptor.KIND_CHANGE_PARAM)
        {
            // Executing it sets the parameter: a value out of bounds would throw at the block end that passes it.
            if (!DposParams.valid(paramId, value))
            {
                throw new IOException(of + (DposParams.known(paramId) ? DposParams.NAMES[paramId] + " " + value :
                    "parameter " + paramId) + " is out of bounds");
            }
            if (!from.equals(DposTransactions.NO_ACCOUNT) || !to.equals(DposTransactions.NO_ACCOUNT) || amount != 0)
            {
                throw new IOException(of + "a parameter change keeps a zero source, destination and amount");
            }
        }
        else if (kind == DposDescriptor.KIND_TRANSFER_FUND)
        {
            // A negative amount would move funds the other way, from the account to be credited.
            atLeast(amount, 1, of + "amount");
            if (paramId != 0 || value != 0 || from.equals(to))
            {
                throw new IOException(of + "a transfer keeps a zero parameter id and value, and moves funds from an " +
                    "account to another");
            }
        }
        else
        {
            throw new IOException(of + "kind must be " + DposDescriptor.KIND_CHANGE_PARAM + " or " +
                DposDescriptor.KIND_TRANSFER_FUND + ", was " + kind);
        }
        // Made by a PROPOSE in a block up to the snapshot's, open for 1 to the largest proposalExpiryBlocks blocks.
        final long created = within(in.readLong(), 1, state.height, of + "created height");
        final long expiry = within(in.readLong(), created + 1,
            created + DposParams.max(DposParams.PROPOSAL_EXPIRY_BLOCKS), of + "expiry height");
        final Proposal p = new Proposal(id, proposer, kind, paramId, value, from, to, amount, created, expiry);
        p.status = (int)within(in.readInt(), Proposal.OPEN, Proposal.PASSED_NOT_EXECUTED, of + "status");
        p.decidedHeight = in.readLong();
        if (p.status == Proposal.OPEN)
        {
            // Every block end's tally expires an open proposal at its expiry height.
            within(p.decidedHeight, 0, 0, of + "decided height of an open proposal");
            within(expiry, state.height + 1, Long.MAX_VALUE, of + "expiry height of an open proposal");
        }
        else
        {
            // Decided by a block end's tally from its own block's to its expiry height's, and expired only there.
            within(p.decidedHeight, p.status == Proposal.EXPIRED ? expiry : created, expiry, of + "decided height");
            within(p.decidedHeight, 1, state.height, of + "decided height");
        }
        final int votes = count(in, MAX_RECORDS, "votes");
        for (int v = 0; v < votes; v++)
        {
            final ByteKey voter = key(in, 20);
            if (!p.votes.isEmpty() && p.votes.lastKey().compareTo(voter) >= 0)
            {
                throw new IOException(of + "votes are not in voter order at " + voter);
            }
            p.votes.put(voter, in.readBoolean());
        }
        return p;
    }

    /**
     * @return {@code value}.
     * @throws IOException naming {@code what} when {@code value} is below {@code min}.
     */
    static long atLeast(final long value, final long min, final String what) throws IOException
    {
        if (value < min)
        {
            throw new IOException(what + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /**
     * @return {@code value}.
     * @throws IOException naming {@code what} when {@code value} is outside {@code min..max}.
     */
    private static long within(final long value, final long min, final long max, final String what)
        throws IOException
    {
        if (value < min || value > max)
        {
            throw new IOException(what + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static int count(final DataInput in, final int max, final String what) throws IOException
    {
        final int n = in.readInt();
        if (n < 0 || n > max)
        {
            throw new IOException("bad count of " + what + ": " + n);
        }
        return n;
    }

    private static ByteKey key(final DataInput in, final int length) throws IOException
    {
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new ByteKey(bytes);
    }

    private static Candidate candidate(final DposState state, final ByteKey owner) throws IOException
    {
        final Candidate c = state.candidates.get(owner);
        if (c == null)
        {
            throw new IOException("no candidate " + owner);
        }
        return c;
    }

    private static StakePool pool(final Candidate c, final int commissionPpm) throws IOException
    {
        for (final StakePool p : c.pools)
        {
            if (p.commissionPpm == commissionPpm)
            {
                return p;
            }
        }
        throw new IOException("candidate " + c.owner + " has no pool at " + commissionPpm + " ppm");
    }

    private static void writeSet(final DataOutput out, final Candidate[] set, final long[] power) throws IOException
    {
        out.writeInt(set.length);
        for (int i = 0; i < set.length; i++)
        {
            out.write(set[i].owner.raw());
            out.writeLong(power[i]);
        }
    }

    /** A set as read: members and their powers. */
    private static final class SetRead
    {
        Candidate[] members;
        long[] power;
    }

    private static SetRead readSet(final DataInput in, final DposState state, final String name) throws IOException
    {
        final int n = count(in, 1_000, "set members");
        final SetRead set = new SetRead();
        set.members = new Candidate[n];
        set.power = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            set.members[i] = candidate(state, key(in, 20));
            // Elected with stake, so with power (the cap is at least 1 µCMT); the tally adds the powers up unchecked.
            set.power[i] = atLeast(in.readLong(), 1, name + ": power of " + set.members[i].owner);
            if (set.power[i] > Long.MAX_VALUE - total)
            {
                throw new IOException(name + ": powers add up past 2^63-1");
            }
            total += set.power[i];
        }
        return set;
    }

    /** Refuse a candidate that is in a set twice, or in both: it would be rewarded (and counted) twice. */
    private static void distinct(final Candidate[] a, final Candidate[] b, final String names) throws IOException
    {
        final HashSet<ByteKey> seen = new HashSet<>();
        for (final Candidate[] set : new Candidate[][]{a, b})
        {
            for (final Candidate c : set)
            {
                if (!seen.add(c.owner))
                {
                    throw new IOException("candidate " + c.owner + " appears twice in the " + names);
                }
            }
        }
    }
}
