package io.cmtchain.journal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The transaction-hash index in memory: an open-addressing table (linear probing) of 16-byte slots
 * {@code (first 8 bytes of the tx hash, TxLocation)}, held on the heap in chunks of {@value #CHUNK_LONGS} longs so
 * that it can pass the 2^31-element limit of one array and never needs one huge contiguous allocation.
 * <p>
 * It lives in memory because inserts land on random slots: in a memory-mapped table each insert dirtied a whole
 * 4 KiB page (written back again and again) and a fresh page cost a page fault on the append path. Only a prefix of
 * the hash is kept, so a hit is a candidate that the caller confirms against the journal's copy of the full hash.
 * The slot mix is seeded per process, so hashes ground to collide in one table do not collide in another.
 * Single thread.
 */
final class TxHashTable
{
    /** Slots at most this full before the table doubles (linear probing stays short up to here). */
    private static final int MAX_LOAD_PERCENT = 70;
    private static final int CHUNK_SHIFT = 20;
    private static final int CHUNK_LONGS = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_LONGS - 1;
    /** Two longs per slot: the largest table addresses 2^62 longs, far beyond any heap. */
    private static final long MAX_CAPACITY = 1L << 40;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final long initialCapacity;
    private long[][] chunks;
    private long capacity;
    private long mask;
    private long size;
    private long growAt;

    /**
     * @param initialCapacity slots; a power of two.
     */
    TxHashTable(final long initialCapacity)
    {
        if (initialCapacity < 2 || Long.bitCount(initialCapacity) != 1 || initialCapacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be a power of two in 2.." + MAX_CAPACITY + ", was " +
                initialCapacity);
        }
        this.initialCapacity = initialCapacity;
        allocate(initialCapacity);
    }

    /** @return entries held. */
    long size()
    {
        return size;
    }

    /** @return slots, a power of two. */
    long capacity()
    {
        return capacity;
    }

    /** Forget every entry and go back to the initial capacity. */
    void clear()
    {
        allocate(initialCapacity);
    }

    /**
     * Add an entry; allocation-free except when the table doubles.
     *
     * @param prefix   the hash's first 8 bytes as from {@link #prefix(byte[], int)}; never 0.
     * @param location {@link TxLocation}.
     */
    void put(final long prefix, final long location)
    {
        if (size >= growAt)
        {
            grow();
        }
        insert(chunks, mask, prefix, location);
        size++;
    }

    /**
     * Load the home slot of a key that is about to be {@link #put}: a block's loads are independent of each other, so
     * the CPU overlaps their cache misses, where the probing loop of {@link #put} would mostly wait for one at a time.
     *
     * @param prefix the hash's first 8 bytes, as from {@link #prefix(byte[], int)}.
     * @return the key held in the home slot, to be folded into something the caller keeps so that the load stays.
     */
    long touch(final long prefix)
    {
        final long i = (mix(prefix ^ seed) & mask) << 1;
        return chunks[(int)(i >>> CHUNK_SHIFT)][(int)(i & CHUNK_MASK)];
    }

    /**
     * @param prefix     the hash's first 8 bytes, as from {@link #prefix(byte[], int)}.
     * @param startProbe 0 for the first candidate, then the value returned before plus one.
     * @return the probe position of the next slot holding {@code prefix}, or -1 when there is none.
     */
    long nextCandidate(final long prefix, final long startProbe)
    {
        final long home = mix(prefix ^ seed);
        for (long probe = startProbe; probe <= mask; probe++)
        {
            final long i = ((home + probe) & mask) << 1;
            final long key = chunks[(int)(i >>> CHUNK_SHIFT)][(int)(i & CHUNK_MASK)];
            if (key == 0)
            {
                return -1;
            }
            if (key == prefix)
            {
                return probe;
            }
        }
        return -1;
    }

    /**
     * @param prefix of the hash.
     * @param probe  as returned by {@link #nextCandidate(long, long)}.
     * @return the location stored at that probe.
     */
    long candidateLocation(final long prefix, final long probe)
    {
        final long i = (((mix(prefix ^ seed) + probe) & mask) << 1) + 1;
        return chunks[(int)(i >>> CHUNK_SHIFT)][(int)(i & CHUNK_MASK)];
    }

    /**
     * @param hash   holding a 32-byte hash.
     * @param offset of it.
     * @return its key in the table: the first 8 bytes little-endian, never 0 (0 marks an empty slot).
     */
    static long prefix(final byte[] hash, final int offset)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = v << 8 | (hash[offset + i] & 0xFF);
        }
        return key(v);
    }

    /**
     * @param firstEightBytes of a hash, read little-endian.
     * @return its key in the table, as {@link #prefix(byte[], int)} gives it.
     */
    static long key(final long firstEightBytes)
    {
        return firstEightBytes == 0 ? 1 : firstEightBytes;
    }

    private void allocate(final long slots)
    {
        chunks = newChunks(slots);
        capacity = slots;
        mask = slots - 1;
        size = 0;
        growAt = slots * MAX_LOAD_PERCENT / 100;
    }

    private void grow()
    {
        if (capacity >= MAX_CAPACITY)
        {
            throw new IllegalStateException("transaction index full at " + size + " entries");
        }
        final long newCapacity = capacity * 2;
        final long newMask = newCapacity - 1;
        final long[][] bigger = newChunks(newCapacity);
        final long[][] old = chunks;
        for (long i = 0, end = capacity << 1; i < end; i += 2)
        {
            final long[] chunk = old[(int)(i >>> CHUNK_SHIFT)];
            final int at = (int)(i & CHUNK_MASK);
            if (chunk[at] != 0)
            {
                insert(bigger, newMask, chunk[at], chunk[at + 1]);
            }
        }
        chunks = bigger;
        capacity = newCapacity;
        mask = newMask;
        growAt = newCapacity * MAX_LOAD_PERCENT / 100;
    }

    private void insert(final long[][] table, final long tableMask, final long prefix, final long location)
    {
        long slot = mix(prefix ^ seed) & tableMask;
        while (true)
        {
            final long i = slot << 1;
            final long[] chunk = table[(int)(i >>> CHUNK_SHIFT)];
            final int at = (int)(i & CHUNK_MASK);
            if (chunk[at] == 0)
            {
                chunk[at] = prefix;
                chunk[at + 1] = location;
                return;
            }
            slot = (slot + 1) & tableMask;
        }
    }

    private static long[][] newChunks(final long slots)
    {
        final long longs = slots << 1;
        if (longs <= CHUNK_LONGS)
        {
            return new long[][]{ new long[(int)longs] };
        }
        final long[][] chunks = new long[(int)(longs >>> CHUNK_SHIFT)][];
        for (int i = 0; i < chunks.length; i++)
        {
            chunks[i] = new long[CHUNK_LONGS];
        }
        return chunks;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: every input bit moves every slot bit. */
    private static long mix(final long v)
    {
        long z = v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
