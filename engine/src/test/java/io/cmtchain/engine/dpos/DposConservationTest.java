package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomised blocks of every staking operation. After every block: genesis + minted - slashed equals every balance,
 * the fee pool, every pool, idle delegation and unbonding entry (walked, not trusted); the award paid adds up to
 * minted + fees; the incrementally maintained election equals a from-scratch sort of every candidate; and two runs
 * of the same blocks on differently seeded account tables reach the same state root, the second reloading its DPoS
 * state from a snapshot after every block.
 */
class DposConservationTest
{
    private static final int CANDIDATES = 30;
    private static final int DELEGATORS = 20;
    private static final String PARAMS = "\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":4," +
        "\"proposalExpiryBlocks\":5,\"maxMissedBlocks\":3,\"absenceSlashPpm\":10000,\"doubleSignSlashPpm\":1000," +
        "\"inflationBaseMicroCmt\":1000000000000";

    @Test
    void shouldConserveSupplyAndElectCorrectlyOverRandomBlocks()
    {
        for (long seed = 1; seed <= 3; seed++)
        {
            final List<byte[]> rootsA = run(seed, 11, false);
            final List<byte[]> rootsB = run(seed, 99, true);
            assertEquals(rootsA.size(), rootsB.size());
            for (int i = 0; i < rootsA.size(); i++)
            {
                assertArrayEquals(rootsA.get(i), rootsB.get(i), "seed " + seed + " block " + (i + 1));
            }
        }
    }

    @Test
    void shouldCommitTheDposStateToTheStateRoot()
    {
        // A block without transactions or award changes no account and not the fee pool: only the DPoS state moves
        // (its height, the proposer schedule), and the state root must move with it. So must the parameters.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]");
        final byte[] before = c.state.stateRoot();
        c.block("");
        assertFalse(Arrays.equals(before, c.state.stateRoot()));
        final byte[] digest = new byte[32];
        c.dpos.digest(digest, 0);
        assertFalse(Arrays.equals(new byte[32], digest));

        // Two genesis states that differ only in a parameter nothing has used yet differ in their roots.
        final DposChain other = new DposChain(0, DposRewardTest.SMALL + ",\"proposalExpiryBlocks\":7," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "]");
        assertFalse(Arrays.equals(before, other.state.stateRoot()));
    }

    @Test
    void shouldHaveTheAuditFailOnAnyImbalance()
    {
        // The audit is what every conservation check here relies on: it must fail when the books do not add up.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":5,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "dan", 1_000, "eve", 50);
        c.block("", c.tx("dan", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 1_000)),
            c.tx("eve", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 50)));
        c.block("", c.tx("dan", DposDescriptor.WITHDRAW, DposBodies.stake(address("A"), 400)));
        assertEquals(4_050, c.dpos.auditHeldMicroCmt());
        c.checkConservation();

        final Candidate a = c.candidate("A");
        final Delegation eve = a.delegations.get(new ByteKey(address("eve")));
        eve.idleMicroCmt++;
        assertThrows(IllegalStateException.class, c.dpos::auditHeldMicroCmt);
        eve.idleMicroCmt--;
        final Delegation dan = a.delegations.get(new ByteKey(address("dan")));
        dan.shares++;
        assertThrows(IllegalStateException.class, c.dpos::auditHeldMicroCmt);
        dan.shares--;
        a.pools.get(0).totalShares++;
        assertThrows(IllegalStateException.class, c.dpos::auditHeldMicroCmt);
        a.pools.get(0).totalShares--;
        a.pools.get(0).valueMicroCmt++;
        assertThrows(IllegalStateException.class, c.dpos::auditHeldMicroCmt);
        a.pools.get(0).valueMicroCmt--;
        assertEquals(4_050, c.dpos.auditHeldMicroCmt());
        // Shares without value, however the count is made to agree: StakePool's invariant.
        final long value = a.pools.get(0).valueMicroCmt;
        a.pools.get(0).valueMicroCmt = 0;
        c.dpos.heldMicroCmt -= value;
        assertThrows(IllegalStateException.class, c.dpos::auditHeldMicroCmt);
        a.pools.get(0).valueMicroCmt = value;
        c.dpos.heldMicroCmt += value;
        assertEquals(4_050, c.dpos.auditHeldMicroCmt());
    }

    private static List<byte[]> run(final long seed, final long tableSeed, final boolean reload)
    {
        final Random random = new Random(seed);
        final StringBuilder candidates = new StringBuilder();
        final List<Object> balances = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++)
        {
            final long stake = 10_000 + random.nextInt(2_000_000);
            candidates.append(i == 0 ? "" : ",").append(candidate("c" + i, stake * 20, 1 + random.nextInt(500_000),
                stake * 2));
            balances.add("c" + i);
            balances.add(100_000_000L);
        }
        for (int i = 0; i < DELEGATORS; i++)
        {
            balances.add("d" + i);
            balances.add(50_000_000L);
        }
        final DposChain c = new DposChain(tableSeed, 3, PARAMS + ",\"candidates\":[" + candidates + "]",
            balances.toArray());
        final List<byte[]> roots = new ArrayList<>();
        if (reload)
        {
            final byte[] genesis = c.state.stateRoot();
            c.reloadDpos();
            assertArrayEquals(genesis, c.state.stateRoot(), "snapshot of genesis");
        }
        for (int block = 1; block <= 40; block++)
        {
            final List<byte[]> frames = new ArrayList<>();
            final int n = random.nextInt(12);
            for (int t = 0; t < n; t++)
            {
                frames.add(randomTx(c, random));
            }
            final byte[][] signers = new byte[c.dpos.validators.length][];
            int count = 0;
            for (final Candidate v : c.dpos.validators)
            {
                if (random.nextInt(10) < 8)
                {
                    signers[count++] = v.owner.bytes();
                }
            }
            c.block(Arrays.copyOf(signers, count), frames.toArray(new byte[0][]));
            c.checkConservation();
            long paid = 0;
            for (int i = 0; i < c.dpos.awardRecipients.size(); i++)
            {
                paid += c.dpos.awardAmounts[i];
            }
            assertEquals(c.dpos.awardMintedMicroCmt + c.dpos.awardFeesMicroCmt, paid, "award at block " + block);
            checkElection(c.dpos);
            roots.add(c.state.stateRoot());
            if (reload)
            {
                // The run on the other table goes on from a snapshot of its DPoS state after every block: the digest
                // rebuilt from every record must equal the one kept up to date (a record changed but not marked
                // dirty would differ), and the restored state must run on as the other run's (the roots compared).
                c.reloadDpos();
                assertArrayEquals(roots.get(roots.size() - 1), c.state.stateRoot(), "snapshot at block " + block);
                checkElection(c.dpos);
            }
        }
        // The run must have exercised absence slashing and unbonding payouts, or it proves little.
        assertTrue(c.dpos.mintedMicroCmt() > 0);
        assertTrue(c.dpos.slashedMicroCmt() > 0, "no absence slashing happened");
        assertTrue(c.dpos.nextUnbondingId > 10, "too few withdrawals");
        assertTrue(c.dpos.unbondingByHeight.size() < c.dpos.nextUnbondingId - 1, "no entry matured");
        return roots;
    }

    private static byte[] randomTx(final DposChain c, final Random random)
    {
        final String candidate = "c" + random.nextInt(CANDIDATES);
        final String delegator = random.nextBoolean() ? "d" + random.nextInt(DELEGATORS) : candidate;
        final int op = random.nextInt(100);
        if (op < 40)
        {
            final long amount = random.nextBoolean() ? 1 + random.nextInt(2_000) : 1 + random.nextInt(3_000_000);
            return c.tx(delegator, DposDescriptor.DELEGATE, DposBodies.stake(address(candidate), amount));
        }
        if (op < 70)
        {
            final long amount = 1 + random.nextInt(random.nextBoolean() ? 5_000 : 3_000_000);
            return c.tx(delegator, DposDescriptor.WITHDRAW, DposBodies.stake(address(candidate), amount));
        }
        if (op < 78)
        {
            return c.tx(candidate, DposDescriptor.SET_COMP_RATE,
                DposBodies.setCompRate(address("d" + random.nextInt(DELEGATORS)), random.nextInt(300_000)));
        }
        if (op < 86)
        {
            return c.tx(candidate, random.nextBoolean() ? DposDescriptor.ACTIVATE_CANDIDACY :
                DposDescriptor.DEACTIVATE_CANDIDACY, DposBodies.empty());
        }
        if (op < 92)
        {
            final Candidate k = c.candidate(candidate);
            return c.tx(candidate, DposDescriptor.UPDATE_CANDIDACY,
                DposBodies.updateCandidacy(k.maxStakeMicroCmt + random.nextInt(1_000_000) - 200_000, new byte[3]));
        }
        if (op < 94)
        {
            return c.tx(candidate, DposDescriptor.WITHDRAW_CANDIDACY, DposBodies.empty());
        }
        return c.tx(delegator, io.cmtchain.engine.tx.TxTypes.TRANSFER,
            transferBody(address("d0"), 1 + random.nextInt(1000)));
    }

    private static byte[] transferBody(final byte[] to, final long amount)
    {
        final byte[] body = new byte[28];
        System.arraycopy(to, 0, body, 0, 20);
        for (int i = 0; i < 8; i++)
        {
            body[20 + i] = (byte)(amount >>> (8 * i));
        }
        return body;
    }

    /** Brute force: rank every eligible candidate from scratch and compare with the incremental result. */
    static void checkElection(final DposState dpos)
    {
        final List<Candidate> all = new ArrayList<>();
        for (final Candidate k : dpos.candidates.values())
        {
            if (k.eligible() && k.pooledMicroCmt() > 0)
            {
                all.add(k);
            }
        }
        all.sort((a, b) ->
        {
            final int x = Long.compare(b.pooledMicroCmt(), a.pooledMicroCmt());
            return x != 0 ? x : a.owner.compareTo(b.owner);
        });
        final int seats = Math.min(all.size(), dpos.params.maxValidators() + dpos.params.maxBackups());
        long total = 0;
        for (int i = 0; i < seats; i++)
        {
            total += all.get(i).pooledMicroCmt();
        }
        final long cap = total == 0 ? 0 : Math.max(1, MulDiv.ppm(total, dpos.params.get(DposParams.VALIDATOR_CAP_PPM)));
        final List<Candidate> elected = new ArrayList<>(all.subList(0, seats));
        final long[] power = new long[seats];
        elected.sort((a, b) ->
        {
            final int x = Long.compare(Math.min(b.pooledMicroCmt(), cap), Math.min(a.pooledMicroCmt(), cap));
            return x != 0 ? x : a.owner.compareTo(b.owner);
        });
        for (int i = 0; i < seats; i++)
        {
            power[i] = Math.min(elected.get(i).pooledMicroCmt(), cap);
        }
        final int v = Math.min(seats, dpos.params.maxValidators());
        assertEquals(v, dpos.validators.length);
        assertEquals(seats - v, dpos.backups.length);
        for (int i = 0; i < v; i++)
        {
            assertEquals(elected.get(i), dpos.validators[i], "validator " + i);
            assertEquals(power[i], dpos.validatorPower[i]);
        }
        for (int i = v; i < seats; i++)
        {
            assertEquals(elected.get(i), dpos.backups[i - v], "backup " + (i - v));
            assertEquals(power[i], dpos.backupPower[i - v]);
        }
    }
}
