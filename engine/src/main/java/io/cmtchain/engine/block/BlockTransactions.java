package io.cmtchain.engine.block;

import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The ordered transactions of one block, by reference: each is a frame at an offset in some buffer (a ring slot,
 * a journal entry), with its hash. Nothing is copied; the buffers must stay valid while the block is executed.
 * Reused from block to block.
 */
public final class BlockTransactions
{
    private DirectBuffer[] buffers;
    private int[] offsets;
    private int[] lengths;
    private byte[] hashes;
    private int count;

    /**
     * @param initialCapacity transactions to size for; grows as needed.
     */
    public BlockTransactions(final int initialCapacity)
    {
        final int capacity = Math.max(16, initialCapacity);
        buffers = new DirectBuffer[capacity];
        offsets = new int[capacity];
        lengths = new int[capacity];
        hashes = new byte[capacity * 32];
    }

    /** Forget every transaction (and every buffer reference). */
    public void reset()
    {
        Arrays.fill(buffers, 0, count, null);
        count = 0;
    }

    /**
     * @param buffer     holding the frame.
     * @param offset     of the frame.
     * @param length     of the frame.
     * @param hash       holding the 32-byte transaction hash.
     * @param hashOffset of the hash.
     * @return index of the transaction in the block.
     */
    public int add(
        final DirectBuffer buffer, final int offset, final int length, final byte[] hash, final int hashOffset)
    {
        final int i = claim(buffer, offset, length);
        System.arraycopy(hash, hashOffset, hashes, i * 32, 32);
        return i;
    }

    /**
     * Add a frame and compute its hash here.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame; at least {@link TransactionDescriptor#SIGNED_OFFSET}.
     * @param sha    digest to use.
     * @return index of the transaction in the block.
     */
    public int add(final DirectBuffer buffer, final int offset, final int length, final Sha256 sha)
    {
        final int i = claim(buffer, offset, length);
        TxHash.compute(sha, buffer, offset, length, hashes, i * 32);
        return i;
    }

    public int count()
    {
        return count;
    }

    public DirectBuffer buffer(final int i)
    {
        return buffers[i];
    }

    public int offset(final int i)
    {
        return offsets[i];
    }

    public int length(final int i)
    {
        return lengths[i];
    }

    /** @return hashes, 32 bytes per transaction in block order; read only. */
    public byte[] hashes()
    {
        return hashes;
    }

    /**
     * @param i   transaction index.
     * @param out receives 32 bytes.
     * @param outOffset in {@code out}.
     */
    public void hash(final int i, final byte[] out, final int outOffset)
    {
        System.arraycopy(hashes, i * 32, out, outOffset, 32);
    }

    private int claim(final DirectBuffer buffer, final int offset, final int length)
    {
        if (count == offsets.length)
        {
            final int capacity = count * 2;
            buffers = Arrays.copyOf(buffers, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            hashes = Arrays.copyOf(hashes, capacity * 32);
        }
        final int i = count++;
        buffers[i] = buffer;
        offsets[i] = offset;
        lengths[i] = length;
        return i;
    }
}
