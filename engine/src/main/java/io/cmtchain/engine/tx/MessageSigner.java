package io.cmtchain.engine.tx;

/**
 * Something that makes Ed25519 signatures (RFC 8032, pure) with one key: {@link Ed25519Key} through BouncyCastle,
 * or a faster signer that holds the same key. Every RFC 8032 signer gives the same bytes for the same key and message.
 */
@FunctionalInterface
public interface MessageSigner
{
    /**
     * @param message   bytes.
     * @param offset    of the message.
     * @param length    of the message.
     * @param sig       receives 64 bytes.
     * @param sigOffset in {@code sig}.
     */
    void sign(byte[] message, int offset, int length, byte[] sig, int sigOffset);
}
