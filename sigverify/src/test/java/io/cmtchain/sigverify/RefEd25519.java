package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A slow, obviously written edwards25519 on BigInteger in affine coordinates, for tests only: it builds signatures
 * the honest signers cannot (R or A with a small-order component, keys signed under another key's bytes, chosen
 * S) and judges them by the ZIP-215 rule as stated, independently of the limb code under test.
 */
final class RefEd25519
{
    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L =
        BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    static final BigInteger D = BigInteger.valueOf(-121665)
        .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);
    static final Point BASE = decode(encodeY(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P))
        .mod(P), false));

    /** An affine point (x, y). */
    static final class Point
    {
        final BigInteger x;
        final BigInteger y;

        Point(final BigInteger x, final BigInteger y)
        {
            this.x = x.mod(P);
            this.y = y.mod(P);
        }

        boolean same(final Point o)
        {
            return x.equals(o.x) && y.equals(o.y);
        }
    }

    private RefEd25519()
    {
    }

    static byte[] encodeY(final BigInteger y, final boolean sign)
    {
        final byte[] out = littleEndian(y, 32);
        if (sign)
        {
            out[31] |= (byte)0x80;
        }
        return out;
    }

    static byte[] encode(final Point p)
    {
        return encodeY(p.y, p.x.testBit(0));
    }

    /** ZIP-215 decoding: y taken mod p, a set sign bit with x = 0 accepted; null when y is off the curve. */
    static Point decode(final byte[] enc)
    {
        final boolean sign = (enc[31] & 0x80) != 0;
        final byte[] copy = enc.clone();
        copy[31] &= 0x7F;
        final BigInteger y = fromLittleEndian(copy).mod(P);
        final BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
        final BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
        final BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(x2))
        {
            x = x.multiply(SQRT_M1).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(x2))
        {
            return null;
        }
        if (x.testBit(0) != sign)
        {
            x = P.subtract(x).mod(P);
        }
        return new Point(x, y);
    }

    static Point add(final Point p, final Point q)
    {
        final BigInteger dxy = D.multiply(p.x).multiply(q.x).multiply(p.y).multiply(q.y).mod(P);
        final BigInteger x = p.x.multiply(q.y).add(q.x.multiply(p.y))
            .multiply(BigInteger.ONE.add(dxy).modInverse(P));
        final BigInteger y = p.y.multiply(q.y).add(p.x.multiply(q.x))
            .multiply(BigInteger.ONE.subtract(dxy).mod(P).modInverse(P));
        return new Point(x, y);
    }

    static Point neg(final Point p)
    {
        return new Point(p.x.negate(), p.y);
    }

    /** [n]p by double-and-add in extended coordinates (X:Y:Z:T), one inversion at the end. */
    static Point mul(final BigInteger n, final Point p)
    {
        final BigInteger[] q = {p.x, p.y, BigInteger.ONE, p.x.multiply(p.y).mod(P)};
        BigInteger[] acc = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        for (int i = n.bitLength() - 1; i >= 0; i--)
        {
            acc = addExtended(acc, acc);
            if (n.testBit(i))
            {
                acc = addExtended(acc, q);
            }
        }
        final BigInteger zInv = acc[2].modInverse(P);
        return new Point(acc[0].multiply(zInv), acc[1].multiply(zInv));
    }

    /** The unified addition of Hisil, Wong, Carter and Dawson for a = -1, complete on edwards25519. */
    private static BigInteger[] addExtended(final BigInteger[] p, final BigInteger[] q)
    {
        final BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        final BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        final BigInteger c = p[3].multiply(D).multiply(BigInteger.TWO).multiply(q[3]).mod(P);
        final BigInteger d = p[2].multiply(BigInteger.TWO).multiply(q[2]).mod(P);
        final BigInteger e = b.subtract(a);
        final BigInteger f = d.subtract(c);
        final BigInteger g = d.add(c);
        final BigInteger h = b.add(a);
        return new BigInteger[] {e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P),
            e.multiply(h).mod(P)};
    }

    /** The eight points of order dividing 8, found as [L]P for points P of the curve. */
    static List<Point> torsion()
    {
        Point t8 = null;
        for (int y = 2; t8 == null; y++)
        {
            final Point p = decode(encodeY(BigInteger.valueOf(y), false));
            if (p != null)
            {
                final Point t = mul(L, p);
                if (!mul(BigInteger.valueOf(4), t).same(IDENTITY))
                {
                    t8 = t;
                }
            }
        }
        final List<Point> out = new ArrayList<>();
        Point acc = IDENTITY;
        for (int i = 0; i < 8; i++)
        {
            out.add(acc);
            acc = add(acc, t8);
        }
        return out;
    }

    static BigInteger challenge(final byte[] r, final byte[] a, final byte[] msg)
    {
        final MessageDigest sha = sha512();
        sha.update(r);
        sha.update(a);
        sha.update(msg);
        return fromLittleEndian(sha.digest()).mod(L);
    }

    /**
     * A signature with R = [r]B + torsion (encoded as {@code rBytes} when given, else canonically) and
     * S = r + k·a mod L (plus {@code sExtra}, unreduced), k hashed over {@code aBytes}: valid under ZIP-215 when the
     * key {@code aBytes} decodes to [a]B plus any small-order point and sExtra is 0.
     */
    static byte[] sign(
        final BigInteger a, final byte[] aBytes, final BigInteger r, final Point torsion, final byte[] rBytes,
        final byte[] msg, final BigInteger sExtra)
    {
        final byte[] rEnc = rBytes != null ? rBytes : encode(add(mul(r, BASE), torsion));
        final BigInteger k = challenge(rEnc, aBytes, msg);
        final BigInteger s = r.add(k.multiply(a)).mod(L).add(sExtra);
        final byte[] sig = new byte[64];
        System.arraycopy(rEnc, 0, sig, 0, 32);
        System.arraycopy(littleEndian(s, 32), 0, sig, 32, 32);
        return sig;
    }

    /** The ZIP-215 rule as written: A, R decode, S &lt; L, [8]([S]B - [k]A - R) = identity. */
    static boolean verify(final byte[] aBytes, final byte[] sig, final byte[] msg)
    {
        if (aBytes.length != 32 || sig.length != 64)
        {
            return false;
        }
        final byte[] rBytes = java.util.Arrays.copyOfRange(sig, 0, 32);
        final BigInteger s = fromLittleEndian(java.util.Arrays.copyOfRange(sig, 32, 64));
        final Point a = decode(aBytes);
        final Point r = decode(rBytes);
        if (s.compareTo(L) >= 0 || a == null || r == null)
        {
            return false;
        }
        final BigInteger k = challenge(rBytes, aBytes, msg);
        final Point e = add(add(mul(s, BASE), neg(mul(k, a))), neg(r));
        return mul(BigInteger.valueOf(8), e).same(IDENTITY);
    }

    static byte[] littleEndian(final BigInteger v, final int length)
    {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = v.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    /**
     * @param fe a field element's five radix-2^51 limbs, as {@link Field25519} holds them (not reduced).
     * @return its value.
     */
    static BigInteger limbs(final long[] fe)
    {
        BigInteger v = BigInteger.ZERO;
        for (int i = 4; i >= 0; i--)
        {
            v = v.shiftLeft(51).add(BigInteger.valueOf(fe[i]));
        }
        return v;
    }

    /**
     * @param w unsigned 64-bit words, least significant first.
     * @return their value.
     */
    static BigInteger words(final long[] w)
    {
        BigInteger v = BigInteger.ZERO;
        for (int i = w.length - 1; i >= 0; i--)
        {
            v = v.shiftLeft(64).add(new BigInteger(Long.toUnsignedString(w[i])));
        }
        return v;
    }

    static BigInteger fromLittleEndian(final byte[] b)
    {
        final byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++)
        {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }

    private static MessageDigest sha512()
    {
        try
        {
            return MessageDigest.getInstance("SHA-512");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
