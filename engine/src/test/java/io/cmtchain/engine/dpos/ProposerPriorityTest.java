package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProposerPriorityTest
{
    private static byte[][] addresses(final int n)
    {
        final byte[][] a = new byte[n][20];
        for (int i = 0; i < n; i++)
        {
            a[i][19] = (byte)(i + 1);
        }
        return a;
    }

    @Test
    void shouldRotateEqualPowersInAddressOrder()
    {
        final ProposerPriority p = new ProposerPriority();
        p.update(addresses(3), new long[]{10, 10, 10}, 3);
        // All start equal: the lowest address first, then the others as their priorities catch up.
        assertEquals(0, p.advance());
        assertEquals(1, p.advance());
        assertEquals(2, p.advance());
        assertEquals(0, p.advance());
    }

    @Test
    void shouldStartANewcomerBehindEvenWhenItsStartPassesTheLongRange()
    {
        // A third validator joins a set whose powers then add up to just below 2^63: its start -(total + total / 8)
        // passes the long range. Saturated, it starts at the bottom, so it does not propose at once and then
        // proposes in proportion to its power; wrapped, it would start near the top and propose first.
        final long big = Long.MAX_VALUE / 2;
        final byte[][] set = addresses(3);
        final ProposerPriority p = new ProposerPriority();
        p.update(set, new long[]{big, big / 2}, 2);
        for (int i = 0; i < 5; i++)
        {
            p.advance();
        }
        final long[] powers = {big, big / 2, big / 2};
        p.update(set, powers, 3);
        final int[] counts = new int[3];
        for (int i = 0; i < 400; i++)
        {
            final int chosen = p.advance();
            if (i == 0)
            {
                assertTrue(chosen != 2, "the newcomer proposed at once");
            }
            counts[chosen]++;
        }
        assertTrue(Math.abs(counts[0] - 200) <= 2 && Math.abs(counts[1] - 100) <= 2 && Math.abs(counts[2] - 100) <= 2,
            Arrays.toString(counts) + " proposals of 400 for powers 2:1:1");
    }

    @Test
    void shouldRescaleWithoutOverflowWhenTheTotalPowerPassesTwoToThe61()
    {
        // Total powers of about 2^61.9 µCMT, which a genesis may hold (its supply may reach 2^62 - 1): the rounded-up
        // ratio (spread + window - 1) / window passed the long range and wrapped to 0, and the third update threw
        // '/ by zero', on every node at the same block end. Found by a random search over set changes.
        final ProposerPriority p = new ProposerPriority();
        final byte[][] set = addresses(5);
        p.update(set, new long[]{1_476_504_211_613_722_880L, 2_912_540_567_790_813_696L}, 2);
        for (int i = 0; i < 16; i++)
        {
            p.advance();
        }
        p.update(set, new long[]{
            1_221_183_248_636_179_456L, 1_415_229_146_713_481_984L, 1_258_554_383_452_414_464L,
            494_078_000_602_460_864L}, 4);
        final long[] powers = {
            1_443_766_853_976_308_480L, 310_437_654_176_036_928L, 247_747_747_278_356_000L,
            1_247_106_270_660_258_304L, 1_139_986_253_313_577_216L};
        p.update(set, powers, 5);

        final long total = Arrays.stream(powers).sum();
        BigInteger max = BigInteger.valueOf(Long.MIN_VALUE);
        BigInteger min = BigInteger.valueOf(Long.MAX_VALUE);
        for (int i = 0; i < powers.length; i++)
        {
            max = max.max(BigInteger.valueOf(p.priority(i)));
            min = min.min(BigInteger.valueOf(p.priority(i)));
        }
        assertTrue(max.subtract(min).compareTo(BigInteger.valueOf(total).shiftLeft(1)) <= 0,
            "spread " + max.subtract(min) + " over twice the total power " + total);
        final int[] counts = new int[powers.length];
        for (int i = 0; i < 1_000; i++)
        {
            counts[p.advance()]++;
        }
        for (int i = 0; i < powers.length; i++)
        {
            final double expected = 1_000.0 * powers[i] / total;
            assertTrue(Math.abs(counts[i] - expected) <= 3,
                Arrays.toString(counts) + " proposals of 1,000 for powers " + Arrays.toString(powers));
        }
    }

    @Test
    void shouldDivideBySpreadOverWindowExactlyWhenItIsAWholeNumber() throws IOException
    {
        // Powers 5 and 5 (window 20) at priorities 20 and -20: a spread of exactly twice the window divides by 2
        // (rounded up, a whole ratio stays as it is), to 10 and -10; then +5 each, and the proposer gives 10 back.
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        final byte[][] set = addresses(2);
        out.writeInt(2);
        out.write(set[0]);
        out.writeLong(5);
        out.writeLong(20);
        out.write(set[1]);
        out.writeLong(5);
        out.writeLong(-20);
        out.writeLong(10);
        out.writeInt(-1);
        out.writeLong(0);
        final ProposerPriority p = new ProposerPriority();
        p.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertEquals(0, p.advance());
        assertEquals(5, p.priority(0));
        assertEquals(-5, p.priority(1));
    }

    @Test
    void shouldProposeInProportionToPower()
    {
        final ProposerPriority p = new ProposerPriority();
        p.update(addresses(3), new long[]{5, 3, 2}, 3);
        final int[] counts = new int[3];
        for (int i = 0; i < 1000; i++)
        {
            counts[p.advance()]++;
        }
        assertEquals(500, counts[0]);
        assertEquals(300, counts[1]);
        assertEquals(200, counts[2]);
    }

    @Test
    void shouldWorkedExampleMatchByHand()
    {
        // Powers 3 and 1, total 4. Priorities start (0, 0).
        // h1: +power -> (3, 1): A proposes, A -= 4 -> (-1, 1).   h2: (2, 2) tie -> A (lower address), (-2, 2).
        // h3: (1, 3) -> B, B -= 4 -> (1, -1).                     h4: (4, 0) -> A, (0, 0).
        final ProposerPriority p = new ProposerPriority();
        p.update(addresses(2), new long[]{3, 1}, 2);
        assertEquals(0, p.advance());
        assertEquals(0, p.advance());
        assertEquals(1, p.advance());
        assertEquals(0, p.advance());
        assertEquals(0, p.priority(0));
        assertEquals(0, p.priority(1));
    }

    @Test
    void shouldLookAheadWithoutMoving()
    {
        final ProposerPriority p = new ProposerPriority();
        final Random r = new Random(3);
        final long[] powers = new long[7];
        for (int i = 0; i < 7; i++)
        {
            powers[i] = 1 + r.nextInt(1_000_000_000);
        }
        p.update(addresses(7), powers, 7);
        p.advance();
        final byte[] at20 = p.proposer(20);
        assertEquals(1, p.height());
        while (p.height() < 20)
        {
            p.advance();
        }
        assertArrayEquals(at20, p.proposer());
    }

    @Test
    void shouldLookAheadToNoProposerWithoutValidators()
    {
        final ProposerPriority p = new ProposerPriority();
        p.update(addresses(2), new long[]{10, 10}, 2);
        p.advance();
        p.update(addresses(0), new long[0], 0);
        assertEquals(-1, p.advance());
        assertNull(p.proposer());
        assertNull(p.proposer(p.height() + 3));
        assertFalse(p.isProposer(addresses(2)[0]));
    }

    @Test
    void shouldStartANewValidatorBehind()
    {
        final ProposerPriority p = new ProposerPriority();
        p.update(addresses(2), new long[]{10, 10}, 2);
        p.advance();
        p.update(addresses(3), new long[]{10, 10, 10}, 3);
        // The newcomer starts at -(30 + 30/8) = -33 before centring, well below the others.
        assertTrue(p.priority(2) < p.priority(0) && p.priority(2) < p.priority(1));
        assertTrue(p.advance() != 2);
    }

    @Test
    void shouldRefuseAValidatorWithoutPowerAndLookBackwards()
    {
        final ProposerPriority p = new ProposerPriority();
        assertThrows(IllegalArgumentException.class, () -> p.update(addresses(2), new long[]{10, 0}, 2));
        p.update(addresses(2), new long[]{10, 10}, 2);
        p.advance();
        p.advance();
        assertArrayEquals(p.proposer(), p.proposer(2));
        assertThrows(IllegalArgumentException.class, () -> p.proposer(1));
    }

    /**
     * The rotation as the class javadoc states it, step by step on plain numbers: set changes keep the priorities
     * of those who stay and start newcomers at -(total + total / 8); every update and every height rescales the
     * priorities to a spread of at most twice the total power (dividing, truncated, by the rounded-up ratio) and
     * centres them on the floor of their mean; a height adds each power, picks the highest (ties: the lower
     * address) and takes the total off it.
     */
    private static final class Model
    {
        final List<byte[]> addresses = new ArrayList<>();
        final List<Long> power = new ArrayList<>();
        final List<Long> priority = new ArrayList<>();
        long total;

        void update(final byte[][] newAddresses, final long[] newPowers, final int count)
        {
            total = 0;
            for (int i = 0; i < count; i++)
            {
                total += newPowers[i];
            }
            final List<Long> kept = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                long start = -(total + total / 8);
                for (int j = 0; j < addresses.size(); j++)
                {
                    if (Arrays.equals(addresses.get(j), newAddresses[i]))
                    {
                        start = priority.get(j);
                    }
                }
                kept.add(start);
            }
            addresses.clear();
            power.clear();
            priority.clear();
            for (int i = 0; i < count; i++)
            {
                addresses.add(newAddresses[i].clone());
                power.add(newPowers[i]);
                priority.add(kept.get(i));
            }
            if (count > 0)
            {
                rescaleAndCentre();
            }
        }

        int advance()
        {
            if (addresses.isEmpty())
            {
                return -1;
            }
            rescaleAndCentre();
            int best = 0;
            for (int i = 0; i < priority.size(); i++)
            {
                priority.set(i, priority.get(i) + power.get(i));
            }
            for (int i = 1; i < priority.size(); i++)
            {
                final int c = Long.compare(priority.get(i), priority.get(best));
                if (c > 0 || (c == 0 && Arrays.compareUnsigned(addresses.get(i), addresses.get(best)) < 0))
                {
                    best = i;
                }
            }
            priority.set(best, priority.get(best) - total);
            return best;
        }

        private void rescaleAndCentre()
        {
            final long max = Collections.max(priority);
            final long min = Collections.min(priority);
            final long window = 2 * total;
            if (max - min > window)
            {
                final long ratio = (max - min + window - 1) / window;
                priority.replaceAll(p -> p / ratio);
            }
            BigInteger sum = BigInteger.ZERO;
            for (final long p : priority)
            {
                sum = sum.add(BigInteger.valueOf(p));
            }
            final BigInteger n = BigInteger.valueOf(priority.size());
            final long mean = sum.subtract(sum.mod(n)).divide(n).longValueExact();
            priority.replaceAll(p -> p - mean);
        }
    }

    @Test
    void shouldFollowTheDocumentedRotationThroughSetChanges()
    {
        final Random r = new Random(21);
        final byte[][] pool = addresses(12);
        final ProposerPriority p = new ProposerPriority();
        final Model m = new Model();
        for (int step = 0; step < 3_000; step++)
        {
            if (step % 25 == 0)
            {
                // A new set: a random subset in a random order, powers of one magnitude each time, so a set of
                // large powers followed by one of small powers leaves a spread that must be rescaled.
                final int count = 1 + r.nextInt(8);
                final long magnitude = 1L << r.nextInt(40);
                final byte[][] set = new byte[count][];
                final long[] powers = new long[count];
                final List<byte[]> shuffled = new ArrayList<>(Arrays.asList(pool));
                Collections.shuffle(shuffled, r);
                for (int i = 0; i < count; i++)
                {
                    set[i] = shuffled.get(i);
                    powers[i] = 1 + (long)(r.nextDouble() * magnitude);
                }
                p.update(set, powers, count);
                m.update(set, powers, count);
            }
            final long ahead = p.height() + 1 + r.nextInt(5);
            final byte[] lookedAhead = p.proposer(ahead);
            final int chosen = p.advance();
            assertEquals(m.advance(), chosen, "step " + step);
            for (int i = 0; i < m.priority.size(); i++)
            {
                assertEquals(m.priority.get(i), p.priority(i), "step " + step + " priority " + i);
            }
            assertArrayEquals(m.addresses.get(chosen), p.proposer(), "step " + step);
            if (ahead == p.height())
            {
                assertArrayEquals(lookedAhead, p.proposer(), "look-ahead at step " + step);
            }
        }
    }
}
