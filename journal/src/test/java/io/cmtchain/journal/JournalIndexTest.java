package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The index on its own: what a clean close leaves is loaded back whole, also past the log's read chunk; a log that
 * does not add up, though each record's checksum holds, is not trusted.
 */
class JournalIndexTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int LOG_HEADER_LENGTH = 64;
    private static final int HEIGHTS_LAST_HEIGHT_OFFSET = 16;

    @TempDir
    Path dir;

    @Test
    void shouldLoadBackEveryBlockAndTransactionOfACleanIndexLargerThanItsReadChunk()
    {
        // 1 MiB read chunk: 290 blocks of 500 transactions span several chunks, and one block of 140,000 (1.1 MB of
        // prefixes) is larger than a chunk.
        final int[] counts = new int[300];
        for (int b = 0; b < counts.length; b++)
        {
            counts[b] = b % 29 == 3 ? 0 : 500;
        }
        counts[150] = 140_000;
        final byte[][] hashes = new byte[counts.length][];
        final Random random = new Random(42);
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean());
            for (int b = 0; b < counts.length; b++)
            {
                hashes[b] = new byte[32 * counts[b]];
                random.nextBytes(hashes[b]);
                index.reserveHeight(b + 1);
                index.putBlock(b + 1, queueIndex(b + 1), hashes[b], counts[b]);
            }
            index.markClean();
        }
        long total = 0;
        for (final int count : counts)
        {
            total += count;
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean());
            assertEquals(counts.length, index.lastHeight());
            assertEquals(total, index.transactionCount());
            assertEquals(JournalIndex.MISSING, index.queueIndex(0));
            assertEquals(JournalIndex.MISSING, index.queueIndex(counts.length + 1));
            for (int b = 0; b < counts.length; b++)
            {
                assertEquals(queueIndex(b + 1), index.queueIndex(b + 1));
                for (int i = 0; i < counts[b]; i++)
                {
                    assertTrue(holds(index, hashes[b], i, TxLocation.pack(b + 1, i)), "block " + (b + 1) + " tx " + i);
                }
            }
        }
    }

    @Test
    void shouldNotTrustACleanLogThatDoesNotAddUp() throws IOException
    {
        // Each damage keeps every record's checksum right: only the log's structure gives it away, and the reason
        // names it. Records of blocks 1 (at byte 64, 32 bytes), 2 (96, 40) and 3 (136, 24); the log ends at 160.
        final Path heights = dir.resolve("heights.idx");
        assertNotTrusted(JournalIndexTest::swapFirstTwoRecords, "records out of height order",
            "does not add up at byte 104: height 1 after height 2 (heights rise, up to the last indexed height 3)");
        assertNotTrusted(log -> appendRecord(log, 2, new long[]{0x1234}), "a block recorded twice",
            "does not add up at byte 160: height 2 after height 3");
        assertNotTrusted(log -> appendRecord(log, 4, new long[]{0x1234}), "a block beyond the last indexed height",
            "does not add up at byte 160: height 4 after height 3 (heights rise, up to the last indexed height 3)");
        assertNotTrusted(log ->
        {
            // Within the indexed heights, so that only its count is wrong; the log's last 16 bytes, a whole record.
            putLong(heights, HEIGHTS_LAST_HEIGHT_OFFSET, 5);
            appendRecord(log, 4, new long[0]);
        }, "a block record without transactions", "does not add up at byte 160: count 0 of block 4 is not 1 to " +
            TxLocation.MAX_TRANSACTIONS_PER_BLOCK + " or goes past the end of the file");
        assertNotTrusted(log -> appendBytes(log, new byte[15]), "a partial block record at the end",
            "does not add up at byte 160: a partial block record of 15 bytes at the end");
        assertNotTrusted(log -> truncate(log, java.nio.file.Files.size(log) - 8), "a record short of its prefixes",
            "does not add up at byte 136: count 1 of block 3 is not 1 to " + TxLocation.MAX_TRANSACTIONS_PER_BLOCK +
            " or goes past the end of the file");
        assertNotTrusted(log -> putLong(log, 0, 0x4141414141414141L), "another magic",
            "is not a transaction hash log");
        assertNotTrusted(log -> truncate(log, LOG_HEADER_LENGTH - 1), "a header cut short",
            "txhash.log is 63 bytes long, shorter than its 64-byte header");
    }

    @Test
    void shouldNotTrustALogThatRecordsTheSameHeightTwiceInARow() throws IOException
    {
        // Heights must rise strictly: a record of the block just recorded, whole and checksummed, is damage (a write
        // repeated), not a second block. Trusted, it would count block 3's transactions twice.
        assertNotTrusted(JournalIndexTest::repeatLastRecord, "the last record written again",
            "does not add up at byte 160: height 3 after height 3");
        assertNotTrusted(log -> appendRecord(log, 3, new long[]{0x1234}), "another record of the last height",
            "does not add up at byte 160: height 3 after height 3");
    }

    @Test
    void shouldNotTrustALogWhoseRecordHeightMovedToAnotherIndexedBlock() throws IOException
    {
        // Blocks 1 to 5, records of 1, 4 and 5: bit 1 of block 1's height flipped makes it block 3, which has no
        // record, so the heights still rise. A checksum of the prefixes alone let it through: block 1's transactions
        // were then located in block 3, where transaction lookup does not find them.
        writeCleanIndexOfBlocksOneToFive();
        TxHashLogFiles.flipBit(dir.resolve("txhash.log"), LOG_HEADER_LENGTH, 1);
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean());
            assertEquals(0, index.lastHeight());
            assertEquals(0, index.transactionCount());
            assertTrue(index.untrustedReason().contains("the checksum of the record of block 3 does not match"),
                index.untrustedReason());
        }
    }

    @Test
    void shouldNotTrustALogWithAnyBitOfARecordsHeightOrCountFlipped() throws IOException
    {
        // Each record's checksum covers its height (bytes 0 to 7) and count (8 to 11): every single-bit flip of them is
        // caught, whichever check catches it first.
        final Path heights = dir.resolve("heights.idx");
        final Path log = dir.resolve("txhash.log");
        writeCleanIndexOfBlocksOneToFive();
        final byte[] cleanHeights = java.nio.file.Files.readAllBytes(heights);
        final byte[] cleanLog = java.nio.file.Files.readAllBytes(log);
        // Every bit of the first record's height and count; the low byte of each in the other two (each open forces
        // the height file to disk, so not all 288 bits in the default build).
        final long[] recordAt = {LOG_HEADER_LENGTH, LOG_HEADER_LENGTH + 32, LOG_HEADER_LENGTH + 32 + 40};
        for (final long at : recordAt)
        {
            for (int bit = 0; bit < 96; bit++)
            {
                if (at != LOG_HEADER_LENGTH && bit % 64 >= 8)
                {
                    continue;
                }
                // The clean files back (an open marks the index dirty, a rebuild empties both), then one bit flipped.
                java.nio.file.Files.write(heights, cleanHeights);
                java.nio.file.Files.write(log, cleanLog);
                TxHashLogFiles.flipBit(log, at + bit / 8, bit % 8);
                try (JournalIndex index = index())
                {
                    final String what = "record at " + at + ", bit " + bit;
                    assertFalse(index.wasClean(), what);
                    assertEquals(0, index.transactionCount(), what);
                    assertTrue(index.untrustedReason().contains("does not add up at byte " + at), what + ": " +
                        index.untrustedReason());
                }
            }
        }
    }

    @Test
    void shouldWriteTheLogInFormatThreeByteForByte() throws IOException
    {
        writeCleanIndexOfBlocksOneToFive();
        final byte[] expected = TxHashLogFiles.log(TxHashLogFiles.MAGIC_V3, new long[]{1, 4, 5},
            new long[][]{prefixes(hashes(1, 2), 2), prefixes(hashes(4, 3), 3), prefixes(hashes(5, 1), 1)}, true);
        assertArrayEquals(expected, java.nio.file.Files.readAllBytes(dir.resolve("txhash.log")));
    }

    @Test
    void shouldRebuildALogOfAnotherFormatVersionRatherThanReadIt() throws IOException
    {
        // The log that format 2 wrote for the same blocks, byte by byte (the old code loaded it as clean): refused by
        // its magic, before any record is read, and so is a format-2 magic on format-3 records, format 1 and a later
        // format.
        assertRebuiltForFormat(TxHashLogFiles.MAGIC_V2, false,
            "is in format 'CMTTLOG2', older than this node's 'CMTTLOG3' (its block checksums do not cover");
        assertRebuiltForFormat(TxHashLogFiles.MAGIC_V2, true, "is in format 'CMTTLOG2', older than this node's");
        assertRebuiltForFormat(TxHashLogFiles.MAGIC_V1, false, "is in format 'CMTTLOG1', older than this node's");
        assertRebuiltForFormat(0x34474F4C54544D43L, true, "is in format 'CMTTLOG4', not this node's 'CMTTLOG3'");
        assertRebuiltForFormat(0x4141414141414141L, true, "is not a transaction hash log (no 'CMTTLOG3' magic)");
    }

    @Test
    void shouldNotTrustARecordedPrefixOfZero() throws IOException
    {
        try (JournalIndex index = index())
        {
            index.putBlock(1, queueIndex(1), new byte[64], 2);
            index.markClean();
        }
        // The prefix of an all-zero hash is stored as 1, so a 0 in the log is damage, its checksum right or not.
        final Path log = dir.resolve("txhash.log");
        putLong(log, LOG_HEADER_LENGTH + 16 + 8, 0);
        rechecksum(log, LOG_HEADER_LENGTH, 2);
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean());
            assertEquals(0, index.transactionCount());
            assertTrue(index.untrustedReason().endsWith(
                "does not add up at byte 64: transaction 1 of block 1 has a hash prefix of 0"),
                index.untrustedReason());
        }
    }

    @Test
    void shouldMarkItselfDirtyAtOpenSoThatAnIndexNotClosedCleanlyIsNotTrusted()
    {
        try (JournalIndex index = index())
        {
            index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
            index.markClean();
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean());
            // The process dies here: block 2 is recorded, the index never marked clean again.
            index.putBlock(2, queueIndex(2), hashes(2, 2), 2);
        }
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean());
            assertEquals(0, index.lastHeight());
            assertEquals(0, index.transactionCount());
        }
    }

    @Test
    void shouldGrowTheHeightFileForBlocksPutWithoutAReservation()
    {
        // A rebuild puts every block without reserving its slot first: the height file (4 heights) grows as needed.
        try (JournalIndex index = index())
        {
            for (int h = 1; h <= 30; h++)
            {
                index.putBlock(h, queueIndex(h), hashes(h, 1), 1);
            }
            index.markClean();
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean());
            for (int h = 1; h <= 30; h++)
            {
                assertEquals(queueIndex(h), index.queueIndex(h));
            }
        }
    }

    @Test
    void shouldTrustACleanIndexWhoseBlocksHaveNoTransactions() throws IOException
    {
        // A log of its header alone, 64 bytes, is whole: blocks without transactions write nothing to it.
        try (JournalIndex index = index())
        {
            for (int h = 1; h <= 3; h++)
            {
                index.putBlock(h, queueIndex(h), new byte[0], 0);
            }
            index.markClean();
        }
        assertEquals(LOG_HEADER_LENGTH, java.nio.file.Files.size(dir.resolve("txhash.log")));
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), index.untrustedReason());
            assertEquals(3, index.lastHeight());
            assertEquals(queueIndex(3), index.queueIndex(3));
            assertEquals(0, index.transactionCount());
        }
    }

    @Test
    void shouldNotTrustAHeightFileWithoutItsMagic() throws IOException
    {
        // Marked clean, but not a height index: its clean mark means nothing.
        writeCleanIndexOfBlocksOneToFive();
        putLong(dir.resolve("heights.idx"), 0, 0x4141414141414141L);
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean());
            assertEquals(0, index.lastHeight());
            assertEquals(0, index.transactionCount());
            assertEquals("no height index in " + dir.resolve("heights.idx"), index.untrustedReason());
        }
    }

    @Test
    void shouldMakeTheHeightFileWithRoomForOneGrowthOfHeightsAndAgainWhenCleared() throws IOException
    {
        // 4 heights per growth: 64 bytes of header and 4 slots at first, 4 more slots when height 5 does not fit.
        final Path heights = dir.resolve("heights.idx");
        try (JournalIndex index = index())
        {
            assertEquals(LOG_HEADER_LENGTH + 8 * 4, java.nio.file.Files.size(heights));
            for (int h = 1; h <= 4; h++)
            {
                index.putBlock(h, queueIndex(h), hashes(h, 1), 1);
            }
            assertEquals(LOG_HEADER_LENGTH + 8 * 4, java.nio.file.Files.size(heights));
            index.putBlock(5, queueIndex(5), hashes(5, 1), 1);
            assertEquals(LOG_HEADER_LENGTH + 8 * 8, java.nio.file.Files.size(heights));
            index.clear();
            assertEquals(LOG_HEADER_LENGTH + 8 * 4, java.nio.file.Files.size(heights));
        }
    }

    @Test
    void shouldForgetEveryBlockAndTransactionWhenCleared()
    {
        // The journal clears an index it opened, with blocks in it, when it rebuilds the index from the journal.
        final byte[] hashes = hashes(1, 3);
        try (JournalIndex index = index())
        {
            index.putBlock(1, queueIndex(1), hashes, 3);
            index.putBlock(2, queueIndex(2), hashes(2, 2), 2);
            assertTrue(holds(index, hashes, 2, TxLocation.pack(1, 2)));
            index.clear();
            assertEquals(0, index.lastHeight());
            assertEquals(0, index.transactionCount());
            assertEquals(JournalIndex.MISSING, index.queueIndex(1));
            assertFalse(holds(index, hashes, 2, TxLocation.pack(1, 2)));
            // Rebuilt with block 1 only: the log holds it alone and is trusted at the next open.
            index.putBlock(1, queueIndex(1), hashes, 3);
            index.markClean();
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), index.untrustedReason());
            assertEquals(1, index.lastHeight());
            assertEquals(3, index.transactionCount());
        }
    }

    @Test
    void shouldWriteTheSameFilesThroughWritesThatTakeAFewBytesAtATime() throws IOException
    {
        // A positional write may write less than it was given: each file write goes on from where the last one ended.
        final ChannelWriter fewBytes = (channel, source, position) ->
        {
            final int limit = source.limit();
            source.limit(Math.min(limit, source.position() + 7));
            try
            {
                return channel.write(source, position);
            }
            finally
            {
                source.limit(limit);
            }
        };
        try (JournalIndex index = new JournalIndex(
            dir.resolve("heights.idx"), dir.resolve("txhash.log"), 16, 4, fewBytes))
        {
            putBlocksOneToFive(index);
        }
        final byte[] expected = TxHashLogFiles.log(TxHashLogFiles.MAGIC_V3, new long[]{1, 4, 5},
            new long[][]{prefixes(hashes(1, 2), 2), prefixes(hashes(4, 3), 3), prefixes(hashes(5, 1), 1)}, true);
        assertArrayEquals(expected, java.nio.file.Files.readAllBytes(dir.resolve("txhash.log")));
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), index.untrustedReason());
            assertEquals(6, index.transactionCount());
            for (int h = 1; h <= 5; h++)
            {
                assertEquals(queueIndex(h), index.queueIndex(h));
            }
        }
    }

    @Test
    void shouldLeaveNoFileOpenOrMappedOnceClosed() throws IOException
    {
        // Linux shows a process's open files and mappings under /proc/self; a leak of either survives every close.
        assumeTrue(OpenFiles.visible(), "needs /proc/self");
        final String where = dir.toRealPath().toString();
        try (JournalIndex index = index())
        {
            index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
            // A rebuild's clear makes the height file again: the old one's channel and mapping go with it.
            index.clear();
            index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
            assertTrue(OpenFiles.openOrMapped(where) >= 2, "the index's files are open while it is");
            index.markClean();
        }
        assertEquals(0, OpenFiles.openOrMapped(where));
    }

    @Test
    void shouldNameItsFilesHeightAndTransactionsInItsDescription() throws IOException
    {
        writeCleanIndexOfBlocksOneToFive();
        try (JournalIndex index = index())
        {
            assertEquals("JournalIndex{" + dir.resolve("heights.idx") + ", " + dir.resolve("txhash.log") +
                ", lastHeight=5, tx=6}", index.toString());
        }
    }

    /** @return the process's open files and mapped regions under {@code where}. */
    private void assertRebuiltForFormat(final long magic, final boolean format3Checksums, final String reason)
        throws IOException
    {
        writeCleanIndexOfBlocksOneToFive();
        final Path log = dir.resolve("txhash.log");
        java.nio.file.Files.write(log, TxHashLogFiles.log(magic, new long[]{1, 4, 5},
            new long[][]{prefixes(hashes(1, 2), 2), prefixes(hashes(4, 3), 3), prefixes(hashes(5, 1), 1)},
            format3Checksums));
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean(), reason);
            assertEquals(0, index.lastHeight(), reason);
            assertEquals(0, index.transactionCount(), reason);
            assertTrue(index.untrustedReason().contains(reason), index.untrustedReason());
            // Rebuilt in format 3: the blocks put again are trusted at the next open.
            index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
            index.markClean();
        }
        assertEquals(TxHashLogFiles.MAGIC_V3, TxHashLogFiles.magic(log));
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), index.untrustedReason());
            assertEquals(null, index.untrustedReason());
            assertEquals(2, index.transactionCount());
        }
    }

    /** A clean index of blocks 1 to 5 with 2, 0, 0, 3 and 1 transactions: records in the logs of blocks 1, 4 and 5. */
    private static void putBlocksOneToFive(final JournalIndex index) throws IOException
    {
        index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
        index.putBlock(2, queueIndex(2), new byte[0], 0);
        index.putBlock(3, queueIndex(3), new byte[0], 0);
        index.putBlock(4, queueIndex(4), hashes(4, 3), 3);
        index.putBlock(5, queueIndex(5), hashes(5, 1), 1);
        index.markClean();
    }

    private void writeCleanIndexOfBlocksOneToFive() throws IOException
    {
        java.nio.file.Files.deleteIfExists(dir.resolve("heights.idx"));
        java.nio.file.Files.deleteIfExists(dir.resolve("txhash.log"));
        try (JournalIndex index = index())
        {
            putBlocksOneToFive(index);
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), index.untrustedReason());
            assertEquals(6, index.transactionCount());
            assertTrue(holds(index, hashes(1, 2), 1, TxLocation.pack(1, 1)));
            index.markClean();
        }
    }

    private static long[] prefixes(final byte[] hashes, final int count)
    {
        final long[] prefixes = new long[count];
        for (int i = 0; i < count; i++)
        {
            prefixes[i] = TxHashTable.prefix(hashes, i * 32);
        }
        return prefixes;
    }

    private void assertNotTrusted(final IoAction damage, final String what, final String reason) throws IOException
    {
        final Path heights = dir.resolve("heights.idx");
        final Path log = dir.resolve("txhash.log");
        java.nio.file.Files.deleteIfExists(heights);
        java.nio.file.Files.deleteIfExists(log);
        try (JournalIndex index = index())
        {
            index.putBlock(1, queueIndex(1), hashes(1, 2), 2);
            index.putBlock(2, queueIndex(2), hashes(2, 3), 3);
            index.putBlock(3, queueIndex(3), hashes(3, 1), 1);
            index.markClean();
        }
        try (JournalIndex index = index())
        {
            assertTrue(index.wasClean(), what);
            assertEquals(6, index.transactionCount(), what);
            index.markClean();
        }
        damage.run(log);
        try (JournalIndex index = index())
        {
            assertFalse(index.wasClean(), what);
            assertEquals(0, index.lastHeight(), what);
            assertEquals(0, index.transactionCount(), what);
            assertTrue(index.untrustedReason().contains(reason), what + ": " + index.untrustedReason());
        }
    }

    /** A file change that may fail. */
    @FunctionalInterface
    private interface IoAction
    {
        void run(Path file) throws IOException;
    }

    private JournalIndex index()
    {
        return new JournalIndex(dir.resolve("heights.idx"), dir.resolve("txhash.log"), 16, 4,
            ChannelWriter.FILE_CHANNEL);
    }

    private static long queueIndex(final long height)
    {
        return 0x1_0000_0000L * 77 + height * 3;
    }

    private static byte[] hashes(final int seed, final int count)
    {
        final byte[] hashes = new byte[32 * count];
        new Random(seed).nextBytes(hashes);
        return hashes;
    }

    private static boolean holds(final JournalIndex index, final byte[] hashes, final int i, final long location)
    {
        final long prefix = TxHashTable.prefix(hashes, i * 32);
        for (long probe = index.nextCandidate(prefix, 0); probe >= 0; probe = index.nextCandidate(prefix, probe + 1))
        {
            if (index.candidateLocation(prefix, probe) == location)
            {
                return true;
            }
        }
        return false;
    }

    private static void swapFirstTwoRecords(final Path log) throws IOException
    {
        // Block 1 has 2 transactions (32 bytes of record), block 2 has 3 (40 bytes): block 2's record goes first.
        final byte[] bytes = java.nio.file.Files.readAllBytes(log);
        final byte[] swapped = bytes.clone();
        System.arraycopy(bytes, LOG_HEADER_LENGTH + 32, swapped, LOG_HEADER_LENGTH, 40);
        System.arraycopy(bytes, LOG_HEADER_LENGTH, swapped, LOG_HEADER_LENGTH + 40, 32);
        java.nio.file.Files.write(log, swapped);
    }

    private static void repeatLastRecord(final Path log) throws IOException
    {
        // Block 3, the last, has 1 transaction: its record is the log's last 24 bytes.
        final byte[] bytes = java.nio.file.Files.readAllBytes(log);
        appendBytes(log, Arrays.copyOfRange(bytes, bytes.length - 24, bytes.length));
    }

    private static void appendRecord(final Path log, final long height, final long[] prefixes) throws IOException
    {
        final ByteBuffer record = ByteBuffer.allocate(16 + 8 * prefixes.length).order(LE);
        record.putLong(0, height).putInt(8, prefixes.length);
        for (int i = 0; i < prefixes.length; i++)
        {
            record.putLong(16 + 8 * i, prefixes[i]);
        }
        record.putInt(12, TxHashLogFiles.checksum(record.array(), 0, record.capacity()));
        appendBytes(log, record.array());
    }

    private static void appendBytes(final Path log, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(bytes));
        }
    }

    private static void truncate(final Path log, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }

    private static void putLong(final Path file, final long position, final long value) throws IOException
    {
        withChannel(file, channel -> write(channel, ByteBuffer.allocate(8).order(LE).putLong(0, value), position));
    }

    private static void rechecksum(final Path log, final long recordAt, final int count) throws IOException
    {
        withChannel(log, channel ->
        {
            final ByteBuffer record = ByteBuffer.allocate(16 + 8 * count);
            read(channel, record, recordAt);
            final int checksum = TxHashLogFiles.checksum(record.array(), 0, record.capacity());
            write(channel, ByteBuffer.allocate(4).order(LE).putInt(0, checksum), recordAt + 12);
        });
    }

    private static void withChannel(final Path file, final Consumer<FileChannel> action) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            action.accept(channel);
        }
    }

    private static void write(final FileChannel channel, final ByteBuffer buffer, final long position)
    {
        try
        {
            channel.write(buffer, position);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void read(final FileChannel channel, final ByteBuffer buffer, final long position)
    {
        try
        {
            channel.read(buffer, position);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
