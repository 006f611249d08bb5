package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleBlockJournalTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRoundTripBlocks()
    {
        final ChainFixture fixture = new ChainFixture();
        final List<BlockHeader> headers = new ArrayList<>();
        final List<byte[]> hashes = new ArrayList<>();
        final List<int[]> statuses = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 0; b < 20; b++)
            {
                fixture.nextBlock(b % 4 == 3 ? 0 : 25);
                journal.append(fixture.header, fixture.txs, fixture.receipts);
                headers.add(new BlockHeader().copyFrom(fixture.header));
                hashes.add(java.util.Arrays.copyOf(fixture.txs.hashes(), fixture.txs.count() * 32));
                final int[] s = new int[fixture.txs.count()];
                for (int i = 0; i < s.length; i++)
                {
                    s[i] = fixture.receipts.status(i);
                }
                statuses.add(s);
            }
            assertEquals(20, journal.lastHeight());
        }

        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            assertEquals(20, journal.lastHeight());
            assertFalse(journal.indexRebuilt());
            for (int b = 0; b < 20; b++)
            {
                assertTrue(reader.next());
                assertEquals(headers.get(b), reader.header());
                assertEquals(b + 1, reader.height());
                final int n = reader.transactions().count();
                assertEquals(statuses.get(b).length, n);
                assertArrayEquals(hashes.get(b), java.util.Arrays.copyOf(reader.transactions().hashes(), n * 32));
                for (int i = 0; i < n; i++)
                {
                    assertEquals(statuses.get(b)[i], reader.receipts().status(i));
                }
            }
            assertFalse(reader.next());

            assertTrue(reader.seek(7));
            assertTrue(reader.next());
            assertEquals(headers.get(6), reader.header());
            assertTrue(journal.findBlock(20) > 0);
            assertEquals(-1, journal.findBlock(21));

            final byte[] hash = java.util.Arrays.copyOfRange(hashes.get(9), 3 * 32, 4 * 32);
            final long location = journal.findTransaction(hash, 0);
            assertEquals(10, TxLocation.height(location));
            assertEquals(3, TxLocation.index(location));
            assertEquals(statuses.get(9)[3], journal.status(location));
            assertEquals(TxLocation.NOT_FOUND, journal.findTransaction(new byte[32], 0));
        }
    }

    @Test
    void shouldContinueAppendingAfterReopen()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 5, 10);
        }
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 5, 10);
            assertEquals(10, journal.lastHeight());
            assertEquals(100, journal.indexedTransactions());
        }
        try (ChronicleBlockJournal journal = open(); JournalReader reader = journal.newReader())
        {
            int blocks = 0;
            while (reader.next())
            {
                blocks++;
            }
            assertEquals(10, blocks);
            assertEquals(ReceiptStatus.OK.value(), journal.status(TxLocation.pack(10, 0)));
        }
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20)
            .txIndexCapacity(64));
    }
}
