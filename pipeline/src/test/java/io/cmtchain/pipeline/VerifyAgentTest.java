package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verification stage alone, one duty cycle at a time: two workers behind a decode sequence set by hand, each with
 * a verifier that records its batches and refuses the frames whose first byte says so.
 */
class VerifyAgentTest
{
    private static final int OK = TxEvent.OK;
    private static final int BAD_SIGNATURE = ReceiptStatus.BAD_SIGNATURE.value();
    private static final int MALFORMED = ReceiptStatus.MALFORMED.value();
    private static final byte REFUSE = 1;

    private final RingBuffer<TxEvent> ring = StageFixtures.ring(1024);
    private final Sequence decoded = new Sequence(-1);
    private final NodeCounters counters = StageFixtures.counters(2);

    @Test
    void shouldGiveEverySlotOneVerdictFromTheWorkerItsSequenceNames() throws Exception
    {
        final RecordingVerifier v0 = new RecordingVerifier();
        final RecordingVerifier v1 = new RecordingVerifier();
        final VerifyAgent w0 = worker(0, 2, v0, 4);
        final VerifyAgent w1 = worker(1, 2, v1, 4);
        // Slots 3 and 6 refused by the verifier; slot 5 rejected by decode, so never verified.
        for (int i = 0; i < 10; i++)
        {
            publish(i == 5 ? MALFORMED : OK, i == 3 || i == 6 ? REFUSE : 0);
        }
        decoded.set(9);

        assertEquals(10, w0.doWork());
        assertEquals(10, w1.doWork());

        assertEquals(List.of(List.of(0L, 2L, 4L, 6L), List.of(8L)), v0.batches);
        assertEquals(List.of(List.of(1L, 3L, 7L, 9L)), v1.batches);
        for (int i = 0; i < 10; i++)
        {
            final int expected = i == 5 ? MALFORMED : i == 3 || i == 6 ? BAD_SIGNATURE : OK;
            assertEquals(expected, ring.get(i).status, "slot " + i);
        }
        assertEquals(9, w0.sequence().get());
        assertEquals(9, w1.sequence().get());
        assertEquals(5, counters.verifyEvents[0].get());
        assertEquals(4, counters.verifyEvents[1].get());
        assertEquals(2, counters.verifyBatches[0].get());
        assertEquals(1, counters.verifyBatches[1].get());
        assertEquals(1, counters.verifyLastBatch[0].get());
        assertEquals(4, counters.verifyLastBatch[1].get());
        assertEquals(0, counters.verifyQueue[0].get());
    }

    @Test
    void shouldPassASlotOnOnlyAfterItsBatchIsVerifiedAndCutABatchAtTheEndOfWhatIsAvailable() throws Exception
    {
        final Sequence[] passed = new Sequence[1];
        final List<Long> passedAtVerify = new ArrayList<>();
        final RecordingVerifier verifier = new RecordingVerifier()
        {
            @Override
            public void verify()
            {
                passedAtVerify.add(passed[0].get());
                super.verify();
            }
        };
        final VerifyAgent worker = worker(0, 1, verifier, 8);
        passed[0] = worker.sequence();
        for (int i = 0; i < 20; i++)
        {
            publish(OK, 0);
        }

        decoded.set(2);
        assertEquals(3, worker.doWork());
        decoded.set(19);
        assertEquals(17, worker.doWork());
        assertEquals(0, worker.doWork());

        assertEquals(List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
            List.of(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L), List.of(19L)), verifier.batches);
        // When a batch is verified, the worker has passed exactly the slots before it.
        assertEquals(List.of(-1L, 2L, 10L, 18L), passedAtVerify);
        assertEquals(19, worker.sequence().get());
        assertEquals(20, counters.verifyEvents[0].get());
        assertEquals(4, counters.verifyBatches[0].get());
        assertEquals(1, counters.verifyLastBatch[0].get());
    }

    @Test
    void shouldVerifyNoEmptyBatchWhenTheAvailableSlotsHoldNoneOfItsOwn() throws Exception
    {
        final RecordingVerifier verifier = new RecordingVerifier();
        final VerifyAgent worker = worker(0, 2, verifier, 4);
        publish(MALFORMED, 0);
        publish(OK, 0);
        decoded.set(1);

        assertEquals(2, worker.doWork());
        assertEquals(1, worker.sequence().get());
        assertTrue(verifier.batches.isEmpty(), "slot 0 was rejected by decode and slot 1 is worker 1's");
        assertEquals(0, counters.verifyBatches[0].get());
        assertEquals(0, counters.verifyEvents[0].get());
    }

    @Test
    void shouldHandleAtMostMaxSlotsPerPollInADutyCycle() throws Exception
    {
        final RecordingVerifier verifier = new RecordingVerifier();
        final VerifyAgent worker = worker(0, 1, verifier, 64);
        final int slots = TxEvent.MAX_SLOTS_PER_POLL + 64;
        for (int i = 0; i < slots; i++)
        {
            publish(OK, 0);
        }
        decoded.set(slots - 1);

        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, worker.doWork());
        assertEquals(TxEvent.MAX_SLOTS_PER_POLL - 1, worker.sequence().get());
        assertEquals(64, counters.verifyQueue[0].get());
        assertEquals(64, worker.doWork());
        assertEquals(slots / 64, verifier.batches.size());
        assertTrue(verifier.batches.stream().allMatch(b -> b.size() == 64));
    }

    @Test
    void shouldRejectTheSlotsOfABatchWhoseVerificationThrowsAndGoOn() throws Exception
    {
        // A verifier that fails on its second batch: the poller passes the slots handled before the failure, so
        // they must leave rejected, not as OK with no signature checked; the next batch is verified again.
        final RecordingVerifier verifier = new RecordingVerifier()
        {
            @Override
            public void verify()
            {
                super.verify();
                if (batches.size() == 2)
                {
                    throw new IllegalStateException("verifier defect");
                }
            }
        };
        final VerifyAgent worker = worker(0, 1, verifier, 4);
        for (int i = 0; i < 12; i++)
        {
            publish(OK, i == 1 ? REFUSE : 0);
        }
        decoded.set(11);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, worker::doWork);
        assertEquals("signature verification failed; the 4 transactions of its batch are rejected as BAD_SIGNATURE: " +
            "java.lang.IllegalStateException: verifier defect", ex.getMessage());
        assertEquals(7, worker.sequence().get(), "passed up to the failed batch's last slot");
        assertEquals(4, worker.doWork());
        assertEquals(11, worker.sequence().get());

        for (int i = 0; i < 12; i++)
        {
            final int expected = i == 1 || (i >= 4 && i < 8) ? BAD_SIGNATURE : OK;
            assertEquals(expected, ring.get(i).status, "slot " + i);
        }
        assertEquals(3, verifier.batches.size());
    }

    @Test
    void shouldRejectTheSlotsAddedBeforeAFrameTheVerifierRefusesToTake() throws Exception
    {
        // add() throws for slot 2: slots 0 and 1, already in the batch and handled, pass rejected, and so does 2.
        final RecordingVerifier verifier = new RecordingVerifier()
        {
            @Override
            public void add(final DirectBuffer buffer, final int frameOffset, final int frameLength)
            {
                super.add(buffer, frameOffset, frameLength);
                if (buffer.getByte(frameOffset + 1) == 2)
                {
                    throw new IndexOutOfBoundsException("frame of slot 2");
                }
            }
        };
        final VerifyAgent worker = worker(0, 1, verifier, 8);
        for (int i = 0; i < 6; i++)
        {
            publish(OK, 0);
        }
        decoded.set(5);

        assertThrows(IllegalStateException.class, worker::doWork);
        assertEquals(2, worker.sequence().get());
        assertEquals(3, worker.doWork());

        for (int i = 0; i < 6; i++)
        {
            assertEquals(i <= 2 ? BAD_SIGNATURE : OK, ring.get(i).status, "slot " + i);
        }
        assertEquals(List.of(List.of(3L, 4L, 5L)), verifier.batches);
    }

    @Test
    void shouldRejectTheSlotsWhoseVerdictWasNotGivenWhenTheVerifierThrowsPartWayThroughTheVerdicts() throws Exception
    {
        // valid(2) throws after valid(0) and valid(1) answered: the batch fails closed, all four slots rejected (slot
        // 2's and 3's signatures were never shown valid), and the next batch is verified afresh.
        final RecordingVerifier verifier = new RecordingVerifier()
        {
            @Override
            public boolean valid(final int i)
            {
                if (batches.size() == 1 && i == 2)
                {
                    throw new IllegalStateException("verdict defect");
                }
                return super.valid(i);
            }
        };
        final VerifyAgent worker = worker(0, 1, verifier, 4);
        for (int i = 0; i < 8; i++)
        {
            publish(OK, i == 1 ? REFUSE : 0);
        }
        decoded.set(7);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, worker::doWork);
        assertEquals("signature verification failed; the 4 transactions of its batch are rejected as BAD_SIGNATURE: " +
            "java.lang.IllegalStateException: verdict defect", ex.getMessage());
        assertEquals(3, worker.sequence().get(), "passed up to the failed batch's last slot");
        assertEquals(4, worker.doWork());
        assertEquals(7, worker.sequence().get());

        for (int i = 0; i < 8; i++)
        {
            assertEquals(i <= 3 ? BAD_SIGNATURE : OK, ring.get(i).status, "slot " + i);
        }
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L)), verifier.batches);
    }

    private VerifyAgent worker(final int id, final int workers, final SignatureBatchVerifier verifier, final int batch)
    {
        return new VerifyAgent(id, workers, StagePoller.after(ring, decoded), verifier, batch, counters);
    }

    /** Publish a slot as decode leaves it: its status, its frame's first byte, its client id = its sequence. */
    private void publish(final int status, final int first)
    {
        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        event.reset(100, sequence, status);
        event.frame[0] = (byte)first;
        event.frame[1] = (byte)sequence;
        event.frame[2] = (byte)(sequence >> 8);
        ring.publish(sequence);
    }

    /** Records each batch by the sequences its frames carry; refuses frames whose first byte is {@link #REFUSE}. */
    private static class RecordingVerifier implements SignatureBatchVerifier
    {
        final List<List<Long>> batches = new ArrayList<>();
        private final List<Long> current = new ArrayList<>();
        private final List<Boolean> verdicts = new ArrayList<>();
        private boolean verified;

        @Override
        public void reset()
        {
            current.clear();
            verdicts.clear();
            verified = false;
        }

        @Override
        public void add(final DirectBuffer buffer, final int frameOffset, final int frameLength)
        {
            assertEquals(100, frameLength);
            current.add((long)(buffer.getByte(frameOffset + 1) & 0xFF | (buffer.getByte(frameOffset + 2) & 0xFF) << 8));
            verdicts.add(buffer.getByte(frameOffset) != REFUSE);
        }

        @Override
        public void verify()
        {
            batches.add(List.copyOf(current));
            verified = true;
        }

        @Override
        public boolean valid(final int i)
        {
            assertTrue(verified, "a verdict asked before verify()");
            return verdicts.get(i);
        }
    }
}
