package io.cmtchain.journal;

/**
 * Where a transaction sits in the chain, packed in a long so that a lookup allocates nothing:
 * <pre>
 *   location = height &lt;&lt; 24 | index in block
 * </pre>
 * Heights up to 2^39 and blocks of up to 2^24 - 1 transactions. A lookup whose answer is a block it cannot read
 * returns that location with the sign bit set ({@link #unreadable(long)}): negative as {@link #NOT_FOUND} is, so a
 * caller that only checks for a location at or above 0 never takes it for one.
 */
public final class TxLocation
{
    /** Returned by lookups when the transaction is not in the journal. */
    public static final long NOT_FOUND = -1;
    /** Largest number of transactions in one block the location can address. */
    public static final int MAX_TRANSACTIONS_PER_BLOCK = (1 << 24) - 1;

    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final long UNREADABLE_BIT = Long.MIN_VALUE;

    private TxLocation()
    {
    }

    /**
     * @param height of the block.
     * @param index  of the transaction in the block.
     * @return the packed location.
     */
    public static long pack(final long height, final int index)
    {
        return height << INDEX_BITS | index;
    }

    /**
     * @param location packed, or {@link #unreadable(long) unreadable}.
     * @return height of the block.
     */
    public static long height(final long location)
    {
        return (location & ~UNREADABLE_BIT) >>> INDEX_BITS;
    }

    /**
     * @param location packed: where the transaction index places a transaction, in a block that cannot be read.
     * @return it marked unreadable; {@link #height(long)} and {@link #index(long)} still give its block and position.
     */
    public static long unreadable(final long location)
    {
        return location | UNREADABLE_BIT;
    }

    /**
     * @param location from a lookup.
     * @return true when it is {@link #unreadable(long) unreadable}: neither {@link #NOT_FOUND} nor a location found.
     */
    public static boolean isUnreadable(final long location)
    {
        return location < NOT_FOUND;
    }

    /**
     * @param location packed.
     * @return index of the transaction in its block.
     */
    public static int index(final long location)
    {
        return (int)(location & INDEX_MASK);
    }
}
