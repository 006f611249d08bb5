package io.cmtchain.executor;

import io.cmtchain.engine.tx.TransactionBuilder;
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
        final int length = TransactionBuilder.encodeUnsignedTransfer(frames, offset, chainId, publicKey, nonce, fee,
            expiry, recipient, amount);
        // Tests put other type codes on a transfer body to reach the stateless checks.
        frames.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)type);
        return length;
    }
}
