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
 * too. A {@link TransactionCheck} may check each block's transactions before it is executed (the replay command
 * checks their signatures with it).
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

    /** Checks a journaled block's transactions before the block is executed. */
    @FunctionalInterface
    public interface TransactionCheck
    {
        /**
         * @param height of the block.
         * @param txs    its transactions, as journaled.
         * @return null when they pass; else what fails, naming the transaction, for a {@link ReplayMismatchException}.
         */
        String check(long height, BlockTransactions txs);
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
            final String failed = transactionCheck == null ? null :
                transactionCheck.check(reader.height(), reader.transactions());
            if (failed != null)
            {
                throw new ReplayMismatchException(failed);
            }
            final String mismatch = chain.replay(reader.header(), reader.commit(), reader.transactions(), executor, receipts,
                scratch);
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

    /**
     * @param check run on each block's transactions before the block executes; null for none.
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
