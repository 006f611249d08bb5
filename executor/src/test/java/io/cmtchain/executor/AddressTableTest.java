package io.cmtchain.executor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AddressTableTest
{
    @Test
    void shouldGiveDenseIdsToOneInserterAndFindThem()
    {
        final AddressTable table = new AddressTable(1);
        table.reset(100);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, table.findOrInsert(i, -i, i * 7));
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, table.find(i, -i, i * 7));
            assertEquals(i, table.findOrInsert(i, -i, i * 7));
        }
        assertEquals(AddressTable.ABSENT, table.find(1, 1, 1));
        table.reset(10);
        assertEquals(AddressTable.ABSENT, table.find(0, 0, 0));
    }

    @Test
    void shouldStartIdsAgainFromZeroAfterResetAndKeepEachIdsAddress()
    {
        final AddressTable table = new AddressTable(7);
        table.reset(4);
        assertEquals(0, table.idLimit());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(i, table.findOrInsert(100 + i, 200 + i, 300 + i));
        }
        assertEquals(3, table.idLimit());
        assertEquals(101, table.word0(1));
        assertEquals(201, table.word1(1));
        assertEquals(301, table.word2(1));

        // The schedulers key new accounts by base + id and clear per-id flags up to idLimit(): a block's ids
        // must start at 0 again, whatever the block before handed out.
        table.reset(4);
        assertEquals(0, table.idLimit());
        assertEquals(0, table.findOrInsert(-1, -2, -3));
        assertEquals(1, table.idLimit());
        assertEquals(-1, table.word0(0));
        assertEquals(-2, table.word1(0));
        assertEquals(-3, table.word2(0));
        assertEquals(AddressTable.ABSENT, table.find(100, 200, 300));
    }

    @Test
    void shouldAgreeOnOneIdPerAddressUnderRacingInserts() throws InterruptedException
    {
        final int threads = 4;
        final int addresses = 5_000;
        for (int round = 0; round < 20; round++)
        {
            final AddressTable table = new AddressTable(round);
            table.reset(threads * addresses);
            final int[][] ids = new int[threads][addresses];
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final int worker = t;
                workers[t] = new Thread(() ->
                {
                    try
                    {
                        start.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    // Each thread visits every address, in its own order (strides coprime with the count).
                    final int stride = new int[] {1, 3, 7, 11}[worker];
                    for (int i = 0; i < addresses; i++)
                    {
                        final int a = (i * stride) % addresses;
                        ids[worker][a] = table.findOrInsert(a * 31L, a, a ^ 0x55);
                    }
                });
                workers[t].start();
            }
            start.countDown();
            for (final Thread w : workers)
            {
                w.join();
            }
            final java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int a = 0; a < addresses; a++)
            {
                for (int t = 1; t < threads; t++)
                {
                    assertEquals(ids[0][a], ids[t][a], "address " + a);
                }
                assertNotEquals(AddressTable.ABSENT, ids[0][a]);
                assertEquals(true, seen.add(ids[0][a]), "id reused");
                assertEquals(ids[0][a], table.find(a * 31L, a, a ^ 0x55));
            }
        }
    }
}
