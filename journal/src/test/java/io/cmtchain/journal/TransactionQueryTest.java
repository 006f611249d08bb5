package io.cmtchain.journal;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transaction queries ({@link ChronicleBlockJournal#findTransaction}, {@code status}, {@code feeCharged}) for every
 * transaction of every block, asked in an order that reads another block nearly every time, between appends, and
 * after the journal is opened again; locations a block does not have are refused. A transaction of a block damaged on
 * disk is answered as unreadable, naming the block, and the other blocks' transactions as before.
 */
class TransactionQueryTest
{
    @TempDir
    Path dir;

    private record Sent(byte[] hash, long location, int status, long fee)
    {
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir));
    }

    private static void append(
        final ChronicleBlockJournal journal, final ChainFixture fixture, final int txCount, final List<Sent> sent)
    {
        fixture.nextBlock(txCount);
        journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
        for (int i = 0; i < fixture.txs.count(); i++)
        {
            final byte[] hash = new byte[32];
            fixture.txs.hash(i, hash, 0);
            sent.add(new Sent(hash, TxLocation.pack(fixture.header.height, i), fixture.receipts.status(i),
                fixture.receipts.feeCharged(i)));
        }
    }

    private static void assertAnswers(final ChronicleBlockJournal journal, final List<Sent> sent, final long seed)
    {
        final List<Sent> order = new ArrayList<>(sent);
        Collections.shuffle(order, new Random(seed));
        for (final Sent s : order)
        {
            // The hash sits at an offset in a larger array, as the transport hands it over.
            final byte[] query = new byte[40];
            System.arraycopy(s.hash, 0, query, 5, 32);
            final long location = journal.findTransaction(query, 5);
            assertEquals(s.location, location, "location of a transaction of block " + TxLocation.height(s.location));
            assertEquals(s.status, journal.status(location));
            assertEquals(s.fee, journal.feeCharged(location));
        }
    }

    @Test
    void shouldAnswerForEveryTransactionOfEveryBlock()
    {
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 0; b < 30; b++)
            {
                append(journal, fixture, b % 7 == 6 ? 0 : 10 + b, sent);
                if (b % 10 == 9)
                {
                    assertAnswers(journal, sent, b);
                }
            }
            // Rejected transfers (every fifth) are charged nothing, committed ones their fee: both kinds are there.
            assertTrue(sent.stream().anyMatch(s -> s.fee == 0) && sent.stream().anyMatch(s -> s.fee > 0));
        }
        try (ChronicleBlockJournal journal = open())
        {
            assertAnswers(journal, sent, 99);
        }
    }

    @Test
    void shouldAnswerForEveryTransactionOfABlockOfMoreThanTheLookupFirstHoldsRecordsFor()
    {
        // The lookup reader starts with room for where 1,024 records begin; a larger block makes it grow.
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            append(journal, fixture, 3, sent);
            append(journal, fixture, 1_500, sent);
            // The fixture's refused transfers repeat every 1,000 transactions (same sender, nonce and amount): the
            // journal answers with the earliest copy, so only first copies are asked about.
            final Set<ByteBuffer> seen = new HashSet<>();
            final List<Sent> first = new ArrayList<>();
            for (final Sent s : sent)
            {
                if (seen.add(ByteBuffer.wrap(s.hash)))
                {
                    first.add(s);
                }
            }
            assertTrue(first.size() > 1_024 + 3 && TxLocation.index(first.get(first.size() - 1).location) > 1_024);
            assertAnswers(journal, first, 7);
        }
    }

    @Test
    void shouldNotFindAHashThatSharesOnlyItsFirstBytesWithAJournaledOne()
    {
        // The index keys on a hash's first 8 bytes; the journal's full copy decides.
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            append(journal, fixture, 12, sent);
            for (final int differing : new int[]{8, 31})
            {
                final byte[] other = sent.get(5).hash.clone();
                other[differing] ^= 0x01;
                assertEquals(TxLocation.NOT_FOUND, journal.findTransaction(other, 0), "byte " + differing);
            }
            assertEquals(sent.get(5).location, journal.findTransaction(sent.get(5).hash, 0));
        }
    }

    @Test
    void shouldRefuseALocationTheJournalDoesNotHave()
    {
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            append(journal, fixture, 12, sent);
            append(journal, fixture, 0, sent);
            final long past = TxLocation.pack(1, 12);
            assertEquals("block 1 has 12 transactions, not 13",
                assertThrows(IllegalArgumentException.class, () -> journal.status(past)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> journal.feeCharged(past));
            assertThrows(IllegalArgumentException.class, () -> journal.status(TxLocation.pack(2, 0)));
            assertEquals("block 3 is not in the journal",
                assertThrows(IllegalArgumentException.class, () -> journal.feeCharged(TxLocation.pack(3, 0)))
                    .getMessage());
            // The last good answer is still right after the refusals.
            assertEquals(sent.get(11).status, journal.status(sent.get(11).location));
        }
    }

    @Test
    void shouldAnswerUnreadableForATransactionOfADamagedBlockAndAsBeforeForEveryOther() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 0; b < 6; b++)
            {
                append(journal, fixture, 12, sent);
            }
        }
        JournalFiles.flipByteInBlock(dir, 3, 300);
        try (ChronicleBlockJournal journal = open())
        {
            // Closed cleanly: the index is trusted and no block is read at open; the damage shows at the query.
            assertFalse(journal.indexRebuilt());
            final Sent inBlock5 = sent.get(4 * 12);
            final Sent inBlock3 = sent.get(2 * 12 + 7);
            assertEquals(inBlock5.location, journal.findTransaction(inBlock5.hash, 0));

            final long unreadable = journal.findTransaction(inBlock3.hash, 0);
            assertTrue(TxLocation.isUnreadable(unreadable), Long.toHexString(unreadable));
            assertEquals(3, TxLocation.height(unreadable));
            assertEquals(7, TxLocation.index(unreadable));
            final String cause = journal.unreadableCause().getMessage();
            assertTrue(cause.startsWith("journal corrupted at block 3 (queue index ") &&
                cause.endsWith("checksum mismatch, and later entries follow it"), cause);
            assertThrows(JournalCorruptedException.class, () -> journal.status(TxLocation.pack(3, 7)));

            // The failed read went through the lookup's buffer: block 5, read before it, is read again.
            final Sent alsoInBlock5 = sent.get(4 * 12 + 5);
            assertEquals(alsoInBlock5.location, journal.findTransaction(alsoInBlock5.hash, 0));
            assertEquals(alsoInBlock5.status, journal.status(alsoInBlock5.location));
            assertEquals(alsoInBlock5.fee, journal.feeCharged(alsoInBlock5.location));

            final List<Sent> order = new ArrayList<>(sent);
            Collections.shuffle(order, new Random(3));
            for (final Sent s : order)
            {
                final long location = journal.findTransaction(s.hash, 0);
                if (TxLocation.height(s.location) == 3)
                {
                    assertEquals(TxLocation.unreadable(s.location), location);
                }
                else
                {
                    assertEquals(s.location, location);
                    assertEquals(s.status, journal.status(location));
                    assertEquals(s.fee, journal.feeCharged(location));
                }
            }
        }
    }

    /**
     * Tagged crash (run by -Pslow): the SIGBUS this provokes may be delivered by the JVM after the faulting read has
     * returned, outside every catch (see ChronicleBlockJournalTest's test of a file truncated under a reader).
     */
    @Test
    @Tag("crash")
    void shouldAnswerUnreadableWhenTheFileHoldingTheBlockIsTruncatedUnderTheJournal() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        final List<Sent> sent = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 0; b < 60; b++)
            {
                append(journal, fixture, 50, sent);
            }
            // The queue has the file mapped; reading a page past its new end faults (SIGBUS), which the JVM reports
            // as an InternalError rather than an exception.
            try (FileChannel file = FileChannel.open(JournalFiles.cycleFile(dir), StandardOpenOption.WRITE))
            {
                file.truncate(8192);
            }
            final Sent inBlock40 = sent.get(39 * 50 + 3);
            final long location = journal.findTransaction(inBlock40.hash, 0);
            assertEquals(TxLocation.unreadable(inBlock40.location), location, Long.toHexString(location));
            final String cause = journal.unreadableCause().getMessage();
            assertTrue(cause.startsWith("journal block 40 cannot be read: its file faulted on reading"), cause);
            assertTrue(journal.unreadableCause().getCause() instanceof InternalError,
                journal.unreadableCause()::toString);
        }
    }

    @Test
    void shouldAnswerWithTheEarliestCopyUnlessTheBlockOfAnEarlierOneCannotBeRead() throws Exception
    {
        // Block 1's fifth transaction is refused in its block, then sent again in blocks 3 and 5.
        final ChainFixture fixture = new ChainFixture();
        fixture.nextBlock(5);
        final byte[] frame = new byte[fixture.txs.length(4)];
        fixture.txs.buffer(4).getBytes(fixture.txs.offset(4), frame);
        final byte[] hash = new byte[32];
        fixture.txs.hash(4, hash, 0);
        try (ChronicleBlockJournal journal = open())
        {
            journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            for (int b = 2; b <= 6; b++)
            {
                fixture.nextBlock(20, b % 2 == 1 ? frame : null);
                journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
            }
        }
        // A later copy's block damaged: the earliest copy is the answer, as before.
        JournalFiles.flipByteInBlock(dir, 5, 300);
        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(TxLocation.pack(1, 4), journal.findTransaction(hash, 0));
        }
        // The earliest copy's block damaged: whether that block holds it cannot be told, so the answer is that
        // block, unreadable, and not the copy in block 3.
        JournalFiles.flipByteInBlock(dir, 1, 300);
        try (ChronicleBlockJournal journal = open())
        {
            assertEquals(TxLocation.unreadable(TxLocation.pack(1, 4)), journal.findTransaction(hash, 0));
            assertTrue(journal.unreadableCause().getMessage().startsWith("journal corrupted at block 1 "),
                journal.unreadableCause()::toString);
        }
    }
}
