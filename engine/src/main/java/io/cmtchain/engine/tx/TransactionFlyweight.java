package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.codec.TransactionDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.cmtchain.engine.tx.TransactionDescriptor.*;

/**
 * A view over an encoded transaction frame in a buffer; reads fields in place. Reuse one per thread.
 * <p>
 * {@link #check(int)} applies the stateless rules (framing, header, chain id, type, body length, amount sign)
 * and returns a {@link ReceiptStatus} code; the other accessors assume a frame that passed it.
 */
public final class TransactionFlyweight
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return this.
     */
    public TransactionFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Stateless checks, in the order a client would want them reported.
     *
     * @param expectedChainId this chain's id.
     * @return {@code ReceiptStatus.OK.value()} or the rejection code.
     */
    public int check(final int expectedChainId)
    {
        if (length > MAX_LENGTH)
        {
            return ReceiptStatus.OVERSIZED.value();
        }
        if (length < MIN_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            return ReceiptStatus.MALFORMED.value();
        }
        if (buffer.getShort(offset, LE) != TransactionDecoder.BLOCK_LENGTH ||
            buffer.getShort(offset + 2, LE) != TransactionDecoder.TEMPLATE_ID ||
            buffer.getShort(offset + 4, LE) != TransactionDecoder.SCHEMA_ID ||
            buffer.getShort(offset + 6, LE) != TransactionDecoder.SCHEMA_VERSION)
        {
            return ReceiptStatus.MALFORMED.value();
        }
        final int bodyLength = bodyLength();
        if (BODY_OFFSET + bodyLength != length)
        {
            return ReceiptStatus.MALFORMED.value();
        }
        if (chainId() != expectedChainId)
        {
            return ReceiptStatus.WRONG_CHAIN.value();
        }
        if (feeMicroCmt() < 0)
        {
            return ReceiptStatus.MALFORMED.value();
        }
        final int type = type();
        final int expectedBodyLength = TxTypes.bodyLength(type);
        if (expectedBodyLength < 0)
        {
            return ReceiptStatus.UNKNOWN_TYPE.value();
        }
        if (expectedBodyLength != bodyLength)
        {
            return ReceiptStatus.INVALID_BODY.value();
        }
        if (type == TxTypes.TRANSFER && transferAmount() <= 0)
        {
            return ReceiptStatus.INVALID_AMOUNT.value();
        }
        return ReceiptStatus.OK.value();
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public int chainId()
    {
        return buffer.getInt(offset + CHAIN_ID_OFFSET, LE);
    }

    public long nonce()
    {
        return buffer.getLong(offset + NONCE_OFFSET, LE);
    }

    public long feeMicroCmt()
    {
        return buffer.getLong(offset + FEE_OFFSET, LE);
    }

    public long expiryHeight()
    {
        return buffer.getLong(offset + EXPIRY_OFFSET, LE);
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public int bodyLength()
    {
        return buffer.getShort(offset + BODY_LENGTH_OFFSET, LE) & 0xFFFF;
    }

    /** @return absolute offset of the body in {@link #buffer()}. */
    public int bodyOffset()
    {
        return offset + BODY_OFFSET;
    }

    /** @return absolute offset of the public key in {@link #buffer()}. */
    public int publicKeyOffset()
    {
        return offset + PUBLIC_KEY_OFFSET;
    }

    /** @return absolute offset of the signature in {@link #buffer()}. */
    public int signatureOffset()
    {
        return offset + SIGNATURE_OFFSET;
    }

    /** @return absolute offset of the signed bytes (after the domain tag) in {@link #buffer()}. */
    public int signedOffset()
    {
        return offset + SIGNED_OFFSET;
    }

    /** @return length of the signed bytes in the frame. */
    public int signedLength()
    {
        return length - SIGNED_OFFSET;
    }

    /** @return absolute offset of a TRANSFER's recipient address. */
    public int transferRecipientOffset()
    {
        return offset + BODY_OFFSET + TRANSFER_RECIPIENT_OFFSET;
    }

    public long transferAmount()
    {
        return buffer.getLong(offset + BODY_OFFSET + TRANSFER_AMOUNT_OFFSET, LE);
    }
}
