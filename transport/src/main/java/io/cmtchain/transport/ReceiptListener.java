package io.cmtchain.transport;

import org.agrona.DirectBuffer;

/**
 * Told the one outcome of each transaction submitted through {@link CmtClient}: a receipt, or that the receipt was
 * lost (the session ended before it came). Called on the thread that calls {@link CmtClient#poll()} (or
 * {@link CmtClient#submit}, which polls while it waits). The hash buffer is only valid during the call.
 * <p>
 * A listener may submit and query; what it calls does not read receipts (they are being read around it): a submit
 * that meets back pressure waits out its submit timeout without them, and an {@link CmtClient#await} in a listener
 * waits until its deadline for an answer that comes only after the listener returns.
 * <p>
 * A listener that throws is still told nothing more for that transaction, and the others are told theirs: thrown from
 * a read of the response stream, the exception goes to the Aeron client's error handler; from {@code onLost} outside
 * one (as in {@link CmtClient#close()}), it is thrown once every pending transaction was told.
 */
public interface ReceiptListener
{
    /**
     * @param tag                the caller's value given to submit.
     * @param txHash             holding the transaction hash.
     * @param hashOffset         of the hash.
     * @param status             {@code ReceiptStatus} code; 0 = committed.
     * @param blockHeight        of the block it was committed or rejected in. A transaction refused before any block
     *                           (malformed, bad signature, duplicate) is in none: its receipt carries the height of
     *                           the block being formed when it was refused (0 when refused at ingress, OVERSIZED).
     *                           {@link CmtClient#queryTransaction} says which block, if any, holds a hash.
     * @param feeChargedMicroCmt fee charged.
     */
    void onReceipt(
        long tag, DirectBuffer txHash, int hashOffset, int status, long blockHeight, long feeChargedMicroCmt);

    /**
     * The session to the node ended with this transaction still waiting: it may or may not have been committed.
     *
     * @param tag        the caller's value given to submit.
     * @param txHash     holding the transaction hash.
     * @param hashOffset of the hash.
     * @param reason     {@link CmtClient#LOST_NODE_GONE}, {@link CmtClient#LOST_EVICTED} or
     *                   {@link CmtClient#LOST_CLOSED}.
     */
    void onLost(long tag, DirectBuffer txHash, int hashOffset, int reason);
}
