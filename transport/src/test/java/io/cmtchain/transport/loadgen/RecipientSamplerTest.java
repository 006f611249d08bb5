package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;

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
    void shouldRejectBadParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecipientSampler(1, 0, 1.5, 1));
    }
}
