package io.cmtchain.sigverify;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Single Ed25519 signature verification under the ZIP-215 rules, the consensus rule of cmtchain:
 * <ul>
 *     <li>A and R must decode to curve points; non-canonical y (y &gt;= p) is accepted and reduced, and the
 *     sign bit of x = 0 is ignored;</li>
 *     <li>S must be canonical (S &lt; L);</li>
 *     <li>k = SHA-512(R || A || prefix || message) mod L over the bytes as received;</li>
 *     <li>valid iff [8]([S]B - R - [k]A) is the identity (cofactored).</li>
 * </ul>
 * {@link Ed25519BatchVerifier} gives the same verdict for every signature.
 * <p>
 * The signed message is {@code prefix || msgBuf[msgOffset, msgOffset + msgLength)}; the prefix (a domain tag)
 * may be empty. Keys and signatures are read in place from their buffers:
 * <pre>
 *   public key: 32 bytes, A            signature: 64 bytes
 *   +--------------------------+       +--------------------------+--------------------------+
 *   | compressed point A       |       | compressed point R       | scalar S, little-endian  |
 *   +--------------------------+       +--------------------------+--------------------------+
 * </pre>
 * Not thread-safe: use one instance per thread. Allocates nothing per call.
 */
public final class Ed25519Verifier
{
    /** Length of a public key in bytes. */
    public static final int PUBLIC_KEY_LENGTH = 32;
    /** Length of a signature in bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final byte[] EMPTY = new byte[0];

    private final VerifyCore core = new VerifyCore();
    private final UnsafeBuffer keyWrapper = new UnsafeBuffer(EMPTY);
    private final UnsafeBuffer sigWrapper = new UnsafeBuffer(EMPTY);
    private final UnsafeBuffer msgWrapper = new UnsafeBuffer(EMPTY);

    /**
     * Verify a signature read in place from buffers.
     *
     * @param pubKeyBuf    holding the 32-byte public key.
     * @param pubKeyOffset of the public key.
     * @param sigBuf       holding the 64-byte signature.
     * @param sigOffset    of the signature.
     * @param prefix       signed before the message; may be empty, never null.
     * @param msgBuf       holding the message.
     * @param msgOffset    of the message.
     * @param msgLength    of the message.
     * @return true when the signature is valid under ZIP-215.
     */
    public boolean verify(
        final DirectBuffer pubKeyBuf,
        final int pubKeyOffset,
        final DirectBuffer sigBuf,
        final int sigOffset,
        final byte[] prefix,
        final DirectBuffer msgBuf,
        final int msgOffset,
        final int msgLength)
    {
        return core.verify(pubKeyBuf, pubKeyOffset, sigBuf, sigOffset, prefix, msgBuf, msgOffset, msgLength);
    }

    /**
     * @param pubKey    public key; any length other than 32 is invalid.
     * @param signature signature; any length other than 64 is invalid.
     * @param message   the whole signed message.
     * @return true when the signature is valid under ZIP-215.
     */
    public boolean verify(final byte[] pubKey, final byte[] signature, final byte[] message)
    {
        return verify(pubKey, signature, EMPTY, message);
    }

    /**
     * @param pubKey    public key; any length other than 32 is invalid.
     * @param signature signature; any length other than 64 is invalid.
     * @param prefix    signed before the message; may be empty.
     * @param message   the rest of the signed message.
     * @return true when the signature is valid under ZIP-215.
     */
    public boolean verify(final byte[] pubKey, final byte[] signature, final byte[] prefix, final byte[] message)
    {
        if (pubKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH)
        {
            return false;
        }
        keyWrapper.wrap(pubKey);
        sigWrapper.wrap(signature);
        msgWrapper.wrap(message);
        return core.verify(keyWrapper, 0, sigWrapper, 0, prefix, msgWrapper, 0, message.length);
    }
}
