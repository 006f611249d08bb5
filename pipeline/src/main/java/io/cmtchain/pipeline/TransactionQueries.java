package io.cmtchain.pipeline;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.JournalCorruptedException;
import io.cmtchain.journal.TransactionLookup;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.ErrorHandler;

/**
 * Transaction queries on their way from ingress to the journal stage, which owns the journal and answers them between
 * appends from the journal's transaction index: the block that holds the transaction, and the status and fee
 * journaled for it. A transaction found is in a durable block, so the answer is final.
 * <p>
 * Every query gets an answer. When the index places the transaction in a block the journal cannot read (damaged on
 * disk, which the node does not otherwise read once it runs), the answer says so, naming the block
 * ({@link ReceiptSink#offerTransactionUnreadable}); any other failure of the lookup is answered the same way without a
 * block. Either is reported to the error handler once, when the answer is taken, and the stage goes on: a query the
 * ring has handed over is gone from it, so throwing would leave the client to time out.
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
    private final ErrorHandler errorHandler;
    private ReceiptSink sink;

    /**
     * @param journal      the node's journal, which finds its transactions.
     * @param errorHandler told of each query answered without a receipt because the lookup failed (the node's, which
     *                     counts it).
     */
    TransactionQueries(final TransactionLookup journal, final ErrorHandler errorHandler)
    {
        super(HASH_LENGTH, LIMIT);
        this.journal = journal;
        this.errorHandler = errorHandler;
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
        final long journaled = journal.lastHeight();
        long location;
        int status = -1;
        long fee = 0;
        RuntimeException failure = null;
        try
        {
            location = journal.findTransaction(key, 0);
            if (TxLocation.isUnreadable(location))
            {
                failure = journal.unreadableCause();
            }
            else if (location != TxLocation.NOT_FOUND)
            {
                status = journal.status(location);
                fee = journal.feeCharged(location);
            }
        }
        catch (final RuntimeException ex)
        {
            // Not a failure the journal names a block for (a defect, or a journal that throws): still an answer.
            location = TxLocation.unreadable(0);
            failure = ex;
        }

        final boolean taken;
        if (location == TxLocation.NOT_FOUND)
        {
            taken = sink.offerTransactionState(clientId, correlationId, key, 0, false, 0, 0, -1, 0, journaled);
        }
        else if (TxLocation.isUnreadable(location))
        {
            taken = sink.offerTransactionUnreadable(
                clientId, correlationId, key, 0, TxLocation.height(location), journaled);
            if (taken)
            {
                errorHandler.onError(report(clientId, TxLocation.height(location), failure));
            }
        }
        else
        {
            taken = sink.offerTransactionState(clientId, correlationId, key, 0, true, TxLocation.height(location),
                TxLocation.index(location), status, fee, journaled);
        }
        return taken;
    }

    private RuntimeException report(final long clientId, final long height, final RuntimeException cause)
    {
        final String query = "transaction query for " + Hex.encode(key) + " from client " + clientId + ": ";
        return height > 0 ?
            new JournalCorruptedException(query + "the transaction index places it in block " + height +
                ", which cannot be read from the journal; the client was told so", cause) :
            new IllegalStateException(query + "the lookup failed; the client was told its block cannot be read",
                cause);
    }
}
