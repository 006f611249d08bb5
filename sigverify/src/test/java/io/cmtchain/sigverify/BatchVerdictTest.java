package io.cmtchain.sigverify;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch verdicts equal single verdicts for chosen patterns of bad entries: bad first, last, in pairs that a split
 * keeps together, all bad, every kind of bad (S &gt;= L, A or R off the curve, a wrong equation), one key for the
 * whole batch, and batches reused after {@link Ed25519BatchVerifier#reset()}.
 */
class BatchVerdictTest
{
    private static final byte[] PREFIX = {'c', 'm', 't', 0};
    private static final int KINDS = 6;

    private final Random random = new Random(23);
    private final Ed25519Verifier single = new Ed25519Verifier();

    private byte[][] keys;
    private byte[][] sigs;
    private byte[][] msgs;

    /** {@code size} valid entries; with {@code sameKey} all under one key. */
    private void fill(final int size, final boolean sameKey)
    {
        keys = new byte[size][];
        sigs = new byte[size][];
        msgs = new byte[size][];
        final byte[] sk = new byte[32];
        random.nextBytes(sk);
        for (int i = 0; i < size; i++)
        {
            if (!sameKey)
            {
                random.nextBytes(sk);
            }
            keys[i] = new byte[32];
            Ed25519.generatePublicKey(sk, 0, keys[i], 0);
            msgs[i] = new byte[1 + random.nextInt(60)];
            random.nextBytes(msgs[i]);
            final byte[] signed = new byte[PREFIX.length + msgs[i].length];
            System.arraycopy(PREFIX, 0, signed, 0, PREFIX.length);
            System.arraycopy(msgs[i], 0, signed, PREFIX.length, msgs[i].length);
            sigs[i] = new byte[64];
            Ed25519.sign(sk, 0, signed, 0, signed.length, sigs[i], 0);
        }
    }

    /** Make entry i bad in one of {@link #KINDS} ways. */
    private void spoil(final int i, final int kind)
    {
        switch (kind)
        {
            case 0:
                // S + L: same value mod L, so only the S < L rule rejects it.
                addL(sigs[i]);
                break;
            case 1:
                // A off the curve (y = 2 has no x).
                keys[i] = new byte[32];
                keys[i][0] = 2;
                break;
            case 2:
                // R off the curve.
                java.util.Arrays.fill(sigs[i], 0, 32, (byte)0);
                sigs[i][0] = 2;
                break;
            case 3:
                msgs[i][0] ^= 1;
                break;
            case 4:
                sigs[i][40] ^= 4;
                break;
            default:
                // S with the top bit set.
                sigs[i][63] |= (byte)0x80;
                break;
        }
    }

    private static void addL(final byte[] sig)
    {
        final long[] l = {Scalar25519.L0, Scalar25519.L1, Scalar25519.L2, Scalar25519.L3};
        long carry = 0;
        for (int w = 0; w < 4; w++)
        {
            final long s = (long)ChallengeHasher.LE_LONG.get(sig, 32 + 8 * w);
            final long sum = s + l[w] + carry;
            carry = Long.compareUnsigned(sum, s) < 0 || (carry != 0 && sum == s) ? 1 : 0;
            ChallengeHasher.LE_LONG.set(sig, 32 + 8 * w, sum);
        }
    }

    /** Add every entry to {@code batch}, verify, and compare each verdict and the overall result with single's. */
    private void assertSameVerdicts(final Ed25519BatchVerifier batch, final String what)
    {
        batch.reset();
        boolean all = true;
        final boolean[] expected = new boolean[keys.length];
        for (int i = 0; i < keys.length; i++)
        {
            expected[i] = single.verify(keys[i], sigs[i], PREFIX, msgs[i]);
            all &= expected[i];
            assertEquals(i, batch.add(keys[i], sigs[i], PREFIX, msgs[i]));
        }
        assertEquals(keys.length, batch.size());
        assertEquals(all, batch.verify(), what);
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(expected[i], batch.verdict(i), what + ", entry " + i);
        }
    }

    @Test
    void shouldFindABadEntryFirstOrLastOfEveryKind()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        for (final int size : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 33, 64})
        {
            for (int kind = 0; kind < KINDS; kind++)
            {
                for (final int at : new int[] {0, size - 1, size / 2})
                {
                    fill(size, false);
                    spoil(at, kind);
                    assertFalse(single.verify(keys[at], sigs[at], PREFIX, msgs[at]), "kind " + kind);
                    assertSameVerdicts(batch, "size " + size + ", kind " + kind + " at " + at);
                }
            }
        }
    }

    @Test
    void shouldRejectEveryEntryWhenAllAreBad()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        for (final int size : new int[] {1, 2, 3, 4, 6, 17, 64})
        {
            for (int kind = 0; kind <= KINDS; kind++)
            {
                fill(size, kind % 2 == 0);
                for (int i = 0; i < size; i++)
                {
                    // kind == KINDS: a mix of every kind.
                    spoil(i, kind == KINDS ? i % KINDS : kind);
                }
                assertSameVerdicts(batch, "all bad, size " + size + ", kind " + kind);
                for (int i = 0; i < size; i++)
                {
                    assertFalse(batch.verdict(i));
                }
            }
        }
    }

    @Test
    void shouldJudgeEachEntryOfAOneKeyBatch()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        for (final int size : new int[] {3, 4, 16, 64})
        {
            fill(size, true);
            assertSameVerdicts(batch, "one key, all good, size " + size);
            fill(size, true);
            spoil(0, 3);
            spoil(size - 1, 4);
            assertSameVerdicts(batch, "one key, first and last bad, size " + size);
            fill(size, true);
            for (int i = 0; i < size; i += 2)
            {
                spoil(i, 3 + (i & 1));
            }
            assertSameVerdicts(batch, "one key, every other bad, size " + size);
        }
    }

    @Test
    void shouldJudgeNeighbouringBadPairsAndRandomMixes()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 8);
        for (int round = 0; round < 40; round++)
        {
            final int size = 3 + random.nextInt(62);
            fill(size, random.nextBoolean());
            final int at = random.nextInt(size - 1);
            spoil(at, random.nextInt(KINDS));
            spoil(at + 1, random.nextInt(KINDS));
            for (int i = 0; i < size; i++)
            {
                if (random.nextInt(8) == 0)
                {
                    spoil(i, random.nextInt(KINDS));
                }
            }
            assertSameVerdicts(batch, "round " + round);
        }
    }

    @Test
    void shouldGiveAnAllValidBatchOneCheckAndAnEmptyBatchTrue()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        assertTrue(batch.verify());
        assertEquals(0, batch.size());
        for (final int size : new int[] {3, 64})
        {
            fill(size, false);
            final long before = batch.failedChecks();
            assertSameVerdicts(batch, "all good");
            assertEquals(before, batch.failedChecks());
            // One bad entry among valid ones fails at least the top check.
            spoil(size / 2, 4);
            assertSameVerdicts(batch, "one bad");
            assertTrue(batch.failedChecks() > before);
        }
    }

    /**
     * Entries that fail before the equation (S &gt;= L, A or R off the curve) are judged at {@code add} and take no
     * part in the multi-scalar check: a batch of valid signatures with such entries mixed in passes its check
     * without a split.
     */
    @Test
    void shouldKeepEntriesThatFailEarlyOutOfTheMultiScalarCheck()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        // A valid batch first, so that every row holds digits and tables, now stale, that must not be read.
        fill(12, false);
        assertSameVerdicts(batch, "all good");
        for (final int kind : new int[] {0, 1, 2, 5})
        {
            fill(12, false);
            spoil(0, kind);
            spoil(5, kind);
            spoil(11, kind);
            final long before = batch.failedChecks();
            assertSameVerdicts(batch, "kind " + kind);
            assertEquals(before, batch.failedChecks(), "kind " + kind);
            // Again, now that every good key is cached: R is then decoded on its own, and must still fail there.
            assertSameVerdicts(batch, "kind " + kind + ", keys cached");
            assertEquals(before, batch.failedChecks(), "kind " + kind + ", keys cached");
        }
    }

    /**
     * A failing range is split in halves and each half checked again; ranges with at most two entries left go to
     * the single check. With one bad entry first in eight: [0, 8) fails, [0, 4) fails, [0, 2) and [2, 4) go
     * single, [4, 8) passes: exactly two failed checks. With the bad entry last in 16: [0, 16), [8, 16), [12, 16)
     * fail, the rest pass or go single: three.
     */
    @Test
    void shouldSplitAFailingRangeInHalvesAndCheckEachHalfOnce()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 16);
        fill(8, false);
        spoil(0, 4);
        long before = batch.failedChecks();
        assertSameVerdicts(batch, "bad first of 8");
        assertEquals(before + 2, batch.failedChecks());

        fill(16, false);
        spoil(15, 3);
        before = batch.failedChecks();
        assertSameVerdicts(batch, "bad last of 16");
        assertEquals(before + 3, batch.failedChecks());

        // Two valid entries and one bad: a range of three is checked as a whole, then split into 1 + 2.
        fill(3, false);
        spoil(1, 4);
        before = batch.failedChecks();
        assertSameVerdicts(batch, "bad middle of 3");
        assertEquals(before + 1, batch.failedChecks());

        // Entries that failed early do not count towards the two: [0, 4) with two of them holds two to check.
        fill(8, false);
        spoil(0, 1);
        spoil(1, 2);
        spoil(2, 4);
        before = batch.failedChecks();
        assertSameVerdicts(batch, "early failures in the bad half");
        assertEquals(before + 1, batch.failedChecks());
    }

    /** The challenge hashes the message wherever it lies: on or off the heap, across the hasher's 512-byte chunks. */
    @Test
    void shouldHashLongMessagesOffTheHeapAsOnTheHeap()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(8, 8);
        for (final int length : new int[] {511, 512, 513, 1500})
        {
            fill(1, false);
            msgs[0] = new byte[length];
            random.nextBytes(msgs[0]);
            final byte[] sk = new byte[32];
            random.nextBytes(sk);
            Ed25519.generatePublicKey(sk, 0, keys[0], 0);
            final byte[] signed = new byte[PREFIX.length + length];
            System.arraycopy(PREFIX, 0, signed, 0, PREFIX.length);
            System.arraycopy(msgs[0], 0, signed, PREFIX.length, length);
            Ed25519.sign(sk, 0, signed, 0, signed.length, sigs[0], 0);

            final org.agrona.concurrent.UnsafeBuffer offHeap =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(length + 200));
            offHeap.putBytes(7, keys[0]);
            offHeap.putBytes(40, sigs[0]);
            offHeap.putBytes(105, msgs[0]);
            assertTrue(single.verify(offHeap, 7, offHeap, 40, PREFIX, offHeap, 105, length), "length " + length);
            // The last byte counts, in every chunk position.
            offHeap.putByte(105 + length - 1, (byte)(msgs[0][length - 1] ^ 1));
            assertFalse(single.verify(offHeap, 7, offHeap, 40, PREFIX, offHeap, 105, length), "length " + length);
            offHeap.putByte(105 + length - 1, msgs[0][length - 1]);
            offHeap.putByte(105 + 512, (byte)(offHeap.getByte(105 + 512) ^ 1));
            assertEquals(length <= 512, single.verify(offHeap, 7, offHeap, 40, PREFIX, offHeap, 105, length));
            offHeap.putByte(105 + 512, (byte)(offHeap.getByte(105 + 512) ^ 1));

            batch.reset();
            batch.add(offHeap, 7, offHeap, 40, PREFIX, offHeap, 105, length);
            assertTrue(batch.verify(), "length " + length);
        }
    }

    /** A message said to run past the end of its buffer is a caller's error, not bytes read from beyond the view. */
    @Test
    void shouldRefuseAMessageRunningPastItsBuffer()
    {
        fill(1, false);
        final byte[] backing = new byte[200];
        System.arraycopy(msgs[0], 0, backing, 10, msgs[0].length);
        final org.agrona.concurrent.UnsafeBuffer view =
            new org.agrona.concurrent.UnsafeBuffer(backing, 10, msgs[0].length);
        final org.agrona.concurrent.UnsafeBuffer key = new org.agrona.concurrent.UnsafeBuffer(keys[0]);
        final org.agrona.concurrent.UnsafeBuffer sig = new org.agrona.concurrent.UnsafeBuffer(sigs[0]);
        assertTrue(single.verify(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length));
        assertThrows(IndexOutOfBoundsException.class,
            () -> single.verify(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length + 1));
        assertThrows(IndexOutOfBoundsException.class,
            () -> single.verify(key, 0, sig, 0, PREFIX, view, 1, msgs[0].length));
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(2, 2);
        assertThrows(IndexOutOfBoundsException.class,
            () -> batch.add(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length + 1));
    }

    /**
     * A refused message leaves nothing behind: R, A and the prefix were hashed before the message's bounds were found
     * wrong, and a digest left holding them would hash them in front of the next challenge, so the same verifier would
     * reject the next valid signature (this node alone: a verdict depending on what it was asked before). On the heap
     * and off it (where the message is copied in chunks); single and batch.
     */
    @Test
    void shouldJudgeTheNextSignatureAloneAfterRefusingAMessageRunningPastItsBuffer()
    {
        fill(2, false);
        final byte[] backing = new byte[200];
        System.arraycopy(msgs[0], 0, backing, 10, msgs[0].length);
        final UnsafeBuffer onHeap = new UnsafeBuffer(backing, 10, msgs[0].length);
        final UnsafeBuffer offHeap = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(msgs[0].length));
        offHeap.putBytes(0, msgs[0]);
        final UnsafeBuffer key = new UnsafeBuffer(keys[0]);
        final UnsafeBuffer sig = new UnsafeBuffer(sigs[0]);
        for (final UnsafeBuffer view : new UnsafeBuffer[] {onHeap, offHeap})
        {
            final Ed25519Verifier verifier = new Ed25519Verifier();
            assertThrows(IndexOutOfBoundsException.class,
                () -> verifier.verify(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length + 1));
            assertTrue(verifier.verify(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length));
            assertTrue(verifier.verify(keys[1], sigs[1], PREFIX, msgs[1]));

            final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(4, 4);
            assertThrows(IndexOutOfBoundsException.class,
                () -> batch.add(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length + 1));
            // Nor does a refused entry take an index, which would shift every later verdict off its caller's count.
            assertEquals(0, batch.size());
            assertEquals(0, batch.add(key, 0, sig, 0, PREFIX, view, 0, msgs[0].length));
            assertEquals(1, batch.add(keys[1], sigs[1], PREFIX, msgs[1]));
            assertTrue(batch.verify());

            // Both modes refuse the range alike, also for a signature that S >= L would reject before any hashing.
            final byte[] badS = sigs[0].clone();
            badS[63] |= (byte)0x80;
            final UnsafeBuffer badSig = new UnsafeBuffer(badS);
            assertThrows(IndexOutOfBoundsException.class,
                () -> verifier.verify(key, 0, badSig, 0, PREFIX, view, 0, msgs[0].length + 1));
            batch.reset();
            assertThrows(IndexOutOfBoundsException.class,
                () -> batch.add(key, 0, badSig, 0, PREFIX, view, 0, msgs[0].length + 1));
        }
    }

    @Test
    void shouldVerifyWithTheSmallestBatchAndWithoutAKeyCache()
    {
        final Ed25519BatchVerifier one = new Ed25519BatchVerifier(1, 1);
        assertEquals(1, one.capacity());
        fill(1, false);
        assertSameVerdicts(one, "capacity 1");
        final Ed25519BatchVerifier uncached = new Ed25519BatchVerifier(16, 0);
        fill(16, true);
        spoil(5, 3);
        assertSameVerdicts(uncached, "no key cache");
        fill(16, false);
        final long before = uncached.failedChecks();
        assertSameVerdicts(uncached, "no key cache, all good");
        assertEquals(before, uncached.failedChecks());
    }

    @Test
    void shouldTakeARepeatedKeysPointAndTableFromTheCacheAndNeverStoreAKeyThatDidNotDecode()
    {
        // Six entries under one key: the first decodes it and builds its table, the other five find both cached.
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 64);
        final KeyCache cache = batch.keyCache();
        fill(6, true);
        assertSameVerdicts(batch, "one key");
        assertEquals(5, cache.keyHits());
        assertEquals(5, cache.tableHits());
        // The next batch finds them for every entry.
        assertSameVerdicts(batch, "one key, again");
        assertEquals(11, cache.keyHits());
        assertEquals(11, cache.tableHits());

        // A key off the curve is decoded (and refused) every time it comes, never served from the cache.
        fill(4, true);
        for (int i = 0; i < 4; i++)
        {
            spoil(i, 1);
        }
        assertSameVerdicts(batch, "a key off the curve");
        assertSameVerdicts(batch, "a key off the curve, again");
        assertEquals(11, cache.keyHits());
        assertEquals(11, cache.tableHits());
        assertNull(new Ed25519BatchVerifier(16, 0).keyCache());
    }

    @Test
    void shouldRefuseEntriesPastCapacityOrAfterVerifyUntilReset()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(2, 0);
        assertEquals(2, batch.capacity());
        fill(3, false);
        batch.add(keys[0], sigs[0], PREFIX, msgs[0]);
        batch.add(keys[1], sigs[1], PREFIX, msgs[1]);
        assertEquals("batch is full",
            assertThrows(IllegalStateException.class, () -> batch.add(keys[2], sigs[2], PREFIX, msgs[2])).getMessage());
        assertEquals("batch is full",
            assertThrows(IllegalStateException.class, () -> batch.add(new byte[31], sigs[2], PREFIX, msgs[2]))
                .getMessage());
        assertTrue(batch.verify());
        assertThrows(IndexOutOfBoundsException.class, () -> batch.verdict(2));
        assertThrows(IndexOutOfBoundsException.class, () -> batch.verdict(-1));
        batch.reset();
        assertEquals(0, batch.size());
        assertThrows(IndexOutOfBoundsException.class, () -> batch.verdict(0));
        batch.add(keys[2], sigs[2], PREFIX, msgs[2]);
        batch.verify();
        assertEquals("batch already verified; reset() first",
            assertThrows(IllegalStateException.class, () -> batch.add(keys[0], sigs[0], PREFIX, msgs[0])).getMessage());
        assertEquals("batch already verified; reset() first",
            assertThrows(IllegalStateException.class, () -> batch.add(new byte[31], sigs[0], PREFIX, msgs[0]))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ed25519BatchVerifier(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519BatchVerifier((1 << 16) + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519BatchVerifier(1, -1));
    }

    /** A verdict from an earlier batch must not leak into a later one that reuses the index. */
    @Test
    void shouldNotCarryVerdictsAcrossReset()
    {
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(8, 8);
        fill(5, false);
        assertSameVerdicts(batch, "all good");
        for (int kind = 0; kind < KINDS; kind++)
        {
            fill(5, false);
            spoil(2, kind);
            assertSameVerdicts(batch, "kind " + kind);
            fill(5, false);
            assertSameVerdicts(batch, "all good again");
        }
    }
}
