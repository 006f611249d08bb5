package io.cmtchain.engine.block;

import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Chain#replay}: a journaled block is re-executed and checked against its header, and on a DPoS chain its
 * proposer, the proposer's signature and the commit are checked first. A live chain of signed DPoS blocks is made here
 * with the devnet validators' keys, then replayed on a second chain from the same genesis, as is and with one thing
 * changed at a time; each change must be refused, with the reason, and the genuine block must still replay after a
 * refusal made before execution.
 */
class ChainReplayTest
{
    private static final int CHAIN_ID = 9;
    private static final int BLOCKS = 6;
    private static final String DPOS_GENESIS = "{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":2," +
        "\"fees\":{\"minimumMicroCmt\":100},\"devnet\":{\"accounts\":4,\"balanceMicroCmt\":1000000000," +
        "\"validators\":3,\"validatorStakesMicroCmt\":[3000000000,2000000000,1000000000]}," +
        "\"dpos\":{\"validatorCapPpm\":1000000}}";
    private static final String PLAIN_GENESIS = "{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":2," +
        "\"fees\":{\"minimumMicroCmt\":100},\"devnet\":{\"accounts\":4,\"balanceMicroCmt\":1000000000," +
        "\"validators\":1}}";

    /** One journaled block: header, commit and frames, each a copy that a test may change. */
    private static final class Block
    {
        final BlockHeader header = new BlockHeader();
        final BlockCommit commit = new BlockCommit();
        final List<byte[]> frames = new ArrayList<>();

        Block copy()
        {
            final Block b = new Block();
            b.header.copyFrom(header);
            b.commit.copyFrom(commit);
            for (final byte[] f : frames)
            {
                b.frames.add(f.clone());
            }
            return b;
        }

        BlockTransactions txs()
        {
            final BlockTransactions txs = new BlockTransactions(1);
            final Sha256 sha = new Sha256();
            for (final byte[] f : frames)
            {
                txs.add(new UnsafeBuffer(f), 0, f.length, sha);
            }
            return txs;
        }
    }

    private final Map<String, Ed25519Key> validatorKeys = new HashMap<>();
    private final BlockSigning signing = new BlockSigning();
    private final Sha256 sha = new Sha256();

    private static Genesis genesis(final String json)
    {
        return Genesis.parse(json);
    }

    private static Chain chainOf(final String json)
    {
        return new Chain(genesis(json).createState(3), 0, new byte[32]);
    }

    /** Make {@code count} signed blocks of a live chain, each with two transfers and the full commit. */
    private List<Block> liveBlocks(final String json, final int count)
    {
        return liveBlocks(json, count, -1);
    }

    /**
     * As {@link #liveBlocks(String, int)}, but the commit of block {@code partialAt} holds only the second validator
     * of the block before.
     */
    private List<Block> liveBlocks(final String json, final int count, final int partialAt)
    {
        final Genesis genesis = genesis(json);
        for (final Genesis.Validator v : genesis.validators())
        {
            validatorKeys.put(Hex.encode(v.address()), v.devnetKey());
        }
        final Chain chain = new Chain(genesis.createState(3), 0, new byte[32]);
        final ChainState state = chain.state();
        final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final List<Block> blocks = new ArrayList<>();
        for (int h = 1; h <= count; h++)
        {
            final Block block = new Block();
            if (state.dpos() != null)
            {
                final byte[] parent = chain.lastHeaderHash();
                final byte[] sig = new byte[64];
                for (int i = 0; i < state.dpos().previousValidatorCount(); i++)
                {
                    if (h == partialAt && i != 1)
                    {
                        continue;
                    }
                    final byte[] owner = state.dpos().previousValidator(i);
                    signing.signCommit(validatorKeys.get(Hex.encode(owner)), CHAIN_ID, parent, sig, 0);
                    block.commit.add(owner, sig, 0);
                }
            }
            for (int t = 0; t < 2; t++)
            {
                final Ed25519Key from = Genesis.devnetAccountKey(t);
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                final int length = builder.transfer(from, h - 1, 100, 0, Genesis.devnetAccountKey(t + 2).address(),
                    1_000 * h + t, buffer, 0);
                final byte[] frame = new byte[length];
                buffer.getBytes(0, frame);
                block.frames.add(frame);
            }
            final byte[] proposer = state.dpos() == null ? new byte[20] : chain.scheduledProposer();
            final BlockReceipts receipts = new BlockReceipts(2);
            chain.apply(10_000L * h, proposer, block.commit.signers(), block.commit.count(), block.txs(), executor,
                receipts, block.header);
            if (state.dpos() != null)
            {
                signProposal(block.header, validatorKeys.get(Hex.encode(proposer)), CHAIN_ID);
            }
            blocks.add(block);
        }
        return blocks;
    }

    private void signProposal(final BlockHeader header, final Ed25519Key key, final int chainId)
    {
        final byte[] hash = new byte[32];
        header.hash(sha, new byte[BlockHeader.ENCODED_LENGTH], hash, 0);
        signing.signProposal(key, chainId, hash, header.proposerSignature, 0);
    }

    private static String replay(final Chain chain, final Block block)
    {
        return chain.replay(block.header, block.commit, block.txs(), new ReferenceExecutor(), new BlockReceipts(2),
            new BlockHeader());
    }

    /**
     * Replay the blocks before {@code at} as they are, then block {@code at} changed by {@code change}.
     *
     * @return the verdict on the changed block.
     */
    private String replayChanged(final String json, final int at, final Consumer<Block> change)
    {
        final List<Block> blocks = liveBlocks(json, at);
        final Chain replica = chainOf(json);
        for (int i = 0; i < at - 1; i++)
        {
            assertNull(replay(replica, blocks.get(i)));
        }
        final Block changed = blocks.get(at - 1).copy();
        change.accept(changed);
        final String verdict = replay(replica, changed);
        assertTrue(verdict != null && verdict.startsWith("block " + at + ":"), String.valueOf(verdict));
        return verdict;
    }

    /** A refusal before execution leaves the replica as it was: the genuine block then replays. */
    private String refusedBeforeExecution(final int at, final Consumer<Block> change)
    {
        final List<Block> blocks = liveBlocks(DPOS_GENESIS, at);
        final Chain replica = chainOf(DPOS_GENESIS);
        for (int i = 0; i < at - 1; i++)
        {
            assertNull(replay(replica, blocks.get(i)));
        }
        final byte[] rootBefore = replica.state().stateRoot();
        final Block changed = blocks.get(at - 1).copy();
        change.accept(changed);
        final String verdict = replay(replica, changed);
        assertTrue(verdict != null && verdict.startsWith("block " + at + ":"), String.valueOf(verdict));
        assertEquals(at - 1, replica.height());
        assertArrayEquals(rootBefore, replica.state().stateRoot());
        assertNull(replay(replica, blocks.get(at - 1)));
        return verdict;
    }

    private Ed25519Key keyOf(final byte[] owner)
    {
        return validatorKeys.get(Hex.encode(owner));
    }

    @Test
    void shouldReplayASignedDposChainToTheSameHeaders()
    {
        final List<Block> blocks = liveBlocks(DPOS_GENESIS, BLOCKS);
        final Chain replica = chainOf(DPOS_GENESIS);
        final byte[] expectedHash = new byte[32];
        for (final Block block : blocks)
        {
            final BlockHeader scratch = new BlockHeader();
            assertNull(replica.replay(block.header, block.commit, block.txs(), new ReferenceExecutor(),
                new BlockReceipts(2), scratch));
            assertEquals(block.header, scratch);
            block.header.hash(sha, new byte[BlockHeader.ENCODED_LENGTH], expectedHash, 0);
            assertArrayEquals(expectedHash, replica.lastHeaderHash());
        }
        assertEquals(BLOCKS, replica.height());
        // The blocks from the second on carry a commit of all three validators of the block before.
        assertEquals(3, blocks.get(BLOCKS - 1).commit.count());
    }

    @Test
    void shouldRefuseABlockProposedByAnotherValidatorThanScheduled()
    {
        final String verdict = refusedBeforeExecution(3, b ->
        {
            final byte[] other = validatorOtherThan(b.header.proposer);
            System.arraycopy(other, 0, b.header.proposer, 0, 20);
            signProposal(b.header, keyOf(other), CHAIN_ID);
        });
        assertTrue(verdict.contains("but DPoS schedules"), verdict);
    }

    @Test
    void shouldRefuseAProposerSignatureThatDoesNotCoverTheHeader()
    {
        assertTrue(refusedBeforeExecution(2, b -> b.header.proposerSignature[5] ^= 1)
            .contains("proposer signature does not verify"));
        // The signature covers every hashed field: a changed timestamp under the old signature fails.
        assertTrue(refusedBeforeExecution(2, b -> b.header.timestampMs++)
            .contains("proposer signature does not verify"));
    }

    @Test
    void shouldRefuseAProposerSignatureOfAnotherKindKeyOrChain()
    {
        // A commit signature by the proposer over the same hash: the domain tags keep the two kinds apart.
        assertTrue(refusedBeforeExecution(2, b ->
        {
            final byte[] hash = new byte[32];
            b.header.hash(sha, new byte[BlockHeader.ENCODED_LENGTH], hash, 0);
            signing.signCommit(keyOf(b.header.proposer), CHAIN_ID, hash, b.header.proposerSignature, 0);
        }).contains("proposer signature does not verify"));
        assertTrue(refusedBeforeExecution(2, b -> signProposal(b.header, keyOf(b.header.proposer), CHAIN_ID + 1))
            .contains("proposer signature does not verify"));
        assertTrue(refusedBeforeExecution(2, b ->
            signProposal(b.header, keyOf(validatorOtherThan(b.header.proposer)), CHAIN_ID))
            .contains("proposer signature does not verify"));
    }

    @Test
    void shouldRefuseACommitSignerThatWasNotAValidatorOfThePreviousBlock()
    {
        final String verdict = refusedBeforeExecution(3, b ->
        {
            final Ed25519Key outsider = Genesis.devnetAccountKey(0);
            final byte[] sig = new byte[64];
            final byte[] parent = new byte[32];
            System.arraycopy(b.header.parentHash, 0, parent, 0, 32);
            signing.signCommit(outsider, CHAIN_ID, parent, sig, 0);
            b.commit.add(outsider.address(), sig, 0);
        });
        assertTrue(verdict.contains("is not a validator of block 2"), verdict);
    }

    @Test
    void shouldRefuseACommitSignerThatSignsTwice()
    {
        final String verdict = refusedBeforeExecution(3, b ->
        {
            final BlockCommit twice = new BlockCommit().copyFrom(b.commit);
            twice.add(b.commit.signers()[1], b.commit.signatures(), BlockSigning.SIGNATURE_LENGTH);
            b.commit.copyFrom(twice);
        });
        assertTrue(verdict.contains("signs twice"), verdict);
        // The first validator of the previous block (index 0) too.
        final String first = refusedBeforeExecution(3, b ->
        {
            final BlockCommit twice = new BlockCommit().copyFrom(b.commit);
            twice.add(b.commit.signers()[0], b.commit.signatures(), 0);
            b.commit.copyFrom(twice);
        });
        assertTrue(first.endsWith("signs twice"), first);
    }

    @Test
    void shouldSignTheTagTheChainIdLittleEndianAndTheHash()
    {
        final byte[] hash = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            hash[i] = (byte)(0xA0 + i);
        }
        final byte[][] signed = new byte[1][];
        final io.cmtchain.engine.tx.MessageSigner capture =
            (message, offset, length, sig, sigOffset) -> signed[0] = java.util.Arrays.copyOfRange(message, offset,
            offset + length);
        final byte[] sig = new byte[64];
        signing.signProposal(capture, 0x01020304, hash, sig, 0);
        final byte[] proposal = signed[0];
        signing.signCommit(capture, 0x01020304, hash, sig, 0);
        final byte[] commit = signed[0];
        assertEquals("CMTCHAIN/PROPOSAL/V1" + "04030201" + Hex.encode(hash),
            new String(proposal, 0, 20, java.nio.charset.StandardCharsets.US_ASCII) + Hex.encode(proposal, 20, 36));
        assertEquals("CMTCHAIN/COMMIT/V1" + "04030201" + Hex.encode(hash),
            new String(commit, 0, 18, java.nio.charset.StandardCharsets.US_ASCII) + Hex.encode(commit, 18, 36));
        // What BouncyCastle signs over exactly those bytes verifies; over another chain id it does not.
        final Ed25519Key key = Genesis.devnetAccountKey(3);
        signing.signProposal(key, 0x01020304, hash, sig, 0);
        assertTrue(signing.verifyProposal(key.publicKey(), 0x01020304, hash, sig, 0));
        assertFalse(signing.verifyProposal(key.publicKey(), 0x01020305, hash, sig, 0));
        assertFalse(signing.verifyCommit(key.publicKey(), 0x01020304, hash, sig, 0));
    }

    @Test
    void shouldRefuseACommitSignatureThatDoesNotVerify()
    {
        // A flipped bit in the last signer's signature.
        assertTrue(refusedBeforeExecution(3, b -> b.commit.signatures()[2 * BlockSigning.SIGNATURE_LENGTH + 7] ^= 1)
            .contains("over block 2 does not verify"));
        // Two signers' signatures swapped: each is genuine, but not by the validator it is listed under.
        assertTrue(refusedBeforeExecution(3, b ->
        {
            final byte[] s = b.commit.signatures();
            final byte[] first = java.util.Arrays.copyOfRange(s, 0, 64);
            System.arraycopy(s, 64, s, 0, 64);
            System.arraycopy(first, 0, s, 64, 64);
        }).contains("does not verify"));
        // A genuine commit signature over another block (the grandparent) or another chain.
        assertTrue(refusedBeforeExecution(4, b -> resignCommit(b, b2 -> new byte[32], CHAIN_ID))
            .contains("does not verify"));
        assertTrue(refusedBeforeExecution(3, b -> resignCommit(b, b2 -> b2.header.parentHash, CHAIN_ID + 1))
            .contains("does not verify"));
        // A proposal signature in place of a commit signature.
        assertTrue(refusedBeforeExecution(3, b ->
        {
            final byte[] owner = b.commit.signers()[0].clone();
            final byte[] sig = new byte[64];
            signing.signProposal(keyOf(owner), CHAIN_ID, b.header.parentHash, sig, 0);
            System.arraycopy(sig, 0, b.commit.signatures(), 0, 64);
        }).contains("does not verify"));
    }

    private void resignCommit(
        final Block b, final java.util.function.Function<Block, byte[]> hashOf, final int chainId)
    {
        final byte[] hash = hashOf.apply(b).clone();
        final byte[] sig = new byte[64];
        for (int i = 0; i < b.commit.count(); i++)
        {
            signing.signCommit(keyOf(b.commit.signers()[i]), chainId, hash, sig, 0);
            System.arraycopy(sig, 0, b.commit.signatures(), i * 64, 64);
        }
    }

    @Test
    void shouldReplayAPartialCommitAndFeedTheSameSignersToDpos()
    {
        // Block 3 of the live chain carries only one signer of block 2. It replays; the same block with the full
        // commit (every signature genuine) does not, because DPoS counts the absences: the commit is an input of the
        // state, so replay must feed DPoS the journaled signers, not all validators.
        final List<Block> live = liveBlocks(DPOS_GENESIS, 4, 3);
        assertEquals(1, live.get(2).commit.count());
        final Chain replica = chainOf(DPOS_GENESIS);
        for (final Block block : live)
        {
            assertNull(replay(replica, block));
        }
        final List<Block> full = liveBlocks(DPOS_GENESIS, 3);
        final Block fullCommit = live.get(2).copy();
        fullCommit.commit.copyFrom(full.get(2).commit);
        final Chain other = chainOf(DPOS_GENESIS);
        assertNull(replay(other, live.get(0)));
        assertNull(replay(other, live.get(1)));
        assertEquals("block 3: state root mismatch", replay(other, fullCommit));
    }

    @Test
    void shouldRefuseEveryBlockOfADposChainWithNoValidator()
    {
        // DPoS on, no candidate: nobody is scheduled, so no block can be replayed (and none proposed).
        final String json = "{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":1," + "\"validators\":[{" +
            "\"publicKey\":\"" + "11".repeat(32) + "\"}],\"dpos\":{}}";
        final Chain replica = chainOf(json);
        assertEquals(0, replica.state().dpos().validatorCount());
        assertNull(replica.scheduledProposer());
        assertFalse(replica.scheduledProposer(new byte[20], 0));
        final Block block = liveBlocks(PLAIN_GENESIS, 1).get(0);
        assertEquals("block 1: DPoS has no validator to propose it", replay(replica, block));
        assertEquals(0, replica.height());
    }

    @Test
    void shouldRefuseCommitSignaturesOnAChainWithoutDpos()
    {
        final String verdict = replayChanged(PLAIN_GENESIS, 2, b ->
            b.commit.add(Genesis.devnetAccountKey(0).address(), new byte[64], 0));
        assertEquals("block 2: a chain without DPoS carries no commit signatures", verdict);
    }

    @Test
    void shouldReplayAChainWithoutDposAndRefuseEachMismatch()
    {
        final List<Block> blocks = liveBlocks(PLAIN_GENESIS, 3);
        final Chain replica = chainOf(PLAIN_GENESIS);
        for (final Block block : blocks)
        {
            assertNull(replica.replay(block.header, block.txs(), new ReferenceExecutor(), new BlockReceipts(2),
                new BlockHeader()));
        }
        assertEquals("block 2: parent hash does not match block 1",
            replayChanged(PLAIN_GENESIS, 2, b -> b.header.parentHash[31] ^= 1));
        assertEquals("block 2: header says 3 transactions, found 2",
            replayChanged(PLAIN_GENESIS, 2, b -> b.header.txCount = 3));
        assertEquals("block 2: transaction root mismatch",
            replayChanged(PLAIN_GENESIS, 2, b -> Collections.swap(b.frames, 0, 1)));
        assertEquals("block 2: receipts root mismatch",
            replayChanged(PLAIN_GENESIS, 2, b -> b.header.receiptsRoot[0] ^= 1));
        assertEquals("block 2: state root mismatch",
            replayChanged(PLAIN_GENESIS, 2, b -> b.header.stateRoot[0] ^= 1));
        final Chain fresh = chainOf(PLAIN_GENESIS);
        final Block second = blocks.get(1);
        assertEquals("block 2 follows 0", replay(fresh, second));
    }

    @Test
    void shouldRefuseRootsAProposerSignedWrongly()
    {
        // A proposer signing a header whose roots are not what its transactions give is refused after execution.
        assertEquals("block 2: state root mismatch", replayChanged(DPOS_GENESIS, 2, b ->
        {
            b.header.stateRoot[9] ^= 1;
            signProposal(b.header, keyOf(b.header.proposer), CHAIN_ID);
        }));
        assertEquals("block 2: receipts root mismatch", replayChanged(DPOS_GENESIS, 2, b ->
        {
            b.header.receiptsRoot[9] ^= 1;
            signProposal(b.header, keyOf(b.header.proposer), CHAIN_ID);
        }));
        assertEquals("block 2: transaction root mismatch", replayChanged(DPOS_GENESIS, 2, b ->
        {
            b.header.txRoot[9] ^= 1;
            signProposal(b.header, keyOf(b.header.proposer), CHAIN_ID);
        }));
    }

    @Test
    void shouldFillTheHeaderItMakesFromItsInputs()
    {
        final List<Block> blocks = liveBlocks(PLAIN_GENESIS, 2);
        final BlockHeader first = blocks.get(0).header;
        final BlockHeader second = blocks.get(1).header;
        assertEquals(1, first.height);
        assertEquals(2, second.height);
        assertEquals(20_000L, second.timestampMs);
        assertEquals(2, second.txCount);
        assertArrayEquals(new byte[32], first.parentHash);
        final byte[] firstHash = new byte[32];
        first.hash(sha, new byte[BlockHeader.ENCODED_LENGTH], firstHash, 0);
        assertArrayEquals(firstHash, second.parentHash);
        assertArrayEquals(new byte[64], second.proposerSignature);
        assertNotEquals(Hex.encode(first.stateRoot), Hex.encode(second.stateRoot));
        final byte[] txRoot = new byte[32];
        final BlockTransactions txs = blocks.get(1).txs();
        new MerkleRoot().compute(txs.hashes(), txs.count(), txRoot, 0);
        assertArrayEquals(txRoot, second.txRoot);
    }

    private byte[] validatorOtherThan(final byte[] proposer)
    {
        for (final Ed25519Key key : validatorKeys.values())
        {
            if (!java.util.Arrays.equals(key.address(), proposer))
            {
                return key.address();
            }
        }
        throw new IllegalStateException("one validator only");
    }
}
