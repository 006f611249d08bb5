package io.cmtchain.sigverify;

import io.cmtchain.engine.tx.MessageSigner;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Ed25519 signing (RFC 8032, pure Ed25519) with one key, on this module's field and group code: the same signatures
 * as any RFC 8032 signer, byte for byte (signing is deterministic), without allocating per signature.
 * <p>
 * Constant time in the secrets: [r]B walks the scalar's 64 signed radix-16 digits in a fixed order and takes each
 * table entry by a masked scan of all eight candidates, with a masked negation, so neither a branch nor a memory
 * address depends on r; the scalar arithmetic (S = r + k·a, and the reduction mod L, whose folds run a fixed number of
 * times and whose last correction is masked: {@link Scalar25519#reduce}) has no branch on the secrets, bar the
 * reduction's fallback loop that no probed value entered. The encodings of R and of the public key are public and are
 * computed normally.
 * <p>
 * One instance per key and thread: it keeps its scratch. Used for the block and commit signatures a validator makes
 * once per block.
 */
public final class Ed25519Signer implements MessageSigner
{
    /** 21-bit limbs that hold a scalar below 2^255 (the clamped secret scalar; r and k are below L). */
    private static final int SCALAR_LIMBS = 13;
    /** Base table: entry [i][j] is (j + 1)·256^i·B in affine Niels form, for the radix-16 digits. */
    private static final CachedPoint[][] BASE = buildBaseTable();

    private final MessageDigest sha512 = ChallengeHasher.newSha512();
    private final byte[] prefix = new byte[32];
    private final byte[] publicKey = new byte[32];
    private final long[] scalarLimbs = new long[SCALAR_LIMBS];
    private final long[] kLimbs = new long[SCALAR_LIMBS];
    private final byte[] hash = new byte[64];
    private final long[] hashWords = new long[8];
    private final long[] limbs = new long[Scalar25519.LIMBS];
    private final long[] r = new long[4];
    private final long[] k = new long[4];
    private final long[] s = new long[4];
    private final byte[] digits = new byte[64];
    private final Curve25519 curve = new Curve25519();
    private final EdwardsPoint acc = new EdwardsPoint();
    private final CachedPoint selected = new CachedPoint();
    private final long[] negT = new long[5];
    private final long[] zInv = new long[5];
    private final long[] ax = new long[5];
    private final long[] ay = new long[5];
    private final long[] t0 = new long[5];
    private final long[] t1 = new long[5];
    private final long[] t2 = new long[5];
    private final long[] t3 = new long[5];
    private final byte[] encodedR = new byte[32];

    /**
     * @param seed the 32-byte private key of RFC 8032 (copied into the expanded key; the seed itself is not kept).
     */
    public Ed25519Signer(final byte[] seed)
    {
        if (seed.length != 32)
        {
            throw new IllegalArgumentException("an Ed25519 private seed is 32 bytes, got " + seed.length);
        }
        sha512.update(seed, 0, 32);
        digest(hash);
        hash[0] &= (byte)0xF8;
        hash[31] &= 0x7F;
        hash[31] |= 0x40;
        for (int i = 0; i < 4; i++)
        {
            hashWords[i] = (long)ChallengeHasher.LE_LONG.get(hash, i * 8);
        }
        Scalar25519.toLimbs(hashWords, SCALAR_LIMBS, scalarLimbs, 0);
        System.arraycopy(hash, 32, prefix, 0, 32);
        scalarMultBase(hash, 0);
        encode(acc, publicKey);
        Arrays.fill(hash, (byte)0);
        Arrays.fill(hashWords, 0);
    }

    /** @return a copy of the 32-byte public key. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    @Override
    public void sign(final byte[] message, final int offset, final int length, final byte[] sig, final int sigOffset)
    {
        // r = SHA-512(prefix || M) mod L; R = [r]B.
        sha512.update(prefix, 0, 32);
        sha512.update(message, offset, length);
        digest(hash);
        reduce64(hash, r);
        scalarBytes(r, hash);
        scalarMultBase(hash, 0);
        encode(acc, encodedR);

        // k = SHA-512(R || A || M) mod L.
        sha512.update(encodedR, 0, 32);
        sha512.update(publicKey, 0, 32);
        sha512.update(message, offset, length);
        digest(hash);
        reduce64(hash, k);

        // S = (r + k·a) mod L, on 21-bit limbs: 13 by 13, each product below 2^42.
        Arrays.fill(limbs, 0);
        Scalar25519.toLimbs(r, SCALAR_LIMBS, limbs, 0);
        Scalar25519.toLimbs(k, SCALAR_LIMBS, kLimbs, 0);
        Scalar25519.mulAdd(limbs, kLimbs, 0, SCALAR_LIMBS, scalarLimbs, 0, SCALAR_LIMBS);
        Scalar25519.reduce(limbs, s);

        System.arraycopy(encodedR, 0, sig, sigOffset, 32);
        for (int i = 0; i < 4; i++)
        {
            ChallengeHasher.LE_LONG.set(sig, sigOffset + 32 + 8 * i, s[i]);
        }
        Arrays.fill(hash, (byte)0);
        Arrays.fill(r, 0);
        Arrays.fill(digits, (byte)0);
    }

    private void reduce64(final byte[] bytes, final long[] out)
    {
        ChallengeHasher.reduce(bytes, hashWords, limbs, out);
    }

    private static void scalarBytes(final long[] words, final byte[] out)
    {
        for (int i = 0; i < 4; i++)
        {
            ChallengeHasher.LE_LONG.set(out, 8 * i, words[i]);
        }
    }

    /**
     * acc = [a]B for the 32-byte little-endian scalar at {@code scalar[offset]} (below 2^255), in constant time.
     */
    private void scalarMultBase(final byte[] scalar, final int offset)
    {
        // Signed radix-16 digits in [-8, 8): a = sum digits[i]·16^i.
        for (int i = 0; i < 32; i++)
        {
            final int b = scalar[offset + i] & 0xFF;
            digits[2 * i] = (byte)(b & 15);
            digits[2 * i + 1] = (byte)(b >>> 4);
        }
        int carry = 0;
        for (int i = 0; i < 63; i++)
        {
            final int d = digits[i] + carry;
            carry = (d + 8) >> 4;
            digits[i] = (byte)(d - (carry << 4));
        }
        digits[63] = (byte)(digits[63] + carry);

        // Odd digits first, then times 16, then the even digits: 256^i·16 = 16^(2i+1).
        acc.identity();
        for (int i = 1; i < 64; i += 2)
        {
            select(i >>> 1, digits[i]);
            curve.addAffine(acc, acc, selected, false, true);
        }
        curve.dbl(acc, acc, false);
        curve.dbl(acc, acc, false);
        curve.dbl(acc, acc, false);
        curve.dbl(acc, acc, true);
        for (int i = 0; i < 64; i += 2)
        {
            select(i >>> 1, digits[i]);
            curve.addAffine(acc, acc, selected, false, true);
        }
    }

    /** selected = digit·256^row·B, by scanning all eight entries with masks (digit in [-8, 8]). */
    private void select(final int row, final byte digit)
    {
        final int negative = (digit >> 7) & 1;
        final int magnitude = digit - ((-negative & digit) << 1);
        // The identity in Niels form: (1, 1, 0).
        Field25519.one(selected.yPlusX);
        Field25519.one(selected.yMinusX);
        Field25519.zero(selected.t2d);
        final CachedPoint[] entries = BASE[row];
        for (int j = 0; j < 8; j++)
        {
            final long mask = -(long)equal(magnitude, j + 1);
            move(selected.yPlusX, entries[j].yPlusX, mask);
            move(selected.yMinusX, entries[j].yMinusX, mask);
            move(selected.t2d, entries[j].t2d, mask);
        }
        // -P in Niels form swaps Y+X with Y-X and negates 2dT.
        final long swap = -(long)negative;
        for (int l = 0; l < 5; l++)
        {
            final long x = (selected.yPlusX[l] ^ selected.yMinusX[l]) & swap;
            selected.yPlusX[l] ^= x;
            selected.yMinusX[l] ^= x;
        }
        Field25519.neg(negT, selected.t2d);
        move(selected.t2d, negT, swap);
    }

    /** 1 when a == b, else 0, without a branch (a and b in [0, 8]). */
    private static int equal(final int a, final int b)
    {
        return ((a ^ b) - 1) >>> 31;
    }

    private static void move(final long[] r, final long[] a, final long mask)
    {
        for (int l = 0; l < 5; l++)
        {
            r[l] ^= (r[l] ^ a[l]) & mask;
        }
    }

    /** The 32-byte encoding of p: y, with the sign of x in the top bit. */
    private void encode(final EdwardsPoint p, final byte[] out)
    {
        Field25519.invert(zInv, p.z, t0, t1, t2, t3);
        Field25519.mul(ax, p.x, zInv);
        Field25519.mul(ay, p.y, zInv);
        Field25519.freeze(ax);
        Field25519.freeze(ay);
        for (int i = 0; i < 4; i++)
        {
            ChallengeHasher.LE_LONG.set(out, 8 * i, Field25519.word(ay, i));
        }
        out[31] |= (byte)((ax[0] & 1) << 7);
    }

    private void digest(final byte[] out)
    {
        try
        {
            sha512.digest(out, 0, 64);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static CachedPoint[][] buildBaseTable()
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint row = new EdwardsPoint();
        final EdwardsPoint multiple = new EdwardsPoint();
        final CachedPoint rowCached = new CachedPoint();
        curve.basePoint(row);
        final CachedPoint[][] table = new CachedPoint[32][8];
        for (int i = 0; i < 32; i++)
        {
            curve.toCached(rowCached, row);
            multiple.set(row);
            for (int j = 0; j < 8; j++)
            {
                table[i][j] = new CachedPoint();
                curve.toAffine(table[i][j], multiple);
                curve.addCached(multiple, multiple, rowCached, false, true);
            }
            for (int d = 0; d < 8; d++)
            {
                curve.dbl(row, row, d == 7);
            }
        }
        return table;
    }
}
