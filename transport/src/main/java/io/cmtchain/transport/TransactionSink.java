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

    /**
     * @param buffer   holding the frame.
     * @param offset   of the frame.
     * @param length   of the frame.
     * @param clientId the session the receipt must go back to.
     * @return {@link #ACCEPTED} or {@link #BACK_PRESSURED}.
     */
    int onTransaction(DirectBuffer buffer, int offset, int length, long clientId);
}
