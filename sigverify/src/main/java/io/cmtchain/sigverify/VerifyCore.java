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
 * [S]B - [k]A is one interleaved double-scalar multiplication: width-5 NAF over a table of A's odd multiples
 * built per call, width-8 NAF over a fixed affine table of B's odd multiples.
 */
final class VerifyCore
{
    static final int A_WINDOW = 5;
    static final int A_TABLE = 1 << (A_WINDOW - 2);
    static final int B_WINDOW = 8;
    static final int B_TABLE = 1 << (B_WINDOW - 2);

    /** B, 3B, 5B, ..., 127B in affine Niels form. */
    static final CachedPoint[] BASE_TABLE = new CachedPoint[B_TABLE];

    static
    {
        final Curve25519 curve = new Curve25519();
        final EdwardsPoint base = new EdwardsPoint();
        curve.basePoint(base);
        final EdwardsPoint twice = new EdwardsPoint();
        final EdwardsPoint acc = new EdwardsPoint();
        final CachedPoint twiceCached = new CachedPoint();
        curve.dbl(twice, base, true);
        curve.toCached(twiceCached, twice);
        acc.set(base);
        for (int i = 0; i < B_TABLE; i++)
        {
            BASE_TABLE[i] = new CachedPoint();
            curve.toAffine(BASE_TABLE[i], acc);
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
    private final long[] k = new long[4];
    private final long[] s = new long[4];
    private final byte[] nafA = new byte[Scalar25519.NAF_LENGTH];
    private final byte[] nafB = new byte[Scalar25519.NAF_LENGTH];

    VerifyCore()
    {
        for (int i = 0; i < A_TABLE; i++)
        {
            tableA[i] = new CachedPoint();
        }
    }

    static long word(final DirectBuffer buf, final int offset, final int i)
    {
        return buf.getLong(offset + 8 * i, ByteOrder.LITTLE_ENDIAN);
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
        s[0] = word(sigBuf, sigOffset + 32, 0);
        s[1] = word(sigBuf, sigOffset + 32, 1);
        s[2] = word(sigBuf, sigOffset + 32, 2);
        s[3] = word(sigBuf, sigOffset + 32, 3);
        if (!Scalar25519.isCanonical(s[0], s[1], s[2], s[3]))
        {
            return false;
        }
        if (curve.decode2(
            pointA, word(pubKeyBuf, pubKeyOffset, 0), word(pubKeyBuf, pubKeyOffset, 1), word(pubKeyBuf, pubKeyOffset, 2),
            word(pubKeyBuf, pubKeyOffset, 3),
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
        k[0] = kWords[kOffset];
        k[1] = kWords[kOffset + 1];
        k[2] = kWords[kOffset + 2];
        k[3] = kWords[kOffset + 3];
        s[0] = sWords[sOffset];
        s[1] = sWords[sOffset + 1];
        s[2] = sWords[sOffset + 2];
        s[3] = sWords[sOffset + 3];

        curve.oddMultiples(tableA, 0, A_TABLE, a, scratchA, scratchB, scratchCached);
        final int topA = Scalar25519.naf(k, A_WINDOW, nafA, 0);
        final int topB = Scalar25519.naf(s, B_WINDOW, nafB, 0);

        final Curve25519 curve = this.curve;
        final EdwardsPoint acc = this.acc;
        acc.identity();
        for (int i = Math.max(topA, topB); i >= 0; i--)
        {
            final int dA = nafA[i];
            final int dB = nafB[i];
            // T is needed only by an addition; the R subtraction after the loop is one too.
            curve.dbl(acc, acc, dA != 0 || dB != 0 || i == 0);
            if (dA != 0)
            {
                // Subtract k*A: a positive digit subtracts.
                curve.addCached(acc, acc, tableA[(dA > 0 ? dA : -dA) >> 1], dA > 0, dB != 0 || i == 0);
            }
            if (dB != 0)
            {
                curve.addAffine(acc, acc, BASE_TABLE[(dB > 0 ? dB : -dB) >> 1], dB < 0, i == 0);
            }
        }
        curve.toCached(scratchCached, r);
        curve.addCached(acc, acc, scratchCached, true, false);
        return curve.isIdentityTimesCofactor(acc);
    }
}
