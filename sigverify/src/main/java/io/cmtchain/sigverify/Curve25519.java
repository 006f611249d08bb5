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
     * r = B, the base point (y = 4/5, x even), decoded from its standard encoding.
     */
    void basePoint(final EdwardsPoint r)
    {
        if (!decode(r, 0x6666666666666658L, 0x6666666666666666L, 0x6666666666666666L, 0x6666666666666666L))
        {
            throw new IllegalStateException("base point does not decode");
        }
    }

    /**
     * Decode a 32-byte point encoding given as four little-endian words, under ZIP-215: y is taken mod p even
     * when the encoding is non-canonical (y &gt;= p), and a set sign bit with x = 0 is accepted (x stays 0).
     *
     * @return false when y is not the y coordinate of a curve point.
     */
    boolean decode(final EdwardsPoint r, final long w0, final long w1, final long w2, final long w3)
    {
        decodeStart(r, w0, w1, w2, w3, first);
        Field25519.pow22523(first.pow, first.uv7, s0, s1, s2, s3);
        return decodeFinish(r, w3, first);
    }

    /**
     * Decode two encodings with their exponentiations interleaved; same rule as {@link #decode}.
     *
     * @return bit 0 set when {@code r1} decoded, bit 1 when {@code r2} did.
     */
    int decode2(
        final EdwardsPoint r1, final long a0, final long a1, final long a2, final long a3,
        final EdwardsPoint r2, final long b0, final long b1, final long b2, final long b3)
    {
        decodeStart(r1, a0, a1, a2, a3, first);
        decodeStart(r2, b0, b1, b2, b3, second);
        Field25519.pow22523x2(first.pow, first.uv7, first.scratch, second.pow, second.uv7, second.scratch);
        final int ok1 = decodeFinish(r1, a3, first) ? 1 : 0;
        final int ok2 = decodeFinish(r2, b3, second) ? 2 : 0;
        return ok1 | ok2;
    }

    /** Per-point decoding state, two sets so two decodings can interleave. */
    private static final class DecodeState
    {
        final long[] u = new long[5];
        final long[] v = new long[5];
        final long[] uv3 = new long[5];
        final long[] uv7 = new long[5];
        final long[] pow = new long[5];
        final long[][] scratch = {new long[5], new long[5], new long[5], new long[5]};
    }

    private final DecodeState first = new DecodeState();
    private final DecodeState second = new DecodeState();

    private void decodeStart(
        final EdwardsPoint r, final long w0, final long w1, final long w2, final long w3, final DecodeState st)
    {
        final long[] y = r.y;
        Field25519.fromWords(y, w0, w1, w2, w3);
        Field25519.one(r.z);

        final long[] t = st.scratch[0];
        Field25519.sq(t, y);
        Field25519.sub(st.u, t, r.z);           // u = y^2 - 1
        Field25519.mul(st.v, t, D);
        Field25519.add(st.v, st.v, r.z);        // v = d y^2 + 1

        // x = u v^3 (u v^7)^((p-5)/8), then fixed up by sqrt(-1) when v x^2 = -u.
        Field25519.sq(t, st.v);
        Field25519.mul(t, t, st.v);             // v^3
        Field25519.mul(st.uv3, st.u, t);
        Field25519.sq(st.uv7, t);
        Field25519.mul(st.uv7, st.uv7, st.v);   // v^7
        Field25519.mul(st.uv7, st.uv7, st.u);
    }

    private boolean decodeFinish(final EdwardsPoint r, final long w3, final DecodeState st)
    {
        final long[] x = r.x;
        Field25519.mul(x, st.uv3, st.pow);

        final long[] vx2 = st.scratch[0];
        final long[] diff = st.scratch[1];
        Field25519.sq(vx2, x);
        Field25519.mul(vx2, vx2, st.v);
        Field25519.sub(diff, vx2, st.u);
        if (!Field25519.isZero(diff, s0))
        {
            Field25519.add(diff, vx2, st.u);
            if (!Field25519.isZero(diff, s0))
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
        Field25519.mul(r.t, x, r.y);
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
