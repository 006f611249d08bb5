package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ZIP-215 edge cases built with {@link RefEd25519} rather than taken from vector files: keys and nonces with every
 * small-order component, S on both sides of L word by word, every non-canonical encoding of y, the identity and
 * "-0". Each is judged by the reference rule, the single path and the batch path, which must all agree.
 */
class Zip215EdgeCaseTest
{
    private static final List<RefEd25519.Point> TORSION = RefEd25519.torsion();
    private static final byte[] MSG = {1, 2, 3};
    /** Valid (key, signature) pairs over {@link #MSG}. */
    private static final byte[][][] FILLERS = new byte[5][][];

    static
    {
        final Random random = new Random(5);
        for (int i = 0; i < FILLERS.length; i++)
        {
            final BigInteger a = new BigInteger(250, random);
            final byte[] key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
            FILLERS[i] = new byte[][] {key, RefEd25519.sign(a, key, new BigInteger(250, random), TORSION.get(0), null,
                MSG, BigInteger.ZERO)};
        }
    }

    /** Reference, single and batch (alone, and amid valid signatures) verdicts must equal {@code expected}. */
    static void assertVerdict(final boolean expected, final byte[] pk, final byte[] sig, final byte[] msg,
        final String what)
    {
        assertEquals(expected, RefEd25519.verify(pk, sig, msg), "reference: " + what);
        assertEquals(expected, new Ed25519Verifier().verify(pk, sig, msg), "single: " + what);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(8, 8);
        batch.add(pk, sig, msg);
        assertEquals(expected, batch.verify(), "batch alone: " + what);
        assertEquals(expected, batch.verdict(0), "batch alone: " + what);

        // Among four valid signatures, so that the multi-scalar check itself judges it first.
        batch.reset();
        for (int i = 0; i < 5; i++)
        {
            if (i == 2)
            {
                batch.add(pk, sig, msg);
            }
            else
            {
                final byte[][] filler = FILLERS[i];
                batch.add(filler[0], filler[1], MSG);
            }
        }
        assertEquals(expected, batch.verify(), "batch of 5: " + what);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i != 2 || expected, batch.verdict(i), "batch of 5, entry " + i + ": " + what);
        }
    }

    @Test
    void shouldAcceptKeysAndNoncesWithEverySmallOrderComponent()
    {
        final Random random = new Random(1);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        final long failedBefore = batch.failedChecks();
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                final BigInteger a = new BigInteger(252, random);
                final byte[] key =
                    RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), TORSION.get(i)));
                final byte[] msg = new byte[i + j];
                random.nextBytes(msg);
                final byte[] sig = RefEd25519.sign(a, key, new BigInteger(252, random), TORSION.get(j), null, msg,
                    BigInteger.ZERO);
                assertTrue(new Ed25519Verifier().verify(key, sig, msg), "A + T" + i + ", R + T" + j);
                batch.add(key, sig, msg);
            }
        }
        assertTrue(batch.verify());
        // The batch equation is cofactored too: small-order components must not fail it (and be rescued by the
        // single fallback, which would hide the difference in the verdicts).
        assertEquals(failedBefore, batch.failedChecks());
        assertVerdict(true, RefEd25519.encode(RefEd25519.add(RefEd25519.mul(BigInteger.TEN, RefEd25519.BASE),
            TORSION.get(3))), RefEd25519.sign(BigInteger.TEN, RefEd25519.encode(RefEd25519.add(
            RefEd25519.mul(BigInteger.TEN, RefEd25519.BASE), TORSION.get(3))), BigInteger.TWO, TORSION.get(5), null,
            MSG, BigInteger.ZERO), MSG, "A + T3, R + T5");
    }

    @Test
    void shouldRejectAnErrorWithALargeOrderPartWhateverTheSmallOrderParts()
    {
        final Random random = new Random(2);
        for (int i = 0; i < 8; i++)
        {
            final BigInteger a = new BigInteger(252, random);
            final byte[] key = RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), TORSION.get(i)));
            final byte[] sig = RefEd25519.sign(a, key, new BigInteger(252, random), TORSION.get(7 - i), null, MSG,
                BigInteger.ZERO);
            // S + 1 (still below L for these r): the error is -B, of order L.
            final byte[] bad = sig.clone();
            final BigInteger s = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(sig, 32, 64));
            System.arraycopy(RefEd25519.littleEndian(s.add(BigInteger.ONE).mod(RefEd25519.L), 32), 0, bad, 32, 32);
            assertVerdict(false, key, bad, MSG, "S + 1, A + T" + i);
        }
    }

    /**
     * A small-order key makes [k]A vanish under the cofactor, so the check is [8]([S]B - R) = identity: any S with
     * R = [S mod L]B is then a valid signature, except that S itself must be below L. That isolates the S &lt; L
     * rule at every word boundary of L.
     */
    @Test
    void shouldRequireSBelowLAtEveryWordBoundary()
    {
        final BigInteger l = RefEd25519.L;
        final BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        final BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        final BigInteger two252 = BigInteger.ONE.shiftLeft(252);
        final BigInteger l1 = new BigInteger(Long.toUnsignedString(Scalar25519.L1));
        final BigInteger l0 = new BigInteger(Long.toUnsignedString(Scalar25519.L0));
        final BigInteger[] canonical = {
            BigInteger.ZERO, BigInteger.ONE, l.subtract(BigInteger.ONE), two252.subtract(BigInteger.ONE), two252,
            two252.add(l1.multiply(two64)), two252.add(l1.multiply(two64)).add(l0).subtract(BigInteger.ONE),
            two252.add(l1.subtract(BigInteger.ONE).multiply(two64)).add(two64.subtract(BigInteger.ONE)),
            BigInteger.ONE.shiftLeft(200).add(BigInteger.valueOf(12345)),
        };
        final BigInteger[] nonCanonical = {
            l, l.add(BigInteger.ONE), l.add(l), two252.add(two128), two252.add(l1.add(BigInteger.ONE).multiply(two64)),
            two252.add(l1.multiply(two64)).add(l0.add(BigInteger.ONE)), two252.add(two252),
            BigInteger.ONE.shiftLeft(255).add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(255).add(l.subtract(BigInteger.ONE)),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), l.add(two64.multiply(BigInteger.TEN)),
        };
        for (final RefEd25519.Point t : new RefEd25519.Point[] {TORSION.get(0), TORSION.get(1), TORSION.get(4)})
        {
            final byte[] key = RefEd25519.encode(t);
            for (final BigInteger s : canonical)
            {
                assertVerdict(true, key, signatureWithS(s, t), MSG, "S = " + s.toString(16));
            }
            for (final BigInteger s : nonCanonical)
            {
                assertVerdict(false, key, signatureWithS(s, t), MSG, "S = " + s.toString(16));
                assertVerdict(true, key, signatureWithS(s.mod(l), t), MSG, "S = " + s.mod(l).toString(16));
            }
        }
    }

    /** R = [S mod L]B + t, S as given (any 256-bit value). */
    private static byte[] signatureWithS(final BigInteger s, final RefEd25519.Point t)
    {
        final byte[] sig = new byte[64];
        System.arraycopy(RefEd25519.encode(RefEd25519.add(RefEd25519.mul(s.mod(RefEd25519.L), RefEd25519.BASE), t)),
            0, sig, 0, 32);
        System.arraycopy(RefEd25519.littleEndian(s, 32), 0, sig, 32, 32);
        return sig;
    }

    /**
     * Every encoding whose y is non-canonical (y + p for y &lt; 19) and both sign bits, and the canonical ones for
     * the same y: the decoder must accept exactly those the reference accepts, as the point (x, y mod p) with the
     * sign bit chosen unless x = 0.
     */
    @Test
    void shouldDecodeEveryNonCanonicalEncodingAsItsValueModP()
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint point = new EdwardsPoint();
        final long[] scratch = new long[5];
        int accepted = 0;
        for (int y = 0; y < 19; y++)
        {
            for (final BigInteger value : new BigInteger[] {BigInteger.valueOf(y),
                RefEd25519.P.add(BigInteger.valueOf(y))})
            {
                for (final boolean sign : new boolean[] {false, true})
                {
                    final byte[] enc = RefEd25519.encodeY(value, sign);
                    final RefEd25519.Point expected = RefEd25519.decode(enc);
                    final long[] w = words(enc);
                    final boolean ok = curve.decode(point, w[0], w[1], w[2], w[3]);
                    final EdwardsPoint second = new EdwardsPoint();
                    final int both = curve.decode2(point, w[0], w[1], w[2], w[3], second, w[0], w[1], w[2], w[3]);
                    final String what = "y = " + value.toString(16) + (sign ? ", sign set" : "");
                    if (expected == null)
                    {
                        assertFalse(ok, what);
                        assertEquals(0, both, what);
                        continue;
                    }
                    accepted++;
                    assertTrue(ok, what);
                    assertEquals(3, both, what);
                    assertEquals(expected.x, affine(point.x, point.z, scratch), "x of " + what);
                    assertEquals(expected.y, affine(point.y, point.z, scratch), "y of " + what);
                    assertEquals(expected.x.multiply(expected.y).mod(RefEd25519.P), affine(point.t, point.z, scratch),
                        "t of " + what);
                    assertEquals(expected.x, affine(second.x, second.z, scratch), "x of " + what);
                }
            }
        }
        // y in {0, 1, 3, 4, 5, 6, 9, 10, 14, 15, 16, 18}, canonical and not, both signs.
        assertEquals(48, accepted);
    }

    @Test
    void shouldRejectEncodingsOffTheCurve()
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint point = new EdwardsPoint();
        final Random random = new Random(9);
        int rejected = 0;
        for (int i = 0; i < 200; i++)
        {
            final byte[] enc = new byte[32];
            random.nextBytes(enc);
            final long[] w = words(enc);
            final boolean expected = RefEd25519.decode(enc) != null;
            assertEquals(expected, curve.decode(point, w[0], w[1], w[2], w[3]));
            rejected += expected ? 0 : 1;
        }
        assertTrue(rejected > 50, "about half of all y are off the curve: " + rejected);
    }

    /**
     * The identity and the point (0, -1) as A or R in all their encodings ("-0" and y = p + 1 included), with the
     * challenge hashed over the bytes as sent: the same signature re-sent with another encoding of the same R is
     * rejected, because k changes.
     */
    @Test
    void shouldAcceptEveryEncodingOfTheIdentityAndHashTheBytesAsReceived()
    {
        final List<byte[]> identities = new ArrayList<>();
        identities.add(RefEd25519.encodeY(BigInteger.ONE, false));
        identities.add(RefEd25519.encodeY(BigInteger.ONE, true));
        identities.add(RefEd25519.encodeY(RefEd25519.P.add(BigInteger.ONE), false));
        identities.add(RefEd25519.encodeY(RefEd25519.P.add(BigInteger.ONE), true));
        final List<byte[]> minusOnes = new ArrayList<>();
        minusOnes.add(RefEd25519.encodeY(RefEd25519.P.subtract(BigInteger.ONE), false));
        minusOnes.add(RefEd25519.encodeY(RefEd25519.P.subtract(BigInteger.ONE), true));
        final BigInteger a = new BigInteger("1234567890123456789012345678901234567890");
        final byte[] key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
        for (final List<byte[]> encodings : List.of(identities, minusOnes))
        {
            for (final byte[] enc : encodings)
            {
                assertNotNull(RefEd25519.decode(enc));
                // As A: [k]A vanishes under the cofactor, so R = [S]B for any S.
                assertVerdict(true, enc, signatureWithS(BigInteger.valueOf(77), TORSION.get(0)), MSG, "A = identity");
                // As R (r = 0): S = k·a with k hashed over these very bytes.
                final byte[] sig = RefEd25519.sign(a, key, BigInteger.ZERO, TORSION.get(0), enc, MSG, BigInteger.ZERO);
                assertVerdict(true, key, sig, MSG, "R = small order");
                for (final byte[] other : encodings)
                {
                    if (other != enc)
                    {
                        final byte[] resent = sig.clone();
                        System.arraycopy(other, 0, resent, 0, 32);
                        assertVerdict(false, key, resent, MSG, "R re-encoded");
                    }
                }
            }
        }
    }

    @Test
    void shouldTreatWrongLengthsAsInvalid()
    {
        final byte[] key = RefEd25519.encode(TORSION.get(0));
        final byte[] sig = signatureWithS(BigInteger.ONE, TORSION.get(0));
        assertVerdict(true, key, sig, MSG, "sanity");
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(8, 8);
        final byte[][] keys = {key, java.util.Arrays.copyOf(key, 31), java.util.Arrays.copyOf(key, 33), key, key};
        final byte[][] sigs = {sig, sig, sig, java.util.Arrays.copyOf(sig, 63), java.util.Arrays.copyOf(sig, 65)};
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(i == 0, single.verify(keys[i], sigs[i], MSG), "case " + i);
            assertEquals(i, batch.add(keys[i], sigs[i], MSG));
        }
        assertFalse(batch.verify());
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(i == 0, batch.verdict(i), "case " + i);
        }
    }

    static long[] words(final byte[] enc)
    {
        final long[] w = new long[4];
        for (int i = 0; i < 4; i++)
        {
            w[i] = (long)ChallengeHasher.LE_LONG.get(enc, 8 * i);
        }
        return w;
    }

    private static BigInteger affine(final long[] coordinate, final long[] z, final long[] scratch)
    {
        final BigInteger zInv = value(z, scratch).modInverse(RefEd25519.P);
        return value(coordinate, scratch).multiply(zInv).mod(RefEd25519.P);
    }

    private static BigInteger value(final long[] fe, final long[] scratch)
    {
        Field25519.copy(scratch, fe);
        Field25519.freeze(scratch);
        BigInteger v = BigInteger.ZERO;
        for (int i = 4; i >= 0; i--)
        {
            v = v.shiftLeft(51).add(BigInteger.valueOf(scratch[i]));
        }
        return v;
    }

    @Test
    void shouldHaveEightDistinctSmallOrderPoints()
    {
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < i; j++)
            {
                assertFalse(TORSION.get(i).same(TORSION.get(j)));
            }
            assertTrue(RefEd25519.mul(BigInteger.valueOf(8), TORSION.get(i)).same(RefEd25519.IDENTITY));
        }
        assertNull(RefEd25519.decode(RefEd25519.encodeY(BigInteger.TWO, false)));
    }
}
