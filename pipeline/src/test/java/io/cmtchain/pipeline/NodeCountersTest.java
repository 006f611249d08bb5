package io.cmtchain.pipeline;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code cmt stat} and the demo read from a node's counters: the limiting stage (the deepest input queue) and
 * each stage's events and busy time, the verifier threads together.
 */
class NodeCountersTest
{
    private static final int VERIFIERS = 2;

    // Room for the node's counters and a few of another type.
    private static final int ROOM = 2 * NodeCounters.countFor(VERIFIERS);

    private final CountersManager manager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(ROOM * CountersReader.COUNTER_LENGTH)));
    private final NodeCounters counters = new NodeCounters(manager, VERIFIERS);

    @Test
    void shouldNameTheStageWithTheDeepestQueueOnceItIsABacklog()
    {
        assertEquals("ingress (no stage has a backlog: the load offered limits)",
            NodeCounters.limitingStage(manager, 64));
        counters.journalQueue.set(63);
        counters.executeQueue.set(10);
        assertEquals("ingress (no stage has a backlog: the load offered limits)",
            NodeCounters.limitingStage(manager, 64), "63 is below the backlog's 64");
        counters.journalQueue.set(64);
        assertEquals("journal (64 slots waiting)", NodeCounters.limitingStage(manager, 64));
        // A verifier's queue is named as the verify stage; another process's counter of another type is not read.
        counters.verifyQueue[1].set(500);
        manager.newCounter("ordering: queue depth", NodeCounters.TYPE_ID + 1).set(9_000);
        assertEquals("verify (500 slots waiting)", NodeCounters.limitingStage(manager, 64));
        counters.receiptQueue.set(501);
        assertEquals("receipts (501 slots waiting)", NodeCounters.limitingStage(manager, 64));
    }

    @Test
    void shouldTotalEachTimedStageInPipelineOrderWithTheVerifiersTogether()
    {
        counters.ingressAccepted.set(1_000);
        counters.ingressBusyNs.set(11);
        counters.decodeEvents.set(990);
        counters.decodeBusyNs.set(12);
        counters.verifyEvents[0].set(400);
        counters.verifyEvents[1].set(590);
        counters.verifyBusyNs[0].set(100);
        counters.verifyBusyNs[1].set(200);
        counters.executeEvents.set(980);
        counters.egressBusyNs.set(7);
        manager.newCounter("decode" + NodeCounters.BUSY_NS_SUFFIX, NodeCounters.TYPE_ID + 1).set(1_000_000);

        final Map<String, long[]> totals = NodeCounters.stageTotals(manager);
        assertEquals(List.of(NodeCounters.TIMED_STAGES), List.copyOf(totals.keySet()));
        assertArrayEquals(new long[] {1_000, 11, 1}, totals.get("ingress"), "events: accepted");
        assertArrayEquals(new long[] {990, 12, 1}, totals.get("decode"), "the other type's busy time left out");
        assertArrayEquals(new long[] {990, 300, 2}, totals.get("verify"), "signatures and busy time of both threads");
        assertArrayEquals(new long[] {980, 0, 1}, totals.get("execute"));
        assertArrayEquals(new long[] {-1, 7, 1}, totals.get("egress"), "no event counter");
    }
}
