package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.journal.BlockJournal;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A journal that encodes each header and keeps nothing: benchmarks of the pipeline run for minutes and must not
 * measure (or run out of memory in) the in-memory journal's copies.
 */
final class DiscardingBlockJournal implements BlockJournal
{
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[BlockHeader.ENCODED_LENGTH]);
    private volatile long lastHeight;
    private long transactions;

    @Override
    public void append(
        final BlockHeader header, final BlockCommit commit, final BlockTransactions txs, final BlockReceipts receipts)
    {
        header.encode(scratch, 0);
        transactions += txs.count();
        lastHeight = header.height;
    }

    @Override
    public long lastHeight()
    {
        return lastHeight;
    }

    long transactions()
    {
        return transactions;
    }

    @Override
    public void close()
    {
    }
}
