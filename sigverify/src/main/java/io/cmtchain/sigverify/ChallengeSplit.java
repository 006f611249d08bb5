package io.cmtchain.sigverify;

/**
 * Splits a challenge k (mod L) into two half-size integers e and d with {@code e = d * k (mod L)},
 * {@code 0 <= e < 2^126} and {@code 0 < |d| < 2^127}, so the single check can multiply its equation by d and
 * run half as many doublings (see {@link VerifyCore}).
 * <p>
 * It is the extended Euclidean algorithm on (L, k), stopped half way: the remainders r and their cofactors t
 * keep {@code r = t * k (mod L)}, consecutive cofactors alternate in sign, and for the current pair (a, ta),
 * (b, tb) the identity {@code a * |tb| + b * |ta| = L} holds. The loop stops at the first remainder b below
 * 2^126, whose partner a is then at least 2^126, so {@code |tb| <= L / a < 2^127}.
 * <p>
 * The steps run in Lehmer's way: Euclid on the leading 62 bits of a and b, with the cofactor matrix of the steps
 * taken, for as long as the bracket test (Knuth, TAOCP 4.5.2, algorithm L) proves each quotient equal to the full
 * one and b provably stays at or above 2^126; then the matrix is applied to the full values once. About five such
 * batches cover the 73 steps of a typical split. Where a batch can take no step, one exact step runs with its
 * quotient taken bit by bit (subtract b shifted as far as it fits).
 * <p>
 * Inputs and outputs are public data of a verification; the loop branches on them freely. It never allocates.
 */
final class ChallengeSplit
{
    private static final int WORDS = 4;

    /** Two remainders of four little-endian words each; which one is "a" moves with the swaps. */
    private final long[] r = new long[2 * WORDS];
    /** The two cofactor magnitudes, two words each (always below 2^127). */
    private final long[] t = new long[4];
    private final long[] rowA = new long[WORDS];
    private final long[] rowB = new long[WORDS];
    private final long[] product = new long[WORDS];
    private final long[] kLimbs = new long[13];
    private final long[] dLimbs = new long[7];
    private final long[] limbs = new long[Scalar25519.LIMBS];

    /** e, little-endian, zero above word 1. */
    final long[] e = new long[WORDS];
    /** |d|, little-endian, zero above word 1. */
    final long[] d = new long[WORDS];
    /** Whether d is negative. */
    boolean dNegative;

    /**
     * @param k the challenge, fully reduced mod L, four little-endian words from {@code offset}.
     */
    void split(final long[] k, final int offset)
    {
        final long[] r = this.r;
        final long[] t = this.t;
        r[0] = Scalar25519.L0;
        r[1] = Scalar25519.L1;
        r[2] = Scalar25519.L2;
        r[3] = Scalar25519.L3;
        r[4] = k[offset];
        r[5] = k[offset + 1];
        r[6] = k[offset + 2];
        r[7] = k[offset + 3];
        t[0] = 0;
        t[1] = 0;
        t[2] = 1;
        t[3] = 0;

        int ia = 0;
        int ib = WORDS;
        int ja = 0;
        int jb = 2;
        boolean bNegative = false;
        while (!below126(r, ib))
        {
            // Lehmer: run Euclid on the top 62 bits of a and b while the quotients provably match the full
            // ones, and while b provably stays at or above 2^126, then apply the steps to the full values once.
            final int shift = Scalar25519.bitLength(r, ia) - 62;
            long u = top(r, ia, shift);
            long v = top(r, ib, shift);
            // b = C a + D b over the steps taken, so b / 2^shift > v + min(C, D): keep that at 2^126 or more.
            final long floor = shift >= 126 ? 1 : 1L << (126 - shift);
            long ma = 1;
            long mb = 0;
            long mc = 0;
            long md = 1;
            int steps = 0;
            while (true)
            {
                final long vc = v + mc;
                final long vd = v + md;
                final long ua = u + ma;
                final long ub = u + mb;
                if (vc <= 0 || vd <= 0 || ua < 0 || ub < 0)
                {
                    break;
                }
                // u / v, in full, lies between (u + A) / (v + C) and (u + B) / (v + D): equal floors fix q.
                // One division: q is also floor(ub / vd) exactly when 0 <= ub - q vd < vd.
                final long q = ua / vc;
                final long qvd = q * vd;
                if (Math.multiplyHigh(q, vd) != 0 || qvd < 0 || qvd > ub || ub - qvd >= vd)
                {
                    break;
                }
                final long nc = ma - q * mc;
                final long nd = mb - q * md;
                final long nv = u - q * v;
                if (nv + Math.min(nc, nd) < floor)
                {
                    break;
                }
                ma = mc;
                mb = md;
                mc = nc;
                md = nd;
                u = v;
                v = nv;
                steps++;
            }

            if (steps == 0)
            {
                exactStep(r, ia, ib, t, ja, jb);
                final int swapR = ia;
                ia = ib;
                ib = swapR;
                final int swapT = ja;
                ja = jb;
                jb = swapT;
                bNegative = !bNegative;
            }
            else
            {
                apply(r, ia, ib, t, ja, jb, ma, mb, mc, md);
                bNegative ^= (steps & 1) != 0;
            }
        }

        e[0] = r[ib];
        e[1] = r[ib + 1];
        e[2] = 0;
        e[3] = 0;
        d[0] = t[jb];
        d[1] = t[jb + 1];
        d[2] = 0;
        d[3] = 0;
        dNegative = bNegative;
        if (!holds(k, offset))
        {
            // Unreachable when the arithmetic above is right (ChallengeSplitTest compares it with exact Euclid), but
            // a verdict must never rest on it: e = k, d = 1 is the unsplit check, slower and always equivalent.
            unsplit(k, offset);
        }
    }

    /**
     * Does the split in {@link #e}, {@link #d} and {@link #dNegative} meet its contract for k: e below 2^126, d
     * non-zero and below 2^127, and |d| k = e (mod L), or = -e for a negative d? About 0.3 us, re-using the scalar
     * code the signature checks already trust.
     */
    boolean holds(final long[] k, final int offset)
    {
        if ((d[2] | d[3] | (d[1] >>> 63)) != 0 || (d[0] | d[1]) == 0)
        {
            return false;
        }
        for (int i = 0; i < WORDS; i++)
        {
            product[i] = k[offset + i];
        }
        Scalar25519.mulSmall(d, product, product, dLimbs, kLimbs, limbs);
        if (dNegative)
        {
            Scalar25519.negate(product, product);
        }
        return product[0] == e[0] && product[1] == e[1] && product[2] == e[2] && product[3] == e[3] &&
            ((e[1] >>> 62) | e[2] | e[3]) == 0;
    }

    /** e = k, d = 1: the split that changes nothing. */
    void unsplit(final long[] k, final int offset)
    {
        for (int i = 0; i < WORDS; i++)
        {
            e[i] = k[offset + i];
            d[i] = 0;
        }
        d[0] = 1;
        dNegative = false;
    }

    private static boolean below126(final long[] r, final int o)
    {
        return (r[o + 3] | r[o + 2] | (r[o + 1] >>> 62)) == 0;
    }

    /**
     * One exact Euclid step: a := a mod b and ta := ta + q tb (the signs alternate, so the magnitudes add), the
     * quotient taken bit by bit. The caller swaps the roles of a and b after it.
     */
    private static void exactStep(final long[] r, final int ia, final int ib, final long[] t, final int ja,
        final int jb)
    {
        final int lengthB = Scalar25519.bitLength(r, ib);
        while (true)
        {
            int shift = Scalar25519.bitLength(r, ia) - lengthB;
            if (shift < 0)
            {
                break;
            }
            if (!subtractShifted(r, ia, ib, shift))
            {
                if (shift == 0)
                {
                    break;
                }
                shift--;
                subtractShifted(r, ia, ib, shift);
            }
            addShifted(t, ja, jb, shift);
        }
    }

    /** Bits shift .. shift + 63 of the four-word value at {@code o}; shift is at least 1. */
    private static long top(final long[] r, final int o, final int shift)
    {
        final int word = shift >>> 6;
        final int bits = shift & 63;
        final long low = r[o + word] >>> bits;
        final long high = word + 1 < WORDS ? (r[o + word + 1] << 1) << (63 - bits) : 0;
        return low | high;
    }

    /**
     * (a, b) := (A a + B b, C a + D b) and (|ta|, |tb|) := (|A| |ta| + |B| |tb|, |C| |ta| + |D| |tb|), the net
     * effect of the Euclid steps whose matrix is [[A, B], [C, D]]. Each row has one sign of each (or a zero), the
     * remainders it yields are the true, non-negative ones, and the cofactors alternate in sign, so their
     * magnitudes add.
     */
    private void apply(final long[] r, final int ia, final int ib, final long[] t, final int ja, final int jb,
        final long ma, final long mb, final long mc, final long md)
    {
        combine(r, ia, ib, ma, mb, rowA);
        combine(r, ia, ib, mc, md, rowB);
        System.arraycopy(rowA, 0, r, ia, WORDS);
        System.arraycopy(rowB, 0, r, ib, WORDS);

        final long ta0 = t[ja];
        final long ta1 = t[ja + 1];
        final long tb0 = t[jb];
        final long tb1 = t[jb + 1];
        cofactor(t, ja, Math.abs(ma), ta0, ta1, Math.abs(mb), tb0, tb1);
        cofactor(t, jb, Math.abs(mc), ta0, ta1, Math.abs(md), tb0, tb1);
    }

    /** out = x a + y b for x, y of opposite signs (or one zero) whose result is known to be in [0, 2^256). */
    static void combine(final long[] r, final int ia, final int ib, final long x, final long y,
        final long[] out)
    {
        // x a - |y| b when y <= 0 (so x >= 0), else y b - |x| a: one subtraction, its operands exchanged.
        final boolean xPositive = y <= 0;
        final int ip = xPositive ? ia : ib;
        final int in = xPositive ? ib : ia;
        final long plus = xPositive ? x : y;
        final long minus = xPositive ? -y : -x;
        long carryP = 0;
        long carryN = 0;
        long borrow = 0;
        for (int i = 0; i < WORDS; i++)
        {
            final long wp = r[ip + i];
            final long wn = r[in + i];
            final long lowP = plus * wp;
            final long p = lowP + carryP;
            carryP = unsignedMultiplyHigh(plus, wp) + (Long.compareUnsigned(p, lowP) < 0 ? 1 : 0);
            final long lowN = minus * wn;
            final long n = lowN + carryN;
            carryN = unsignedMultiplyHigh(minus, wn) + (Long.compareUnsigned(n, lowN) < 0 ? 1 : 0);
            final long diff = p - n - borrow;
            borrow = borrow(p, n, diff);
            out[i] = diff;
        }
    }

    /** out = x (a1:a0) + y (b1:b0) mod 2^128, for x, y non-negative; the callers' results are below 2^127. */
    static void cofactor(final long[] t, final int o, final long x, final long a0, final long a1,
        final long y, final long b0, final long b1)
    {
        final long lowA = x * a0;
        final long lowB = y * b0;
        final long low = lowA + lowB;
        final long carry = Long.compareUnsigned(low, lowA) < 0 ? 1 : 0;
        t[o] = low;
        t[o + 1] = unsignedMultiplyHigh(x, a0) + x * a1 + unsignedMultiplyHigh(y, b0) + y * b1 + carry;
    }

    /** The high word of the unsigned product of a non-negative x and any y (Java 17 has only the signed one). */
    private static long unsignedMultiplyHigh(final long x, final long y)
    {
        return Math.multiplyHigh(x, y) + ((y >> 63) & x);
    }

    /**
     * Word {@code i} of the four-word value at {@code o} shifted left by {@code shift} bits (no bit may leave
     * the top word, which the callers' bit lengths guarantee).
     */
    private static long shiftedWord(final long[] v, final int o, final int i, final int shift)
    {
        final int from = i - (shift >>> 6);
        final int bits = shift & 63;
        final long high = from >= 0 ? v[o + from] << bits : 0;
        // (x >>> 1) >>> (63 - bits) is x >>> (64 - bits) that also gives 0 for bits = 0.
        final long low = from >= 1 ? (v[o + from - 1] >>> 1) >>> (63 - bits) : 0;
        return high | low;
    }

    /**
     * a -= b &lt;&lt; shift when that does not go below zero.
     *
     * @return whether it subtracted.
     */
    private static boolean subtractShifted(final long[] r, final int ia, final int ib, final int shift)
    {
        final long a0 = r[ia];
        final long a1 = r[ia + 1];
        final long a2 = r[ia + 2];
        final long a3 = r[ia + 3];
        final long c0 = shiftedWord(r, ib, 0, shift);
        final long c1 = shiftedWord(r, ib, 1, shift);
        final long c2 = shiftedWord(r, ib, 2, shift);
        final long c3 = shiftedWord(r, ib, 3, shift);

        final long d0 = a0 - c0;
        long borrow = borrow(a0, c0, d0);
        final long d1 = a1 - c1 - borrow;
        borrow = borrow(a1, c1, d1);
        final long d2 = a2 - c2 - borrow;
        borrow = borrow(a2, c2, d2);
        final long d3 = a3 - c3 - borrow;
        borrow = borrow(a3, c3, d3);
        if (borrow != 0)
        {
            return false;
        }
        r[ia] = d0;
        r[ia + 1] = d1;
        r[ia + 2] = d2;
        r[ia + 3] = d3;
        return true;
    }

    /** The borrow out of {@code diff = x - y - borrowIn}, from the top bits of x, y and diff. */
    private static long borrow(final long x, final long y, final long diff)
    {
        return ((~x & y) | (~(x ^ y) & diff)) >>> 63;
    }

    /**
     * ta += tb &lt;&lt; shift on two-word magnitudes; the result stays below 2^127 (see the class comment), so
     * nothing shifts out.
     */
    private static void addShifted(final long[] t, final int ja, final int jb, final int shift)
    {
        final long b0 = t[jb];
        final long b1 = t[jb + 1];
        final long c0;
        final long c1;
        if (shift >= 64)
        {
            c0 = 0;
            c1 = shift >= 128 ? 0 : b0 << (shift - 64);
        }
        else
        {
            c0 = b0 << shift;
            c1 = (b1 << shift) | ((b0 >>> 1) >>> (63 - shift));
        }
        final long s0 = t[ja] + c0;
        final long carry = Long.compareUnsigned(s0, c0) < 0 ? 1 : 0;
        t[ja] = s0;
        t[ja + 1] = t[ja + 1] + c1 + carry;
    }
}
