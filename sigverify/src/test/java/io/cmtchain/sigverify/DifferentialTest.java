package io.cmtchain.sigverify;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential tests against BouncyCastle's strict, cofactorless {@code Ed25519.verify} on ordinary signatures
 * (honestly generated, then possibly corrupted), where strict and ZIP-215 rules agree; and batch verdicts
 * against single verdicts with invalid signatures planted at random positions.
 */
class DifferentialTest
{
    private static final byte[] PREFIX = "cmtchain/tx/v1\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final class Case
    {
        byte[] pk;
        byte[] sig;
        byte[] msg;
    }

    private static Case validCase(final Random random, final byte[] prefix)
    {
        final byte[] sk = new byte[32];
        random.nextBytes(sk);
        final byte[] pk = new byte[32];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        return signedCase(random, sk, pk, 200, prefix);
    }

    /** A random message of up to {@code maxLength - 1} bytes signed with {@code sk}, under the key bytes {@code pk}. */
    private static Case signedCase(
        final Random random, final byte[] sk, final byte[] pk, final int maxLength, final byte[] prefix)
    {
        final Case c = new Case();
        c.pk = pk.clone();
        c.msg = new byte[random.nextInt(maxLength)];
        random.nextBytes(c.msg);
        final byte[] signed = new byte[prefix.length + c.msg.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(c.msg, 0, signed, prefix.length, c.msg.length);
        c.sig = new byte[64];
        Ed25519.sign(sk, 0, signed, 0, signed.length, c.sig, 0);
        return c;
    }

    /** Corrupt message, signature (R or S) or key; returns the case unchanged one time in three. */
    private static Case maybeCorrupt(final Random random, final Case c)
    {
        switch (random.nextInt(6))
        {
            case 0:
                if (c.msg.length > 0)
                {
                    c.msg[random.nextInt(c.msg.length)] ^= (byte)(1 << random.nextInt(8));
                }
                else
                {
                    c.msg = new byte[] {7};
                }
                break;
            case 1:
                c.sig[random.nextInt(64)] ^= (byte)(1 << random.nextInt(8));
                break;
            case 2:
                c.pk[random.nextInt(32)] ^= (byte)(1 << random.nextInt(8));
                break;
            default:
                break;
        }
        return c;
    }

    private static boolean bcVerify(final Case c, final byte[] prefix)
    {
        final byte[] signed = new byte[prefix.length + c.msg.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(c.msg, 0, signed, prefix.length, c.msg.length);
        return Ed25519.verify(c.sig, 0, c.pk, 0, signed, 0, signed.length);
    }

    @Test
    void shouldAgreeWithBouncyCastleOnOrdinarySignatures()
    {
        runSingleAgainstBouncyCastle(new Random(7), 600);
    }

    @Test
    @Tag("slow")
    void shouldAgreeWithBouncyCastleOnManyOrdinarySignatures()
    {
        runSingleAgainstBouncyCastle(new Random(), 20_000);
    }

    private static void runSingleAgainstBouncyCastle(final Random random, final int count)
    {
        final Ed25519Verifier verifier = new Ed25519Verifier();
        for (int i = 0; i < count; i++)
        {
            final byte[] prefix = (i & 1) == 0 ? new byte[0] : PREFIX;
            final Case c = maybeCorrupt(random, validCase(random, prefix));
            final boolean expected = bcVerify(c, prefix);
            assertEquals(expected, verifier.verify(c.pk, c.sig, prefix, c.msg), "case " + i);
        }
    }

    @Test
    void shouldReadKeysSignaturesAndMessagesInPlaceFromBuffers()
    {
        final Random random = new Random(11);
        final Ed25519Verifier verifier = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 16);
        for (int i = 0; i < 16; i++)
        {
            final Case c = validCase(random, PREFIX);
            // Key, signature and message at odd offsets inside one off-heap buffer.
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
            final int keyOffset = 3;
            final int sigOffset = 41;
            final int msgOffset = 111;
            buffer.putBytes(keyOffset, c.pk);
            buffer.putBytes(sigOffset, c.sig);
            buffer.putBytes(msgOffset, c.msg);
            assertTrue(verifier.verify(buffer, keyOffset, buffer, sigOffset, PREFIX, buffer, msgOffset, c.msg.length));
            assertFalse(verifier.verify(buffer, keyOffset, buffer, sigOffset, new byte[0], buffer, msgOffset,
                c.msg.length));
            batch.add(buffer, keyOffset, buffer, sigOffset, PREFIX, buffer, msgOffset, c.msg.length);
        }
        assertTrue(batch.verify());
    }

    @Test
    void shouldGiveSingleVerdictsInBatchesWithPlantedInvalidSignatures()
    {
        runBatchAgainstSingle(new Random(3), new int[] {1, 2, 3, 5, 16, 63, 64, 65, 130, 256, 300});
    }

    @Test
    @Tag("slow")
    void shouldGiveSingleVerdictsInBatchesOfEverySizeUpTo300()
    {
        final int[] sizes = new int[300];
        for (int i = 0; i < sizes.length; i++)
        {
            sizes[i] = i + 1;
        }
        runBatchAgainstSingle(new Random(), sizes);
    }

    /**
     * Senders repeat: keys from a small pool (some of them corrupted, so that they may not decode), signed and then
     * possibly corrupted, through a key cache far smaller than the pool, so that decoded keys and their tables are
     * found, missed and overwritten by other keys within one batch. Every verdict must be the single path's.
     */
    @Test
    void shouldGiveSingleVerdictsWithRepeatedKeysThroughASmallKeyCache()
    {
        final Random random = new Random(17);
        final int poolSize = 24;
        final byte[][] secretKeys = new byte[poolSize][32];
        final byte[][] keys = new byte[poolSize][32];
        for (int k = 0; k < poolSize; k++)
        {
            random.nextBytes(secretKeys[k]);
            Ed25519.generatePublicKey(secretKeys[k], 0, keys[k], 0);
            if (k % 8 == 7)
            {
                keys[k][random.nextInt(32)] ^= (byte)(1 << random.nextInt(8));
            }
        }
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 4);
        int hitsAfterFirstUse = 0;
        final boolean[] seen = new boolean[poolSize];
        for (int round = 0; round < 60; round++)
        {
            batch.reset();
            final int size = 1 + random.nextInt(64);
            final Case[] cases = new Case[size];
            final boolean[] expected = new boolean[size];
            boolean allValid = true;
            for (int i = 0; i < size; i++)
            {
                final int k = random.nextInt(random.nextBoolean() ? 3 : poolSize);
                hitsAfterFirstUse += seen[k] ? 1 : 0;
                seen[k] = true;
                final Case c = signedCase(random, secretKeys[k], keys[k], 100, PREFIX);
                cases[i] = random.nextInt(4) == 0 ? maybeCorrupt(random, c) : c;
                expected[i] = single.verify(cases[i].pk, cases[i].sig, PREFIX, cases[i].msg);
                allValid &= expected[i];
                batch.add(cases[i].pk, cases[i].sig, PREFIX, cases[i].msg);
            }
            final long failedBefore = batch.failedChecks();
            assertEquals(allValid, batch.verify(), "round " + round);
            for (int i = 0; i < size; i++)
            {
                assertEquals(expected[i], batch.verdict(i), "round " + round + " entry " + i);
            }
            if (allValid)
            {
                // A wrong cached table would only fail the batch check, and the split would still give the right
                // verdicts: so check the batch check itself passed.
                assertEquals(failedBefore, batch.failedChecks(), "round " + round + ": valid batch failed its check");
            }
        }
        assertTrue(hitsAfterFirstUse > 1000, "keys repeat: " + hitsAfterFirstUse);
    }

    private static void runBatchAgainstSingle(final Random random, final int[] sizes)
    {
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(300, 64);
        for (final int size : sizes)
        {
            batch.reset();
            final Case[] cases = new Case[size];
            final boolean[] expected = new boolean[size];
            final int planted = random.nextInt(4);
            boolean allValid = true;
            for (int i = 0; i < size; i++)
            {
                cases[i] = validCase(random, PREFIX);
                if (random.nextInt(size) < planted)
                {
                    cases[i].sig[random.nextInt(64)] ^= (byte)(1 << random.nextInt(8));
                }
                expected[i] = single.verify(cases[i].pk, cases[i].sig, PREFIX, cases[i].msg);
                assertEquals(bcVerify(cases[i], PREFIX), expected[i]);
                allValid &= expected[i];
                assertEquals(i, batch.add(cases[i].pk, cases[i].sig, PREFIX, cases[i].msg));
            }
            assertEquals(allValid, batch.verify(), "size " + size);
            for (int i = 0; i < size; i++)
            {
                assertEquals(expected[i], batch.verdict(i), "size " + size + " entry " + i);
            }
        }
    }
}
