package io.cmtchain.executor;

import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.TransactionEncoder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/** Unsigned transaction frames for executor tests: executors run after verification and never read signatures. */
final class TestFrames
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private TestFrames()
    {
    }

    static int transfer(
        final UnsafeBuffer frames,
        final int offset,
        final int chainId,
        final byte[] publicKey,
        final long nonce,
        final long fee,
        final long expiry,
        final int type,
        final byte[] recipient,
        final long amount)
    {
        new MessageHeaderEncoder().wrap(frames, offset)
            .blockLength(TransactionEncoder.BLOCK_LENGTH)
            .templateId(TransactionEncoder.TEMPLATE_ID)
            .schemaId(TransactionEncoder.SCHEMA_ID)
            .version(TransactionEncoder.SCHEMA_VERSION);
        frames.setMemory(offset + TransactionDescriptor.SIGNATURE_OFFSET, TransactionDescriptor.SIGNATURE_LENGTH, (byte)0);
        frames.putInt(offset + TransactionDescriptor.CHAIN_ID_OFFSET, chainId, LE);
        frames.putBytes(offset + TransactionDescriptor.PUBLIC_KEY_OFFSET, publicKey);
        frames.putLong(offset + TransactionDescriptor.NONCE_OFFSET, nonce, LE);
        frames.putLong(offset + TransactionDescriptor.FEE_OFFSET, fee, LE);
        frames.putLong(offset + TransactionDescriptor.EXPIRY_OFFSET, expiry, LE);
        frames.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)type);
        frames.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET,
            (short)TransactionDescriptor.TRANSFER_BODY_LENGTH, LE);
        final int body = offset + TransactionDescriptor.BODY_OFFSET;
        frames.putBytes(body + TransactionDescriptor.TRANSFER_RECIPIENT_OFFSET, recipient);
        frames.putLong(body + TransactionDescriptor.TRANSFER_AMOUNT_OFFSET, amount, LE);
        return TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
    }
}
