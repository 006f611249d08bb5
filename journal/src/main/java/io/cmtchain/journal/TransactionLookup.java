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
     * @return its {@link TxLocation} (the earliest, if the same transaction is in more than one block), or
     *         {@link TxLocation#NOT_FOUND}.
     */
    long findTransaction(byte[] hash, int offset);

    /**
     * @param location of a transaction, from {@link #findTransaction}.
     * @return its journaled {@code ReceiptStatus} code.
     */
    int status(long location);

    /**
     * @param location of a transaction, from {@link #findTransaction}.
     * @return its journaled fee in µCMT.
     */
    long feeCharged(long location);

    /** @return height of the last journaled block, 0 when empty. */
    long lastHeight();
}
