package io.cmtchain.pipeline;

import io.cmtchain.journal.TransactionLookup;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.transport.ReceiptSink;

/**
 * Transaction queries on their way from ingress to the journal stage, which owns the journal and answers them between
 * appends from the journal's transaction index: the block that holds the transaction, and the status and fee
 * journaled for it. A transaction found is in a durable block, so the answer is final.
 */
final class TransactionQueries extends QueryRing
{
    /**
     * Most queries answered per duty cycle. A query about the last block costs about 0.04 µs, one about an older
     * block about 22 µs, as it reads that block ({@code bin/cmt bench jmh TransactionLookupBenchmark}): 16 of those
     * hold the next append back by about 0.35 ms at most.
     */
    static final int LIMIT = 16;
    private static final int HASH_LENGTH = 32;

    private final TransactionLookup journal;
    private ReceiptSink sink;

    /**
     * @param journal the node's journal, which finds its transactions.
     */
    TransactionQueries(final TransactionLookup journal)
    {
        super(HASH_LENGTH, LIMIT);
        this.journal = journal;
    }

    /**
     * The journal stage's side, between appends.
     *
     * @param sink where answers go (the transport's egress).
     * @return queries answered.
     */
    int answer(final ReceiptSink sink)
    {
        this.sink = sink;
        return drain();
    }

    @Override
    protected boolean answer(final long clientId, final long correlationId)
    {
        final long location = journal.findTransaction(key, 0);
        final long journaled = journal.lastHeight();
        if (location == TxLocation.NOT_FOUND)
        {
            return sink.offerTransactionState(clientId, correlationId, key, 0, false, 0, 0, -1, 0, journaled);
        }
        return sink.offerTransactionState(clientId, correlationId, key, 0, true, TxLocation.height(location),
            TxLocation.index(location), journal.status(location), journal.feeCharged(location), journaled);
    }
}
