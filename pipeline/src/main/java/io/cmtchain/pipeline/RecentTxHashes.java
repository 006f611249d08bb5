package io.cmtchain.pipeline;

import org.agrona.BitUtil;

/**
 * The hashes of the last {@code capacity} transactions admitted to blocks, to reject duplicates without allocating.
 * <p>
 * Entries live in a FIFO of {@code capacity} 32-byte hashes; an open-addressing table (linear probing, at most half
 * full) maps the first 8 bytes of a hash to its FIFO entry, and a hit is confirmed by comparing all 32 bytes. When the
 * FIFO is full the oldest hash is evicted with backward-shift deletion, so the table never fills with tombstones.
 * Transaction hashes are SHA-256 outputs, so their first 8 bytes are already uniform; they are still mixed because a
 * client chooses its transactions and could aim at one probe chain.
 * Not thread safe: owned by the ordering stage.
 */
public final class RecentTxHashes
{
    private static final int HASH_LENGTH = 32;

    private final int capacity;
    private final int fifoMask;
    private final byte[] hashes;
    private final long[] keys;
    private final int[] table;
    private final int tableMask;
    private long inserted;

    /**
     * @param capacity hashes remembered; a power of two.
     */
    public RecentTxHashes(final int capacity)
    {
        if (capacity < 1 || !BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("capacity must be a positive power of two, was " + capacity);
        }
        this.capacity = capacity;
        fifoMask = capacity - 1;
        hashes = new byte[capacity * HASH_LENGTH];
        keys = new long[capacity];
        table = new int[capacity * 2];
        tableMask = table.length - 1;
    }

    /** @return hashes remembered at most. */
    public int capacity()
    {
        return capacity;
    }

    /** @return hashes remembered now. */
    public int size()
    {
        return (int)Math.min(inserted, capacity);
    }

    /**
     * @param hash   holding 32 bytes.
     * @param offset of the hash.
     * @return true when the hash is remembered.
     */
    public boolean contains(final byte[] hash, final int offset)
    {
        return find(hash, offset, key(hash, offset)) >= 0;
    }

    /**
     * Remember a hash unless it is already remembered.
     *
     * @param hash   holding 32 bytes.
     * @param offset of the hash.
     * @return true when added, false when it was already there (a duplicate).
     */
    public boolean add(final byte[] hash, final int offset)
    {
        final long key = key(hash, offset);
        if (find(hash, offset, key) >= 0)
        {
            return false;
        }
        final int entry = (int)(inserted & fifoMask);
        if (inserted >= capacity)
        {
            remove(entry);
        }
        System.arraycopy(hash, offset, hashes, entry * HASH_LENGTH, HASH_LENGTH);
        keys[entry] = key;
        int slot = home(key);
        while (table[slot] != 0)
        {
            slot = (slot + 1) & tableMask;
        }
        table[slot] = entry + 1;
        inserted++;
        return true;
    }

    private int find(final byte[] hash, final int offset, final long key)
    {
        int slot = home(key);
        int value;
        while ((value = table[slot]) != 0)
        {
            final int entry = value - 1;
            if (keys[entry] == key && sameHash(entry, hash, offset))
            {
                return slot;
            }
            slot = (slot + 1) & tableMask;
        }
        return -1;
    }

    private void remove(final int entry)
    {
        int i = home(keys[entry]);
        while (table[i] != entry + 1)
        {
            i = (i + 1) & tableMask;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole when their home allows it.
        int j = i;
        while (true)
        {
            j = (j + 1) & tableMask;
            final int value = table[j];
            if (value == 0)
            {
                break;
            }
            final int k = home(keys[value - 1]);
            final boolean canMove = i <= j ? (k <= i || k > j) : (k <= i && k > j);
            if (canMove)
            {
                table[i] = value;
                i = j;
            }
        }
        table[i] = 0;
    }

    private boolean sameHash(final int entry, final byte[] hash, final int offset)
    {
        final int base = entry * HASH_LENGTH;
        for (int i = 0; i < HASH_LENGTH; i++)
        {
            if (hashes[base + i] != hash[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    private int home(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int)h & tableMask;
    }

    private static long key(final byte[] hash, final int offset)
    {
        long key = 0;
        for (int i = 0; i < 8; i++)
        {
            key |= (hash[offset + i] & 0xFFL) << (8 * i);
        }
        return key;
    }
}
