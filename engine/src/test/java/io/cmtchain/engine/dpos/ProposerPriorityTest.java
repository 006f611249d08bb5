package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void shouldMulDivExactlyPastSixtyFourBits()
    {
        assertEquals(3, MulDiv.floor(7, 3, 7));
        assertEquals(Long.MAX_VALUE / 3, MulDiv.floor(Long.MAX_VALUE, Long.MAX_VALUE / 3, Long.MAX_VALUE));
        assertEquals(4_611_686_018_427_387_904L, MulDiv.floor(1L << 62, 1L << 62, 1L << 62));
        assertEquals((1L << 40) * 3 + 1, MulDiv.floor((1L << 40) * 3 + 1, 1L << 40, 1L << 40));
        assertEquals(2, MulDiv.ceil(3, 3, 5));
        assertEquals(1, MulDiv.ceil(5, 1, 5));
        assertEquals(1_500_000_000_000_001L, MulDiv.ceil(3_000_000_000_000_001L, 1L << 61, 1L << 62));
        assertEquals(25_367_833, MulDiv.ppm(1_000_000_000_000_000L, 80_000) / 3_153_600);
    }
}
