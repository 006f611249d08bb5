package io.cmtchain.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingTableTest
{
    private static final ReceiptListener LISTENER = new TransportTest.NoopListener();

    @Test
    void shouldRefuseASizeWhoseTableWouldNotFitInOneBuffer()
    {
        // Beyond 2^23 the slots' bytes overflowed an int: 1 << 28 made a table of 0 bytes whose every lookup threw.
        for (final int size : new int[] {PendingTable.MAX_SIZE + 1, 1 << 24, 1 << 28, Integer.MAX_VALUE})
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> new PendingTable(size), "size " + size);
            assertEquals("at most " + PendingTable.MAX_SIZE + " pending, was " + size, ex.getMessage());
        }
        assertEquals(1 << 23, PendingTable.MAX_SIZE);
    }

    @Test
    void shouldMatchAModelUnderRandomInsertsAndRemovesWithCollidingHomes()
    {
        final PendingTable table = new PendingTable(64);
        final Map<Long, Long> model = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(7);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        for (int step = 0; step < 200_000; step++)
        {
            // Few distinct first words: many keys share a home slot, so probing and backward shift are exercised.
            final long id = random.nextInt(100);
            fillKey(key, id);
            if (random.nextBoolean())
            {
                final int slot = table.insert(key, 0, LISTENER, id, 0);
                if (model.size() >= 64)
                {
                    assertEquals(PendingTable.FULL, slot);
                }
                else if (model.containsKey(id))
                {
                    assertEquals(PendingTable.DUPLICATE, slot);
                }
                else
                {
                    assertTrue(slot >= 0);
                    model.put(id, id);
                }
            }
            else
            {
                final int slot = table.find(key, 0);
                assertEquals(model.containsKey(id), slot >= 0);
                if (slot >= 0)
                {
                    assertEquals(id, table.tag(slot));
                    assertKey(table.keys(), PendingTable.keyOffset(slot), id);
                    table.remove(slot);
                    model.remove(id);
                }
            }
            assertEquals(model.size(), table.size());
        }
    }

    @Test
    void shouldGiveBackEachEntrysListenerAndForgetListenersWithNoEntriesLeft()
    {
        final PendingTable table = new PendingTable(1024);
        final ReceiptListener[] listeners = new ReceiptListener[5];
        for (int i = 0; i < listeners.length; i++)
        {
            listeners[i] = new TransportTest.NoopListener();
        }
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        for (int id = 0; id < 500; id++)
        {
            fillKey(key, id);
            assertTrue(table.insert(key, 0, listeners[id % listeners.length], id, id * 10L) >= 0);
        }
        assertEquals(listeners.length, table.listenerCount());
        for (int id = 0; id < 500; id++)
        {
            fillKey(key, id);
            final int slot = table.find(key, 0);
            assertSame(listeners[id % listeners.length], table.listener(slot));
            assertEquals(id * 10L, table.submitTimeNs(slot));
            if (id % listeners.length != 0)
            {
                table.remove(slot);
            }
        }
        // Only the first listener still has entries; the others' ids are free and get reused.
        assertEquals(1, table.listenerCount());
        final ReceiptListener late = new TransportTest.NoopListener();
        fillKey(key, 1_000);
        final int slot = table.insert(key, 0, late, 1_000, 0);
        assertSame(late, table.listener(slot));
        assertEquals(2, table.listenerCount());
        // The reused id was a freed one, not the first listener's: its entries still name it.
        for (int id = 0; id < 500; id += listeners.length)
        {
            fillKey(key, id);
            assertSame(listeners[0], table.listener(table.find(key, 0)));
        }
    }

    @Test
    void shouldKeepCountingAListenerWhileAnyOfItsEntriesIsPending()
    {
        final PendingTable table = new PendingTable(16);
        final ReceiptListener a = new TransportTest.NoopListener();
        final ReceiptListener b = new TransportTest.NoopListener();
        // a, b, a: the second entry of a is looked up by a, not taken from the last listener used.
        final int first = insert(table, 1, a);
        insert(table, 2, b);
        final int third = insert(table, 3, a);
        assertEquals(2, table.listenerCount());

        table.remove(first);
        assertEquals(2, table.listenerCount());
        assertSame(a, table.listener(third));
        table.remove(third);
        assertEquals(1, table.listenerCount());
    }

    @Test
    void shouldGiveAListenerThatReturnsAfterItsLastEntryLeftItsOwnId()
    {
        final PendingTable table = new PendingTable(16);
        final ReceiptListener a = new TransportTest.NoopListener();
        table.remove(insert(table, 1, a));
        assertEquals(0, table.listenerCount());

        // a was the last listener used, and its id was freed: the table must not hand its old id back from a cache.
        final int slot = insert(table, 2, a);
        assertSame(a, table.listener(slot));
        assertEquals(1, table.listenerCount());
    }

    @Test
    void shouldReuseFreedListenerIdsSoShortLivedListenersDoNotGrowTheRegistry()
    {
        // A back end that makes a listener per request: at most three are pending at once, 10,000 come and go.
        final PendingTable table = new PendingTable(16);
        final ReceiptListener[] pending = new ReceiptListener[3];
        for (int i = 0; i < 10_000; i++)
        {
            final int k = i % 3;
            if (i >= 3)
            {
                table.remove(slotOf(table, i - 3, pending[k]));
            }
            pending[k] = new TransportTest.NoopListener();
            insert(table, i, pending[k]);
        }
        assertEquals(3, table.listenerCount());
        assertEquals(4, table.listenerCapacity());
        for (int k = 0; k < 3; k++)
        {
            slotOf(table, 9_999 - k, pending[(9_999 - k) % 3]);
        }
    }

    private static int slotOf(final PendingTable table, final long id, final ReceiptListener expected)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        fillKey(key, id);
        final int slot = table.find(key, 0);
        assertTrue(slot >= 0, id + " not found");
        assertSame(expected, table.listener(slot));
        return slot;
    }

    @Test
    void shouldRefuseAnEntryWithoutAListener()
    {
        final PendingTable table = new PendingTable(16);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        fillKey(key, 1);
        assertThrows(NullPointerException.class, () -> table.insert(key, 0, null, 1, 0));
        assertEquals(0, table.size());
    }

    @Test
    void shouldForgetEveryEntryAndListenerOnClearAndStartAfresh()
    {
        final PendingTable table = new PendingTable(8);
        assertEquals(16, table.capacity());
        final ReceiptListener a = new TransportTest.NoopListener();
        final ReceiptListener b = new TransportTest.NoopListener();
        for (int id = 0; id < 7; id++)
        {
            insert(table, id, (id & 1) == 0 ? a : b);
        }
        // One entry at home in the last slot, so that clear must reach the end of the table.
        final UnsafeBuffer last = new UnsafeBuffer(new byte[32]);
        last.putLong(0, table.capacity() - 1);
        assertEquals(table.capacity() - 1, table.insert(last, 0, b, 7, 0));
        table.clear();

        assertEquals(0, table.size());
        assertEquals(0, table.listenerCount());
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        for (int slot = 0; slot < table.capacity(); slot++)
        {
            assertFalse(table.isUsed(slot), "slot " + slot + " still used");
        }
        for (int id = 0; id < 8; id++)
        {
            fillKey(key, id);
            assertEquals(-1, table.find(key, 0));
        }
        // b was the last listener used before clear: after it, b is a new listener, and the table is as large as
        // before.
        for (int id = 0; id < 8; id++)
        {
            assertSame(b, table.listener(insert(table, 100 + id, b)));
        }
        assertEquals(1, table.listenerCount());
        fillKey(key, 200);
        assertEquals(PendingTable.FULL, table.insert(key, 0, a, 200, 0));

        // Its entries counted from zero: once they are gone, so is b, whatever the id's count was before clear.
        for (int id = 0; id < 8; id++)
        {
            fillKey(key, 100 + id);
            table.remove(table.find(key, 0));
        }
        assertEquals(0, table.size());
        assertEquals(0, table.listenerCount());
    }

    private static int insert(final PendingTable table, final long id, final ReceiptListener listener)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        fillKey(key, id);
        final int slot = table.insert(key, 0, listener, id, 0);
        assertTrue(slot >= 0, "insert of " + id + " gave " + slot);
        return slot;
    }

    private static void fillKey(final UnsafeBuffer key, final long id)
    {
        key.putLong(0, id % 5);
        key.putLong(8, id);
        key.putLong(16, ~id);
        key.putLong(24, id * 31);
    }

    private static void assertKey(final DirectBuffer keys, final int offset, final long id)
    {
        assertEquals(id % 5, keys.getLong(offset));
        assertEquals(id, keys.getLong(offset + 8));
    }
}
