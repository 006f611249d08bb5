package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A long randomised chain through the DPoS rules, its state written to a snapshot and read back ({@link DposCodec},
 * which refuses a snapshot that breaks an invariant the rules keep) every few blocks: every snapshot a real chain
 * makes must read back, with the digest the chain kept, and a chain that goes on from each snapshot must reach the
 * state roots of one that never stopped.
 * <p>
 * The chain is made to reach the corners the snapshot audit checks: inflation high enough that a share soon costs
 * thousands of µCMT (stakes that would buy no share, rejected INVALID_AMOUNT, from DELEGATE and UPDATE_CANDIDACY,
 * and commissions too small to buy a share), absence and double-sign slashing up to the highest rate, withdrawals
 * that move a pooled delegation to idle, unbonding payouts, withdrawn candidates whose pool 0 only unbonding entries
 * hold, new candidates, and governance that passes changes of blocksPerYear (with an inflation carry taken at the
 * old one), the minimum delegation, the self-stake and the slashing rates.
 */
class DposSnapshotRandomTest
{
    private static final int BLOCKS = 360;
    private static final int SNAPSHOT_EVERY = 3;
    private static final String[] CANDIDATES = {"c0", "c1", "c2", "c3", "c4", "c5"};
    private static final String[] NEWCOMERS = {"n0", "n1", "n2", "n3", "n4", "n5"};
    private static final String PARAMS = "\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3," +
        "\"proposalExpiryBlocks\":4,\"maxMissedBlocks\":2,\"absenceSlashPpm\":50000,\"doubleSignSlashPpm\":200000," +
        "\"maxValidators\":3,\"maxBackups\":2,\"validatorCapPpm\":400000,\"inflationPpm\":1000000," +
        "\"blocksPerYear\":37,\"inflationBaseMicroCmt\":100000000000000";
    /** Parameters a proposal changes, with the range its value is drawn from. */
    private static final long[][] PROPOSABLE = {
        {DposParams.BLOCKS_PER_YEAR, 1, 60}, {DposParams.BLOCKS_PER_YEAR, 1, 100_000},
        {DposParams.MIN_DELEGATION, 1, 20_000}, {DposParams.SELF_STAKE_PPM, 1, 300_000},
        {DposParams.INFLATION_PPM, 200_000, 1_000_000}, {DposParams.ABSENCE_SLASH_PPM, 0, 999_999},
        {DposParams.DOUBLE_SIGN_SLASH_PPM, 0, 999_999}, {DposParams.UNBONDING_BLOCKS, 1, 6},
        {DposParams.VALIDATOR_CAP_PPM, 1, 1_000_000}, {DposParams.MAX_VALIDATORS, 1, 5},
        {DposParams.VALIDATOR_SHARE_PPM, 0, 1_000_000}};

    @Test
    void shouldReadBackEverySnapshotOfARandomChainWithItsDigest()
    {
        final Coverage coverage = new Coverage();
        for (long seed = 1; seed <= 3; seed++)
        {
            final List<byte[]> straight = new Run(seed, 11, false, seed == 2, new Coverage()).run();
            final List<byte[]> restored = new Run(seed, 99, true, seed == 2, coverage).run();
            assertEquals(straight.size(), restored.size());
            for (int i = 0; i < straight.size(); i++)
            {
                assertArrayEquals(straight.get(i), restored.get(i), "seed " + seed + " block " + (i + 1) +
                    ": the chain restored from snapshots went another way");
            }
        }
        // The runs must reach what the snapshot audit is there for, or they prove little.
        assertTrue(coverage.snapshots > 300, "snapshots read: " + coverage.snapshots);
        assertTrue(coverage.noShare[DELEGATE] > 0, "no DELEGATE was refused for buying no share");
        assertTrue(coverage.noShare[UPDATE_CANDIDACY] > 0, "no UPDATE_CANDIDACY was refused for buying no share");
        assertTrue(coverage.committed[WITHDRAW_CANDIDACY] > 0, "no candidacy was withdrawn");
        assertTrue(coverage.committed[DECLARE_CANDIDACY] > 0, "no candidacy was declared");
        assertTrue(coverage.committed[DOUBLE_SIGN_EVIDENCE] > 0, "no double-sign slash");
        assertTrue(coverage.entriesOnlyPool0 > 0,
            "no snapshot had a withdrawn candidate's pool 0 held by entries only");
        assertTrue(coverage.idleDelegations > 0, "no snapshot had an idle delegation");
        assertTrue(coverage.extraPools > 0, "no snapshot had a pool below a candidate's commission");
        assertTrue(coverage.sharePriceAbove1000 > 0, "no snapshot had a share worth 1,000 µCMT or more");
        assertTrue(coverage.passed[DposParams.BLOCKS_PER_YEAR] > 0, "no change of blocksPerYear passed");
        assertTrue(coverage.carryAboveBlocksPerYear > 0,
            "no snapshot had an inflation carry above the blocksPerYear in force");
        assertTrue(coverage.passed[DposParams.MIN_DELEGATION] > 0, "no change of the minimum delegation passed");
        assertTrue(coverage.passed[DposParams.SELF_STAKE_PPM] > 0, "no change of the self-stake passed");
        // What the election, schedule and maturity checks of a snapshot must take as the rules make it.
        assertTrue(coverage.cappedPowers > 0, "no snapshot had a power cut at the cap");
        assertTrue(coverage.backups > 0, "no snapshot had a backup");
        assertTrue(coverage.entriesPastUnbondingBlocks > 0,
            "no snapshot had an entry maturing later than the unbondingBlocks in force allows (lowered since)");
        // The snapshots' proposal heights are checked by status: open, expired, and decided by the tally (passed or
        // rejected; passed_not_executed is decided as passed is).
        for (final int status : new int[]{Proposal.OPEN, Proposal.PASSED, Proposal.REJECTED, Proposal.EXPIRED})
        {
            assertTrue(coverage.proposalStatus[status] > 0, "no proposal ended " + Proposal.STATUS_NAMES[status]);
        }
    }

    /** What the runs reached, added up over the seeds. */
    private static final class Coverage
    {
        int snapshots;
        final int[] noShare = new int[256];
        final int[] committed = new int[256];
        final int[] passed = new int[DposParams.PARAM_COUNT + 1];
        final int[] proposalStatus = new int[Proposal.STATUS_NAMES.length];
        int entriesOnlyPool0;
        int idleDelegations;
        int extraPools;
        int sharePriceAbove1000;
        int carryAboveBlocksPerYear;
        int cappedPowers;
        int backups;
        int entriesPastUnbondingBlocks;
    }

    /** One seeded run; the table seed changes only the account table's layout, never the outcome. */
    private static final class Run extends RandomDposChain
    {
        private final boolean restore;
        private final Coverage coverage;

        Run(final long seed, final long tableSeed, final boolean restore, final boolean compound,
            final Coverage coverage)
        {
            super(seed, tableSeed, false, PARAMS + ",\"compoundOnSupply\":" + compound, CANDIDATES, 50_000_000_000L,
                NEWCOMERS, 50_000_000_000L);
            this.restore = restore;
            this.coverage = coverage;
        }

        List<byte[]> run()
        {
            final List<byte[]> roots = new ArrayList<>();
            for (int block = 1; block <= BLOCKS; block++)
            {
                final List<byte[]> frames = frames(14);
                votes(frames);
                final int[] statuses = block(frames);
                for (int i = 0; i < statuses.length; i++)
                {
                    final int type = types.get(i);
                    if (statuses[i] == ReceiptStatus.OK.value())
                    {
                        coverage.committed[type]++;
                    }
                    else if (statuses[i] == ReceiptStatus.INVALID_AMOUNT.value())
                    {
                        coverage.noShare[type]++;
                    }
                }
                types.clear();
                c.resyncNonces();
                c.checkConservation();
                roots.add(c.state.stateRoot());
                if (block % SNAPSHOT_EVERY == 0)
                {
                    snapshot(block);
                }
            }
            for (final Proposal p : c.dpos.proposals.values())
            {
                coverage.proposalStatus[p.status]++;
                if (p.status == Proposal.PASSED && p.kind == KIND_CHANGE_PARAM)
                {
                    coverage.passed[p.paramId]++;
                }
            }
            assertMintedSlashedAndPaidOut();
            return roots;
        }

        /**
         * Write the DPoS state to a snapshot and read it back: it must read, with the digest kept block by block. The
         * restoring run goes on from what it read, as a node restarted from the snapshot would.
         */
        private void snapshot(final int block)
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DposState read;
            try (DataOutputStream out = new DataOutputStream(bytes))
            {
                DposCodec.write(c.dpos, out);
                read = DposCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            }
            catch (final IOException ex)
            {
                fail("seed " + seed + " block " + block + ": the chain's own snapshot was refused: " + ex.getMessage(),
                    ex);
                return;
            }
            final byte[] kept = new byte[32];
            final byte[] readBack = new byte[32];
            c.dpos.digest(kept, 0);
            read.digest(readBack, 0);
            assertArrayEquals(kept, readBack, "seed " + seed + " block " + block + ": the snapshot's digest");
            note(c.dpos);
            if (restore)
            {
                final byte[] root = c.state.stateRoot();
                c.reloadDpos();
                assertArrayEquals(root, c.state.stateRoot(), "seed " + seed + " block " + block + ": restored");
            }
        }

        private void note(final DposState dpos)
        {
            coverage.snapshots++;
            if (dpos.inflationCarry >= dpos.params.get(DposParams.BLOCKS_PER_YEAR))
            {
                coverage.carryAboveBlocksPerYear++;
            }
            coverage.backups += dpos.backups.length;
            for (final Candidate k : dpos.validators)
            {
                coverage.cappedPowers += k.votingPower < k.rankStakeMicroCmt ? 1 : 0;
            }
            if (!dpos.unbondingByHeight.isEmpty() &&
                dpos.unbondingByHeight.lastKey() > dpos.height + dpos.params.get(DposParams.UNBONDING_BLOCKS))
            {
                coverage.entriesPastUnbondingBlocks++;
            }
            for (final Candidate k : dpos.candidates.values())
            {
                final StakePool pool0 = k.pools.get(0);
                if (k.withdrawn && k.delegations.isEmpty() && pool0.valueMicroCmt > 0)
                {
                    coverage.entriesOnlyPool0++;
                }
                if (k.idleMicroCmt > 0)
                {
                    coverage.idleDelegations++;
                }
                if (k.pools.size() > 1)
                {
                    coverage.extraPools++;
                }
                if (pool0.totalShares > 0 && pool0.valueMicroCmt / pool0.totalShares >= 1_000)
                {
                    coverage.sharePriceAbove1000++;
                }
            }
        }

        /** @return mostly a candidate that has not withdrawn, now and then any (or a newcomer not yet declared). */
        @Override
        String anyCandidate()
        {
            final List<String> live = new ArrayList<>();
            // In address order: the map's own order is its hash table's, which a restored state may lay out anew.
            for (final Candidate k : new java.util.TreeMap<>(c.dpos.candidates).values())
            {
                if (!k.withdrawn)
                {
                    live.add(label(k));
                }
            }
            if (live.isEmpty() || random.nextInt(5) == 0)
            {
                return super.anyCandidate();
            }
            return live.get(random.nextInt(live.size()));
        }

        /** Most validators vote yes on most open proposals, so that changes pass. */
        private void votes(final List<byte[]> frames)
        {
            for (final Proposal p : c.dpos.proposals.values())
            {
                if (p.status != Proposal.OPEN)
                {
                    continue;
                }
                for (final Candidate v : c.dpos.validators)
                {
                    if (random.nextInt(10) < 7)
                    {
                        types.add(VOTE);
                        frames.add(c.tx(label(v), VOTE, DposBodies.vote(p.id, random.nextInt(6) == 0 ? 0 : 1)));
                    }
                }
            }
        }

        /** An amount at one of several scales: about a share's price now and then, after high inflation. */
        @Override
        long amount()
        {
            final int scale = random.nextInt(5);
            return scale == 0 ? 1 + random.nextInt(2_000) : scale == 1 ? 1 + random.nextInt(2_000_000_000) :
                scale == 2 ? 1 + random.nextInt(50_000) : scale == 3 ? 1 + random.nextInt(20) : random.nextInt(3) - 1;
        }

        /** A random amount, or now and then all but less than the minimum delegation of the delegation. */
        @Override
        long withdrawal(final String candidate, final String delegator)
        {
            final Delegation d = delegation(candidate, delegator);
            if (d == null || random.nextInt(3) != 0)
            {
                return amount();
            }
            final long value = d.valueMicroCmt();
            final long min = Math.min(c.dpos.params.minDelegationMicroCmt(), 1_000_000);
            return random.nextBoolean() ? value : Math.max(1, value - 1 - random.nextInt((int)Math.max(1, min - 1)));
        }

        @Override
        byte[] randomTx(final long height)
        {
            final String candidate = anyCandidate();
            final String delegator = delegator(candidate);
            final int op = random.nextInt(100);
            if (op < 24)
            {
                return delegate(candidate, delegator);
            }
            if (op < 40)
            {
                return withdraw(candidate, delegator);
            }
            if (op < 50)
            {
                // Mostly one of the candidate's delegators, at a few rates, so that existing pools are moved into.
                final byte[] to = compRateTarget(candidate, false);
                final int rate = random.nextInt(4) == 0 ? random.nextInt(400_000) : 10_000 * random.nextInt(4);
                return tx(candidate, SET_COMP_RATE, DposBodies.setCompRate(to, rate));
            }
            if (op < 54)
            {
                return activateOrDeactivate(candidate);
            }
            if (op < 62)
            {
                // A raise of a few µCMT charges a self-stake of 0 or 1 µCMT, below a share's price.
                final long max = maxStake(candidate);
                final long raise =
                    random.nextBoolean() ? 1 + random.nextInt(40) : random.nextInt(4_000_000) - 1_000_000;
                return tx(candidate, UPDATE_CANDIDACY, DposBodies.updateCandidacy(max + raise, new byte[2]));
            }
            if (op < 64)
            {
                // Not the last few: a chain of withdrawn candidates would refuse most of what follows.
                int live = 0;
                for (final Candidate k : c.dpos.candidates.values())
                {
                    live += k.withdrawn ? 0 : 1;
                }
                return live > 5 && random.nextInt(3) == 0 ? tx(candidate, WITHDRAW_CANDIDACY, DposBodies.empty()) :
                    tx(candidate, ACTIVATE_CANDIDACY, DposBodies.empty());
            }
            if (op < 68)
            {
                return declareCandidacy();
            }
            if (op < 70)
            {
                return verifyCandidacy();
            }
            if (op < 75)
            {
                return doubleSignEvidence(height - 1);
            }
            if (op < 86)
            {
                if (random.nextInt(4) == 0)
                {
                    return proposeTransferFund();
                }
                final long[] p = PROPOSABLE[random.nextInt(PROPOSABLE.length)];
                final long value = p[1] + (long)(random.nextDouble() * (p[2] - p[1] + 1));
                return tx(member(), PROPOSE, DposBodies.proposeChangeParam((int)p[0], Math.min(p[2], value)));
            }
            final String sender = random.nextBoolean() ? pick(USERS) : candidate;
            final byte[] body = new byte[28];
            System.arraycopy(address(pick(USERS)), 0, body, 0, 20);
            new org.agrona.concurrent.UnsafeBuffer(body).putLong(20, 1 + random.nextInt(1_000),
                java.nio.ByteOrder.LITTLE_ENDIAN);
            return tx(sender, io.cmtchain.engine.tx.TxTypes.TRANSFER, body);
        }
    }
}
