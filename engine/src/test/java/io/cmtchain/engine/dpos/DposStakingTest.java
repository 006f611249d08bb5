package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.GenesisException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delegation, unbonding, the minimum delegation, slashing, missed blocks and the 12% cap. */
class DposStakingTest
{
    private static final int OK = ReceiptStatus.OK.value();

    @Test
    void shouldKeepEarningWhileUnbondingAndPayAtMaturity()
    {
        // unbondingBlocks 3. carol delegates 1,000 to A (3,000): A's pool 4,000.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":3,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "carol", 1_000);
        c.block("", c.tx("carol", DELEGATE, DposBodies.stake(address("A"), 1_000)));
        assertEquals(0, c.balance("carol"));
        // Block 2: carol withdraws everything: her 1,000 shares move to an unbonding entry maturing at 2 + 3 = 5.
        // The award of block 2 (1,000 to A, who was alone in block 1's set with power 3,000) is paid after the
        // withdrawal, into a pool of 4,000 whose shares are A 3,000 and the entry 1,000: the entry earns 1/4 of
        // 900 = 225 -> worth 1,225 (A's commission of 100 buys A shares: 100 * 4,000 / 4,900 = 81).
        c.block("A", c.tx("carol", WITHDRAW, DposBodies.stake(address("A"), 1_000)));
        assertNull(c.candidate("A").delegations.get(new ByteKey(address("carol"))));
        final UnbondingEntry e = c.dpos.unbondingByHeight.get(5L).get(0);
        assertEquals(1_000, e.shares);
        assertEquals(1_225, e.valueMicroCmt());
        c.block("A");
        c.block("A");
        assertEquals(0, c.balance("carol"));
        // Block 5: paid at its value then, after block 5's award.
        final long valueBefore5 = e.valueMicroCmt();
        c.block("A");
        assertTrue(c.balance("carol") > valueBefore5);
        assertTrue(c.dpos.unbondingByHeight.isEmpty());
        c.checkConservation();
    }

    @Test
    void shouldGiveNoPowerOrEarningsBelowTheMinimumDelegation()
    {
        // Minimum 100. dan delegates 99 (idle), then 1 more (100: pooled).
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 99)));
        assertEquals(99, c.candidate("A").idleMicroCmt);
        assertEquals(3_000, c.candidate("A").pooledMicroCmt());
        c.block("A");
        assertEquals(99, c.stake("A", "dan"));
        c.block("A", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1)));
        assertEquals(0, c.candidate("A").idleMicroCmt);
        final Delegation d = c.candidate("A").delegations.get(new ByteKey(address("dan")));
        assertTrue(d.shares > 0);
        // Withdrawing 50 leaves ~50 < 100: the rest leaves the pool and goes idle.
        c.block("A", c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 50)));
        assertEquals(0, d.shares);
        assertTrue(d.idleMicroCmt >= 50);
        c.checkConservation();
    }

    @Test
    void shouldUnstakeEveryDelegationWhenACandidacyIsWithdrawn()
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":2,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "]",
            "A", 10, "dan", 1_000, "eve", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 50)));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("A", WITHDRAW_CANDIDACY, DposBodies.empty())));
        assertTrue(c.candidate("A").delegations.isEmpty());
        assertEquals(3, c.dpos.unbondingByHeight.get(c.chain.height() + 2).size());
        assertEquals(1, c.dpos.validatorCount());
        c.block("");
        c.block("");
        assertEquals(1_000, c.balance("dan"));
        assertEquals(1_000, c.balance("eve"));
        assertEquals(3_010, c.balance("A"));
        assertEquals(0, c.candidate("A").totalStakeMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldSlashATenthOfAPercentAndDeactivateOnDoubleSign()
    {
        // Defaults: 0.1%. A's pool 3,000,000 -> slashed 3,000; dan's idle 50 -> floor(0.05) = 0.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"candidates\":[" +
            candidate("A", 30_000_000, 100_000, 3_000_000) + "," + candidate("B", 30_000_000, 100_000, 3_000_000) +
            "]", "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 50)));
        final long supply = c.dpos.supplyMicroCmt();
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence)));
        assertEquals(2_997_000, c.candidate("A").pooledMicroCmt());
        assertEquals(3_000, c.dpos.slashedMicroCmt());
        assertEquals(supply - 3_000, c.dpos.supplyMicroCmt());
        assertFalse(c.candidate("A").active);
        assertEquals(1, c.dpos.validatorCount());
        c.checkConservation();
    }

    @Test
    void shouldStopBeforeTheTotalSlashedPassesLongMaxLeavingThePoolsAsTheyWere()
    {
        // The total slashed is a counter of the whole chain's history (the supply is genesis + minted - slashed), so
        // it can near 2^63-1 where minting has made up for as much (set directly here: governance at 100% a one-block
        // year, with slashes at 99.9999%, gets there in some thousands of blocks). slash() lowered every pool and
        // idle delegation first, then threw 'long overflow' adding to the total: now it works the total out first and
        // stops the chain, as the award does at the limits of the supply and the total minted, with nothing changed.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"candidates\":[" +
            candidate("A", 30_000_000, 100_000, 3_000_000) + "," + candidate("B", 30_000_000, 100_000, 3_000_000) +
            "]", "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 50)));
        c.dpos.slashedMicroCmt = Long.MAX_VALUE - 2_999;
        c.dpos.mintedMicroCmt = Long.MAX_VALUE - 2_999;
        assertEquals(c.state.totalSupplyMicroCmt(), c.dpos.supplyMicroCmt());
        final Candidate a = c.candidate("A");
        final long pooled = a.pooledMicroCmt();
        final long held = c.dpos.heldMicroCmt();
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        final byte[] frame = c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence);
        final ArithmeticException ex = assertThrows(ArithmeticException.class, () -> c.block("", frame));
        assertTrue(ex.getMessage().contains("would take the total slashed " + (Long.MAX_VALUE - 2_999) +
            " past 2^63-1"), ex.getMessage());
        assertEquals(pooled, a.pooledMicroCmt());
        assertEquals(50, a.idleMicroCmt);
        assertEquals(held, c.dpos.heldMicroCmt());
        assertEquals(Long.MAX_VALUE - 2_999, c.dpos.slashedMicroCmt());
        assertEquals(0, a.lastSlashedHeight);
        assertTrue(a.active);
    }

    @Test
    void shouldStopBeforeAnAbsenceSlashTakesTheTotalSlashedPastLongMax()
    {
        // As above for the absence slash at a block's beginning (1%, at the second miss in a row): beginBlock had
        // raised B's missed count, deactivated it and lowered its pool when it threw; now it throws first.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxMissedBlocks\":2," +
            "\"absenceSlashPpm\":10000,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," +
            candidate("B", 30_000, 100_000, 3_000) + "]");
        c.block("");
        c.block("A");
        final Candidate b = c.candidate("B");
        assertEquals(1, b.missedBlocks);
        // Room left in the total minted for the awards to come; the supply (genesis + minted - slashed) as it was.
        final long burnt = Long.MAX_VALUE - 29 - c.dpos.slashedMicroCmt;
        c.dpos.slashedMicroCmt += burnt;
        c.dpos.mintedMicroCmt += burnt - 1_000_000;
        c.dpos.genesisSupplyMicroCmt += 1_000_000;
        assertEquals(c.state.totalSupplyMicroCmt(), c.dpos.supplyMicroCmt());
        final long height = c.dpos.height();
        final long pooled = b.pooledMicroCmt();
        final ArithmeticException ex = assertThrows(ArithmeticException.class,
            () -> c.dpos.beginBlock(height + 1, new byte[][]{address("A")}, 1));
        assertTrue(ex.getMessage().contains("slashing 30 µCMT for absence would take the total slashed " +
            (Long.MAX_VALUE - 29) + " past 2^63-1"), ex.getMessage());
        assertEquals(height, c.dpos.height());
        assertFalse(c.dpos.inBlock);
        assertEquals(1, b.missedBlocks);
        assertTrue(b.active);
        assertEquals(pooled, b.pooledMicroCmt());
        // A slash that fits is made: 29 µCMT more, at a 0.9% rate.
        c.dpos.params.set(DposParams.ABSENCE_SLASH_PPM, 9_900);
        c.block("A");
        assertFalse(b.active);
        assertEquals(Long.MAX_VALUE, c.dpos.slashedMicroCmt());
    }

    @Test
    void shouldSlashTheStakeOfAWithdrawnCandidateWhileItUnbonds()
    {
        // A double-signs at height 1, then withdraws its candidacy in block 2: its 3,000,000 leave as an unbonding
        // entry maturing at 2 + 3 = 5, its shares still in its pool. Evidence in block 3 slashes 0.1% of the pool,
        // so the entry pays 2,997,000 at maturity (no one signs, so nothing is awarded to change the values).
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"unbondingBlocks\":3,\"candidates\":[" +
            candidate("A", 30_000_000, 100_000, 3_000_000) + "," + candidate("B", 30_000_000, 100_000, 3_000_000) +
            "]", "A", 10, "dan", 1_000);
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("A", WITHDRAW_CANDIDACY, DposBodies.empty())));
        final long supply = c.dpos.supplyMicroCmt();
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence)));
        assertEquals(3_000, c.dpos.slashedMicroCmt());
        assertEquals(supply - 3_000, c.dpos.supplyMicroCmt());
        assertTrue(c.candidate("A").withdrawn);
        assertFalse(c.candidate("A").active);
        c.checkConservation();
        c.block("");
        assertEquals(10, c.balance("A"));
        c.block("");
        assertEquals(10 + 2_997_000, c.balance("A"));
        assertTrue(c.dpos.unbondingByHeight.isEmpty());
        c.checkConservation();
    }

    @Test
    void shouldNeverSlashAPoolToZeroWhileItHasShares()
    {
        // A slash of 100% would leave A's pool with shares and no value: the next DELEGATE to A divided by that
        // value (ArithmeticException in StakePool.buy, no receipt, the block never closes). The rates stop below.
        for (final String param : new String[]{"doubleSignSlashPpm", "absenceSlashPpm"})
        {
            final GenesisException refused = assertThrows(GenesisException.class, () -> new DposChain(0,
                "\"minDelegationMicroCmt\":100,\"" + param + "\":1000000,\"candidates\":[" +
                candidate("A", 30_000_000, 100_000, 3_000_000) + "]"));
            assertTrue(refused.getMessage().contains(param), refused.getMessage());
        }

        // The highest rate allowed: A's pool keeps a part of its value, and a delegation after it gets its receipt.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"doubleSignSlashPpm\":999999," +
            "\"candidates\":[" + candidate("A", 30_000_000, 100_000, 3_000_000) + "," +
            candidate("B", 30_000_000, 100_000, 3_000_000) + "]", "dan", 1_000, "A", 10, "B", 10);
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence)));
        assertEquals(3, c.candidate("A").pooledMicroCmt());
        c.checkConservation();
        assertArrayEquals(new int[]{OK, OK}, c.block("A,B", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500)),
            c.tx("A", ACTIVATE_CANDIDACY, DposBodies.empty())));
        c.block("B");
        c.checkConservation();

        // Governance cannot propose the rate that breaks it either.
        assertArrayEquals(new int[]{ReceiptStatus.INVALID_PARAMETER.value(), ReceiptStatus.INVALID_PARAMETER.value()},
            c.block("B", c.tx("B", PROPOSE, DposBodies.proposeChangeParam(DposParams.DOUBLE_SIGN_SLASH_PPM, 1_000_000)),
                c.tx("B", PROPOSE, DposBodies.proposeChangeParam(DposParams.ABSENCE_SLASH_PPM, 1_000_000))));
    }

    /** @return a DOUBLE_SIGN_EVIDENCE body: two different headers at {@code height} signed with the label's key. */
    private static byte[] doubleSign(final String label, final long height)
    {
        return DposBodies.doubleSignEvidence(key(label).publicKey(), DposRejectionTest.signed(key(label), height, 1),
            DposRejectionTest.signed(key(label), height, 2));
    }

    @Test
    void shouldRejectAStakeThatWouldBuyMoreSharesThanALongHolds()
    {
        // Slashing lowers a pool's value, never its shares: two slashes at the highest rate leave A's pool 0 with
        // 10^14 shares worth 100 µCMT, so a share is worth 10^-12 µCMT and 10^14 µCMT would buy 10^26 shares.
        // StakePool.buy threw (mulDiv quotient overflows) out of DELEGATE, UPDATE_CANDIDACY and SET_COMP_RATE: no
        // receipt, and a block every node fails to run. Each is now rejected OVERFLOW, like any amount that does not
        // fit. (At the default 0.1% it takes some thousands of evidences, which fit in one block.)
        final int overflow = ReceiptStatus.OVERFLOW.value();
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"doubleSignSlashPpm\":999999," +
            "\"candidates\":[" + candidate("A", 1_000_000_000_000_000L, 100_000, 100_000_000_000_000L) + "]",
            "A", 1_000_000_000_000_000L, "dan", 100_000_000_000_000L, "eve", 10_000_000_000_100L);
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, doubleSign("A", 1))));
        // Between the two slashes eve fills a pool of her own at 5%, at 1:1 (so it is slashed once only).
        assertArrayEquals(new int[]{OK, OK, OK}, c.block("",
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 100)),
            c.tx("A", SET_COMP_RATE, DposBodies.setCompRate(address("eve"), 50_000)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 10_000_000_000_000L))));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, doubleSign("A", 2))));
        final StakePool pool0 = c.candidate("A").pools.get(0);
        assertEquals(100_000_000_000_000L, pool0.totalShares);
        assertEquals(100, pool0.valueMicroCmt);
        assertEquals(10_000_001, c.stake("A", "eve"));
        c.checkConservation();
        final byte[] root = c.state.stateRoot();
        final long balanceA = c.balance("A");

        assertArrayEquals(new int[]{overflow, overflow, overflow}, c.block("",
            c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 100_000_000_000_000L)),
            c.tx("A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(2_000_000_000_000_000L, new byte[0])),
            c.tx("A", SET_COMP_RATE, DposBodies.setCompRate(address("eve"), 100_000))));
        assertEquals(100_000_000_000_000L, c.balance("dan"));
        assertEquals(balanceA, c.balance("A"));
        assertEquals(1_000_000_000_000_000L, c.candidate("A").maxStakeMicroCmt);
        assertEquals(100_000_000_000_000L, pool0.totalShares);
        assertEquals(10_000_001, c.stake("A", "eve"));
        assertEquals(2, c.candidate("A").pools.size());
        c.checkConservation();
        // A stake the pool can take is still taken: 1,000 µCMT buys 10^15 shares.
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1_000))));
        assertEquals(1_000_000_000_000_000L, c.candidate("A").delegations.get(new ByteKey(address("dan"))).shares);
        assertFalse(java.util.Arrays.equals(root, c.state.stateRoot()));
        c.checkConservation();
    }

    @Test
    void shouldRejectAStakeTooSmallToBuyAShare()
    {
        // Rewards raise a pool's value and not its shares, so a share soon costs more than 1 µCMT: a DELEGATE of
        // 1 µCMT to a delegation in the pool bought floor(1 * shares / value) = 0 shares, and UPDATE_CANDIDACY's
        // self-stake of 1 µCMT on a maximum raised by 10 likewise. Both were OK, the payer's µCMT gone to the
        // pool's holders. Now INVALID_AMOUNT, the fee kept and nothing else changed.
        final int invalid = ReceiptStatus.INVALID_AMOUNT.value();
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10, "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500)));
        c.block("A");
        final StakePool pool0 = c.candidate("A").pools.get(0);
        assertTrue(pool0.valueMicroCmt > pool0.totalShares, pool0.valueMicroCmt + " for " + pool0.totalShares);
        final Delegation dan = c.candidate("A").delegations.get(new ByteKey(address("dan")));
        final long danShares = dan.shares;
        final long ownerShares = c.candidate("A").delegations.get(new ByteKey(address("A"))).shares;
        // No validator signs the block, so no award moves the pool in it.
        assertArrayEquals(new int[]{invalid, invalid}, c.block("",
            c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1)),
            c.tx("A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(30_010, new byte[0]))));
        assertEquals(500, c.balance("dan"));
        assertEquals(10, c.balance("A"));
        assertEquals(danShares, dan.shares);
        assertEquals(ownerShares, c.candidate("A").delegations.get(new ByteKey(address("A"))).shares);
        assertEquals(30_000, c.candidate("A").maxStakeMicroCmt);
        c.checkConservation();
        // A stake that buys a share is taken.
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 2))));
        assertEquals(danShares + 1, dan.shares);
        c.checkConservation();
    }

    @Test
    void shouldPayTheOwnerCommissionsThatWouldBuyMoreSharesOfPoolZeroThanALongHolds()
    {
        // A slash at the highest rate leaves A's pool 0 at 10^-6 µCMT a share; dan then delegates as much as still
        // fits, taking the pool to 8.7 * 10^18 shares. A re-activates and is rewarded 10^14 (alone, all of it):
        // the pool keeps 9 * 10^13, and A's commission of 10^13 would buy 8.8 * 10^17 shares more, past 2^63 - 1
        // (StakePool.buy threw at the award: the block end failed on every node). It is paid to A's account.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"doubleSignSlashPpm\":999999," +
            "\"validatorCapPpm\":1000000,\"inflationPpm\":1000000,\"blocksPerYear\":1," +
            "\"inflationBaseMicroCmt\":100000000000000,\"candidates\":[" +
            candidate("A", 1_000_000_000_000_000L, 100_000, 100_000_000_000_000L) + "]",
            "A", 10, "dan", 10_000_000_000_000L);
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, doubleSign("A", 1))));
        assertArrayEquals(new int[]{OK, OK}, c.block("",
            c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 8_700_000_000_000L)),
            c.tx("A", ACTIVATE_CANDIDACY, DposBodies.empty())));
        final StakePool pool0 = c.candidate("A").pools.get(0);
        assertEquals(8_700_100_000_000_000_000L, pool0.totalShares);
        c.block("");
        c.block("A");
        assertEquals(100_000_000_000_000L, c.dpos.awardMintedMicroCmt);
        assertEquals(10 + 10_000_000_000_000L, c.balance("A"));
        assertEquals(8_700_100_000_000_000_000L, pool0.totalShares);
        assertEquals(8_700_100_000_000L + 90_000_000_000_000L, pool0.valueMicroCmt);
        c.checkConservation();
    }

    @Test
    void shouldDeactivateAfterTwelveMissedBlocksInARow()
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "]");
        c.block("");
        for (int i = 0; i < 11; i++)
        {
            c.block(i == 5 ? "A,B" : "A");
        }
        // B missed blocks 1..5 (reset at 6) then 7..11: five in a row, still active.
        assertTrue(c.candidate("B").active);
        for (int i = 0; i < 6; i++)
        {
            c.block("A");
        }
        assertEquals(11, c.candidate("B").missedBlocks);
        assertTrue(c.candidate("B").active);
        c.block("A");
        assertFalse(c.candidate("B").active);
        assertEquals(0, c.dpos.slashedMicroCmt());
        assertEquals(1, c.dpos.validatorCount());
    }

    @Test
    void shouldHashTheResetMissedCountOfAValidatorThatEarnsNothing()
    {
        // No inflation and no fees: the award is 0, so no reward touches B's record. B missed block 1 and signs
        // block 2: its count back to 0 must reach the digest all the same (checkConservation rebuilds the digest
        // from a snapshot and compares).
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":0,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "]");
        c.block("");
        c.block("A");
        assertEquals(1, c.candidate("B").missedBlocks);
        c.checkConservation();
        c.block("A,B");
        assertEquals(0, c.candidate("B").missedBlocks);
        assertEquals(0, c.dpos.mintedMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldCapOneCandidatesPowerAtTwelvePercent()
    {
        // Ten candidates: W holds 10,000, nine hold 1,000 each: S = 19,000, cap = 12% = 2,280.
        final StringBuilder cands = new StringBuilder(candidate("W", 100_000, 100_000, 10_000));
        for (int i = 0; i < 9; i++)
        {
            cands.append(',').append(candidate("s" + i, 10_000, 100_000, 1_000));
        }
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"candidates\":[" + cands + "]");
        assertEquals(10, c.dpos.validatorCount());
        assertEquals(2_280, c.dpos.powerCapMicroCmt);
        assertArrayEquals(address("W"), c.dpos.validator(0));
        assertEquals(2_280, c.dpos.validatorPower(0));
        assertEquals(1_000, c.dpos.validatorPower(9));
        DposConservationTest.checkElection(c.dpos);
    }

    @Test
    void shouldGiveTheElectedAtLeastOneUnitOfPowerWhenTheCapRoundsToZero()
    {
        // Default 12% cap. A's self-stake is 1 ppm of its maximum (rounds to 0), so A may withdraw down to 5 µCMT.
        // Once the entry is paid (end of block 2), the election's cap is floor(5 * 12%) = 0: A must still validate
        // with some power (the proposer schedule refuses 0), not crash the block end.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":0,\"selfStakePpm\":1," +
            "\"unbondingBlocks\":1,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10);
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 2_995))));
        c.block("A");
        assertEquals(5, c.candidate("A").pooledMicroCmt());
        assertEquals(1, c.dpos.powerCapMicroCmt);
        assertEquals(1, c.dpos.validatorCount());
        assertEquals(1, c.dpos.validatorPower(0));
        assertArrayEquals(address("A"), c.dpos.nextProposer());
        c.block("A");
        assertArrayEquals(address("A"), c.dpos.nextProposer());
        DposConservationTest.checkElection(c.dpos);
        c.checkConservation();
    }

    @Test
    void shouldRankTiesByAddressAndSplitValidatorsFromBackups()
    {
        final StringBuilder cands = new StringBuilder();
        for (int i = 0; i < 30; i++)
        {
            cands.append(i == 0 ? "" : ",").append(candidate("t" + i, 10_000, 100_000, 1_000));
        }
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"candidates\":[" + cands + "]");
        assertEquals(19, c.dpos.validatorCount());
        assertEquals(5, c.dpos.backupCount());
        for (int i = 1; i < 19; i++)
        {
            assertTrue(new ByteKey(c.dpos.validator(i - 1)).compareTo(new ByteKey(c.dpos.validator(i))) < 0);
        }
        assertTrue(new ByteKey(c.dpos.validator(18)).compareTo(new ByteKey(c.dpos.backup(0))) < 0);
        DposConservationTest.checkElection(c.dpos);
    }

    @Test
    void shouldDeclareAtTheLimitsOfTheSelfStake()
    {
        // Self-stake 10% of the maximum; the minimum delegation 100. eve's 1,000 maximum asks exactly the minimum
        // (100), which is all eve has: both bounds are inclusive. The description is kept as sent.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "eve", 100);
        final byte[] description = "eve's shop".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("eve", DECLARE_CANDIDACY,
            DposBodies.declareCandidacy(key("eve").publicKey(), 1_000, 50_000, description))));
        assertEquals(0, c.balance("eve"));
        assertEquals(100, c.stake("eve", "eve"));
        assertArrayEquals(description, c.candidate("eve").description);
        c.checkConservation();
    }

    @Test
    void shouldUpdateAMaximumToItsLimits()
    {
        // B: 100 of a 1,000 maximum, 10 µCMT to spend. 0 is no maximum; raising to 1,100 charges 10% of the
        // difference, 10 (all B has); the stake is then 110, and the maximum may come down to exactly that.
        // One seat: B is never elected, so nothing but its own transactions touches its record.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":1,\"maxBackups\":0," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 1_000, 100_000, 100) +
            "]", "A", 1_000, "B", 10, "dan", 27_000);
        final byte[] description = {1, 2, 3};
        assertArrayEquals(new int[]{ReceiptStatus.INVALID_AMOUNT.value(), OK, OK}, c.block("",
            c.tx("B", UPDATE_CANDIDACY, DposBodies.updateCandidacy(0, new byte[0])),
            c.tx("B", UPDATE_CANDIDACY, DposBodies.updateCandidacy(1_100, description)),
            c.tx("B", UPDATE_CANDIDACY, DposBodies.updateCandidacy(110, description))));
        assertEquals(0, c.balance("B"));
        assertEquals(110, c.candidate("B").totalStakeMicroCmt());
        assertEquals(110, c.candidate("B").maxStakeMicroCmt);
        assertArrayEquals(description, c.candidate("B").description);
        // A new description alone, no charge: the change must still reach the digest.
        assertArrayEquals(new int[]{OK}, c.block("",
            c.tx("B", UPDATE_CANDIDACY, DposBodies.updateCandidacy(110, new byte[] {4}))));
        c.checkConservation();

        // A fills its maximum (3,000 + dan's 27,000), then an award takes its stake to 31,000, past the maximum.
        // Raising the maximum to M charges floor(M / 10) - 3,000 more self-stake, and the stake with the charge must
        // fit under M: 31,110 would need 31,111; 31,111 is exactly enough.
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 27_000)));
        c.block("A");
        assertEquals(31_000, c.candidate("A").totalStakeMicroCmt());
        assertArrayEquals(new int[]{ReceiptStatus.MAX_STAKE_TOO_LOW.value(), OK}, c.block("",
            c.tx("A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(31_110, new byte[0])),
            c.tx("A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(31_111, new byte[0]))));
        assertEquals(31_111, c.candidate("A").totalStakeMicroCmt());
        assertEquals(1_000 - 111, c.balance("A"));
        assertEquals(31_111, c.candidate("A").maxStakeMicroCmt);
        c.checkConservation();
    }

    @Test
    void shouldRefuseAMaximumBelowTheStakeBeforeChargingForIt()
    {
        // A's stake, 3,000 of a 3,000 maximum, is taken to 4,000 by an award. A maximum of 3,500 would charge 50 more
        // self-stake, which A (1 µCMT) cannot pay, but it is below the stake A holds: MAX_STAKE_TOO_LOW comes first
        // (the order of DposTransactions' javadoc).
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 3_000, 100_000, 3_000) + "]", "A", 1);
        c.block("");
        c.block("A");
        assertEquals(4_000, c.candidate("A").totalStakeMicroCmt());
        assertArrayEquals(new int[]{ReceiptStatus.MAX_STAKE_TOO_LOW.value()}, c.block("",
            c.tx("A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(3_500, new byte[0]))));
        assertEquals(3_000, c.candidate("A").maxStakeMicroCmt);
    }

    @Test
    void shouldWithdrawIdlePrincipalFromACandidateWhosePoolsAreEmpty()
    {
        // A's self-stake (1 ppm of its maximum) rounds to 0: A withdraws all of it, and once paid A's pool 0 is empty.
        // eve's 50 (below the minimum 100) is idle principal, outside the pool: withdrawing it takes nothing from the
        // empty pool, and is paid as a fixed amount.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"selfStakePpm\":1,\"unbondingBlocks\":1," +
            "\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10, "eve", 50);
        assertArrayEquals(new int[]{OK, OK}, c.block("",
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 3_000)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 50))));
        c.block("");
        assertEquals(0, c.candidate("A").pooledMicroCmt());
        assertEquals(0, c.candidate("A").pools.get(0).totalShares);
        assertEquals(50, c.candidate("A").idleMicroCmt);
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("eve", WITHDRAW, DposBodies.stake(address("A"), 50))));
        final UnbondingEntry entry = c.dpos.unbondingByHeight.get(c.chain.height() + 1).get(0);
        assertEquals(0, entry.shares);
        assertEquals(50, entry.fixedMicroCmt);
        c.block("");
        assertEquals(50, c.balance("eve"));
        assertEquals(3_010, c.balance("A"));
        c.checkConservation();
    }

    @Test
    void shouldMoveEveryShareWhenTheWholeValueIsWithdrawn()
    {
        // A slash of 50% leaves A's pool worth less than its shares: 4,004 shares (A 3,001, dan 1,003) worth 2,002.
        // dan's holding is worth floor(1,003 * 2,002 / 4,004) = 501. Withdrawing exactly 501 takes all 1,003 shares
        // into the entry: ceil(501 * 4,004 / 2,002) would be 1,002, leaving dan one share worth nothing.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"doubleSignSlashPpm\":500000," +
            "\"candidates\":[" + candidate("A", 30_010, 100_000, 3_001) + "]", "dan", 1_003);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1_003)));
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence)));
        final StakePool pool = c.candidate("A").pools.get(0);
        assertEquals(2_002, pool.valueMicroCmt);
        assertEquals(4_004, pool.totalShares);
        assertEquals(501, c.stake("A", "dan"));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 501))));
        assertNull(c.candidate("A").delegations.get(new ByteKey(address("dan"))));
        final UnbondingEntry entry = c.dpos.unbondingByHeight.get(c.chain.height() + 60_480).get(0);
        assertEquals(1_003, entry.shares);
        assertEquals(4_004, pool.totalShares);
        c.checkConservation();
    }

    @Test
    void shouldWithdrawToTheLimitsOfTheSelfStakeAndTheMinimumDelegation()
    {
        // A: 3,500 staked, 3,000 required (10% of 30,000). dan: 300 pooled; eve: 50 idle (below the minimum 100).
        // B takes the one seat, so nothing but these transactions touches A's record.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":2,\"maxValidators\":1," +
            "\"maxBackups\":0,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_500) + "," +
            candidate("B", 300_000, 100_000, 30_000) + "]", "A", 10, "dan", 300, "eve", 50);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 300)),
            c.tx("eve", DELEGATE, DposBodies.stake(address("A"), 50)));
        assertEquals(50, c.candidate("A").idleMicroCmt);
        assertArrayEquals(new int[]{ReceiptStatus.INVALID_AMOUNT.value(), OK, ReceiptStatus.BELOW_SELF_STAKE.value(),
            OK, OK}, c.block("",
            c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 0)),
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 500)),
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 1)),
            c.tx("dan", WITHDRAW, DposBodies.stake(address("A"), 200)),
            c.tx("eve", WITHDRAW, DposBodies.stake(address("A"), 30))));
        assertEquals(3_000, c.stake("A", "A"));
        // dan keeps exactly the minimum: still pooled, earning and voting.
        final Delegation dan = c.candidate("A").delegations.get(new ByteKey(address("dan")));
        assertEquals(100, dan.valueMicroCmt());
        assertEquals(0, dan.idleMicroCmt);
        // eve's 30 come out of the idle principal: an entry of a fixed 30, 20 left idle.
        final Delegation eve = c.candidate("A").delegations.get(new ByteKey(address("eve")));
        assertEquals(20, eve.idleMicroCmt);
        assertEquals(20, c.candidate("A").idleMicroCmt);
        final UnbondingEntry entry = c.dpos.unbondingByHeight.get(c.chain.height() + 2).get(2);
        assertEquals(0, entry.shares);
        assertEquals(30, entry.fixedMicroCmt);
        c.checkConservation();
        // eve's last 20, alone in a block: A's idle principal changes, and its record must be rehashed.
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("eve", WITHDRAW, DposBodies.stake(address("A"), 20))));
        assertEquals(0, c.candidate("A").idleMicroCmt);
        c.checkConservation();
        c.block("");
        assertEquals(500 + 10, c.balance("A"));
        assertEquals(200, c.balance("dan"));
        assertEquals(30, c.balance("eve"));
        c.block("");
        assertEquals(50, c.balance("eve"));
        c.checkConservation();
    }

    @Test
    void shouldKeepTheOwnersSelfStakeInWhatItsRemainingSharesAreWorthAfterAWithdrawal()
    {
        // A: 3,001 staked, 3,000 required (10% of 30,000), commission 1 ppm (a commission of 1,000 rounds to 0).
        // One award of 1,000 makes pool 0 4,001 µCMT for 3,001 shares, all the owner's: a share is worth 1.33 µCMT.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"unbondingBlocks\":2,\"candidates\":[" +
            candidate("A", 30_000, 1, 3_001) + "]", "A", 10);
        c.block("");
        c.block("A");
        final StakePool pool = c.candidate("A").pools.get(0);
        assertEquals(4_001, pool.valueMicroCmt);
        assertEquals(3_001, pool.totalShares);
        assertEquals(4_001, c.stake("A", "A"));
        // 1,001 is the whole excess over the self-stake, but selling it burns ceil(1,001 * 3,001 / 4,001) = 751
        // shares, and the 2,250 left are worth floor(2,250 * 4,001 / 3,001) = 2,999: below the 3,000 required. So
        // is 1,000 (751 shares too). 999 burns 750 and leaves 2,251 shares worth 3,001.
        assertArrayEquals(new int[]{ReceiptStatus.BELOW_SELF_STAKE.value(), ReceiptStatus.BELOW_SELF_STAKE.value(),
            OK}, c.block("",
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 1_001)),
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 1_000)),
            c.tx("A", WITHDRAW, DposBodies.stake(address("A"), 999))));
        assertEquals(3_001, c.stake("A", "A"));
        assertEquals(2_251, c.candidate("A").delegations.get(new ByteKey(address("A"))).shares);
        final UnbondingEntry entry = c.dpos.unbondingByHeight.get(c.chain.height() + 2).get(0);
        assertEquals(750, entry.shares);
        // The entry is worth floor(750 * 4,001 / 3,001) = 999: what was asked; the pool's dust stays with A.
        assertEquals(999, entry.valueMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldTakeAnOwnersWithdrawalExactlyWhenTheSharesItLeavesAreWorthTheSelfStake()
    {
        // Pools priced from a millionth of a µCMT to 10^4 µCMT a share, the owner holding some or all of the shares,
        // the self-stake (selfStakePpm 10^6: the declared maximum, set directly) a little below the owner's worth,
        // withdrawals near the excess. The rule must take exactly those that leave the owner's remaining shares
        // worth the self-stake, computed here apart: burn ceil(a * T / V) shares (all of them for the whole worth),
        // and the rest is worth floor(s * V / T). The states are set directly, not reached by a history.
        final Random r = new Random(57);
        final int[] seen = new int[2];
        for (int i = 0; i < 200; i++)
        {
            final long total = 1 + r.nextInt(1_000_000);
            final long value = 1 + (long)(r.nextDouble() * total * (r.nextBoolean() ? 10_000 : 1));
            final long held = r.nextInt(3) == 0 ? total : 1 + (long)(r.nextDouble() * total);
            final long worth = worth(held, value, total);
            if (worth < 2)
            {
                continue;
            }
            final long required = worth - 1 - (long)(r.nextDouble() * Math.min(worth - 1, 3 * (value / total + 1)));
            final long amount = Math.min(worth, Math.max(1, worth - required - 1 + r.nextInt(3)));
            final long burnt = amount == worth ? held : Math.min(held, BigInteger.valueOf(amount)
                .multiply(BigInteger.valueOf(total)).add(BigInteger.valueOf(value - 1))
                .divide(BigInteger.valueOf(value)).longValueExact());
            final long left = worth(held - burnt, value, total);
            final String what = amount + " of " + worth + " (" + held + " of " + total + " shares of " + value +
                " µCMT) keeping " + required + ": " + left + " left";

            final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":1,\"inflationPpm\":0," +
                "\"selfStakePpm\":1000000,\"candidates\":[" + candidate("A", 1_000, 100_000, 1_000) + "]", "A", 10);
            c.block("");
            final Candidate a = c.candidate("A");
            final StakePool pool = a.pools.get(0);
            pool.valueMicroCmt = value;
            pool.totalShares = total;
            final Delegation self = a.delegations.get(a.owner);
            self.shares = held;
            a.maxStakeMicroCmt = required;
            final int status = c.block("", c.tx("A", WITHDRAW, DposBodies.stake(address("A"), amount)))[0];
            if (left >= required)
            {
                assertEquals(OK, status, what);
                assertEquals(held - burnt, self.shares, what);
                assertEquals(left, c.stake("A", "A"), what);
                seen[0]++;
            }
            else
            {
                assertEquals(ReceiptStatus.BELOW_SELF_STAKE.value(), status, what);
                assertEquals(held, self.shares, what);
                seen[1]++;
            }
        }
        assertTrue(seen[0] > 20 && seen[1] > 20, "taken " + seen[0] + ", refused " + seen[1]);
    }

    private static long worth(final long shares, final long value, final long total)
    {
        return shares == total ? value : BigInteger.valueOf(shares).multiply(BigInteger.valueOf(value))
            .divide(BigInteger.valueOf(total)).longValueExact();
    }

    @Test
    void shouldAllowACandidatesOwnRateAndResetMissedBlocksOnReactivation()
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxMissedBlocks\":2,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "]",
            "A", 10, "B", 10, "dan", 1_000);
        // A rate equal to the candidate's own is allowed (the delegation stays in pool 0).
        assertArrayEquals(new int[]{OK, OK}, c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1_000)),
            c.tx("A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 100_000))));
        assertEquals(1, c.candidate("A").pools.size());
        c.block("A");
        c.block("A");
        assertFalse(c.candidate("B").active);
        assertEquals(2, c.candidate("B").missedBlocks);
        assertArrayEquals(new int[]{OK}, c.block("A", c.tx("B", ACTIVATE_CANDIDACY, DposBodies.empty())));
        assertTrue(c.candidate("B").active);
        assertEquals(0, c.candidate("B").missedBlocks);
        // Active again from the next election, B misses one block and is still active.
        c.block("A");
        c.block("A");
        assertEquals(1, c.candidate("B").missedBlocks);
        assertTrue(c.candidate("B").active);
    }

    @Test
    void shouldSlashIdlePrincipalToo()
    {
        // A minimum delegation of 10^6 leaves dan's 500,000 idle; a double-sign slash of 10% takes 50,000 of it.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":1000000,\"doubleSignSlashPpm\":100000," +
            "\"candidates\":[" + candidate("A", 300_000_000, 100_000, 30_000_000) + "," +
            candidate("B", 300_000_000, 100_000, 30_000_000) + "]", "dan", 500_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 500_000)));
        assertEquals(500_000, c.candidate("A").idleMicroCmt);
        final byte[] evidence = DposBodies.doubleSignEvidence(key("A").publicKey(),
            DposRejectionTest.signed(key("A"), 1, 1), DposRejectionTest.signed(key("A"), 1, 2));
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("dan", DOUBLE_SIGN_EVIDENCE, evidence)));
        assertEquals(450_000, c.candidate("A").idleMicroCmt);
        assertEquals(450_000, c.stake("A", "dan"));
        assertEquals(27_000_000, c.candidate("A").pooledMicroCmt());
        assertEquals(3_000_000 + 50_000, c.dpos.slashedMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldTakeGenesisDelegationsIntoStakeAndSupply()
    {
        // dan's 1,000 is pooled; eve's 50, below the minimum of 100, is idle. Both are stake from the genesis on.
        final String delegations = ",\"delegations\":[{\"delegator\":\"" + DposChain.hex("dan") +
            "\",\"candidate\":\"" + DposChain.hex("A") + "\",\"amountMicroCmt\":1000},{\"delegator\":\"" +
            DposChain.hex("eve") + "\",\"candidate\":\"" + DposChain.hex("A") + "\",\"amountMicroCmt\":50}]";
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]" + delegations);
        assertEquals(1_000, c.stake("A", "dan"));
        assertEquals(50, c.candidate("A").idleMicroCmt);
        assertEquals(4_000, c.candidate("A").pooledMicroCmt());
        assertEquals(4_050, c.dpos.heldMicroCmt());
        c.checkConservation();
        c.block("");
        c.block("A");
        c.checkConservation();

        // Under the rules of DELEGATE: to a known candidate, more than 0, within its maximum.
        for (final String bad : new String[]{
            "{\"delegator\":\"" + DposChain.hex("dan") + "\",\"candidate\":\"" + DposChain.hex("dan") +
                "\",\"amountMicroCmt\":10}",
            "{\"delegator\":\"" + DposChain.hex("dan") + "\",\"candidate\":\"" + DposChain.hex("A") +
                "\",\"amountMicroCmt\":0}",
            "{\"delegator\":\"" + DposChain.hex("dan") + "\",\"candidate\":\"" + DposChain.hex("A") +
                "\",\"amountMicroCmt\":27001}"})
        {
            assertThrows(GenesisException.class, () -> new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
                candidate("A", 30_000, 100_000, 3_000) + "],\"delegations\":[" + bad + "]"), bad);
        }
        // Up to the maximum exactly: 27,000 more to A's 3,000 of 30,000.
        final DposChain full = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "],\"delegations\":[{\"delegator\":\"" + DposChain.hex("dan") +
            "\",\"candidate\":\"" + DposChain.hex("A") + "\",\"amountMicroCmt\":27000}]");
        assertEquals(30_000, full.candidate("A").totalStakeMicroCmt());
    }

    @Test
    void shouldRefuseGenesisCandidatesOutsideTheRules()
    {
        // Self-stake 10% of the maximum, minimum delegation 100, commission strictly between 0 and 100%.
        final byte[] description = new byte[DposDescriptor.MAX_DESCRIPTION_LENGTH];
        final Object[][] bad = {
            {0, 30_000L, 0, 3_000L, new byte[0]},
            {1, 30_000L, 1_000_000, 3_000L, new byte[0]},
            {2, 30_000L, 100_000, 3_000L, new byte[DposDescriptor.MAX_DESCRIPTION_LENGTH + 1]},
            {3, 0L, 100_000, 0L, new byte[0]},
            {4, 30_000L, 100_000, 2_999L, new byte[0]},
            {5, 990L, 100_000, 99L, new byte[0]},
            {6, 30_000L, 100_000, 30_001L, new byte[0]}};
        for (final Object[] b : bad)
        {
            final DposState s = new DposState(new DposParams().set(DposParams.MIN_DELEGATION, 100));
            final int i = (Integer)b[0];
            assertThrows(IllegalArgumentException.class, () -> s.genesisCandidate(address("g" + i),
                key("g" + i).publicKey(), (Long)b[1], (Integer)b[2], (Long)b[3], (byte[])b[4]), "case " + i);
            assertEquals(0, s.candidateCount(), "case " + i);
        }
        // At the limits: commission 1 and 999,999 ppm, the longest description, stake from the self-stake to the max.
        final DposState s = new DposState(new DposParams().set(DposParams.MIN_DELEGATION, 100));
        s.genesisCandidate(address("g1"), key("g1").publicKey(), 30_000, 1, 3_000, description);
        s.genesisCandidate(address("g2"), key("g2").publicKey(), 30_000, 999_999, 30_000, new byte[0]);
        s.genesisCandidate(address("g3"), key("g3").publicKey(), 1_000, 100_000, 100, new byte[0]);
        assertEquals(3, s.candidateCount());
        assertEquals(33_100, s.heldMicroCmt());
        // The same owner or the same key twice.
        assertThrows(IllegalArgumentException.class, () -> s.genesisCandidate(address("g1"), key("g9").publicKey(),
            30_000, 100_000, 3_000, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> s.genesisCandidate(address("g9"), key("g1").publicKey(),
            30_000, 100_000, 3_000, new byte[0]));
        assertEquals(3, s.candidateCount());
    }

    @Test
    void shouldLowerOneDelegatorsCommission()
    {
        // A: 10%; dan gets 0% through SET_COMP_RATE, so dan's pool keeps its whole share.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10, "dan", 1_000);
        c.block("", c.tx("dan", DELEGATE, DposBodies.stake(address("A"), 1_000)));
        c.block("A", c.tx("A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 0)));
        // Block 2's award was 1,000 on a pool of A 3,000 / dan 1,000 (dan moved before the award): split by pool
        // value: dan's 0% pool gets floor(1,000 * 1,000 / 4,000) = 250 whole; pool 0 gets 750, commission 75
        // compounds to A: A 3,750.
        assertEquals(1_250, c.stake("A", "dan"));
        assertEquals(3_750, c.stake("A", "A"));
        assertNotNull(c.candidate("A").pool(0));
        c.checkConservation();
    }
}
