package io.cmtchain.transport;

import org.agrona.DirectBuffer;

/**
 * Where ingress hands each received transaction frame: the pipeline's ring. Implemented by the pipeline.
 */
public interface TransactionSink
{
    /** The frame was taken (copied into the ring); the buffer may be reused. */
    int ACCEPTED = 0;

    /** No room now: the frame was not taken; ingress must stop reading and offer it again later. */
    int BACK_PRESSURED = -1;

    /** This sink does not answer this kind of query. */
    int UNSUPPORTED = -2;

    /**
     * @param buffer   holding the frame.
     * @param offset   of the frame.
     * @param length   of the frame.
     * @param clientId the session the receipt must go back to.
     * @return {@link #ACCEPTED} or {@link #BACK_PRESSURED}.
     */
    int onTransaction(DirectBuffer buffer, int offset, int length, long clientId);

    /**
     * An AccountQuery from a client: the answer goes back through the {@link ReceiptSink}'s
     * {@link ReceiptSink#offerAccountState}, from the thread that owns the state.
     *
     * @param clientId      the session the answer must go back to.
     * @param correlationId the client's, given back in the answer.
     * @param buffer        holding the 20-byte address.
     * @param addressOffset of the address.
     * @return {@link #ACCEPTED}, {@link #BACK_PRESSURED} (offer it again later) or {@link #UNSUPPORTED}.
     */
    default int onAccountQuery(long clientId, long correlationId, DirectBuffer buffer, int addressOffset)
    {
        return UNSUPPORTED;
    }

    /**
     * A TransactionQuery from a client: the answer goes back through the {@link ReceiptSink}'s
     * {@link ReceiptSink#offerTransactionState}, from the thread that owns the journal.
     *
     * @param clientId      the session the answer must go back to.
     * @param correlationId the client's, given back in the answer.
     * @param buffer        holding the 32-byte transaction hash.
     * @param hashOffset    of the hash.
     * @return {@link #ACCEPTED}, {@link #BACK_PRESSURED} (offer it again later) or {@link #UNSUPPORTED}.
     */
    default int onTransactionQuery(long clientId, long correlationId, DirectBuffer buffer, int hashOffset)
    {
        return UNSUPPORTED;
    }
}
