package io.cmtchain.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingTableTest
{
    private static final ReceiptListener LISTENER = new TransportTest.NoopListener();

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
