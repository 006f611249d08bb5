package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of the group and field code that random signatures almost never reach: points with a tiny x (whose
 * computed x often comes out as x + p, so its sign needs a full reduction), zero tests on values with a single
 * non-zero limb, the negation of scalars whose words equal L's, and the fixed base-point table.
 */
class CurveEdgeTest
{
    private static final BigInteger P = RefEd25519.P;
    private static final BigInteger L = RefEd25519.L;

    private static BigInteger value(final long[] fe)
    {
        final long[] frozen = fe.clone();
        Field25519.freeze(frozen);
        return RefEd25519.limbs(frozen);
    }

    private static BigInteger words(final long[] w)
    {
        return RefEd25519.words(w);
    }

    /**
     * Points (x, y) for x = 1, 2, 3, ... with both signs: the sign bit must pick x or -x exactly as the reference
     * does, also when the decoder's x is held as x + p before reduction.
     */
    @Test
    void shouldDecodePointsWithATinyXToTheSignedX()
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint point = new EdwardsPoint();
        int points = 0;
        for (int x = 1; x < 200; x++)
        {
            final BigInteger bx = BigInteger.valueOf(x);
            final BigInteger y2 = BigInteger.ONE.add(bx.multiply(bx))
                .multiply(BigInteger.ONE.subtract(RefEd25519.D.multiply(bx).multiply(bx)).mod(P).modInverse(P)).mod(P);
            final BigInteger root = sqrt(y2);
            if (!root.multiply(root).mod(P).equals(y2))
            {
                // No point has this x.
                continue;
            }
            for (final BigInteger y : new BigInteger[] {root, P.subtract(root)})
            {
                for (final boolean sign : new boolean[] {false, true})
                {
                    final byte[] enc = RefEd25519.encodeY(y, sign);
                    final RefEd25519.Point expected = RefEd25519.decode(enc);
                    final long[] w = Zip215EdgeCaseTest.words(enc);
                    assertTrue(curve.decode(point, w[0], w[1], w[2], w[3]));
                    final BigInteger zInv = value(point.z).modInverse(P);
                    assertEquals(expected.x, value(point.x).multiply(zInv).mod(P), "x = " + x + ", sign " + sign);
                    assertEquals(sign, expected.x.testBit(0));
                    assertTrue(expected.x.equals(bx) || expected.x.equals(P.subtract(bx)));
                    points++;
                }
            }
        }
        assertTrue(points > 100, "points: " + points);
    }

    private static BigInteger sqrt(final BigInteger v)
    {
        BigInteger r = v.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!r.multiply(r).mod(P).equals(v))
        {
            r = r.multiply(RefEd25519.SQRT_M1).mod(P);
        }
        return r;
    }

    @Test
    void shouldSeeZeroOnlyInZeroAndItsMultiplesOfP()
    {
        final long[] scratch = new long[5];
        for (int limb = 0; limb < 5; limb++)
        {
            for (final long v : new long[] {1, 2, 1L << 50, (1L << 51) - 1})
            {
                final long[] fe = new long[5];
                fe[limb] = v;
                assertFalse(Field25519.isZero(fe, scratch), "limb " + limb + " = " + v);
            }
            final long[] most = {1, 1, 1, 1, 1};
            most[limb] = 0;
            assertFalse(Field25519.isZero(most, scratch), "all but limb " + limb);
        }
        assertTrue(Field25519.isZero(new long[5], scratch));
        // p itself and 2p, in non-canonical limbs.
        final long[] p = {(1L << 51) - 19, (1L << 51) - 1, (1L << 51) - 1, (1L << 51) - 1, (1L << 51) - 1};
        assertTrue(Field25519.isZero(p, scratch));
        final long[] twoP = {2 * ((1L << 51) - 19), 2 * ((1L << 51) - 1), 2 * ((1L << 51) - 1), 2 * ((1L << 51) - 1),
            2 * ((1L << 51) - 1)};
        assertTrue(Field25519.isZero(twoP, scratch));
    }

    /** L - x for x whose words equal L's word by word (borrows at every position), and x = 0. */
    @Test
    void shouldNegateScalarsWhoseWordsMeetLsWords()
    {
        final long[] lWords = {Scalar25519.L0, Scalar25519.L1, Scalar25519.L2, Scalar25519.L3};
        final Random random = new Random(71);
        final long[] out = new long[4];
        for (int mask = 0; mask < 16; mask++)
        {
            for (int variant = 0; variant < 4; variant++)
            {
                final long[] x = new long[4];
                for (int w = 0; w < 4; w++)
                {
                    if ((mask & (1 << w)) != 0)
                    {
                        x[w] = lWords[w];
                    }
                    else
                    {
                        x[w] = variant == 0 ? 0 : variant == 1 ? 1 : variant == 2 ? -1L : random.nextLong();
                    }
                }
                final BigInteger bx = words(x);
                if (bx.compareTo(L) >= 0)
                {
                    // Only reduced inputs; bring this one below L by clearing its top word's high bits.
                    x[3] &= 0x0FFFFFFFFFFFFFFFL;
                }
                final BigInteger reduced = words(x);
                if (reduced.compareTo(L) >= 0)
                {
                    continue;
                }
                Scalar25519.negate(x, out);
                assertEquals(L.subtract(reduced).mod(L), words(out), "x = " + reduced.toString(16));
            }
        }
        for (final long[] x : new long[][] {{0, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {1, 0, 0, 0},
            {Scalar25519.L0, Scalar25519.L1, 0, 0}, {Scalar25519.L0 - 1, Scalar25519.L1, 0, Scalar25519.L3}})
        {
            Scalar25519.negate(x, out);
            assertEquals(L.subtract(words(x)).mod(L), words(out), "x = " + words(x).toString(16));
        }
    }

    /** The verifier's fixed table: B, 3B, ..., 127B as (y + x, y - x, 2dxy). */
    @Test
    void shouldHoldTheOddMultiplesOfTheBasePointInTheTable()
    {
        for (int i = 0; i < VerifyCore.B_TABLE; i++)
        {
            final RefEd25519.Point p = RefEd25519.mul(BigInteger.valueOf(2L * i + 1), RefEd25519.BASE);
            final CachedPoint entry = VerifyCore.BASE_TABLE[i];
            assertEquals(p.y.add(p.x).mod(P), value(entry.yPlusX), "entry " + i);
            assertEquals(p.y.subtract(p.x).mod(P), value(entry.yMinusX), "entry " + i);
            assertEquals(p.x.multiply(p.y).multiply(RefEd25519.D).multiply(BigInteger.TWO).mod(P), value(entry.t2d),
                "entry " + i);
        }
        // And toAffine itself, on a point with Z != 1.
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint base = new EdwardsPoint();
        curve.basePoint(base);
        final EdwardsPoint twice = new EdwardsPoint();
        curve.dbl(twice, base, true);
        final CachedPoint affine = new CachedPoint();
        curve.toAffine(affine, twice);
        final RefEd25519.Point p = RefEd25519.mul(BigInteger.TWO, RefEd25519.BASE);
        assertEquals(p.y.add(p.x).mod(P), value(affine.yPlusX));
        assertEquals(p.y.subtract(p.x).mod(P), value(affine.yMinusX));
        assertEquals(BigInteger.ONE, value(affine.z2));
        assertEquals(p.x.multiply(p.y).multiply(RefEd25519.D).multiply(BigInteger.TWO).mod(P), value(affine.t2d));
    }
}
