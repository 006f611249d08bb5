package io.cmtchain.sigverify;

/**
 * Group operations on edwards25519 (a = -1) with the extended-coordinate formulas of Hisil, Wong, Carter and
 * Dawson, plus ZIP-215 point decoding. One instance per thread: it owns the scratch field elements.
 * Output points may alias input points since every output is written after all inputs are read.
 */
final class Curve25519
{
    /** d = -121665/121666. */
    static final long[] D = new long[5];
    /** 2d, pre-multiplied into cached points. */
    static final long[] D2 = new long[5];
    /** sqrt(-1) = 2^((p-1)/4). */
    static final long[] SQRT_M1 = new long[5];

    static
    {
        final long[] t0 = new long[5];
        final long[] t1 = new long[5];
        final long[] t2 = new long[5];
        final long[] t3 = new long[5];
        final long[] n = new long[5];
        final long[] inv = new long[5];
        n[0] = 121666;
        Field25519.invert(inv, n, t0, t1, t2, t3);
        n[0] = 121665;
        Field25519.mul(D, inv, n);
        Field25519.neg(D, D);
        Field25519.add(D2, D, D);
        Field25519.carry(D2);

        // The well-known constant, checked here rather than trusted.
        Field25519.fromWords(SQRT_M1, 0xc4ee1b274a0ea0b0L, 0x2f431806ad2fe478L, 0x2b4d00993dfbd7a7L,
            0x2b8324804fc1df0bL);
        Field25519.sq(t0, SQRT_M1);
        Field25519.one(t1);
        Field25519.add(t0, t0, t1);
        if (!Field25519.isZero(t0, t2))
        {
            throw new IllegalStateException("sqrt(-1) constant is wrong");
        }
    }

    private final long[] a = new long[5];
    private final long[] b = new long[5];
    private final long[] c = new long[5];
    private final long[] d = new long[5];
    private final long[] e = new long[5];
    private final long[] f = new long[5];
    private final long[] g = new long[5];
    private final long[] h = new long[5];
    private final long[] s0 = new long[5];
    private final long[] s1 = new long[5];
    private final long[] s2 = new long[5];
    private final long[] s3 = new long[5];

    /**
     * Decode a 32-byte point encoding given as four little-endian words, under ZIP-215: y is taken mod p even
     * when the encoding is non-canonical (y &gt;= p), and a set sign bit with x = 0 is accepted (x stays 0).
     *
     * @return false when y is not the y coordinate of a curve point.
     */
    boolean decode(final EdwardsPoint r, final long w0, final long w1, final long w2, final long w3)
    {
        final long[] y = r.y;
        final long[] x = r.x;
        Field25519.fromWords(y, w0, w1, w2, w3);
        Field25519.one(r.z);

        final long[] u = a;
        final long[] v = b;
        Field25519.sq(c, y);
        Field25519.sub(u, c, r.z);              // u = y^2 - 1
        Field25519.mul(v, c, D);
        Field25519.add(v, v, r.z);              // v = d y^2 + 1

        // x = u v^3 (u v^7)^((p-5)/8), then fix up by sqrt(-1) when v x^2 = -u.
        Field25519.sq(c, v);
        Field25519.mul(c, c, v);                // v^3
        Field25519.mul(d, u, c);                // u v^3
        Field25519.sq(e, c);
        Field25519.mul(e, e, v);                // v^7
        Field25519.mul(e, e, u);                // u v^7
        Field25519.pow22523(f, e, s0, s1, s2, s3);
        Field25519.mul(x, d, f);

        Field25519.sq(c, x);
        Field25519.mul(c, c, v);                // v x^2
        Field25519.sub(d, c, u);
        if (!Field25519.isZero(d, s0))
        {
            Field25519.add(d, c, u);
            if (!Field25519.isZero(d, s0))
            {
                return false;
            }
            Field25519.mul(x, x, SQRT_M1);
        }

        final boolean wantNegative = (w3 >>> 63) != 0;
        if (Field25519.isNegative(x, s0) != wantNegative)
        {
            // For x = 0 this leaves x = 0: ZIP-215 accepts the "-0" encoding.
            Field25519.neg(x, x);
        }
        Field25519.mul(r.t, x, y);
        return true;
    }

    /**
     * r = 2p. T is computed only when {@code withT}, i.e. when an addition follows.
     */
    void dbl(final EdwardsPoint r, final EdwardsPoint p, final boolean withT)
    {
        Field25519.sq(a, p.x);
        Field25519.sq(b, p.y);
        Field25519.sq(c, p.z);
        Field25519.add(c, c, c);                // 2 Z^2, limbs below 2^52.1
        Field25519.add(h, a, b);
        Field25519.add(e, p.x, p.y);
        Field25519.sq(e, e);
        Field25519.sub(e, h, e);                // E = A + B - (X+Y)^2 (sign flipped with F, G, H)
        Field25519.sub(g, a, b);                // G = A - B
        Field25519.add(f, c, g);                // F = 2Z^2 + A - B, below 2^52.6
        Field25519.mul(r.x, e, f);
        Field25519.mul(r.y, g, h);
        if (withT)
        {
            Field25519.mul(r.t, e, h);
        }
        Field25519.mul(r.z, f, g);
    }

    /**
     * r = p + q (negate = false) or p - q (negate = true), q in cached form.
     */
    void addCached(final EdwardsPoint r, final EdwardsPoint p, final CachedPoint q, final boolean negate,
        final boolean withT)
    {
        Field25519.add(e, p.y, p.x);
        Field25519.sub(f, p.y, p.x);
        if (negate)
        {
            // -q swaps Y+X with Y-X and negates T.
            Field25519.mul(b, e, q.yMinusX);
            Field25519.mul(a, f, q.yPlusX);
        }
        else
        {
            Field25519.mul(b, e, q.yPlusX);
            Field25519.mul(a, f, q.yMinusX);
        }
        Field25519.mul(c, p.t, q.t2d);
        Field25519.mul(d, p.z, q.z2);
        finishAdd(r, negate, withT);
    }

    /**
     * r = p + q or p - q, q an affine Niels point (Z = 1, {@code z2} unused).
     */
    void addAffine(final EdwardsPoint r, final EdwardsPoint p, final CachedPoint q, final boolean negate,
        final boolean withT)
    {
        Field25519.add(e, p.y, p.x);
        Field25519.sub(f, p.y, p.x);
        if (negate)
        {
            Field25519.mul(b, e, q.yMinusX);
            Field25519.mul(a, f, q.yPlusX);
        }
        else
        {
            Field25519.mul(b, e, q.yPlusX);
            Field25519.mul(a, f, q.yMinusX);
        }
        Field25519.mul(c, p.t, q.t2d);
        Field25519.add(d, p.z, p.z);
        finishAdd(r, negate, withT);
    }

    private void finishAdd(final EdwardsPoint r, final boolean negate, final boolean withT)
    {
        Field25519.sub(e, b, a);                // E = B - A
        Field25519.add(h, b, a);                // H = B + A
        if (negate)
        {
            Field25519.add(f, d, c);            // F = D - (-C)
            Field25519.sub(g, d, c);            // G = D + (-C)
        }
        else
        {
            Field25519.sub(f, d, c);
            Field25519.add(g, d, c);
        }
        Field25519.mul(r.x, e, f);
        Field25519.mul(r.y, g, h);
        if (withT)
        {
            Field25519.mul(r.t, e, h);
        }
        Field25519.mul(r.z, f, g);
    }

    void toCached(final CachedPoint r, final EdwardsPoint p)
    {
        Field25519.add(r.yPlusX, p.y, p.x);
        Field25519.carry(r.yPlusX);
        Field25519.sub(r.yMinusX, p.y, p.x);
        Field25519.add(r.z2, p.z, p.z);
        Field25519.carry(r.z2);
        Field25519.mul(r.t2d, p.t, D2);
    }

    /**
     * Affine Niels form (y+x, y-x, 2dxy), for fixed tables built once.
     */
    void toAffine(final CachedPoint r, final EdwardsPoint p)
    {
        Field25519.invert(a, p.z, s0, s1, s2, s3);
        Field25519.mul(b, p.x, a);
        Field25519.mul(c, p.y, a);
        Field25519.add(r.yPlusX, c, b);
        Field25519.carry(r.yPlusX);
        Field25519.sub(r.yMinusX, c, b);
        Field25519.one(r.z2);
        Field25519.mul(d, b, c);
        Field25519.mul(r.t2d, d, D2);
    }

    /**
     * Table of odd multiples p, 3p, 5p, ... in cached form.
     */
    void oddMultiples(final CachedPoint[] table, final int offset, final int count, final EdwardsPoint p,
        final EdwardsPoint scratchTwice, final EdwardsPoint scratchAcc, final CachedPoint scratchCached)
    {
        toCached(table[offset], p);
        dbl(scratchTwice, p, true);
        toCached(scratchCached, scratchTwice);
        scratchAcc.set(p);
        for (int i = 1; i < count; i++)
        {
            addCached(scratchAcc, scratchAcc, scratchCached, false, true);
            toCached(table[offset + i], scratchAcc);
        }
    }

    /**
     * Is [8]p the identity? Destroys p.
     */
    boolean isIdentityTimesCofactor(final EdwardsPoint p)
    {
        dbl(p, p, false);
        dbl(p, p, false);
        dbl(p, p, false);
        // Identity in projective terms: X = 0 and Y = Z.
        if (!Field25519.isZero(p.x, s0))
        {
            return false;
        }
        Field25519.sub(a, p.y, p.z);
        return Field25519.isZero(a, s0);
    }
}
