package io.cmtchain.engine.block;

import java.util.Arrays;

/**
 * The outcome of each transaction of a block, in block order: a {@code ReceiptStatus} code and the fee charged.
 * Reused from block to block.
 */
public final class BlockReceipts
{
    private byte[] status;
    private long[] feeCharged;
    private int count;

    /**
     * @param initialCapacity receipts to size for; grows as needed.
     */
    public BlockReceipts(final int initialCapacity)
    {
        final int capacity = Math.max(16, initialCapacity);
        status = new byte[capacity];
        feeCharged = new long[capacity];
    }

    /**
     * Make room for {@code n} receipts and set the count to {@code n}.
     *
     * @param n receipts.
     */
    public void reset(final int n)
    {
        if (n > status.length)
        {
            final int capacity = Math.max(n, status.length * 2);
            status = Arrays.copyOf(status, capacity);
            feeCharged = Arrays.copyOf(feeCharged, capacity);
        }
        count = n;
    }

    public int count()
    {
        return count;
    }

    /**
     * @param i           transaction index.
     * @param statusCode  {@code ReceiptStatus} code.
     * @param feeMicroCmt fee charged.
     */
    public void set(final int i, final int statusCode, final long feeMicroCmt)
    {
        status[i] = (byte)statusCode;
        feeCharged[i] = feeMicroCmt;
    }

    public int status(final int i)
    {
        return status[i] & 0xFF;
    }

    public long feeCharged(final int i)
    {
        return feeCharged[i];
    }

    /**
     * @param other receipts.
     * @return index of the first receipt that differs, or -1 when equal.
     */
    public int firstDifference(final BlockReceipts other)
    {
        if (other.count != count)
        {
            return Math.min(count, other.count);
        }
        for (int i = 0; i < count; i++)
        {
            if (status[i] != other.status[i] || feeCharged[i] != other.feeCharged[i])
            {
                return i;
            }
        }
        return -1;
    }
}
