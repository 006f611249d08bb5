package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot: the frame copied in once at ingress, and what every stage learns about it, written by one
 * stage at a time (the ring's sequences order the hand-offs, so plain fields suffice).
 * <pre>
 *   ingress   : frame, length, clientId, status = OK (or OVERSIZED), flags cleared
 *   decode    : status (stateless checks), hash
 *   verify    : status = BAD_SIGNATURE when the signature fails
 *   ordering  : status = DUPLICATE, inBlock, blockHeight; on a block's last slot blockEnd, timestampMs, proposer
 *   execution : status, feeCharged of the slots in the block
 *   receipts  : reads everything
 * </pre>
 */
final class TxEvent
{
    final byte[] frame = new byte[TransactionDescriptor.MAX_LENGTH];
    final UnsafeBuffer buffer = new UnsafeBuffer(frame);
    final byte[] hash = new byte[32];
    final byte[] proposer = new byte[Addresses.LENGTH];
    int length;
    long clientId;
    int status;
    boolean inBlock;
    boolean blockEnd;
    long blockHeight;
    long timestampMs;
    long feeCharged;

    void reset(final int length, final long clientId, final int status)
    {
        this.length = length;
        this.clientId = clientId;
        this.status = status;
        inBlock = false;
        blockEnd = false;
        blockHeight = 0;
        feeCharged = 0;
    }

    static final int OK = ReceiptStatus.OK.value();

    /**
     * Most slots a stage handles per poll. A poller lets its sequence pass only at the end of a poll, so an unbounded
     * poll over a full ring would hold every slot back from the next stage until the last is done: bounded polls keep
     * the stages overlapping and share a thread fairly in SHARED mode.
     */
    static final int MAX_SLOTS_PER_POLL = 256;
}
