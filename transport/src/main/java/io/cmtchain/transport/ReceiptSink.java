package io.cmtchain.transport;

/**
 * Where the pipeline sends each transaction's one outcome, after its block is durable (or at once for a rejection
 * that never reached a block). Implemented by the egress of the transport, or by an in-process client.
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
}
