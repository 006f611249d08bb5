package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.MessageSigner;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.sigverify.Ed25519Signer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The validator keys a node holds, and the two signatures it makes with them on a DPoS chain ({@link BlockSigning}):
 * the proposer's signature over each block's header, and the commit signatures of the block's validators over it,
 * which the next block carries as its {@link BlockCommit} (DPoS rewards the signers, counts the others absent).
 * <p>
 * On a local devnet the node holds every genesis devnet validator's key ({@link #devnet(Genesis)}), so it proposes
 * every block and all its validators sign. Used by the execution stage only, once per block: signing is not on the
 * per-transaction path. Signs with {@link Ed25519Signer} (constant time, allocation-free, the same signatures as
 * BouncyCastle's RFC 8032 signer), one per key.
 */
public final class BlockSigner
{
    private final Ed25519Signer[] signers;
    private final byte[][] publicKeys;
    private final int chainId;
    private final BlockSigning signing = new BlockSigning();
    private final Sha256 sha = new Sha256();
    private final byte[] headerScratch = new byte[BlockHeader.ENCODED_LENGTH];
    private final byte[] hash = new byte[32];
    private final byte[] signature = new byte[BlockSigning.SIGNATURE_LENGTH];
    private final byte[] lastHash = new byte[32];
    private final byte[] address = new byte[Addresses.LENGTH];

    /**
     * @param keys    the validator keys this node holds.
     * @param chainId of the chain (part of every signed message).
     */
    public BlockSigner(final List<Ed25519Key> keys, final int chainId)
    {
        this.publicKeys = new byte[keys.size()][];
        this.signers = new Ed25519Signer[keys.size()];
        for (int i = 0; i < signers.length; i++)
        {
            publicKeys[i] = keys.get(i).publicKey();
            final byte[] seed = keys.get(i).seed();
            signers[i] = new Ed25519Signer(seed);
            Arrays.fill(seed, (byte)0);
        }
        this.chainId = chainId;
    }

    /**
     * @param genesis of a devnet.
     * @return a signer holding the keys of the genesis's devnet validators (none on other chains).
     */
    public static BlockSigner devnet(final Genesis genesis)
    {
        final List<Ed25519Key> keys = new ArrayList<>();
        for (final Genesis.Validator v : genesis.validators())
        {
            if (v.devnetKey() != null)
            {
                keys.add(v.devnetKey());
            }
        }
        return new BlockSigner(keys, genesis.chainId());
    }

    /** @return keys held. */
    public int keyCount()
    {
        return signers.length;
    }

    /**
     * @param dpos a chain's DPoS state.
     * @return the addresses (hex, comma-separated) of the validators in its current set whose key this signer does
     * not hold, or null if it holds every one.
     */
    public String missingKeys(final DposState dpos)
    {
        final StringBuilder missing = new StringBuilder();
        for (int i = 0, n = dpos.validatorCount(); i < n; i++)
        {
            if (signerOf(dpos, i) == null)
            {
                missing.append(missing.length() == 0 ? "" : ", ").append(Hex.encode(dpos.validator(i)));
            }
        }
        return missing.length() == 0 ? null : missing.toString();
    }

    /**
     * Before the chain applies its next block: check that the block's stamped proposer is the one DPoS schedules and
     * find its key.
     *
     * @param chain    before the block.
     * @param proposer stamped by ordering.
     * @return the proposer's key.
     * @throws IllegalStateException when the proposer is not the scheduled one or its key is not held (a node
     *                               misconfiguration: such a block would not replay).
     */
    public MessageSigner proposerKey(final Chain chain, final byte[] proposer)
    {
        final long height = chain.height() + 1;
        if (!chain.isScheduledProposer(proposer))
        {
            final byte[] scheduled = chain.scheduledProposer();
            throw new IllegalStateException("block " + height + " is stamped with proposer " + Hex.encode(proposer) +
                " but DPoS schedules " + (scheduled == null ? "none" : Hex.encode(scheduled)));
        }
        final DposState dpos = chain.state().dpos();
        final int index = dpos.validatorIndex(proposer);
        final MessageSigner key = index < 0 ? null : signerOf(dpos, index);
        if (key != null)
        {
            return key;
        }
        throw new IllegalStateException("this node holds no key of " + Hex.encode(proposer) + ", the proposer of " +
            "block " + height);
    }

    /**
     * Sign an applied block's header as its proposer.
     *
     * @param key    from {@link #proposerKey}.
     * @param header filled by {@code Chain.apply}; receives the signature.
     */
    public void signProposal(final MessageSigner key, final BlockHeader header)
    {
        header.hash(sha, headerScratch, hash, 0);
        signing.signProposal(key, chainId, hash, header.proposerSignature, 0);
    }

    /**
     * The commit the next block carries: every validator of the chain's last block whose key this node holds signs
     * that block's header hash.
     *
     * @param chain after its last block.
     * @param out   receives the signers and signatures (empty at genesis or without DPoS).
     */
    public void signCommit(final Chain chain, final BlockCommit out)
    {
        out.reset();
        final DposState dpos = chain.state().dpos();
        if (dpos == null || chain.height() == 0)
        {
            return;
        }
        chain.lastHeaderHash(lastHash);
        for (int i = 0, n = dpos.previousValidatorCount(); i < n; i++)
        {
            for (int j = 0; j < signers.length; j++)
            {
                if (dpos.previousValidatorHasKey(i, publicKeys[j]))
                {
                    signing.signCommit(signers[j], chainId, lastHash, signature, 0);
                    dpos.previousValidator(i, address);
                    out.add(address, signature, 0);
                    break;
                }
            }
        }
    }

    /** @return the signer of the key of the current validator at {@code validatorIndex}, or null if not held. */
    private Ed25519Signer signerOf(final DposState dpos, final int validatorIndex)
    {
        for (int j = 0; j < signers.length; j++)
        {
            if (dpos.validatorHasKey(validatorIndex, publicKeys[j]))
            {
                return signers[j];
            }
        }
        return null;
    }
}
