package io.cmtchain.engine.block;

import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;

import java.util.Arrays;

/**
 * The chain as a deterministic state machine: applies blocks to the state and makes (or checks) their headers.
 * No threads, no I/O, no clocks: the block's timestamp, proposer and (with DPoS) the signers of the previous block are
 * inputs.
 * <p>
 * With DPoS, {@link #apply} begins each block with {@code DposState.beginBlock(h, signers)} before its transactions,
 * on the live path and on replay alike, so the two cannot feed DPoS differently. {@link #replay} also checks what a
 * journaled DPoS block carries: that its proposer is the one DPoS scheduled, that the proposer's signature over the
 * header verifies against that validator's key, and that every commit signature is a validator of the previous
 * block signing that block ({@link BlockSigning}).
 */
public final class Chain
{
    private static final byte[][] NO_SIGNERS = new byte[0][];
    /** Never written: the commit of blocks of chains without DPoS. */
    private static final BlockCommit EMPTY_COMMIT = new BlockCommit();

    private final ChainState state;
    private final MerkleRoot merkle = new MerkleRoot();
    private final ReceiptsRoot receiptsRoot = new ReceiptsRoot();
    private final Sha256 sha = new Sha256();
    private final byte[] headerScratch = new byte[BlockHeader.ENCODED_LENGTH];
    private final byte[] lastHash = new byte[32];
    private final byte[] hashScratch = new byte[32];
    private final BlockSigning signing = new BlockSigning();
    private final boolean[] commitSeen = new boolean[BlockCommit.MAX_SIGNERS];
    private long height;

    /**
     * @param state  the state after genesis (or after the snapshot at {@code height}).
     * @param height of the last applied block; 0 at genesis.
     * @param lastHeaderHash hash of that block's header; zeros at genesis.
     */
    public Chain(final ChainState state, final long height, final byte[] lastHeaderHash)
    {
        this.state = state;
        this.height = height;
        System.arraycopy(lastHeaderHash, 0, lastHash, 0, 32);
    }

    public ChainState state()
    {
        return state;
    }

    /** @return height of the last applied block. */
    public long height()
    {
        return height;
    }

    /** @return a copy of the hash of the last applied block's header. */
    public byte[] lastHeaderHash()
    {
        return lastHash.clone();
    }

    /** @param out receives the 32-byte hash of the last applied block's header. */
    public void lastHeaderHash(final byte[] out)
    {
        System.arraycopy(lastHash, 0, out, 0, 32);
    }

    /**
     * Apply the next block and fill in its header, with no signers of the previous block: for chains without DPoS
     * (on a DPoS chain it is a block that no validator of the previous block signed).
     *
     * @param timestampMs log timestamp of the block.
     * @param proposer    20-byte address of the proposer.
     * @param txs         ordered transactions.
     * @param executor    that applies them.
     * @param receipts    receive the outcomes.
     * @param header      receives the header (its signature left for the proposer).
     */
    public void apply(
        final long timestampMs,
        final byte[] proposer,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader header)
    {
        apply(timestampMs, proposer, NO_SIGNERS, 0, txs, executor, receipts, header);
    }

    /**
     * Apply the next block and fill in its header.
     *
     * @param timestampMs log timestamp of the block.
     * @param proposer    20-byte address of the proposer.
     * @param signers     owner addresses of the validators whose signatures committed the previous block (DPoS
     *                    {@code beginBlock} input; ignored without DPoS).
     * @param signerCount entries of {@code signers} to read.
     * @param txs         ordered transactions.
     * @param executor    that applies them.
     * @param receipts    receive the outcomes.
     * @param header      receives the header (its signature left for the proposer).
     * @return how many signers were validators of the previous block (0 without DPoS).
     */
    public int apply(
        final long timestampMs,
        final byte[] proposer,
        final byte[][] signers,
        final int signerCount,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader header)
    {
        final long next = height + 1;
        final DposState dpos = state.dpos();
        final int recognised = dpos == null ? 0 : dpos.beginBlock(next, signers, signerCount);
        executor.execute(state, next, txs, receipts);
        executor.commit(state);

        header.height = next;
        header.timestampMs = timestampMs;
        System.arraycopy(lastHash, 0, header.parentHash, 0, 32);
        System.arraycopy(proposer, 0, header.proposer, 0, 20);
        merkle.compute(txs.hashes(), txs.count(), header.txRoot, 0);
        receiptsRoot.compute(txs, receipts, header.receiptsRoot);
        state.stateRoot(header.stateRoot, 0);
        header.txCount = txs.count();
        Arrays.fill(header.proposerSignature, (byte)0);

        header.hash(sha, headerScratch, lastHash, 0);
        height = next;
        return recognised;
    }

    /**
     * @return a copy of the address DPoS schedules to propose the next block, or null on a chain without DPoS (or
     * with no validator).
     */
    public byte[] scheduledProposer()
    {
        final DposState dpos = state.dpos();
        return dpos == null ? null : dpos.nextProposer();
    }

    /**
     * @param out    receives the 20-byte address DPoS schedules to propose the next block.
     * @param offset in {@code out}.
     * @return false (and nothing written) on a chain without DPoS or with no validator.
     */
    public boolean scheduledProposer(final byte[] out, final int offset)
    {
        final DposState dpos = state.dpos();
        return dpos != null && dpos.nextProposer(out, offset);
    }

    /**
     * @param proposer 20-byte address.
     * @return true when DPoS schedules it to propose the next block (false on a chain without DPoS); no copy made.
     */
    public boolean isScheduledProposer(final byte[] proposer)
    {
        final DposState dpos = state.dpos();
        return dpos != null && dpos.isNextProposer(proposer);
    }

    /**
     * @param validator 20-byte owner address.
     * @return the consensus public key of that validator of the next block, or null when it is not one.
     */
    private byte[] validatorPublicKey(final byte[] validator)
    {
        final DposState dpos = state.dpos();
        final int index = dpos == null ? -1 : dpos.validatorIndex(validator);
        return index < 0 ? null : dpos.validatorPublicKey(index);
    }

    /**
     * Re-apply a journaled block with an empty commit (a chain without DPoS) and check it against its header.
     *
     * @param expected the journaled header.
     * @param txs      its transactions.
     * @param executor that applies them.
     * @param receipts receive the outcomes.
     * @param scratch  receives the recomputed header.
     * @return null when every check passes, else a description of the first failure, naming the block.
     */
    public String replay(
        final BlockHeader expected,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader scratch)
    {
        return replay(expected, EMPTY_COMMIT, txs, executor, receipts, scratch);
    }

    /**
     * Re-apply a journaled block and check it against its header. With DPoS, the proposer, its signature and the commit
     * are checked before the block is applied.
     *
     * @param expected the journaled header.
     * @param commit   the journaled commit: the previous block's signers.
     * @param txs      its transactions.
     * @param executor that applies them.
     * @param receipts receive the outcomes.
     * @param scratch  receives the recomputed header.
     * @return null when every check passes, else a description of the first failure, naming the block.
     */
    public String replay(
        final BlockHeader expected,
        final BlockCommit commit,
        final BlockTransactions txs,
        final BlockExecutor executor,
        final BlockReceipts receipts,
        final BlockHeader scratch)
    {
        if (expected.height != height + 1)
        {
            return "block " + expected.height + " follows " + height;
        }
        if (!Arrays.equals(expected.parentHash, lastHash))
        {
            return "block " + expected.height + ": parent hash does not match block " + height;
        }
        if (expected.txCount != txs.count())
        {
            return "block " + expected.height + ": header says " + expected.txCount + " transactions, found " +
                txs.count();
        }
        final String unsigned = checkSignatures(expected, commit);
        if (unsigned != null)
        {
            return unsigned;
        }
        apply(expected.timestampMs, expected.proposer, commit.signers(), commit.count(), txs, executor, receipts,
            scratch);
        System.arraycopy(expected.proposerSignature, 0, scratch.proposerSignature, 0, 64);
        if (!Arrays.equals(expected.txRoot, scratch.txRoot))
        {
            return "block " + expected.height + ": transaction root mismatch";
        }
        if (!Arrays.equals(expected.receiptsRoot, scratch.receiptsRoot))
        {
            return "block " + expected.height + ": receipts root mismatch";
        }
        if (!Arrays.equals(expected.stateRoot, scratch.stateRoot))
        {
            return "block " + expected.height + ": state root mismatch";
        }
        return null;
    }

    private String checkSignatures(final BlockHeader expected, final BlockCommit commit)
    {
        final long h = expected.height;
        final DposState dpos = state.dpos();
        if (dpos == null)
        {
            return commit.count() == 0 ? null : "block " + h + ": a chain without DPoS carries no commit signatures";
        }
        final byte[] scheduled = dpos.nextProposer();
        if (scheduled == null)
        {
            return "block " + h + ": DPoS has no validator to propose it";
        }
        if (!Arrays.equals(expected.proposer, scheduled))
        {
            return "block " + h + ": proposed by " + Hex.encode(expected.proposer) + " but DPoS schedules " +
                Hex.encode(scheduled);
        }
        final byte[] proposerKey = validatorPublicKey(scheduled);
        expected.hash(sha, headerScratch, hashScratch, 0);
        if (proposerKey == null ||
            !signing.verifyProposal(proposerKey, state.chainId(), hashScratch, expected.proposerSignature, 0))
        {
            return "block " + h + ": proposer signature does not verify against the key of its proposer " +
                Hex.encode(scheduled);
        }
        final int previous = dpos.previousValidatorCount();
        Arrays.fill(commitSeen, 0, previous, false);
        final byte[][] signers = commit.signers();
        for (int s = 0; s < commit.count(); s++)
        {
            int index = -1;
            for (int i = 0; i < previous; i++)
            {
                if (dpos.isPreviousValidator(i, signers[s]))
                {
                    index = i;
                    break;
                }
            }
            if (index < 0 || commitSeen[index])
            {
                return "block " + h + ": commit signer " + Hex.encode(signers[s], 0, Addresses.LENGTH) +
                    (index < 0 ? " is not a validator of block " + (h - 1) : " signs twice");
            }
            commitSeen[index] = true;
            if (!signing.verifyCommit(dpos.previousValidatorPublicKey(index), state.chainId(), lastHash,
                commit.signatures(), s * BlockSigning.SIGNATURE_LENGTH))
            {
                return "block " + h + ": commit signature of " + Hex.encode(signers[s], 0, Addresses.LENGTH) +
                    " over block " + (h - 1) + " does not verify";
            }
        }
        return null;
    }
}
