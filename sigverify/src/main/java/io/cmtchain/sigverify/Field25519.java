package io.cmtchain.sigverify;

/**
 * Arithmetic in GF(2^255 - 19) on five 51-bit limbs held in a {@code long[5]}.
 * <p>
 * Limb bounds are the contract between these methods, so they are stated once here:
 * <ul>
 *     <li>"reduced": every limb below 2^51 + 2^15. {@link #mul}, {@link #sq}, {@link #sub}, {@link #carry}
 *     and {@link #fromWords} return reduced values.</li>
 *     <li>{@link #mul} and {@link #sq} accept limbs below 2^52.75, e.g. the sum of two reduced values, or a
 *     reduced value plus twice a reduced value. {@link #add} does not carry, so a caller may add at most that
 *     much before multiplying.</li>
 *     <li>{@link #sub} accepts a subtrahend with limbs at most 4p's (2^53 - 76 for limb 0, 2^53 - 4 above it; every
 *     caller passes a reduced one) and carries its result: limb 0 gets no carry in, so a larger limb 0 would go
 *     negative and its unsigned carry would be wrong.</li>
 * </ul>
 * A 102-bit limb product is split into its low 51 bits and its high part {@code p >>> 51}, both from the operands
 * pre-shifted by 13 bits in total, a·2^7 and b·2^6: {@code Math.multiplyHigh(a << 7, b << 6)} is the high part
 * exactly, with no 128-bit carry handling, and the wrapping product {@code (a << 7) * (b << 6)} holds the low 51 bits
 * in its top 51, taken with {@code >>> 13}.
 * The arithmetic (mul, sq, add, sub, neg, carry, freeze, fromWords) has no branch and no index that depends on a
 * value, which {@link Ed25519Signer} relies on for its secrets; {@link #isZero}, {@link #isNegative} and the
 * exponentiations' users branch on results, which verification may, as its data is public.
 */
final class Field25519
{
    static final long MASK51 = (1L << 51) - 1;

    /** 4p limb by limb, added before subtracting so limbs stay non-negative. */
    private static final long FOUR_P0 = 4 * ((1L << 51) - 19);
    private static final long FOUR_P = 4 * ((1L << 51) - 1);
    /** 128p limb by limb, which {@link #mul} adds to keep its signed column sums positive. */
    private static final long BIAS0 = 128 * ((1L << 51) - 19);
    private static final long BIAS = 128 * ((1L << 51) - 1);

    private Field25519()
    {
    }

    static long[] create()
    {
        return new long[5];
    }

    static void zero(final long[] r)
    {
        r[0] = 0;
        r[1] = 0;
        r[2] = 0;
        r[3] = 0;
        r[4] = 0;
    }

    static void one(final long[] r)
    {
        r[0] = 1;
        r[1] = 0;
        r[2] = 0;
        r[3] = 0;
        r[4] = 0;
    }

    static void copy(final long[] r, final long[] a)
    {
        r[0] = a[0];
        r[1] = a[1];
        r[2] = a[2];
        r[3] = a[3];
        r[4] = a[4];
    }

    /**
     * Load 255 bits from four little-endian words, ignoring bit 255. Values in [p, 2^255) are kept as they are,
     * which is how ZIP-215 accepts non-canonical y coordinates: they simply reduce mod p.
     */
    static void fromWords(final long[] r, final long w0, final long w1, final long w2, final long w3)
    {
        r[0] = w0 & MASK51;
        r[1] = ((w0 >>> 51) | (w1 << 13)) & MASK51;
        r[2] = ((w1 >>> 38) | (w2 << 26)) & MASK51;
        r[3] = ((w2 >>> 25) | (w3 << 39)) & MASK51;
        r[4] = (w3 >>> 12) & MASK51;
    }

    static void add(final long[] r, final long[] a, final long[] b)
    {
        r[0] = a[0] + b[0];
        r[1] = a[1] + b[1];
        r[2] = a[2] + b[2];
        r[3] = a[3] + b[3];
        r[4] = a[4] + b[4];
    }

    static void sub(final long[] r, final long[] a, final long[] b)
    {
        long r0 = a[0] + FOUR_P0 - b[0];
        long r1 = a[1] + FOUR_P - b[1];
        long r2 = a[2] + FOUR_P - b[2];
        long r3 = a[3] + FOUR_P - b[3];
        long r4 = a[4] + FOUR_P - b[4];

        r1 += r0 >>> 51;
        r0 &= MASK51;
        r2 += r1 >>> 51;
        r1 &= MASK51;
        r3 += r2 >>> 51;
        r2 &= MASK51;
        r4 += r3 >>> 51;
        r3 &= MASK51;
        r0 += 19 * (r4 >>> 51);
        r4 &= MASK51;

        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    static void neg(final long[] r, final long[] a)
    {
        long r0 = FOUR_P0 - a[0];
        long r1 = FOUR_P - a[1];
        long r2 = FOUR_P - a[2];
        long r3 = FOUR_P - a[3];
        long r4 = FOUR_P - a[4];

        r1 += r0 >>> 51;
        r0 &= MASK51;
        r2 += r1 >>> 51;
        r1 &= MASK51;
        r3 += r2 >>> 51;
        r2 &= MASK51;
        r4 += r3 >>> 51;
        r3 &= MASK51;
        r0 += 19 * (r4 >>> 51);
        r4 &= MASK51;

        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    static void carry(final long[] r)
    {
        long r0 = r[0];
        long r1 = r[1];
        long r2 = r[2];
        long r3 = r[3];
        long r4 = r[4];

        r1 += r0 >>> 51;
        r0 &= MASK51;
        r2 += r1 >>> 51;
        r1 &= MASK51;
        r3 += r2 >>> 51;
        r2 &= MASK51;
        r4 += r3 >>> 51;
        r3 &= MASK51;
        r0 += 19 * (r4 >>> 51);
        r4 &= MASK51;

        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    static void mul(final long[] r, final long[] a, final long[] b)
    {
        // Karatsuba on the limb pairs: a_i·b_j + a_j·b_i = (a_i + a_j)(b_i + b_j) - a_i·b_i - a_j·b_j, so 15 limb
        // products instead of 25, each split into its high part and low 51 bits from the same pre-shifted operands
        // (see the class comment; the sums of two pre-shifted limbs stay below 2^60.75 and 2^59.75). A column is then
        // hi·2^51 + lo with lo possibly negative (down to -2^53), so each limb gets 128p (below 2^58 a limb) to stay
        // positive for the unsigned carries of finish; the largest limb stays below 2^61.3.
        final long s0 = a[0] << 7;
        final long s1 = a[1] << 7;
        final long s2 = a[2] << 7;
        final long s3 = a[3] << 7;
        final long s4 = a[4] << 7;
        final long t0 = b[0] << 6;
        final long t1 = b[1] << 6;
        final long t2 = b[2] << 6;
        final long t3 = b[3] << 6;
        final long t4 = b[4] << 6;

        final long dh0 = Math.multiplyHigh(s0, t0);
        final long dl0 = low(s0, t0);
        final long dh1 = Math.multiplyHigh(s1, t1);
        final long dl1 = low(s1, t1);
        final long dh2 = Math.multiplyHigh(s2, t2);
        final long dl2 = low(s2, t2);
        final long dh3 = Math.multiplyHigh(s3, t3);
        final long dl3 = low(s3, t3);
        final long dh4 = Math.multiplyHigh(s4, t4);
        final long dl4 = low(s4, t4);

        // Columns 1 to 7 of the nine-column product (column 0 is d0, column 8 is d4).
        long x = s0 + s1;
        long y = t0 + t1;
        final long h1 = Math.multiplyHigh(x, y) - dh0 - dh1;
        final long l1 = low(x, y) - dl0 - dl1;
        x = s0 + s2;
        y = t0 + t2;
        final long h2 = Math.multiplyHigh(x, y) - dh0 - dh2 + dh1;
        final long l2 = low(x, y) - dl0 - dl2 + dl1;
        x = s0 + s3;
        y = t0 + t3;
        long x2 = s1 + s2;
        long y2 = t1 + t2;
        final long h3 = Math.multiplyHigh(x, y) + Math.multiplyHigh(x2, y2) - dh0 - dh1 - dh2 - dh3;
        final long l3 = low(x, y) + low(x2, y2) - dl0 - dl1 - dl2 - dl3;
        x = s0 + s4;
        y = t0 + t4;
        x2 = s1 + s3;
        y2 = t1 + t3;
        final long h4 = Math.multiplyHigh(x, y) + Math.multiplyHigh(x2, y2) - dh0 - dh1 - dh3 - dh4 + dh2;
        final long l4 = low(x, y) + low(x2, y2) - dl0 - dl1 - dl3 - dl4 + dl2;
        x = s1 + s4;
        y = t1 + t4;
        x2 = s2 + s3;
        y2 = t2 + t3;
        final long h5 = Math.multiplyHigh(x, y) + Math.multiplyHigh(x2, y2) - dh1 - dh2 - dh3 - dh4;
        final long l5 = low(x, y) + low(x2, y2) - dl1 - dl2 - dl3 - dl4;
        x = s2 + s4;
        y = t2 + t4;
        final long h6 = Math.multiplyHigh(x, y) - dh2 - dh4 + dh3;
        final long l6 = low(x, y) - dl2 - dl4 + dl3;
        x = s3 + s4;
        y = t3 + t4;
        final long h7 = Math.multiplyHigh(x, y) - dh3 - dh4;
        final long l7 = low(x, y) - dl3 - dl4;

        // 2^255 = 19 mod p: columns 5 to 8 wrap round times 19; each column's high part goes to the next limb.
        finish(r, BIAS0 + dl0 + 19 * (l5 + h4), BIAS + l1 + dh0 + 19 * (l6 + h5), BIAS + l2 + h1 + 19 * (l7 + h6),
            BIAS + l3 + h2 + 19 * (dl4 + h7), BIAS + l4 + h3 + 19 * dh4);
    }

    static void sq(final long[] r, final long[] a)
    {
        final long a3 = a[3];
        final long a4 = a[4];

        final long sa0 = a[0] << 7;
        final long sa1 = a[1] << 7;
        final long sa2 = a[2] << 7;
        final long sa3 = a3 << 7;
        final long sa4 = a4 << 7;
        final long sd0 = sa0 << 1;
        final long sd1 = sa1 << 1;
        final long sd2 = sa2 << 1;
        final long sd3 = sa3 << 1;
        final long ta0 = a[0] << 6;
        final long ta1 = a[1] << 6;
        final long ta2 = a[2] << 6;
        final long ta3 = a3 << 6;
        final long ta4 = a4 << 6;
        final long te3 = (a3 * 19) << 6;
        final long te4 = (a4 * 19) << 6;

        final long lo0 = low(sa0, ta0) + low(sd1, te4) + low(sd2, te3);
        final long hi0 = Math.multiplyHigh(sa0, ta0) + Math.multiplyHigh(sd1, te4) + Math.multiplyHigh(sd2, te3);

        final long lo1 = low(sd0, ta1) + low(sd2, te4) + low(sa3, te3);
        final long hi1 = Math.multiplyHigh(sd0, ta1) + Math.multiplyHigh(sd2, te4) + Math.multiplyHigh(sa3, te3);

        final long lo2 = low(sd0, ta2) + low(sa1, ta1) + low(sd3, te4);
        final long hi2 = Math.multiplyHigh(sd0, ta2) + Math.multiplyHigh(sa1, ta1) + Math.multiplyHigh(sd3, te4);

        final long lo3 = low(sd0, ta3) + low(sd1, ta2) + low(sa4, te4);
        final long hi3 = Math.multiplyHigh(sd0, ta3) + Math.multiplyHigh(sd1, ta2) + Math.multiplyHigh(sa4, te4);

        final long lo4 = low(sd0, ta4) + low(sd1, ta3) + low(sa2, ta2);
        final long hi4 = Math.multiplyHigh(sd0, ta4) + Math.multiplyHigh(sd1, ta3) + Math.multiplyHigh(sa2, ta2);

        finish(r, lo0 + 19 * hi4, lo1 + hi0, lo2 + hi1, lo3 + hi2, lo4 + hi3);
    }

    /**
     * The low 51 bits of a limb product from its pre-shifted operands: s·t = a·b·2^13, so the low 64-bit word of
     * s·t holds a·b mod 2^51 in its top 51 bits.
     */
    private static long low(final long s, final long t)
    {
        return (s * t) >>> 13;
    }

    /**
     * Square n times.
     */
    static void sqn(final long[] r, final long[] a, final int n)
    {
        sq(r, a);
        for (int i = 1; i < n; i++)
        {
            sq(r, r);
        }
    }

    /**
     * Carry limbs of up to 2^62.5 down to reduced form. Two chains run side by side (0 to 1 to 2 to 3, and
     * 3 to 4 to 0 to 1) so the critical path is three carry steps rather than six: exponentiations in point
     * decoding are chains of dependent squarings, bound by this latency.
     */
    private static void finish(final long[] r, long r0, long r1, long r2, long r3, long r4)
    {
        final long c0 = r0 >>> 51;
        final long c3 = r3 >>> 51;
        r0 &= MASK51;
        r3 &= MASK51;
        r1 += c0;
        r4 += c3;

        final long c1 = r1 >>> 51;
        final long c4 = r4 >>> 51;
        r1 &= MASK51;
        r4 &= MASK51;
        r2 += c1;
        r0 += 19 * c4;

        final long c2 = r2 >>> 51;
        final long c5 = r0 >>> 51;
        r2 &= MASK51;
        r0 &= MASK51;
        r3 += c2;
        r1 += c5;

        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    /**
     * Fully reduce into [0, p) in place.
     */
    static void freeze(final long[] r)
    {
        carry(r);
        carry(r);
        long r0 = r[0];
        long r1 = r[1];
        long r2 = r[2];
        long r3 = r[3];
        long r4 = r[4];

        // Limbs are now below 2^51 so the value is below 2^255; q = 1 exactly when value >= p.
        long q = (r0 + 19) >>> 51;
        q = (r1 + q) >>> 51;
        q = (r2 + q) >>> 51;
        q = (r3 + q) >>> 51;
        q = (r4 + q) >>> 51;

        r0 += 19 * q;
        r1 += r0 >>> 51;
        r0 &= MASK51;
        r2 += r1 >>> 51;
        r1 &= MASK51;
        r3 += r2 >>> 51;
        r2 &= MASK51;
        r4 += r3 >>> 51;
        r3 &= MASK51;
        r4 &= MASK51;

        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    /**
     * @param scratch overwritten.
     */
    static boolean isZero(final long[] a, final long[] scratch)
    {
        copy(scratch, a);
        freeze(scratch);
        return (scratch[0] | scratch[1] | scratch[2] | scratch[3] | scratch[4]) == 0;
    }

    /**
     * @param scratch overwritten.
     */
    static boolean isNegative(final long[] a, final long[] scratch)
    {
        copy(scratch, a);
        freeze(scratch);
        return (scratch[0] & 1) != 0;
    }

    /**
     * Canonical little-endian word {@code i} (0..3) of a frozen value.
     */
    static long word(final long[] frozen, final int i)
    {
        switch (i)
        {
            case 0:
                return frozen[0] | (frozen[1] << 51);
            case 1:
                return (frozen[1] >>> 13) | (frozen[2] << 38);
            case 2:
                return (frozen[2] >>> 26) | (frozen[3] << 25);
            default:
                return (frozen[3] >>> 39) | (frozen[4] << 12);
        }
    }

    /**
     * r = a^(2^250 - 1), with t0 and t1 as scratch; returns a^11 in {@code a11} and a^(2^50 - 1) along the way.
     */
    private static void pow2250m1(
        final long[] r, final long[] a, final long[] a11, final long[] t0, final long[] t1, final long[] t2)
    {
        sq(t0, a);                // a^2
        sqn(t1, t0, 2);           // a^8
        mul(t1, t1, a);           // a^9
        mul(a11, t1, t0);         // a^11
        sq(t0, a11);              // a^22
        mul(t0, t0, t1);          // a^31 = a^(2^5 - 1)
        sqn(t1, t0, 5);
        mul(t0, t1, t0);          // 2^10 - 1
        sqn(t1, t0, 10);
        mul(t1, t1, t0);          // 2^20 - 1
        sqn(t2, t1, 20);
        mul(t1, t2, t1);          // 2^40 - 1
        sqn(t1, t1, 10);
        mul(t0, t1, t0);          // 2^50 - 1
        sqn(t1, t0, 50);
        mul(t1, t1, t0);          // 2^100 - 1
        sqn(t2, t1, 100);
        mul(t1, t2, t1);          // 2^200 - 1
        sqn(t1, t1, 50);
        mul(r, t1, t0);           // 2^250 - 1
    }

    /**
     * r = a^((p - 5) / 8) = a^(2^252 - 3), the exponent of the square-root-of-a-ratio trick.
     */
    static void pow22523(final long[] r, final long[] a, final long[] t0, final long[] t1, final long[] t2,
        final long[] t3)
    {
        pow2250m1(t3, a, t0, t1, t2, r);
        sqn(t3, t3, 2);
        mul(r, t3, a);
    }

    /**
     * Two independent {@link #pow22523} computations, step by step side by side: each is a chain of ~250
     * dependent squarings bound by latency, so interleaving lets the CPU overlap them (decoding A and R of a
     * signature together). Outputs must not alias inputs or scratch; {@code t} and {@code u} hold four scratch
     * elements each.
     */
    static void pow22523x2(
        final long[] r, final long[] a, final long[][] t, final long[] q, final long[] b, final long[][] u)
    {
        final long[] t0 = t[0];
        final long[] t1 = t[1];
        final long[] t2 = t[2];
        final long[] t3 = t[3];
        final long[] u0 = u[0];
        final long[] u1 = u[1];
        final long[] u2 = u[2];
        final long[] u3 = u[3];

        sq(t0, a);
        sq(u0, b);
        sqn2(t1, t0, u1, u0, 2);
        mul(t1, t1, a);
        mul(u1, u1, b);
        mul(t3, t1, t0);          // a^11 (kept in t3 until reused)
        mul(u3, u1, u0);
        sq(t0, t3);
        sq(u0, u3);
        mul(t0, t0, t1);          // 2^5 - 1
        mul(u0, u0, u1);
        sqn2(t1, t0, u1, u0, 5);
        mul(t0, t1, t0);          // 2^10 - 1
        mul(u0, u1, u0);
        sqn2(t1, t0, u1, u0, 10);
        mul(t1, t1, t0);          // 2^20 - 1
        mul(u1, u1, u0);
        sqn2(t2, t1, u2, u1, 20);
        mul(t1, t2, t1);          // 2^40 - 1
        mul(u1, u2, u1);
        sqn2(t1, t1, u1, u1, 10);
        mul(t0, t1, t0);          // 2^50 - 1
        mul(u0, u1, u0);
        sqn2(t1, t0, u1, u0, 50);
        mul(t1, t1, t0);          // 2^100 - 1
        mul(u1, u1, u0);
        sqn2(t2, t1, u2, u1, 100);
        mul(t1, t2, t1);          // 2^200 - 1
        mul(u1, u2, u1);
        sqn2(t1, t1, u1, u1, 50);
        mul(t3, t1, t0);          // 2^250 - 1
        mul(u3, u1, u0);
        sqn2(t3, t3, u3, u3, 2);  // 2^252 - 4
        mul(r, t3, a);
        mul(q, u3, b);
    }

    private static void sqn2(final long[] r, final long[] a, final long[] q, final long[] b, final int n)
    {
        sq(r, a);
        sq(q, b);
        for (int i = 1; i < n; i++)
        {
            sq(r, r);
            sq(q, q);
        }
    }

    /**
     * r = a^(p - 2) = 1/a (0 for 0).
     */
    static void invert(final long[] r, final long[] a, final long[] t0, final long[] t1, final long[] t2,
        final long[] t3)
    {
        pow2250m1(t3, a, t0, t1, t2, r);
        sqn(t3, t3, 5);
        mul(r, t3, t0);           // 2^255 - 32 + 11 = p - 2
    }
}
