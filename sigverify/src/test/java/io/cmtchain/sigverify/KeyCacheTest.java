package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key cache never changes a verdict: a hit is only ever the key's own decoded point and table, keys one bit
 * apart are different keys, a key that did not decode is never stored, and evicted keys are decoded again.
 */
class KeyCacheTest
{
    private static final byte[] MSG = {9, 8, 7, 6};

    /**
     * For every single-bit change K2 of a key K1 (sign bit included), a signature made with K1's secret but hashed
     * over K2's bytes: valid for K1's point, so a cache that answered K2 with K1's point would accept it. With K1
     * cached first (a two-slot cache, so that about half of the K2 share its slot), every verdict must be single's.
     */
    @Test
    void shouldNotAnswerForAKeyOneBitAwayWithTheCachedKeysPoint()
    {
        final Random random = new Random(31);
        final BigInteger a = new BigInteger(250, random);
        final byte[] k1 = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
        final byte[] validSig = RefEd25519.sign(a, k1, new BigInteger(250, random), RefEd25519.IDENTITY, null, MSG,
            BigInteger.ZERO);
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier small = new Ed25519BatchVerifier(8, 1);
        final Ed25519BatchVerifier large = new Ed25519BatchVerifier(8, 4);
        final KeyCache probe = new KeyCache(1, 8);
        final long[] w1 = Zip215EdgeCaseTest.words(k1);
        final EdwardsPoint point = new EdwardsPoint();
        probe.put(w1[0], w1[1], w1[2], w1[3], point);
        int sameSlot = 0;
        int decoded = 0;
        for (int bit = 0; bit < 256; bit++)
        {
            final byte[] k2 = k1.clone();
            k2[bit >>> 3] ^= (byte)(1 << (bit & 7));
            final long[] w2 = Zip215EdgeCaseTest.words(k2);
            assertFalse(probe.get(w2[0], w2[1], w2[2], w2[3], point), "bit " + bit);
            // Would K2 land in K1's slot? Store it in a copy and see whether K1 is gone.
            final KeyCache copy = new KeyCache(1, 8);
            copy.put(w1[0], w1[1], w1[2], w1[3], point);
            copy.put(w2[0], w2[1], w2[2], w2[3], point);
            sameSlot += copy.get(w1[0], w1[1], w1[2], w1[3], point) ? 0 : 1;

            final byte[] forged = RefEd25519.sign(a, k2, new BigInteger(250, random), RefEd25519.IDENTITY, null, MSG,
                BigInteger.ZERO);
            final boolean expected = single.verify(k2, forged, MSG);
            assertFalse(expected, "bit " + bit);
            decoded += RefEd25519.decode(k2) != null ? 1 : 0;
            for (final Ed25519BatchVerifier batch : new Ed25519BatchVerifier[] {small, large})
            {
                // Alone after K1 (the single fallback), and among three K1 entries (the multi-scalar check).
                batch.reset();
                batch.add(k1, validSig, MSG);
                batch.add(k2, forged, MSG);
                assertFalse(batch.verify(), "bit " + bit);
                assertTrue(batch.verdict(0), "bit " + bit);
                assertEquals(expected, batch.verdict(1), "bit " + bit);
                batch.reset();
                batch.add(k1, validSig, MSG);
                batch.add(k1, validSig, MSG);
                batch.add(k2, forged, MSG);
                batch.add(k1, validSig, MSG);
                assertFalse(batch.verify(), "bit " + bit);
                assertEquals(expected, batch.verdict(2), "bit " + bit);
            }
        }
        assertTrue(sameSlot > 64 && sameSlot < 192, "a two-slot cache shares about half the slots: " + sameSlot);
        assertTrue(decoded > 64, "about half of the changed keys decode: " + decoded);
    }

    /**
     * A key off the curve fails at {@code add} every time it is seen; were its failure (and whatever the decoder
     * left in the point) cached as a hit, it would reach the multi-scalar check as a point and fail it.
     */
    @Test
    void shouldNotCacheAKeyThatDidNotDecode()
    {
        final Random random = new Random(37);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 16);
        final byte[] offCurve = new byte[32];
        offCurve[0] = 2;
        for (int round = 0; round < 3; round++)
        {
            batch.reset();
            final long before = batch.failedChecks();
            for (int i = 0; i < 8; i++)
            {
                final BigInteger a = new BigInteger(250, random);
                final byte[] key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
                batch.add(key, RefEd25519.sign(a, key, new BigInteger(250, random), RefEd25519.IDENTITY, null, MSG,
                    BigInteger.ZERO), MSG);
                // The same bad key with an R that decodes, so only A's failure keeps it out.
                batch.add(offCurve, RefEd25519.sign(a, key, new BigInteger(250, random), RefEd25519.IDENTITY, null,
                    MSG, BigInteger.ZERO), MSG);
            }
            assertFalse(batch.verify());
            for (int i = 0; i < 16; i++)
            {
                assertEquals((i & 1) == 0, batch.verdict(i), "round " + round + ", entry " + i);
            }
            assertEquals(before, batch.failedChecks(), "round " + round);
        }
        final KeyCache cache = new KeyCache(4, 8);
        final long[] w = Zip215EdgeCaseTest.words(offCurve);
        assertFalse(cache.get(w[0], w[1], w[2], w[3], new EdwardsPoint()));
    }

    /**
     * Two keys that share a slot, alternating: each evicts the other, and a table built for a key whose slot was
     * taken meanwhile is not stored under the new key. Valid batches must pass their check at once.
     */
    @Test
    void shouldDecodeAgainAfterEvictionAndNeverStoreATableUnderAnotherKey()
    {
        final Random random = new Random(41);
        final BigInteger a1 = new BigInteger(250, random);
        final byte[] k1 = RefEd25519.encode(RefEd25519.mul(a1, RefEd25519.BASE));
        final long[] w1 = Zip215EdgeCaseTest.words(k1);
        // Find a second key in K1's slot of a two-slot cache.
        BigInteger a2;
        byte[] k2;
        while (true)
        {
            a2 = new BigInteger(250, random);
            k2 = RefEd25519.encode(RefEd25519.mul(a2, RefEd25519.BASE));
            final long[] w2 = Zip215EdgeCaseTest.words(k2);
            final KeyCache copy = new KeyCache(1, 8);
            final EdwardsPoint point = new EdwardsPoint();
            copy.put(w1[0], w1[1], w1[2], w1[3], point);
            copy.put(w2[0], w2[1], w2[2], w2[3], point);
            if (!copy.get(w1[0], w1[1], w1[2], w1[3], point))
            {
                break;
            }
        }
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 1);
        final Ed25519Verifier single = new Ed25519Verifier();
        for (int round = 0; round < 6; round++)
        {
            batch.reset();
            final boolean[] expected = new boolean[12];
            for (int i = 0; i < 12; i++)
            {
                final boolean first = ((i + round) % 3) != 0;
                final BigInteger a = first ? a1 : a2;
                final byte[] key = first ? k1 : k2;
                final byte[] sig = RefEd25519.sign(a, key, new BigInteger(250, random), RefEd25519.IDENTITY, null,
                    MSG, BigInteger.ZERO);
                if (round >= 3 && i == round)
                {
                    sig[33] ^= 1;
                }
                expected[i] = single.verify(key, sig, MSG);
                batch.add(key, sig, MSG);
            }
            final long before = batch.failedChecks();
            assertEquals(round < 3, batch.verify(), "round " + round);
            for (int i = 0; i < 12; i++)
            {
                assertEquals(expected[i], batch.verdict(i), "round " + round + ", entry " + i);
            }
            if (round < 3)
            {
                assertEquals(before, batch.failedChecks(),
                    "round " + round + ": a wrong cached table failed the check");
            }
        }
    }

    /**
     * A slot's point is 20 longs and its key 4, in arrays sized by int arithmetic: past 2^26 keys the sizes overflow
     * (2^26 + 1 rounds to 2^27 slots, and 20 * 2^27 wraps negative; 2^29 + 1 gives arrays of length 0 that the first
     * add indexes past; 2^30 + 1 a negative slot count). Such a size is refused by name before anything is allocated.
     */
    @Test
    void shouldRefuseACacheSizeWhoseArraysWouldOverflow()
    {
        for (final int size : new int[] {Integer.MAX_VALUE, (1 << 30) + 1, (1 << 29) + 1, (1 << 27) + 1, (1 << 26) + 1})
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> new Ed25519BatchVerifier(1, size));
            assertEquals("keyCacheSize must be in [0, 67108864]: " + size, ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new KeyCache(size, 8));
        }
        assertEquals(1 << 26, Ed25519BatchVerifier.MAX_KEY_CACHE_SIZE);
        assertEquals("keyCacheSize must be in [0, 67108864]: -1",
            assertThrows(IllegalArgumentException.class, () -> new Ed25519BatchVerifier(1, -1)).getMessage());
    }

    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwo()
    {
        // Capacity 5 rounds to 8 slots: 64 random keys spread so that a put evicts only its own slot.
        final Random random = new Random(43);
        final KeyCache cache = new KeyCache(5, 8);
        final EdwardsPoint point = new EdwardsPoint();
        final long[][] keys = new long[64][4];
        for (final long[] k : keys)
        {
            for (int i = 0; i < 4; i++)
            {
                k[i] = random.nextLong();
            }
            cache.put(k[0], k[1], k[2], k[3], point);
        }
        int held = 0;
        for (final long[] k : keys)
        {
            held += cache.get(k[0], k[1], k[2], k[3], point) ? 1 : 0;
        }
        assertTrue(held > 4 && held <= 8, "8 slots hold at most 8 of 64 keys: " + held);
        final KeyCache one = new KeyCache(1, 8);
        one.put(1, 2, 3, 4, point);
        assertTrue(one.get(1, 2, 3, 4, point));
        assertFalse(one.get(1, 2, 3, 5, point));
        assertFalse(one.get(0, 2, 3, 4, point));
        assertFalse(one.get(1, 0, 3, 4, point));
        assertFalse(one.get(1, 2, 0, 4, point));
    }

    /**
     * A hit gives back all of what was stored, and only then counts: every coordinate of the point (the verifier's
     * points are reused, so a coordinate not copied would be the last key's) and every entry of the table, which a
     * key has only once putTable stored it.
     */
    @Test
    void shouldGiveBackACachedPointAndTableWholeAndCountOnlyHits()
    {
        final KeyCache cache = new KeyCache(4, 3);
        final EdwardsPoint point = new EdwardsPoint();
        for (int i = 0; i < 5; i++)
        {
            point.x[i] = 100 + i;
            point.y[i] = 200 + i;
            point.z[i] = 300 + i;
            point.t[i] = 400 + i;
        }
        cache.put(1, 2, 3, 4, point);
        final EdwardsPoint out = new EdwardsPoint();
        assertFalse(cache.get(1, 2, 3, 5, out), "another key");
        assertEquals(0, cache.keyHits());
        assertTrue(cache.get(1, 2, 3, 4, out));
        assertEquals(1, cache.keyHits());
        assertArrayEquals(point.x, out.x);
        assertArrayEquals(point.y, out.y);
        assertArrayEquals(point.z, out.z);
        assertArrayEquals(point.t, out.t);

        final CachedPoint[] table = new CachedPoint[4];
        final CachedPoint[] copy = new CachedPoint[4];
        for (int j = 0; j < table.length; j++)
        {
            table[j] = new CachedPoint();
            copy[j] = new CachedPoint();
            for (int i = 0; i < 5; i++)
            {
                table[j].yPlusX[i] = 1000 * j + 10 + i;
                table[j].yMinusX[i] = 1000 * j + 20 + i;
                table[j].z2[i] = 1000 * j + 30 + i;
                table[j].t2d[i] = 1000 * j + 40 + i;
            }
        }
        assertFalse(cache.table(1, 2, 3, 4, copy, 0), "the key is cached, its table not yet");
        assertEquals(0, cache.tableHits());
        cache.putTable(1, 2, 3, 4, table, 1);
        assertTrue(cache.table(1, 2, 3, 4, copy, 0));
        assertEquals(1, cache.tableHits());
        for (int j = 0; j < 3; j++)
        {
            assertArrayEquals(table[j + 1].yPlusX, copy[j].yPlusX, "entry " + j);
            assertArrayEquals(table[j + 1].yMinusX, copy[j].yMinusX, "entry " + j);
            assertArrayEquals(table[j + 1].z2, copy[j].z2, "entry " + j);
            assertArrayEquals(table[j + 1].t2d, copy[j].t2d, "entry " + j);
        }
        assertEquals(0, copy[3].yPlusX[0], "no more than the table's size copied");
        assertEquals(1, cache.keyHits(), "a table hit is not a key hit");
    }
}
