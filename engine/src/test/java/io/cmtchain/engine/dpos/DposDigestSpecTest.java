package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static io.cmtchain.engine.dpos.DposDescriptor.DECLARE_CANDIDACY;
import static io.cmtchain.engine.dpos.DposDescriptor.DELEGATE;
import static io.cmtchain.engine.dpos.DposDescriptor.PROPOSE;
import static io.cmtchain.engine.dpos.DposDescriptor.WITHDRAW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DPoS digest (part of the state root, so consensus) against its specification, written out here and in
 * docs/dpos.md ("DPoS digest layout"). Every integer is 8 bytes little-endian (two's complement); addresses are their
 * 20 bytes, roots their 32:
 * <pre>
 *   dposDigest = SHA-256(
 *       "CMTCHAIN/DPOS/V1"
 *       height, genesisSupply, minted, slashed, held, inflationCarry, yearBase, nextUnbondingId, nextProposalId
 *       params:   value of ids 1..13 in id order, inflationBase, compoundOnSupply (1 byte: 0 or 1), foundation
 *       candidatesRoot, delegationsRoot, unbondingRoot, proposalsRoot
 *       set(validators), set(backups), set(previous validators), set(previous backups)
 *       schedule: height, proposer index (-1 with no validators), n, then n x (address, power, priority))
 *   set(s)     = count, then count x (owner address, voting power), in rank order
 * </pre>
 * The digest is recomputed here with the JDK's SHA-256 from values read through accessors, at every height of a
 * chain whose current and previous validator and backup sets are all non-empty and differ (a delegation moves a
 * backup into the validators, a new candidate joins, a validator withdraws below a backup), and one digest is pinned
 * as a golden value so that any change to the layout fails here.
 */
class DposDigestSpecTest
{
    private static final int OK = io.cmtchain.engine.codec.ReceiptStatus.OK.value();
    private static final int HEIGHTS = 8;

    /** The digest after block {@link #HEIGHTS} of {@link #scenario}; changing the layout changes it. */
    private static final String GOLDEN_DIGEST =
        "6cd23cbe2791f6f0c1a4b55e261fc9ae770b77c803c63041a97e1ed5913a6173";

    @Test
    void shouldDigestExactlyTheSpecifiedFieldsAtEveryHeight()
    {
        final List<String> digests = scenario(true);
        assertEquals(HEIGHTS + 1, digests.size());
        // Every height's state is different (at least its height and schedule are), so are its digests.
        assertEquals(digests.size(), digests.stream().distinct().count());
    }

    @Test
    void shouldKeepTheGoldenDigest()
    {
        final List<String> digests = scenario(false);
        assertEquals(GOLDEN_DIGEST, digests.get(HEIGHTS), "DPoS digest at height " + HEIGHTS);
    }

    /**
     * Six genesis candidates for three validator seats and two backup seats, then blocks that reshuffle the sets.
     *
     * @param checkSpec recompute the digest from the specification after genesis and every block.
     * @return the digest (hex) at heights 0..{@link #HEIGHTS}.
     */
    private static List<String> scenario(final boolean checkSpec)
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":3,\"maxBackups\":2," +
            "\"unbondingBlocks\":20,\"candidates\":[" +
            candidate("A", 50_000, 100_000, 5_000) + "," +
            candidate("B", 20_000, 200_000, 4_000) + "," +
            candidate("C", 30_000, 50_000, 3_000) + "," +
            candidate("D", 20_000, 150_000, 2_000) + "," +
            candidate("E", 10_000, 100_000, 1_000) + "," +
            candidate("F", 5_000, 100_000, 500) + "]",
            "dan", 10_000, "eve", 10_000, "A", 10, "B", 10);
        final List<String> digests = new ArrayList<>();
        final Sets[] sets = new Sets[HEIGHTS + 1];
        sets[0] = check(c, checkSpec, digests, null);
        assertEquals(List.of("A", "B", "C"), names(c.dpos.validators));
        assertEquals(List.of("D", "E"), names(c.dpos.backups));

        // 1: dan's 2,500 takes D (4,500) past B and C: D validates, C is a backup.
        assertOk(c.block(previousValidators(c), c.tx("dan", DELEGATE, DposBodies.stake(address("D"), 2_500))));
        sets[1] = check(c, checkSpec, digests, sets[0]);
        assertEquals(List.of("A", "D", "B"), names(c.dpos.validators));
        assertEquals(List.of("C", "E"), names(c.dpos.backups));

        // 2: eve declares with 3,500 (10% of 35,000) and pushes E out of the backups.
        assertOk(c.block(previousValidators(c), c.tx("eve", DECLARE_CANDIDACY,
            DposBodies.declareCandidacy(key("eve").publicKey(), 35_000, 120_000, new byte[0]))));
        sets[2] = check(c, checkSpec, digests, sets[1]);
        assertEquals(List.of("A", "D", "B"), names(c.dpos.validators));
        assertEquals(List.of("eve", "C"), names(c.dpos.backups));

        // 3: dan's 1,500 takes eve past D and B (B's withdrawal stays in its pool, earning, until it matures): eve
        // validates, B is a backup. A proposes.
        assertOk(c.block(previousValidators(c), c.tx("dan", DELEGATE, DposBodies.stake(address("eve"), 1_500)),
            c.tx("B", WITHDRAW, DposBodies.stake(address("B"), 1_800)),
            c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.PROPOSAL_EXPIRY_BLOCKS, 100))));
        sets[3] = check(c, checkSpec, digests, sets[2]);
        assertEquals(List.of("A", "eve", "D"), names(c.dpos.validators));
        assertEquals(List.of("B", "C"), names(c.dpos.backups));

        // 4: D did not sign block 3 (a missed block); eve's 3,000 takes C from the backups to the top.
        final byte[][] withoutD = Arrays.stream(previousValidators(c))
            .filter(a -> !Arrays.equals(a, address("D"))).toArray(byte[][]::new);
        assertOk(c.block(withoutD, c.tx("eve", DELEGATE, DposBodies.stake(address("C"), 3_000))));
        sets[4] = check(c, checkSpec, digests, sets[3]);
        assertEquals(List.of("C", "A", "eve"), names(c.dpos.validators));
        assertEquals(List.of("B", "D"), names(c.dpos.backups));

        for (int h = 5; h <= HEIGHTS; h++)
        {
            c.block(previousValidators(c));
            sets[h] = check(c, checkSpec, digests, sets[h - 1]);
        }

        if (checkSpec)
        {
            // The scenario is what the digest is tested on: every set non-empty from height 1, and each current set
            // unlike its previous one at some height (members, or order and powers).
            boolean validatorsMoved = false;
            boolean backupsMoved = false;
            assertFalse(sets[0].validators.isEmpty() || sets[0].backups.isEmpty());
            for (int h = 1; h <= HEIGHTS; h++)
            {
                assertFalse(sets[h].validators.isEmpty() || sets[h].backups.isEmpty());
                validatorsMoved |= !sets[h].validatorNames.equals(sets[h - 1].validatorNames);
                backupsMoved |= !sets[h].backupNames.equals(sets[h - 1].backupNames);
            }
            assertTrue(validatorsMoved && backupsMoved);
            assertNotEquals(sets[HEIGHTS].validators, sets[HEIGHTS - 1].validators, "powers move every block");
            // The schedule's priorities are not trivial: not all equal, so they weigh in the digest.
            final ProposerPriority s = c.dpos.schedule();
            assertEquals(3, s.size());
            assertTrue(s.priority(0) != s.priority(1) || s.priority(1) != s.priority(2));
        }
        return digests;
    }

    /** A set as the test saw it: owner (hex) and power, in order; names for readable assertions. */
    private static final class Sets
    {
        final List<String> validators = new ArrayList<>();
        final List<String> backups = new ArrayList<>();
        final List<String> validatorNames = new ArrayList<>();
        final List<String> backupNames = new ArrayList<>();
    }

    private static Sets check(final DposChain c, final boolean checkSpec, final List<String> digests, final Sets last)
    {
        final DposState d = c.dpos;
        final byte[] actual = new byte[32];
        d.digest(actual, 0);
        digests.add(Hex.encode(actual));
        final Sets now = new Sets();
        for (int i = 0; i < d.validators.length; i++)
        {
            now.validators.add(Hex.encode(d.validators[i].owner.raw()) + ":" + d.validatorPower[i]);
            now.validatorNames.add(name(d.validators[i]));
        }
        for (int i = 0; i < d.backups.length; i++)
        {
            now.backups.add(Hex.encode(d.backups[i].owner.raw()) + ":" + d.backupPower[i]);
            now.backupNames.add(name(d.backups[i]));
        }
        if (!checkSpec)
        {
            return now;
        }
        // The previous sets are the current ones of the block before (empty at genesis).
        final List<String> prevValidators = new ArrayList<>();
        for (int i = 0; i < d.prevValidators.length; i++)
        {
            prevValidators.add(Hex.encode(d.prevValidators[i].owner.raw()) + ":" + d.prevValidatorPower[i]);
        }
        final List<String> prevBackups = new ArrayList<>();
        for (int i = 0; i < d.prevBackups.length; i++)
        {
            prevBackups.add(Hex.encode(d.prevBackups[i].owner.raw()) + ":" + d.prevBackupPower[i]);
        }
        assertEquals(last == null ? List.of() : last.validators, prevValidators, "previous validators");
        assertEquals(last == null ? List.of() : last.backups, prevBackups, "previous backups");
        // The schedule is over the current validators with their powers, and chooses the proposer of height + 1.
        final ProposerPriority s = d.schedule();
        assertEquals(d.validators.length, s.size());
        for (int i = 0; i < s.size(); i++)
        {
            assertArrayEquals(d.validators[i].owner.raw(), s.address(i));
            assertEquals(d.validatorPower[i], s.power(i));
        }
        assertEquals(d.height() + 1, s.height());
        assertArrayEquals(s.proposer(), s.size() == 0 ? null : s.address(s.proposerIndex()));

        assertEquals(Hex.encode(specDigest(d)), Hex.encode(actual), "DPoS digest at height " + d.height());
        // And the digest rebuilt from a snapshot of the state is the same.
        c.checkConservation();
        return now;
    }

    /** The digest from the specification in this class's comment, with the JDK's SHA-256. */
    private static byte[] specDigest(final DposState d)
    {
        final MessageDigest sha = sha256();
        sha.update("CMTCHAIN/DPOS/V1".getBytes(StandardCharsets.US_ASCII));
        u64(sha, d.height());
        u64(sha, d.genesisSupplyMicroCmt());
        u64(sha, d.mintedMicroCmt());
        u64(sha, d.slashedMicroCmt());
        u64(sha, d.heldMicroCmt());
        u64(sha, d.inflationCarry);
        u64(sha, d.yearBaseMicroCmt);
        u64(sha, d.nextUnbondingId);
        u64(sha, d.nextProposalId);

        final DposParams p = d.params();
        for (int id = 1; id <= DposParams.PARAM_COUNT; id++)
        {
            u64(sha, p.get(id));
        }
        u64(sha, p.inflationBaseMicroCmt());
        sha.update((byte)(p.compoundOnSupply() ? 1 : 0));
        sha.update(p.foundation());

        sha.update(d.candidatesRoot());
        sha.update(d.delegationsRoot());
        sha.update(d.unbondingRoot());
        sha.update(d.proposalsRoot());

        set(sha, d.validators, d.validatorPower);
        set(sha, d.backups, d.backupPower);
        set(sha, d.prevValidators, d.prevValidatorPower);
        set(sha, d.prevBackups, d.prevBackupPower);

        final ProposerPriority s = d.schedule();
        u64(sha, s.height());
        u64(sha, s.proposerIndex());
        u64(sha, s.size());
        for (int i = 0; i < s.size(); i++)
        {
            sha.update(s.address(i));
            u64(sha, s.power(i));
            u64(sha, s.priority(i));
        }
        return sha.digest();
    }

    private static void set(final MessageDigest sha, final Candidate[] members, final long[] power)
    {
        assertEquals(members.length, power.length);
        u64(sha, members.length);
        for (int i = 0; i < members.length; i++)
        {
            final byte[] owner = members[i].owner.bytes();
            assertEquals(20, owner.length);
            sha.update(owner);
            u64(sha, power[i]);
        }
    }

    private static void u64(final MessageDigest sha, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            sha.update((byte)(value >>> (8 * i)));
        }
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

    /** @return signers for the next block: every validator of the block before it (the previous set). */
    private static byte[][] previousValidators(final DposChain c)
    {
        final byte[][] signers = new byte[c.dpos.previousValidatorCount()][];
        for (int i = 0; i < signers.length; i++)
        {
            signers[i] = c.dpos.previousValidator(i);
        }
        return signers;
    }

    private static void assertOk(final int[] statuses)
    {
        for (final int status : statuses)
        {
            assertEquals(OK, status);
        }
    }

    private static final String[] LABELS = {"A", "B", "C", "D", "E", "F", "eve"};

    private static String name(final Candidate candidate)
    {
        for (final String label : LABELS)
        {
            if (Arrays.equals(address(label), candidate.owner.raw()))
            {
                return label;
            }
        }
        return candidate.owner.toString();
    }

    private static List<String> names(final Candidate[] set)
    {
        final List<String> names = new ArrayList<>();
        for (final Candidate candidate : set)
        {
            names.add(name(candidate));
        }
        return names;
    }
}
