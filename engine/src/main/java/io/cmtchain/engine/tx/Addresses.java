package io.cmtchain.engine.tx;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.DirectBuffer;

/**
 * An account's address: the first 20 bytes of SHA-256 of its Ed25519 public key as received.
 */
public final class Addresses
{
    public static final int LENGTH = 20;

    private final Sha256 sha = new Sha256();
    private final byte[] digest = new byte[32];

    /**
     * @param buffer holding a 32-byte public key.
     * @param offset of the key.
     * @param out    receives 20 bytes.
     * @param outOffset in {@code out}.
     */
    public void fromPublicKey(final DirectBuffer buffer, final int offset, final byte[] out, final int outOffset)
    {
        sha.update(buffer, offset, 32);
        sha.digest(digest, 0);
        System.arraycopy(digest, 0, out, outOffset, LENGTH);
    }

    /**
     * @param publicKey 32 bytes.
     * @return the 20-byte address.
     */
    public static byte[] of(final byte[] publicKey)
    {
        final Sha256 sha = new Sha256();
        sha.update(publicKey, 0, 32);
        return java.util.Arrays.copyOf(sha.digest(), LENGTH);
    }

    /**
     * @param hex 40 hex digits.
     * @return the 20-byte address.
     * @throws IllegalArgumentException when it is not a 20-byte hex string.
     */
    public static byte[] parse(final String hex)
    {
        final String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        final byte[] bytes = Hex.decode(h);
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("an address is 20 bytes (40 hex digits), got " + bytes.length);
        }
        return bytes;
    }
}
