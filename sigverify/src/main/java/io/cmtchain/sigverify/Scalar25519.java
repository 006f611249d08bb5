package io.cmtchain.sigverify;

import java.util.Arrays;

/**
 * Scalars modulo the group order L = 2^252 + c, c = 27742317777372353535851937790883648493.
 * <p>
 * Reduction works on signed 21-bit limbs: 2^252 is limb 12, and 2^252 = -c (mod L), so a limb at index
 * i &gt;= 12 folds into limbs i-12 .. i-7 multiplied by the six 21-bit limbs of c. Limbs are carried between
 * folding rounds so that no product exceeds 2^50. Scalars are public in verification, so data-dependent loops
 * are fine. Results are four little-endian 64-bit words.
 */
final class Scalar25519
{
    static final int LIMBS = 25;
    /** Rounds of folding limb 12 that {@link #reduce} always makes (one was enough for every value probed). */
    private static final int FINAL_FOLDS = 2;
    static final long L0 = 0x5812631a5cf5d3edL;
    static final long L1 = 0x14def9dea2f79cd6L;
    static final long L2 = 0L;
    static final long L3 = 0x1000000000000000L;

    private static final long LIMB_MASK = (1L << 21) - 1;
    private static final long[] C_LIMBS = new long[6];
    private static final long[] L_LIMBS = new long[13];

    static
    {
        final long[] c = {L0, L1, 0, 0};
        for (int j = 0; j < 6; j++)
        {
            C_LIMBS[j] = bits(c, 21 * j, 21);
        }
        final long[] l = {L0, L1, L2, L3};
        for (int j = 0; j < 13; j++)
        {
            L_LIMBS[j] = bits(l, 21 * j, 21);
        }
    }

    private Scalar25519()
    {
    }

    /**
     * {@code n} bits (n &lt;= 32) of a little-endian word array starting at bit {@code pos}; bits past the end
     * read as zero.
     */
    static long bits(final long[] words, final int pos, final int n)
    {
        final int i = pos >>> 6;
        if (i >= words.length)
        {
            return 0;
        }
        final int shift = pos & 63;
        long v = words[i] >>> shift;
        if (shift + n > 64 && i + 1 < words.length)
        {
            v |= words[i + 1] << (64 - shift);
        }
        return v & ((1L << n) - 1);
    }

    /**
     * Is the little-endian 256-bit value below L? ZIP-215 requires a canonical S.
     */
    static boolean isCanonical(final long w0, final long w1, final long w2, final long w3)
    {
        if (w3 != L3)
        {
            return Long.compareUnsigned(w3, L3) < 0;
        }
        if (w2 != L2)
        {
            return Long.compareUnsigned(w2, L2) < 0;
        }
        if (w1 != L1)
        {
            return Long.compareUnsigned(w1, L1) < 0;
        }
        return Long.compareUnsigned(w0, L0) < 0;
    }

    /**
     * Split little-endian words into {@code limbCount} 21-bit limbs written from {@code limbOffset}.
     */
    static void toLimbs(final long[] words, final int limbCount, final long[] limbs, final int limbOffset)
    {
        for (int j = 0; j < limbCount; j++)
        {
            limbs[limbOffset + j] = bits(words, 21 * j, 21);
        }
    }

    /**
     * out = small * scalar mod L, for a small factor below 2^147 (a batch's 128-bit coefficient, a split's |d|) and a
     * scalar below 2^256, both as four little-endian words; {@code out} may be {@code scalar}.
     *
     * @param smallLimbs  scratch of 7 limbs.
     * @param scalarLimbs scratch of 13 limbs.
     * @param acc         scratch of {@link #LIMBS} limbs.
     */
    static void mulSmall(
        final long[] small, final long[] scalar, final long[] out, final long[] smallLimbs, final long[] scalarLimbs,
        final long[] acc)
    {
        toLimbs(small, 7, smallLimbs, 0);
        toLimbs(scalar, 13, scalarLimbs, 0);
        Arrays.fill(acc, 0);
        mulAdd(acc, smallLimbs, 0, 7, scalarLimbs, 0, 13);
        reduce(acc, out);
    }

    /**
     * acc += x * y on 21-bit limbs (schoolbook). Each product is below 2^42, so many may accumulate unreduced.
     */
    static void mulAdd(
        final long[] acc, final long[] x, final int xOffset, final int xCount, final long[] y, final int yOffset,
        final int yCount)
    {
        for (int i = 0; i < xCount; i++)
        {
            final long xi = x[xOffset + i];
            for (int j = 0; j < yCount; j++)
            {
                acc[i + j] += xi * y[yOffset + j];
            }
        }
    }

    /**
     * Reduce a non-negative value held in 25 limbs (each below 2^55, value below 2^512) mod L into four words.
     * {@code s} is destroyed.
     */
    static void reduce(final long[] s, final long[] out)
    {
        for (int k = 0; k < LIMBS - 1; k++)
        {
            final long carry = s[k] >> 21;
            s[k + 1] += carry;
            s[k] -= carry << 21;
        }

        // Limbs 18..24 receive nothing from folding each other, so each folded value is below 2^21.
        for (int i = LIMBS - 1; i >= 18; i--)
        {
            fold(s, i);
        }
        roundCarry(s, 6, 17);
        for (int i = 18; i >= 12; i--)
        {
            fold(s, i);
        }
        roundCarry(s, 0, 11);
        // A fixed number of rounds, so that no branch depends on the value (the signer reduces secret scalars): once
        // s[12] is 0 a round changes nothing (it folds 0 and carries limbs already in [-2^20, 2^20)). The loop after
        // them keeps the result right should a value ever need more; none of 400,000 values probed needed even a
        // second round (random 512-bit values, and values within 2^127 of 2^251, 2^252, L, 2L, 3L and 2^251 + L).
        for (int round = 0; round < FINAL_FOLDS; round++)
        {
            fold(s, 12);
            roundCarry(s, 0, 11);
        }
        while (s[12] != 0)
        {
            fold(s, 12);
            roundCarry(s, 0, 11);
        }

        // Now |value| < 2^252 < L: floor-carry to find its sign, add L once if negative (masked, no branch).
        floorCarry(s);
        final long negative = s[11] >> 63;
        for (int j = 0; j < 13; j++)
        {
            s[j] += L_LIMBS[j] & negative;
        }
        floorCarry(s);
        s[11] += s[12] << 21;
        s[12] = 0;

        long w0 = 0;
        long w1 = 0;
        long w2 = 0;
        long w3 = 0;
        for (int j = 0; j < 12; j++)
        {
            final long limb = s[j];
            final int pos = 21 * j;
            final int shift = pos & 63;
            final long lo = limb << shift;
            final long hi = shift > 42 ? limb >>> (64 - shift) : 0;
            switch (pos >>> 6)
            {
                case 0:
                    w0 |= lo;
                    w1 |= hi;
                    break;
                case 1:
                    w1 |= lo;
                    w2 |= hi;
                    break;
                case 2:
                    w2 |= lo;
                    w3 |= hi;
                    break;
                default:
                    w3 |= lo;
                    break;
            }
        }
        out[0] = w0;
        out[1] = w1;
        out[2] = w2;
        out[3] = w3;
    }

    private static void fold(final long[] s, final int i)
    {
        final long v = s[i];
        s[i] = 0;
        final int base = i - 12;
        for (int j = 0; j < 6; j++)
        {
            s[base + j] -= v * C_LIMBS[j];
        }
    }

    /**
     * Carry limbs from..to with rounding, leaving each in [-2^20, 2^20) and pushing the rest upward.
     */
    private static void roundCarry(final long[] s, final int from, final int to)
    {
        for (int k = from; k <= to; k++)
        {
            final long carry = (s[k] + (1L << 20)) >> 21;
            s[k + 1] += carry;
            s[k] -= carry << 21;
        }
    }

    private static void floorCarry(final long[] s)
    {
        for (int k = 0; k < 11; k++)
        {
            final long carry = s[k] >> 21;
            s[k + 1] += carry;
            s[k] &= LIMB_MASK;
        }
    }

    /**
     * out = (L - x) mod L for a reduced x.
     */
    static void negate(final long[] x, final long[] out)
    {
        if ((x[0] | x[1] | x[2] | x[3]) == 0)
        {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            out[3] = 0;
            return;
        }
        final long r0 = L0 - x[0];
        long borrow = Long.compareUnsigned(L0, x[0]) < 0 ? 1 : 0;
        final long r1 = L1 - x[1] - borrow;
        borrow = Long.compareUnsigned(L1, x[1]) < 0 || (L1 == x[1] && borrow != 0) ? 1 : 0;
        final long r2 = L2 - x[2] - borrow;
        borrow = Long.compareUnsigned(L2, x[2]) < 0 || (L2 == x[2] && borrow != 0) ? 1 : 0;
        out[0] = r0;
        out[1] = r1;
        out[2] = r2;
        out[3] = L3 - x[3] - borrow;
    }

    /**
     * Width-w non-adjacent form: odd digits in (-2^(w-1), 2^(w-1)), any two non-zero digits at least w apart.
     *
     * @param k      little-endian words of the scalar (below 2^256).
     * @param w      window width, 2..8.
     * @param naf    digits, {@link #NAF_LENGTH} from {@code offset}; cleared here.
     * @return the highest index holding a non-zero digit, or -1 for a zero scalar.
     */
    static int naf(final long[] k, final int w, final byte[] naf, final int offset)
    {
        Arrays.fill(naf, offset, offset + NAF_LENGTH, (byte)0);
        final int width = 1 << w;
        final int half = width >>> 1;
        // A digit at pos is negative only when bit pos + w - 1 is set, so the carry it leaves is taken at
        // pos + w <= bitLength: no digit lies above index bitLength, and the scan can stop there.
        final int end = bitLength(k, 0) + 1;
        int carry = 0;
        int pos = 0;
        int top = -1;
        while (pos < end)
        {
            final int window = carry + (int)bits(k, pos, w);
            if ((window & 1) == 0)
            {
                // Even: a zero digit here, and the carry moves up unchanged.
                pos++;
                continue;
            }
            if (window < half)
            {
                carry = 0;
                naf[offset + pos] = (byte)window;
            }
            else
            {
                carry = 1;
                naf[offset + pos] = (byte)(window - width);
            }
            top = pos;
            pos += w;
        }
        return top;
    }

    /**
     * Bit length of the four-word little-endian value at {@code offset}: 0 for zero.
     */
    static int bitLength(final long[] words, final int offset)
    {
        if (words[offset + 3] != 0)
        {
            return 256 - Long.numberOfLeadingZeros(words[offset + 3]);
        }
        if (words[offset + 2] != 0)
        {
            return 192 - Long.numberOfLeadingZeros(words[offset + 2]);
        }
        if (words[offset + 1] != 0)
        {
            return 128 - Long.numberOfLeadingZeros(words[offset + 1]);
        }
        return 64 - Long.numberOfLeadingZeros(words[offset]);
    }

    /** Room for a 256-bit scalar plus a final carry at window width 8. */
    static final int NAF_LENGTH = 264;
}
