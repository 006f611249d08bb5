package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A journal held in memory: for tests and for running the pipeline without a disk. Not durable.
 */
public final class InMemoryBlockJournal implements BlockJournal, TransactionLookup
{
    /** One journaled block, copied. */
    public static final class Entry
    {
        public final BlockHeader header = new BlockHeader();
        public final BlockCommit commit = new BlockCommit();
        public final List<byte[]> transactions = new ArrayList<>();
        public final byte[] statuses;
        public final long[] fees;

        Entry(
            final BlockHeader header, final BlockCommit commit, final BlockTransactions txs,
            final BlockReceipts receipts)
        {
            this.header.copyFrom(header);
            this.commit.copyFrom(commit);
            statuses = new byte[txs.count()];
            fees = new long[txs.count()];
            for (int i = 0; i < txs.count(); i++)
            {
                final byte[] frame = new byte[txs.length(i)];
                txs.buffer(i).getBytes(txs.offset(i), frame);
                transactions.add(frame);
                statuses[i] = (byte)receipts.status(i);
                fees[i] = receipts.feeCharged(i);
            }
        }

        /**
         * @param txs receives the block's transactions, backed by this entry's copies.
         * @param hashes holds 32 bytes per transaction, in order.
         */
        public void transactions(final BlockTransactions txs, final byte[] hashes)
        {
            txs.reset();
            for (int i = 0; i < transactions.size(); i++)
            {
                final byte[] frame = transactions.get(i);
                txs.add(new UnsafeBuffer(frame), 0, frame.length, hashes, i * 32);
            }
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** Every journaled transaction's {@link TxLocation}, by its hash. */
    private final Map<ByteBuffer, Long> locations = new HashMap<>();

    @Override
    public synchronized void append(
        final BlockHeader header, final BlockCommit commit, final BlockTransactions txs, final BlockReceipts receipts)
    {
        if (header.height != entries.size() + 1)
        {
            throw new IllegalStateException("block " + header.height + " appended after " + entries.size());
        }
        entries.add(new Entry(header, commit, txs, receipts));
        for (int i = 0; i < txs.count(); i++)
        {
            final byte[] hash = new byte[32];
            txs.hash(i, hash, 0);
            locations.putIfAbsent(ByteBuffer.wrap(hash), TxLocation.pack(header.height, i));
        }
    }

    @Override
    public synchronized long findTransaction(final byte[] hash, final int offset)
    {
        return locations.getOrDefault(ByteBuffer.wrap(hash, offset, 32).slice(), TxLocation.NOT_FOUND);
    }

    @Override
    public synchronized int status(final long location)
    {
        return entries.get((int)TxLocation.height(location) - 1).statuses[TxLocation.index(location)] & 0xFF;
    }

    @Override
    public synchronized long feeCharged(final long location)
    {
        return entries.get((int)TxLocation.height(location) - 1).fees[TxLocation.index(location)];
    }

    @Override
    public synchronized long lastHeight()
    {
        return entries.size();
    }

    /** @return a copy of the list of entries, in height order. */
    public synchronized List<Entry> entries()
    {
        return new ArrayList<>(entries);
    }

    @Override
    public void close()
    {
    }
}
