package io.cmtchain.sigverify;

/**
 * Direct-mapped cache of decoded public keys keyed by their 32 encoded bytes: senders repeat, and decoding
 * (a 252-bit exponentiation) is a large share of batch cost. Bounded and preallocated; a miss overwrites its
 * slot. Only keys that decoded are stored, so a hit is always a valid point.
 */
final class KeyCache
{
    private final int mask;
    private final long[] keys;
    private final boolean[] used;
    private final EdwardsPoint[] points;

    /**
     * @param capacity slots, rounded up to a power of two; at least 1.
     */
    KeyCache(final int capacity)
    {
        final int slots = Integer.highestOneBit(Math.max(1, capacity - 1) << 1);
        mask = slots - 1;
        keys = new long[4 * slots];
        used = new boolean[slots];
        points = new EdwardsPoint[slots];
        for (int i = 0; i < slots; i++)
        {
            points[i] = new EdwardsPoint();
        }
    }

    private int slot(final long w0, final long w1, final long w2, final long w3)
    {
        // Keys are attacker-chosen, so mix all words; a collision only costs a re-decode.
        long h = w0 * 0x9E3779B97F4A7C15L ^ w1 * 0xC2B2AE3D27D4EB4FL ^ w2 * 0x165667B19E3779F9L ^ w3;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int)h & mask;
    }

    boolean get(final long w0, final long w1, final long w2, final long w3, final EdwardsPoint out)
    {
        final int slot = slot(w0, w1, w2, w3);
        final int base = 4 * slot;
        if (used[slot] && keys[base] == w0 && keys[base + 1] == w1 && keys[base + 2] == w2 && keys[base + 3] == w3)
        {
            out.set(points[slot]);
            return true;
        }
        return false;
    }

    void put(final long w0, final long w1, final long w2, final long w3, final EdwardsPoint point)
    {
        final int slot = slot(w0, w1, w2, w3);
        final int base = 4 * slot;
        keys[base] = w0;
        keys[base + 1] = w1;
        keys[base + 2] = w2;
        keys[base + 3] = w3;
        used[slot] = true;
        points[slot].set(point);
    }
}
