package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChallengeSplit} against exact arithmetic: for every k, e = d k (mod L), 0 &lt;= e &lt; 2^126 and
 * 0 &lt; |d| &lt; 2^127, which is all the single check's equivalence needs (d not a multiple of L).
 */
final class ChallengeSplitTest
{
    private static final BigInteger L = BigInteger.ONE.shiftLeft(252)
        .add(new BigInteger("27742317777372353535851937790883648493"));

    @Test
    void shouldSplitEdgeChallenges()
    {
        final List<BigInteger> ks = new ArrayList<>();
        for (final long small : new long[]{0, 1, 2, 3, 19})
        {
            ks.add(BigInteger.valueOf(small));
            ks.add(L.subtract(BigInteger.valueOf(small + 1)));
        }
        for (final int bits : new int[]{62, 63, 64, 65, 125, 126, 127, 128, 129, 191, 192, 193, 251, 252})
        {
            final BigInteger power = BigInteger.ONE.shiftLeft(bits);
            for (final int delta : new int[]{-1, 0, 1})
            {
                final BigInteger k = power.add(BigInteger.valueOf(delta));
                if (k.compareTo(L) < 0)
                {
                    ks.add(k);
                }
            }
        }
        final BigInteger root = L.sqrt();
        ks.add(root);
        ks.add(root.add(BigInteger.ONE));
        ks.add(L.shiftRight(1));
        ks.add(L.shiftRight(1).add(BigInteger.ONE));
        ks.add(L.divide(BigInteger.valueOf(3)));

        final ChallengeSplit split = new ChallengeSplit();
        for (final BigInteger k : ks)
        {
            check(split, k);
        }
    }

    @Test
    void shouldSplitRandomChallenges()
    {
        final long seed = new Random().nextLong();
        final Random random = new Random(seed);
        final ChallengeSplit split = new ChallengeSplit();
        int negative = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final BigInteger k = new BigInteger(256, random).mod(L);
            negative += check(split, k) ? 1 : 0;
        }
        // Both signs of d come up, so both of the check's sign paths are exercised by random signatures.
        assertTrue(negative > 5_000 && negative < 15_000, "seed " + seed + ": negative d " + negative + " times");
    }

    @Test
    void shouldSplitChallengesWithExtremeContinuedFractions()
    {
        // Long runs of quotient 1 (k near L / phi), one huge quotient (k near L / m, or near 0 or L), and every
        // remainder landing just above or below 2^126: the Lehmer batches' guards and the exact steps all run.
        final List<BigInteger> ks = new ArrayList<>();
        final BigInteger phiScaled = new BigInteger("161803398874989484820458683436563811772030917980576286213544862");
        final BigInteger scale = BigInteger.TEN.pow(phiScaled.toString().length() - 1);
        final BigInteger golden = L.multiply(scale).divide(phiScaled);
        for (int delta = -50; delta <= 50; delta++)
        {
            ks.add(golden.add(BigInteger.valueOf(delta)));
        }
        for (int m = 2; m <= 2_000; m++)
        {
            ks.add(L.divide(BigInteger.valueOf(m)));
            ks.add(L.divide(BigInteger.valueOf(m)).add(BigInteger.ONE));
        }
        for (int j = 1; j < 252; j++)
        {
            ks.add(L.shiftRight(j));
            ks.add(L.subtract(L.shiftRight(j)));
            ks.add(BigInteger.ONE.shiftLeft(j).subtract(BigInteger.ONE));
        }
        final Random random = new Random(7);
        for (int i = 0; i < 2_000; i++)
        {
            // k = e / d for a chosen small pair: a remainder of the Euclid lands near 2^126 by construction.
            final BigInteger d = new BigInteger(120 + random.nextInt(10), random).add(BigInteger.ONE);
            final BigInteger e = BigInteger.ONE.shiftLeft(126).add(BigInteger.valueOf(random.nextInt(2001) - 1000));
            ks.add(e.multiply(d.modInverse(L)).mod(L));
        }

        final ChallengeSplit split = new ChallengeSplit();
        for (final BigInteger k : ks)
        {
            check(split, k.mod(L));
        }
    }

    @Test
    void shouldRefuseSplitsThatBreakTheContract()
    {
        final ChallengeSplit split = new ChallengeSplit();
        final BigInteger k = new BigInteger(252, new Random(3));
        final long[] words = words(k);
        split.split(words, 0);
        assertTrue(split.holds(words, 0));

        final long[] e = split.e.clone();
        final long[] d = split.d.clone();
        final boolean negative = split.dNegative;

        split.dNegative = !negative;
        assertFalse(split.holds(words, 0), "wrong sign");
        split.dNegative = negative;

        split.e[0] ^= 1;
        assertFalse(split.holds(words, 0), "wrong e");
        System.arraycopy(e, 0, split.e, 0, 4);

        split.d[1] ^= 1L << 40;
        assertFalse(split.holds(words, 0), "wrong d");
        System.arraycopy(d, 0, split.d, 0, 4);

        Arrays.fill(split.d, 0);
        Arrays.fill(split.e, 0);
        assertFalse(split.holds(words, 0), "d = 0 makes any k look split into e = 0");

        // e = d k with d = 2^127 + 1 meets the congruence but not the bound.
        final BigInteger bigD = BigInteger.ONE.shiftLeft(127).add(BigInteger.ONE);
        final long[] bigDWords = words(bigD);
        System.arraycopy(bigDWords, 0, split.d, 0, 4);
        System.arraycopy(words(bigD.multiply(k).mod(L)), 0, split.e, 0, 4);
        split.dNegative = false;
        assertFalse(split.holds(words, 0), "d too large");

        // Each bound alone: e = d k holds, and only one word or top bit is out of range.
        final BigInteger two = BigInteger.TWO;
        final BigInteger[][] pairs = {
            {two.pow(126), BigInteger.ONE}, {two.pow(128), BigInteger.ONE}, {two.pow(192), BigInteger.ONE},
            {BigInteger.valueOf(5), two.pow(127).add(BigInteger.ONE)},
            {BigInteger.valueOf(5), two.pow(128).add(BigInteger.ONE)},
            {BigInteger.valueOf(5), two.pow(192).add(BigInteger.ONE)}};
        for (final BigInteger[] pair : pairs)
        {
            final BigInteger pairK = pair[0].multiply(pair[1].modInverse(L)).mod(L);
            final long[] pairWords = words(pairK);
            System.arraycopy(words(pair[0]), 0, split.e, 0, 4);
            System.arraycopy(words(pair[1]), 0, split.d, 0, 4);
            split.dNegative = false;
            assertFalse(split.holds(pairWords, 0), "e " + pair[0] + ", d " + pair[1]);
        }

        // |d| k mod L agrees with e in its low 128 bits but has one more word.
        for (final int word : new int[]{2, 3})
        {
            final BigInteger smallE = BigInteger.valueOf(12_345);
            final long[] kWords = words(smallE.add(BigInteger.ONE.shiftLeft(64 * word)));
            System.arraycopy(words(smallE), 0, split.e, 0, 4);
            System.arraycopy(words(BigInteger.ONE), 0, split.d, 0, 4);
            split.dNegative = false;
            assertFalse(split.holds(kWords, 0), "k with word " + word);
        }

        split.unsplit(words, 0);
        assertFalse(split.holds(words, 0), "the unsplit form of a 252-bit k is outside the split's bounds");
        assertEquals(k, RefEd25519.words(split.e));
        assertEquals(BigInteger.ONE, RefEd25519.words(split.d));
        assertFalse(split.dNegative);
    }

    @Test
    void shouldCombineRowsWithEveryCarry()
    {
        // The batches' multipliers stay near 2^31, so a word's product plus carry almost never overflows in a real
        // split; here all-ones words and multipliers up to 2^62 - 1 force every carry and borrow. Exact mod 2^256
        // (combine) and mod 2^128 (cofactor) whatever the operands.
        final Random random = new Random(11);
        final BigInteger mod256 = BigInteger.ONE.shiftLeft(256);
        final BigInteger mod128 = BigInteger.ONE.shiftLeft(128);
        final long[] r = new long[8];
        final long[] out = new long[4];
        final long[] t = new long[2];
        for (int i = 0; i < 20_000; i++)
        {
            for (int w = 0; w < 8; w++)
            {
                r[w] = random.nextInt(4) == 0 ? -1L : random.nextInt(4) == 0 ? 0 : random.nextLong();
            }
            final long x = multiplier(random);
            final long y = multiplier(random);
            final boolean aFirst = random.nextBoolean();
            final int ia = aFirst ? 0 : 4;
            final int ib = aFirst ? 4 : 0;
            final BigInteger a = RefEd25519.words(Arrays.copyOfRange(r, ia, ia + 4));
            final BigInteger b = RefEd25519.words(Arrays.copyOfRange(r, ib, ib + 4));

            // Opposite signs, either way round, or one of them zero, as a row of Euclid steps has: (x, 0) with
            // x > 0, (0, y) with y > 0.
            final int shape = random.nextInt(8);
            final long fx = shape == 0 ? 0 : shape == 1 ? x : (shape & 1) == 0 ? x : -x;
            final long sy = shape == 0 ? y : shape == 1 ? 0 : (shape & 1) == 0 ? -y : y;
            ChallengeSplit.combine(r, ia, ib, fx, sy, out);
            final BigInteger expected = BigInteger.valueOf(fx).multiply(a).add(BigInteger.valueOf(sy).multiply(b))
                .mod(mod256);
            assertEquals(expected, RefEd25519.words(out), "x " + fx + ", y " + sy + ", a " + a + ", b " + b);

            ChallengeSplit.cofactor(t, 0, x, r[0], r[1], y, r[2], r[3]);
            final BigInteger ta = RefEd25519.words(new long[]{r[0], r[1]});
            final BigInteger tb = RefEd25519.words(new long[]{r[2], r[3]});
            assertEquals(BigInteger.valueOf(x).multiply(ta).add(BigInteger.valueOf(y).multiply(tb)).mod(mod128),
                RefEd25519.words(t), "x " + x + ", y " + y);
        }
    }

    private static long multiplier(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return (1L << 62) - 1 - random.nextInt(3);
            case 1:
                return 1 + random.nextInt(3);
            default:
                return Math.max(1, random.nextLong() >>> (2 + random.nextInt(60)));
        }
    }

    private static long[] words(final BigInteger v)
    {
        final long[] words = new long[4];
        for (int i = 0; i < 4; i++)
        {
            words[i] = v.shiftRight(64 * i).longValue();
        }
        return words;
    }

    /**
     * The split must be exactly the extended Euclid's first remainder below 2^126 with its cofactor, computed here
     * in BigInteger: any other (e, d), even a valid one, means the Lehmer batches took a step the exact algorithm
     * does not.
     *
     * @return whether d was negative.
     */
    private static boolean check(final ChallengeSplit split, final BigInteger k)
    {
        split.split(words(k), 0);
        final BigInteger e = RefEd25519.words(split.e);
        final BigInteger dMagnitude = RefEd25519.words(split.d);
        final BigInteger d = split.dNegative ? dMagnitude.negate() : dMagnitude;

        assertTrue(e.signum() >= 0 && e.bitLength() <= 126, "k " + k + ": e " + e);
        assertNotEquals(0, d.signum(), "k " + k + ": d is zero");
        assertTrue(dMagnitude.bitLength() <= 127, "k " + k + ": d " + d);
        assertEquals(BigInteger.ZERO, e.subtract(d.multiply(k)).mod(L), "k " + k + ": e != d k mod L");

        final BigInteger threshold = BigInteger.ONE.shiftLeft(126);
        BigInteger a = L;
        BigInteger b = k;
        BigInteger ta = BigInteger.ZERO;
        BigInteger tb = BigInteger.ONE;
        while (b.compareTo(threshold) >= 0)
        {
            final BigInteger[] qr = a.divideAndRemainder(b);
            final BigInteger tNext = ta.subtract(qr[0].multiply(tb));
            a = b;
            ta = tb;
            b = qr[1];
            tb = tNext;
        }
        assertEquals(b, e, "k " + k + ": e is not exact Euclid's");
        assertEquals(tb, d, "k " + k + ": d is not exact Euclid's");
        return split.dNegative;
    }
}
