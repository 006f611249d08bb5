package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * floor(a * b / c), ceil(a * b / c) and the ppm share against BigInteger, over operands of every size the awards,
 * pools and slashes use, and the refusals: negative operands, a zero divisor, a quotient past 2^63 - 1.
 */
class MulDivTest
{
    private static long operand(final Random r)
    {
        // Magnitudes from a few bits to 63, so that products fall on both sides of 2^63 and 2^64.
        final int bits = 1 + r.nextInt(63);
        return r.nextLong() >>> (64 - bits);
    }

    @Test
    void shouldMatchBigIntegerExactly()
    {
        final Random r = new Random(5);
        int checked = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final long a = operand(r);
            final long b = operand(r);
            final long c = Math.max(1, operand(r));
            final BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            final BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(c));
            final BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
            if (ceil.bitLength() > 63)
            {
                continue;
            }
            assertEquals(qr[0].longValueExact(), MulDiv.floor(a, b, c), a + " * " + b + " / " + c);
            assertEquals(ceil.longValueExact(), MulDiv.ceil(a, b, c), a + " * " + b + " / " + c);
            checked++;
        }
        assertTrue(checked > 5_000, "checked " + checked);
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

    @Test
    void shouldHandleZeroAndTheEdgesOfTheFastPath()
    {
        assertEquals(0, MulDiv.floor(0, 5, 3));
        assertEquals(0, MulDiv.floor(5, 0, 3));
        assertEquals(0, MulDiv.ceil(0, Long.MAX_VALUE, 7));
        // a * b = 2^63: one past the fast path, the quotient fits.
        assertEquals(1L << 62, MulDiv.floor(1L << 31, 1L << 32, 2));
        assertEquals(Long.MAX_VALUE, MulDiv.floor(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, MulDiv.floor(Long.MAX_VALUE, 2, 2));
    }

    @Test
    void shouldRefuseWhatItCannotComputeExactly()
    {
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(-1, 1, 1));
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(1, -1, 1));
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(1, 1, 0));
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(1, 1, -1));
        // Quotient 2^63: the high word (1) is below the divisor (2), but the result does not fit a long.
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(1L << 62, 4, 2));
        // Quotient 2^64: the high word equals the divisor.
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(1L << 62, 16, 4));
        assertThrows(ArithmeticException.class, () -> MulDiv.floor(Long.MAX_VALUE, Long.MAX_VALUE, 1));
    }

    @Test
    void shouldReturnMinusOneForAQuotientPastALongAndThrowOnlyForBadOperands()
    {
        assertEquals(-1, MulDiv.floorOrMinusOne(1L << 62, 4, 2));
        assertEquals(-1, MulDiv.floorOrMinusOne(1L << 62, 16, 4));
        assertEquals(-1, MulDiv.floorOrMinusOne(Long.MAX_VALUE, Long.MAX_VALUE, 1));
        assertEquals(-1, MulDiv.floorOrMinusOne(Long.MAX_VALUE, 2, 1));
        assertEquals(Long.MAX_VALUE, MulDiv.floorOrMinusOne(Long.MAX_VALUE, 2, 2));
        assertEquals(Long.MAX_VALUE - 1, MulDiv.floorOrMinusOne((1L << 62) - 1, 2, 1));
        assertEquals(3, MulDiv.floorOrMinusOne(7, 1, 2));
        assertThrows(ArithmeticException.class, () -> MulDiv.floorOrMinusOne(-1, 1, 1));
        assertThrows(ArithmeticException.class, () -> MulDiv.floorOrMinusOne(1, 1, 0));
    }

    @Test
    void shouldMatchBigIntegerOrSayMinusOneOnEveryQuotient()
    {
        // floorOrMinusOne against BigInteger on both sides of 2^63, and floor throwing exactly where it says -1: random
        // operands, then every triple of edge operands (0, 1, 2, 2^31, 2^32, 2^62, 2^63 - 1 and their neighbours),
        // which hit the fast path's edge (a product of 2^63 .. 2^64 - 1: high word 0, low word negative), a high word
        // just below the divisor, c = 1, a or b = 0 and quotients of exactly 2^63 - 1 and 2^63.
        final Random r = new Random(17);
        final long[] edges = {0, 1, 2, 3, (1L << 31) - 1, 1L << 31, (1L << 32) - 1, 1L << 32, (1L << 32) + 1,
            (1L << 62) - 1, 1L << 62, (1L << 62) + 1, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        int fits = 0;
        int past = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final long a = operand(r);
            final long b = operand(r);
            final long c = Math.max(1, operand(r));
            final boolean fit = checkFloorOrMinusOne(a, b, c);
            fits += fit ? 1 : 0;
            past += fit ? 0 : 1;
        }
        for (final long a : edges)
        {
            for (final long b : edges)
            {
                for (final long c : edges)
                {
                    if (c > 0)
                    {
                        checkFloorOrMinusOne(a, b, c);
                    }
                }
            }
        }
        assertTrue(fits > 2_000 && past > 2_000, "fits " + fits + ", past " + past);
        // The edges named: a product in 2^63 .. 2^64 - 1 (high word 0) over 1 and over 2; the quotient 2^63 - 1
        // exactly with a high word of 0 and of 1; the high word one below the divisor (quotient past 2^63).
        assertEquals(-1, MulDiv.floorOrMinusOne(1L << 32, 1L << 31, 1));
        assertEquals(1L << 62, MulDiv.floorOrMinusOne(1L << 32, 1L << 31, 2));
        assertEquals(Long.MAX_VALUE, MulDiv.floorOrMinusOne(Long.MAX_VALUE, 1, 1));
        assertEquals(Long.MAX_VALUE, MulDiv.floorOrMinusOne(Long.MAX_VALUE, 3, 3));
        assertEquals(-1, MulDiv.floorOrMinusOne(1L << 62, 1L << 62, (1L << 60) + 1));
        assertEquals(0, MulDiv.floorOrMinusOne(0, Long.MAX_VALUE, 1));
    }

    /** @return whether floor(a * b / c) fits a long, after checking floorOrMinusOne, floor and ceil against it. */
    private static boolean checkFloorOrMinusOne(final long a, final long b, final long c)
    {
        final BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        final BigInteger q = product.divide(BigInteger.valueOf(c));
        final String what = a + " * " + b + " / " + c;
        if (q.bitLength() > 63)
        {
            assertEquals(-1, MulDiv.floorOrMinusOne(a, b, c), what);
            assertThrows(ArithmeticException.class, () -> MulDiv.floor(a, b, c), what);
            return false;
        }
        assertEquals(q.longValueExact(), MulDiv.floorOrMinusOne(a, b, c), what);
        assertEquals(q.longValueExact(), MulDiv.floor(a, b, c), what);
        final boolean exact = q.multiply(BigInteger.valueOf(c)).equals(product);
        if (exact || q.longValueExact() < Long.MAX_VALUE)
        {
            assertEquals(exact ? q.longValueExact() : q.longValueExact() + 1, MulDiv.ceil(a, b, c), what);
        }
        else
        {
            assertThrows(ArithmeticException.class, () -> MulDiv.ceil(a, b, c), what);
        }
        return true;
    }

    @Test
    void shouldSayAPoolCanBuyExactlyWhenBuyingDoesNotOverflow()
    {
        // canBuy is what DELEGATE, UPDATE_CANDIDACY, SET_COMP_RATE and the award check before buying: it must agree
        // with buy itself (a check that passes where buy throws halts the chain; one that refuses where buy works
        // rejects a valid stake), over pools of every price, slashed far (10^-12 µCMT a share) or not at all.
        final Random r = new Random(23);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final StakePool pool = new StakePool(null, 0);
            pool.totalShares = r.nextInt(10) == 0 ? 0 : Math.max(1, operand(r));
            // A pool with shares has a value (slashing never takes it all); one without may have one (a legacy
            // remainder no one holds) or not.
            pool.valueMicroCmt = pool.totalShares == 0 && r.nextBoolean() ? 0 : Math.max(1, operand(r));
            final long room = Long.MAX_VALUE - pool.valueMicroCmt;
            final long amount = r.nextInt(4) == 0 ? room - r.nextInt(3) + 1 : operand(r);
            if (amount < 0)
            {
                continue;
            }
            final long value = pool.valueMicroCmt;
            final long shares = pool.totalShares;
            final boolean can = pool.canBuy(amount);
            final String what = amount + " into " + value + " µCMT for " + shares + " shares";
            if (can)
            {
                final BigInteger minted = shares == 0 ? BigInteger.valueOf(amount) : BigInteger.valueOf(amount)
                    .multiply(BigInteger.valueOf(shares)).divide(BigInteger.valueOf(value));
                assertEquals(minted.longValueExact(), pool.buy(amount), what);
                assertEquals(value + amount, pool.valueMicroCmt, what);
                assertEquals(shares + minted.longValueExact(), pool.totalShares, what);
            }
            else
            {
                refused++;
                assertThrows(ArithmeticException.class, () -> pool.buy(amount), what);
            }
        }
        assertTrue(refused > 1_000, "refused " + refused);
        // At the bounds exactly: a pool of 1 µCMT for 1 share takes 2^63 - 2 (value and shares reach 2^63 - 1), and
        // not one more; with 2 shares it cannot take it.
        final StakePool one = new StakePool(null, 0);
        one.valueMicroCmt = 1;
        one.totalShares = 1;
        assertFalse(one.canBuy(Long.MAX_VALUE));
        assertTrue(one.canBuy(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE - 1, one.buy(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, one.totalShares);
        final StakePool two = new StakePool(null, 0);
        two.valueMicroCmt = 1;
        two.totalShares = 2;
        assertFalse(two.canBuy(Long.MAX_VALUE - 1));
        assertTrue(two.canBuy((Long.MAX_VALUE - 2) / 2));
    }

    @Test
    void shouldTellWhetherAPoolCanTakeAnAmountWithoutOverflow()
    {
        // A share worth 10^-6 µCMT (10^12 shares for 10^6 µCMT): an amount buys 10^6 shares a µCMT.
        final StakePool pool = new StakePool(null, 0);
        assertTrue(pool.canBuy(Long.MAX_VALUE));
        pool.buy(1_000_000);
        pool.totalShares = 1_000_000_000_000L;
        final long room = Long.MAX_VALUE - pool.totalShares;
        assertTrue(pool.canBuy(room / 1_000_000));
        assertFalse(pool.canBuy(room / 1_000_000 + 1));
        assertTrue(pool.canBuy(0));
        // A pool at 1:1 cannot take what would pass a long in value.
        final StakePool full = new StakePool(null, 0);
        full.buy(Long.MAX_VALUE - 5);
        assertTrue(full.canBuy(5));
        assertFalse(full.canBuy(6));
    }

    @Test
    void shouldTakeAPpmShareWithoutOverflow()
    {
        final Random r = new Random(9);
        for (int i = 0; i < 20_000; i++)
        {
            final long amount = operand(r);
            final long ppm = r.nextInt(1_000_001);
            final long expected = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(ppm))
                .divide(BigInteger.valueOf(1_000_000)).longValueExact();
            assertEquals(expected, MulDiv.ppm(amount, ppm), amount + " at " + ppm + " ppm");
        }
        assertEquals(Long.MAX_VALUE, MulDiv.ppm(Long.MAX_VALUE, 1_000_000));
    }
}
