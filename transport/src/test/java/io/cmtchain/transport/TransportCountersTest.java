package io.cmtchain.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportCountersTest
{
    @Test
    void shouldAllocateExactlyCountCountersInAFileAndFreeThemAllOnClose()
    {
        // The node sizes its counters file with COUNT: one counter more than it says and the node cannot start.
        final CountersManager manager = manager(TransportCounters.COUNT);
        final TransportCounters counters = TransportCounters.allocate(manager);
        final List<String> labels = labels(manager);
        assertEquals(TransportCounters.COUNT, labels.size(), labels::toString);
        assertEquals(TransportCounters.COUNT, labels.stream().distinct().count(), "each label once: " + labels);
        manager.forEach((counterId, typeId, keyBuffer, label) ->
            assertEquals(TransportCounters.TYPE_ID, typeId, label));
        assertTrue(labels.contains("transport: frames accepted"), labels::toString);
        assertTrue(labels.contains("transport: transaction queries refused"), labels::toString);

        counters.close();
        assertEquals(List.of(), labels(manager), "slots freed on close");
        // Every slot is free again: a second set fits in the same room.
        TransportCounters.allocate(manager).close();
    }

    @Test
    void shouldNameEveryCounterInItsDescription()
    {
        final TransportCounters counters = TransportCounters.inMemory();
        counters.framesAccepted.set(3);
        counters.transactionQueriesRefused.set(7);
        final String text = counters.toString();
        assertTrue(text.startsWith("TransportCounters{accepted=3, "), text);
        assertTrue(text.endsWith(", transactionQueriesRefused=7}"), text);
        assertEquals(TransportCounters.COUNT, text.split("=", -1).length - 1, text);
    }

    private static CountersManager manager(final int counters)
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.COUNTER_LENGTH)));
    }

    private static List<String> labels(final CountersReader reader)
    {
        final List<String> labels = new ArrayList<>();
        reader.forEach((counterId, label) -> labels.add(label));
        return labels;
    }
}
