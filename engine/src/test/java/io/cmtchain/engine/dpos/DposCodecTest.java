package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposDescriptor.DELEGATE;
import static io.cmtchain.engine.dpos.DposDescriptor.PROPOSE;
import static io.cmtchain.engine.dpos.DposDescriptor.SET_COMP_RATE;
import static io.cmtchain.engine.dpos.DposDescriptor.VOTE;
import static io.cmtchain.engine.dpos.DposDescriptor.WITHDRAW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of the DPoS state (DposCodec): a node restarted from one must run on as the node that wrote it, so a
 * snapshot that is not consistent is refused with an IOException naming the problem, never read some other way.
 * DposConservationTest and DposChain.checkConservation read good snapshots back; these are the bad ones.
 */
class DposCodecTest
{
    /** Where the award recipients' count is: version, params (13 values, base, flag, foundation), 10 + 3 longs. */
    private static final int RECIPIENTS_AT = 1 + 13 * 8 + 8 + 1 + 20 + 8 + 1 + 9 * 8 + 3 * 8;

    private static DposChain chain()
    {
        return new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "," + candidate("B", 20_000, 100_000, 2_000) + "]");
    }

    private static byte[] write(final DposState state) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DposCodec.write(state, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static DposState read(final byte[] bytes) throws IOException
    {
        return DposCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static void assertRefused(final byte[] bytes, final String reason)
    {
        final IOException refused = assertThrows(IOException.class, () -> read(bytes));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    /** @return the index of the n-th (from 0) occurrence of {@code pattern} in {@code bytes}. */
    private static int find(final byte[] bytes, final byte[] pattern, final int n)
    {
        return find(bytes, pattern, n, 0);
    }

    /** @return the index of the n-th (from 0) occurrence of {@code pattern} in {@code bytes} from {@code from}. */
    private static int find(final byte[] bytes, final byte[] pattern, final int n, final int from)
    {
        int seen = 0;
        for (int i = from; i + pattern.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length) && seen++ == n)
            {
                return i;
            }
        }
        throw new AssertionError("occurrence " + n + " not found");
    }

    @Test
    void shouldWriteOnlyBetweenBlocks()
    {
        final DposChain c = chain();
        c.block("");
        c.dpos.beginBlock(2, new byte[0][], 0);
        assertThrows(IllegalStateException.class, () -> write(c.dpos));
    }

    @Test
    void shouldReadBackTheLastAwardForReports() throws IOException
    {
        final DposChain c = chain();
        c.block("");
        c.block("A,B");
        final DposState read = read(write(c.dpos));
        assertEquals(2, read.awardRecipients.size());
        assertSame(read.candidates.get(new ByteKey(address("A"))), read.awardRecipients.get(0));
        assertEquals(c.dpos.awardAmounts[0], read.awardAmounts[0]);
        assertEquals(c.dpos.awardAmounts[1], read.awardAmounts[1]);
    }

    @Test
    void shouldRefuseAnInconsistentSnapshot() throws IOException
    {
        final DposChain c = chain();
        final byte[] good = write(c.dpos);
        read(good);
        // Genesis: no award recipients, then two candidates, written in address order.
        assertEquals(0, ByteBuffer.wrap(good, RECIPIENTS_AT, 4).getInt());
        assertEquals(2, ByteBuffer.wrap(good, RECIPIENTS_AT + 4, 4).getInt());
        final byte[] a = address("A");
        final byte[] b = address("B");

        final byte[] version = good.clone();
        version[0]++;
        assertRefused(version, "version");

        final byte[] negative = good.clone();
        ByteBuffer.wrap(negative, RECIPIENTS_AT, 4).putInt(-1);
        assertRefused(negative, "bad count of award recipients");

        // More candidates than a snapshot may hold (2^28): refused as such, not read until the data runs out.
        final byte[] many = good.clone();
        ByteBuffer.wrap(many, RECIPIENTS_AT + 4, 4).putInt((1 << 28) + 1);
        assertRefused(many, "bad count of candidates");

        // B's record under A's address: A twice (B's first occurrence is its record's owner).
        final byte[] twice = good.clone();
        System.arraycopy(a, 0, twice, find(good, b, 0), 20);
        assertRefused(twice, "appears twice");

        // B's own commission changed but not its pool 0's.
        final byte[] commission = good.clone();
        ByteBuffer.wrap(commission, find(good, b, 0) + 20 + 32, 4).putInt(200_000);
        assertRefused(commission, "pool 0 is not at its commission");

        // The validator set names an owner that has no candidate record (B's third occurrence: owner, own
        // delegation, then the set).
        final byte[] stranger = good.clone();
        System.arraycopy(address("stranger"), 0, stranger, find(good, b, 2), 20);
        assertRefused(stranger, "no candidate");

        // The proposer schedule ends the snapshot: proposer index (int), then its height (long). Of a set of 2,
        // -1 (no proposer) is an index, -2 and 2 are not.
        final int proposerAt = good.length - 12;
        assertEquals(c.dpos.schedule.proposerIndex(), ByteBuffer.wrap(good, proposerAt, 4).getInt());
        final byte[] none = good.clone();
        ByteBuffer.wrap(none, proposerAt, 4).putInt(-1);
        assertEquals(-1, read(none).schedule.proposerIndex());
        for (final int index : new int[]{-2, 2})
        {
            final byte[] outside = good.clone();
            ByteBuffer.wrap(outside, proposerAt, 4).putInt(index);
            assertRefused(outside, "outside a set of 2");
        }
    }

    /**
     * A chain with every kind of record a snapshot holds: A and B elected, dan's delegation to A (part of it
     * unbonding), eve's in a pool of A's at 5% and idle with B, a CHANGE_PARAM proposal with a vote and a
     * TRANSFER_FUND one.
     */
    private static DposChain records()
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":5,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 20_000, 100_000, 2_000) + "]",
            "A", 10, "B", 10, "dan", 1_000, "eve", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 200)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("B"), 50)));
        c.block("A,B", c.tx("A", SET_COMP_RATE, DposBodies.setCompRate(address("eve"), 50_000)),
            c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 100)),
            c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)),
            c.tx("B", PROPOSE, DposBodies.proposeTransferFund(address("dan"), address("eve"), 10)));
        c.block("A,B", c.tx("B", VOTE, DposBodies.vote(1, 1)), c.tx("A", VOTE, DposBodies.vote(1, 0)));
        c.checkConservation();
        assertEquals(2, c.candidate("A").pools.size());
        assertEquals(50, c.candidate("B").idleMicroCmt);
        assertEquals(1, c.dpos.unbondingByHeight.size());
        assertEquals(2, c.dpos.proposals.size());
        assertEquals(2, c.dpos.proposals.get(1L).votes.size());
        assertEquals(2, c.dpos.validatorCount());
        return c;
    }

    /** Corrupt a fresh {@link #records()} chain's state as a snapshot may come, and expect it refused. */
    private static void assertRefused(final Consumer<DposChain> corrupt, final String reason) throws IOException
    {
        final DposChain c = records();
        read(write(c.dpos));
        corrupt.accept(c);
        assertRefused(write(c.dpos), reason);
    }

    private static String a()
    {
        return "candidate " + new ByteKey(address("A"));
    }

    @Test
    void shouldRefuseAPoolWhoseValueAndSharesDisagree() throws IOException
    {
        // Value without shares is no one's (stranded for good); shares without value price the next buy by a
        // division by 0; a negative either way is no amount. The rules never leave a pool so (auditHeldMicroCmt).
        final String pool0 = a() + ": pool at 100000 ppm has ";
        assertRefused(c -> c.candidate("A").pools.get(0).totalShares = 0, pool0);
        assertRefused(c -> c.candidate("A").pools.get(0).valueMicroCmt = 0, pool0);
        assertRefused(c -> c.candidate("A").pools.get(0).valueMicroCmt = -1, pool0 + "-1 µCMT for");
        assertRefused(c -> c.candidate("A").pools.get(0).totalShares = -5, "for -5 shares");
        final StakePool pool0ofA = records().candidate("A").pools.get(0);
        assertRefused(c ->
        {
            final StakePool p = c.candidate("A").pools.get(1);
            p.valueMicroCmt = 7;
            p.totalShares = 0;
        }, a() + ": pool at 50000 ppm has 7 µCMT for 0 shares (both must be 0, or both > 0)");
        assertTrue(pool0ofA.valueMicroCmt > 0 && pool0ofA.totalShares > 0);
    }

    @Test
    void shouldRefuseSupplyCountersOutsideTheirRange() throws IOException
    {
        assertRefused(c -> c.dpos.height = -1, "height must be >= 0, was -1");
        assertRefused(c -> c.dpos.genesisSupplyMicroCmt = -1, "genesis supply must be >= 0, was -1");
        assertRefused(c -> c.dpos.mintedMicroCmt = -1, "minted must be >= 0, was -1");
        assertRefused(c -> c.dpos.slashedMicroCmt = -1, "slashed must be >= 0, was -1");
        assertRefused(c -> c.dpos.heldMicroCmt = -1, "held must be >= 0, was -1");
        // genesis - slashed + minted is the supply every balance and pool adds up to: within 0..2^63-1.
        assertRefused(c -> c.dpos.slashedMicroCmt = c.dpos.genesisSupplyMicroCmt + c.dpos.mintedMicroCmt + 1,
            "supply (genesis supply + minted - slashed) must be in 0..2^63-1");
        assertRefused(c -> c.dpos.mintedMicroCmt = Long.MAX_VALUE,
            "supply (genesis supply + minted - slashed) must be in 0..2^63-1");
        assertRefused(c -> c.dpos.heldMicroCmt = c.dpos.supplyMicroCmt() + 1, "is more than the supply");
        // A negative carry mints less than nothing. It is below the blocksPerYear of the last award, which may be
        // above the one in force now (governance lowered it), but never at the largest blocksPerYear or above.
        assertRefused(c -> c.dpos.inflationCarry = -1, "inflation carry must be in 0..999999999, was -1");
        assertRefused(c -> c.dpos.inflationCarry = 1_000_000_000,
            "inflation carry must be in 0..999999999, was 1000000000");
        final DposChain lowered = records();
        lowered.dpos.inflationCarry = 999;
        lowered.dpos.params.set(DposParams.BLOCKS_PER_YEAR, 10);
        assertEquals(999, read(write(lowered.dpos)).inflationCarry);
        assertRefused(c -> c.dpos.yearBaseMicroCmt = -1, "year base must be >= 0, was -1");
        assertRefused(c -> c.dpos.nextUnbondingId = 0, "next unbonding id must be >= 1, was 0");
        assertRefused(c -> c.dpos.nextProposalId = 0, "next proposal id must be >= 1, was 0");
        assertRefused(c -> c.dpos.powerCapMicroCmt = -1, "power cap must be >= 0, was -1");
        assertRefused(c -> c.dpos.awardHeight = c.dpos.height + 1, "award height must be in 0..3, was 4");
        assertRefused(c -> c.dpos.awardMintedMicroCmt = -1, "award minted must be >= 0, was -1");
        assertRefused(c -> c.dpos.awardFeesMicroCmt = -1, "award fees must be >= 0, was -1");
        assertRefused(c -> c.dpos.awardAmounts[1] = -1, "award amount of candidate");

        // The inflation base (in the parameters, after their 13 values): within [0, 2^62] as in a genesis.
        final byte[] base = write(records().dpos);
        ByteBuffer.wrap(base, 1 + 13 * 8, 8).putLong(-1);
        assertRefused(base, "inflationBaseMicroCmt must be in [0, 2^62]");
    }

    @Test
    void shouldRefuseACandidateRecordOutsideTheRules() throws IOException
    {
        final String a = a() + ": ";
        assertRefused(c -> c.dpos.candidates.put(c.candidate("A").owner, copy(c.candidate("A"), 0, 0)),
            a + "commissionPpm must be in 1..999999, was 0");
        assertRefused(c -> c.dpos.candidates.put(c.candidate("A").owner, copy(c.candidate("A"), 100_000, 4)),
            a + "declaredHeight must be in 0..3, was 4");
        assertRefused(c -> c.candidate("A").maxStakeMicroCmt = 0, a + "maxStake must be >= 1, was 0");
        assertRefused(c -> c.candidate("A").description = new byte[129],
            a + "description must be at most 128 bytes, was 129");
        assertRefused(c -> c.candidate("A").missedBlocks = -1, a + "missedBlocks must be >= 0, was -1");
        assertRefused(c -> c.candidate("A").lastSlashedHeight = 4, a + "lastSlashedHeight must be in 0..3, was 4");
        assertRefused(c -> c.candidate("B").idleMicroCmt = -50, "candidate " + new ByteKey(address("B")) +
            ": idle must be >= 0, was -50");
        assertRefused(c -> c.candidate("A").rankStakeMicroCmt = -1, a + "rankStake must be >= 0, was -1");
        assertRefused(c -> c.candidate("A").role = 3, a + "role must be in 0..2, was 3");
        assertRefused(c -> c.candidate("A").votingPower = -1, a + "votingPower must be >= 0, was -1");

        // Pools: at most Candidate.MAX_POOLS, each rate once, below the candidate's own but pool 0's.
        assertRefused(c ->
        {
            final Candidate cand = c.candidate("A");
            for (int rate = 0; cand.pools.size() <= Candidate.MAX_POOLS; rate++)
            {
                cand.pool(rate);
            }
        }, "bad count of pools of " + a() + ": 65");
        assertRefused(c -> c.candidate("A").pools.remove(0), a + "pool 0 is not at its commission");
        assertRefused(c -> c.candidate("A").pools.add(c.candidate("A").pools.get(1)),
            a + "pool at 50000 ppm appears twice");
        assertRefused(c -> c.candidate("A").pools.add(new StakePool(c.candidate("A"), 100_001)),
            a + "pool rate must be in 0..99999, was 100001");

        // The flags are a byte of their own in the snapshot: A's record is its owner and key, commission (int),
        // declared height, maximum, the description (u16 length, bytes), then the flags.
        final DposChain c = records();
        final byte[] good = write(c.dpos);
        final byte[] record = new byte[52];
        System.arraycopy(address("A"), 0, record, 0, 20);
        System.arraycopy(c.candidate("A").publicKey.raw(), 0, record, 20, 32);
        final byte[] flags = good.clone();
        flags[find(good, record, 0) + 52 + 4 + 8 + 8 + 2 + c.candidate("A").description.length] = 8;
        assertRefused(flags, a + "flags must be in 0..7, was 8");
    }

    /** @return a copy of {@code c} with another commission and declared height (final fields), the same pools. */
    private static Candidate copy(final Candidate c, final int commissionPpm, final long declaredHeight)
    {
        final Candidate copy = new Candidate(c.owner, c.publicKey, c.maxStakeMicroCmt, commissionPpm, c.description,
            declaredHeight);
        copy.pools.clear();
        copy.pools.addAll(c.pools);
        copy.delegations.putAll(c.delegations);
        return copy;
    }

    @Test
    void shouldRefuseDelegationsAndEntriesOutsideTheRules() throws IOException
    {
        final String dan = a() + ": delegation of " + new ByteKey(address("dan")) + ": ";
        assertRefused(c -> delegation(c, "A", "dan").shares = -1, dan + "shares must be >= 0, was -1");
        assertRefused(c -> delegation(c, "A", "dan").idleMicroCmt = -1, dan + "idle must be >= 0, was -1");

        final String entry = "unbonding entry 1: ";
        assertRefused(c -> entry(c).fixedMicroCmt(-1), entry + "fixed must be >= 0, was -1");
        assertRefused(c -> entry(c).shares(-1), entry + "shares must be >= 0, was -1");
        assertRefused(c -> entry(c).id(0), "unbonding entry id must be in 1..1, was 0");
        assertRefused(c -> entry(c).id(c.dpos.nextUnbondingId), "unbonding entry id must be in 1..1, was 2");
        assertRefused(c ->
        {
            c.dpos.nextUnbondingId = 3;
            final UnbondingEntry e = c.dpos.unbondingByHeight.firstEntry().getValue().get(0);
            c.dpos.unbondingByHeight.firstEntry().getValue().add(new UnbondingEntry(e.id, e.delegator, e.candidate,
                e.pool, 0, 0, e.matureHeight));
        }, "unbonding entry 1 appears twice");
    }

    @Test
    void shouldRefuseARecordGivenTwice() throws IOException
    {
        // Delegations and votes are written in address order, each once: read as they were, a second record of one
        // delegator (or voter) replaced the first without a word. A's record starts with its owner and key.
        final DposChain c = records();
        final byte[] good = write(c.dpos);
        final byte[] record = new byte[52];
        System.arraycopy(address("A"), 0, record, 0, 20);
        System.arraycopy(c.candidate("A").publicKey.raw(), 0, record, 20, 32);
        final int recordAt = find(good, record, 0);
        final ByteKey[] delegators = c.candidate("A").delegations.keySet().toArray(new ByteKey[0]);
        final byte[] delegator = good.clone();
        System.arraycopy(delegators[0].raw(), 0, delegator, find(good, delegators[1].raw(), 0, recordAt + 52), 20);
        assertRefused(delegator, a() + ": delegations are not in delegator order at " + delegators[0]);

        // Proposal 1 (id, proposer A): its votes follow 124 bytes of fields (see DposCodec).
        final byte[] proposal = new byte[28];
        ByteBuffer.wrap(proposal).putLong(1).put(address("A"));
        final int votesAt = find(good, proposal, 0) + 124;
        assertEquals(2, ByteBuffer.wrap(good, votesAt - 4, 4).getInt());
        final byte[] voter = good.clone();
        System.arraycopy(good, votesAt, voter, votesAt + 21, 20);
        assertRefused(voter, "proposal 1: votes are not in voter order at ");
    }

    @Test
    void shouldRefuseRecordsThatDoNotAddUp() throws IOException
    {
        // The shares a pool counts are those its delegations and unbonding entries hold; a candidate's idle amount
        // is its delegations'; the DPoS state holds what its pools, idle delegations and fixed entries hold.
        assertRefused(c -> delegation(c, "A", "dan").shares++, "pool of " + new ByteKey(address("A")) +
            " at 100000 ppm: shares ");
        assertRefused(c -> delegation(c, "B", "eve").idleMicroCmt = 49, "candidate " + new ByteKey(address("B")) +
            " idle 50 != 49");
        assertRefused(c -> c.dpos.heldMicroCmt--, "by walk");
        // Shares that add up past 2^63-1 do not wrap to the pool's count.
        assertRefused(c ->
        {
            final StakePool p = c.candidate("A").pools.get(1);
            delegation(c, "A", "eve").shares = Long.MAX_VALUE;
            final UnbondingEntry e = c.dpos.unbondingByHeight.firstEntry().getValue().get(0);
            c.dpos.unbondingByHeight.firstEntry().getValue().set(0, new UnbondingEntry(e.id, e.delegator,
                e.candidate, p, Long.MAX_VALUE, e.fixedMicroCmt, e.matureHeight));
            p.totalShares = Long.MAX_VALUE - 2;
        }, "add up past 2^63-1");
    }

    @Test
    void shouldRefuseProposalsOutsideTheRules() throws IOException
    {
        assertRefused(c -> replace(c, 1, p -> p.status = 5), "proposal 1: status must be in 0..4, was 5");
        assertRefused(c -> c.dpos.nextProposalId = 2, "proposal id must be in 1..1, was 2");
        assertRefused(c -> c.dpos.proposals.put(3L, c.dpos.proposals.get(2L)), "proposal 2 appears twice");
        assertRefused(c -> proposal(c, 1, 3, DposParams.MAX_BACKUPS, 3, 0), "proposal 1: kind must be 1 or 2, was 3");
        assertRefused(c -> proposal(c, 1, DposDescriptor.KIND_CHANGE_PARAM, DposParams.MAX_BACKUPS, 1_001, 0),
            "proposal 1: maxBackups 1001 is out of bounds");
        assertRefused(c -> proposal(c, 1, DposDescriptor.KIND_CHANGE_PARAM, 14, 1, 0),
            "proposal 1: parameter 14 is out of bounds");
        // A negative transfer would move funds the other way, from the account credited to the one debited.
        assertRefused(c -> proposal(c, 2, DposDescriptor.KIND_TRANSFER_FUND, 0, 0, -10),
            "proposal 2: amount must be >= 1, was -10");
    }

    @Test
    void shouldRefuseProposalFieldsOrHeightsThePROPOSEAndTallyRulesCannotHaveMade() throws IOException
    {
        // records(): proposals 1 (a parameter change) and 2 (a transfer) made at block 2, open, expiring at 2 +
        // proposalExpiryBlocks; the snapshot is at height 3.
        final DposChain good = records();
        assertEquals(2, good.dpos.proposals.get(1L).createdHeight);
        assertEquals(Proposal.OPEN, good.dpos.proposals.get(2L).status);
        // Each kind keeps only its own fields; a transfer goes from an account to another.
        assertRefused(c -> proposal(c, 1, DposDescriptor.KIND_CHANGE_PARAM, DposParams.MAX_BACKUPS, 3, 5),
            "proposal 1: a parameter change keeps a zero source, destination and amount");
        assertRefused(c -> proposal(c, 2, DposDescriptor.KIND_TRANSFER_FUND, DposParams.MAX_BACKUPS, 0, 10),
            "proposal 2: a transfer keeps a zero parameter id and value");
        assertRefused(c ->
        {
            final Proposal p = c.dpos.proposals.get(2L);
            c.dpos.proposals.put(2L, copy(p, p.from, p.from, p.createdHeight, p.expiryHeight));
        }, "proposal 2: a transfer keeps a zero parameter id and value, and moves funds from an account to another");
        // Made in a block up to the snapshot's, and open for 1 to the largest proposalExpiryBlocks blocks.
        assertRefused(c -> heights(c, 2, 4, 100), "proposal 2: created height must be in 1..3, was 4");
        assertRefused(c -> heights(c, 2, 0, 100), "proposal 2: created height must be in 1..3, was 0");
        assertRefused(c -> heights(c, 2, 2, 2), "proposal 2: expiry height must be in 3..100000002, was 2");
        assertRefused(c -> heights(c, 2, 2, 100_000_003), "proposal 2: expiry height must be in 3..100000002");
        // Open only before its expiry height: the block end at that height expires it.
        assertRefused(c -> heights(c, 2, 2, 3), "proposal 2: expiry height of an open proposal must be in 4..");
        assertRefused(c -> replace(c, 2, p -> p.decidedHeight = 3),
            "proposal 2: decided height of an open proposal must be in 0..0, was 3");
        // Decided from its own block's end to its expiry height's, and not after the snapshot's height; expired only
        // at its expiry height.
        assertRefused(c -> replace(c, 2, p ->
        {
            p.status = Proposal.PASSED;
            p.decidedHeight = 1;
        }), "proposal 2: decided height must be in 2..");
        assertRefused(c -> replace(c, 2, p ->
        {
            p.status = Proposal.REJECTED;
            p.decidedHeight = 4;
        }), "proposal 2: decided height must be in 1..3, was 4");
        assertRefused(c ->
        {
            heights(c, 2, 2, 3);
            replace(c, 2, p ->
            {
                p.status = Proposal.EXPIRED;
                p.decidedHeight = 2;
            });
        }, "proposal 2: decided height must be in 3..3, was 2");
        // What the rules can make reads back: decided in its own block, expired at its expiry height.
        final DposChain decided = records();
        replace(decided, 1, p ->
        {
            p.status = Proposal.REJECTED;
            p.decidedHeight = 2;
        });
        heights(decided, 2, 2, 3);
        replace(decided, 2, p ->
        {
            p.status = Proposal.EXPIRED;
            p.decidedHeight = 3;
        });
        final DposState read = read(write(decided.dpos));
        assertEquals(Proposal.EXPIRED, read.proposals.get(2L).status);
        assertEquals(3, read.proposals.get(2L).decidedHeight);
    }

    @Test
    void shouldRefuseMoreOpenProposalsOfOneProposerThanPROPOSEAllows() throws IOException
    {
        final DposChain c = records();
        final Proposal first = c.dpos.proposals.get(1L);
        for (int i = 0; i < DposTransactions.MAX_OPEN_PROPOSALS - 1; i++)
        {
            final long id = c.dpos.nextProposalId++;
            c.dpos.proposals.put(id, new Proposal(id, first.proposer, first.kind, first.paramId, first.value,
                first.from, first.to, first.amountMicroCmt, first.createdHeight, first.expiryHeight));
        }
        assertEquals(DposTransactions.MAX_OPEN_PROPOSALS + 1, read(write(c.dpos)).proposals.size());
        final long id = c.dpos.nextProposalId++;
        c.dpos.proposals.put(id, new Proposal(id, first.proposer, first.kind, first.paramId, first.value,
            first.from, first.to, first.amountMicroCmt, first.createdHeight, first.expiryHeight));
        assertRefused(write(c.dpos), "proposer " + first.proposer + " has more than 16 proposals open, which " +
            "PROPOSE refuses");
    }

    @Test
    void shouldRefuseSetsOutsideTheRules() throws IOException
    {
        // An elected candidate has power (at least 1 µCMT); one that is elected twice would be rewarded twice.
        assertRefused(c -> c.dpos.validatorPower[1] = 0, "validators: power of ");
        assertRefused(c -> c.dpos.prevValidatorPower[0] = -1, "previous validators: power of ");
        assertRefused(c ->
        {
            c.dpos.backups = new Candidate[]{c.dpos.validators[0]};
            c.dpos.backupPower = new long[]{1};
        }, "appears twice in the validators and backups");
        assertRefused(c ->
        {
            c.dpos.prevValidators[1] = c.dpos.prevValidators[0];
        }, "appears twice in the previous validators and backups");
        assertRefused(c ->
        {
            c.dpos.validatorPower[0] = Long.MAX_VALUE;
            c.dpos.validatorPower[1] = Long.MAX_VALUE;
        }, "validators: powers add up past 2^63-1");

        // The schedule: each power at least 1, the total their sum. It ends the snapshot: (address, power,
        // priority) per validator, then total power, proposer index (int) and height.
        final byte[] good = write(records().dpos);
        final int totalAt = good.length - 20;
        final byte[] total = good.clone();
        ByteBuffer.wrap(total, totalAt, 8).putLong(ByteBuffer.wrap(good, totalAt, 8).getLong() + 1);
        assertRefused(total, "proposer schedule: total power");
        final byte[] power = good.clone();
        ByteBuffer.wrap(power, totalAt - 16, 8).putLong(0);
        assertRefused(power, "proposer schedule: power must be >= 1, was 0");
        final byte[] sum = good.clone();
        ByteBuffer.wrap(sum, totalAt - 16, 8).putLong(Long.MAX_VALUE);
        ByteBuffer.wrap(sum, totalAt - 16 - 36, 8).putLong(Long.MAX_VALUE);
        assertRefused(sum, "proposer schedule: powers add up past 2^63-1");
    }

    @Test
    void shouldRefuseVotingPowersTheElectionDoesNotGiveTheStakes() throws IOException
    {
        // records(): A (pooled stake of 3,000 + dan's and eve's) and B validators, validatorCapPpm 10^6 (cap = the
        // elected stake), so each one's power is its stake. A power one above it, in the set, the candidate and the
        // proposer schedule alike, is refused.
        final DposChain good = records();
        assertEquals(good.candidate("A").pooledMicroCmt(), good.dpos.validatorPower[0]);
        final String a = new ByteKey(address("A")).toString();
        final long stake = good.candidate("A").pooledMicroCmt();
        final long cap = good.dpos.powerCapMicroCmt;
        assertRefused(c ->
        {
            c.dpos.validatorPower[0]++;
            c.dpos.validators[0].votingPower++;
            reschedule(c.dpos);
        }, "validators: power of " + a + " is " + (stake + 1) + " (votingPower " + (stake + 1) + "), the election " +
            "gives min(stake " + stake + ", cap " + cap + ") = " + stake);
        // The candidate's own votingPower (what its votes are worth) against the set's.
        assertRefused(c -> c.dpos.validators[0].votingPower--, "validators: power of " + a + " is " + stake +
            " (votingPower " + (stake - 1) + ")");
        // The cap the powers were cut at.
        assertRefused(c -> c.dpos.powerCapMicroCmt--, "power cap " + (cap - 1) + " µCMT is not the election's " +
            cap);
        // The stake a candidate is ranked (and powered) at is its pooled stake, 0 if it is not eligible.
        assertRefused(c ->
        {
            c.candidate("B").rankStakeMicroCmt++;
            c.dpos.validatorPower[1]++;
            c.candidate("B").votingPower++;
            reschedule(c.dpos);
        }, "candidate " + new ByteKey(address("B")) + ": ranked at " + (good.candidate("B").pooledMicroCmt() + 1) +
            " µCMT, the election ranks it at " + good.candidate("B").pooledMicroCmt() + " µCMT (its pooled stake)");
        assertRefused(c -> c.candidate("A").active = false, "candidate " + a + ": ranked at " + stake +
            " µCMT, the election ranks it at 0 µCMT (not eligible)");
        // The members and their order: (power desc, address asc), validators first.
        assertRefused(c ->
        {
            final Candidate first = c.dpos.validators[0];
            c.dpos.validators[0] = c.dpos.validators[1];
            c.dpos.validators[1] = first;
            final long power = c.dpos.validatorPower[0];
            c.dpos.validatorPower[0] = c.dpos.validatorPower[1];
            c.dpos.validatorPower[1] = power;
            reschedule(c.dpos);
        }, "validators: member 0 is " + new ByteKey(address("B")) + ", the election from the candidates' stakes " +
            "gives " + a);
        assertRefused(c ->
        {
            c.dpos.backups = new Candidate[]{c.dpos.validators[1]};
            c.dpos.backupPower = new long[]{c.dpos.validatorPower[1]};
            c.dpos.validators = new Candidate[]{c.dpos.validators[0]};
            c.dpos.validatorPower = new long[]{c.dpos.validatorPower[0]};
            c.dpos.backups[0].role = Candidate.ROLE_BACKUP;
            reschedule(c.dpos);
        }, "validators: 1 members, the election from the candidates' stakes gives 2");
    }

    @Test
    void shouldRefuseAProposerScheduleOtherThanTheValidators() throws IOException
    {
        final String a = new ByteKey(address("A")).toString();
        final String stranger = new ByteKey(address("stranger")).toString();
        assertRefused(c -> c.dpos.schedule.update(new byte[][]{address("A"), address("stranger")},
            c.dpos.validatorPower, 2), "proposer schedule: validator 1 is " + stranger + ", the validator set's is " +
            new ByteKey(address("B")));
        assertRefused(c -> c.dpos.schedule.update(new byte[][]{address("A")}, c.dpos.validatorPower, 1),
            "proposer schedule: 1 validators, the validator set has 2");
        assertRefused(c -> c.dpos.schedule.update(new byte[][]{address("A"), address("B")},
            new long[]{c.dpos.validatorPower[0] + 1, c.dpos.validatorPower[1]}, 2),
            "proposer schedule: power of " + a + " is ");
        // The election at the end of block 3 chose the proposer of block 4.
        assertRefused(c -> c.dpos.schedule.height(5), "proposer schedule: height 5, the election at the end of " +
            "block 3 advanced it to 4");
    }

    @Test
    void shouldRefuseARoleOtherThanTheCandidatesPlaceInTheSets() throws IOException
    {
        final String a = "candidate " + new ByteKey(address("A")) + ": role ";
        assertRefused(c -> c.candidate("A").role = Candidate.ROLE_BACKUP, a + "backup, but it is a validator");
        assertRefused(c -> c.candidate("A").role = Candidate.ROLE_CANDIDATE, a + "candidate, but it is a validator");
        // With one seat, B is in neither set; a role of backup says otherwise.
        final DposChain one = new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":1,\"maxBackups\":0," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 20_000, 100_000, 2_000) +
            "]");
        read(write(one.dpos));
        one.candidate("B").role = Candidate.ROLE_BACKUP;
        assertRefused(write(one.dpos), "candidate " + new ByteKey(address("B")) + ": role backup, but it is in " +
            "neither set");
    }

    @Test
    void shouldRefuseAnUnbondingEntryMaturingWhenTheRulesCannotHaveIt() throws IOException
    {
        // records(): unbondingBlocks 5, dan's withdrawal at block 2 matures at 7; the snapshot is at height 3.
        assertEquals(7, records().dpos.unbondingByHeight.firstKey());
        // At or before the height: the block end would have paid it.
        assertRefused(c -> entry(c).matureHeight(3),
            "unbonding entry 1 matures at 3, not after the height 3: its block end would have paid it");
        // More than unbondingBlocks after the height: no withdrawal up to now could have made it.
        final DposChain latest = records();
        entry(latest).matureHeight(8);
        assertEquals(8, read(write(latest.dpos)).unbondingByHeight.firstKey());
        assertRefused(c -> entry(c).matureHeight(9),
            "unbonding entry 1 matures at 9, more than unbondingBlocks 5 after the height 3");
        // Once a change of unbondingBlocks has passed, an entry may mature later than the value in force allows
        // (see shouldReadAnEntryMadeBeforeUnbondingBlocksWasLowered); not later than the largest value there can be.
        final DposChain changed = records();
        changeUnbondingBlocks(changed);
        entry(changed).matureHeight(9);
        assertEquals(9, read(write(changed.dpos)).unbondingByHeight.firstKey());
        assertRefused(c ->
        {
            changeUnbondingBlocks(c);
            entry(c).matureHeight(3 + 100_000_001);
        }, "unbonding entry 1 matures at 100000004, more than the largest unbondingBlocks 100000000 (proposal 1 " +
            "changed it) after the height 3");
    }

    @Test
    void shouldReadAnEntryMadeBeforeUnbondingBlocksWasLowered() throws IOException
    {
        // Governance lowers unbondingBlocks from 5 to 1 after dan's withdrawal: his entry matures 5 blocks after it,
        // more than the 1 in force after the snapshot's height, and the snapshot is still one the rules made.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":5,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 20_000, 100_000, 2_000) + "]",
            "A", 10, "B", 10, "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500)));
        c.block("A,B", c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 100)),
            c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.UNBONDING_BLOCKS, 1)));
        c.block("A,B", c.tx("A", VOTE, DposBodies.vote(1, 1)), c.tx("B", VOTE, DposBodies.vote(1, 1)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(1L).status);
        assertEquals(1, c.dpos.params.get(DposParams.UNBONDING_BLOCKS));
        assertEquals(7, c.dpos.unbondingByHeight.firstKey());
        assertEquals(3, c.dpos.height);
        assertEquals(7, read(write(c.dpos)).unbondingByHeight.firstKey());
        c.checkConservation();
    }

    @Test
    void shouldReadASupplyFromZeroToTheLargestALongHolds() throws IOException
    {
        // The supply (genesis supply + minted - slashed) is refused only outside 0..2^63-1: both ends are read.
        final DposChain largest = records();
        largest.dpos.mintedMicroCmt = Long.MAX_VALUE - largest.dpos.genesisSupplyMicroCmt +
            largest.dpos.slashedMicroCmt;
        assertEquals(Long.MAX_VALUE, read(write(largest.dpos)).supplyMicroCmt());
        final DposState empty = new DposState(new DposParams());
        assertEquals(0, read(write(empty)).supplyMicroCmt());
    }

    @Test
    void shouldReadAStateFromBeforeGenesisClosesAndCloseItAsTheWrittenOneWould() throws IOException
    {
        // Before the first end of block (which closes genesis) no election has run: the candidates are unranked, no
        // one is elected, the proposer schedule is at height 0. Such a snapshot reads back, and closing its genesis
        // elects as closing the written one's does.
        final DposState open = new DposState(new DposParams().set(DposParams.MIN_DELEGATION, 100));
        open.genesisCandidate(address("A"), DposChain.key("A").publicKey(), 30_000, 100_000, 3_000, new byte[0]);
        open.genesisCandidate(address("B"), DposChain.key("B").publicKey(), 20_000, 100_000, 2_000, new byte[0]);
        open.genesisSupply(5_000);
        final DposState read = read(write(open));
        assertEquals(0, read.validatorCount());
        assertEquals(0, read.schedule.height());
        open.endBlock(null, 0);
        read.endBlock(null, 0);
        assertEquals(2, read.validatorCount());
        assertEquals(1, read.schedule.height());
        assertEquals(Arrays.toString(write(open)), Arrays.toString(write(read)));

        // A candidate ranked before genesis closes was ranked by no election.
        final DposState ranked = new DposState(new DposParams().set(DposParams.MIN_DELEGATION, 100));
        ranked.genesisCandidate(address("A"), DposChain.key("A").publicKey(), 30_000, 100_000, 3_000, new byte[0]);
        ranked.genesisSupply(3_000);
        final Candidate a = ranked.candidates.get(new ByteKey(address("A")));
        a.rankStakeMicroCmt = a.pooledMicroCmt();
        a.ranked = true;
        assertRefused(write(ranked), a() + ": ranked at 3000 µCMT, the election ranks it at 0 µCMT (none before " +
            "genesis closes)");
    }

    @Test
    void shouldRefuseACandidateRankedAtNoStake() throws IOException
    {
        // The ranking holds only candidates with stake: B, inactive with no rank stake and left out of the one seat
        // anyway, flagged ranked would be put in the read state's ranking at 0 µCMT.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":1,\"maxBackups\":0," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 20_000, 100_000, 2_000) +
            "]");
        read(write(c.dpos));
        final Candidate b = c.candidate("B");
        b.active = false;
        b.rankStakeMicroCmt = 0;
        b.ranked = true;
        assertRefused(write(c.dpos), "candidate " + b.owner + ": ranked at 0 µCMT, the election ranks it at 0 µCMT " +
            "(not eligible)");
    }

    @Test
    void shouldCheckASnapshotPastHeightZeroAgainstTheElectionWhateverItsGenesisFlag() throws IOException
    {
        // Past height 0 every block end has elected, whether or not the genesis flag (which nothing past height 0
        // reads) says closed: a snapshot there that shows no election run is refused, the schedule at height 0 or
        // the candidates unranked and no one elected.
        assertRefused(c ->
        {
            c.dpos.genesisClosed = false;
            c.dpos.schedule.height(0);
        }, "proposer schedule: height 0, the election at the end of block 3 advanced it to 4");
        assertRefused(c ->
        {
            c.dpos.genesisClosed = false;
            for (final Candidate cand : c.dpos.candidates.values())
            {
                cand.rankStakeMicroCmt = 0;
                cand.ranked = false;
                cand.votingPower = 0;
                cand.role = Candidate.ROLE_CANDIDATE;
            }
            c.dpos.validators = new Candidate[0];
            c.dpos.validatorPower = new long[0];
            c.dpos.powerCapMicroCmt = 0;
            c.dpos.schedule.update(new byte[0][], new long[0], 0);
            c.dpos.schedule.height(4);
        }, ": unranked at 0 µCMT, the election ranks it at ");
    }

    /** A validator (A) and a backup (B): one seat of each, A with more stake. */
    private static DposChain backup() throws IOException
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":1,\"maxBackups\":1," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 20_000, 100_000, 2_000) +
            "]");
        c.block("");
        assertEquals(1, c.dpos.validators.length);
        assertSame(c.candidate("B"), c.dpos.backups[0]);
        assertEquals(Candidate.ROLE_BACKUP, c.candidate("B").role);
        read(write(c.dpos));
        return c;
    }

    @Test
    void shouldRefuseBackupsTheElectionDoesNotGiveTheStakes() throws IOException
    {
        final String b = new ByteKey(address("B")).toString();
        // A backup's power (and votingPower) is min(stake, cap) as a validator's is.
        final DposChain power = backup();
        power.dpos.backupPower[0]++;
        power.candidate("B").votingPower++;
        assertRefused(write(power.dpos), "backups: power of " + b + " is 2001 (votingPower 2001), the election " +
            "gives min(stake 2000, cap 5000) = 2000");
        // The seat the election fills is not left empty.
        final DposChain dropped = backup();
        dropped.dpos.backups = new Candidate[0];
        dropped.dpos.backupPower = new long[0];
        dropped.candidate("B").role = Candidate.ROLE_CANDIDATE;
        assertRefused(write(dropped.dpos), "backups: 0 members, the election from the candidates' stakes gives 1");
        // A backup's role says it is one.
        final DposChain role = backup();
        role.candidate("B").role = Candidate.ROLE_VALIDATOR;
        assertRefused(write(role.dpos), "candidate " + b + ": role validator, but it is a backup");
        role.candidate("B").role = Candidate.ROLE_CANDIDATE;
        assertRefused(write(role.dpos), "candidate " + b + ": role candidate, but it is a backup");
    }

    @Test
    void shouldReadPreviousSetsWhosePowersAddUpToTheLargestALongHolds() throws IOException
    {
        // The previous sets are not the election's now (stakes have moved since): only their powers' sum is bounded,
        // refused past 2^63-1 (shouldRefuseSetsOutsideTheRules) and read up to it.
        final DposChain c = records();
        c.dpos.prevValidatorPower[0] = Long.MAX_VALUE - 1;
        c.dpos.prevValidatorPower[1] = 1;
        assertEquals(Long.MAX_VALUE - 1, read(write(c.dpos)).prevValidatorPower[0]);
    }

    @Test
    void shouldBoundAnEntrysMaturityWithoutWrappingNearTheLargestHeight() throws IOException
    {
        // At a height within unbondingBlocks of 2^63-1, height + unbondingBlocks is past any height: an entry that
        // matures after the height is read, not refused by a bound that wrapped negative.
        final DposChain c = records();
        final long height = Long.MAX_VALUE - 3;
        c.dpos.height = height;
        c.dpos.proposals.clear();
        c.dpos.schedule.height(height + 1);
        entry(c).matureHeight(height + 2);
        assertEquals(height + 2, read(write(c.dpos)).unbondingByHeight.firstKey());
        entry(c).matureHeight(height);
        assertRefused(write(c.dpos), "unbonding entry 1 matures at " + height + ", not after the height " + height);
    }

    /** Make proposal 1 of {@link #records()} a change of unbondingBlocks (to its value) that passed. */
    private static void changeUnbondingBlocks(final DposChain c)
    {
        proposal(c, 1, DposDescriptor.KIND_CHANGE_PARAM, DposParams.UNBONDING_BLOCKS, 5, 0);
        replace(c, 1, p ->
        {
            p.status = Proposal.PASSED;
            p.decidedHeight = 3;
        });
    }

    /** Update the proposer schedule with the validators and their powers as they now are, as the election does. */
    private static void reschedule(final DposState dpos)
    {
        final byte[][] addresses = new byte[dpos.validators.length][];
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] = dpos.validators[i].owner.bytes();
        }
        dpos.schedule.update(addresses, dpos.validatorPower, addresses.length);
    }

    private static Delegation delegation(final DposChain c, final String candidate, final String delegator)
    {
        return c.candidate(candidate).delegations.get(new ByteKey(address(delegator)));
    }

    /** The one unbonding entry of {@link #records()}, to be replaced by a copy with one field changed. */
    private static EntryEdit entry(final DposChain c)
    {
        return new EntryEdit(c);
    }

    /** Replaces the one unbonding entry by a copy with a field changed (its fields are final). */
    private static final class EntryEdit
    {
        private final java.util.ArrayList<UnbondingEntry> list;
        private final UnbondingEntry e;

        EntryEdit(final DposChain c)
        {
            list = c.dpos.unbondingByHeight.firstEntry().getValue();
            e = list.get(0);
        }

        void id(final long id)
        {
            list.set(0, new UnbondingEntry(id, e.delegator, e.candidate, e.pool, e.shares, e.fixedMicroCmt,
                e.matureHeight));
        }

        void shares(final long shares)
        {
            list.set(0, new UnbondingEntry(e.id, e.delegator, e.candidate, e.pool, shares, e.fixedMicroCmt,
                e.matureHeight));
        }

        void fixedMicroCmt(final long fixed)
        {
            list.set(0, new UnbondingEntry(e.id, e.delegator, e.candidate, e.pool, e.shares, fixed, e.matureHeight));
        }

        void matureHeight(final long height)
        {
            list.set(0, new UnbondingEntry(e.id, e.delegator, e.candidate, e.pool, e.shares, e.fixedMicroCmt, height));
        }
    }

    private static void replace(final DposChain c, final long id, final Consumer<Proposal> change)
    {
        change.accept(c.dpos.proposals.get(id));
    }

    /** Replace proposal {@code id} by one made and expiring at other heights (those fields are final). */
    private static void heights(final DposChain c, final long id, final long created, final long expiry)
    {
        final Proposal p = c.dpos.proposals.get(id);
        c.dpos.proposals.put(id, copy(p, p.from, p.to, created, expiry));
    }

    private static Proposal copy(
        final Proposal p, final ByteKey from, final ByteKey to, final long created, final long expiry)
    {
        final Proposal q = new Proposal(p.id, p.proposer, p.kind, p.paramId, p.value, from, to, p.amountMicroCmt,
            created, expiry);
        q.status = p.status;
        q.decidedHeight = p.decidedHeight;
        q.votes.putAll(p.votes);
        return q;
    }

    /** Replace proposal {@code id} by one of another kind, parameter, value and amount (those fields are final). */
    private static void proposal(
        final DposChain c, final long id, final int kind, final int paramId, final long value, final long amount)
    {
        final Proposal p = c.dpos.proposals.get(id);
        final Proposal q = new Proposal(p.id, p.proposer, kind, paramId, value, p.from, p.to, amount,
            p.createdHeight, p.expiryHeight);
        q.status = p.status;
        q.decidedHeight = p.decidedHeight;
        q.votes.putAll(p.votes);
        c.dpos.proposals.put(id, q);
    }
}
