package io.cmtchain.bench.engine;

import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Encodes transfer frames with a zero signature, for benchmarks of the stages after signature verification, where
 * signing a million frames with BouncyCastle (about 50 µs each) would dominate set-up.
 */
public final class UnsignedFrames
{
    /** Encoded length of a transfer frame. */
    public static final int TRANSFER_LENGTH =
        TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;

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
        return TransactionBuilder.encodeUnsignedTransfer(out, offset, chainId, publicKey, nonce, fee, 0, recipient,
            amount);
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
