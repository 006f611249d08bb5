package io.cmtchain.sigverify;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.agrona.DirectBuffer;

/**
 * k = SHA-512(R || A || prefix || message) mod L, over the bytes exactly as received (ZIP-215 hashes the
 * encodings, not re-encoded points). Reuses one digest and one scratch array; never allocates.
 */
final class ChallengeHasher
{
    static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int CHUNK_LENGTH = 512;

    private final MessageDigest sha512 = newSha512();
    private final byte[] chunk = new byte[CHUNK_LENGTH];
    private final byte[] digest = new byte[64];
    private final long[] hashWords = new long[8];
    private final long[] limbs = new long[Scalar25519.LIMBS];

    static MessageDigest newSha512()
    {
        try
        {
            return MessageDigest.getInstance("SHA-512");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-512 is required by every Java platform", ex);
        }
    }

    void challenge(
        final DirectBuffer sigBuf,
        final int sigOffset,
        final DirectBuffer pubKeyBuf,
        final int pubKeyOffset,
        final byte[] prefix,
        final DirectBuffer msgBuf,
        final int msgOffset,
        final int msgLength,
        final long[] k)
    {
        // Both callers check every range first (VerifyCore.checkRanges); should anything still throw part way, the
        // digest is emptied: left holding this call's R and A, it would hash them in front of the next challenge, and
        // the verifier would reject the next valid signature.
        try
        {
            update(sigBuf, sigOffset, 32);
            update(pubKeyBuf, pubKeyOffset, 32);
            if (prefix.length > 0)
            {
                sha512.update(prefix, 0, prefix.length);
            }
            update(msgBuf, msgOffset, msgLength);
            sha512.digest(digest, 0, 64);
        }
        catch (final DigestException ex)
        {
            sha512.reset();
            throw new IllegalStateException(ex);
        }
        catch (final RuntimeException ex)
        {
            sha512.reset();
            throw ex;
        }
        reduce(digest, hashWords, limbs, k);
    }

    /**
     * out = a 64-byte little-endian digest mod L.
     *
     * @param digest    64 bytes.
     * @param hashWords scratch of 8.
     * @param limbs     scratch of {@link Scalar25519#LIMBS}.
     * @param out       receives four words.
     */
    static void reduce(final byte[] digest, final long[] hashWords, final long[] limbs, final long[] out)
    {
        for (int i = 0; i < 8; i++)
        {
            hashWords[i] = (long)LE_LONG.get(digest, i * 8);
        }
        for (int j = 0; j < Scalar25519.LIMBS; j++)
        {
            limbs[j] = Scalar25519.bits(hashWords, 21 * j, 21);
        }
        Scalar25519.reduce(limbs, out);
    }

    private void update(final DirectBuffer buf, final int offset, final int length)
    {
        final byte[] array = buf.byteArray();
        if (array != null)
        {
            buf.boundsCheck(offset, length);
            sha512.update(array, buf.wrapAdjustment() + offset, length);
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(CHUNK_LENGTH, length - done);
            buf.getBytes(offset + done, chunk, 0, n);
            sha512.update(chunk, 0, n);
            done += n;
        }
    }
}
