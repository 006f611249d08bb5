package io.cmtchain.sigverify;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Batch Ed25519 verification under the same ZIP-215 rule as {@link Ed25519Verifier}, giving every entry the
 * verdict the single path would.
 * <p>
 * Per entry, {@link #add} reads the key and signature in place, checks S &lt; L, decodes A (through a bounded
 * cache of decoded keys, which also keeps each key's table of odd multiples) and R, and hashes the challenge k;
 * failures there are final per-entry verdicts. {@link #verify()} then draws secret random 128-bit z_i and checks, with
 * one multi-scalar multiplication (interleaved width-5 NAF over per-point tables, Straus),
 * <pre>
 *   [8]( sum z_i R_i + sum (z_i k_i mod L) A_i - (sum z_i S_i mod L) B ) = identity.
 * </pre>
 * The cofactor makes this sum of per-entry cofactored equations, so it holds when every entry is valid and,
 * with probability 1 - 2^-128, fails when any is not. A failing range is split in half and retried; ranges of
 * at most two entries fall back to the single check, so each bad signature is found and judged exactly as
 * {@link Ed25519Verifier} would.
 * <p>
 * Usage per batch: {@link #add} up to {@link #capacity()} entries, {@link #verify()}, read
 * {@link #verdict(int)}, {@link #reset()}. Preallocated; steady state allocates nothing. Not thread-safe: one
 * instance per verifier thread.
 */
public final class Ed25519BatchVerifier
{
    /** Default number of entries per batch. */
    public static final int DEFAULT_CAPACITY = 256;
    /** Default number of decoded public keys (and their tables) cached. */
    public static final int DEFAULT_KEY_CACHE_SIZE = 4096;
    /**
     * Most decoded public keys a verifier may cache, 2^26: the cache's arrays are sized in slots (a power of two at
     * least the size) times 20 longs, which must stay an int.
     */
    public static final int MAX_KEY_CACHE_SIZE = 1 << 26;

    private static final byte[] EMPTY = new byte[0];
    private static final int WINDOW = 5;
    private static final int TABLE = 1 << (WINDOW - 2);
    private static final int NAF = Scalar25519.NAF_LENGTH;
    private static final int SINGLE_THRESHOLD = 2;

    private final int capacity;
    private final VerifyCore core = new VerifyCore();
    private final Curve25519 curve = core.curve;
    private final CoefficientSource coefficients = new CoefficientSource();
    private final KeyCache keyCache;

    private final boolean[] decoded;
    private final boolean[] verdicts;
    private final EdwardsPoint[] pointA;
    private final EdwardsPoint[] pointR;
    private final long[] kWords;
    /** Each entry's public key as four words, to find its table in the key cache. */
    private final long[] aWords;
    private final long[] sWords;
    private final long[] z;
    private final CachedPoint[] tables;
    private final byte[] nafs;
    private final int[] tops;
    private final int[] digitPoint;
    private final int[] digitValue;

    private final long[] words = new long[4];
    private final long[] limbs = new long[Scalar25519.LIMBS];
    private final long[] zLimbs = new long[7];
    private final long[] sLimbs = new long[13];
    private final long[] scalar = new long[4];
    private final byte[] nafB = new byte[NAF];
    private final EdwardsPoint acc = new EdwardsPoint();
    private final EdwardsPoint scratchA = new EdwardsPoint();
    private final EdwardsPoint scratchB = new EdwardsPoint();
    private final CachedPoint scratchCached = new CachedPoint();
    private final UnsafeBuffer keyWrapper = new UnsafeBuffer(EMPTY);
    private final UnsafeBuffer sigWrapper = new UnsafeBuffer(EMPTY);
    private final UnsafeBuffer msgWrapper = new UnsafeBuffer(EMPTY);

    private int count;
    private boolean verified;
    private long failedChecks;

    /**
     * A batch of {@link #DEFAULT_CAPACITY} entries with a key cache of {@link #DEFAULT_KEY_CACHE_SIZE}.
     */
    public Ed25519BatchVerifier()
    {
        this(DEFAULT_CAPACITY, DEFAULT_KEY_CACHE_SIZE);
    }

    /**
     * @param capacity     maximum entries per batch, at least 1.
     * @param keyCacheSize decoded public keys to cache, at most {@link #MAX_KEY_CACHE_SIZE}; 0 disables the cache.
     */
    public Ed25519BatchVerifier(final int capacity, final int keyCacheSize)
    {
        if (capacity < 1 || capacity > (1 << 16))
        {
            throw new IllegalArgumentException("capacity must be in [1, 65536]: " + capacity);
        }
        if (keyCacheSize < 0 || keyCacheSize > MAX_KEY_CACHE_SIZE)
        {
            throw new IllegalArgumentException(
                "keyCacheSize must be in [0, " + MAX_KEY_CACHE_SIZE + "]: " + keyCacheSize);
        }
        this.capacity = capacity;
        keyCache = keyCacheSize > 0 ? new KeyCache(keyCacheSize, TABLE) : null;
        decoded = new boolean[capacity];
        verdicts = new boolean[capacity];
        pointA = new EdwardsPoint[capacity];
        pointR = new EdwardsPoint[capacity];
        for (int i = 0; i < capacity; i++)
        {
            pointA[i] = new EdwardsPoint();
            pointR[i] = new EdwardsPoint();
        }
        kWords = new long[4 * capacity];
        aWords = new long[4 * capacity];
        sWords = new long[4 * capacity];
        z = new long[2 * capacity];
        tables = new CachedPoint[2 * capacity * TABLE];
        for (int i = 0; i < tables.length; i++)
        {
            tables[i] = new CachedPoint();
        }
        nafs = new byte[2 * capacity * NAF];
        tops = new int[2 * capacity];
        digitPoint = new int[2 * capacity];
        digitValue = new int[2 * capacity];
    }

    /**
     * @return maximum entries per batch.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return entries added since the last {@link #reset()}.
     */
    public int size()
    {
        return count;
    }

    /**
     * Forget all entries, ready for the next batch.
     */
    public void reset()
    {
        count = 0;
        verified = false;
    }

    /**
     * Add a signature read in place from buffers; the buffers may be reused as soon as this returns.
     *
     * @param pubKeyBuf    holding the 32-byte public key.
     * @param pubKeyOffset of the public key.
     * @param sigBuf       holding the 64-byte signature.
     * @param sigOffset    of the signature.
     * @param prefix       signed before the message; may be empty, never null.
     * @param msgBuf       holding the message.
     * @param msgOffset    of the message.
     * @param msgLength    of the message.
     * @return the entry's index, for {@link #verdict(int)}.
     * @throws IllegalStateException when the batch is full or already verified without a reset.
     * @throws IndexOutOfBoundsException when the key, signature or message runs past its buffer; the entry is not
     *                                   added.
     */
    public int add(
        final DirectBuffer pubKeyBuf,
        final int pubKeyOffset,
        final DirectBuffer sigBuf,
        final int sigOffset,
        final byte[] prefix,
        final DirectBuffer msgBuf,
        final int msgOffset,
        final int msgLength)
    {
        if (count == capacity || verified)
        {
            throw new IllegalStateException(verified ? "batch already verified; reset() first" : "batch is full");
        }
        // A refused entry takes no index: the caller's count of entries stays the batch's.
        VerifyCore.checkRanges(pubKeyBuf, pubKeyOffset, sigBuf, sigOffset, msgBuf, msgOffset, msgLength);
        final int i = count++;
        decoded[i] = false;
        verdicts[i] = false;

        final int s = 4 * i;
        final int sOffset = sigOffset + 32;
        sWords[s] = VerifyCore.word(sigBuf, sOffset, 0);
        sWords[s + 1] = VerifyCore.word(sigBuf, sOffset, 1);
        sWords[s + 2] = VerifyCore.word(sigBuf, sOffset, 2);
        sWords[s + 3] = VerifyCore.word(sigBuf, sOffset, 3);
        if (!Scalar25519.isCanonical(sWords[s], sWords[s + 1], sWords[s + 2], sWords[s + 3]))
        {
            return i;
        }
        if (!decodeKeyAndR(i, pointA[i], pubKeyBuf, pubKeyOffset, pointR[i], sigBuf, sigOffset))
        {
            return i;
        }
        core.hasher.challenge(sigBuf, sigOffset, pubKeyBuf, pubKeyOffset, prefix, msgBuf, msgOffset, msgLength,
            words);
        kWords[s] = words[0];
        kWords[s + 1] = words[1];
        kWords[s + 2] = words[2];
        kWords[s + 3] = words[3];
        decoded[i] = true;
        return i;
    }

    /**
     * Add a signature from arrays; a key or signature of the wrong length is simply an invalid entry.
     *
     * @param pubKey    public key.
     * @param signature signature.
     * @param prefix    signed before the message; may be empty.
     * @param message   the rest of the signed message.
     * @return the entry's index.
     */
    public int add(final byte[] pubKey, final byte[] signature, final byte[] prefix, final byte[] message)
    {
        if (pubKey.length != Ed25519Verifier.PUBLIC_KEY_LENGTH || signature.length != Ed25519Verifier.SIGNATURE_LENGTH)
        {
            if (count == capacity || verified)
            {
                throw new IllegalStateException(verified ? "batch already verified; reset() first" : "batch is full");
            }
            final int i = count++;
            decoded[i] = false;
            verdicts[i] = false;
            return i;
        }
        keyWrapper.wrap(pubKey);
        sigWrapper.wrap(signature);
        msgWrapper.wrap(message);
        return add(keyWrapper, 0, sigWrapper, 0, prefix, msgWrapper, 0, message.length);
    }

    /**
     * @param pubKey    public key.
     * @param signature signature.
     * @param message   the whole signed message.
     * @return the entry's index.
     */
    public int add(final byte[] pubKey, final byte[] signature, final byte[] message)
    {
        return add(pubKey, signature, EMPTY, message);
    }

    /**
     * Verify every entry added since the last reset.
     *
     * @return true when every entry is valid.
     */
    public boolean verify()
    {
        verified = true;
        final int n = count;
        coefficients.next(z, n);
        for (int i = 0; i < n; i++)
        {
            if (decoded[i])
            {
                prepare(i);
            }
        }
        verifyRange(0, n);
        for (int i = 0; i < n; i++)
        {
            if (!verdicts[i])
            {
                return false;
            }
        }
        return true;
    }

    /** @return multi-scalar checks that failed (and so were split) since construction: 0 while every entry is valid. */
    long failedChecks()
    {
        return failedChecks;
    }

    /** @return the key cache, or null when it is disabled; for tests that count its hits. */
    KeyCache keyCache()
    {
        return keyCache;
    }

    /**
     * @param index of an entry, as returned by {@code add}.
     * @return the entry's verdict after {@link #verify()}.
     */
    public boolean verdict(final int index)
    {
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException("index " + index + " not in [0, " + count + ")");
        }
        return verdicts[index];
    }

    private boolean decodeKeyAndR(
        final int i,
        final EdwardsPoint a,
        final DirectBuffer keyBuf,
        final int keyOffset,
        final EdwardsPoint r,
        final DirectBuffer sigBuf,
        final int sigOffset)
    {
        final long w0 = VerifyCore.word(keyBuf, keyOffset, 0);
        final long w1 = VerifyCore.word(keyBuf, keyOffset, 1);
        final long w2 = VerifyCore.word(keyBuf, keyOffset, 2);
        final long w3 = VerifyCore.word(keyBuf, keyOffset, 3);
        aWords[4 * i] = w0;
        aWords[4 * i + 1] = w1;
        aWords[4 * i + 2] = w2;
        aWords[4 * i + 3] = w3;
        if (keyCache != null && keyCache.get(w0, w1, w2, w3, a))
        {
            return core.decode(r, sigBuf, sigOffset);
        }
        final int ok = curve.decode2(a, w0, w1, w2, w3, r, VerifyCore.word(sigBuf, sigOffset, 0),
            VerifyCore.word(sigBuf, sigOffset, 1), VerifyCore.word(sigBuf, sigOffset, 2),
            VerifyCore.word(sigBuf, sigOffset, 3));
        if ((ok & 1) != 0 && keyCache != null)
        {
            keyCache.put(w0, w1, w2, w3, a);
        }
        return ok == 3;
    }

    /**
     * Tables of odd multiples of R_i and A_i (A_i's from the key cache when it holds it, else built and stored
     * there), NAF of z_i (for R_i) and of z_i k_i mod L (for A_i).
     */
    private void prepare(final int i)
    {
        curve.oddMultiples(tables, (2 * i) * TABLE, TABLE, pointR[i], scratchA, scratchB, scratchCached);
        final int aTable = (2 * i + 1) * TABLE;
        final int a = 4 * i;
        if (keyCache == null ||
            !keyCache.table(aWords[a], aWords[a + 1], aWords[a + 2], aWords[a + 3], tables, aTable))
        {
            curve.oddMultiples(tables, aTable, TABLE, pointA[i], scratchA, scratchB, scratchCached);
            if (keyCache != null)
            {
                keyCache.putTable(aWords[a], aWords[a + 1], aWords[a + 2], aWords[a + 3], tables, aTable);
            }
        }

        words[0] = z[2 * i];
        words[1] = z[2 * i + 1];
        words[2] = 0;
        words[3] = 0;
        tops[2 * i] = Scalar25519.naf(words, WINDOW, nafs, (2 * i) * NAF);

        scalar[0] = kWords[4 * i];
        scalar[1] = kWords[4 * i + 1];
        scalar[2] = kWords[4 * i + 2];
        scalar[3] = kWords[4 * i + 3];
        Scalar25519.mulSmall(words, scalar, scalar, zLimbs, sLimbs, limbs);
        tops[2 * i + 1] = Scalar25519.naf(scalar, WINDOW, nafs, (2 * i + 1) * NAF);
    }

    private void verifyRange(final int from, final int to)
    {
        int valid = 0;
        for (int i = from; i < to; i++)
        {
            if (decoded[i])
            {
                valid++;
            }
        }
        if (valid == 0)
        {
            return;
        }
        if (valid <= SINGLE_THRESHOLD)
        {
            for (int i = from; i < to; i++)
            {
                if (decoded[i])
                {
                    verdicts[i] = core.verifyDecoded(pointA[i], pointR[i], kWords, 4 * i, sWords, 4 * i);
                }
            }
            return;
        }
        final boolean passed = multiScalarCheck(from, to);
        failedChecks += passed ? 0 : 1;
        if (passed)
        {
            for (int i = from; i < to; i++)
            {
                verdicts[i] = decoded[i];
            }
            return;
        }
        final int mid = (from + to) >>> 1;
        verifyRange(from, mid);
        verifyRange(mid, to);
    }

    private boolean multiScalarCheck(final int from, final int to)
    {
        // Base-point scalar: -(sum z_i S_i) mod L, summed unreduced (each term below 2^45 per limb).
        Arrays.fill(limbs, 0);
        for (int i = from; i < to; i++)
        {
            if (decoded[i])
            {
                words[0] = z[2 * i];
                words[1] = z[2 * i + 1];
                words[2] = 0;
                words[3] = 0;
                Scalar25519.toLimbs(words, 7, zLimbs, 0);
                words[0] = sWords[4 * i];
                words[1] = sWords[4 * i + 1];
                words[2] = sWords[4 * i + 2];
                words[3] = sWords[4 * i + 3];
                Scalar25519.toLimbs(words, 13, sLimbs, 0);
                Scalar25519.mulAdd(limbs, zLimbs, 0, 7, sLimbs, 0, 13);
            }
        }
        Scalar25519.reduce(limbs, words);
        Scalar25519.negate(words, scalar);
        int top = Scalar25519.naf(scalar, VerifyCore.B_WINDOW, nafB, 0);
        for (int i = from; i < to; i++)
        {
            if (decoded[i])
            {
                top = Math.max(top, Math.max(tops[2 * i], tops[2 * i + 1]));
            }
        }

        final Curve25519 curve = this.curve;
        final EdwardsPoint acc = this.acc;
        final byte[] nafs = this.nafs;
        final int[] digitPoint = this.digitPoint;
        final int[] digitValue = this.digitValue;
        final int rowFrom = 2 * from;
        final int rowTo = 2 * to;
        acc.identity();
        for (int pos = top; pos >= 0; pos--)
        {
            int digits = 0;
            for (int row = rowFrom, index = rowFrom * NAF + pos; row < rowTo; row++, index += NAF)
            {
                final int digit = nafs[index];
                if (digit != 0 && decoded[row >>> 1])
                {
                    digitPoint[digits] = row;
                    digitValue[digits] = digit;
                    digits++;
                }
            }
            final int dB = nafB[pos];
            curve.dbl(acc, acc, digits != 0 || dB != 0);
            for (int j = 0; j < digits; j++)
            {
                final int digit = digitValue[j];
                final boolean withT = j + 1 < digits || dB != 0;
                curve.addCached(acc, acc, tables[digitPoint[j] * TABLE + ((digit > 0 ? digit : -digit) >> 1)],
                    digit < 0, withT);
            }
            if (dB != 0)
            {
                curve.addAffine(acc, acc, VerifyCore.BASE_TABLE[(dB > 0 ? dB : -dB) >> 1], dB < 0, false);
            }
        }
        return curve.isIdentityTimesCofactor(acc);
    }
}
