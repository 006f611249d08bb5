package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.BlockExecutor;

/**
 * Re-executes journaled blocks on a chain with {@link Chain#replay}, which checks each block's transaction root,
 * receipts root and state root against its journaled header, and on a DPoS chain the scheduled proposer, its
 * signature and the journaled commit (fed to DPoS exactly as on the live path); the journaled receipts are compared
 * too. A {@link TransactionCheck} may check each block's transactions while it executes (the replay command checks
 * their signatures with it).
 * One object per replay, reused from block to block.
 */
public final class JournalReplay
{
    /** Told after each replayed block, e.g. to print progress. */
    @FunctionalInterface
    public interface Listener
    {
        /**
         * @param height       of the block just replayed.
         * @param transactions in it.
         */
        void onBlock(long height, int transactions);
    }

    /**
     * Checks a journaled block's transactions, possibly on other threads while the block executes: {@link #begin}
     * before the block is executed, {@link #finish} after. A failed check fails the block even when its execution
     * reproduced it, and is reported ahead of any mismatch.
     */
    public interface TransactionCheck
    {
        /**
         * Start checking a block's transactions. They stay as they are until {@link #finish} returns, and may be read
         * meanwhile by other threads (the replay only reads them too).
         *
         * @param height of the block.
         * @param txs    its transactions, as journaled.
         */
        void begin(long height, BlockTransactions txs);

        /**
         * Complete the check begun last; the calling thread may do part of it. Called once after each
         * {@link #begin}, also when the block's execution failed, so that nothing reads the transactions after.
         *
         * @return null when they pass; else what fails, naming the transaction, for a {@link ReplayMismatchException}.
         */
        String finish();
    }

    private final BlockHeader scratch = new BlockHeader();
    private TransactionCheck transactionCheck;
    private final BlockReceipts receipts = new BlockReceipts(1024);
    private long blocks;
    private long transactions;

    /**
     * Replay every block the reader yields after the chain's height, up to the end of the journal.
     *
     * @param reader   positioned at block {@code chain.height() + 1} (see {@link JournalReader#seek(long)}).
     * @param chain    to apply the blocks to.
     * @param executor that executes them.
     * @param listener told after each block; may be null.
     * @return blocks replayed.
     * @throws ReplayMismatchException   naming the first block that does not reproduce.
     * @throws JournalCorruptedException naming a damaged block.
     */
    public long run(
        final JournalReader reader, final Chain chain, final BlockExecutor executor, final Listener listener)
    {
        final long start = blocks;
        while (reader.next())
        {
            final String mismatch = checkAndReplay(reader, chain, executor);
            if (mismatch != null)
            {
                throw new ReplayMismatchException(mismatch);
            }
            final int differs = reader.receipts().firstDifference(receipts);
            if (differs >= 0)
            {
                throw new ReplayMismatchException("block " + reader.height() + ": transaction " + differs +
                    " journaled as " + statusName(reader.receipts(), differs) + " but replays as " +
                    statusName(receipts, differs));
            }
            blocks++;
            transactions += reader.transactions().count();
            if (listener != null)
            {
                listener.onBlock(reader.height(), reader.transactions().count());
            }
        }
        return blocks - start;
    }

    /** @return the first failure: the transaction check's, else the block's mismatch; null when it reproduces. */
    private String checkAndReplay(final JournalReader reader, final Chain chain, final BlockExecutor executor)
    {
        if (transactionCheck == null)
        {
            return chain.replay(reader.header(), reader.commit(), reader.transactions(), executor, receipts, scratch);
        }
        transactionCheck.begin(reader.height(), reader.transactions());
        final String mismatch;
        try
        {
            mismatch = chain.replay(reader.header(), reader.commit(), reader.transactions(), executor, receipts,
                scratch);
        }
        catch (final RuntimeException | Error ex)
        {
            // Nothing may still read this block's transactions once the reader moves on or closes.
            transactionCheck.finish();
            throw ex;
        }
        final String failed = transactionCheck.finish();
        if (failed != null)
        {
            throw new ReplayMismatchException(failed);
        }
        return mismatch;
    }

    /**
     * @param check run on each block's transactions, alongside its execution (see {@link TransactionCheck}); null for
     *              none.
     * @return this.
     */
    public JournalReplay transactionCheck(final TransactionCheck check)
    {
        this.transactionCheck = check;
        return this;
    }

    /** @return blocks replayed by this object. */
    public long blocks()
    {
        return blocks;
    }

    /** @return transactions replayed by this object. */
    public long transactions()
    {
        return transactions;
    }

    private static String statusName(final BlockReceipts r, final int i)
    {
        if (i >= r.count())
        {
            return "absent";
        }
        return ReceiptStatus.get((short)r.status(i)) + " (fee " + r.feeCharged(i) + ")";
    }
}
