package io.cmtchain.sigverify;

import io.cmtchain.engine.tx.MessageSigner;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ed25519 signing (RFC 8032, pure Ed25519) with one key, on this module's field and group code: the same signatures
 * as any RFC 8032 signer, byte for byte (signing is deterministic), without allocating per signature.
 * <p>
 * Constant time in the secrets: [r]B walks the scalar's 51 signed radix-32 digits in a fixed order, one table row per
 * digit (so no doublings), and takes each row's entry by reading all sixteen candidates (packed as 12 words each) and
 * keeping the wanted one with masks, then negating it under a mask, so neither a branch nor a memory address depends
 * on r (the digits are read from r with shifts and masks at fixed positions). The field arithmetic it runs on
 * ({@link Field25519}'s mul, add, sub, carry, freeze, fromWords) has no branch and no index that depends on a value.
 * The scalar arithmetic (S = r + k·a, and the reduction mod L, whose folds run a fixed number of times and whose last
 * correction is masked: {@link Scalar25519#reduce}) has no branch on the secrets, bar the reduction's fallback loop
 * that no probed value entered. R's projective Z is derived from r, so it is inverted in constant time too, by
 * safegcd with a fixed count of divsteps ({@link FieldInverter}); the encodings of R and of the public key that follow
 * are public.
 * <p>
 * One instance per key and thread: it keeps its scratch. Used for the block and commit signatures a validator makes
 * once per block.
 */
public final class Ed25519Signer implements MessageSigner
{
    /** 21-bit limbs that hold a scalar below 2^255 (the clamped secret scalar; r and k are below L). */
    private static final int SCALAR_LIMBS = 13;
    /** Bits per signed digit of r in [r]B: digits in [-2^(W-1), 2^(W-1)]. */
    private static final int W = 5;
    /** Digits of a scalar below L (253 bits): the top one takes the last bits plus the recoding's carry. */
    private static final int DIGITS = (253 + W - 1) / W;
    /** Table entries per digit position: the multiples 1..2^(W-1). */
    private static final int ENTRIES = 1 << (W - 1);
    /** Longs per table entry: y+x, y-x and 2dxy, each as its four canonical little-endian words. */
    private static final int ENTRY_LONGS = 12;
    /** 2p limb by limb, for negating a frozen element without a carry. */
    private static final long TWO_P0 = 2 * ((1L << 51) - 19);
    private static final long TWO_P = 2 * ((1L << 51) - 1);
    /**
     * Base table, flat: the entry for digit position i and multiple j + 1 is (j + 1)·2^(W·i)·B in affine Niels form,
     * at {@code (i·ENTRIES + j)·ENTRY_LONGS}.
     */
    private static final long[] BASE = buildBaseTable();

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
    private final byte[] digits = new byte[DIGITS];
    private final Curve25519 curve = new Curve25519();
    private final EdwardsPoint acc = new EdwardsPoint();
    private final CachedPoint selected = new CachedPoint();
    private final long[] zInv = new long[5];
    private final long[] ax = new long[5];
    private final long[] ay = new long[5];
    private final FieldInverter inverter = new FieldInverter();
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
        // [a]B = [a mod L]B: B has order L, and the digits cover scalars below L.
        Arrays.fill(limbs, 0);
        System.arraycopy(scalarLimbs, 0, limbs, 0, SCALAR_LIMBS);
        Scalar25519.reduce(limbs, s);
        scalarMultBase(s);
        encode(acc, publicKey);
        Arrays.fill(s, 0);
        Arrays.fill(hash, (byte)0);
        Arrays.fill(hashWords, 0);
    }

    /** @return a copy of the 32-byte public key. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException when the message or the signature's 64 bytes lie outside their arrays;
     *                                   nothing is hashed or written then, so the next signature is unaffected.
     */
    @Override
    public void sign(final byte[] message, final int offset, final int length, final byte[] sig, final int sigOffset)
    {
        // Both ranges before the first hash: the digest is reused, and a refusal part way would leave the nonce
        // prefix in it for the next signature's nonce.
        Objects.checkFromIndexSize(offset, length, message.length);
        Objects.checkFromIndexSize(sigOffset, 64, sig.length);

        // r = SHA-512(prefix || M) mod L; R = [r]B.
        sha512.update(prefix, 0, 32);
        sha512.update(message, offset, length);
        digest(hash);
        reduce64(hash, r);
        scalarMultBase(r);
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

    /**
     * acc = [a]B for a scalar below L given as four little-endian words, in constant time.
     */
    private void scalarMultBase(final long[] a)
    {
        // Signed radix-2^W digits in [-2^(W-1), 2^(W-1)): a = sum digits[i]·2^(W·i); the top digit takes the carry.
        int carry = 0;
        for (int i = 0; i < DIGITS - 1; i++)
        {
            final int d = (int)Scalar25519.bits(a, W * i, W) + carry;
            carry = (d + ENTRIES) >> W;
            digits[i] = (byte)(d - (carry << W));
        }
        digits[DIGITS - 1] = (byte)(Scalar25519.bits(a, W * (DIGITS - 1), W) + carry);

        // One table row per digit position, so no doublings. The first entry becomes the accumulator directly, with
        // Z = 4: (2(y+x - (y-x)), 2(y+x + (y-x)), 4, (y+x - (y-x))(y+x + (y-x))) = (4x, 4y, 4, 4xy); the last addition
        // needs no T.
        select(0, digits[0]);
        Field25519.sub(acc.x, selected.yPlusX, selected.yMinusX);
        Field25519.add(acc.y, selected.yPlusX, selected.yMinusX);
        Field25519.mul(acc.t, acc.x, acc.y);
        Field25519.add(acc.x, acc.x, acc.x);
        Field25519.add(acc.y, acc.y, acc.y);
        // Back to reduced limbs, as the addition's Y + X must stay below the multiplication's bound.
        Field25519.carry(acc.x);
        Field25519.carry(acc.y);
        acc.z[0] = 4;
        acc.z[1] = 0;
        acc.z[2] = 0;
        acc.z[3] = 0;
        acc.z[4] = 0;
        for (int i = 1; i < DIGITS; i++)
        {
            select(i, digits[i]);
            curve.addAffine(acc, acc, selected, false, i < DIGITS - 1);
        }
    }

    /**
     * selected = digit·2^(W·row)·B (digit in [-2^(W-1), 2^(W-1)]), by reading every entry of the row and keeping the
     * wanted one with masks, then negating it under a mask.
     */
    private void select(final int row, final byte digit)
    {
        final int negative = (digit >> 7) & 1;
        final int magnitude = digit - ((-negative & digit) << 1);
        // The identity in Niels form is (1, 1, 0): it stands for digit 0, which matches no entry.
        final long zero = -(long)equal(magnitude, 0);
        long p0 = zero & 1;
        long p1 = 0;
        long p2 = 0;
        long p3 = 0;
        long m0 = zero & 1;
        long m1 = 0;
        long m2 = 0;
        long m3 = 0;
        long t0 = 0;
        long t1 = 0;
        long t2 = 0;
        long t3 = 0;
        final long[] base = BASE;
        int o = row * ENTRIES * ENTRY_LONGS;
        for (int j = 1; j <= ENTRIES; j++)
        {
            final long mask = -(long)equal(magnitude, j);
            p0 |= base[o] & mask;
            p1 |= base[o + 1] & mask;
            p2 |= base[o + 2] & mask;
            p3 |= base[o + 3] & mask;
            m0 |= base[o + 4] & mask;
            m1 |= base[o + 5] & mask;
            m2 |= base[o + 6] & mask;
            m3 |= base[o + 7] & mask;
            t0 |= base[o + 8] & mask;
            t1 |= base[o + 9] & mask;
            t2 |= base[o + 10] & mask;
            t3 |= base[o + 11] & mask;
            o += ENTRY_LONGS;
        }
        // -P in Niels form swaps Y+X with Y-X and negates 2dT.
        final long swap = -(long)negative;
        final long x0 = (p0 ^ m0) & swap;
        final long x1 = (p1 ^ m1) & swap;
        final long x2 = (p2 ^ m2) & swap;
        final long x3 = (p3 ^ m3) & swap;
        Field25519.fromWords(selected.yPlusX, p0 ^ x0, p1 ^ x1, p2 ^ x2, p3 ^ x3);
        Field25519.fromWords(selected.yMinusX, m0 ^ x0, m1 ^ x1, m2 ^ x2, m3 ^ x3);
        // 2p - t keeps the limbs of the canonical t non-negative and below 2^52, which the multiplication takes.
        final long[] t2d = selected.t2d;
        Field25519.fromWords(t2d, t0, t1, t2, t3);
        t2d[0] ^= (t2d[0] ^ (TWO_P0 - t2d[0])) & swap;
        t2d[1] ^= (t2d[1] ^ (TWO_P - t2d[1])) & swap;
        t2d[2] ^= (t2d[2] ^ (TWO_P - t2d[2])) & swap;
        t2d[3] ^= (t2d[3] ^ (TWO_P - t2d[3])) & swap;
        t2d[4] ^= (t2d[4] ^ (TWO_P - t2d[4])) & swap;
    }

    /** 1 when a == b, else 0, without a branch (a and b in [0, 2^W]). */
    private static int equal(final int a, final int b)
    {
        return ((a ^ b) - 1) >>> 31;
    }

    /** The 32-byte encoding of p: y, with the sign of x in the top bit. */
    private void encode(final EdwardsPoint p, final byte[] out)
    {
        inverter.invert(zInv, p.z);
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

    private static long[] buildBaseTable()
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint row = new EdwardsPoint();
        final EdwardsPoint multiple = new EdwardsPoint();
        final CachedPoint rowCached = new CachedPoint();
        final CachedPoint entry = new CachedPoint();
        curve.basePoint(row);
        final long[] table = new long[DIGITS * ENTRIES * ENTRY_LONGS];
        int o = 0;
        for (int i = 0; i < DIGITS; i++)
        {
            curve.toCached(rowCached, row);
            multiple.set(row);
            for (int j = 0; j < ENTRIES; j++)
            {
                curve.toAffine(entry, multiple);
                Field25519.freeze(entry.yPlusX);
                Field25519.freeze(entry.yMinusX);
                Field25519.freeze(entry.t2d);
                for (int w = 0; w < 4; w++)
                {
                    table[o + w] = Field25519.word(entry.yPlusX, w);
                    table[o + 4 + w] = Field25519.word(entry.yMinusX, w);
                    table[o + 8 + w] = Field25519.word(entry.t2d, w);
                }
                o += ENTRY_LONGS;
                curve.addCached(multiple, multiple, rowCached, false, true);
            }
            for (int d = 0; d < W; d++)
            {
                curve.dbl(row, row, d == W - 1);
            }
        }
        return table;
    }
}
