package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.tx.ReceiptStatuses;

/**
 * Re-executes journaled blocks on a chain with {@link Chain#replay}, which checks each block's transaction root,
 * receipts root and state root against its journaled header, and on a DPoS chain the scheduled proposer, its
 * signature and the journaled commit (fed to DPoS exactly as on the live path); the journaled receipts are compared
 * too. A {@link TransactionCheck} may check each block's transactions while blocks execute (the replay command checks
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
     * Checks journaled blocks' transactions, possibly on other threads while blocks execute: {@link #begin} before a
     * block is executed, {@link #finish} after. The replay begins the next block before it finishes the one before,
     * so that the check has work while the replaying thread reads and executes: at most two blocks are begun and not
     * finished. A failed check fails its block even when its execution reproduced it, and is reported ahead of any
     * mismatch of that block or the next.
     */
    public interface TransactionCheck
    {
        /**
         * Start checking a block's transactions. The check copies what it needs before it returns: the reader reuses
         * its buffers for the next block.
         *
         * @param height of the block.
         * @param txs    its transactions, as journaled; valid only during this call.
         */
        void begin(long height, BlockTransactions txs);

        /**
         * Complete the check of the earliest block begun and not finished; the calling thread may do part of the
         * checking (of that block or of the next). Called once for each {@link #begin}, in order, also after an
         * execution failed.
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
        final TransactionCheck check = transactionCheck;
        // With a check: the block executed before this one, whose check is not finished yet; -1 for none.
        long pendingHeight = -1;
        int pendingCount = 0;
        while (reader.next())
        {
            final long height = reader.height();
            final int count = reader.transactions().count();
            if (check != null)
            {
                check.begin(height, reader.transactions());
            }
            String mismatch;
            try
            {
                mismatch = chain.replay(reader.header(), reader.commit(), reader.transactions(), executor, receipts,
                    scratch);
            }
            catch (final RuntimeException | Error ex)
            {
                if (check != null)
                {
                    // A failed check of this block or the one before comes first; each begun block is finished.
                    finishAll(check, pendingHeight >= 0 ? 2 : 1);
                }
                throw ex;
            }
            if (pendingHeight >= 0)
            {
                final String failed = check.finish();
                if (failed != null)
                {
                    check.finish();
                    throw new ReplayMismatchException(failed);
                }
                completed(pendingHeight, pendingCount, listener);
            }
            if (mismatch == null)
            {
                mismatch = receiptMismatch(height, reader.receipts());
            }
            if (mismatch != null)
            {
                if (check != null)
                {
                    finishAll(check, 1);
                }
                throw new ReplayMismatchException(mismatch);
            }
            if (check == null)
            {
                completed(height, count, listener);
            }
            else
            {
                pendingHeight = height;
                pendingCount = count;
            }
        }
        if (pendingHeight >= 0)
        {
            finishAll(check, 1);
            completed(pendingHeight, pendingCount, listener);
        }
        return blocks - start;
    }

    /**
     * Finish the blocks begun and not finished, earliest first, and throw the first one's failure, if any.
     *
     * @param check   the transaction check.
     * @param pending blocks begun and not finished.
     */
    private static void finishAll(final TransactionCheck check, final int pending)
    {
        String failed = null;
        for (int i = 0; i < pending; i++)
        {
            final String verdict = check.finish();
            if (failed == null)
            {
                failed = verdict;
            }
        }
        if (failed != null)
        {
            throw new ReplayMismatchException(failed);
        }
    }

    private String receiptMismatch(final long height, final BlockReceipts journaled)
    {
        final int differs = journaled.firstDifference(receipts);
        if (differs < 0)
        {
            return null;
        }
        return "block " + height + ": transaction " + differs + " journaled as " + statusName(journaled, differs) +
            " but replays as " + statusName(receipts, differs);
    }

    private void completed(final long height, final int count, final Listener listener)
    {
        blocks++;
        transactions += count;
        if (listener != null)
        {
            listener.onBlock(height, count);
        }
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
        return ReceiptStatuses.name(r.status(i)) + " (fee " + r.feeCharged(i) + ")";
    }
}
