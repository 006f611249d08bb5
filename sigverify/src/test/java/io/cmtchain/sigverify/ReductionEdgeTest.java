package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reductions at their edges, against BigInteger: field elements loaded from every kind of 256-bit encoding at
 * and above p (p .. 2^255 - 1 are the non-canonical y of ZIP-215, 2^255 .. 2^256 - 1 carry the sign bit, which
 * is not part of y), then frozen, compared, multiplied and squared unreduced; and scalars at L, at its word
 * boundaries, at 2^253 and up to 2^256 - 1 for the S &lt; L rule, 512-bit digests within a few units of every
 * power-of-two multiple of L for the challenge, and the small-factor products of the batch and the split at the
 * bounds their contract states.
 */
class ReductionEdgeTest
{
    private static final BigInteger P = RefEd25519.P;
    private static final BigInteger L = RefEd25519.L;
    private static final BigInteger TWO_255 = BigInteger.ONE.shiftLeft(255);
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger TWO_512 = BigInteger.ONE.shiftLeft(512);
    private static final long LIMB_BOUND = 1L << 51;

    private static long[] words(final BigInteger v, final int count)
    {
        final long[] w = new long[count];
        for (int i = 0; i < count; i++)
        {
            w[i] = v.shiftRight(64 * i).longValue();
        }
        return w;
    }

    /** Every value within {@code radius} of each centre that lies in [from, to). */
    private static void around(final List<BigInteger> out, final BigInteger from, final BigInteger to, final int radius,
        final BigInteger... centres)
    {
        for (final BigInteger centre : centres)
        {
            for (int d = -radius; d <= radius; d++)
            {
                final BigInteger v = centre.add(BigInteger.valueOf(d));
                if (v.compareTo(from) >= 0 && v.compareTo(to) < 0)
                {
                    out.add(v);
                }
            }
        }
    }

    /** Encodings at and above p, and random ones, with their neighbours below p. */
    private static List<BigInteger> topEncodings()
    {
        final List<BigInteger> values = new ArrayList<>();
        around(values, BigInteger.ZERO, TWO_256, 40, P, TWO_255, P.shiftLeft(1), TWO_256, TWO_255.add(P),
            TWO_255.add(BigInteger.valueOf(19)), BigInteger.ZERO);
        final Random random = new Random(255);
        for (int i = 0; i < 2000; i++)
        {
            // [p, 2^256): y >= p with and without the sign bit.
            values.add(P.add(new BigInteger(256, random).mod(TWO_256.subtract(P))));
        }
        return values;
    }

    @Test
    void shouldLoadAndFreezeEveryEncodingFromPTo2To256AsItsYModP()
    {
        final long[] fe = new long[5];
        final long[] frozen = new long[5];
        final long[] scratch = new long[5];
        for (final BigInteger v : topEncodings())
        {
            final long[] w = words(v, 4);
            final BigInteger y = v.clearBit(255);
            final BigInteger expected = y.mod(P);
            final String what = "v = " + v.toString(16);
            Field25519.fromWords(fe, w[0], w[1], w[2], w[3]);
            for (final long limb : fe)
            {
                assertTrue(limb >= 0 && limb < LIMB_BOUND, what);
            }
            assertEquals(y, RefEd25519.limbs(fe), what);
            Field25519.copy(frozen, fe);
            Field25519.freeze(frozen);
            assertEquals(expected, RefEd25519.limbs(frozen), what);
            for (final long limb : frozen)
            {
                assertTrue(limb >= 0 && limb < LIMB_BOUND, what);
            }
            for (int i = 0; i < 4; i++)
            {
                assertEquals(expected.shiftRight(64 * i).longValue(), Field25519.word(frozen, i), what + ", word " + i);
            }
            assertEquals(expected.signum() == 0, Field25519.isZero(fe, scratch), what);
            assertEquals(expected.testBit(0), Field25519.isNegative(fe, scratch), what);
        }
    }

    @Test
    void shouldMultiplySquareAddAndSubtractUnreducedLoadsNearP()
    {
        final List<BigInteger> values = topEncodings();
        final Random random = new Random(19);
        final long[] a = new long[5];
        final long[] b = new long[5];
        final long[] r = new long[5];
        for (int i = 0; i < values.size(); i++)
        {
            final BigInteger va = values.get(i);
            final BigInteger vb = values.get(random.nextInt(values.size()));
            final long[] wa = words(va, 4);
            final long[] wb = words(vb, 4);
            Field25519.fromWords(a, wa[0], wa[1], wa[2], wa[3]);
            Field25519.fromWords(b, wb[0], wb[1], wb[2], wb[3]);
            final BigInteger x = va.clearBit(255);
            final BigInteger y = vb.clearBit(255);
            final String what = va.toString(16) + ", " + vb.toString(16);
            Field25519.mul(r, a, b);
            assertEquals(x.multiply(y).mod(P), RefEd25519.limbs(r).mod(P), "mul " + what);
            Field25519.sq(r, a);
            assertEquals(x.multiply(x).mod(P), RefEd25519.limbs(r).mod(P), "sq " + what);
            Field25519.sub(r, a, b);
            assertEquals(x.subtract(y).mod(P), RefEd25519.limbs(r).mod(P), "sub " + what);
            Field25519.neg(r, a);
            assertEquals(x.negate().mod(P), RefEd25519.limbs(r).mod(P), "neg " + what);
            Field25519.add(r, a, b);
            Field25519.carry(r);
            assertEquals(x.add(y).mod(P), RefEd25519.limbs(r).mod(P), "add " + what);
            // A sum of two loads is a multiplication's largest usual operand.
            Field25519.add(r, a, b);
            Field25519.mul(r, r, a);
            assertEquals(x.add(y).multiply(x).mod(P), RefEd25519.limbs(r).mod(P), "mul of a sum " + what);
        }
    }

    @Test
    void shouldDecideSBelowLAroundEveryBoundary()
    {
        final BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        final BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        final BigInteger two192 = BigInteger.ONE.shiftLeft(192);
        final BigInteger l0 = L.mod(two64);
        final BigInteger l1 = L.shiftRight(64).mod(two64);
        final List<BigInteger> values = new ArrayList<>();
        around(values, BigInteger.ZERO, TWO_256, 40, L, L.shiftLeft(1), BigInteger.ONE.shiftLeft(252),
            BigInteger.ONE.shiftLeft(253), TWO_255, TWO_256, P, BigInteger.ZERO,
            // L's words with one word one above or below, and the words below it at their extremes.
            L.add(two64), L.subtract(two64), L.add(two128), L.subtract(two128), L.add(two192), L.subtract(two192),
            L.subtract(l0), L.subtract(l0).add(two64.subtract(BigInteger.ONE)),
            L.subtract(l1.multiply(two64)).subtract(l0),
            L.subtract(l1.multiply(two64)).subtract(l0).add(two128.subtract(BigInteger.ONE)),
            // A word above L's with its top bit set, the words above it equal to L's: a signed comparison of that
            // word would call these below L.
            L.add(BigInteger.ONE.shiftLeft(191)), L.add(two64.subtract(BigInteger.ONE).shiftLeft(128)),
            L.subtract(l1.multiply(two64)).add(BigInteger.ONE.shiftLeft(127)),
            L.subtract(l0).add(BigInteger.ONE.shiftLeft(63)));
        final Random random = new Random(253);
        for (int i = 0; i < 2000; i++)
        {
            values.add(new BigInteger(256, random));
            values.add(L.add(new BigInteger(140, random)).subtract(BigInteger.ONE.shiftLeft(139)));
        }
        for (final BigInteger v : values)
        {
            final long[] w = words(v, 4);
            assertEquals(v.compareTo(L) < 0, Scalar25519.isCanonical(w[0], w[1], w[2], w[3]), "S = " + v.toString(16));
        }
    }

    @Test
    void shouldReduceDigestsWithinAFewUnitsOfEveryPowerOfTwoMultipleOfL()
    {
        final List<BigInteger> centres = new ArrayList<>();
        for (int k = 0; L.shiftLeft(k).compareTo(TWO_512) < 0; k++)
        {
            centres.add(L.shiftLeft(k));
            centres.add(L.shiftLeft(k).add(L));
        }
        final BigInteger largest = TWO_512.subtract(BigInteger.ONE).divide(L).multiply(L);
        centres.add(largest);
        centres.add(TWO_512);
        centres.add(BigInteger.ONE.shiftLeft(511));
        centres.add(TWO_256);
        centres.add(BigInteger.ONE.shiftLeft(253));
        final Random random = new Random(512);
        for (int i = 0; i < 200; i++)
        {
            centres.add(L.multiply(new BigInteger(259, random)));
        }
        final List<BigInteger> values = new ArrayList<>();
        around(values, BigInteger.ZERO, TWO_512, 8, centres.toArray(new BigInteger[0]));
        final byte[] digest = new byte[64];
        final long[] hashWords = new long[8];
        final long[] limbs = new long[Scalar25519.LIMBS];
        final long[] out = new long[4];
        for (final BigInteger v : values)
        {
            System.arraycopy(RefEd25519.littleEndian(v, 64), 0, digest, 0, 64);
            ChallengeHasher.reduce(digest, hashWords, limbs, out);
            assertEquals(v.mod(L), RefEd25519.words(out), "digest " + v.toString(16));
        }
    }

    @Test
    void shouldMultiplySmallFactorsByScalarsAtTheBoundsOfTheirContract()
    {
        final Random random = new Random(147);
        final List<BigInteger> smalls = new ArrayList<>();
        around(smalls, BigInteger.ZERO, BigInteger.ONE.shiftLeft(147), 2, BigInteger.ZERO,
            BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(126), BigInteger.ONE.shiftLeft(127),
            BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(147));
        final List<BigInteger> scalars = new ArrayList<>();
        around(scalars, BigInteger.ZERO, TWO_256, 2, BigInteger.ZERO, L, BigInteger.ONE.shiftLeft(252),
            BigInteger.ONE.shiftLeft(253), P, TWO_256);
        for (int i = 0; i < 20; i++)
        {
            smalls.add(new BigInteger(147, random));
            scalars.add(new BigInteger(256, random));
            scalars.add(new BigInteger(253, random).mod(L));
        }
        final long[] smallLimbs = new long[7];
        final long[] scalarLimbs = new long[13];
        final long[] acc = new long[Scalar25519.LIMBS];
        final long[] negated = new long[4];
        for (final BigInteger small : smalls)
        {
            for (final BigInteger scalar : scalars)
            {
                final long[] in = words(scalar, 4);
                // out may be the scalar's own array, as the callers use it.
                Scalar25519.mulSmall(words(small, 4), in, in, smallLimbs, scalarLimbs, acc);
                final BigInteger expected = small.multiply(scalar).mod(L);
                final String what = small.toString(16) + " * " + scalar.toString(16);
                assertEquals(expected, RefEd25519.words(in), what);
                Scalar25519.negate(in, negated);
                assertEquals(L.subtract(expected).mod(L), RefEd25519.words(negated), "-(" + what + ")");
            }
        }
    }
}
