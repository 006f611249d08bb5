package io.cmtchain.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TxHashTableTest
{
    @Test
    void shouldFindEveryEntryAfterGrowingAndNothingElse()
    {
        final TxHashTable table = new TxHashTable(16);
        final int entries = 100_000;
        for (int i = 0; i < entries; i++)
        {
            table.put(key(i), TxLocation.pack(1 + i / 1000, i % 1000));
        }
        assertEquals(entries, table.size());
        assertTrue(table.capacity() * 7 / 10 >= entries);
        for (int i = 0; i < entries; i++)
        {
            assertEquals(TxLocation.pack(1 + i / 1000, i % 1000), onlyLocation(table, key(i)));
        }
        assertEquals(-1, table.nextCandidate(key(entries), 0));
    }

    @Test
    void shouldKeepEveryLocationOfAPrefixSharedByManyHashes()
    {
        final TxHashTable table = new TxHashTable(4);
        final long shared = 0x1122334455667788L;
        for (int i = 0; i < 50; i++)
        {
            table.put(shared, TxLocation.pack(7, i));
            table.put(key(i), TxLocation.pack(8, i));
        }
        long seen = 0;
        for (long probe = table.nextCandidate(shared, 0); probe >= 0; probe = table.nextCandidate(shared, probe + 1))
        {
            final long location = table.candidateLocation(shared, probe);
            assertEquals(7, TxLocation.height(location));
            seen |= 1L << TxLocation.index(location);
        }
        assertEquals((1L << 50) - 1, seen);
    }

    @Test
    void shouldNeverUseZeroAsAKey()
    {
        assertEquals(1, TxHashTable.prefix(new byte[32], 0));
        final byte[] hash = new byte[40];
        hash[8] = 0x01;
        hash[15] = (byte)0x80;
        assertEquals(0x8000000000000001L, TxHashTable.prefix(hash, 8));
    }

    @Test
    void shouldForgetEverythingWhenCleared()
    {
        final TxHashTable table = new TxHashTable(16);
        for (int i = 0; i < 1000; i++)
        {
            table.put(key(i), i + 1);
        }
        table.clear();
        assertEquals(0, table.size());
        assertEquals(16, table.capacity());
        assertEquals(-1, table.nextCandidate(key(5), 0));
    }

    @Test
    void shouldFindEveryEntryInATableOfManyChunksAfterGrowingAcrossThem()
    {
        // 2^20 slots (the default capacity) take two chunks of 2^20 longs; 750,000 entries grow it to four.
        final TxHashTable table = new TxHashTable(1 << 20);
        final int entries = 750_000;
        for (int i = 0; i < entries; i++)
        {
            table.put(key(i), TxLocation.pack(1 + i / 5000, i % 5000));
        }
        assertEquals(1 << 21, table.capacity());
        assertEquals(entries, table.size());
        for (int i = 0; i < entries; i++)
        {
            assertEquals(TxLocation.pack(1 + i / 5000, i % 5000), onlyLocation(table, key(i)));
        }
        assertEquals(-1, table.nextCandidate(key(entries), 0));
    }

    @Test
    void shouldDoubleWhenAPutWouldPassSeventyPercentFullAndNotBefore()
    {
        // 16 slots hold 11 entries (68%); the 12th doubles the table first.
        final TxHashTable table = new TxHashTable(16);
        for (int i = 0; i < 11; i++)
        {
            table.put(key(i), i);
        }
        assertEquals(16, table.capacity());
        table.put(key(11), 11);
        assertEquals(32, table.capacity());
        // 100,000 entries: the smallest power of two at most 70% full is 2^18.
        final TxHashTable large = new TxHashTable(16);
        for (int i = 0; i < 100_000; i++)
        {
            large.put(key(i), i);
        }
        assertEquals(1 << 18, large.capacity());
    }

    @Test
    void shouldTouchTheHomeSlotThatAPutOfTheSameKeyFills()
    {
        // A key alone in its table sits in its home slot, the one touch loads ahead of the put: touch hands back that
        // key. Each table has its own seed, so four tables of 1,024 slots leave a touch that loads another slot no
        // realistic chance (2^-40) of seeing the key every time.
        for (int t = 0; t < 4; t++)
        {
            final TxHashTable table = new TxHashTable(1024);
            final long key = key(t);
            table.put(key, 9);
            assertEquals(key, table.touch(key));
        }
    }

    @Test
    void shouldRefuseACapacityThatIsNotAPowerOfTwoFromTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new TxHashTable(1));
        assertThrows(IllegalArgumentException.class, () -> new TxHashTable(0));
        assertThrows(IllegalArgumentException.class, () -> new TxHashTable(24));
        assertThrows(IllegalArgumentException.class, () -> new TxHashTable(1L << 41));
        final TxHashTable smallest = new TxHashTable(2);
        smallest.put(key(1), 5);
        smallest.put(key(2), 6);
        assertEquals(5, onlyLocation(smallest, key(1)));
        assertEquals(6, onlyLocation(smallest, key(2)));
    }

    private static long onlyLocation(final TxHashTable table, final long key)
    {
        final long probe = table.nextCandidate(key, 0);
        assertTrue(probe >= 0, "key " + Long.toHexString(key) + " missing");
        assertEquals(-1, table.nextCandidate(key, probe + 1));
        return table.candidateLocation(key, probe);
    }

    private static long key(final long i)
    {
        // Spread like hash prefixes, never 0.
        return (i + 1) * 0x9E3779B97F4A7C15L | 1;
    }
}
