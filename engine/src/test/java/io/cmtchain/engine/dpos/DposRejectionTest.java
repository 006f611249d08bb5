package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every rejection code a DPoS transaction can get, each from the smallest case that produces it. */
class DposRejectionTest
{
    private static final String PARAMS = DposRewardTest.SMALL + ",\"foundation\":\"" + DposChain.hex("foundation") +
        "\",\"maxValidators\":1,\"maxBackups\":1,\"maxMissedBlocks\":1000";

    private static DposChain chain()
    {
        // A validates, B is the backup, C is a plain candidate (third by stake).
        return new DposChain(1, PARAMS + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) + "," +
            candidate("B", 20_000, 100_000, 2_000) + "," + candidate("C", 10_000, 100_000, 1_000) + "]",
            "A", 100_000, "B", 100_000, "C", 100_000, "dan", 100_000, "foundation", 100, "poor", 5);
    }

    private static int one(final DposChain c, final String from, final int type, final byte[] body)
    {
        return c.block("", c.tx(from, type, body))[0];
    }

    private static int code(final ReceiptStatus s)
    {
        return s.value();
    }

    @Test
    void shouldRejectCandidacyTransactions()
    {
        final DposChain c = chain();
        final byte[] danKey = key("dan").publicKey();
        assertEquals(code(ReceiptStatus.CANDIDATE_EXISTS),
            one(c, "A", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1, new byte[0])));
        assertEquals(code(ReceiptStatus.CANDIDATE_EXISTS), one(c, "dan", DECLARE_CANDIDACY,
            DposBodies.declareCandidacy(key("A").publicKey(), 10_000, 1, new byte[0])));
        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 0, new byte[0])));
        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1_000_000, new byte[0])));
        assertEquals(code(ReceiptStatus.DESCRIPTION_TOO_LONG),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1, new byte[129])));
        // 256 and 300 bytes: the length byte must still claim too much, not wrap to 0 and 44 (an accepted, cut
        // description).
        assertEquals(code(ReceiptStatus.DESCRIPTION_TOO_LONG),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1, new byte[256])));
        assertEquals(code(ReceiptStatus.DESCRIPTION_TOO_LONG),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1, new byte[300])));
        assertEquals(code(ReceiptStatus.INVALID_AMOUNT),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 0, 1, new byte[0])));
        // Self-stake 10% of 999 = 99 < the minimum delegation of 100.
        assertEquals(code(ReceiptStatus.MAX_STAKE_TOO_LOW),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 999, 1, new byte[0])));
        assertEquals(code(ReceiptStatus.INSUFFICIENT_FUNDS),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000_000, 1, new byte[0])));
        assertEquals(code(ReceiptStatus.OK),
            one(c, "dan", DECLARE_CANDIDACY, DposBodies.declareCandidacy(danKey, 10_000, 1, new byte[128])));
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", UPDATE_CANDIDACY, DposBodies.updateCandidacy(10_000,
            new byte[128])));

        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE),
            one(c, "foundation", UPDATE_CANDIDACY, DposBodies.updateCandidacy(10_000, new byte[0])));
        assertEquals(code(ReceiptStatus.DESCRIPTION_TOO_LONG),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(30_000, new byte[200])));
        assertEquals(code(ReceiptStatus.DESCRIPTION_TOO_LONG),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(30_000, new byte[256])));
        assertEquals(code(ReceiptStatus.INVALID_AMOUNT),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(-1, new byte[0])));
        assertEquals(code(ReceiptStatus.MAX_STAKE_TOO_LOW),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(2_000, new byte[0])));
        assertEquals(code(ReceiptStatus.INSUFFICIENT_FUNDS),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(100_000_000, new byte[0])));
        // Raising A's max from 30,000 to 40,000 charges 10% of the difference: 1,000 more self-stake.
        final long before = c.balance("A");
        assertEquals(code(ReceiptStatus.OK),
            one(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(40_000, new byte[0])));
        assertEquals(before - 1_000 - 1, c.balance("A"));

        assertEquals(code(ReceiptStatus.ALREADY_IN_STATE), one(c, "A", ACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.OK), one(c, "C", DEACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.ALREADY_IN_STATE), one(c, "C", DEACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE), one(c, "poor", ACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.OK), one(c, "C", WITHDRAW_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.CANDIDATE_WITHDRAWN), one(c, "C", WITHDRAW_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.CANDIDATE_WITHDRAWN), one(c, "C", ACTIVATE_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.CANDIDATE_WITHDRAWN),
            one(c, "C", UPDATE_CANDIDACY, DposBodies.updateCandidacy(10_000, new byte[0])));
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE), one(c, "poor", WITHDRAW_CANDIDACY, DposBodies.empty()));

        assertEquals(code(ReceiptStatus.UNAUTHORIZED),
            one(c, "A", VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address("A"), 1)));
        assertEquals(code(ReceiptStatus.INVALID_BODY),
            one(c, "foundation", VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address("A"), 2)));
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE),
            one(c, "foundation", VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address("poor"), 1)));
        assertEquals(code(ReceiptStatus.OK),
            one(c, "foundation", VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address("A"), 1)));
        assertEquals(true, c.candidate("A").verified);
        // B, the backup, is touched by nothing else in its block: the flag alone must reach the digest.
        assertEquals(code(ReceiptStatus.OK),
            one(c, "foundation", VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address("B"), 1)));
        c.checkConservation();
    }

    @Test
    void shouldRejectDelegationTransactions()
    {
        final DposChain c = chain();
        final byte[] a = address("A");
        assertEquals(code(ReceiptStatus.INVALID_AMOUNT), one(c, "dan", DELEGATE, DposBodies.stake(a, 0)));
        assertEquals(code(ReceiptStatus.INSUFFICIENT_FUNDS), one(c, "dan", DELEGATE, DposBodies.stake(a, 1_000_000)));
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE),
            one(c, "dan", DELEGATE, DposBodies.stake(address("x"), 10)));
        // A holds 3,000 of a 30,000 maximum.
        assertEquals(code(ReceiptStatus.STAKE_ABOVE_MAX), one(c, "dan", DELEGATE, DposBodies.stake(a, 27_001)));
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", DELEGATE, DposBodies.stake(a, 27_000)));

        assertEquals(code(ReceiptStatus.INVALID_AMOUNT), one(c, "dan", WITHDRAW, DposBodies.stake(a, -5)));
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE), one(c, "dan", WITHDRAW, DposBodies.stake(address("x"), 5)));
        assertEquals(code(ReceiptStatus.NO_SUCH_DELEGATION), one(c, "poor", WITHDRAW, DposBodies.stake(a, 1)));
        assertEquals(code(ReceiptStatus.INSUFFICIENT_FUNDS), one(c, "dan", WITHDRAW, DposBodies.stake(a, 1_000_000)));
        // A's self-stake is 10% of 30,000 = 3,000: it may not withdraw below it.
        assertEquals(code(ReceiptStatus.BELOW_SELF_STAKE), one(c, "A", WITHDRAW, DposBodies.stake(a, 1)));

        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE),
            one(c, "dan", SET_COMP_RATE, DposBodies.setCompRate(address("A"), 1)));
        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 100_001)));
        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), -1)));
        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("A"), 1)));
        assertEquals(code(ReceiptStatus.NO_SUCH_DELEGATION),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("poor"), 1)));
        assertEquals(code(ReceiptStatus.OK),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 50_000)));
        assertEquals(2, c.candidate("A").pools.size());

        assertEquals(code(ReceiptStatus.OK), one(c, "C", WITHDRAW_CANDIDACY, DposBodies.empty()));
        assertEquals(code(ReceiptStatus.CANDIDATE_WITHDRAWN),
            one(c, "dan", DELEGATE, DposBodies.stake(address("C"), 10)));
        assertEquals(code(ReceiptStatus.CANDIDATE_WITHDRAWN),
            one(c, "C", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 1)));
        c.checkConservation();
    }

    @Test
    void shouldRejectACompRateThatWouldOpenAPoolBeyondTheMost()
    {
        // Each new rate opens a pool that stays; at Candidate.MAX_POOLS only rates with a pool are taken.
        final DposChain c = chain();
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", DELEGATE, DposBodies.stake(address("A"), 20_000)));
        for (int rate = 1; rate < Candidate.MAX_POOLS; rate++)
        {
            assertEquals(code(ReceiptStatus.OK),
                one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), rate)), "rate " + rate);
        }
        assertEquals(Candidate.MAX_POOLS, c.candidate("A").pools.size());

        assertEquals(code(ReceiptStatus.INVALID_COMMISSION),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), Candidate.MAX_POOLS)));
        assertEquals(Candidate.MAX_POOLS, c.candidate("A").pools.size());
        // A rate with a pool still moves the delegation there, the candidate's own (pool 0's) among them.
        assertEquals(code(ReceiptStatus.OK), one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 7)));
        assertEquals(7, c.candidate("A").delegations.get(new ByteKey(address("dan"))).pool.commissionPpm);
        assertEquals(code(ReceiptStatus.OK),
            one(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 100_000)));
        assertEquals(Candidate.MAX_POOLS, c.candidate("A").pools.size());
        c.checkConservation();
    }

    @Test
    void shouldRejectGovernanceTransactions()
    {
        final DposChain c = chain();
        c.block("");
        assertEquals(code(ReceiptStatus.NOT_A_VALIDATOR),
            one(c, "C", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_VALIDATORS, 2)));
        assertEquals(code(ReceiptStatus.INVALID_PARAMETER),
            one(c, "A", PROPOSE, DposBodies.proposeChangeParam(99, 2)));
        assertEquals(code(ReceiptStatus.INVALID_PARAMETER),
            one(c, "A", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_VALIDATORS, 0)));
        assertEquals(code(ReceiptStatus.INVALID_PARAMETER), one(c, "A", PROPOSE, DposBodies.propose(7, 0, 0, 0)));
        assertEquals(code(ReceiptStatus.INVALID_AMOUNT),
            one(c, "B", PROPOSE, DposBodies.proposeTransferFund(address("dan"), address("A"), 0)));
        assertEquals(code(ReceiptStatus.OK),
            one(c, "B", PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_VALIDATORS, 2)));

        assertEquals(code(ReceiptStatus.INVALID_BODY), one(c, "A", VOTE, DposBodies.vote(1, 2)));
        assertEquals(code(ReceiptStatus.NO_SUCH_PROPOSAL), one(c, "A", VOTE, DposBodies.vote(2, 1)));
        assertEquals(code(ReceiptStatus.NOT_A_VALIDATOR), one(c, "C", VOTE, DposBodies.vote(1, 1)));
        // A holds all of the validators' power: its yes passes the proposal at this block's end.
        assertEquals(code(ReceiptStatus.OK), one(c, "A", VOTE, DposBodies.vote(1, 1)));
        assertEquals(code(ReceiptStatus.PROPOSAL_CLOSED), one(c, "A", VOTE, DposBodies.vote(1, 0)));
    }

    @Test
    void shouldRejectBadEvidence()
    {
        final DposChain c = chain();
        c.block("");
        c.block("A");
        final Ed25519Key a = key("A");
        final byte[] pk = a.publicKey();
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(a, 1, 1))));
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(a, 2, 2))));
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(key("B"), 1, 2))));
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 50, 1), signed(a, 50, 2))));
        final byte[] corrupt = DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(a, 1, 2));
        corrupt[EVIDENCE_HEADER_B_OFFSET + 2] = 9;
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE, corrupt));
        final Ed25519Key stranger = key("stranger");
        assertEquals(code(ReceiptStatus.NO_SUCH_CANDIDATE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(stranger.publicKey(), signed(stranger, 1, 1), signed(stranger, 1, 2))));
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 2, 1), signed(a, 2, 2))));
        assertEquals(code(ReceiptStatus.EVIDENCE_TOO_OLD), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(a, 1, 2))));
    }

    @Test
    void shouldTakeEvidenceUpToTheCurrentHeightAndPunishAHeightOnce()
    {
        final DposChain c = chain();
        c.block("");
        c.block("A");
        final Ed25519Key a = key("A");
        final byte[] pk = a.publicKey();
        // Each header's SBE header is checked: block length, template, schema and version, of either header.
        for (final int at : new int[] {EVIDENCE_HEADER_A_OFFSET, EVIDENCE_HEADER_A_OFFSET + 6,
            EVIDENCE_HEADER_B_OFFSET + 4, EVIDENCE_HEADER_B_OFFSET + 6})
        {
            final byte[] corrupt = DposBodies.doubleSignEvidence(pk, signed(a, 1, 1), signed(a, 1, 2));
            corrupt[at] ^= 1;
            assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE, corrupt), "byte " + at);
        }
        // Height 0 (genesis) has no proposal to double-sign.
        assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, 0, 1), signed(a, 0, 2))));
        // Two proposals for the height being executed: not a future height, punished.
        final long h = c.chain.height() + 1;
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, h, 1), signed(a, h, 2))));
        final long slashed = c.dpos.slashedMicroCmt();
        // Each header is decoded afresh for every piece of evidence, not left from the last one.
        for (final int at : new int[] {EVIDENCE_HEADER_A_OFFSET + 2, EVIDENCE_HEADER_B_OFFSET + 2})
        {
            final byte[] corrupt = DposBodies.doubleSignEvidence(pk, signed(a, h, 5), signed(a, h, 6));
            corrupt[at] ^= 1;
            assertEquals(code(ReceiptStatus.BAD_EVIDENCE), one(c, "dan", DOUBLE_SIGN_EVIDENCE, corrupt), "byte " + at);
        }
        // Another pair for the same height is the same offence: not punished again.
        assertEquals(code(ReceiptStatus.EVIDENCE_TOO_OLD), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(pk, signed(a, h, 3), signed(a, h, 4))));
        assertEquals(slashed, c.dpos.slashedMicroCmt());
        c.checkConservation();
    }

    @Test
    void shouldTakeEvidenceNoOlderThanTheUnbondingPeriod()
    {
        // Unbonding 2 blocks: at height 6 a double sign at height 3 is too old, at height 7 one at height 5 is not.
        final DposChain c = new DposChain(1, PARAMS + ",\"unbondingBlocks\":2,\"candidates\":[" +
            candidate("A", 30_000, 100_000, 3_000) + "]", "A", 100_000, "dan", 100_000);
        while (c.chain.height() < 5)
        {
            c.block("");
        }
        final Ed25519Key a = key("A");
        assertEquals(code(ReceiptStatus.EVIDENCE_TOO_OLD), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(a.publicKey(), signed(a, 3, 1), signed(a, 3, 2))));
        assertEquals(0, c.dpos.slashedMicroCmt());
        assertEquals(code(ReceiptStatus.OK), one(c, "dan", DOUBLE_SIGN_EVIDENCE,
            DposBodies.doubleSignEvidence(a.publicKey(), signed(a, 5, 1), signed(a, 5, 2))));
        assertEquals(5, c.candidate("A").lastSlashedHeight);
        assertEquals(3, c.dpos.slashedMicroCmt());
    }

    @Test
    void shouldRejectMalformedBodiesAndDposOnAChainWithoutIt()
    {
        final DposChain c = chain();
        assertEquals(code(ReceiptStatus.INVALID_BODY), one(c, "dan", DELEGATE, new byte[27]));
        c.unuseNonce("dan");

        final ChainState plain = Genesis.parse("{\"chainId\":" + DposChain.CHAIN_ID + ",\"accounts\":[{\"address\":\"" +
            DposChain.hex("dan") + "\",\"balanceMicroCmt\":1000}],\"validators\":[{\"publicKey\":\"" +
            Hex.encode(key("A").publicKey()) + "\"}]}").createState(1);
        final Chain chain = new Chain(plain, 0, new byte[32]);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final byte[] body = DposBodies.stake(address("A"), 10);
        final int length = new TransactionBuilder(DposChain.CHAIN_ID).build(key("dan"), 0, 0, 0, DELEGATE, body, 0,
            body.length, buffer, 0);
        final BlockTransactions txs = new BlockTransactions(1);
        txs.add(buffer, 0, length, new Sha256());
        final BlockReceipts receipts = new BlockReceipts(1);
        chain.apply(0, new byte[20], txs, new ReferenceExecutor(), receipts, new BlockHeader());
        assertEquals(code(ReceiptStatus.DPOS_DISABLED), receipts.status(0));
    }

    /** A header at {@code height} (varied by {@code salt}) signed over its hash by {@code key}. */
    static BlockHeader signed(final Ed25519Key key, final long height, final int salt)
    {
        return DposBodies.signedHeader(key, DposChain.CHAIN_ID, height, salt);
    }

    @Test
    void shouldSizeEachDposBodyToItsLastField()
    {
        // Bodies have fixed layouts: each ends where its last field (or the longest description) ends.
        assertEquals(DposDescriptor.DECLARE_DESCRIPTION_OFFSET + DposDescriptor.MAX_DESCRIPTION_LENGTH,
            DposDescriptor.bodyLength(DposDescriptor.DECLARE_CANDIDACY));
        assertEquals(DposDescriptor.UPDATE_DESCRIPTION_OFFSET + DposDescriptor.MAX_DESCRIPTION_LENGTH,
            DposDescriptor.bodyLength(DposDescriptor.UPDATE_CANDIDACY));
        for (final int type : new int[]{DposDescriptor.WITHDRAW_CANDIDACY, DposDescriptor.ACTIVATE_CANDIDACY,
            DposDescriptor.DEACTIVATE_CANDIDACY})
        {
            assertEquals(0, DposDescriptor.bodyLength(type));
        }
        assertEquals(DposDescriptor.VERIFY_FLAG_OFFSET + 1, DposDescriptor.bodyLength(DposDescriptor.VERIFY_CANDIDACY));
        assertEquals(DposDescriptor.COMP_RATE_PPM_OFFSET + 4, DposDescriptor.bodyLength(DposDescriptor.SET_COMP_RATE));
        assertEquals(DposDescriptor.STAKE_AMOUNT_OFFSET + 8, DposDescriptor.bodyLength(DposDescriptor.DELEGATE));
        assertEquals(DposDescriptor.STAKE_AMOUNT_OFFSET + 8, DposDescriptor.bodyLength(DposDescriptor.WITHDRAW));
        assertEquals(DposDescriptor.EVIDENCE_HEADER_B_OFFSET + BlockHeader.ENCODED_LENGTH,
            DposDescriptor.bodyLength(DposDescriptor.DOUBLE_SIGN_EVIDENCE));
        assertEquals(DposDescriptor.PROPOSE_AMOUNT_OFFSET + 8, DposDescriptor.bodyLength(DposDescriptor.PROPOSE));
        assertEquals(DposDescriptor.VOTE_YES_OFFSET + 1, DposDescriptor.bodyLength(DposDescriptor.VOTE));
        assertEquals(-1, DposDescriptor.bodyLength(DposDescriptor.DECLARE_CANDIDACY - 1));
        assertEquals(-1, DposDescriptor.bodyLength(DposDescriptor.VOTE + 1));
    }

    @Test
    void shouldEncodeEveryFieldOfARawProposal()
    {
        final UnsafeBuffer body = new UnsafeBuffer(DposBodies.propose(KIND_TRANSFER_FUND, 7, -3, 500));
        assertEquals(PROPOSE_BODY_LENGTH, body.capacity());
        assertEquals(KIND_TRANSFER_FUND, body.getByte(PROPOSE_KIND_OFFSET));
        assertEquals(7, body.getByte(PROPOSE_PARAM_OFFSET));
        assertEquals(-3, body.getLong(PROPOSE_VALUE_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(500, body.getLong(PROPOSE_AMOUNT_OFFSET, ByteOrder.LITTLE_ENDIAN));
    }
}
