package io.cmtchain.engine.dpos;

/**
 * Exact {@code floor(a * b / c)} and {@code ceil(a * b / c)} for non-negative longs through a 128-bit product,
 * without BigInteger: stake values (up to 2^62 µCMT) times share counts overflow a long.
 */
final class MulDiv
{
    private MulDiv()
    {
    }

    /**
     * @param a >= 0.
     * @param b >= 0.
     * @param c > 0.
     * @return floor(a * b / c).
     * @throws ArithmeticException if the quotient does not fit in a long.
     */
    static long floor(final long a, final long b, final long c)
    {
        final long q = floorOrMinusOne(a, b, c);
        if (q < 0)
        {
            throw new ArithmeticException("mulDiv quotient overflows: " + a + " * " + b + " / " + c);
        }
        return q;
    }

    /**
     * {@link #floor} for callers that turn a quotient too large for a long into a rejection rather than an exception.
     *
     * @param a >= 0.
     * @param b >= 0.
     * @param c > 0.
     * @return floor(a * b / c), or -1 if it does not fit in a long.
     * @throws ArithmeticException for operands out of their ranges.
     */
    static long floorOrMinusOne(final long a, final long b, final long c)
    {
        if (a < 0 || b < 0 || c <= 0)
        {
            throw new ArithmeticException("mulDiv needs a, b >= 0 and c > 0: " + a + ", " + b + ", " + c);
        }
        final long hi = Math.multiplyHigh(a, b);
        final long lo = a * b;
        if (hi == 0 && lo >= 0)
        {
            return lo / c;
        }
        if (Long.compareUnsigned(hi, c) >= 0 || hi < 0)
        {
            return -1;
        }
        // Restoring division of the 128-bit (hi, lo) by c, one bit at a time; hi < c so the quotient fits 64 bits.
        long rem = hi;
        long q = 0;
        for (int i = 63; i >= 0; i--)
        {
            final boolean carry = rem < 0;
            rem = (rem << 1) | ((lo >>> i) & 1L);
            q <<= 1;
            if (carry || Long.compareUnsigned(rem, c) >= 0)
            {
                rem -= c;
                q |= 1L;
            }
        }
        return q < 0 ? -1 : q;
    }

    /**
     * @param a >= 0.
     * @param b >= 0.
     * @param c > 0.
     * @return ceil(a * b / c).
     */
    static long ceil(final long a, final long b, final long c)
    {
        final long q = floor(a, b, c);
        // a*b mod c != 0 exactly when q*c != a*b (mod 2^64 suffices: the two differ by less than c < 2^63).
        return q * c == a * b ? q : Math.addExact(q, 1);
    }

    /**
     * @param amount  >= 0.
     * @param ppm     0..1,000,000.
     * @return floor(amount * ppm / 10^6), without overflow.
     */
    static long ppm(final long amount, final long ppm)
    {
        return (amount / 1_000_000L) * ppm + (amount % 1_000_000L) * ppm / 1_000_000L;
    }
}
