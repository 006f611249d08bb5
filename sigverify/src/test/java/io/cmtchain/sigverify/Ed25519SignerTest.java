package io.cmtchain.sigverify;

import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ed25519Signer} makes RFC 8032's signatures: the RFC's own vectors, and byte-for-byte the same signatures as
 * BouncyCastle's signer for random keys and messages (Ed25519 signing is deterministic, so any difference is a bug).
 */
class Ed25519SignerTest
{
    @Test
    void shouldMakeTheRfc8032Signatures()
    {
        for (final String[] vector : Rfc8032VectorsTest.VECTORS)
        {
            final Ed25519Signer signer = new Ed25519Signer(Hex.decode(vector[0]));
            assertEquals(vector[1], Hex.encode(signer.publicKey()));
            final byte[] message = Hex.decode(vector[2]);
            final byte[] sig = new byte[64];
            signer.sign(message, 0, message.length, sig, 0);
            assertEquals(vector[3], Hex.encode(sig));
        }
    }

    @Test
    void shouldSignAsBouncyCastleDoesForRandomKeysAndMessages()
    {
        final Random random = new Random(42);
        final byte[] seed = new byte[32];
        final byte[] publicKey = new byte[32];
        final byte[] message = new byte[400];
        final byte[] expected = new byte[64];
        final byte[] actual = new byte[80];
        final Ed25519Verifier verifier = new Ed25519Verifier();
        for (int key = 0; key < 300; key++)
        {
            random.nextBytes(seed);
            if (key < 4)
            {
                // Seeds of extreme bytes: their expanded scalars and prefixes are as random as any, but cheap to add.
                java.util.Arrays.fill(seed, (byte)(key == 0 ? 0 : key == 1 ? 0xFF : key == 2 ? 0x80 : 0x01));
            }
            final Ed25519Signer signer = new Ed25519Signer(seed);
            Ed25519.generatePublicKey(seed, 0, publicKey, 0);
            assertArrayEquals(publicKey, signer.publicKey());
            // Several messages per key: the signer's scratch must carry nothing from one signature to the next.
            for (int m = 0; m < 10; m++)
            {
                random.nextBytes(message);
                final int offset = random.nextInt(50);
                final int length = m == 0 ? 0 : random.nextInt(message.length - offset);
                Ed25519.sign(seed, 0, publicKey, 0, message, offset, length, expected, 0);
                final int sigOffset = random.nextInt(16);
                signer.sign(message, offset, length, actual, sigOffset);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, sigOffset, sigOffset + 64),
                    "key " + key + ", message " + m);
                assertTrue(verifier.verify(new UnsafeBuffer(publicKey), 0, new UnsafeBuffer(actual), sigOffset,
                    new byte[0], new UnsafeBuffer(message), offset, length));
            }
        }
    }

    /**
     * A message or signature range outside its array is refused, and the refusal leaves nothing behind: the signer's
     * reused digest had taken the nonce prefix when the message's bounds were found wrong, so the next signature's
     * nonce hashed the prefix twice, a valid signature but not RFC 8032's (nor BouncyCastle's) for that key and
     * message.
     */
    @Test
    void shouldSignAsBouncyCastleDoesAfterRefusingARangeOutsideItsArray()
    {
        final Random random = new Random(43);
        final byte[] seed = new byte[32];
        random.nextBytes(seed);
        final byte[] message = new byte[40];
        random.nextBytes(message);
        final byte[] expected = new byte[64];
        Ed25519.sign(seed, 0, message, 0, message.length, expected, 0);
        final Ed25519Signer signer = new Ed25519Signer(seed);
        final byte[] sig = new byte[64];
        final Executable[] refused = {
            () -> signer.sign(message, 0, message.length + 1, sig, 0),
            () -> signer.sign(message, -1, 4, sig, 0),
            () -> signer.sign(message, 0, message.length, new byte[70], 7),
        };
        for (int i = 0; i < refused.length; i++)
        {
            assertThrows(IndexOutOfBoundsException.class, refused[i], "case " + i);
            java.util.Arrays.fill(sig, (byte)0);
            signer.sign(message, 0, message.length, sig, 0);
            assertArrayEquals(expected, sig, "case " + i);
        }
    }

    @Test
    void shouldRefuseASeedOfTheWrongLength()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new Ed25519Signer(new byte[31]));
        assertEquals("an Ed25519 private seed is 32 bytes, got 31", ex.getMessage());
    }
}
