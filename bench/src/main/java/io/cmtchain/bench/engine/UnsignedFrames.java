package io.cmtchain.bench.engine;

import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.TransactionEncoder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Encodes transfer frames with a zero signature, for benchmarks of the stages after signature verification, where
 * signing a million frames with BouncyCastle (about 50 µs each) would dominate set-up.
 */
public final class UnsignedFrames
{
    /** Encoded length of a transfer frame. */
    public static final int TRANSFER_LENGTH = TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;

    private UnsignedFrames()
    {
    }

    /**
     * @param out       buffer.
     * @param offset    in the buffer.
     * @param chainId   of the chain.
     * @param publicKey 32 bytes of the sender.
     * @param nonce     sender's nonce.
     * @param fee       fee offered.
     * @param recipient 20 bytes.
     * @param amount    µCMT.
     * @return encoded length.
     */
    public static int transfer(
        final MutableDirectBuffer out, final int offset, final int chainId, final byte[] publicKey, final long nonce,
        final long fee, final byte[] recipient, final long amount)
    {
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        new MessageHeaderEncoder().wrap(out, offset)
            .blockLength(TransactionEncoder.BLOCK_LENGTH)
            .templateId(TransactionEncoder.TEMPLATE_ID)
            .schemaId(TransactionEncoder.SCHEMA_ID)
            .version(TransactionEncoder.SCHEMA_VERSION);
        out.setMemory(offset + TransactionDescriptor.SIGNATURE_OFFSET, 64, (byte)0);
        out.putInt(offset + TransactionDescriptor.CHAIN_ID_OFFSET, chainId, le);
        out.putBytes(offset + TransactionDescriptor.PUBLIC_KEY_OFFSET, publicKey);
        out.putLong(offset + TransactionDescriptor.NONCE_OFFSET, nonce, le);
        out.putLong(offset + TransactionDescriptor.FEE_OFFSET, fee, le);
        out.putLong(offset + TransactionDescriptor.EXPIRY_OFFSET, 0, le);
        out.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)TxTypes.TRANSFER);
        out.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET,
            (short)TransactionDescriptor.TRANSFER_BODY_LENGTH, le);
        out.putBytes(offset + TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_RECIPIENT_OFFSET,
            recipient);
        out.putLong(offset + TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_AMOUNT_OFFSET, amount, le);
        return TRANSFER_LENGTH;
    }

    /**
     * Rewrite the nonce of an encoded frame in place.
     *
     * @param out    buffer.
     * @param offset of the frame.
     * @param nonce  new nonce.
     */
    public static void nonce(final MutableDirectBuffer out, final int offset, final long nonce)
    {
        out.putLong(offset + TransactionDescriptor.NONCE_OFFSET, nonce, ByteOrder.LITTLE_ENDIAN);
    }
}
