package io.cmtchain.transport;

/**
 * Where the pipeline sends each transaction's one outcome, after its block is durable (or at once for a rejection
 * that never reached a block). Implemented by the egress of the transport, or by an in-process client.
 * <p>
 * Implementations must be safe to call from several producer threads at once (the pipeline's receipt stage and
 * early-reject stages, the transport's own ingress for oversized frames) and must never block.
 */
public interface ReceiptSink
{
    /**
     * @param clientId    session the transaction came from.
     * @param txHash      holding the 32-byte transaction hash.
     * @param hashOffset  of the hash.
     * @param status      {@code ReceiptStatus} code.
     * @param blockHeight height of the block it was committed or rejected in (the next block for early rejects).
     * @param feeCharged  fee charged, µCMT.
     */
    void onReceipt(long clientId, byte[] txHash, int hashOffset, int status, long blockHeight, long feeCharged);

    /**
     * As {@link #onReceipt}, but says whether the receipt was taken, so a caller that can wait (or push back on
     * its own input) may offer it again instead of letting the sink count it as dropped.
     *
     * @param clientId    session the transaction came from.
     * @param txHash      holding the 32-byte transaction hash.
     * @param hashOffset  of the hash.
     * @param status      {@code ReceiptStatus} code.
     * @param blockHeight height of the block.
     * @param feeCharged  fee charged, µCMT.
     * @return true if taken; false if the sink has no room now (nothing was recorded).
     */
    default boolean offerReceipt(
        final long clientId,
        final byte[] txHash,
        final int hashOffset,
        final int status,
        final long blockHeight,
        final long feeCharged)
    {
        onReceipt(clientId, txHash, hashOffset, status, blockHeight, feeCharged);
        return true;
    }

    /**
     * The answer to an account query ({@link TransactionSink#onAccountQuery}), as of the last executed block. A sink
     * with no clients that can query (an in-process one) need not override it.
     *
     * @param clientId      session the query came from.
     * @param correlationId the client's.
     * @param address       20-byte account address.
     * @param height        of the last executed block.
     * @param exists        whether the account exists.
     * @param balance       its balance, µCMT (0 if it does not exist).
     * @param nonce         the nonce its next transaction must carry (0 if it does not exist).
     * @return true if taken; false if the sink has no room now (offer it again later).
     */
    default boolean offerAccountState(
        final long clientId,
        final long correlationId,
        final byte[] address,
        final long height,
        final boolean exists,
        final long balance,
        final long nonce)
    {
        return true;
    }

    /**
     * The answer to a transaction query ({@link TransactionSink#onTransactionQuery}), from the journal. A sink with no
     * clients that can query (an in-process one) need not override it.
     *
     * @param clientId        session the query came from.
     * @param correlationId   the client's.
     * @param txHash          holding the 32-byte transaction hash asked about.
     * @param hashOffset      of the hash.
     * @param found           whether a journaled block holds it; the next four are 0 (status -1) when not.
     * @param blockHeight     of that block.
     * @param index           its position in the block.
     * @param status          its journaled {@code ReceiptStatus} code.
     * @param feeCharged      its journaled fee, µCMT.
     * @param journaledHeight the last journaled block.
     * @return true if taken; false if the sink has no room now (offer it again later).
     */
    default boolean offerTransactionState(
        final long clientId,
        final long correlationId,
        final byte[] txHash,
        final int hashOffset,
        final boolean found,
        final long blockHeight,
        final int index,
        final int status,
        final long feeCharged,
        final long journaledHeight)
    {
        return true;
    }

    /**
     * The answer to a transaction query ({@link TransactionSink#onTransactionQuery}) that the journal could not give:
     * its transaction index places the transaction in a block it cannot read (damaged on disk). The client is told
     * so ({@link TransactionState#unreadable()}) rather than left to time out. A sink with no clients that can query
     * need not override it.
     *
     * @param clientId        session the query came from.
     * @param correlationId   the client's.
     * @param txHash          holding the 32-byte transaction hash asked about.
     * @param hashOffset      of the hash.
     * @param blockHeight     the block that cannot be read, or 0 when the lookup failed before it named one.
     * @param journaledHeight the last journaled block.
     * @return true if taken; false if the sink has no room now (offer it again later).
     */
    default boolean offerTransactionUnreadable(
        final long clientId,
        final long correlationId,
        final byte[] txHash,
        final int hashOffset,
        final long blockHeight,
        final long journaledHeight)
    {
        return true;
    }
}
