package io.cmtchain.engine.block;

import io.cmtchain.engine.tx.Addresses;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The commit a block carries: which validators of the previous block signed that block's header, with their
 * signatures ({@link BlockSigning#signCommit}). It is the input DPoS's {@code beginBlock} takes (rewards go to the
 * signers, absences count against the others), so it is journaled with the block and replay feeds the same set.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Signer count n (u32 LE)                   |  0
 *  +---------------------------------------------------------------+
 *  |        Signer 0: owner address (20 bytes)                    ...  4
 *  +---------------------------------------------------------------+
 *  |        Signer 0: Ed25519 signature (64 bytes)                ... 24
 *  +---------------------------------------------------------------+
 *  |        Signers 1 .. n-1, 84 bytes each                       ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Reused from block to block: nothing is allocated once it has held as many signers as a block has.
 */
public final class BlockCommit
{
    /** Most signers a commit holds: DPoS's bound on validators. */
    public static final int MAX_SIGNERS = 1_000;
    /** Bytes per signer in the encoding. */
    public static final int SIGNER_LENGTH = Addresses.LENGTH + BlockSigning.SIGNATURE_LENGTH;

    private final byte[][] signers = new byte[MAX_SIGNERS][];
    private byte[] signatures = new byte[BlockSigning.SIGNATURE_LENGTH * 8];
    private int count;
    private final byte[] sigScratch = new byte[BlockSigning.SIGNATURE_LENGTH];
    private final byte[] addressScratch = new byte[Addresses.LENGTH];

    /** Empty the commit. */
    public BlockCommit reset()
    {
        count = 0;
        return this;
    }

    /** @return signers held. */
    public int count()
    {
        return count;
    }

    /** @return the signers' 20-byte owner addresses, the first {@link #count()} entries valid (not copies). */
    public byte[][] signers()
    {
        return signers;
    }

    /** @return the signatures, 64 bytes per signer in order (not a copy). */
    public byte[] signatures()
    {
        return signatures;
    }

    /**
     * @param address   20-byte owner address of the signer.
     * @param sig       its signature.
     * @param sigOffset in {@code sig}.
     * @return this.
     */
    public BlockCommit add(final byte[] address, final byte[] sig, final int sigOffset)
    {
        if (count == MAX_SIGNERS)
        {
            throw new IllegalStateException("a commit holds at most " + MAX_SIGNERS + " signers");
        }
        if (signers[count] == null)
        {
            signers[count] = new byte[Addresses.LENGTH];
        }
        System.arraycopy(address, 0, signers[count], 0, Addresses.LENGTH);
        final int need = (count + 1) * BlockSigning.SIGNATURE_LENGTH;
        if (signatures.length < need)
        {
            signatures = Arrays.copyOf(signatures, Math.max(need, signatures.length * 2));
        }
        System.arraycopy(sig, sigOffset, signatures, count * BlockSigning.SIGNATURE_LENGTH,
            BlockSigning.SIGNATURE_LENGTH);
        count++;
        return this;
    }

    /**
     * @param other commit.
     * @return this, holding a copy of {@code other}.
     */
    public BlockCommit copyFrom(final BlockCommit other)
    {
        reset();
        for (int i = 0; i < other.count; i++)
        {
            add(other.signers[i], other.signatures, i * BlockSigning.SIGNATURE_LENGTH);
        }
        return this;
    }

    /** @return bytes {@link #encode} writes. */
    public int encodedLength()
    {
        return 4 + count * SIGNER_LENGTH;
    }

    /**
     * @param buffer to write to.
     * @param offset in it.
     * @return bytes written.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, count, ByteOrder.LITTLE_ENDIAN);
        int p = offset + 4;
        for (int i = 0; i < count; i++)
        {
            buffer.putBytes(p, signers[i], 0, Addresses.LENGTH);
            buffer.putBytes(p + Addresses.LENGTH, signatures, i * BlockSigning.SIGNATURE_LENGTH,
                BlockSigning.SIGNATURE_LENGTH);
            p += SIGNER_LENGTH;
        }
        return p - offset;
    }

    /**
     * @param buffer holding an encoded commit.
     * @param offset of it.
     * @param length bytes available.
     * @return bytes read.
     * @throws IllegalArgumentException when the bytes are not a commit.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        reset();
        if (length < 4)
        {
            throw new IllegalArgumentException("commit needs 4 bytes, got " + length);
        }
        final int n = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        if (n < 0 || n > MAX_SIGNERS || 4 + (long)n * SIGNER_LENGTH > length)
        {
            throw new IllegalArgumentException("commit of " + n + " signers does not fit " + length + " bytes");
        }
        final byte[] sig = sigScratch;
        final byte[] address = addressScratch;
        int p = offset + 4;
        for (int i = 0; i < n; i++)
        {
            buffer.getBytes(p, address);
            buffer.getBytes(p + Addresses.LENGTH, sig);
            add(address, sig, 0);
            p += SIGNER_LENGTH;
        }
        return p - offset;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof BlockCommit))
        {
            return false;
        }
        final BlockCommit c = (BlockCommit)o;
        if (c.count != count)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            if (!Arrays.equals(signers[i], c.signers[i]))
            {
                return false;
            }
        }
        return Arrays.equals(signatures, 0, count * BlockSigning.SIGNATURE_LENGTH,
            c.signatures, 0, count * BlockSigning.SIGNATURE_LENGTH);
    }

    @Override
    public int hashCode()
    {
        return count;
    }
}
