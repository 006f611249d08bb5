package io.cmtchain.engine.dpos;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
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
        state.height = in.readLong();
        state.genesisClosed = in.readBoolean();
        state.genesisSupplyMicroCmt = in.readLong();
        state.mintedMicroCmt = in.readLong();
        state.slashedMicroCmt = in.readLong();
        state.heldMicroCmt = in.readLong();
        state.inflationCarry = in.readLong();
        state.yearBaseMicroCmt = in.readLong();
        state.nextUnbondingId = in.readLong();
        state.nextProposalId = in.readLong();
        state.powerCapMicroCmt = in.readLong();

        state.awardHeight = in.readLong();
        state.awardMintedMicroCmt = in.readLong();
        state.awardFeesMicroCmt = in.readLong();
        final int recipients = count(in, MAX_RECORDS, "award recipients");
        final ByteKey[] recipientOwners = new ByteKey[recipients];
        state.awardAmounts = new long[Math.max(32, recipients)];
        for (int i = 0; i < recipients; i++)
        {
            recipientOwners[i] = key(in, 20);
            state.awardAmounts[i] = in.readLong();
        }

        final int candidates = count(in, MAX_RECORDS, "candidates");
        for (int i = 0; i < candidates; i++)
        {
            final ByteKey owner = key(in, 20);
            final ByteKey publicKey = key(in, 32);
            final int commission = in.readInt();
            final long declaredHeight = in.readLong();
            final long maxStake = in.readLong();
            final byte[] description = new byte[in.readUnsignedShort()];
            in.readFully(description);
            final Candidate c = new Candidate(owner, publicKey, maxStake, commission, description, declaredHeight);
            final int flags = in.readUnsignedByte();
            c.active = (flags & 1) != 0;
            c.verified = (flags & 2) != 0;
            c.withdrawn = (flags & 4) != 0;
            c.missedBlocks = in.readInt();
            c.lastSlashedHeight = in.readLong();
            c.idleMicroCmt = in.readLong();
            c.rankStakeMicroCmt = in.readLong();
            c.ranked = in.readBoolean();
            c.role = in.readUnsignedByte();
            c.votingPower = in.readLong();
            final int pools = count(in, 1_000_001, "pools of a candidate");
            for (int p = 0; p < pools; p++)
            {
                final int poolCommission = in.readInt();
                if (p == 0 && poolCommission != commission)
                {
                    throw new IOException("candidate " + owner + ": pool 0 is not at its commission");
                }
                final StakePool pool = c.pool(poolCommission);
                pool.valueMicroCmt = in.readLong();
                pool.totalShares = in.readLong();
            }
            final int delegations = count(in, MAX_RECORDS, "delegations");
            for (int d = 0; d < delegations; d++)
            {
                final ByteKey delegator = key(in, 20);
                final Delegation delegation = new Delegation(delegator, c, pool(c, in.readInt()));
                delegation.shares = in.readLong();
                delegation.idleMicroCmt = in.readLong();
                c.delegations.put(delegator, delegation);
            }
            if (state.candidates.put(owner, c) != null)
            {
                throw new IOException("candidate " + owner + " appears twice");
            }
        }
        for (int i = 0; i < recipients; i++)
        {
            state.awardRecipients.add(candidate(state, recipientOwners[i]));
        }

        final int entries = count(in, MAX_RECORDS, "unbonding entries");
        for (int i = 0; i < entries; i++)
        {
            final long id = in.readLong();
            final ByteKey delegator = key(in, 20);
            final Candidate c = candidate(state, key(in, 20));
            final StakePool pool = pool(c, in.readInt());
            final long shares = in.readLong();
            final long fixed = in.readLong();
            final long mature = in.readLong();
            final UnbondingEntry e = new UnbondingEntry(id, delegator, c, pool, shares, fixed, mature);
            // Written in payout order, so appending keeps each height's list in the order it pays out.
            state.unbondingByHeight.computeIfAbsent(mature, h -> new ArrayList<>()).add(e);
        }

        final int proposals = count(in, MAX_RECORDS, "proposals");
        for (int i = 0; i < proposals; i++)
        {
            final long id = in.readLong();
            final ByteKey proposer = key(in, 20);
            final int kind = in.readInt();
            final int paramId = in.readInt();
            final long value = in.readLong();
            final ByteKey from = key(in, 20);
            final ByteKey to = key(in, 20);
            final long amount = in.readLong();
            final long created = in.readLong();
            final long expiry = in.readLong();
            final Proposal p = new Proposal(id, proposer, kind, paramId, value, from, to, amount, created, expiry);
            p.status = in.readInt();
            p.decidedHeight = in.readLong();
            final int votes = count(in, MAX_RECORDS, "votes");
            for (int v = 0; v < votes; v++)
            {
                p.votes.put(key(in, 20), in.readBoolean());
            }
            state.proposals.put(id, p);
        }

        SetRead set = readSet(in, state);
        state.validators = set.members;
        state.validatorPower = set.power;
        set = readSet(in, state);
        state.backups = set.members;
        state.backupPower = set.power;
        set = readSet(in, state);
        state.prevValidators = set.members;
        state.prevValidatorPower = set.power;
        set = readSet(in, state);
        state.prevBackups = set.members;
        state.prevBackupPower = set.power;
        state.schedule.read(in);
        state.restored();
        return state;
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

    private static SetRead readSet(final DataInput in, final DposState state) throws IOException
    {
        final int n = count(in, 1_000, "set members");
        final SetRead set = new SetRead();
        set.members = new Candidate[n];
        set.power = new long[n];
        for (int i = 0; i < n; i++)
        {
            set.members[i] = candidate(state, key(in, 20));
            set.power[i] = in.readLong();
        }
        return set;
    }
}
