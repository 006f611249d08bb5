package io.cmtchain.engine.block;

import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts a block header is made of, beyond the fixed vectors of {@link BlockRootsTest}: the Merkle rule against an
 * independent computation for every size up to 40 and past the scratch's first size, reuse from block to block (an
 * empty block after a full one), the receipts of a block larger than the first leaf buffer, and a chain restarted
 * from a snapshot's height and header hash.
 */
class BlockPartsTest
{
    /** The stated rule: inner node SHA-256(0x01 || left || right), an odd node carried up, empty list zero. */
    private static byte[] referenceRoot(final List<byte[]> leaves) throws Exception
    {
        if (leaves.isEmpty())
        {
            return new byte[32];
        }
        List<byte[]> level = leaves;
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        while (level.size() > 1)
        {
            final List<byte[]> up = new ArrayList<>();
            for (int i = 0; i + 1 < level.size(); i += 2)
            {
                sha.update((byte)0x01);
                sha.update(level.get(i));
                sha.update(level.get(i + 1));
                up.add(sha.digest());
            }
            if (level.size() % 2 == 1)
            {
                up.add(level.get(level.size() - 1));
            }
            level = up;
        }
        return level.get(0);
    }

    private static List<byte[]> leaves(final int n) throws Exception
    {
        final List<byte[]> out = new ArrayList<>();
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i++)
        {
            out.add(sha.digest(new byte[]{(byte)i, (byte)(i >>> 8)}));
        }
        return out;
    }

    private static byte[] flat(final List<byte[]> leaves)
    {
        final byte[] out = new byte[32 * leaves.size()];
        for (int i = 0; i < leaves.size(); i++)
        {
            System.arraycopy(leaves.get(i), 0, out, 32 * i, 32);
        }
        return out;
    }

    @Test
    void shouldMatchTheStatedMerkleRuleForEverySizeAndReuse() throws Exception
    {
        final MerkleRoot merkle = new MerkleRoot();
        final byte[] out = new byte[40];
        for (final int n : new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 40, 1024, 1025, 1500, 3, 0})
        {
            final List<byte[]> leaves = leaves(n);
            Arrays.fill(out, (byte)0x77);
            merkle.compute(flat(leaves), n, out, 4);
            assertArrayEquals(referenceRoot(leaves), Arrays.copyOfRange(out, 4, 36), n + " leaves");
            assertEquals(0x77, out[3] & 0xFF);
            assertEquals(0x77, out[36] & 0xFF);
        }
    }

    @Test
    void shouldGiveAnEmptyBlockTheZeroReceiptsRootAfterAFullOne() throws Exception
    {
        final ReceiptsRoot root = new ReceiptsRoot();
        final int n = 1100;
        final BlockTransactions txs = new BlockTransactions(4);
        final BlockReceipts receipts = new BlockReceipts(4);
        receipts.reset(n);
        final List<byte[]> leafHashes = new ArrayList<>();
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < n; i++)
        {
            final byte[] hash = sha.digest(new byte[]{(byte)i, (byte)(i >>> 8), 9});
            assertEquals(i, txs.add(frame, 0, 8, hash, 0));
            final byte[] back = new byte[32];
            txs.hash(i, back, 0);
            assertArrayEquals(hash, back);
            final long fee = 0x0102_0304_0506_0700L + i;
            receipts.set(i, i % 40, fee);
            sha.update((byte)0x00);
            sha.update(hash);
            sha.update((byte)(i % 40));
            for (int b = 0; b < 8; b++)
            {
                sha.update((byte)(fee >>> (8 * b)));
            }
            leafHashes.add(sha.digest());
        }
        final byte[] out = new byte[32];
        root.compute(txs, receipts, out);
        assertArrayEquals(referenceRoot(leafHashes), out);
        txs.reset();
        receipts.reset(0);
        assertEquals(0, txs.count());
        root.compute(txs, receipts, out);
        assertArrayEquals(new byte[32], out);
    }

    @Test
    void shouldFindTheFirstDifferingReceipt()
    {
        final BlockReceipts a = new BlockReceipts(2);
        final BlockReceipts b = new BlockReceipts(2);
        a.reset(20);
        b.reset(20);
        assertEquals(20, a.count());
        for (int i = 0; i < 20; i++)
        {
            a.set(i, 200 + i % 50, i);
            b.set(i, 200 + i % 50, i);
        }
        assertEquals(-1, a.firstDifference(b));
        assertEquals(200, a.status(0), "a status is an unsigned byte");
        b.set(7, 200 + 7, 8);
        assertEquals(7, a.firstDifference(b));
        b.set(7, 1, 7);
        assertEquals(7, a.firstDifference(b));
        b.set(7, 207, 7);
        assertEquals(-1, b.firstDifference(a));
        b.reset(19);
        assertEquals(19, a.firstDifference(b));
        assertEquals(19, b.firstDifference(a));
        b.reset(20);
        assertEquals(-1, a.firstDifference(b), "growing back keeps what was set");
        // What lies past the count is not compared.
        a.reset(21);
        a.set(20, 99, 99);
        a.reset(20);
        assertEquals(-1, a.firstDifference(b));
    }

    @Test
    void shouldContinueAChainRestartedFromASnapshot()
    {
        final String json = "{\"chainId\":9,\"stateTreeDepth\":2,\"devnet\":{\"validators\":1,\"accounts\":2," +
            "\"balanceMicroCmt\":1000}}";
        final ChainState state = Genesis.parse(json).createState(1);
        final byte[] snapshotHash = new byte[32];
        Arrays.fill(snapshotHash, (byte)0x3C);
        final Chain chain = new Chain(state, 41, snapshotHash);
        assertSame(state, chain.state());
        assertEquals(41, chain.height());
        assertArrayEquals(snapshotHash, chain.lastHeaderHash());
        final BlockHeader header = new BlockHeader();
        // A reused header object: the signature it held is not carried into the new block.
        Arrays.fill(header.proposerSignature, (byte)9);
        final byte[] proposer = new byte[20];
        proposer[0] = 5;
        chain.apply(123, proposer, new BlockTransactions(1), new ReferenceExecutor(), new BlockReceipts(1), header);
        assertArrayEquals(new byte[64], header.proposerSignature);
        assertEquals(42, header.height);
        assertEquals(123, header.timestampMs);
        assertArrayEquals(proposer, header.proposer);
        assertArrayEquals(snapshotHash, header.parentHash);
        assertEquals(0, header.txCount);
        assertArrayEquals(new byte[32], header.txRoot);
        assertArrayEquals(new byte[32], header.receiptsRoot);
        assertArrayEquals(state.stateRoot(), header.stateRoot);
        final byte[] hash = new byte[32];
        header.hash(new io.cmtchain.engine.util.Sha256(), new byte[BlockHeader.ENCODED_LENGTH], hash, 0);
        final byte[] out = new byte[32];
        chain.lastHeaderHash(out);
        assertArrayEquals(hash, out);
        // A block with transactions: its roots are those of its transactions and receipts.
        final io.cmtchain.engine.tx.TransactionBuilder builder = new io.cmtchain.engine.tx.TransactionBuilder(9);
        final BlockTransactions txs = new BlockTransactions(2);
        final io.cmtchain.engine.util.Sha256 digest = new io.cmtchain.engine.util.Sha256();
        for (int t = 0; t < 2; t++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            final int length = builder.transfer(Genesis.devnetAccountKey(t), 0, 0, 0,
                Genesis.devnetAccountKey(1 - t).address(), 10 + t, buffer, 0);
            assertEquals(t, txs.add(buffer, 0, length, digest));
        }
        final BlockReceipts receipts = new BlockReceipts(2);
        chain.apply(456, proposer, txs, new ReferenceExecutor(), receipts, header);
        assertEquals(43, header.height);
        assertEquals(0, receipts.status(0));
        final byte[] expectedRoot = new byte[32];
        new ReceiptsRoot().compute(txs, receipts, expectedRoot);
        assertFalse(Arrays.equals(new byte[32], expectedRoot));
        assertArrayEquals(expectedRoot, header.receiptsRoot);
        new MerkleRoot().compute(txs.hashes(), 2, expectedRoot, 0);
        assertArrayEquals(expectedRoot, header.txRoot);
        assertArrayEquals(hash, header.parentHash);
        // Without DPoS nothing is scheduled.
        assertNull(chain.scheduledProposer());
        assertFalse(chain.scheduledProposer(new byte[20], 0));
        assertFalse(chain.isScheduledProposer(proposer));
    }

    @Test
    void shouldNameTheScheduledProposerOfADposChain()
    {
        final Genesis genesis = Genesis.parse("{\"chainId\":9,\"devnet\":{\"validators\":2," +
            "\"validatorStakesMicroCmt\":[3000000000,2000000000]},\"dpos\":{\"validatorCapPpm\":1000000}}");
        final Chain chain = new Chain(genesis.createState(1), 0, new byte[32]);
        final byte[] scheduled = chain.scheduledProposer();
        final byte[] out = new byte[25];
        assertTrue(chain.scheduledProposer(out, 5));
        assertArrayEquals(scheduled, Arrays.copyOfRange(out, 5, 25));
        assertTrue(chain.isScheduledProposer(scheduled));
        final byte[] other = Arrays.equals(scheduled, genesis.validators().get(0).address()) ?
            genesis.validators().get(1).address() : genesis.validators().get(0).address();
        assertFalse(chain.isScheduledProposer(other));
    }
}
