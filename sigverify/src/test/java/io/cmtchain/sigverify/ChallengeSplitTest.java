package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** @return whether d was negative. */
    private static boolean check(final ChallengeSplit split, final BigInteger k)
    {
        final long[] words = new long[4];
        for (int i = 0; i < 4; i++)
        {
            words[i] = k.shiftRight(64 * i).longValue();
        }
        split.split(words, 0);
        final BigInteger e = RefEd25519.words(split.e);
        final BigInteger dMagnitude = RefEd25519.words(split.d);
        final BigInteger d = split.dNegative ? dMagnitude.negate() : dMagnitude;

        assertTrue(e.signum() >= 0 && e.bitLength() <= 126, "k " + k + ": e " + e);
        assertNotEquals(0, d.signum(), "k " + k + ": d is zero");
        assertTrue(dMagnitude.bitLength() <= 127, "k " + k + ": d " + d);
        assertEquals(BigInteger.ZERO, e.subtract(d.multiply(k)).mod(L), "k " + k + ": e != d k mod L");
        return split.dNegative;
    }
}
