package io.cmtchain.sigverify;

/**
 * Inversion in GF(2^255 - 19) in constant time by Bernstein and Yang's safegcd ("Fast constant-time gcd computation
 * and modular inversion", 2019), in the form of libsecp256k1's {@code modinv64}: 590 divsteps in ten batches of 59,
 * each batch working on the low 64 bits of f and g alone and giving a 2x2 transition matrix scaled by 2^62, which is
 * then applied to the full f, g (signed 62-bit limbs) and to the Bezout coefficients d, e (kept in (-2p, p) by
 * adding a multiple of p chosen from their low bits). 590 divsteps bring g to 0 for every input below 2^256, so the
 * count is fixed.
 * <p>
 * Constant time: the number of divsteps and every loop are fixed; each divstep's choices are masks from the sign of
 * zeta and the low bit of g, applied with and/xor/add; the matrix products and carries are straight-line code on
 * {@link Math#multiplyHigh} and shifts; the final normalisation adds p and negates under masks. No branch and no
 * array index depends on the value. About a third of the time of Fermat's inversion (254 squarings in a chain).
 * <p>
 * One instance per thread: it keeps its scratch. Never allocates.
 */
final class FieldInverter
{
    private static final long M62 = -1L >>> 2;
    /** p in signed 62-bit limbs: 2^255 - 19 = -19 + 128·2^248. */
    private static final long P0 = -19;
    private static final long P4 = 128;
    /** p^-1 mod 2^62. */
    private static final long P_INV62 = inverse62(P0 + (P4 << 56));

    private final long[] frozen = new long[5];
    private final long[] f = new long[5];
    private final long[] g = new long[5];
    private final long[] d = new long[5];
    private final long[] e = new long[5];
    /** The transition matrix of the last batch: u, v, q, r. */
    private final long[] t = new long[4];

    /**
     * r = 1/a (0 for 0), fully reduced (limbs below 2^51). {@code a} may have limbs up to 2^52.75, a value in any
     * residue class; it is not changed, and r may be a.
     */
    void invert(final long[] r, final long[] a)
    {
        Field25519.copy(frozen, a);
        Field25519.freeze(frozen);
        final long w0 = Field25519.word(frozen, 0);
        final long w1 = Field25519.word(frozen, 1);
        final long w2 = Field25519.word(frozen, 2);
        final long w3 = Field25519.word(frozen, 3);
        g[0] = w0 & M62;
        g[1] = ((w0 >>> 62) | (w1 << 2)) & M62;
        g[2] = ((w1 >>> 60) | (w2 << 4)) & M62;
        g[3] = ((w2 >>> 58) | (w3 << 6)) & M62;
        g[4] = w3 >>> 56;
        f[0] = P0;
        f[1] = 0;
        f[2] = 0;
        f[3] = 0;
        f[4] = P4;
        Field25519.zero(d);
        Field25519.one(e);

        long zeta = -1;
        for (int i = 0; i < 10; i++)
        {
            zeta = divsteps59(zeta, f[0], g[0], t);
            updateDe(d, e, t);
            updateFg(f, g, t);
        }

        // d = ±1/a in (-2p, p); the sign of f (±1) says which. Into [0, p): add p if negative, negate under the
        // mask, carry; then add p if still negative, carry.
        addPIfNegative(d);
        final long negate = f[4] >> 63;
        for (int i = 0; i < 5; i++)
        {
            d[i] = (d[i] ^ negate) - negate;
        }
        carry62(d);
        addPIfNegative(d);
        carry62(d);

        // Now in [0, p): back to 51-bit limbs.
        Field25519.fromWords(r, d[0] | (d[1] << 62), (d[1] >>> 2) | (d[2] << 60), (d[2] >>> 4) | (d[3] << 58),
            (d[3] >>> 6) | (d[4] << 56));
    }

    /** x += p when x (signed 62-bit limbs) is negative, under a mask. */
    private static void addPIfNegative(final long[] x)
    {
        final long add = x[4] >> 63;
        x[0] += P0 & add;
        x[4] += P4 & add;
    }

    /** Carry limbs 0 to 3 into the next (arithmetic shifts), leaving them in [0, 2^62). */
    private static void carry62(final long[] x)
    {
        for (int i = 0; i < 4; i++)
        {
            x[i + 1] += x[i] >> 62;
            x[i] &= M62;
        }
    }

    /**
     * 59 divsteps on the low bits of f and g, from zeta = -(delta + 1/2); the matrix (u, v; q, r), scaled by 2^62,
     * into {@code t}. Returns the new zeta.
     */
    private static long divsteps59(long zeta, final long f0, final long g0, final long[] t)
    {
        long u = 8;
        long v = 0;
        long q = 0;
        long r = 8;
        long f = f0;
        long g = g0;
        for (int i = 3; i < 62; i++)
        {
            // c1: zeta < 0; c2: g odd.
            long c1 = zeta >> 63;
            final long c2 = -(g & 1);
            final long x = (f ^ c1) - c1;
            final long y = (u ^ c1) - c1;
            final long z = (v ^ c1) - c1;
            g += x & c2;
            q += y & c2;
            r += z & c2;
            c1 &= c2;
            zeta = (zeta ^ c1) - 1;
            f += g & c1;
            u += q & c1;
            v += r & c1;
            g >>>= 1;
            u <<= 1;
            v <<= 1;
        }
        t[0] = u;
        t[1] = v;
        t[2] = q;
        t[3] = r;
        return zeta;
    }

    /**
     * (d, e) = (t·(d, e) + p·(md, me)) / 2^62, md and me chosen to make the division exact and to keep d and e in
     * (-2p, p).
     */
    private static void updateDe(final long[] d, final long[] e, final long[] t)
    {
        final long u = t[0];
        final long v = t[1];
        final long q = t[2];
        final long r = t[3];
        final long d0 = d[0];
        final long e0 = e[0];
        final long sd = d[4] >> 63;
        final long se = e[4] >> 63;
        long md = (u & sd) + (v & se);
        long me = (q & sd) + (r & se);

        // Limb 0: u·d0 + v·e0, as hi·2^62 + lo with lo in [0, 2^62) ... kept as two sums.
        long cdH = hi62(u, d0) + hi62(v, e0);
        long cdL = lo62(u, d0) + lo62(v, e0);
        long ceH = hi62(q, d0) + hi62(r, e0);
        long ceL = lo62(q, d0) + lo62(r, e0);
        md -= (P_INV62 * cdL + md) & M62;
        me -= (P_INV62 * ceL + me) & M62;
        cdH += hi62(P0, md);
        cdL += lo62(P0, md);
        ceH += hi62(P0, me);
        ceL += lo62(P0, me);
        // The low 62 bits are now zero: the carry is what remains.
        long cd = cdH + (cdL >>> 62);
        long ce = ceH + (ceL >>> 62);

        for (int i = 1; i < 5; i++)
        {
            final long di = d[i];
            final long ei = e[i];
            cdH = (cd >> 62) + hi62(u, di) + hi62(v, ei);
            cdL = (cd & M62) + lo62(u, di) + lo62(v, ei);
            ceH = (ce >> 62) + hi62(q, di) + hi62(r, ei);
            ceL = (ce & M62) + lo62(q, di) + lo62(r, ei);
            if (i == 4)
            {
                cdH += hi62(P4, md);
                cdL += lo62(P4, md);
                ceH += hi62(P4, me);
                ceL += lo62(P4, me);
            }
            d[i - 1] = cdL & M62;
            e[i - 1] = ceL & M62;
            cd = cdH + (cdL >>> 62);
            ce = ceH + (ceL >>> 62);
        }
        d[4] = cd;
        e[4] = ce;
    }

    /** (f, g) = t·(f, g) / 2^62, exactly. */
    private static void updateFg(final long[] f, final long[] g, final long[] t)
    {
        final long u = t[0];
        final long v = t[1];
        final long q = t[2];
        final long r = t[3];
        final long f0 = f[0];
        final long g0 = g[0];
        long cf = hi62(u, f0) + hi62(v, g0) + ((lo62(u, f0) + lo62(v, g0)) >>> 62);
        long cg = hi62(q, f0) + hi62(r, g0) + ((lo62(q, f0) + lo62(r, g0)) >>> 62);
        for (int i = 1; i < 5; i++)
        {
            final long fi = f[i];
            final long gi = g[i];
            final long cfL = (cf & M62) + lo62(u, fi) + lo62(v, gi);
            final long cgL = (cg & M62) + lo62(q, fi) + lo62(r, gi);
            f[i - 1] = cfL & M62;
            g[i - 1] = cgL & M62;
            cf = (cf >> 62) + hi62(u, fi) + hi62(v, gi) + (cfL >>> 62);
            cg = (cg >> 62) + hi62(q, fi) + hi62(r, gi) + (cgL >>> 62);
        }
        f[4] = cf;
        g[4] = cg;
    }

    /** floor(a·b / 2^62) for signed a, b with |a·b| below 2^125. */
    private static long hi62(final long a, final long b)
    {
        return (Math.multiplyHigh(a, b) << 2) | ((a * b) >>> 62);
    }

    /** a·b mod 2^62, in [0, 2^62). */
    private static long lo62(final long a, final long b)
    {
        return (a * b) & M62;
    }

    /** x^-1 mod 2^62 for odd x, by Newton's iteration (each step doubles the correct low bits). */
    private static long inverse62(final long x)
    {
        long y = x; // correct to 3 bits for odd x
        for (int i = 0; i < 5; i++)
        {
            y *= 2 - x * y;
        }
        return y & M62;
    }
}
