package io.cmtchain.transport;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.util.Hex;

/**
 * A transaction's outcome as a value, for {@link CmtClient#submitAsync}. Hot paths use {@link ReceiptListener}.
 */
public final class Receipt
{
    private final byte[] txHash;
    private final int status;
    private final long blockHeight;
    private final long feeChargedMicroCmt;

    /**
     * @param txHash             32 bytes (copied).
     * @param status             {@code ReceiptStatus} code.
     * @param blockHeight        height.
     * @param feeChargedMicroCmt fee.
     */
    public Receipt(final byte[] txHash, final int status, final long blockHeight, final long feeChargedMicroCmt)
    {
        this.txHash = txHash.clone();
        this.status = status;
        this.blockHeight = blockHeight;
        this.feeChargedMicroCmt = feeChargedMicroCmt;
    }

    /** @return a copy of the transaction hash. */
    public byte[] txHash()
    {
        return txHash.clone();
    }

    public int status()
    {
        return status;
    }

    /** @return the status as the schema's enum, {@code ReceiptStatus.NULL_VAL} for a code it does not list. */
    public ReceiptStatus statusEnum()
    {
        return ReceiptStatuses.of(status);
    }

    public boolean committed()
    {
        return ReceiptStatus.OK.value() == status;
    }

    /**
     * @return the height of the block it was committed or rejected in; for a transaction refused before any block,
     * the height being formed when it was refused, which does not hold it (see {@link ReceiptListener#onReceipt}).
     */
    public long blockHeight()
    {
        return blockHeight;
    }

    public long feeChargedMicroCmt()
    {
        return feeChargedMicroCmt;
    }

    @Override
    public String toString()
    {
        return "Receipt{txHash=" + Hex.encode(txHash) + ", status=" + ReceiptStatuses.name(status) +
            ", blockHeight=" + blockHeight + ", feeChargedMicroCmt=" + feeChargedMicroCmt + "}";
    }
}
