package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposDescriptor.PROPOSE;
import static io.cmtchain.engine.dpos.DposDescriptor.VOTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Governance: three validators with powers 5,000 / 3,000 / 2,000 (cap off) and a backup E. 2/3 of 10,000 is
 * 6,667 (rounded up: 10,000 - floor(10,000 / 3)). So A + B (8,000) pass, A alone (5,000) does not, B + C (5,000)
 * cannot reject, A + C (7,000) can.
 */
class DposGovernanceTest
{
    private static final int OK = ReceiptStatus.OK.value();

    private static DposChain chain()
    {
        return new DposChain(0, DposRewardTest.SMALL + ",\"maxValidators\":3,\"maxBackups\":1," +
            "\"maxMissedBlocks\":1000,\"proposalExpiryBlocks\":4,\"candidates\":[" +
            candidate("A", 50_000, 100_000, 5_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "," +
            candidate("C", 20_000, 100_000, 2_000) + "," + candidate("E", 10_000, 100_000, 1_000) + "]",
            "A", 10, "B", 10, "C", 10, "E", 10, "treasury", 50_000, "shop", 0);
    }

    @Test
    void shouldPassAtTwoThirdsAndTakeEffectAtThatBlockEnd()
    {
        final DposChain c = chain();
        c.block("");
        assertEquals(3, c.dpos.validatorCount());
        assertArrayEquals(new int[]{OK}, c.block("",
            c.tx("E", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_VALIDATORS, 2))));
        // A alone: 5,000 < 6,667. E is a backup: it may vote, but only validators' power counts.
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 1)), c.tx("E", VOTE, DposBodies.vote(1, 1)));
        assertEquals(Proposal.OPEN, c.dpos.proposals.get(1L).status);
        assertEquals(3, c.dpos.validatorCount());
        // B joins: 8,000 >= 6,667: passed at the end of this block, so the election at this same block end already
        // seats only two validators (C becomes a backup, E drops out).
        final long h = c.chain.height() + 1;
        c.block("", c.tx("B", VOTE, DposBodies.vote(1, 1)));
        final Proposal p = c.dpos.proposals.get(1L);
        assertEquals(Proposal.PASSED, p.status);
        assertEquals(h, p.decidedHeight);
        assertEquals(2, c.dpos.params.maxValidators());
        assertEquals(2, c.dpos.validatorCount());
        assertEquals(1, c.dpos.backupCount());
        c.checkConservation();
    }

    @Test
    void shouldLetVotesChangeAndRejectAtTwoThirdsNo()
    {
        final DposChain c = chain();
        c.block("");
        c.block("", c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)));
        // B + C say no: 5,000 < 6,667, still open.
        c.block("", c.tx("B", VOTE, DposBodies.vote(1, 0)), c.tx("C", VOTE, DposBodies.vote(1, 0)));
        assertEquals(Proposal.OPEN, c.dpos.proposals.get(1L).status);
        c.checkConservation();
        // C changes its mind to yes, then A votes no: no = A + B = 8,000: rejected.
        c.block("", c.tx("C", VOTE, DposBodies.vote(1, 1)), c.tx("A", VOTE, DposBodies.vote(1, 0)));
        assertEquals(Proposal.REJECTED, c.dpos.proposals.get(1L).status);
        assertEquals(1, c.dpos.params.maxBackups());
        c.checkConservation();
    }

    @Test
    void shouldTallyTheProposalsLeftOpenAfterASnapshotIsReadBack()
    {
        // A node restarted from a snapshot decides what a node that ran on decides: proposal 1 (rejected before the
        // snapshot) stays decided, proposal 2 (open, A's 5,000 yes) passes when B's vote comes after the restart.
        final DposChain c = chain();
        c.block("");
        c.block("", c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)),
            c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 2)));
        final long rejectedAt = c.chain.height() + 1;
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 0)), c.tx("C", VOTE, DposBodies.vote(1, 0)),
            c.tx("A", VOTE, DposBodies.vote(2, 1)));
        assertEquals(Proposal.REJECTED, c.dpos.proposals.get(1L).status);
        assertEquals(Proposal.OPEN, c.dpos.proposals.get(2L).status);

        c.reloadDpos();
        c.block("", c.tx("B", VOTE, DposBodies.vote(2, 1)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(2L).status);
        assertEquals(2, c.dpos.params.maxBackups());
        assertEquals(Proposal.REJECTED, c.dpos.proposals.get(1L).status);
        assertEquals(rejectedAt, c.dpos.proposals.get(1L).decidedHeight);
        c.checkConservation();
    }

    @Test
    void shouldExpireAfterTheExpiryHeight()
    {
        final DposChain c = chain();
        c.block("");
        c.block("", c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)));
        final long created = c.chain.height();
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 1)));
        while (c.chain.height() < created + 3)
        {
            c.block("");
            assertEquals(Proposal.OPEN, c.dpos.proposals.get(1L).status);
        }
        c.block("");
        assertEquals(Proposal.EXPIRED, c.dpos.proposals.get(1L).status);
        assertEquals(created + 4, c.dpos.proposals.get(1L).decidedHeight);
        c.checkConservation();
    }

    @Test
    void shouldDecideAtExactlyTwoThirds()
    {
        // Three validators of 3,000 each: 2/3 of 9,000 is exactly 6,000, two of them.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"maxMissedBlocks\":1000,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "," + candidate("B", 30_000, 100_000, 3_000) + "," +
            candidate("C", 30_000, 100_000, 3_000) + "]", "A", 10, "B", 10, "C", 10);
        c.block("");
        // A parameter change keeps no amount, whatever the body carries there.
        c.block("", c.tx("A", PROPOSE, DposBodies.propose(DposDescriptor.KIND_CHANGE_PARAM, DposParams.MAX_BACKUPS, 3,
            500)), c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 4)));
        assertEquals(0, c.dpos.proposals.get(1L).amountMicroCmt);
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 1)), c.tx("B", VOTE, DposBodies.vote(1, 1)),
            c.tx("B", VOTE, DposBodies.vote(2, 0)), c.tx("C", VOTE, DposBodies.vote(2, 0)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(1L).status);
        assertEquals(Proposal.REJECTED, c.dpos.proposals.get(2L).status);
        assertEquals(3, c.dpos.params.maxBackups());
        c.checkConservation();
    }

    @Test
    void shouldDecideNothingWithoutValidators()
    {
        // A, the only candidate, proposes and steps down: from the next block there is no validator power at all,
        // and an open proposal must wait for its expiry, not pass on zero votes of zero.
        final DposChain c = new DposChain(0, DposRewardTest.SMALL + ",\"proposalExpiryBlocks\":4,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 10);
        c.block("");
        c.block("", c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)),
            c.tx("A", DposDescriptor.DEACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(0, c.dpos.validatorCount());
        c.block("");
        c.block("");
        assertEquals(Proposal.OPEN, c.dpos.proposals.get(1L).status);
        assertEquals(5, c.dpos.params.maxBackups());
    }

    @Test
    void shouldLimitTheOpenProposalsOfOneProposer()
    {
        // Every block end walks every open proposal: one proposer keeps at most MAX_OPEN_PROPOSALS open at a time,
        // checked before the proposal is recorded (the rejected one changes nothing but the fee).
        final DposChain c = chain();
        c.block("");
        final int limit = DposTransactions.MAX_OPEN_PROPOSALS;
        final byte[][] frames = new byte[limit + 1][];
        for (int i = 0; i < frames.length; i++)
        {
            frames[i] = c.tx("E", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 1 + i));
        }
        final int[] statuses = c.block("", frames);
        for (int i = 0; i < limit; i++)
        {
            assertEquals(OK, statuses[i], "proposal " + i);
        }
        assertEquals(ReceiptStatus.TOO_MANY_PROPOSALS.value(), statuses[limit]);
        assertEquals(limit, c.dpos.proposals.size());
        assertEquals(limit + 1, c.dpos.nextProposalId);
        // Another proposer has its own allowance.
        assertArrayEquals(new int[]{OK},
            c.block("", c.tx("A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 2))));
        // Once one of E's is decided, E may propose again.
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 1)), c.tx("B", VOTE, DposBodies.vote(1, 1)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(1L).status);
        assertArrayEquals(new int[]{OK, ReceiptStatus.TOO_MANY_PROPOSALS.value()}, c.block("",
            c.tx("E", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 3)),
            c.tx("E", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 4))));
        c.checkConservation();
    }

    @Test
    void shouldRejectATransferToItsOwnSource()
    {
        // transfer_fund moves funds from an account to another: one to its own source would pass as a transfer that
        // moved nothing (or as passed_not_executed, by the source's balance). Rejected, after the fee, recording
        // nothing.
        final DposChain c = chain();
        c.block("");
        assertArrayEquals(new int[]{ReceiptStatus.INVALID_PARAMETER.value()}, c.block("",
            c.tx("A", PROPOSE, DposBodies.proposeTransferFund(address("treasury"), address("treasury"), 100))));
        assertEquals(0, c.dpos.proposals.size());
        assertEquals(1, c.dpos.nextProposalId);
        c.checkConservation();
    }

    @Test
    void shouldKeepOnlyTheFieldsOfTheProposalsKind()
    {
        // A body carries every kind's fields; the proposal keeps its kind's and zeroes the others, as the amount of a
        // parameter change and the parameter of a transfer are: nothing the proposer chose is hashed for good.
        final DposChain c = chain();
        c.block("");
        final byte[] change = DposBodies.proposeTransferFund(address("treasury"), address("shop"), 500);
        change[DposDescriptor.PROPOSE_KIND_OFFSET] = (byte)DposDescriptor.KIND_CHANGE_PARAM;
        change[DposDescriptor.PROPOSE_PARAM_OFFSET] = (byte)DposParams.MAX_BACKUPS;
        change[DposDescriptor.PROPOSE_VALUE_OFFSET] = 3;
        final byte[] transfer = DposBodies.proposeTransferFund(address("treasury"), address("shop"), 500);
        transfer[DposDescriptor.PROPOSE_PARAM_OFFSET] = (byte)DposParams.MAX_BACKUPS;
        transfer[DposDescriptor.PROPOSE_VALUE_OFFSET] = 3;
        assertArrayEquals(new int[]{OK, OK}, c.block("", c.tx("A", PROPOSE, change), c.tx("A", PROPOSE, transfer)));
        final Proposal p = c.dpos.proposals.get(1L);
        assertEquals(DposParams.MAX_BACKUPS, p.paramId);
        assertEquals(3, p.value);
        assertArrayEquals(new byte[20], p.from.raw());
        assertArrayEquals(new byte[20], p.to.raw());
        assertEquals(0, p.amountMicroCmt);
        final Proposal t = c.dpos.proposals.get(2L);
        assertEquals(0, t.paramId);
        assertEquals(0, t.value);
        assertArrayEquals(address("treasury"), t.from.raw());
        assertArrayEquals(address("shop"), t.to.raw());
        assertEquals(500, t.amountMicroCmt);
    }

    @Test
    void shouldTransferFundsWhenPassedAndRecordAFailedTransfer()
    {
        final DposChain c = chain();
        c.block("");
        c.block("",
            c.tx("A", PROPOSE, DposBodies.proposeTransferFund(address("treasury"), address("shop"), 20_000)),
            c.tx("A", PROPOSE, DposBodies.proposeTransferFund(address("treasury"), address("shop"), 40_000)));
        c.block("", c.tx("A", VOTE, DposBodies.vote(1, 1)), c.tx("C", VOTE, DposBodies.vote(1, 1)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(1L).status);
        assertEquals(30_000, c.balance("treasury"));
        assertEquals(20_000, c.balance("shop"));
        // The second asks for 40,000 of the 30,000 left: passed, not executed, nothing moved.
        c.block("", c.tx("A", VOTE, DposBodies.vote(2, 1)), c.tx("B", VOTE, DposBodies.vote(2, 1)));
        assertEquals(Proposal.PASSED_NOT_EXECUTED, c.dpos.proposals.get(2L).status);
        assertEquals(30_000, c.balance("treasury"));
        // Exactly what is left is payable.
        c.block("", c.tx("A", PROPOSE, DposBodies.proposeTransferFund(address("treasury"), address("shop"), 30_000)));
        c.block("", c.tx("A", VOTE, DposBodies.vote(3, 1)), c.tx("B", VOTE, DposBodies.vote(3, 1)));
        assertEquals(Proposal.PASSED, c.dpos.proposals.get(3L).status);
        assertEquals(0, c.balance("treasury"));
        assertEquals(50_000, c.balance("shop"));
        c.checkConservation();
    }
}
