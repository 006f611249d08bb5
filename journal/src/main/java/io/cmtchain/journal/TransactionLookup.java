package io.cmtchain.journal;

/**
 * A journal that finds its transactions by hash, and the receipt it journaled for each. The Chronicle journal does,
 * through its transaction index; a journal that keeps no index (or no blocks) does not implement it. Called from the
 * thread that appends, between appends.
 */
public interface TransactionLookup
{
    /**
     * @param hash   holding a 32-byte transaction hash.
     * @param offset of it.
     * @return its {@link TxLocation} (the earliest, if the same transaction is in more than one block),
     *         {@link TxLocation#NOT_FOUND}, or, when the index places it in a block that cannot be read before any
     *         block found to hold it, that location {@link TxLocation#unreadable(long) marked unreadable}
     *         ({@link #unreadableCause()} says why).
     */
    long findTransaction(byte[] hash, int offset);

    /**
     * @return why the block of the last {@link TxLocation#isUnreadable unreadable} location {@link #findTransaction}
     *         returned could not be read; null for a journal that always can.
     */
    default JournalCorruptedException unreadableCause()
    {
        return null;
    }

    /**
     * @param location of a transaction found by {@link #findTransaction} (not unreadable).
     * @return its journaled {@code ReceiptStatus} code.
     */
    int status(long location);

    /**
     * @param location of a transaction found by {@link #findTransaction} (not unreadable).
     * @return its journaled fee in µCMT.
     */
    long feeCharged(long location);

    /** @return height of the last journaled block, 0 when empty. */
    long lastHeight();
}
