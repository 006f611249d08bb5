package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch equation is sound only if its coefficients z_i are distinct within a batch and unknown to whoever chose
 * the signatures: otherwise two bad signatures can be made whose errors cancel in the sum, and the batch accepts
 * both where the single check rejects both. These tests make such pairs.
 */
class BatchCoefficientTest
{
    private static final byte[] MSG = {4, 4, 4};

    private static byte[][] keys;
    private static byte[][] sigs;

    /** {@code size} valid signatures under distinct keys. */
    private static void fill(final int size)
    {
        final Random random = new Random(61);
        keys = new byte[size][];
        sigs = new byte[size][];
        for (int i = 0; i < size; i++)
        {
            final BigInteger a = new BigInteger(250, random);
            keys[i] = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
            sigs[i] = RefEd25519.sign(a, keys[i], new BigInteger(250, random), RefEd25519.IDENTITY, null, MSG,
                BigInteger.ZERO);
        }
    }

    /** S = S + delta mod L: the error moves by -[delta]B, which z_i·delta of another entry can cancel. */
    private static byte[] shiftS(final byte[] sig, final BigInteger delta)
    {
        final byte[] out = sig.clone();
        final BigInteger s = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(sig, 32, 64));
        System.arraycopy(RefEd25519.littleEndian(s.add(delta).mod(RefEd25519.L), 32), 0, out, 32, 32);
        return out;
    }

    @Test
    void shouldNotLetTwoBadSignaturesCancelOutInOneBatch()
    {
        final int size = 9;
        fill(size);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(size, 16);
        for (int i = 0; i < size; i++)
        {
            for (int j = i + 1; j < size; j++)
            {
                // Errors -B and +B: they cancel exactly when z_i = z_j.
                batch.reset();
                for (int e = 0; e < size; e++)
                {
                    final byte[] sig = e == i ? shiftS(sigs[e], BigInteger.ONE)
                        : e == j ? shiftS(sigs[e], BigInteger.ONE.negate()) : sigs[e];
                    batch.add(keys[e], sig, MSG);
                }
                assertFalse(batch.verify(), i + ", " + j);
                for (int e = 0; e < size; e++)
                {
                    assertEquals(e != i && e != j, batch.verdict(e), i + ", " + j + ": entry " + e);
                }
            }
        }
    }

    /**
     * Were the seed known (here: all zero), the coefficients of a fresh verifier's first batch could be computed, and
     * entries 1 and 2 given errors [z_2]B and -[z_1]B that cancel. The real seed is secret, so the check fails and
     * the split finds both.
     */
    @Test
    void shouldNotBeForgeableByWhoeverKnowsTheExpansionButNotTheSeed() throws Exception
    {
        fill(3);
        final MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(new byte[32]);
        final byte[] counter = new byte[16];
        counter[0] = 1;
        sha.update(counter);
        final byte[] block = sha.digest();
        final BigInteger z1 = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(block, 16, 32));
        final BigInteger z2 = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(block, 32, 48));
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(4, 4);
        batch.add(keys[0], sigs[0], MSG);
        batch.add(keys[1], shiftS(sigs[1], z2), MSG);
        batch.add(keys[2], shiftS(sigs[2], z1.negate()), MSG);
        assertFalse(batch.verify());
        assertTrue(batch.verdict(0));
        assertFalse(batch.verdict(1));
        assertFalse(batch.verdict(2));
    }

    @Test
    void shouldDrawDistinctCoefficientsPerEntryPerBatchAndPerInstance()
    {
        final CoefficientSource first = new CoefficientSource();
        final CoefficientSource second = new CoefficientSource();
        final Set<BigInteger> seen = new HashSet<>();
        for (int batch = 0; batch < 4; batch++)
        {
            for (final CoefficientSource source : new CoefficientSource[] {first, second})
            {
                // Exactly 2·count words are written: a count that is not a multiple of four must not overrun.
                final long[] z = new long[2 * 13];
                source.next(z, 13);
                for (int i = 0; i < 13; i++)
                {
                    final BigInteger zi = new BigInteger(Long.toUnsignedString(z[2 * i + 1])).shiftLeft(64)
                        .add(new BigInteger(Long.toUnsignedString(z[2 * i])));
                    assertTrue(seen.add(zi), "coefficient repeated: batch " + batch + ", entry " + i);
                    assertNotEquals(BigInteger.ZERO, zi);
                }
            }
        }
        // A full batch whose size is not a multiple of four.
        fill(5);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(5, 0);
        for (int i = 0; i < 5; i++)
        {
            batch.add(keys[i], sigs[i], MSG);
        }
        assertTrue(batch.verify());
    }
}
