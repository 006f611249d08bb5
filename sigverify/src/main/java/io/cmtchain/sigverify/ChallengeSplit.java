package io.cmtchain.sigverify;

/**
 * Splits a challenge k (mod L) into two half-size integers e and d with {@code e = d * k (mod L)},
 * {@code 0 <= e < 2^126} and {@code 0 < |d| < 2^127}, so the single check can multiply its equation by d and
 * run half as many doublings (see {@link VerifyCore}).
 * <p>
 * It is the extended Euclidean algorithm on (L, k), stopped half way: the remainders r and their cofactors t
 * keep {@code r = t * k (mod L)}, consecutive cofactors alternate in sign, and for the current pair (a, ta),
 * (b, tb) the identity {@code a * |tb| + b * |ta| = L} holds. The loop stops at the first remainder b below
 * 2^126, whose partner a is then at least 2^126, so {@code |tb| <= L / a < 2^127}. Each quotient is taken bit by
 * bit (subtract b shifted as far as it fits), which needs no division and keeps the identity at every step.
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
            // a := a mod b, ta := ta - q tb; the signs alternate, so the magnitudes add.
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
            final int swapR = ia;
            ia = ib;
            ib = swapR;
            final int swapT = ja;
            ja = jb;
            jb = swapT;
            bNegative = !bNegative;
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
    }

    private static boolean below126(final long[] r, final int o)
    {
        return (r[o + 3] | r[o + 2] | (r[o + 1] >>> 62)) == 0;
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
