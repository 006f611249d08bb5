package io.cmtchain.engine.tx;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;

/**
 * An Ed25519 key pair for signing: wallets, load generators, the devnet's validators. Signing is not on the
 * node's hot path.
 */
public final class Ed25519Key implements MessageSigner
{
    private final byte[] seed;
    private final byte[] publicKey = new byte[32];
    private final byte[] address;

    /**
     * @param seed 32-byte private seed (RFC 8032 private key).
     */
    public Ed25519Key(final byte[] seed)
    {
        if (seed.length != 32)
        {
            throw new IllegalArgumentException("an Ed25519 private seed is 32 bytes, got " + seed.length);
        }
        this.seed = seed.clone();
        Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
        address = Addresses.of(publicKey);
    }

    /**
     * A deterministic devnet key: seed = SHA-256(tag || index as 8 bytes LE). Anyone can derive it: devnet only.
     *
     * @param tag   names the family of keys, e.g. "cmt-devnet-account".
     * @param index within the family.
     * @return the key.
     */
    public static Ed25519Key devnet(final String tag, final long index)
    {
        final Sha256 sha = new Sha256();
        sha.update(tag.getBytes(StandardCharsets.UTF_8));
        sha.updateLong(index);
        return new Ed25519Key(sha.digest());
    }

    /** @return a copy of the 32-byte private seed. */
    public byte[] seed()
    {
        return seed.clone();
    }

    /** @return a copy of the 32-byte public key. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /** @return a copy of the 20-byte address. */
    public byte[] address()
    {
        return address.clone();
    }

    /**
     * @param message   bytes.
     * @param offset    of the message.
     * @param length    of the message.
     * @param sig       receives 64 bytes.
     * @param sigOffset in {@code sig}.
     */
    @Override
    public void sign(final byte[] message, final int offset, final int length, final byte[] sig, final int sigOffset)
    {
        Ed25519.sign(seed, 0, publicKey, 0, message, offset, length, sig, sigOffset);
    }

    @Override
    public String toString()
    {
        return "Ed25519Key{address=" + Hex.encode(address) + "}";
    }
}
