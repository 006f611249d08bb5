package io.cmtchain.transport;

import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.TransactionDecoder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * What ingress (and the client library, before it sends) calls a transaction frame: the SBE header of the
 * {@code Transaction} message and a body length that agrees with the frame's length. Anything else on the ingress
 * stream that is not a transport message is junk and is dropped (and counted) without reaching the pipeline.
 * The length limit {@link TransactionDescriptor#MAX_LENGTH} is checked separately, because an oversized frame gets an
 * OVERSIZED receipt rather than silence.
 */
public final class TransactionFraming
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private TransactionFraming()
    {
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return true if the message starts with the Transaction message's SBE header (any length).
     */
    public static boolean hasTransactionHeader(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= MessageHeaderDecoder.ENCODED_LENGTH &&
            buffer.getShort(offset + 2, LE) == TransactionDecoder.TEMPLATE_ID &&
            buffer.getShort(offset + 4, LE) == TransactionDecoder.SCHEMA_ID;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return true if it is framed as a transaction: header, version, block length and body length agree with the
     * length. The length may exceed {@link TransactionDescriptor#MAX_LENGTH}.
     */
    public static boolean isFramed(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= TransactionDescriptor.MIN_LENGTH &&
            buffer.getShort(offset, LE) == TransactionDecoder.BLOCK_LENGTH &&
            buffer.getShort(offset + 2, LE) == TransactionDecoder.TEMPLATE_ID &&
            buffer.getShort(offset + 4, LE) == TransactionDecoder.SCHEMA_ID &&
            buffer.getShort(offset + 6, LE) == TransactionDecoder.SCHEMA_VERSION &&
            TransactionDescriptor.BODY_OFFSET +
                (buffer.getShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET, LE) & 0xFFFF) == length;
    }
}
