package io.cmtchain.executor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The addresses a block refers to that are not (yet) accounts, each given a block-local id: open addressing with
 * linear probes, lock-free inserts (an id is claimed, its address written, then the table entry is CASed in, so a
 * reader that sees the entry sees the address). Sized per block for a bound on inserts; cleared only when used.
 * Ids are dense when one thread inserts; with racing inserts a loser's claimed id is left unused.
 */
final class AddressTable
{
    /** Returned by {@link #find} for an absent address. */
    static final int ABSENT = -1;

    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(int[].class);

    private int[] table = new int[16];
    private int mask = 15;
    private long[] a0 = new long[8];
    private long[] a1 = new long[8];
    private int[] a2 = new int[8];
    private final AtomicInteger nextId = new AtomicInteger();
    private final long seed;

    /**
     * @param seed of the hash; not consensus state. Recipient addresses are chosen by clients, so the table's
     *             layout must not be predictable to them.
     */
    AddressTable(final long seed)
    {
        this.seed = seed;
    }

    /**
     * Forget every address; make room for up to {@code maxInserts} insert attempts. Not concurrent with anything.
     *
     * @param maxInserts bound on {@link #findOrInsert} calls until the next reset.
     */
    void reset(final int maxInserts)
    {
        if (nextId.get() != 0)
        {
            Arrays.fill(table, 0);
            nextId.set(0);
        }
        if (maxInserts > a0.length)
        {
            final int capacity = Math.max(maxInserts, a0.length * 2);
            a0 = new long[capacity];
            a1 = new long[capacity];
            a2 = new int[capacity];
        }
        // Load factor at most 1/2 keeps probes short.
        final int length = Math.max(16, Integer.highestOneBit(Math.max(2, maxInserts) - 1) << 2);
        if (length > table.length)
        {
            table = new int[length];
            mask = length - 1;
        }
    }

    /** @return one more than the largest id handed out since the last reset. */
    int idLimit()
    {
        return Math.min(nextId.get(), a0.length);
    }

    /**
     * @param w0 address bytes 0-7, big-endian.
     * @param w1 address bytes 8-15, big-endian.
     * @param w2 address bytes 16-19, big-endian.
     * @return its id or {@link #ABSENT}.
     */
    int find(final long w0, final long w1, final int w2)
    {
        int i = hash(w0, w1, w2) & mask;
        while (true)
        {
            final int entry = (int)ENTRY.getAcquire(table, i);
            if (entry == 0)
            {
                return ABSENT;
            }
            final int id = entry - 1;
            if (a0[id] == w0 && a1[id] == w1 && a2[id] == w2)
            {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * @param w0 address bytes 0-7, big-endian.
     * @param w1 address bytes 8-15, big-endian.
     * @param w2 address bytes 16-19, big-endian.
     * @return its id, inserting it if absent. Safe to call from several threads at once.
     */
    int findOrInsert(final long w0, final long w1, final int w2)
    {
        int i = hash(w0, w1, w2) & mask;
        int claimed = ABSENT;
        while (true)
        {
            int entry = (int)ENTRY.getAcquire(table, i);
            if (entry == 0)
            {
                if (claimed == ABSENT)
                {
                    claimed = nextId.getAndIncrement();
                    a0[claimed] = w0;
                    a1[claimed] = w1;
                    a2[claimed] = w2;
                }
                if (ENTRY.compareAndSet(table, i, 0, claimed + 1))
                {
                    return claimed;
                }
                entry = (int)ENTRY.getAcquire(table, i);
            }
            final int id = entry - 1;
            if (a0[id] == w0 && a1[id] == w1 && a2[id] == w2)
            {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    long word0(final int id)
    {
        return a0[id];
    }

    long word1(final int id)
    {
        return a1[id];
    }

    int word2(final int id)
    {
        return a2[id];
    }

    private int hash(final long w0, final long w1, final int w2)
    {
        long h = (w0 ^ seed) * 0x9E3779B97F4A7C15L;
        h ^= (w1 + (h >>> 29)) * 0xC2B2AE3D27D4EB4FL;
        h ^= (w2 + (h >>> 31)) * 0x165667B19E3779F9L;
        return (int)(h ^ (h >>> 32));
    }
}
