package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Awards worked out by hand. The parameters make one block's inflation exactly 1,000 µCMT (a base of 10^6 µCMT at
 * 100% a year over 1,000 blocks), the cap is off (100%) unless a test says otherwise, and the minimum delegation is
 * 100 µCMT, so the numbers stay small enough to follow.
 */
class DposRewardTest
{
    static final String SMALL = "\"minDelegationMicroCmt\":100,\"validatorCapPpm\":1000000,\"inflationPpm\":1000000," +
        "\"blocksPerYear\":1000,\"inflationBaseMicroCmt\":1000000";
    private static final int OK = ReceiptStatus.OK.value();

    @Test
    void shouldBoundTheInflationBaseByTheGenesisSupplyCap()
    {
        // An unbounded base let one year's inflation pass 2^63-1 and halt the chain at a block's award.
        final DposParams params = new DposParams().inflationBaseMicroCmt(DposParams.MAX_INFLATION_BASE_MICRO_CMT);
        assertEquals(1L << 62, params.inflationBaseMicroCmt());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> params.inflationBaseMicroCmt(Long.MAX_VALUE));
        assertTrue(ex.getMessage().startsWith("inflationBaseMicroCmt must be in [0, 2^62]"), ex.getMessage());
    }

    @Test
    void shouldStopAtTheAwardThatWouldTakeTheSupplyPastLongMax()
    {
        // A genesis at the supply cap (2^62 - 1 µCMT) minting 2^61 a block (a base of 2^61 at 100% over a one-block
        // year). Two awards take the supply to exactly 2^63 - 1; a third would pass it, though no single counter
        // would overflow (A's stake 3 * 2^61 + 10^9 and X's balance each fit): the sum of every balance, pool and
        // lock would wrap, and with it the bound that keeps every balance from wrapping (without this stop, X paid
        // A an escrow of 4 * 10^18 after A withdrew its awards, and A's balance came out -7.5 * 10^18).
        final long stake = 1_000_000_000L;
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":1,\"inflationBaseMicroCmt\":" + (1L << 61) + ",\"candidates\":[" +
            candidate("A", 10 * stake, 100_000, stake) + "]", "X", (1L << 62) - 1 - stake);
        assertEquals((1L << 62) - 1, c.dpos.supplyMicroCmt());
        c.block("");
        c.block("A");
        c.block("A");
        assertEquals(Long.MAX_VALUE, c.dpos.supplyMicroCmt());
        assertEquals(Long.MAX_VALUE, c.state.totalSupplyMicroCmt());
        c.checkConservation();
        final ArithmeticException ex = assertThrows(ArithmeticException.class, () -> c.block("A"));
        assertTrue(ex.getMessage().contains("past 2^63-1"), ex.getMessage());
    }

    @Test
    void shouldLeaveTheStateAsItWasWhenTheAwardStopsTheChain() throws IOException
    {
        // A supply of 2^62 - 1 minting 2^61 - 1 a block plus 1 every other (a base of 2^62 - 1 at 100% over a
        // two-block year): blocks 2 and 3 take the supply to 2^63 - 2, block 4 would pass 2^63 - 1. The award threw
        // after it had taken block 4's remainder into the inflation carry and cleared the last award's records.
        final long stake = 1_000_000_000L;
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":2,\"inflationBaseMicroCmt\":" + ((1L << 62) - 1) + ",\"candidates\":[" +
            candidate("A", 10 * stake, 100_000, stake) + "]", "X", (1L << 62) - 1 - stake);
        c.block("");
        c.block("A");
        c.block("A");
        assertEquals(Long.MAX_VALUE - 1, c.dpos.supplyMicroCmt());
        assertEquals(0, c.dpos.inflationCarry);
        assertEquals(3, c.dpos.awardHeight);
        assertStoppedAsItWas(c, 4);
    }

    @Test
    void shouldLeaveTheYearBaseAsItWasWhenTheAwardStopsTheChain() throws IOException
    {
        // Compounding on a one-block year: each block is a year's first and rebases the year on the supply, which
        // block 2 doubles to 2^63 - 2; block 3 would double it again. The base was taken before the award threw.
        final long stake = 1_000_000_000L;
        final DposChain compounding = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":1,\"compoundOnSupply\":true,\"candidates\":[" +
            candidate("A", 10 * stake, 100_000, stake) + "]", "X", (1L << 62) - 1 - stake);
        compounding.block("");
        compounding.block("A");
        assertEquals(Long.MAX_VALUE - 1, compounding.dpos.supplyMicroCmt());
        assertEquals((1L << 62) - 1, compounding.dpos.yearBaseMicroCmt);
        assertStoppedAsItWas(compounding, 3);
    }

    @Test
    void shouldStopBeforeTheTotalMintedPassesLongMaxLeavingTheStateAsItWas() throws IOException
    {
        // The total minted passes 2^63-1 while the supply does not, slashing having burnt nearly as much (set
        // directly: at 100% a one-block year of a 2^62 base, and 99.9999% slashes, some blocks would do it). The
        // award threw 'long overflow' adding to the total after it had paid A.
        final DposChain burnt = new DposChain(0, SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "]");
        burnt.block("");
        burnt.block("A");
        burnt.dpos.mintedMicroCmt = Long.MAX_VALUE - 999;
        burnt.dpos.slashedMicroCmt = Long.MAX_VALUE - 999 - 1_000;
        assertEquals(burnt.state.totalSupplyMicroCmt(), burnt.dpos.supplyMicroCmt());
        assertStoppedAsItWas(burnt, 3);
    }

    /** Begin block {@code height} signed by A, and expect its award to throw leaving every record as it was. */
    private static void assertStoppedAsItWas(final DposChain c, final long height) throws IOException
    {
        c.dpos.beginBlock(height, new byte[][]{address("A")}, 1);
        final byte[] before = snapshot(c.dpos);
        final ArithmeticException ex = assertThrows(ArithmeticException.class,
            () -> c.dpos.endBlock(c.state.accounts(), 0));
        assertTrue(ex.getMessage().contains("past 2^63-1"), ex.getMessage());
        assertArrayEquals(before, snapshot(c.dpos), "the DPoS state changed before the award threw");
    }

    /** @return every record of a state inside a block, as a snapshot writes it (which it does only between blocks). */
    private static byte[] snapshot(final DposState state) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.inBlock = false;
        try
        {
            DposCodec.write(state, new DataOutputStream(bytes));
        }
        finally
        {
            state.inBlock = true;
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldSplitAwardByPowerThenCommissionWithinAPool()
    {
        // A: max 30,000, commission 10%, self-stake 3,000. B: max 10,000, commission 20%, self-stake 1,000.
        final DposChain c = new DposChain(0, SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "," + candidate("B", 10_000, 200_000, 1_000) + "]", "carol", 5_000);

        // Block 1: nobody signed block 0 (genesis), so no award. carol delegates 1,000 to A: A's pool is now 4,000
        // (A 3,000 shares, carol 1,000 shares).
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("carol", DposDescriptor.DELEGATE,
            DposBodies.stake(address("A"), 1_000))));
        assertEquals(0, c.dpos.mintedMicroCmt());
        assertEquals(4_000, c.candidate("A").pooledMicroCmt());

        // Block 2: A and B signed block 1. Block 1's validators had powers A 3,000, B 1,000 (elected at genesis,
        // before carol's delegation), so the award of 1,000 splits 750 / 250.
        //   A: commission 10% of 750 = 75; the pool keeps 675 -> 4,675; the 75 buys A floor(75 * 4,000 / 4,675) = 64
        //      shares -> 3,064 of 4,064 shares, value 4,750.
        //      A owns floor(3,064 * 4,750 / 4,064) = 3,581; carol floor(1,000 * 4,750 / 4,064) = 1,168; 1 µCMT of
        //      rounding dust stays in the pool. (By hand: carol 1,000 + 750 * 1/4 * 0.9 = 1,168.75.)
        //   B: commission 20% of 250 = 50; pool 1,000 + 200 = 1,200; the 50 buys floor(50 * 1,000 / 1,200) = 41
        //      shares; B is the only holder, so B owns the whole 1,250.
        c.block("A,B");
        assertEquals(1_000, c.dpos.mintedMicroCmt());
        assertEquals(4_750, c.candidate("A").pooledMicroCmt());
        assertEquals(3_581, c.stake("A", "A"));
        assertEquals(1_168, c.stake("A", "carol"));
        assertEquals(1_250, c.stake("B", "B"));
        assertEquals(4_064, c.candidate("A").pools.get(0).totalShares);
        c.checkConservation();

        // Block 3: only A signed block 2 (B missed one). A takes the whole 1,000.
        //   commission 100; pool 4,750 + 900 = 5,650; the 100 buys floor(100 * 4,064 / 5,650) = 71 shares -> 4,135
        //   shares, value 5,750. carol: floor(1,000 * 5,750 / 4,135) = 1,390; A: floor(3,135 * 5,750 / 4,135) = 4,359.
        c.block("A");
        assertEquals(5_750, c.candidate("A").pooledMicroCmt());
        assertEquals(1_390, c.stake("A", "carol"));
        assertEquals(4_359, c.stake("A", "A"));
        assertEquals(1_250, c.stake("B", "B"));
        assertEquals(1, c.candidate("B").missedBlocks);
        assertEquals(2_000, c.dpos.mintedMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldGiveBackupsTheirShareOnlyWhenPresent()
    {
        // One validator seat and one backup seat: A (3,000) validates, B (1,000) is the backup.
        final DposChain c = new DposChain(0, SMALL + ",\"maxValidators\":1,\"maxBackups\":1,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 10_000, 200_000, 1_000) + "]", "B", 10);
        c.block("");
        assertEquals(1, c.dpos.validatorCount());
        assertEquals(1, c.dpos.backupCount());

        // Block 2: 90% of 1,000 to A: commission 90, A is alone in its pool so it owns 3,000 + 900 = 3,900.
        // 10% = 100 to B: B owns 1,000 + 100 = 1,100.
        c.block("A");
        assertEquals(3_900, c.stake("A", "A"));
        assertEquals(1_100, c.stake("B", "B"));

        // Block 3: B deactivates itself during the block, so no backup is present at the award: A takes 100%.
        assertArrayEquals(new int[]{OK},
            c.block("A", c.tx("B", DposDescriptor.DEACTIVATE_CANDIDACY, DposBodies.empty())));
        assertEquals(4_900, c.stake("A", "A"));
        assertEquals(1_100, c.stake("B", "B"));
        c.checkConservation();
    }

    @Test
    void shouldAwardTheBlockFeesWithTheInflation()
    {
        // Fee 10 per transaction. Block 2 carries two transactions: the award is 1,000 + 20 = 1,020, all to A.
        final DposChain c = new DposChain(10, SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "]", "carol", 5_000);
        c.block("");
        final long poolBefore = c.state.feePoolMicroCmt();
        c.block("A",
            c.tx("carol", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 500)),
            c.tx("carol", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 500)));
        // A's pool: 3,000 + 1,000 delegated + 1,020 award = 5,020; no fees went to the fee pool.
        assertEquals(5_020, c.candidate("A").pooledMicroCmt());
        assertEquals(poolBefore, c.state.feePoolMicroCmt());
        assertEquals(1_000, c.dpos.awardMintedMicroCmt);
        assertEquals(20, c.dpos.awardFeesMicroCmt);
        assertEquals(1_020, c.dpos.awardAmounts[0]);
        c.checkConservation();
    }

    @Test
    void shouldSendFeesToThePoolWhenNoValidatorSigned()
    {
        final DposChain c = new DposChain(10, SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "]", "carol", 5_000);
        c.block("", c.tx("carol", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 500)));
        assertEquals(10, c.state.feePoolMicroCmt());
        c.block("", c.tx("carol", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 500)));
        assertEquals(20, c.state.feePoolMicroCmt());
        assertEquals(0, c.dpos.mintedMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldMintTheYearlyAmountExactlyOverAYear()
    {
        // 100 µCMT a year over 7 blocks: 14 per block with a remainder of 2 carried: 14 14 14 15 14 14 15 = 100.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":7,\"inflationBaseMicroCmt\":100,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]");
        c.block("");
        final long[] expected = {14, 14, 14, 15, 14, 14, 15};
        for (final long e : expected)
        {
            c.block("A");
            assertEquals(e, c.dpos.awardMintedMicroCmt);
        }
        assertEquals(100, c.dpos.mintedMicroCmt());
    }

    @Test
    void shouldMintTheCyberMilesBlockAwardOnTheDefaultParameters()
    {
        // 10^9 CMT * 8% / 3,153,600 blocks = 25,367,833.587... µCMT: 25,367,833 with 1,851,200 / 3,153,600 carried,
        // so the second block pays 25,367,834 (carry 3,702,400 - 3,153,600 = 548,800).
        final long stake = 10_000_000_000L;
        final DposChain c = new DposChain(0, "\"candidates\":[" + candidate("A", stake * 10, 100_000, stake) + "]");
        c.block("");
        c.block("A");
        assertEquals(25_367_833, c.dpos.awardMintedMicroCmt);
        c.block("A");
        assertEquals(25_367_834, c.dpos.awardMintedMicroCmt);
        assertEquals(548_800, c.dpos.inflationCarry);
    }

    @Test
    void shouldRebaseACompoundingYearOnTheSupplyAtItsFirstBlock()
    {
        // 100% a year over 10 blocks from a supply of 10^6: 100,000 per rewarded block in year one (blocks 1..10;
        // block 1 mints nothing, no one signed genesis), so year two (blocks 11..20) starts from 1,900,000.
        final DposChain c = compoundingYearOne();
        assertEquals(1_900_000, c.dpos.supplyMicroCmt());
        c.block("A");
        assertEquals(190_000, c.dpos.awardMintedMicroCmt);
        c.block("A");
        assertEquals(190_000, c.dpos.awardMintedMicroCmt);
        c.checkConservation();
    }

    @Test
    void shouldRebaseACompoundingYearWhoseFirstBlockMintsNothing()
    {
        // The base of year two is the supply at its first block, block 11, whether or not block 11 mints (here no
        // one signed block 10): blocks 12.. of year two mint 190,000, not year one's 100,000.
        final DposChain c = compoundingYearOne();
        c.block("");
        assertEquals(0, c.dpos.awardMintedMicroCmt);
        c.block("");
        c.block("A");
        assertEquals(190_000, c.dpos.awardMintedMicroCmt);
        c.checkConservation();
    }

    /** 100% a year over 10 blocks from a supply of 10^6, run through year one: 100,000 minted a rewarded block. */
    private static DposChain compoundingYearOne()
    {
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":10,\"compoundOnSupply\":true,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "carol", 997_000);
        c.block("");
        for (int h = 2; h <= 10; h++)
        {
            c.block("A");
            assertEquals(100_000, c.dpos.awardMintedMicroCmt, "block " + h);
        }
        return c;
    }

    @Test
    void shouldPayMoreThanThirtyTwoRecipientsInOneAward()
    {
        // 34 validators and 6 backups, all present: 40 recipients, past the award log's initial 32 entries.
        allPresentTakeTheWholeAward(34, 6);
    }

    @Test
    void shouldGiveThirtyTwoValidatorsTheWholeAwardWithoutABackupSeat()
    {
        // 32 validators, no backup seat, all present: the validators take all of A, and their 32 entries fill the
        // award log exactly (its initial size), and a backup group with no one present adds no entry past them.
        allPresentTakeTheWholeAward(32, 0);
    }

    /** Every elected candidate signs block 1; block 2's award goes to all of them, one entry each, and adds up. */
    private static void allPresentTakeTheWholeAward(final int validators, final int backups)
    {
        final int elected = validators + backups;
        final StringBuilder candidates = new StringBuilder();
        final StringBuilder signers = new StringBuilder();
        for (int i = 0; i < elected; i++)
        {
            candidates.append(i == 0 ? "" : ",").append(candidate("v" + i, 10_000 + 100 * i, 100_000, 1_000 + 10 * i));
            signers.append(i == 0 ? "" : ",").append("v").append(i);
        }
        final DposChain c = new DposChain(0, SMALL + ",\"maxValidators\":" + validators + ",\"maxBackups\":" +
            backups + ",\"candidates\":[" + candidates + "]");
        c.block("");
        c.block(signers.toString());
        assertEquals(elected, c.dpos.awardRecipients.size());
        long paid = 0;
        for (int i = 0; i < elected; i++)
        {
            paid += c.dpos.awardAmounts[i];
        }
        assertEquals(1_000, paid);
        c.checkConservation();
    }

    @Test
    void shouldGiveValidatorsTheBackupsShareWhenTheOnlyBackupsStakeHasAllLeft()
    {
        // E, the one backup (self-stake 1 ppm of its maximum rounds to 0; commission 1 ppm, so its commissions round
        // to 0 too), withdraws all of its stake in block 2; the entry is paid at the end of block 3, whose election
        // drops E. At block 4's award E is still the backup of block 3 and active, but holds nothing: no backup is
        // present, so the validators A and B get all of the award (docs/dpos.md: backups present get A - V).
        final DposChain c = new DposChain(0, SMALL + ",\"selfStakePpm\":1,\"unbondingBlocks\":1,\"maxValidators\":2," +
            "\"maxBackups\":1,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," +
            candidate("B", 30_000, 100_000, 2_000) + "," + candidate("E", 30_000, 1, 1_000) + "]", "E", 10);
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("A,B",
            c.tx("E", DposDescriptor.WITHDRAW, DposBodies.stake(address("E"), 1_000))));
        c.block("A,B");
        assertEquals(0, c.candidate("E").pooledMicroCmt());
        assertTrue(c.candidate("E").active);
        assertEquals(c.candidate("E"), c.dpos.prevBackups[0]);
        assertEquals(0, c.dpos.backupCount());
        final long powerA = c.dpos.prevValidatorPower[0];
        final long powerB = c.dpos.prevValidatorPower[1];
        c.block("A,B");
        assertEquals(2, c.dpos.awardRecipients.size());
        final long toB = 1_000 * powerB / (powerA + powerB);
        assertEquals(1_000 - toB, c.dpos.awardAmounts[0]);
        assertEquals(toB, c.dpos.awardAmounts[1]);
        c.checkConservation();
    }

    /**
     * A self-stake of 1 ppm of a 30,000 maximum rounds to 0, so A may withdraw all of its own stake, emptying pool 0
     * while dan (5%) and eve (2%) hold pools of their own: the chain after that block and one more.
     */
    private static DposChain ownerPoolEmptied()
    {
        final DposChain c = new DposChain(0, SMALL + ",\"selfStakePpm\":1,\"unbondingBlocks\":1,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10, "dan", 1_000, "eve", 1_100);
        assertArrayEquals(new int[]{OK, OK}, c.block("",
            c.tx("dan", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 1_000)),
            c.tx("eve", DposDescriptor.DELEGATE, DposBodies.stake(address("A"), 1_100))));
        assertArrayEquals(new int[]{OK, OK, OK}, c.block("",
            c.tx("A", DposDescriptor.SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 50_000)),
            c.tx("A", DposDescriptor.SET_COMP_RATE, DposBodies.setCompRate(address("eve"), 20_000)),
            c.tx("A", DposDescriptor.WITHDRAW, DposBodies.stake(address("A"), 3_000))));
        c.block("");
        return c;
    }

    @Test
    void shouldPayTheWholeRewardWhenTheOwnersPoolIsEmpty()
    {
        // A self-stake of 1 ppm of a 30,000 maximum rounds to 0, so A may withdraw all of its own stake, emptying
        // pool 0 while dan (5%) and eve (2%) hold pools of their own. The reward is split over pools by value:
        // 1,000 * 1,000 / 2,100 = 476 and 1,000 * 1,100 / 2,100 = 523; the 1 µCMT of remainder, which goes to pool 0,
        // must still go somewhere in A's stake, or the award does not add up to what was minted.
        final DposChain c = ownerPoolEmptied();
        assertEquals(0, c.candidate("A").pools.get(0).valueMicroCmt);
        assertEquals(0, c.stake("A", "A"));
        assertEquals(2_100, c.candidate("A").pooledMicroCmt());
        c.block("A");
        assertEquals(1_000, c.dpos.awardMintedMicroCmt);
        assertEquals(3_100, c.candidate("A").pooledMicroCmt());
        // The remainder (1) and the commissions (23 + 10) bought A shares 1:1 in its empty pool 0.
        assertEquals(34, c.candidate("A").pools.get(0).totalShares);
        assertEquals(34, c.stake("A", "A"));
        c.checkConservation();
    }

    @Test
    void shouldPayAWithdrawnCandidatesCommissionsToItsOwnerWhenNoOneHoldsPoolZero()
    {
        // As above, A has emptied its pool 0 while dan (5%) and eve (2%) hold pools of their own; then A withdraws its
        // candidacy in a block it is rewarded for (it signed the block before, as a validator of the set in force).
        // Its owner delegation is gone, so nothing can buy shares in pool 0: the commissions (23 + 10) and pool 0's
        // remainder (1) used to sit in pool 0 as value without shares, no one's for good (the audit failed: shares
        // 0, value 34). They are the owner's, and go to its account.
        final DposChain c = ownerPoolEmptied();
        assertEquals(0, c.candidate("A").pools.get(0).totalShares);
        assertEquals(3_010, c.balance("A"));
        assertArrayEquals(new int[]{OK},
            c.block("A", c.tx("A", DposDescriptor.WITHDRAW_CANDIDACY, DposBodies.empty())));
        assertEquals(1_000, c.dpos.awardAmounts[0]);
        assertEquals(3_010 + 34, c.balance("A"));
        assertEquals(0, c.candidate("A").pools.get(0).valueMicroCmt);
        c.checkConservation();
        // A is still a validator of the set in force for the next block, and signs it: rewarded again, paid again.
        c.block("A");
        assertEquals(1, c.dpos.awardRecipients.size());
        assertEquals(0, c.candidate("A").pools.get(0).valueMicroCmt);
        assertEquals(0, c.candidate("A").pooledMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldLeaveOutASignerWhoseStakeHasAllLeft()
    {
        // A (self-stake 1 ppm of its maximum rounds to 0; commission 1 ppm, so its commissions round to 0 too)
        // withdraws all of its stake in block 2; the entry keeps earning until it is paid at the end of block 3,
        // and the election at that block end drops A. A signed
        // block 3 as one of its validators, but at block 4's award it holds nothing: B and C share the award by
        // their powers alone, as if A had not signed.
        final DposChain c = new DposChain(0, SMALL + ",\"selfStakePpm\":1,\"unbondingBlocks\":1,\"candidates\":[" +
            candidate("A", 30_000, 1, 3_000) + "," + candidate("B", 30_000, 100_000, 2_000) + "," +
            candidate("C", 30_000, 100_000, 1_000) + "]", "A", 10);
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("A,B,C",
            c.tx("A", DposDescriptor.WITHDRAW, DposBodies.stake(address("A"), 3_000))));
        c.block("A,B,C");
        assertEquals(0, c.candidate("A").pooledMicroCmt());
        assertEquals(2, c.dpos.validatorCount());
        final long powerB = c.dpos.prevValidatorPower[1];
        final long powerC = c.dpos.prevValidatorPower[2];
        assertEquals(c.candidate("B"), c.dpos.prevValidators[1]);
        assertEquals(c.candidate("C"), c.dpos.prevValidators[2]);
        c.block("A,B,C");
        assertEquals(2, c.dpos.awardRecipients.size());
        assertEquals(c.candidate("B"), c.dpos.awardRecipients.get(0));
        final long toC = 1_000 * powerC / (powerB + powerC);
        assertEquals(1_000 - toC, c.dpos.awardAmounts[0]);
        assertEquals(toC, c.dpos.awardAmounts[1]);
        assertEquals(0, c.candidate("A").pooledMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldCompoundOnSupplyWhenSwitchedOn()
    {
        // Supply at genesis: 3,000 staked + 997,000 held by carol = 10^6; 100% a year over 1,000 blocks: 1,000 per
        // block in year one (blocks 1..1000 start from the genesis supply).
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"inflationPpm\":1000000," +
            "\"blocksPerYear\":1000,\"compoundOnSupply\":true,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "carol", 997_000);
        c.block("");
        c.block("A");
        assertEquals(1_000, c.dpos.awardMintedMicroCmt);
    }
}
