package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipientSamplerTest
{
    @Test
    void shouldSpreadUniformlyWithoutSkew()
    {
        final RecipientSampler sampler = new RecipientSampler(10, 0, 0, 3);
        final long[] hits = new long[10];
        for (int i = 0; i < 100_000; i++)
        {
            hits[(int)sampler.recipient(i)]++;
        }
        for (final long h : hits)
        {
            assertTrue(h > 9_000 && h < 11_000, "uniform share " + h);
        }
    }

    @Test
    void shouldSendTheHotShareToAccountZero()
    {
        final RecipientSampler sampler = new RecipientSampler(1_000_000, 0, 0.3, 3);
        int hot = 0;
        for (int i = 0; i < 100_000; i++)
        {
            if (0 == sampler.recipient(i))
            {
                hot++;
            }
        }
        assertTrue(hot > 29_000 && hot < 31_000, "hot " + hot);
    }

    @Test
    void shouldSkewTowardsLowRanksWithZipfAndStayInRange()
    {
        final long accounts = 1_000_000;
        for (final double s : new double[] {0.5, 1.0, 1.2, 3.0})
        {
            final RecipientSampler sampler = new RecipientSampler(accounts, s, 0, 9);
            int top100 = 0;
            for (int i = 0; i < 100_000; i++)
            {
                final long r = sampler.recipient(i);
                assertTrue(r >= 0 && r < accounts);
                if (r < 100)
                {
                    top100++;
                }
            }
            assertTrue(top100 > 100_000 * 100 / accounts * 5, "skew " + s + ": " + top100);
        }
    }

    @Test
    void shouldBeDeterministicInSeedAndIndex()
    {
        final RecipientSampler a = new RecipientSampler(1000, 1.1, 0.1, 5);
        final RecipientSampler b = new RecipientSampler(1000, 1.1, 0.1, 5);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(a.recipient(i), b.recipient(i));
        }
    }

    @Test
    void shouldFollowThePowerLawItInverts()
    {
        for (final double s : new double[] {0.5, 1.0, 1.2, 3.0})
        {
            assertFollowsPowerLaw(1_000_000, s, 9, 1, 10, 100, 10_000, 500_000);
        }
    }

    @Test
    void shouldSendTheHotShareToAccountZeroOnTopOfTheSkew()
    {
        final RecipientSampler sampler = new RecipientSampler(1_000, 1.2, 0.3, 4);
        final int draws = 200_000;
        int zero = 0;
        for (int i = 0; i < draws; i++)
        {
            zero += 0 == sampler.recipient(i) ? 1 : 0;
        }
        assertEquals(0.3 + 0.7 * powerLawBelow(1.2, 1_000, 1), zero / (double)draws, 0.005);
    }

    @Test
    void shouldFollowThePowerLawOverAFewAccountsToo()
    {
        for (final double s : new double[] {1.0, 2.0})
        {
            assertFollowsPowerLaw(4, s, 11, 1, 2, 3, 4);
        }
    }

    @Test
    void shouldDrawTheSameRecipientsAsTheSignedTransactionCacheRecorded()
    {
        // SignedTransactions keys its cache on describe(), so the draw for given parameters must never change (a new
        // draw needs a new key version). Worked out apart from this class: min(999, floor(u * 1000)), u the top 53
        // bits of splitMix64(5 + (i + 1) * 0x9E3779B97F4A7C15) over 2^53.
        final RecipientSampler sampler = new RecipientSampler(1_000, 0, 0, 5);
        final long[] expected = {386, 752, 232, 99, 187, 380, 985, 511};
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], sampler.recipient(i), "draw " + i);
        }
    }

    @Test
    void shouldDrawWithSplitMix64()
    {
        // SplitMix64's first two outputs from state 0, as its reference implementation gives them.
        assertEquals(0xE220A8397B1DCDAFL, RecipientSampler.splitMix64(0x9E3779B97F4A7C15L));
        assertEquals(0x6E789E6AA1B965F4L, RecipientSampler.splitMix64(2 * 0x9E3779B97F4A7C15L));
    }

    @Test
    void shouldDrawOtherRecipientsForAnotherSeed()
    {
        final RecipientSampler a = new RecipientSampler(1_000_000, 0, 0, 5);
        final RecipientSampler b = new RecipientSampler(1_000_000, 0, 0, 6);
        int same = 0;
        for (int i = 0; i < 1_000; i++)
        {
            same += a.recipient(i) == b.recipient(i) ? 1 : 0;
        }
        assertTrue(same < 5, "same draws: " + same);
    }

    @Test
    void shouldDescribeEveryParameterForTheCacheKey()
    {
        assertEquals("accounts=10,zipf=1.5,hot=0.25,seed=3", new RecipientSampler(10, 1.5, 0.25, 3).describe());
        final Set<String> keys = new HashSet<>();
        keys.add(new RecipientSampler(10, 1.5, 0.25, 3).describe());
        keys.add(new RecipientSampler(11, 1.5, 0.25, 3).describe());
        keys.add(new RecipientSampler(10, 1.0, 0.25, 3).describe());
        keys.add(new RecipientSampler(10, 1.5, 0.5, 3).describe());
        keys.add(new RecipientSampler(10, 1.5, 0.25, 4).describe());
        assertEquals(5, keys.size());
    }

    @Test
    void shouldTakeTheEdgesOfEachRange()
    {
        final RecipientSampler one = new RecipientSampler(1, 10, 0, 1);
        final RecipientSampler allHot = new RecipientSampler(1_000, 0, 1, 1);
        for (int i = 0; i < 1_000; i++)
        {
            assertEquals(0, one.recipient(i));
            assertEquals(0, allHot.recipient(i));
        }
    }

    @Test
    void shouldRejectBadParameters()
    {
        assertEquals("--accounts must be at least 1, was 0",
            assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(0, 0, 0, 1)).getMessage());
        assertEquals("--zipf must be in 0..10, was -1.0",
            assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, -1, 0, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, 10.5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, Double.NaN, 0, 1));
        assertEquals("--hot-share must be in 0..1, was 1.5",
            assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, 0, 1.5, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, 0, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, 0, Double.NaN, 1));
    }

    /** Of 200,000 draws without a hot share, the share below each rank is the power law's, within 0.005. */
    private static void assertFollowsPowerLaw(final long accounts, final double s, final long seed, final long... ranks)
    {
        // Rank r is floor(x) - 1 for x drawn with p(x) ~ x^-s on [1, accounts + 1): r < k exactly when x < k + 1.
        final RecipientSampler sampler = new RecipientSampler(accounts, s, 0, seed);
        final int draws = 200_000;
        final int[] below = new int[ranks.length];
        for (int i = 0; i < draws; i++)
        {
            final long r = sampler.recipient(i);
            for (int k = 0; k < ranks.length; k++)
            {
                below[k] += r < ranks[k] ? 1 : 0;
            }
        }
        for (int k = 0; k < ranks.length; k++)
        {
            assertEquals(powerLawBelow(s, accounts, ranks[k]), below[k] / (double)draws, 0.005,
                "zipf " + s + " over " + accounts + " accounts, share below rank " + ranks[k]);
        }
    }

    /** The power law's share of draws below rank {@code k}: its distribution function at {@code k + 1}. */
    private static double powerLawBelow(final double s, final long accounts, final long k)
    {
        if (1.0 == s)
        {
            return Math.log(k + 1.0) / Math.log(accounts + 1.0);
        }
        return (Math.pow(k + 1.0, 1 - s) - 1) / (Math.pow(accounts + 1.0, 1 - s) - 1);
    }
}
