package io.cmtchain.pipeline;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.JournalCorruptedException;
import io.cmtchain.journal.TransactionLookup;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transaction query gets an answer, also when the journal cannot give the receipt: a block it cannot read is
 * named, any other failure of the lookup answered without one, each reported once, and the queries after it answered
 * in the same duty cycle.
 */
class TransactionQueriesTest
{
    private static final long JOURNALED = 40;
    private static final byte FOUND = 1;
    private static final byte DAMAGED = 2;
    private static final byte FAILING = 3;

    private final JournalCorruptedException damage =
        new JournalCorruptedException("journal corrupted at block 3 (queue index 2): checksum mismatch");
    private final List<Throwable> errors = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private boolean egressFull;

    /** Finds a hash by its first byte: FOUND at block 9, DAMAGED in unreadable block 3, FAILING throws. */
    private final TransactionLookup journal = new TransactionLookup()
    {
        @Override
        public long findTransaction(final byte[] hash, final int offset)
        {
            switch (hash[offset])
            {
                case FOUND:
                    return TxLocation.pack(9, 2);
                case DAMAGED:
                    return TxLocation.unreadable(TxLocation.pack(3, 7));
                case FAILING:
                    throw new IllegalStateException("queue closed");
                default:
                    return TxLocation.NOT_FOUND;
            }
        }

        @Override
        public JournalCorruptedException unreadableCause()
        {
            return damage;
        }

        @Override
        public int status(final long location)
        {
            return 4;
        }

        @Override
        public long feeCharged(final long location)
        {
            return 100;
        }

        @Override
        public long lastHeight()
        {
            return JOURNALED;
        }
    };

    private final ReceiptSink sink = new ReceiptSink()
    {
        @Override
        public void onReceipt(
            final long clientId, final byte[] txHash, final int hashOffset, final int status,
            final long blockHeight, final long feeCharged)
        {
        }

        @Override
        public boolean offerTransactionState(
            final long clientId, final long correlationId, final byte[] txHash, final int hashOffset,
            final boolean found, final long blockHeight, final int index, final int status,
            final long feeCharged, final long journaledHeight)
        {
            answers.add(correlationId + (found ? " found " + blockHeight + "/" + index + " status " + status +
                " fee " + feeCharged : " not found") + " journaled " + journaledHeight);
            return true;
        }

        @Override
        public boolean offerTransactionUnreadable(
            final long clientId, final long correlationId, final byte[] txHash, final int hashOffset,
            final long blockHeight, final long journaledHeight)
        {
            if (egressFull)
            {
                return false;
            }
            answers.add(correlationId + " unreadable " + blockHeight + " journaled " + journaledHeight + " " +
                Hex.encode(txHash, hashOffset, 32));
            return true;
        }
    };

    private final TransactionQueries queries = new TransactionQueries(journal, errors::add);

    @Test
    void shouldAnswerThatTheBlockCannotBeReadAndGoOnWithTheNextQuery()
    {
        offer(5, 1, DAMAGED);
        offer(5, 2, FOUND);
        offer(5, 3, (byte)0);

        assertEquals(3, queries.answer(sink));
        assertEquals(List.of(
            "1 unreadable 3 journaled 40 " + Hex.encode(hash(DAMAGED)),
            "2 found 9/2 status 4 fee 100 journaled 40",
            "3 not found journaled 40"), answers);
        assertEquals(1, errors.size(), errors::toString);
        final Throwable report = errors.get(0);
        assertTrue(report instanceof JournalCorruptedException, report::toString);
        assertEquals("transaction query for " + Hex.encode(hash(DAMAGED)) + " from client 5: the transaction " +
            "index places it in block 3, which cannot be read from the journal; the client was told so",
            report.getMessage());
        assertSame(damage, report.getCause());
    }

    @Test
    void shouldAnswerALookupThatThrowsWithoutABlockAndGoOn()
    {
        offer(6, 1, FAILING);
        offer(6, 2, FOUND);

        assertEquals(2, queries.answer(sink));
        assertEquals(List.of(
            "1 unreadable 0 journaled 40 " + Hex.encode(hash(FAILING)),
            "2 found 9/2 status 4 fee 100 journaled 40"), answers);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("transaction query for " + Hex.encode(hash(FAILING)) + " from client 6: the lookup failed; " +
            "the client was told its block cannot be read", errors.get(0).getMessage());
        assertEquals("queue closed", errors.get(0).getCause().getMessage());
    }

    @Test
    void shouldKeepAnUnreadableAnswerTheEgressHasNoRoomForAndReportItOnceWhenTaken()
    {
        offer(7, 1, DAMAGED);
        egressFull = true;
        assertEquals(0, queries.answer(sink));
        assertEquals(0, queries.answer(sink));
        assertEquals(List.of(), answers);
        assertEquals(0, errors.size(), "not reported before the client is told");

        egressFull = false;
        assertEquals(1, queries.answer(sink));
        assertEquals(List.of("1 unreadable 3 journaled 40 " + Hex.encode(hash(DAMAGED))), answers);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(0, queries.answer(sink));
    }

    private void offer(final long clientId, final long correlationId, final byte first)
    {
        assertEquals(TransactionSink.ACCEPTED,
            queries.offer(clientId, correlationId, new UnsafeBuffer(hash(first)), 0));
    }

    private static byte[] hash(final byte first)
    {
        final byte[] hash = new byte[32];
        Arrays.fill(hash, (byte)0x5A);
        hash[0] = first;
        return hash;
    }
}
