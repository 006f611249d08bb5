package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Field and scalar arithmetic against BigInteger, including limbs at the documented bounds.
 */
class ArithmeticTest
{
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L =
        BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private static BigInteger value(final long[] fe)
    {
        return RefEd25519.limbs(fe);
    }

    private static BigInteger words(final long[] w)
    {
        return RefEd25519.words(w);
    }

    /** Limbs up to {@code bits} wide, biased toward the maximum to hit carry edge cases. */
    private static long[] randomFe(final Random random, final double bits)
    {
        final long[] fe = new long[5];
        final long max = (long)Math.pow(2, bits) - 1;
        for (int i = 0; i < 5; i++)
        {
            fe[i] = random.nextInt(4) == 0 ? max : (random.nextLong() >>> 1) % (max + 1);
        }
        return fe;
    }

    @Test
    void shouldMultiplyAndSquareAtLimbBounds()
    {
        final Random random = new Random(1);
        final long[] r = new long[5];
        for (int i = 0; i < 20_000; i++)
        {
            final long[] a = randomFe(random, 52.75);
            final long[] b = randomFe(random, 52.75);
            Field25519.mul(r, a, b);
            assertEquals(value(a).multiply(value(b)).mod(P), value(r).mod(P));
            for (final long limb : r)
            {
                assertEquals(0, limb >>> 52, "mul output limb not reduced");
            }
            Field25519.sq(r, a);
            assertEquals(value(a).multiply(value(a)).mod(P), value(r).mod(P));
            Field25519.sub(r, a, b);
            assertEquals(value(a).subtract(value(b)).mod(P), value(r).mod(P));
            Field25519.copy(r, a);
            Field25519.freeze(r);
            assertEquals(value(a).mod(P), value(r));
        }
    }

    @Test
    void shouldMultiplyAndSquareEveryCornerOfTheLimbBounds()
    {
        // Each limb of each operand at 0, 2^51 - 1 or the largest accepted (2^52.75 - 1): every column of mul's
        // Karatsuba sums at its largest and at its most negative low part, and sq at the same corners.
        final long[] corners = {0, (1L << 51) - 1, (long)Math.pow(2, 52.75) - 1};
        final long[] a = new long[5];
        final long[] b = new long[5];
        final long[] r = new long[5];
        for (int i = 0; i < 59_049; i++)
        {
            int code = i;
            for (int l = 0; l < 5; l++)
            {
                a[l] = corners[code % 3];
                code /= 3;
                b[l] = corners[code % 3];
                code /= 3;
            }
            Field25519.mul(r, a, b);
            assertEquals(value(a).multiply(value(b)).mod(P), value(r).mod(P), "mul, corner " + i);
            for (final long limb : r)
            {
                assertEquals(0, limb >>> 52, "mul output limb not reduced, corner " + i);
            }
            Field25519.sq(r, a);
            assertEquals(value(a).multiply(value(a)).mod(P), value(r).mod(P), "sq, corner " + i);
        }
    }

    @Test
    void shouldFreezeValuesJustAboveP()
    {
        final long[] r = new long[5];
        for (int d = 0; d < 40; d++)
        {
            final BigInteger v = P.subtract(BigInteger.valueOf(20)).add(BigInteger.valueOf(d));
            final long[] w = {v.longValue(), v.shiftRight(64).longValue(), v.shiftRight(128).longValue(),
                v.shiftRight(192).longValue()};
            Field25519.fromWords(r, w[0], w[1], w[2], w[3]);
            Field25519.freeze(r);
            // Bit 255 is the sign bit of an encoding and is not part of the field element.
            assertEquals(v.clearBit(255).mod(P), value(r));
        }
    }

    @Test
    void shouldInvertAndTakeSquareRootExponent()
    {
        final Random random = new Random(2);
        final long[] r = new long[5];
        final long[] t0 = new long[5];
        final long[] t1 = new long[5];
        final long[] t2 = new long[5];
        final long[] t3 = new long[5];
        for (int i = 0; i < 200; i++)
        {
            final long[] a = randomFe(random, 51);
            Field25519.invert(r, a, t0, t1, t2, t3);
            assertEquals(value(a).modInverse(P), value(r).mod(P));
            Field25519.pow22523(r, a, t0, t1, t2, t3);
            assertEquals(value(a).modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P), value(r).mod(P));
        }
    }

    @Test
    void shouldReduceWideValuesModL()
    {
        final Random random = new Random(3);
        final long[] limbs = new long[Scalar25519.LIMBS];
        final long[] out = new long[4];
        for (int i = 0; i < 20_000; i++)
        {
            final long[] w = new long[8];
            for (int j = 0; j < 8; j++)
            {
                w[j] = random.nextInt(8) == 0 ? -1L : random.nextLong();
            }
            if (i < 10)
            {
                // Edges: 0, L - 1, L, L + 1, 2^512 - 1 and small multiples of L.
                final BigInteger[] edges = {BigInteger.ZERO, L.subtract(BigInteger.ONE), L, L.add(BigInteger.ONE),
                    BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE), L.shiftLeft(1), L.multiply(L),
                    L.shiftLeft(252).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(252),
                    L.multiply(L).multiply(L)};
                final BigInteger e = edges[i];
                for (int j = 0; j < 8; j++)
                {
                    w[j] = e.shiftRight(64 * j).longValue();
                }
            }
            for (int j = 0; j < Scalar25519.LIMBS; j++)
            {
                limbs[j] = Scalar25519.bits(w, 21 * j, 21);
            }
            Scalar25519.reduce(limbs, out);
            assertEquals(words(w).mod(L), words(out));
        }
    }

    @Test
    void shouldMultiplyCoefficientsByScalarsModL()
    {
        final Random random = new Random(4);
        final long[] limbs = new long[Scalar25519.LIMBS];
        final long[] zLimbs = new long[7];
        final long[] kLimbs = new long[13];
        final long[] out = new long[4];
        final long[] neg = new long[4];
        for (int i = 0; i < 5_000; i++)
        {
            final long[] z = {random.nextLong(), random.nextLong(), 0, 0};
            final BigInteger k = new BigInteger(253, random).mod(L);
            final long[] kw = {k.longValue(), k.shiftRight(64).longValue(), k.shiftRight(128).longValue(),
                k.shiftRight(192).longValue()};
            java.util.Arrays.fill(limbs, 0);
            Scalar25519.toLimbs(z, 7, zLimbs, 0);
            Scalar25519.toLimbs(kw, 13, kLimbs, 0);
            // Accumulate the same product many times, as the batch base-point scalar does.
            final int times = 1 + random.nextInt(300);
            for (int t = 0; t < times; t++)
            {
                Scalar25519.mulAdd(limbs, zLimbs, 0, 7, kLimbs, 0, 13);
            }
            Scalar25519.reduce(limbs, out);
            final BigInteger expected = words(z).multiply(k).multiply(BigInteger.valueOf(times)).mod(L);
            assertEquals(expected, words(out));
            Scalar25519.negate(out, neg);
            assertEquals(L.subtract(expected).mod(L), words(neg));
        }
    }

    @Test
    void shouldRebuildScalarsFromTheirNonAdjacentForm()
    {
        final Random random = new Random(5);
        final byte[] naf = new byte[Scalar25519.NAF_LENGTH];
        for (int i = 0; i < 5_000; i++)
        {
            // Every length up to 256 bits, a third of them all ones (whose top digit lands above their top bit).
            final int bits = random.nextInt(257);
            final BigInteger k = i == 0 ? L.subtract(BigInteger.ONE)
                : i % 3 == 1 ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) : new BigInteger(bits, random);
            final long[] kw = {k.longValue(), k.shiftRight(64).longValue(), k.shiftRight(128).longValue(),
                k.shiftRight(192).longValue()};
            final int w = 2 + random.nextInt(7);
            final int top = Scalar25519.naf(kw, w, naf, 0);
            BigInteger v = BigInteger.ZERO;
            int lastNonZero = -1000;
            int highest = -1;
            for (int j = Scalar25519.NAF_LENGTH - 1; j >= 0; j--)
            {
                v = v.shiftLeft(1).add(BigInteger.valueOf(naf[j]));
                if (naf[j] != 0)
                {
                    highest = Math.max(highest, j);
                    assertEquals(1, naf[j] & 1);
                    assertEquals(true, Math.abs(naf[j]) < (1 << (w - 1)));
                    if (lastNonZero >= 0)
                    {
                        assertEquals(true, lastNonZero - j >= w);
                    }
                    lastNonZero = j;
                }
            }
            assertEquals(k, v);
            assertEquals(highest, top, "k " + k + ", w " + w);
        }
    }
}
