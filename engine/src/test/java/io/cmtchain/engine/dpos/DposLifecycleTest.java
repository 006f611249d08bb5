package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The block lifecycle as the node drives it (docs/dpos.md, "Block lifecycle", "Replay and recovery"): which signers
 * count, the order beginBlock and endBlock must come in, genesis closing, and what the node reads to check a block
 * (the current and previous validators, their keys, the next proposer) and reports (voting power).
 */
class DposLifecycleTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final byte[][] NO_SIGNERS = new byte[0][];

    /** Two validator seats and one backup seat: A (3,000) and B (2,000) validate, E (1,000) is the backup. */
    private static DposChain chain()
    {
        return new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":2,\"maxBackups\":1," +
            "\"maxMissedBlocks\":1000,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," +
            candidate("B", 20_000, 100_000, 2_000) + "," + candidate("E", 10_000, 100_000, 1_000) + "]",
            "B", 10);
    }

    @Test
    void shouldCountEachSignerThatValidatedThePreviousBlockOnce()
    {
        final DposChain c = chain();
        // Block 1: genesis has no previous sets, so no signer of block 0 is anyone's validator.
        c.block("A,B");
        assertEquals(0, c.recognised);
        assertEquals(0, c.dpos.mintedMicroCmt());
        // The backup E, a stranger and A twice: A and B, once each.
        c.block("A,E,stranger,B,A");
        assertEquals(2, c.recognised);
        c.block("B");
        assertEquals(1, c.recognised);
        c.block("");
        assertEquals(0, c.recognised);
    }

    @Test
    void shouldRefuseBlocksOutOfOrderBegunTwiceOrEndedWithoutBeginning()
    {
        final DposChain c = chain();
        c.block("");
        final DposState d = c.dpos;
        assertEquals(1, d.height());
        assertThrows(IllegalStateException.class, () -> d.beginBlock(1, NO_SIGNERS, 0));
        assertThrows(IllegalStateException.class, () -> d.beginBlock(3, NO_SIGNERS, 0));
        final IllegalStateException unbegun = assertThrows(IllegalStateException.class,
            () -> d.endBlock(c.state.accounts(), 0));
        assertTrue(unbegun.getMessage().contains("at height 2"), unbegun.getMessage());
        assertEquals(1, d.height());

        d.beginBlock(2, NO_SIGNERS, 0);
        assertThrows(IllegalStateException.class, () -> d.beginBlock(3, NO_SIGNERS, 0));
        assertEquals(2, d.height());
        d.endBlock(c.state.accounts(), 0);
        assertThrows(IllegalStateException.class, () -> d.endBlock(c.state.accounts(), 0));
        d.beginBlock(3, NO_SIGNERS, 0);
        d.endBlock(c.state.accounts(), 0);
        assertEquals(3, d.height());
    }

    @Test
    void shouldTakeGenesisRecordsOnlyBeforeTheFirstBlock()
    {
        // Closed by the genesis endBlock.
        final DposState closed = genesis();
        closed.endBlock(null, 0);
        assertThrows(IllegalStateException.class, () -> closed.genesisCandidate(address("B"), key("B").publicKey(),
            20_000, 100_000, 2_000, new byte[0]));
        assertThrows(IllegalStateException.class, () -> closed.genesisDelegation(address("dan"), address("A"), 1_000));

        // Or by the first block begun, even by a caller that skipped closing genesis.
        final DposState begun = genesis();
        begun.beginBlock(1, NO_SIGNERS, 0);
        assertThrows(IllegalStateException.class, () -> begun.genesisCandidate(address("B"), key("B").publicKey(),
            20_000, 100_000, 2_000, new byte[0]));
        assertThrows(IllegalStateException.class, () -> begun.genesisDelegation(address("dan"), address("A"), 1_000));
        assertEquals(1, begun.candidateCount());
        assertEquals(3_000, begun.heldMicroCmt());
    }

    private static DposState genesis()
    {
        final DposState s = new DposState(new DposParams().set(DposParams.MIN_DELEGATION, 100));
        s.genesisCandidate(address("A"), key("A").publicKey(), 30_000, 100_000, 3_000, new byte[0]);
        return s;
    }

    @Test
    void shouldExposeTheSetsThatABlockIsCheckedAgainst()
    {
        // Replay checks a block's proposer against nextProposer() and its commit signers against the validators of
        // the block before, with their consensus keys. B deactivates in block 2: the election at its end seats A and
        // E for block 3, while A and B remain the validators of block 2.
        final DposChain c = chain();
        c.block("");
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("B", DposDescriptor.DEACTIVATE_CANDIDACY,
            DposBodies.empty())));
        final DposState d = c.dpos;

        assertEquals(2, d.validatorCount());
        assertEquals(0, d.validatorIndex(address("A")));
        assertEquals(1, d.validatorIndex(address("E")));
        assertEquals(-1, d.validatorIndex(address("B")));
        assertEquals(-1, d.validatorIndex(address("stranger")));
        assertTrue(d.validatorHasKey(1, key("E").publicKey()));
        assertFalse(d.validatorHasKey(1, key("A").publicKey()));

        assertEquals(2, d.previousValidatorCount());
        assertTrue(d.isPreviousValidator(1, address("B")));
        assertFalse(d.isPreviousValidator(1, address("E")));
        assertArrayEquals(address("B"), d.previousValidator(1));
        final byte[] out = new byte[20];
        d.previousValidator(1, out);
        assertArrayEquals(address("B"), out);
        assertArrayEquals(key("B").publicKey(), d.previousValidatorPublicKey(1));
        assertTrue(d.previousValidatorHasKey(1, key("B").publicKey()));
        assertFalse(d.previousValidatorHasKey(1, key("E").publicKey()));

        // The next proposer is one of the validators of the next block, and only it is.
        final byte[] proposer = d.nextProposer();
        final int index = d.validatorIndex(proposer);
        assertTrue(index >= 0);
        final byte[] other = d.validator(1 - index);
        assertTrue(d.isNextProposer(proposer));
        assertFalse(d.isNextProposer(other));
        final byte[] at = new byte[23];
        assertTrue(d.nextProposer(at, 3));
        assertArrayEquals(proposer, java.util.Arrays.copyOfRange(at, 3, 23));
    }

    @Test
    void shouldHaveNoProposerWithoutValidators()
    {
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10);
        c.block("", c.tx("A", DposDescriptor.DEACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(0, c.dpos.validatorCount());
        assertNull(c.dpos.nextProposer());
        final byte[] out = new byte[20];
        assertFalse(c.dpos.nextProposer(out, 0));
        assertArrayEquals(new byte[20], out);
        assertFalse(c.dpos.isNextProposer(address("A")));
    }

    @Test
    void shouldReportTheCappedVotingPowerOfTheElectedAndOfTheRest()
    {
        // One seat, cap 30%: A (3,000) is elected alone, S = 3,000, cap 900. B (2,000), not elected, would vote with
        // min(2,000, 900) = 900; C, deactivated, with nothing.
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":100,\"validatorCapPpm\":300000," +
            "\"maxValidators\":1,\"maxBackups\":0,\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," +
            candidate("B", 20_000, 100_000, 2_000) + "," + candidate("C", 10_000, 100_000, 1_000) + "]", "C", 10);
        c.block("", c.tx("C", DposDescriptor.DEACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(900, c.dpos.powerCapMicroCmt);
        assertEquals(900, c.dpos.votingPower(c.candidate("A")));
        assertEquals(900, c.dpos.votingPower(c.candidate("B")));
        assertEquals(0, c.dpos.votingPower(c.candidate("C")));
    }
}
