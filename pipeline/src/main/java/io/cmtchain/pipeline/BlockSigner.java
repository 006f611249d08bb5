package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
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
 * every block and all its validators sign. Once per block, off the per-transaction path, in two parts: execution
 * checks the proposer and lists the commit's signers ({@link #proposerKeyIndex}, {@link #commitSigners}), which is all
 * the chain needs to apply the block; the journal stage signs ({@link #sign}) before it appends the block, so the
 * signatures (five per block on a devnet node) do not hold up execution. Signs with {@link Ed25519Signer} (constant
 * time, allocation-free, the same signatures as BouncyCastle's RFC 8032 signer), one per key.
 */
public final class BlockSigner
{
    private static final byte[] ZERO_SIGNATURE = new byte[BlockSigning.SIGNATURE_LENGTH];

    private final Ed25519Signer[] signers;
    private final byte[][] publicKeys;
    private final int chainId;
    private final BlockSigning signing = new BlockSigning();
    private final Sha256 sha = new Sha256();
    private final byte[] headerScratch = new byte[BlockHeader.ENCODED_LENGTH];
    /** Written by the execution thread only ({@link #commitSigners}); the other scratch is the journal's. */
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
            if (keyOf(dpos, i) < 0)
            {
                missing.append(missing.length() == 0 ? "" : ", ").append(Hex.encode(dpos.validator(i)));
            }
        }
        return missing.length() == 0 ? null : missing.toString();
    }

    /**
     * @param dpos the chain's DPoS state.
     * @return the addresses of the keys held that are no key of the current validator set, comma separated, or null
     * when every key held is one: such a key signs nothing until its candidate is elected (a wrong key file, or a
     * candidate not yet among the validators).
     */
    public String unusedKeys(final DposState dpos)
    {
        final StringBuilder unused = new StringBuilder();
        for (int j = 0; j < signers.length; j++)
        {
            boolean used = false;
            for (int i = 0, n = dpos.validatorCount(); i < n && !used; i++)
            {
                used = dpos.validatorHasKey(i, publicKeys[j]);
            }
            if (!used)
            {
                unused.append(unused.length() == 0 ? "" : ", ").append(Hex.encode(Addresses.of(publicKeys[j])));
            }
        }
        return unused.length() == 0 ? null : unused.toString();
    }

    /**
     * Execution's part, before the chain applies its next block: check that the block's stamped proposer is the one
     * DPoS schedules and find its key.
     *
     * @param chain    before the block.
     * @param proposer stamped by ordering.
     * @return the index of the proposer's key, for {@link #sign}.
     * @throws IllegalStateException when the proposer is not the scheduled one or its key is not held (a node
     *                               misconfiguration: such a block would not replay).
     */
    public int proposerKeyIndex(final Chain chain, final byte[] proposer)
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
        final int key = index < 0 ? -1 : keyOf(dpos, index);
        if (key >= 0)
        {
            return key;
        }
        throw new IllegalStateException("this node holds no key of " + Hex.encode(proposer) + ", the proposer of " +
            "block " + height);
    }

    /**
     * Execution's part, before the chain applies its next block: the commit that block carries, signers only. Every
     * validator of the chain's last block whose key this node holds signs; DPoS needs only who signed, so the
     * signatures are left to {@link #sign}, off the execution thread.
     *
     * @param chain      after its last block.
     * @param out        receives the signers, with zero signatures (empty at genesis or without DPoS).
     * @param keyIndexes receives, per signer, the index of its key for {@link #sign}; at least {@link #keyCount()}
     *                   long.
     */
    public void commitSigners(final Chain chain, final BlockCommit out, final int[] keyIndexes)
    {
        out.reset();
        final DposState dpos = chain.state().dpos();
        if (dpos == null || chain.height() == 0)
        {
            return;
        }
        for (int i = 0, n = dpos.previousValidatorCount(); i < n; i++)
        {
            for (int j = 0; j < signers.length; j++)
            {
                if (dpos.previousValidatorHasKey(i, publicKeys[j]))
                {
                    dpos.previousValidator(i, address);
                    keyIndexes[out.count()] = j;
                    out.add(address, ZERO_SIGNATURE, 0);
                    break;
                }
            }
        }
    }

    /**
     * The journal's part, before it appends an executed block: sign the commit the block carries (over the previous
     * block's header hash) and the block's header as its proposer. The same signatures as signing on the execution
     * thread would make: Ed25519 is deterministic and the messages are the same.
     *
     * @param header           of the block, applied; receives the proposer's signature.
     * @param proposerKeyIndex from {@link #proposerKeyIndex}.
     * @param commit           from {@link #commitSigners}; receives the signatures in place.
     * @param keyIndexes       from {@link #commitSigners}.
     * @param headerHash       holds the previous block's header hash on entry (what the commit signs) and this block's
     *                         on return, ready for the next call.
     */
    public void sign(
        final BlockHeader header,
        final int proposerKeyIndex,
        final BlockCommit commit,
        final int[] keyIndexes,
        final byte[] headerHash)
    {
        final byte[] signatures = commit.signatures();
        for (int i = 0, n = commit.count(); i < n; i++)
        {
            signing.signCommit(signers[keyIndexes[i]], chainId, headerHash, signatures,
                i * BlockSigning.SIGNATURE_LENGTH);
        }
        header.hash(sha, headerScratch, headerHash, 0);
        signing.signProposal(signers[proposerKeyIndex], chainId, headerHash, header.proposerSignature, 0);
    }

    /** @return the index of the key of the current validator at {@code validatorIndex}, or -1 if not held. */
    private int keyOf(final DposState dpos, final int validatorIndex)
    {
        for (int j = 0; j < signers.length; j++)
        {
            if (dpos.validatorHasKey(validatorIndex, publicKeys[j]))
            {
                return j;
            }
        }
        return -1;
    }
}
