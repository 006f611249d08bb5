package io.cmtchain.transport;

/**
 * Records on the many-to-one ring that feeds {@link EgressPublisher}: receipts and query answers from the pipeline's
 * threads and session commands from ingress. One ring keeps them in order: a session's OPEN is always written before
 * the first of its transactions reaches the sink, so before any of its receipts.
 * <pre>
 *  RECEIPT (msgTypeId 1)                     OPEN_SESSION (msgTypeId 2)            CLOSE_SESSION (msgTypeId 3)
 *   0 clientId        i64                     0 clientId        i64                 0 clientId  i64
 *   8 blockHeight     i64                     8 correlationId   i64                 8
 *  16 feeMicroCmt     i64                    16 responseStream  i32
 *  24 status          i32                    20 channel length  i32
 *  28 txHash          32 bytes               24 channel         ASCII bytes
 *  60
 *
 *  ACCOUNT_STATE (msgTypeId 4)               TRANSACTION_STATE (msgTypeId 5)
 *   0 clientId        i64                     0 clientId        i64
 *   8 correlationId   i64                     8 correlationId   i64
 *  16 height          i64                    16 blockHeight     i64
 *  24 balanceMicroCmt i64                    24 feeMicroCmt     i64
 *  32 nonce           i64                    32 journaledHeight i64
 *  40 exists          i32                    40 index           i32
 *  44 address         20 bytes               44 status          i32
 *  64                                        48 found           i32
 *                                            52 txHash          32 bytes
 *                                            84
 * </pre>
 */
final class EgressRingDescriptor
{
    static final int RECEIPT_MSG_TYPE_ID = 1;
    static final int OPEN_SESSION_MSG_TYPE_ID = 2;
    static final int CLOSE_SESSION_MSG_TYPE_ID = 3;
    static final int ACCOUNT_STATE_MSG_TYPE_ID = 4;
    static final int TRANSACTION_STATE_MSG_TYPE_ID = 5;

    static final int CLIENT_ID_OFFSET = 0;

    static final int BLOCK_HEIGHT_OFFSET = 8;
    static final int FEE_OFFSET = 16;
    static final int STATUS_OFFSET = 24;
    static final int HASH_OFFSET = 28;
    static final int HASH_LENGTH = 32;
    static final int RECEIPT_LENGTH = HASH_OFFSET + HASH_LENGTH;

    static final int CORRELATION_ID_OFFSET = 8;
    static final int RESPONSE_STREAM_ID_OFFSET = 16;
    static final int CHANNEL_LENGTH_OFFSET = 20;
    static final int CHANNEL_OFFSET = 24;

    static final int STATE_CORRELATION_ID_OFFSET = 8;
    static final int STATE_HEIGHT_OFFSET = 16;
    static final int STATE_BALANCE_OFFSET = 24;
    static final int STATE_NONCE_OFFSET = 32;
    static final int STATE_EXISTS_OFFSET = 40;
    static final int STATE_ADDRESS_OFFSET = 44;
    static final int ADDRESS_LENGTH = 20;
    static final int ACCOUNT_STATE_LENGTH = STATE_ADDRESS_OFFSET + ADDRESS_LENGTH;

    static final int TX_STATE_HEIGHT_OFFSET = 16;
    static final int TX_STATE_FEE_OFFSET = 24;
    static final int TX_STATE_JOURNALED_OFFSET = 32;
    static final int TX_STATE_INDEX_OFFSET = 40;
    static final int TX_STATE_STATUS_OFFSET = 44;
    static final int TX_STATE_FOUND_OFFSET = 48;
    static final int TX_STATE_HASH_OFFSET = 52;
    static final int TRANSACTION_STATE_LENGTH = TX_STATE_HASH_OFFSET + HASH_LENGTH;

    static final int CLOSE_LENGTH = 8;

    /**
     * Disconnect reasons on the wire (the schema's Disconnect.reason): a client asks with REQUESTED; egress tells a
     * client SLOW_CLIENT or SHUTDOWN. A CLOSE_SESSION record carries none: the session is closed whatever the cause
     * (its client asked, reconnected on the same publication, or went), and nothing is sent to its client.
     */
    static final int REASON_REQUESTED = 0;
    static final int REASON_SLOW_CLIENT = 1;
    static final int REASON_SHUTDOWN = 2;

    private EgressRingDescriptor()
    {
    }
}
