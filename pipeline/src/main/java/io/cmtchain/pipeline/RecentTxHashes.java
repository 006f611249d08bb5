package io.cmtchain.pipeline;

import org.agrona.BitUtil;

/**
 * The hashes of the last {@code capacity} transactions admitted to blocks, to reject duplicates without allocating.
 * <p>
 * Entries live in a FIFO of {@code capacity} 32-byte hashes. An open-addressing table (linear probing, at most half
 * full) of {@code long}s holds, per member, a fingerprint (the high bits of a mix of the hash's first 8 bytes) and its
 * FIFO entry: a probe compares fingerprints inside the table, so a lookup of a new hash touches one cache line of the
 * table and nothing else, and only a fingerprint match reads the FIFO to compare all 32 bytes. A slot's home is taken
 * from the fingerprint's top bits, so eviction (backward-shift deletion, no tombstones) works from the table alone.
 * Transaction hashes are SHA-256 outputs, so their first 8 bytes are already uniform; they are still mixed because a
 * client chooses its transactions and could aim at one probe chain.
 * Not thread safe: owned by the ordering stage.
 */
public final class RecentTxHashes
{
    private static final int HASH_LENGTH = 32;
    private static final int ENTRY_BITS = 26;
    private static final long ENTRY_MASK = (1L << ENTRY_BITS) - 1;
    /** Largest capacity: FIFO entries (plus one, 0 marks an empty slot) must fit in {@link #ENTRY_BITS}. */
    public static final int MAX_CAPACITY = 1 << (ENTRY_BITS - 1);

    private final int capacity;
    private final int fifoMask;
    private final byte[] hashes;
    private final long[] fingerprints;
    private final long[] table;
    private final int tableMask;
    private final int homeShift;
    private long inserted;

    /**
     * @param capacity hashes remembered; a power of two, at most {@link #MAX_CAPACITY}.
     */
    public RecentTxHashes(final int capacity)
    {
        if (capacity < 1 || !BitUtil.isPowerOfTwo(capacity) || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be a power of two in 1.." + MAX_CAPACITY + ", was " +
                capacity);
        }
        this.capacity = capacity;
        fifoMask = capacity - 1;
        hashes = new byte[capacity * HASH_LENGTH];
        fingerprints = new long[capacity];
        table = new long[capacity * 2];
        tableMask = table.length - 1;
        homeShift = 64 - Integer.numberOfTrailingZeros(table.length);
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
        return find(hash, offset, fingerprint(hash, offset)) >= 0;
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
        final long fingerprint = fingerprint(hash, offset);
        if (find(hash, offset, fingerprint) >= 0)
        {
            return false;
        }
        final int entry = (int)(inserted & fifoMask);
        if (inserted >= capacity)
        {
            remove(entry);
        }
        System.arraycopy(hash, offset, hashes, entry * HASH_LENGTH, HASH_LENGTH);
        fingerprints[entry] = fingerprint;
        int slot = home(fingerprint);
        while (table[slot] != 0)
        {
            slot = (slot + 1) & tableMask;
        }
        table[slot] = fingerprint | (entry + 1);
        inserted++;
        return true;
    }

    /**
     * Load, ahead of its {@link #add}, the table lines that the {@code ahead}-th next add of {@code hash} will read:
     * its home slot and the home slot of the entry it will evict. Called for a window of coming hashes before adding
     * them, so that their cache misses overlap instead of being paid one after the other.
     *
     * @param hash   array holding the hash.
     * @param offset of the hash.
     * @param ahead  how many adds come before this one (0 = the next).
     * @return a value derived from the loads, to be kept by the caller so that they are not optimised away.
     */
    public long prefetch(final byte[] hash, final int offset, final int ahead)
    {
        long touched = table[home(fingerprint(hash, offset))];
        final long position = inserted + ahead;
        if (position >= capacity)
        {
            touched += table[home(fingerprints[(int)(position & fifoMask)])];
        }
        return touched;
    }

    private int find(final byte[] hash, final int offset, final long fingerprint)
    {
        int slot = home(fingerprint);
        long value;
        while ((value = table[slot]) != 0)
        {
            if ((value & ~ENTRY_MASK) == fingerprint && sameHash((int)(value & ENTRY_MASK) - 1, hash, offset))
            {
                return slot;
            }
            slot = (slot + 1) & tableMask;
        }
        return -1;
    }

    private void remove(final int entry)
    {
        final long member = fingerprints[entry] | (entry + 1);
        int i = home(member);
        while (table[i] != member)
        {
            i = (i + 1) & tableMask;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole when their home allows it.
        int j = i;
        while (true)
        {
            j = (j + 1) & tableMask;
            final long value = table[j];
            if (value == 0)
            {
                break;
            }
            final int k = home(value);
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

    /** The slot a member (or a fingerprint) belongs in: the top bits, which the fingerprint keeps. */
    private int home(final long member)
    {
        return (int)(member >>> homeShift);
    }

    private static long fingerprint(final byte[] hash, final int offset)
    {
        long key = 0;
        for (int i = 0; i < 8; i++)
        {
            key |= (hash[offset + i] & 0xFFL) << (8 * i);
        }
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h & ~ENTRY_MASK;
    }
}
