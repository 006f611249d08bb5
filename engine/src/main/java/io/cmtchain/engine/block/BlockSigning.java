package io.cmtchain.engine.block;

import io.cmtchain.engine.tx.MessageSigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;

/**
 * The two signatures a block gathers, each over its header hash with a domain tag of its own and the chain id, so that
 * a signature of one kind (or of another chain) never passes for the other:
 * <pre>
 *   proposal: the proposer of block h signs   "CMTCHAIN/PROPOSAL/V1" || chainId u32 LE || hash(header h)
 *             (in the header's proposerSignature; double-sign evidence carries two of them)
 *   commit:   each validator of block h signs "CMTCHAIN/COMMIT/V1"   || chainId u32 LE || hash(header h)
 *             (journaled with block h+1 as its {@link BlockCommit}; DPoS rewards and absences follow the signers)
 * </pre>
 * The header hash covers every field but the proposer signature ({@link BlockHeader#HASHED_LENGTH}). Verification is
 * BouncyCastle's RFC 8032 check, as for double-sign evidence; these signatures come from the validators' own keys,
 * not from clients. One object per thread: it reuses a message buffer.
 */
public final class BlockSigning
{
    /** Domain tag of the proposer's signature over a header. */
    public static final String PROPOSAL_TAG = "CMTCHAIN/PROPOSAL/V1";
    /** Domain tag of a validator's commit signature over a header. */
    public static final String COMMIT_TAG = "CMTCHAIN/COMMIT/V1";
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final byte[] PROPOSAL = PROPOSAL_TAG.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMIT = COMMIT_TAG.getBytes(StandardCharsets.US_ASCII);

    private final byte[] message = new byte[Math.max(PROPOSAL.length, COMMIT.length) + 4 + 32];

    /**
     * @param key        of the proposer.
     * @param chainId    of the chain.
     * @param headerHash 32 bytes.
     * @param sig        receives 64 bytes.
     * @param sigOffset  in {@code sig}.
     */
    public void signProposal(
        final MessageSigner key, final int chainId, final byte[] headerHash, final byte[] sig, final int sigOffset)
    {
        key.sign(message, 0, message(PROPOSAL, chainId, headerHash), sig, sigOffset);
    }

    /**
     * @param publicKey  32-byte key of the proposer.
     * @param chainId    of the chain.
     * @param headerHash 32 bytes.
     * @param sig        64 bytes at {@code sigOffset}.
     * @param sigOffset  in {@code sig}.
     * @return true when the signature verifies.
     */
    public boolean verifyProposal(
        final byte[] publicKey, final int chainId, final byte[] headerHash, final byte[] sig, final int sigOffset)
    {
        final int length = message(PROPOSAL, chainId, headerHash);
        return Ed25519.verify(sig, sigOffset, publicKey, 0, message, 0, length);
    }

    /**
     * @param key        of a validator of the block.
     * @param chainId    of the chain.
     * @param headerHash 32 bytes: the block it commits.
     * @param sig        receives 64 bytes.
     * @param sigOffset  in {@code sig}.
     */
    public void signCommit(
        final MessageSigner key, final int chainId, final byte[] headerHash, final byte[] sig, final int sigOffset)
    {
        key.sign(message, 0, message(COMMIT, chainId, headerHash), sig, sigOffset);
    }

    /**
     * @param publicKey  32-byte key of the validator.
     * @param chainId    of the chain.
     * @param headerHash 32 bytes: the block it commits.
     * @param sig        64 bytes at {@code sigOffset}.
     * @param sigOffset  in {@code sig}.
     * @return true when the signature verifies.
     */
    public boolean verifyCommit(
        final byte[] publicKey, final int chainId, final byte[] headerHash, final byte[] sig, final int sigOffset)
    {
        final int length = message(COMMIT, chainId, headerHash);
        return Ed25519.verify(sig, sigOffset, publicKey, 0, message, 0, length);
    }

    private int message(final byte[] tag, final int chainId, final byte[] headerHash)
    {
        System.arraycopy(tag, 0, message, 0, tag.length);
        int p = tag.length;
        for (int b = 0; b < 4; b++)
        {
            message[p++] = (byte)(chainId >>> (8 * b));
        }
        System.arraycopy(headerHash, 0, message, p, 32);
        return p + 32;
    }
}
