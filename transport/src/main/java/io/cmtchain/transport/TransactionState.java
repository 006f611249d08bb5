package io.cmtchain.transport;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.util.Hex;

/**
 * A node's answer to {@link CmtClient#queryTransaction}: where its journal holds a transaction and the receipt it
 * journaled for it. A transaction that is {@link #found()} is final: its block is durable, and this is the receipt
 * the node sent (or would have sent) for it. One that is not found is in no block this node has journaled up to
 * {@link #journaledHeight()}: it may still be on its way through the pipeline, or it was rejected before any block
 * (malformed, or a bad signature: its receipt then said why), or it never reached the node.
 * <p>
 * One that is {@link #unreadable()} is neither: the node's transaction index places it in block
 * {@link #blockHeight()}, which the node cannot read from its journal (damaged on disk), so its receipt is unknown
 * there. The node's operator has been told; another node of the chain, or this one's data directory restored, can
 * answer.
 */
public final class TransactionState
{
    /** {@link #status()} of a transaction that is not found. */
    public static final int NO_STATUS = -1;

    /** The message's {@code found} field: no journaled block holds it. */
    static final short WIRE_NOT_FOUND = 0;
    /** The message's {@code found} field: a journaled block holds it. */
    static final short WIRE_FOUND = 1;
    /** The message's {@code found} field: the index places it in a block the node cannot read. */
    static final short WIRE_UNREADABLE = 2;

    private final byte[] txHash;
    private final boolean found;
    private final boolean unreadable;
    private final long blockHeight;
    private final int index;
    private final int status;
    private final long feeChargedMicroCmt;
    private final long journaledHeight;

    /**
     * @param txHash             32 bytes, not copied.
     * @param found              whether a journaled block holds it.
     * @param blockHeight        of that block (0 if not found).
     * @param index              its position in the block (0 if not found).
     * @param status             its receipt's {@link ReceiptStatus} code ({@link #NO_STATUS} if not found).
     * @param feeChargedMicroCmt the fee its receipt charged (0 if not found).
     * @param journaledHeight    the node's last journaled block when it answered.
     */
    public TransactionState(
        final byte[] txHash,
        final boolean found,
        final long blockHeight,
        final int index,
        final int status,
        final long feeChargedMicroCmt,
        final long journaledHeight)
    {
        this(txHash, found, false, blockHeight, index, status, feeChargedMicroCmt, journaledHeight);
    }

    private TransactionState(
        final byte[] txHash,
        final boolean found,
        final boolean unreadable,
        final long blockHeight,
        final int index,
        final int status,
        final long feeChargedMicroCmt,
        final long journaledHeight)
    {
        this.txHash = txHash;
        this.found = found;
        this.unreadable = unreadable;
        this.blockHeight = blockHeight;
        this.index = index;
        this.status = status;
        this.feeChargedMicroCmt = feeChargedMicroCmt;
        this.journaledHeight = journaledHeight;
    }

    /**
     * The answer when the node cannot read the block its transaction index places the transaction in.
     *
     * @param txHash          32 bytes, not copied.
     * @param blockHeight     that block, or 0 when the node's lookup failed before it named one.
     * @param journaledHeight the node's last journaled block when it answered.
     * @return an answer that is {@link #unreadable()}, not {@link #found()}, with {@link #NO_STATUS}.
     */
    public static TransactionState unreadable(final byte[] txHash, final long blockHeight, final long journaledHeight)
    {
        return new TransactionState(txHash, false, true, blockHeight, 0, NO_STATUS, 0, journaledHeight);
    }

    /** @return a copy of the 32-byte transaction hash asked about. */
    public byte[] txHash()
    {
        return txHash.clone();
    }

    /** @return true if a block in the node's journal holds the transaction. */
    public boolean found()
    {
        return found;
    }

    /**
     * @return true if the node's transaction index places the transaction in block {@link #blockHeight()} (0 when
     *         the lookup failed before it named a block) but the node cannot read that block from its journal
     *         (damaged on disk): whether that block holds it, and its receipt, are unknown to this node.
     *         {@link #found()} is false, {@link #status()} is {@link #NO_STATUS}.
     */
    public boolean unreadable()
    {
        return unreadable;
    }

    /** @return the height of the block that holds it (or, when {@link #unreadable()}, that cannot be read), or 0. */
    public long blockHeight()
    {
        return blockHeight;
    }

    /** @return its position in that block, from 0. */
    public int index()
    {
        return index;
    }

    /**
     * @return its receipt's status code, as a {@link ReceiptListener} gets it ({@code ReceiptStatus.OK} = 0 for
     *         applied; a block also holds transactions the ledger refused, such as {@code BAD_NONCE}), or
     *         {@link #NO_STATUS}.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return the status as the schema's enum, or {@code ReceiptStatus.NULL_VAL} when not found ({@link #NO_STATUS}
     *         is no status code) or for a code the schema does not list.
     */
    public ReceiptStatus statusEnum()
    {
        return ReceiptStatuses.of(status);
    }

    /** @return true if a journaled block holds it and it was applied ({@code OK}), as {@link Receipt#committed()}. */
    public boolean committed()
    {
        return found && ReceiptStatus.OK.value() == status;
    }

    /** @return the fee its receipt charged, µCMT. */
    public long feeChargedMicroCmt()
    {
        return feeChargedMicroCmt;
    }

    /** @return the last block in the node's journal when it answered. */
    public long journaledHeight()
    {
        return journaledHeight;
    }

    @Override
    public String toString()
    {
        return "TransactionState{" + Hex.encode(txHash) + (found ? ", block " + blockHeight + " index " + index +
            ", " + ReceiptStatuses.name(status) + ", fee " + feeChargedMicroCmt + " µCMT" : unreadable ?
            unreadableText() : ", not found") + ", journaled up to " + journaledHeight + "}";
    }

    private String unreadableText()
    {
        return blockHeight > 0 ?
            ", indexed in block " + blockHeight + ", which the node cannot read from its journal (damaged on disk)" :
            ", unknown: the node's journal lookup failed";
    }
}
