package io.cmtchain.engine.state;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Every account of the chain, in rows of one primitive array indexed by slot: no object per account.
 * <p>
 * An address (20 bytes) is held as three big-endian words (k0 = bytes 0-7, k1 = 8-15, k2 = 16-19), so that
 * unsigned comparison of (k0, k1, k2) is byte order. Lookup is an open-addressing table of slots with a seeded
 * mix, so the layout of the table is not under a client's control; the seed is not consensus state and the
 * commitment does not depend on it.
 * <p>
 * Each account also sits in the commitment bucket chosen by its leading address bits, on a chain kept in
 * address order ({@link #bucketHead(int)}, {@link #nextInBucket(int)}), so a bucket is hashed in a fixed order
 * whatever the insertion order was. Memory: a 40-byte row plus 4 to 8 bytes of table per account.
 */
public final class AccountStore
{
    /** Returned by lookups for an absent address. */
    public static final int MISSING = -1;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int INITIAL_CAPACITY = 1024;

    private final StateCommitment commitment;
    private final int bucketShift;
    private final int[] bucketHead;
    private final long seed;

    // One row of STRIDE longs per account, so a lookup touches one or two cache lines, not one per column:
    // [k0, k1, k2 << 32 | next-in-bucket, balance, nonce].
    private static final int STRIDE = 5;
    private static final int K0 = 0;
    private static final int K1 = 1;
    private static final int K2_NEXT = 2;
    private static final int BALANCE = 3;
    private static final int NONCE = 4;

    private long[] rows;
    private int capacity;
    private int size;

    private int[] table;
    private int mask;

    // Sink for prefetch reads, so the JIT keeps them; never read for any decision.
    private long prefetched;

    /**
     * @param commitment   that buckets hash into.
     * @param expectedSize accounts to size for.
     * @param seed         table seed (not consensus state).
     */
    public AccountStore(final StateCommitment commitment, final int expectedSize, final long seed)
    {
        this.commitment = commitment;
        this.bucketShift = 64 - commitment.bucketBits();
        this.bucketHead = new int[commitment.bucketCount()];
        Arrays.fill(bucketHead, MISSING);
        this.seed = seed;
        capacity = Math.max(INITIAL_CAPACITY, expectedSize);
        rows = new long[capacity * STRIDE];
        final int tableLength = tableLengthFor(capacity);
        table = new int[tableLength];
        mask = tableLength - 1;
    }

    public int size()
    {
        return size;
    }

    /**
     * @param buffer holding a 20-byte address.
     * @param offset of the address.
     * @return its slot or {@link #MISSING}.
     */
    public int find(final DirectBuffer buffer, final int offset)
    {
        return find(buffer.getLong(offset, BE), buffer.getLong(offset + 8, BE), buffer.getInt(offset + 16, BE));
    }

    /**
     * @param a0 address bytes 0-7, big-endian.
     * @param a1 address bytes 8-15, big-endian.
     * @param a2 address bytes 16-19, big-endian.
     * @return its slot or {@link #MISSING}.
     */
    public int find(final long a0, final long a1, final int a2)
    {
        int i = hash(a0, a1, a2) & mask;
        while (true)
        {
            final int entry = table[i];
            if (entry == 0)
            {
                return MISSING;
            }
            final int slot = entry - 1;
            final int row = slot * STRIDE;
            if (rows[row + K0] == a0 && rows[row + K1] == a1 && (int)(rows[row + K2_NEXT] >>> 32) == a2)
            {
                return slot;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * First step of loading an address's lookup path ahead of a {@link #find} or {@link #findOrCreate}: reads the
     * table entry it hashes to. Reads only; a caller batches calls for several addresses so their cache misses
     * overlap, then calls {@link #prefetchRow(int)} for each, then looks them up.
     *
     * @param a0 address bytes 0-7, big-endian.
     * @param a1 address bytes 8-15, big-endian.
     * @param a2 address bytes 16-19, big-endian.
     * @return the table position to pass to {@link #prefetchRow(int)}.
     */
    public int prefetchEntry(final long a0, final long a1, final int a2)
    {
        final int i = hash(a0, a1, a2) & mask;
        prefetched += table[i];
        return i;
    }

    /**
     * Second step of {@link #prefetchEntry}: reads the row the table entry points at, if any.
     *
     * @param tablePosition returned by {@link #prefetchEntry}.
     */
    public void prefetchRow(final int tablePosition)
    {
        final int entry = table[tablePosition & mask];
        if (entry != 0)
        {
            final int row = (entry - 1) * STRIDE;
            prefetched += rows[row + K0] + rows[row + NONCE];
        }
    }

    /**
     * @param buffer holding a 20-byte address.
     * @param offset of the address.
     * @return its slot, creating an empty account (balance 0, nonce 0) if absent.
     */
    public int findOrCreate(final DirectBuffer buffer, final int offset)
    {
        return findOrCreate(buffer.getLong(offset, BE), buffer.getLong(offset + 8, BE), buffer.getInt(offset + 16, BE));
    }

    /**
     * @param a0 address bytes 0-7, big-endian.
     * @param a1 address bytes 8-15, big-endian.
     * @param a2 address bytes 16-19, big-endian.
     * @return its slot, creating an empty account if absent.
     */
    public int findOrCreate(final long a0, final long a1, final int a2)
    {
        int i = hash(a0, a1, a2) & mask;
        while (true)
        {
            final int entry = table[i];
            if (entry == 0)
            {
                break;
            }
            final int slot = entry - 1;
            final int row = slot * STRIDE;
            if (rows[row + K0] == a0 && rows[row + K1] == a1 && (int)(rows[row + K2_NEXT] >>> 32) == a2)
            {
                return slot;
            }
            i = (i + 1) & mask;
        }
        if (size == capacity)
        {
            grow();
            return findOrCreate(a0, a1, a2);
        }
        final int slot = size++;
        final int row = slot * STRIDE;
        rows[row + K0] = a0;
        rows[row + K1] = a1;
        rows[row + K2_NEXT] = ((long)a2 << 32) | 0xFFFF_FFFFL;
        table[i] = slot + 1;
        linkIntoBucket(slot);
        return slot;
    }

    public long balance(final int slot)
    {
        return rows[slot * STRIDE + BALANCE];
    }

    public long nonce(final int slot)
    {
        return rows[slot * STRIDE + NONCE];
    }

    /**
     * @param slot  of the account.
     * @param value new balance in µCMT.
     */
    public void balance(final int slot, final long value)
    {
        final int row = slot * STRIDE;
        rows[row + BALANCE] = value;
        commitment.markDirty(bucketOf(rows[row + K0]));
    }

    /**
     * @param slot  of the account.
     * @param value new nonce.
     */
    public void nonce(final int slot, final long value)
    {
        final int row = slot * STRIDE;
        rows[row + NONCE] = value;
        commitment.markDirty(bucketOf(rows[row + K0]));
    }

    public long key0(final int slot)
    {
        return rows[slot * STRIDE + K0];
    }

    public long key1(final int slot)
    {
        return rows[slot * STRIDE + K1];
    }

    public int key2(final int slot)
    {
        return (int)(rows[slot * STRIDE + K2_NEXT] >>> 32);
    }

    /**
     * @param slot of the account.
     * @param out  20 bytes at {@code offset} receive the address.
     * @param offset in {@code out}.
     */
    public void address(final int slot, final byte[] out, final int offset)
    {
        putLong(out, offset, key0(slot));
        putLong(out, offset + 8, key1(slot));
        final int v = key2(slot);
        out[offset + 16] = (byte)(v >>> 24);
        out[offset + 17] = (byte)(v >>> 16);
        out[offset + 18] = (byte)(v >>> 8);
        out[offset + 19] = (byte)v;
    }

    /**
     * @param bucket index.
     * @return first slot in the bucket, in address order, or {@link #MISSING}.
     */
    public int bucketHead(final int bucket)
    {
        return bucketHead[bucket];
    }

    /**
     * @param slot of an account.
     * @return the next slot in its bucket, in address order, or {@link #MISSING}.
     */
    public int nextInBucket(final int slot)
    {
        return (int)rows[slot * STRIDE + K2_NEXT];
    }

    private void nextInBucket(final int slot, final int nextSlot)
    {
        final int i = slot * STRIDE + K2_NEXT;
        rows[i] = (rows[i] & 0xFFFF_FFFF_0000_0000L) | (nextSlot & 0xFFFF_FFFFL);
    }

    /**
     * @param a0 address bytes 0-7.
     * @return the commitment bucket of the address.
     */
    public int bucketOf(final long a0)
    {
        return (int)(a0 >>> bucketShift);
    }

    private void linkIntoBucket(final int slot)
    {
        final int bucket = bucketOf(key0(slot));
        int prev = MISSING;
        int cur = bucketHead[bucket];
        while (cur != MISSING && lessThan(cur, slot))
        {
            prev = cur;
            cur = nextInBucket(cur);
        }
        nextInBucket(slot, cur);
        if (prev == MISSING)
        {
            bucketHead[bucket] = slot;
        }
        else
        {
            nextInBucket(prev, slot);
        }
        commitment.markDirty(bucket);
    }

    private boolean lessThan(final int a, final int b)
    {
        int c = Long.compareUnsigned(key0(a), key0(b));
        if (c == 0)
        {
            c = Long.compareUnsigned(key1(a), key1(b));
            if (c == 0)
            {
                c = Integer.compareUnsigned(key2(a), key2(b));
            }
        }
        return c < 0;
    }

    private void grow()
    {
        capacity *= 2;
        rows = Arrays.copyOf(rows, capacity * STRIDE);
        final int tableLength = tableLengthFor(capacity);
        table = new int[tableLength];
        mask = tableLength - 1;
        for (int slot = 0; slot < size; slot++)
        {
            int i = hash(key0(slot), key1(slot), key2(slot)) & mask;
            while (table[i] != 0)
            {
                i = (i + 1) & mask;
            }
            table[i] = slot + 1;
        }
    }

    private int hash(final long a0, final long a1, final int a2)
    {
        long h = (a0 ^ seed) * 0x9E3779B97F4A7C15L;
        h ^= (a1 + (h >>> 29)) * 0xC2B2AE3D27D4EB4FL;
        h ^= (a2 + (h >>> 31)) * 0x165667B19E3779F9L;
        return (int)(h ^ (h >>> 32));
    }

    private static int tableLengthFor(final int capacity)
    {
        // Load factor at most 1/2 keeps linear probes short.
        return Integer.highestOneBit(Math.max(capacity, 2) - 1) << 2;
    }

    private static void putLong(final byte[] out, final int offset, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            out[offset + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}
