package io.cmtchain.sigverify;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The single-signature ZIP-215 check shared by {@link Ed25519Verifier} and the fallback path of
 * {@link Ed25519BatchVerifier}, so both give identical verdicts by construction:
 * <pre>
 *   A, R decode (non-canonical y accepted), S &lt; L, k = SHA-512(R || A || M) mod L,
 *   valid iff [8]([S]B - [k]A - R) = identity.
 * </pre>
 * The check runs on an equivalent equation with half-size scalars: {@link ChallengeSplit} finds e = d k (mod L)
 * with e below 2^126 and |d| below 2^127, and the check becomes [8]([S']B - [e]A - [d]R) = identity with
 * S' = d S mod L (signs as d's). That is one interleaved multi-scalar multiplication of about 128 doublings,
 * half of what [S]B - [k]A takes: width-5 NAF over tables of A's and R's odd multiples built per call,
 * width-8 NAF over fixed affine tables of the odd multiples of B and of 2^128 B for S''s two halves.
 */
final class VerifyCore
{
    static final int A_WINDOW = 5;
    static final int A_TABLE = 1 << (A_WINDOW - 2);
    static final int B_WINDOW = 8;
    static final int B_TABLE = 1 << (B_WINDOW - 2);

    /** B, 3B, 5B, ..., 127B in affine Niels form. */
    static final CachedPoint[] BASE_TABLE = new CachedPoint[B_TABLE];
    /** The same odd multiples of 2^128 B, for the top half of a scalar. */
    static final CachedPoint[] BASE_TABLE_HIGH = new CachedPoint[B_TABLE];

    static
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint base = new EdwardsPoint();
        curve.basePoint(base);
        oddMultiplesAffine(curve, base, BASE_TABLE);
        for (int i = 0; i < 128; i++)
        {
            curve.dbl(base, base, true);
        }
        oddMultiplesAffine(curve, base, BASE_TABLE_HIGH);
    }

    private static void oddMultiplesAffine(final Curve25519 curve, final EdwardsPoint base, final CachedPoint[] table)
    {
        final EdwardsPoint twice = new EdwardsPoint();
        final EdwardsPoint acc = new EdwardsPoint();
        final CachedPoint twiceCached = new CachedPoint();
        curve.dbl(twice, base, true);
        curve.toCached(twiceCached, twice);
        acc.set(base);
        for (int i = 0; i < table.length; i++)
        {
            table[i] = new CachedPoint();
            curve.toAffine(table[i], acc);
            curve.addCached(acc, acc, twiceCached, false, true);
        }
    }

    final Curve25519 curve = new Curve25519();
    final ChallengeHasher hasher = new ChallengeHasher();

    private final EdwardsPoint pointA = new EdwardsPoint();
    private final EdwardsPoint pointR = new EdwardsPoint();
    private final EdwardsPoint acc = new EdwardsPoint();
    private final EdwardsPoint scratchA = new EdwardsPoint();
    private final EdwardsPoint scratchB = new EdwardsPoint();
    private final CachedPoint scratchCached = new CachedPoint();
    private final CachedPoint[] tableA = new CachedPoint[A_TABLE];
    private final CachedPoint[] tableR = new CachedPoint[A_TABLE];
    private final ChallengeSplit split = new ChallengeSplit();
    private final long[] dLimbs = new long[7];
    private final long[] sLimbs = new long[13];
    private final long[] limbs = new long[Scalar25519.LIMBS];
    private final long[] k = new long[4];
    private final long[] s = new long[4];
    /** S' above bit 128, for the table of 2^128 B; its top two words stay zero. */
    private final long[] sHigh = new long[4];
    private final byte[] nafA = new byte[Scalar25519.NAF_LENGTH];
    private final byte[] nafR = new byte[Scalar25519.NAF_LENGTH];
    private final byte[] nafB = new byte[Scalar25519.NAF_LENGTH];
    private final byte[] nafBHigh = new byte[Scalar25519.NAF_LENGTH];

    VerifyCore()
    {
        for (int i = 0; i < A_TABLE; i++)
        {
            tableA[i] = new CachedPoint();
            tableR[i] = new CachedPoint();
        }
    }

    static long word(final DirectBuffer buf, final int offset, final int i)
    {
        return buf.getLong(offset + 8 * i, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Refuse a key, signature or message that runs past its buffer, before anything of it is read or hashed: the
     * challenge's digest is reused, and a batch entry refused must take no index.
     *
     * @throws IndexOutOfBoundsException naming the range.
     */
    static void checkRanges(
        final DirectBuffer pubKeyBuf,
        final int pubKeyOffset,
        final DirectBuffer sigBuf,
        final int sigOffset,
        final DirectBuffer msgBuf,
        final int msgOffset,
        final int msgLength)
    {
        pubKeyBuf.boundsCheck(pubKeyOffset, Ed25519Verifier.PUBLIC_KEY_LENGTH);
        sigBuf.boundsCheck(sigOffset, Ed25519Verifier.SIGNATURE_LENGTH);
        msgBuf.boundsCheck(msgOffset, msgLength);
    }

    boolean decode(final EdwardsPoint r, final DirectBuffer buf, final int offset)
    {
        return curve.decode(r, word(buf, offset, 0), word(buf, offset, 1), word(buf, offset, 2),
            word(buf, offset, 3));
    }

    boolean verify(
        final DirectBuffer pubKeyBuf,
        final int pubKeyOffset,
        final DirectBuffer sigBuf,
        final int sigOffset,
        final byte[] prefix,
        final DirectBuffer msgBuf,
        final int msgOffset,
        final int msgLength)
    {
        // Every range first, as the batch's add does: a caller's range error is refused alike in both modes, whatever
        // an early rejection (S, A or R) would otherwise have skipped reading.
        checkRanges(pubKeyBuf, pubKeyOffset, sigBuf, sigOffset, msgBuf, msgOffset, msgLength);
        s[0] = word(sigBuf, sigOffset + 32, 0);
        s[1] = word(sigBuf, sigOffset + 32, 1);
        s[2] = word(sigBuf, sigOffset + 32, 2);
        s[3] = word(sigBuf, sigOffset + 32, 3);
        if (!Scalar25519.isCanonical(s[0], s[1], s[2], s[3]))
        {
            return false;
        }
        if (curve.decode2(
            pointA, word(pubKeyBuf, pubKeyOffset, 0), word(pubKeyBuf, pubKeyOffset, 1),
            word(pubKeyBuf, pubKeyOffset, 2), word(pubKeyBuf, pubKeyOffset, 3),
            pointR, word(sigBuf, sigOffset, 0), word(sigBuf, sigOffset, 1), word(sigBuf, sigOffset, 2),
            word(sigBuf, sigOffset, 3)) != 3)
        {
            return false;
        }
        hasher.challenge(sigBuf, sigOffset, pubKeyBuf, pubKeyOffset, prefix, msgBuf, msgOffset, msgLength, k);
        return verifyDecoded(pointA, pointR, k, 0, s, 0);
    }

    /**
     * @param a decoded public key.
     * @param r decoded R.
     * @param kWords challenge mod L at {@code kOffset}.
     * @param sWords canonical S at {@code sOffset}.
     */
    boolean verifyDecoded(
        final EdwardsPoint a,
        final EdwardsPoint r,
        final long[] kWords,
        final int kOffset,
        final long[] sWords,
        final int sOffset)
    {
        // e = d k (mod L) with e, d about 2^126: [8]([dS]B - [e]A - [d]R) is [d] times [8]([S]B - [k]A - R),
        // because [8]A has order L, and d is not a multiple of L, so both are the identity together.
        final ChallengeSplit split = this.split;
        split.split(kWords, kOffset);
        final boolean dNegative = split.dNegative;

        // S' = |d| S mod L, split at bit 128 between B's table and (2^128 B)'s.
        s[0] = sWords[sOffset];
        s[1] = sWords[sOffset + 1];
        s[2] = sWords[sOffset + 2];
        s[3] = sWords[sOffset + 3];
        Scalar25519.mulSmall(split.d, s, s, dLimbs, sLimbs, limbs);
        sHigh[0] = s[2];
        sHigh[1] = s[3];
        s[2] = 0;
        s[3] = 0;

        curve.oddMultiples(tableA, 0, A_TABLE, a, scratchA, scratchB, scratchCached);
        curve.oddMultiples(tableR, 0, A_TABLE, r, scratchA, scratchB, scratchCached);
        final int topE = Scalar25519.naf(split.e, A_WINDOW, nafA, 0);
        final int topD = Scalar25519.naf(split.d, A_WINDOW, nafR, 0);
        final int topLow = Scalar25519.naf(s, B_WINDOW, nafB, 0);
        final int topHigh = Scalar25519.naf(sHigh, B_WINDOW, nafBHigh, 0);

        final Curve25519 curve = this.curve;
        final EdwardsPoint acc = this.acc;
        acc.identity();
        for (int i = Math.max(Math.max(topE, topD), Math.max(topLow, topHigh)); i >= 0; i--)
        {
            final int dE = nafA[i];
            final int dD = nafR[i];
            final int dLow = nafB[i];
            final int dHigh = nafBHigh[i];
            // T is needed only by an addition.
            final boolean addLow = (dLow | dHigh) != 0;
            final boolean addR = dD != 0 || addLow;
            curve.dbl(acc, acc, dE != 0 || addR);
            if (dE != 0)
            {
                // The A term is -[e]A for a positive d, +[e]A for a negative one.
                curve.addCached(acc, acc, tableA[(dE > 0 ? dE : -dE) >> 1], (dE > 0) != dNegative, addR);
            }
            if (dD != 0)
            {
                // -[|d|]R: a positive digit subtracts.
                curve.addCached(acc, acc, tableR[(dD > 0 ? dD : -dD) >> 1], dD > 0, addLow);
            }
            if (dLow != 0)
            {
                curve.addAffine(acc, acc, BASE_TABLE[(dLow > 0 ? dLow : -dLow) >> 1], dLow < 0, dHigh != 0);
            }
            if (dHigh != 0)
            {
                curve.addAffine(acc, acc, BASE_TABLE_HIGH[(dHigh > 0 ? dHigh : -dHigh) >> 1], dHigh < 0, false);
            }
        }
        return curve.isIdentityTimesCofactor(acc);
    }
}
