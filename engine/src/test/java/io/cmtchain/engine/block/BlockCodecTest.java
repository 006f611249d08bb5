package io.cmtchain.engine.block;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journaled forms of a block's header and commit: what is written reads back the same, what is not a header or a
 * commit is refused with the reason, and the header hash covers exactly the bytes before the proposer signature.
 */
class BlockCodecTest
{
    private static BlockHeader sampleHeader()
    {
        final BlockHeader h = new BlockHeader();
        h.height = 0x0102030405060708L;
        h.timestampMs = 1_700_000_000_123L;
        fill(h.parentHash, 1);
        fill(h.proposer, 2);
        fill(h.txRoot, 3);
        fill(h.receiptsRoot, 4);
        fill(h.stateRoot, 5);
        h.txCount = 0x7FFF_FFF0;
        fill(h.proposerSignature, 6);
        return h;
    }

    private static void fill(final byte[] bytes, final int tag)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(tag * 16 + i);
        }
    }

    private static byte[] hashOf(final BlockHeader h)
    {
        final byte[] out = new byte[32];
        h.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], out, 0);
        return out;
    }

    @Test
    void shouldRoundTripEveryHeaderFieldAtAnOffset()
    {
        final BlockHeader h = sampleHeader();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BlockHeader.ENCODED_LENGTH + 11]);
        assertEquals(BlockHeader.ENCODED_LENGTH, h.encode(buffer, 11));
        final BlockHeader read = new BlockHeader().decode(buffer, 11, BlockHeader.ENCODED_LENGTH);
        assertEquals(h, read);
        assertEquals(h.hashCode(), read.hashCode());
        assertEquals(0x0102030405060708L, read.height);
        assertEquals(1_700_000_000_123L, read.timestampMs);
        assertEquals(0x7FFF_FFF0, read.txCount);
        assertArrayEquals(h.proposerSignature, read.proposerSignature);
        assertEquals(h, new BlockHeader().copyFrom(h));
        assertEquals("BlockHeader{height=" + h.height + ", timestampMs=1700000000123, txCount=" + h.txCount +
            ", stateRoot=" + Hex.encode(h.stateRoot) + "}", h.toString());
    }

    @Test
    void shouldTellHeadersApartByEveryField()
    {
        final BlockHeader h = sampleHeader();
        assertNotEquals(h, null);
        assertNotEquals(h, "a header");
        for (int field = 0; field < 9; field++)
        {
            final BlockHeader other = new BlockHeader().copyFrom(h);
            switch (field)
            {
                case 0: other.height++; break;
                case 1: other.timestampMs++; break;
                case 2: other.parentHash[31] ^= 1; break;
                case 3: other.proposer[19] ^= 1; break;
                case 4: other.txRoot[31] ^= 1; break;
                case 5: other.receiptsRoot[31] ^= 1; break;
                case 6: other.stateRoot[31] ^= 1; break;
                case 7: other.txCount++; break;
                default: other.proposerSignature[63] ^= 1; break;
            }
            assertNotEquals(h, other, "field " + field);
            if (field < 8)
            {
                assertFalse(Arrays.equals(hashOf(h), hashOf(other)), "hash covers field " + field);
            }
            else
            {
                // The proposer signs the hash, so the hash cannot cover the signature.
                assertArrayEquals(hashOf(h), hashOf(other));
            }
        }
    }

    @Test
    void shouldHashTheEncodingUpToTheProposerSignature()
    {
        final BlockHeader h = sampleHeader();
        final byte[] encoded = new byte[BlockHeader.ENCODED_LENGTH];
        h.encode(new UnsafeBuffer(encoded), 0);
        assertEquals(BlockHeader.ENCODED_LENGTH - 64, BlockHeader.HASHED_LENGTH);
        final Sha256 sha = new Sha256();
        sha.update(encoded, 0, BlockHeader.HASHED_LENGTH);
        assertArrayEquals(sha.digest(), hashOf(h));
        // Written at an offset of the output too.
        final byte[] out = new byte[40];
        h.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], out, 8);
        assertArrayEquals(hashOf(h), Arrays.copyOfRange(out, 8, 40));
    }

    @Test
    void shouldRefuseBytesThatAreNotAHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BlockHeader.ENCODED_LENGTH]);
        sampleHeader().encode(buffer, 0);
        final BlockHeader read = new BlockHeader();
        assertEquals("block header needs " + BlockHeader.ENCODED_LENGTH + " bytes, got " +
            (BlockHeader.ENCODED_LENGTH - 1),
            assertThrows(IllegalArgumentException.class,
                () -> read.decode(buffer, 0, BlockHeader.ENCODED_LENGTH - 1)).getMessage());
        read.decode(buffer, 0, BlockHeader.ENCODED_LENGTH);
        // SBE message header: block length, template id, schema id (u16 LE each).
        for (final int at : new int[]{0, 2, 4})
        {
            final UnsafeBuffer bad = new UnsafeBuffer(new byte[BlockHeader.ENCODED_LENGTH]);
            bad.putBytes(0, buffer, 0, BlockHeader.ENCODED_LENGTH);
            bad.putShort(at, (short)(bad.getShort(at, ByteOrder.LITTLE_ENDIAN) + 1), ByteOrder.LITTLE_ENDIAN);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new BlockHeader().decode(bad, 0, BlockHeader.ENCODED_LENGTH), "header word at " + at);
            assertTrue(ex.getMessage().startsWith("not a block header"), ex.getMessage());
        }
    }

    @Test
    void shouldRoundTripACommitAndGrowPastItsFirstSignatureArray()
    {
        final BlockCommit commit = new BlockCommit();
        final byte[] sig = new byte[70];
        final int signers = 20;
        for (int i = 0; i < signers; i++)
        {
            final byte[] address = new byte[20];
            Arrays.fill(address, (byte)i);
            Arrays.fill(sig, (byte)(100 + i));
            commit.add(address, sig, 3);
        }
        assertEquals(signers, commit.count());
        assertEquals(4 + signers * BlockCommit.SIGNER_LENGTH, commit.encodedLength());
        for (int i = 0; i < signers; i++)
        {
            assertEquals((byte)i, commit.signers()[i][19]);
            assertEquals((byte)(100 + i), commit.signatures()[i * 64]);
            assertEquals((byte)(100 + i), commit.signatures()[i * 64 + 63]);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[5 + commit.encodedLength()]);
        assertEquals(commit.encodedLength(), commit.encode(buffer, 5));
        assertEquals(signers, buffer.getInt(5, ByteOrder.LITTLE_ENDIAN));
        assertEquals((byte)1, buffer.getByte(5 + 4 + BlockCommit.SIGNER_LENGTH));
        assertEquals((byte)101, buffer.getByte(5 + 4 + BlockCommit.SIGNER_LENGTH + 20));
        final BlockCommit read = new BlockCommit();
        read.add(new byte[20], sig, 0);
        assertEquals(commit.encodedLength(), read.decode(buffer, 5, commit.encodedLength()));
        assertEquals(commit, read);
        assertEquals(commit.hashCode(), read.hashCode());
        assertEquals(commit, new BlockCommit().copyFrom(commit));
        assertEquals(0, read.reset().count());
        assertEquals(4, read.encodedLength());
    }

    @Test
    void shouldTellCommitsApart()
    {
        final byte[] sig = new byte[64];
        final BlockCommit a = new BlockCommit().add(new byte[20], sig, 0);
        assertNotEquals(a, null);
        assertNotEquals(a, new BlockCommit());
        // A commit that is a prefix of another is not equal to it, either way round.
        assertNotEquals(new BlockCommit(), a);
        assertNotEquals(new BlockCommit().add(new byte[20], sig, 0), new BlockCommit().add(new byte[20], sig, 0)
            .add(new byte[20], sig, 0));
        final byte[] otherAddress = new byte[20];
        otherAddress[19] = 1;
        assertNotEquals(a, new BlockCommit().add(otherAddress, sig, 0));
        final byte[] otherSig = new byte[64];
        otherSig[63] = 1;
        assertNotEquals(a, new BlockCommit().add(new byte[20], otherSig, 0));
        // Bytes past the count do not matter: a reset commit refilled equals a fresh one.
        final BlockCommit reused = new BlockCommit().add(otherAddress, otherSig, 0).add(otherAddress, otherSig, 0);
        reused.reset().add(new byte[20], sig, 0);
        assertEquals(a, reused);
    }

    @Test
    void shouldRefuseBytesThatAreNotACommit()
    {
        final BlockCommit commit = new BlockCommit();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4 + 2 * BlockCommit.SIGNER_LENGTH]);
        assertEquals("commit needs 4 bytes, got 3",
            assertThrows(IllegalArgumentException.class, () -> commit.decode(buffer, 0, 3)).getMessage());
        buffer.putInt(0, 2, ByteOrder.LITTLE_ENDIAN);
        assertEquals(4 + 2 * BlockCommit.SIGNER_LENGTH, commit.decode(buffer, 0, buffer.capacity()));
        assertEquals(2, commit.count());
        assertEquals("commit of 2 signers does not fit " + (buffer.capacity() - 1) + " bytes",
            assertThrows(IllegalArgumentException.class,
                () -> commit.decode(buffer, 0, buffer.capacity() - 1)).getMessage());
        // The empty commit is its 4-byte count; MAX_SIGNERS exactly fits.
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[4]);
        assertEquals(4, commit.decode(empty, 0, 4));
        assertEquals(0, commit.count());
        final UnsafeBuffer full = new UnsafeBuffer(new byte[4 + BlockCommit.MAX_SIGNERS * BlockCommit.SIGNER_LENGTH]);
        full.putInt(0, BlockCommit.MAX_SIGNERS, ByteOrder.LITTLE_ENDIAN);
        assertEquals(full.capacity(), commit.decode(full, 0, full.capacity()));
        assertEquals(BlockCommit.MAX_SIGNERS, commit.count());
        for (final int n : new int[]{-1, BlockCommit.MAX_SIGNERS + 1, Integer.MAX_VALUE})
        {
            buffer.putInt(0, n, ByteOrder.LITTLE_ENDIAN);
            assertThrows(IllegalArgumentException.class, () -> commit.decode(buffer, 0, buffer.capacity()));
            assertEquals(0, commit.count());
        }
    }

    @Test
    void shouldRefuseASignerPastTheBound()
    {
        final BlockCommit commit = new BlockCommit();
        final byte[] sig = new byte[64];
        for (int i = 0; i < BlockCommit.MAX_SIGNERS; i++)
        {
            commit.add(new byte[20], sig, 0);
        }
        assertThrows(IllegalStateException.class, () -> commit.add(new byte[20], sig, 0));
        assertEquals(BlockCommit.MAX_SIGNERS, commit.count());
    }
}
