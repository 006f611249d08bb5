package io.cmtchain.bench.sigverify;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pre-generated valid signatures laid out in one buffer as a transaction batch would be: key, signature and
 * message of each entry at fixed offsets, the message signed behind a constant domain prefix.
 */
final class SignatureCorpus
{
    static final byte[] PREFIX = "cmtchain/tx/v1\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int MESSAGE_LENGTH = 128;
    static final int STRIDE = 32 + 64 + MESSAGE_LENGTH;

    final int count;
    final UnsafeBuffer buffer;
    /** Prefix and message concatenated, for BouncyCastle's byte[] API. */
    final byte[][] signed;
    final byte[][] pubKeys;
    final byte[][] signatures;

    /**
     * @param count    entries.
     * @param keyCount distinct keys, cycled (count for all distinct).
     * @param seed     of the generator.
     */
    SignatureCorpus(final int count, final int keyCount, final long seed)
    {
        this.count = count;
        buffer = new UnsafeBuffer(new byte[count * STRIDE]);
        signed = new byte[count][];
        pubKeys = new byte[count][];
        signatures = new byte[count][];
        final Random random = new Random(seed);
        final byte[][] secretKeys = new byte[keyCount][32];
        final byte[][] keys = new byte[keyCount][32];
        for (int k = 0; k < keyCount; k++)
        {
            random.nextBytes(secretKeys[k]);
            Ed25519.generatePublicKey(secretKeys[k], 0, keys[k], 0);
        }
        for (int i = 0; i < count; i++)
        {
            final int k = i % keyCount;
            final byte[] msg = new byte[MESSAGE_LENGTH];
            random.nextBytes(msg);
            signed[i] = new byte[PREFIX.length + MESSAGE_LENGTH];
            System.arraycopy(PREFIX, 0, signed[i], 0, PREFIX.length);
            System.arraycopy(msg, 0, signed[i], PREFIX.length, MESSAGE_LENGTH);
            pubKeys[i] = keys[k];
            signatures[i] = new byte[64];
            Ed25519.sign(secretKeys[k], 0, signed[i], 0, signed[i].length, signatures[i], 0);
            buffer.putBytes(keyOffset(i), keys[k]);
            buffer.putBytes(sigOffset(i), signatures[i]);
            buffer.putBytes(msgOffset(i), msg);
        }
    }

    static int keyOffset(final int i)
    {
        return i * STRIDE;
    }

    static int sigOffset(final int i)
    {
        return i * STRIDE + 32;
    }

    static int msgOffset(final int i)
    {
        return i * STRIDE + 96;
    }
}
