package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static io.cmtchain.engine.dpos.DposDescriptor.*;

/**
 * Encoders for DPoS transaction bodies (layouts in {@link DposDescriptor}), for clients, tools and tests; sign the
 * result with {@code TransactionBuilder.build}. Values are written as given, so tests can encode invalid ones.
 */
public final class DposBodies
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private DposBodies()
    {
    }

    public static byte[] declareCandidacy(
        final byte[] publicKey, final long maxStakeMicroCmt, final int commissionPpm, final byte[] description)
    {
        final byte[] body = new byte[DECLARE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(DECLARE_PUBLIC_KEY_OFFSET, publicKey, 0, 32);
        b.putLong(DECLARE_MAX_STAKE_OFFSET, maxStakeMicroCmt, LE);
        b.putInt(DECLARE_COMMISSION_OFFSET, commissionPpm, LE);
        putDescription(b, DECLARE_DESCRIPTION_LENGTH_OFFSET, description);
        return body;
    }

    public static byte[] updateCandidacy(final long maxStakeMicroCmt, final byte[] description)
    {
        final byte[] body = new byte[UPDATE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(UPDATE_MAX_STAKE_OFFSET, maxStakeMicroCmt, LE);
        putDescription(b, UPDATE_DESCRIPTION_LENGTH_OFFSET, description);
        return body;
    }

    /** @return the empty body of WITHDRAW_CANDIDACY, ACTIVATE_CANDIDACY and DEACTIVATE_CANDIDACY. */
    public static byte[] empty()
    {
        return new byte[0];
    }

    public static byte[] verifyCandidacy(final byte[] candidate, final int verified)
    {
        final byte[] body = new byte[VERIFY_BODY_LENGTH];
        System.arraycopy(candidate, 0, body, VERIFY_CANDIDATE_OFFSET, 20);
        body[VERIFY_FLAG_OFFSET] = (byte)verified;
        return body;
    }

    public static byte[] setCompRate(final byte[] delegator, final int compRatePpm)
    {
        final byte[] body = new byte[COMP_RATE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(COMP_RATE_DELEGATOR_OFFSET, delegator, 0, 20);
        b.putInt(COMP_RATE_PPM_OFFSET, compRatePpm, LE);
        return body;
    }

    /** @return a DELEGATE or WITHDRAW body. */
    public static byte[] stake(final byte[] candidate, final long amountMicroCmt)
    {
        final byte[] body = new byte[STAKE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(STAKE_CANDIDATE_OFFSET, candidate, 0, 20);
        b.putLong(STAKE_AMOUNT_OFFSET, amountMicroCmt, LE);
        return body;
    }

    /**
     * A header at {@code height}, varied by {@code salt}, with {@code key}'s proposal signature over its hash: two of
     * these with different salts are a double sign, for {@link #doubleSignEvidence} in scenarios and tests.
     *
     * @param key     that signs.
     * @param chainId of the chain.
     * @param height  of the header.
     * @param salt    its timestamp and the first byte of its transaction root.
     * @return the signed header.
     */
    public static BlockHeader signedHeader(final Ed25519Key key, final int chainId, final long height, final int salt)
    {
        final BlockHeader h = new BlockHeader();
        h.height = height;
        h.timestampMs = salt;
        h.txRoot[0] = (byte)salt;
        final byte[] hash = new byte[32];
        h.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], hash, 0);
        new BlockSigning().signProposal(key, chainId, hash, h.proposerSignature, 0);
        return h;
    }

    public static byte[] doubleSignEvidence(final byte[] publicKey, final BlockHeader a, final BlockHeader b)
    {
        final byte[] body = new byte[EVIDENCE_BODY_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        buffer.putBytes(EVIDENCE_PUBLIC_KEY_OFFSET, publicKey, 0, 32);
        a.encode(buffer, EVIDENCE_HEADER_A_OFFSET);
        b.encode(buffer, EVIDENCE_HEADER_B_OFFSET);
        return body;
    }

    public static byte[] proposeChangeParam(final int paramId, final long value)
    {
        final byte[] body = new byte[PROPOSE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(PROPOSE_KIND_OFFSET, (byte)KIND_CHANGE_PARAM);
        b.putByte(PROPOSE_PARAM_OFFSET, (byte)paramId);
        b.putLong(PROPOSE_VALUE_OFFSET, value, LE);
        return body;
    }

    public static byte[] proposeTransferFund(final byte[] from, final byte[] to, final long amountMicroCmt)
    {
        final byte[] body = new byte[PROPOSE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(PROPOSE_KIND_OFFSET, (byte)KIND_TRANSFER_FUND);
        b.putBytes(PROPOSE_FROM_OFFSET, from, 0, 20);
        b.putBytes(PROPOSE_TO_OFFSET, to, 0, 20);
        b.putLong(PROPOSE_AMOUNT_OFFSET, amountMicroCmt, LE);
        return body;
    }

    /** @return a raw PROPOSE body, any kind. */
    public static byte[] propose(final int kind, final int paramId, final long value, final long amountMicroCmt)
    {
        final byte[] body = new byte[PROPOSE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putByte(PROPOSE_KIND_OFFSET, (byte)kind);
        b.putByte(PROPOSE_PARAM_OFFSET, (byte)paramId);
        b.putLong(PROPOSE_VALUE_OFFSET, value, LE);
        b.putLong(PROPOSE_AMOUNT_OFFSET, amountMicroCmt, LE);
        return body;
    }

    public static byte[] vote(final long proposalId, final int yes)
    {
        final byte[] body = new byte[VOTE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(VOTE_PROPOSAL_OFFSET, proposalId, LE);
        b.putByte(VOTE_YES_OFFSET, (byte)yes);
        return body;
    }

    private static void putDescription(final UnsafeBuffer b, final int lengthOffset, final byte[] description)
    {
        // The length byte may claim more than the field holds (a test of DESCRIPTION_TOO_LONG); copy what fits. Past
        // 255 it claims 255: the byte would wrap (256 to 0, 300 to 44) to a length the engine accepts.
        b.putByte(lengthOffset, (byte)Math.min(description.length, 255));
        b.putBytes(lengthOffset + 1, description, 0, Math.min(description.length, MAX_DESCRIPTION_LENGTH));
    }
}
