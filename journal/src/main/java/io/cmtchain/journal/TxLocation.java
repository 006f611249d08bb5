package io.cmtchain.journal;

/**
 * Where a transaction sits in the chain, packed in a long so that a lookup allocates nothing:
 * <pre>
 *   location = height &lt;&lt; 24 | index in block
 * </pre>
 * Heights up to 2^39 and blocks of up to 2^24 - 1 transactions.
 */
public final class TxLocation
{
    /** Returned by lookups when the transaction is not in the journal. */
    public static final long NOT_FOUND = -1;
    /** Largest number of transactions in one block the location can address. */
    public static final int MAX_TRANSACTIONS_PER_BLOCK = (1 << 24) - 1;

    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

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
     * @param location packed.
     * @return height of the block.
     */
    public static long height(final long location)
    {
        return location >>> INDEX_BITS;
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
