package io.cmtchain.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.ReceiptSink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receipts stage alone, one duty cycle at a time: slots filled by hand, the journal stage's sequence set by hand,
 * and a sink whose room the test gives out receipt by receipt.
 */
class ReceiptAgentTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int DUPLICATE = ReceiptStatus.DUPLICATE.value();
    private static final int BAD_NONCE = ReceiptStatus.BAD_NONCE.value();

    private final RingBuffer<TxEvent> ring = StageFixtures.ring(512);
    private final Sequence journaled = new Sequence(-1);
    private final NodeCounters counters = StageFixtures.counters(1);
    private final Sink sink = new Sink();
    private final ReceiptAgent receipts = new ReceiptAgent(StagePoller.after(ring, journaled), sink, counters);

    @Test
    void shouldSendOneReceiptPerJournaledSlotInRingOrderAndNoneBeyond() throws Exception
    {
        publish(11, OK, 7, 100);
        publish(12, DUPLICATE, 8, 0);
        publish(13, OK, 7, 250);
        publish(14, BAD_NONCE, 7, 30);

        assertEquals(0, receipts.doWork(), "nothing journaled yet");
        assertTrue(sink.taken.isEmpty());

        journaled.set(2);
        assertEquals(3, receipts.doWork());
        assertEquals(List.of("11:" + OK + "@7+100", "12:" + DUPLICATE + "@8+0", "13:" + OK + "@7+250"),
            sink.taken);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(hashOf(i), sink.hashes.get(i), "receipt " + i);
        }
        assertEquals(2, receipts.sequence().get());
        assertEquals(3, receipts.receiptsOffered());
        assertEquals(3, counters.receiptEvents.get());
        assertEquals(2, counters.receiptsByStatus[OK].get());
        assertEquals(1, counters.receiptsByStatus[DUPLICATE].get());
        assertEquals(0, counters.receiptQueue.get());

        journaled.set(3);
        assertEquals(1, receipts.doWork());
        assertEquals("14:" + BAD_NONCE + "@7+30", sink.taken.get(3));
        assertEquals(1, counters.receiptsByStatus[BAD_NONCE].get());
        assertEquals(4, counters.receiptEvents.get());
        assertEquals(0, receipts.doWork());
        assertEquals(4, sink.taken.size());
    }

    @Test
    void shouldHoldACopyOfARefusedReceiptAndSendItBeforeAnythingElseOnceThereIsRoom() throws Exception
    {
        for (int i = 0; i < 4; i++)
        {
            publish(20 + i, OK, 3, i);
        }
        journaled.set(3);
        sink.room = 1;

        assertEquals(2, receipts.doWork(), "one taken, one refused and passed");
        assertEquals(List.of("20:" + OK + "@3+0"), sink.taken);
        assertEquals(1, receipts.sequence().get(), "the refused slot is passed, so ingress may reuse it");
        assertTrue(receipts.hasPendingReceipt());
        assertEquals(1, receipts.receiptsOffered());
        assertEquals(1, counters.receiptBackPressured.get());
        assertEquals(2, counters.receiptQueue.get());
        final byte[] refusedHash = hashOf(1);

        // Ingress reuses the passed slot for another transaction.
        ring.get(1).reset(100, 99, DUPLICATE);
        Arrays.fill(ring.get(1).hash, (byte)0x55);

        assertEquals(0, receipts.doWork(), "still no room: nothing else is offered");
        assertEquals(1, sink.taken.size());
        assertEquals(1, receipts.sequence().get());
        assertEquals(2, counters.receiptBackPressured.get());
        assertEquals(2, sink.refused);

        sink.room = 10;
        assertEquals(3, receipts.doWork(), "the held receipt, then the two slots after it");
        assertFalse(receipts.hasPendingReceipt());
        assertEquals(List.of("20:" + OK + "@3+0", "21:" + OK + "@3+1", "22:" + OK + "@3+2", "23:" + OK + "@3+3"),
            sink.taken);
        assertArrayEquals(refusedHash, sink.hashes.get(1), "the copy, not the reused slot's hash");
        assertEquals(3, receipts.sequence().get());
        assertEquals(4, receipts.receiptsOffered());
        assertEquals(4, counters.receiptsByStatus[OK].get());
        assertEquals(0, counters.receiptsByStatus[DUPLICATE].get());
    }

    @Test
    void shouldReportAndSkipAReceiptWhoseSinkThrowsAndGoOnWithTheNext() throws Exception
    {
        publish(30, OK, 4, 0);
        publish(31, OK, 4, 0);
        publish(32, OK, 4, 0);
        journaled.set(2);
        sink.throwFor = 31;

        final IllegalStateException ex = assertThrows(IllegalStateException.class, receipts::doWork);
        assertTrue(ex.getMessage().startsWith("the receipt sink threw on the receipt of transaction " +
            Hex.encode(hashOf(1)) + " for client 31: that receipt is skipped"), ex.getMessage());
        assertEquals("no room for client 31", ex.getCause().getMessage());
        assertEquals(List.of("30:" + OK + "@4+0"), sink.taken);
        assertEquals(1, receipts.sequence().get(), "the slot whose receipt threw is passed");
        assertEquals(2, counters.receiptEvents.get());
        assertEquals(1, counters.receiptsByStatus[OK].get(), "counted before the report");

        // The next duty cycle goes on after it: it is not offered again, which would stall every later receipt.
        assertEquals(1, receipts.doWork());
        assertEquals(List.of("30:" + OK + "@4+0", "32:" + OK + "@4+0"), sink.taken);
        assertEquals(1, sink.thrown);
        assertEquals(2, receipts.receiptsOffered());
        assertEquals(2, receipts.sequence().get());
    }

    @Test
    void shouldReportAndSkipAHeldReceiptWhoseSinkThrows() throws Exception
    {
        publish(40, OK, 5, 0);
        publish(41, OK, 5, 0);
        journaled.set(1);
        sink.room = 0;
        assertEquals(1, receipts.doWork());
        assertTrue(receipts.hasPendingReceipt());

        sink.room = Integer.MAX_VALUE;
        sink.throwFor = 40;
        final IllegalStateException ex = assertThrows(IllegalStateException.class, receipts::doWork);
        assertTrue(ex.getMessage().contains(Hex.encode(hashOf(0)) + " for client 40"), ex.getMessage());
        assertFalse(receipts.hasPendingReceipt(), "a drain would otherwise wait for it until its timeout");

        assertEquals(1, receipts.doWork());
        assertEquals(List.of("41:" + OK + "@5+0"), sink.taken);
        assertEquals(1, sink.thrown);
    }

    @Test
    void shouldHandleAtMostMaxSlotsPerPollInADutyCycle() throws Exception
    {
        final int slots = TxEvent.MAX_SLOTS_PER_POLL + 10;
        for (int i = 0; i < slots; i++)
        {
            publish(i, OK, 1, 0);
        }
        journaled.set(slots - 1);
        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, receipts.doWork());
        assertEquals(TxEvent.MAX_SLOTS_PER_POLL, sink.taken.size());
        assertEquals(10, counters.receiptQueue.get());
        assertEquals(10, receipts.doWork());
        assertEquals(slots, sink.taken.size());
        assertEquals(slots, counters.receiptsByStatus[OK].get());
    }

    @Test
    void shouldOfferAReceiptWhoseStatusHasNoCounterAndCountNothingForIt() throws Exception
    {
        final int unknown = counters.receiptsByStatus.length;
        publish(5, unknown, 2, 0);
        publish(6, OK, 2, 0);
        journaled.set(1);
        assertEquals(2, receipts.doWork());
        assertEquals(List.of("5:" + unknown + "@2+0", "6:" + OK + "@2+0"), sink.taken);
        assertEquals(2, receipts.receiptsOffered());
        assertEquals(1, counters.receiptsByStatus[OK].get());
    }

    /** Publish a slot as the stages before receipts leave it: its client, hash, status, height and fee. */
    private void publish(final long clientId, final int status, final long height, final long fee)
    {
        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        event.reset(100, clientId, status);
        System.arraycopy(hashOf(sequence), 0, event.hash, 0, 32);
        event.blockHeight = height;
        event.feeCharged = fee;
        ring.publish(sequence);
    }

    private static byte[] hashOf(final long sequence)
    {
        final byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++)
        {
            hash[i] = (byte)(sequence * 31 + i);
        }
        return hash;
    }

    /** Takes receipts while it has room; room is unlimited unless the test sets it. */
    private static final class Sink implements ReceiptSink
    {
        final List<String> taken = new ArrayList<>();
        final List<byte[]> hashes = new ArrayList<>();
        int room = Integer.MAX_VALUE;
        int refused;
        long throwFor = -1;
        int thrown;

        @Override
        public void onReceipt(
            final long clientId, final byte[] txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeCharged)
        {
            throw new AssertionError("the receipts stage offers; it never forces a receipt on the sink");
        }

        @Override
        public boolean offerReceipt(
            final long clientId, final byte[] txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeCharged)
        {
            if (clientId == throwFor)
            {
                thrown++;
                throw new IllegalArgumentException("no room for client " + clientId);
            }
            if (room == 0)
            {
                refused++;
                return false;
            }
            room--;
            taken.add(clientId + ":" + status + "@" + blockHeight + "+" + feeCharged);
            hashes.add(Arrays.copyOfRange(txHash, hashOffset, hashOffset + 32));
            return true;
        }
    }
}
