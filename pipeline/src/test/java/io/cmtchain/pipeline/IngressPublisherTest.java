package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.TransactionLookup;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static io.cmtchain.transport.TransactionSink.ACCEPTED;
import static io.cmtchain.transport.TransactionSink.BACK_PRESSURED;
import static io.cmtchain.transport.TransactionSink.UNSUPPORTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingress alone, on the calling thread: a ring of 64 slots whose one consumer's sequence the test sets by hand, frames
 * offered from a buffer of the test's, and the slots read back.
 */
class IngressPublisherTest
{
    private static final int RING = 64;
    private static final int MAX = TransactionDescriptor.MAX_LENGTH;

    private final RingBuffer<TxEvent> ring = StageFixtures.ring(RING);
    private final Sequence consumer = new Sequence(-1);
    private final NodeCounters counters = StageFixtures.counters(1);
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[MAX + 100]);

    IngressPublisherTest()
    {
        ring.addGatingSequences(consumer);
        for (int i = 0; i < frames.capacity(); i++)
        {
            frames.putByte(i, (byte)(i * 7 + 1));
        }
    }

    @Test
    void shouldCopyEachFrameIntoASlotClearedOfItsLastUseAndPublishIt()
    {
        final IngressPublisher ingress = ingress(null, null);
        final TxEvent slot = ring.get(0);
        StageFixtures.inBlock(slot, 9, true);
        slot.feeCharged = 5;

        assertEquals(ACCEPTED, ingress.onTransaction(frames, 3, 10, 42));
        assertEquals(0, ring.getCursor());
        assertTrue(ring.isAvailable(0), "published");
        assertSlot(0, 3, 10, 42, TxEvent.OK);
        assertFalse(slot.inBlock || slot.blockEnd);
        assertEquals(0, slot.blockHeight);
        assertEquals(0, slot.feeCharged);
        assertEquals(0, counters.ingressBackPressured.get());
    }

    @Test
    void shouldTakeAnOversizedFrameTruncatedAndANegativeLengthAsAnEmptyMalformedFrame()
    {
        final IngressPublisher ingress = ingress(null, null);
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 1, MAX + 1, 1));
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 2, MAX, 2));
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 3, -1, 3));
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 4, 0, 4));

        assertSlot(0, 1, MAX, 1, ReceiptStatus.OVERSIZED.value());
        assertSlot(1, 2, MAX, 2, TxEvent.OK);
        assertSlot(2, 3, 0, 3, ReceiptStatus.MALFORMED.value());
        assertSlot(3, 4, 0, 4, TxEvent.OK);
        assertEquals(3, ring.getCursor());
    }

    @Test
    void shouldRefuseAFrameOutsideItsBufferWithoutClaimingASlot()
    {
        final IngressPublisher ingress = ingress(null, null);
        final int capacity = frames.capacity();
        assertThrows(IndexOutOfBoundsException.class, () -> ingress.onTransaction(frames, capacity - 5, 10, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ingress.onTransaction(frames, -1, 10, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> ingress.onTransaction(frames, capacity - 5, MAX + 1, 3));
        assertEquals(-1, ring.getCursor(), "nothing claimed: a claimed slot never published stops decode for good");

        assertEquals(ACCEPTED, ingress.onTransaction(frames, capacity - 10, 10, 4));
        assertTrue(ring.isAvailable(0), "the next frame is published in the first slot");
        assertSlot(0, capacity - 10, 10, 4, TxEvent.OK);
    }

    @Test
    void shouldRefuseOnceTheRingIsFullUntilASixteenthOfItIsFree()
    {
        final IngressPublisher ingress = ingress(null, null);
        for (int i = 0; i < RING; i++)
        {
            assertEquals(ACCEPTED, ingress.onTransaction(frames, 0, 1, i));
        }
        assertEquals(BACK_PRESSURED, ingress.onTransaction(frames, 0, 1, 64));
        assertEquals(1, counters.ingressBackPressured.get());

        consumer.set(RING / 16 - 2);    // 3 slots free, 4 wanted
        assertEquals(BACK_PRESSURED, ingress.onTransaction(frames, 0, 1, 64));
        assertEquals(2, counters.ingressBackPressured.get());
        assertEquals(RING - 1, ring.getCursor());

        consumer.set(RING / 16 - 1);    // 4 free
        for (int i = 0; i < RING / 16; i++)
        {
            assertEquals(ACCEPTED, ingress.onTransaction(frames, 0, 1, 64 + i));
        }
        assertEquals(BACK_PRESSURED, ingress.onTransaction(frames, 0, 1, 68));
        assertEquals(3, counters.ingressBackPressured.get());
        assertEquals(RING + RING / 16 - 1, ring.getCursor());
        assertEquals(67, ring.get(RING + RING / 16 - 1).clientId);
    }

    @Test
    void shouldPassQueriesToTheirStagesOrAnswerUnsupported()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        final IngressPublisher without = ingress(null, null);
        assertEquals(UNSUPPORTED, without.onAccountQuery(1, 2, key, 0));
        assertEquals(UNSUPPORTED, without.onTransactionQuery(1, 2, key, 0));

        final IngressPublisher with = ingress(new AccountQueries(),
            new TransactionQueries(null, Throwable::printStackTrace));
        assertEquals(ACCEPTED, with.onAccountQuery(1, 2, key, 0));
        assertEquals(BACK_PRESSURED, untilRefused(() -> with.onAccountQuery(1, 2, key, 0)), "a full query ring");
        assertEquals(ACCEPTED, with.onTransactionQuery(1, 2, key, 0));
        assertEquals(BACK_PRESSURED, untilRefused(() -> with.onTransactionQuery(1, 2, key, 0)));
        assertEquals(-1, ring.getCursor(), "no slot claimed by a query");
    }

    @Test
    void shouldRefuseAQueryKeyOutsideItsBufferWithoutHoldingUpTheQueriesAfterIt()
    {
        final TransactionQueries queries = new TransactionQueries(new TransactionLookup()
        {
            @Override
            public long findTransaction(final byte[] hash, final int offset)
            {
                return TxLocation.NOT_FOUND;
            }

            @Override
            public int status(final long location)
            {
                return 0;
            }

            @Override
            public long feeCharged(final long location)
            {
                return 0;
            }

            @Override
            public long lastHeight()
            {
                return 0;
            }
        }, Throwable::printStackTrace);
        final IngressPublisher ingress = ingress(null, queries);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        assertThrows(IndexOutOfBoundsException.class, () -> ingress.onTransactionQuery(1, 7, key, 1));
        assertEquals(ACCEPTED, ingress.onTransactionQuery(1, 8, key, 0));

        final List<Long> answered = new ArrayList<>();
        final ReceiptSink answers = new ReceiptSink()
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
                answered.add(correlationId);
                return true;
            }
        };
        assertEquals(1, queries.answer(answers), "a record claimed and never committed stops the queries after it");
        assertEquals(List.of(8L), answered);
    }

    @Test
    void shouldRefuseEverythingOnceClosingAndWaitForAnOfferInFlight() throws Exception
    {
        final IngressPublisher ingress = ingress(new AccountQueries(),
            new TransactionQueries(null, Throwable::printStackTrace));
        assertTrue(ingress.isAccepting());
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 0, 10, 0));
        assertEquals(ACCEPTED, ingress.onTransaction(frames, 0, 10, 1));

        // The third offer stops in its copy, after its claim; close's first idle lets it go on.
        final CountDownLatch copying = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final UnsafeBuffer stalling = new UnsafeBuffer(new byte[16])
        {
            @Override
            public void getBytes(final int index, final byte[] dst, final int offset, final int length)
            {
                copying.countDown();
                try
                {
                    resume.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                super.getBytes(index, dst, offset, length);
            }
        };
        final int[] inFlight = new int[1];
        final Thread offer = new Thread(() -> inFlight[0] = ingress.onTransaction(stalling, 0, 16, 2));
        offer.start();
        copying.await();
        final int[] idles = new int[1];
        final IdleStrategy idle = new IdleStrategy()
        {
            @Override
            public void idle(final int workCount)
            {
                idle();
            }

            @Override
            public void idle()
            {
                idles[0]++;
                resume.countDown();
                Thread.onSpinWait();
            }

            @Override
            public void reset()
            {
            }
        };

        assertEquals(2, ingress.close(idle), "the offer in flight is the last accepted");
        assertTrue(idles[0] > 0, "close waited");
        assertTrue(ring.isAvailable(2), "published before close returned");
        offer.join();
        assertEquals(ACCEPTED, inFlight[0]);

        assertFalse(ingress.isAccepting());
        final UnsafeBuffer key = new UnsafeBuffer(new byte[32]);
        assertEquals(BACK_PRESSURED, ingress.onTransaction(frames, 0, 10, 3));
        assertEquals(BACK_PRESSURED, ingress.onAccountQuery(1, 2, key, 0));
        assertEquals(BACK_PRESSURED, ingress.onTransactionQuery(1, 2, key, 0));
        assertEquals(2, ring.getCursor());
        assertEquals(0, counters.ingressBackPressured.get(), "a refusal while closing is not back-pressure");
    }

    private IngressPublisher ingress(final AccountQueries queries, final TransactionQueries transactionQueries)
    {
        return new IngressPublisher(ring, counters.ingressBackPressured, queries, transactionQueries);
    }

    /** Offer until refused (a query ring holds at most a few thousand); returns the refusal. */
    private static int untilRefused(final IntSupplier offer)
    {
        for (int i = 0; i < 100_000; i++)
        {
            final int result = offer.getAsInt();
            if (result != ACCEPTED)
            {
                return result;
            }
        }
        return ACCEPTED;
    }

    private void assertSlot(final long sequence, final int offset, final int length, final long clientId,
        final int status)
    {
        final TxEvent event = ring.get(sequence);
        assertEquals(length, event.length, "length of " + sequence);
        assertEquals(clientId, event.clientId);
        assertEquals(status, event.status, "status of " + sequence);
        final byte[] expected = new byte[length];
        frames.getBytes(offset, expected);
        assertArrayEquals(expected, Arrays.copyOf(event.frame, length));
    }
}
