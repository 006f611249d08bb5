package io.cmtchain.pipeline;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentTxHashesTest
{
    @Test
    void shouldRefuseAHashItRemembers()
    {
        final RecentTxHashes recent = new RecentTxHashes(16);
        final byte[] hash = hash(1);
        assertTrue(recent.add(hash, 0));
        assertFalse(recent.add(hash, 0));
        assertTrue(recent.contains(hash, 0));
    }

    @Test
    void shouldTellApartHashesWithTheSameFirstEightBytes()
    {
        final RecentTxHashes recent = new RecentTxHashes(16);
        final byte[] a = hash(1);
        final byte[] b = a.clone();
        b[31] ^= 1;
        assertTrue(recent.add(a, 0));
        assertTrue(recent.add(b, 0));
        assertFalse(recent.add(b, 0));
    }

    @Test
    void shouldForgetTheOldestBeyondItsCapacityAndMatchAReferenceSet()
    {
        final int capacity = 256;
        final RecentTxHashes recent = new RecentTxHashes(capacity);
        final Random random = new Random(7);
        final java.util.ArrayDeque<String> window = new java.util.ArrayDeque<>();
        final Set<String> windowSet = new HashSet<>();
        for (int i = 0; i < 100_000; i++)
        {
            // Small value space so that repeats happen, and colliding prefixes too.
            final byte[] hash = hash(random.nextInt(600));
            final String key = java.util.Arrays.toString(hash);
            final boolean expectedAdd = !windowSet.contains(key);
            assertEquals(expectedAdd, recent.add(hash, 0), "step " + i);
            if (expectedAdd)
            {
                window.addLast(key);
                windowSet.add(key);
                if (window.size() > capacity)
                {
                    windowSet.remove(window.removeFirst());
                }
            }
            assertEquals(window.size(), recent.size());
        }
    }

    @Test
    void shouldMatchAReferenceSetWhenManyHashesShareAProbeRun()
    {
        // 64 distinct first-8-byte prefixes for 4,096 values: long probe runs that wrap around the table end, and
        // evictions from the middle of runs (backward shifts across the wrap).
        final int capacity = 128;
        final RecentTxHashes recent = new RecentTxHashes(capacity);
        final Random random = new Random(11);
        final java.util.ArrayDeque<String> window = new java.util.ArrayDeque<>();
        final Set<String> windowSet = new HashSet<>();
        for (int i = 0; i < 200_000; i++)
        {
            final int value = random.nextInt(4096);
            final byte[] hash = new byte[32];
            hash[0] = (byte)(value & 63);
            hash[30] = (byte)(value >>> 6);
            final String key = java.util.Arrays.toString(hash);
            final boolean expectedAdd = !windowSet.contains(key);
            assertEquals(expectedAdd, recent.add(hash, 0), "step " + i);
            assertEquals(true, recent.contains(hash, 0), "step " + i);
            if (expectedAdd)
            {
                window.addLast(key);
                windowSet.add(key);
                if (window.size() > capacity)
                {
                    windowSet.remove(window.removeFirst());
                }
            }
        }
    }

    @Test
    void shouldForgetTheOldestHashOnceCapacityNewerOnesFollowIt()
    {
        final RecentTxHashes recent = new RecentTxHashes(4);
        assertFalse(recent.contains(hash(0), 0));
        for (int i = 0; i <= 4; i++)
        {
            assertTrue(recent.add(hash(i), 0));
        }
        assertFalse(recent.contains(hash(0), 0));
        for (int i = 1; i <= 4; i++)
        {
            assertTrue(recent.contains(hash(i), 0), "hash " + i);
        }
        assertFalse(recent.contains(hash(5), 0));
        assertTrue(recent.add(hash(0), 0));
        assertFalse(recent.contains(hash(1), 0));
    }

    @Test
    void shouldRememberOnlyTheLastHashWithACapacityOfOne()
    {
        final RecentTxHashes recent = new RecentTxHashes(1);
        assertEquals(1, recent.capacity());
        final byte[] a = hash(1);
        final byte[] b = hash(2);
        assertTrue(recent.add(a, 0));
        assertFalse(recent.add(a, 0));
        assertTrue(recent.add(b, 0));
        assertFalse(recent.contains(a, 0));
        assertTrue(recent.contains(b, 0));
        assertTrue(recent.add(a, 0));
        assertFalse(recent.contains(b, 0));
        assertEquals(1, recent.size());
    }

    @Test
    void shouldAnswerTheSameWhenEveryAddIsPrefetchedAheadAcrossTheWrap()
    {
        // The ordering stage prefetches a window of coming adds, including the slots of the entries they will evict.
        final int capacity = 16;
        final int window = 64;
        final RecentTxHashes recent = new RecentTxHashes(capacity);
        final byte[][] hashes = new byte[200 + window][];
        for (int i = 0; i < hashes.length; i++)
        {
            hashes[i] = hash(i % 40);
        }
        final RecentTxHashes reference = new RecentTxHashes(capacity);
        for (int i = 0; i < 200; i++)
        {
            for (int ahead = 0; ahead < window; ahead++)
            {
                recent.prefetch(hashes[i + ahead], 0, ahead);
            }
            assertEquals(reference.add(hashes[i], 0), recent.add(hashes[i], 0), "step " + i);
        }
        assertEquals(capacity, recent.size());
    }

    @Test
    void shouldRequireAPowerOfTwoCapacity()
    {
        assertThrows(IllegalArgumentException.class, () -> new RecentTxHashes(100));
    }

    private static byte[] hash(final int value)
    {
        final byte[] hash = new byte[32];
        // Values share their first 8 bytes in groups of 4, to exercise the full compare.
        hash[0] = (byte)(value >>> 2);
        hash[1] = (byte)(value >>> 10);
        hash[20] = (byte)value;
        hash[21] = (byte)(value >>> 8);
        return hash;
    }
}
