package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.TransactionEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Encodes and signs transactions, for clients, load generators and tests. One per thread.
 */
public final class TransactionBuilder
{
    private final byte[] message = new byte[TransactionDescriptor.DOMAIN_TAG.length + TransactionDescriptor.MAX_LENGTH];
    private final byte[] body = new byte[TransactionDescriptor.MAX_BODY_LENGTH];
    private final UnsafeBuffer bodyBuffer = new UnsafeBuffer(body);
    private final byte[] signature = new byte[64];
    private final int chainId;

    /**
     * @param chainId of the chain the transactions are for.
     */
    public TransactionBuilder(final int chainId)
    {
        this.chainId = chainId;
        System.arraycopy(TransactionDescriptor.DOMAIN_TAG, 0, message, 0, TransactionDescriptor.DOMAIN_TAG.length);
    }

    /**
     * Encode and sign a CMT transfer. The amount and fee are encoded as given: the node rejects a transfer of 0 or less
     * (INVALID_AMOUNT) or a negative fee (MALFORMED) without charging it.
     *
     * @param key            sender.
     * @param nonce          the sender's next nonce.
     * @param feeMicroCmt    fee offered.
     * @param expiryHeight   last height it may be included at; 0 for none.
     * @param recipient      20-byte address ({@link Ed25519Key#address()}, not a public key).
     * @param amountMicroCmt amount.
     * @param out            buffer to encode into.
     * @param offset         in {@code out}.
     * @return encoded length.
     * @throws IllegalArgumentException if the recipient is not 20 bytes.
     */
    public int transfer(
        final Ed25519Key key,
        final long nonce,
        final long feeMicroCmt,
        final long expiryHeight,
        final byte[] recipient,
        final long amountMicroCmt,
        final MutableDirectBuffer out,
        final int offset)
    {
        checkRecipient(recipient);
        bodyBuffer.putBytes(TransactionDescriptor.TRANSFER_RECIPIENT_OFFSET, recipient, 0, Addresses.LENGTH);
        bodyBuffer.putLong(TransactionDescriptor.TRANSFER_AMOUNT_OFFSET, amountMicroCmt, ByteOrder.LITTLE_ENDIAN);
        return build(key, nonce, feeMicroCmt, expiryHeight, TxTypes.TRANSFER, body, 0,
            TransactionDescriptor.TRANSFER_BODY_LENGTH, out, offset);
    }

    /**
     * Encode every field of a frame but the signature, which is left zero: for the stages after verification
     * (executors, journal), their benchmarks and tests, where signing with BouncyCastle would dominate.
     *
     * @param out          buffer to encode into.
     * @param offset       in {@code out}.
     * @param chainId      of the chain.
     * @param publicKey    32 bytes of the sender.
     * @param nonce        the sender's nonce.
     * @param feeMicroCmt  fee offered.
     * @param expiryHeight last height it may be included at; 0 for none.
     * @param type         type code.
     * @param bodyBytes    holding the body.
     * @param bodyOffset   of the body.
     * @param bodyLength   of the body.
     * @return encoded length.
     */
    public static int encodeUnsigned(
        final MutableDirectBuffer out,
        final int offset,
        final int chainId,
        final byte[] publicKey,
        final long nonce,
        final long feeMicroCmt,
        final long expiryHeight,
        final int type,
        final byte[] bodyBytes,
        final int bodyOffset,
        final int bodyLength)
    {
        if (bodyLength > TransactionDescriptor.MAX_BODY_LENGTH)
        {
            throw new IllegalArgumentException("body of " + bodyLength + " bytes exceeds " +
                TransactionDescriptor.MAX_BODY_LENGTH);
        }
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        out.putShort(offset, (short)TransactionEncoder.BLOCK_LENGTH, le);
        out.putShort(offset + 2, (short)TransactionEncoder.TEMPLATE_ID, le);
        out.putShort(offset + 4, (short)TransactionEncoder.SCHEMA_ID, le);
        out.putShort(offset + 6, (short)TransactionEncoder.SCHEMA_VERSION, le);
        out.setMemory(offset + TransactionDescriptor.SIGNATURE_OFFSET, TransactionDescriptor.SIGNATURE_LENGTH, (byte)0);
        out.putInt(offset + TransactionDescriptor.CHAIN_ID_OFFSET, chainId, le);
        out.putBytes(
            offset + TransactionDescriptor.PUBLIC_KEY_OFFSET, publicKey, 0, TransactionDescriptor.PUBLIC_KEY_LENGTH);
        out.putLong(offset + TransactionDescriptor.NONCE_OFFSET, nonce, le);
        out.putLong(offset + TransactionDescriptor.FEE_OFFSET, feeMicroCmt, le);
        out.putLong(offset + TransactionDescriptor.EXPIRY_OFFSET, expiryHeight, le);
        out.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)type);
        out.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET, (short)bodyLength, le);
        out.putBytes(offset + TransactionDescriptor.BODY_OFFSET, bodyBytes, bodyOffset, bodyLength);
        return TransactionDescriptor.BODY_OFFSET + bodyLength;
    }

    /**
     * {@link #encodeUnsigned} for a TRANSFER, writing the body in place.
     *
     * @param out            buffer to encode into.
     * @param offset         in {@code out}.
     * @param chainId        of the chain.
     * @param publicKey      32 bytes of the sender.
     * @param nonce          the sender's nonce.
     * @param feeMicroCmt    fee offered.
     * @param expiryHeight   last height it may be included at; 0 for none.
     * @param recipient      20-byte address.
     * @param amountMicroCmt amount.
     * @return encoded length.
     * @throws IllegalArgumentException if the recipient is not 20 bytes.
     */
    public static int encodeUnsignedTransfer(
        final MutableDirectBuffer out,
        final int offset,
        final int chainId,
        final byte[] publicKey,
        final long nonce,
        final long feeMicroCmt,
        final long expiryHeight,
        final byte[] recipient,
        final long amountMicroCmt)
    {
        checkRecipient(recipient);
        final int length = encodeUnsigned(out, offset, chainId, publicKey, nonce, feeMicroCmt, expiryHeight,
            TxTypes.TRANSFER, recipient, 0, 0);
        final int body = offset + TransactionDescriptor.BODY_OFFSET;
        out.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET,
            (short)TransactionDescriptor.TRANSFER_BODY_LENGTH, ByteOrder.LITTLE_ENDIAN);
        out.putBytes(body + TransactionDescriptor.TRANSFER_RECIPIENT_OFFSET, recipient, 0, Addresses.LENGTH);
        out.putLong(body + TransactionDescriptor.TRANSFER_AMOUNT_OFFSET, amountMicroCmt, ByteOrder.LITTLE_ENDIAN);
        return length + TransactionDescriptor.TRANSFER_BODY_LENGTH;
    }

    /**
     * Encode and sign any transaction type.
     *
     * @param key          sender.
     * @param nonce        the sender's next nonce.
     * @param feeMicroCmt  fee offered.
     * @param expiryHeight last height it may be included at; 0 for none.
     * @param type         type code.
     * @param bodyBytes    holding the body.
     * @param bodyOffset   of the body.
     * @param bodyLength   of the body.
     * @param out          buffer to encode into.
     * @param offset       in {@code out}.
     * @return encoded length.
     */
    public int build(
        final Ed25519Key key,
        final long nonce,
        final long feeMicroCmt,
        final long expiryHeight,
        final int type,
        final byte[] bodyBytes,
        final int bodyOffset,
        final int bodyLength,
        final MutableDirectBuffer out,
        final int offset)
    {
        final int length = encodeUnsigned(out, offset, chainId, key.publicKey(), nonce, feeMicroCmt, expiryHeight, type,
            bodyBytes, bodyOffset, bodyLength);

        final int signedLength = length - TransactionDescriptor.SIGNED_OFFSET;
        final int tagLength = TransactionDescriptor.DOMAIN_TAG.length;
        out.getBytes(offset + TransactionDescriptor.SIGNED_OFFSET, message, tagLength, signedLength);
        key.sign(message, 0, tagLength + signedLength, signature, 0);
        out.putBytes(offset + TransactionDescriptor.SIGNATURE_OFFSET, signature);
        return length;
    }

    /** A recipient of another length would be truncated (a 32-byte public key pays a wrong address) or overrun. */
    private static void checkRecipient(final byte[] recipient)
    {
        if (recipient.length != Addresses.LENGTH)
        {
            throw new IllegalArgumentException("a recipient is a " + Addresses.LENGTH + "-byte address, was " +
                recipient.length + " bytes" + (TransactionDescriptor.PUBLIC_KEY_LENGTH == recipient.length ?
                " (a public key? its address is Addresses.of(publicKey))" : ""));
        }
    }
}
