package io.cmtchain.sigverify;

/**
 * Direct-mapped cache of decoded public keys, keyed by their 32 encoded bytes, and of each key's table of odd
 * multiples for the multi-scalar check: senders repeat, and decoding a key (a 252-bit exponentiation) and building
 * its table (a doubling and seven additions) are a quarter of a batch's cost. Bounded: keys and points are
 * preallocated (200 bytes a slot); a slot's table (1.3 KB) is allocated the first time the slot stores one, so memory
 * follows the keys seen, up to the capacity, and nothing is allocated once every slot in use has its table. A miss
 * overwrites its slot. Only keys that decoded are stored, so a hit is always a valid point, and a table is only stored
 * into a slot that still holds the key it was built from.
 */
final class KeyCache
{
    private static final int LIMBS = 5;
    private static final int POINT = 4 * LIMBS;

    private final int mask;
    private final int tableSize;
    private final long[] keys;
    private final boolean[] used;
    private final boolean[] hasTable;
    private final long[] points;
    private final long[][] tables;
    private long keyHits;
    private long tableHits;

    /**
     * @param capacity  slots, rounded up to a power of two; at least 1, at most
     *                  {@link Ed25519BatchVerifier#MAX_KEY_CACHE_SIZE} (past it the arrays' int sizes overflow).
     * @param tableSize odd multiples per key's table.
     */
    KeyCache(final int capacity, final int tableSize)
    {
        if (capacity > Ed25519BatchVerifier.MAX_KEY_CACHE_SIZE)
        {
            throw new IllegalArgumentException(
                "capacity must be at most " + Ed25519BatchVerifier.MAX_KEY_CACHE_SIZE + ": " + capacity);
        }
        final int slots = Integer.highestOneBit(Math.max(1, capacity - 1) << 1);
        mask = slots - 1;
        this.tableSize = tableSize;
        keys = new long[4 * slots];
        used = new boolean[slots];
        hasTable = new boolean[slots];
        points = new long[POINT * slots];
        tables = new long[slots][];
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

    private boolean holds(final int slot, final long w0, final long w1, final long w2, final long w3)
    {
        final int base = 4 * slot;
        return used[slot] && keys[base] == w0 && keys[base + 1] == w1 && keys[base + 2] == w2 && keys[base + 3] == w3;
    }

    /**
     * @return true when the key is cached, its decoded point copied to {@code out}.
     */
    boolean get(final long w0, final long w1, final long w2, final long w3, final EdwardsPoint out)
    {
        final int slot = slot(w0, w1, w2, w3);
        if (!holds(slot, w0, w1, w2, w3))
        {
            return false;
        }
        keyHits++;
        int at = POINT * slot;
        System.arraycopy(points, at, out.x, 0, LIMBS);
        System.arraycopy(points, at += LIMBS, out.y, 0, LIMBS);
        System.arraycopy(points, at += LIMBS, out.z, 0, LIMBS);
        System.arraycopy(points, at + LIMBS, out.t, 0, LIMBS);
        return true;
    }

    /**
     * Copy the key's table of odd multiples, if it is cached.
     *
     * @return true when copied; false when the key or its table is not cached.
     */
    boolean table(final long w0, final long w1, final long w2, final long w3, final CachedPoint[] out, final int offset)
    {
        final int slot = slot(w0, w1, w2, w3);
        if (!hasTable[slot] || !holds(slot, w0, w1, w2, w3))
        {
            return false;
        }
        tableHits++;
        final long[] table = tables[slot];
        int at = 0;
        for (int i = 0; i < tableSize; i++)
        {
            final CachedPoint p = out[offset + i];
            System.arraycopy(table, at, p.yPlusX, 0, LIMBS);
            System.arraycopy(table, at += LIMBS, p.yMinusX, 0, LIMBS);
            System.arraycopy(table, at += LIMBS, p.z2, 0, LIMBS);
            System.arraycopy(table, at += LIMBS, p.t2d, 0, LIMBS);
            at += LIMBS;
        }
        return true;
    }

    /** @return lookups that found the key's decoded point, since construction. */
    long keyHits()
    {
        return keyHits;
    }

    /** @return lookups that found the key's table of odd multiples, since construction. */
    long tableHits()
    {
        return tableHits;
    }

    /**
     * Store a key that decoded, without a table yet.
     */
    void put(final long w0, final long w1, final long w2, final long w3, final EdwardsPoint point)
    {
        final int slot = slot(w0, w1, w2, w3);
        final int base = 4 * slot;
        keys[base] = w0;
        keys[base + 1] = w1;
        keys[base + 2] = w2;
        keys[base + 3] = w3;
        used[slot] = true;
        hasTable[slot] = false;
        int at = POINT * slot;
        System.arraycopy(point.x, 0, points, at, LIMBS);
        System.arraycopy(point.y, 0, points, at += LIMBS, LIMBS);
        System.arraycopy(point.z, 0, points, at += LIMBS, LIMBS);
        System.arraycopy(point.t, 0, points, at + LIMBS, LIMBS);
    }

    /**
     * Store the table of odd multiples built from the key {@code w0..w3}, if its slot still holds that key (another
     * key may have taken the slot since the key was decoded).
     */
    void putTable(
        final long w0, final long w1, final long w2, final long w3, final CachedPoint[] table, final int offset)
    {
        final int slot = slot(w0, w1, w2, w3);
        if (!holds(slot, w0, w1, w2, w3))
        {
            return;
        }
        long[] stored = tables[slot];
        if (stored == null)
        {
            stored = new long[POINT * tableSize];
            tables[slot] = stored;
        }
        int at = 0;
        for (int i = 0; i < tableSize; i++)
        {
            final CachedPoint p = table[offset + i];
            System.arraycopy(p.yPlusX, 0, stored, at, LIMBS);
            System.arraycopy(p.yMinusX, 0, stored, at += LIMBS, LIMBS);
            System.arraycopy(p.z2, 0, stored, at += LIMBS, LIMBS);
            System.arraycopy(p.t2d, 0, stored, at += LIMBS, LIMBS);
            at += LIMBS;
        }
        hasTable[slot] = true;
    }
}
