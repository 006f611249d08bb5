package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The node's counters, allocated in its {@link CountersFile}. Each counter has one writing stage (so stages add with
 * single-writer release stores, once per poll), except {@link #ingressBackPressured} and {@link #errors}, which any
 * thread may increment.
 * <p>
 * A stage's queue depth is the number of slots its upstream has finished that it has not: the stage with a deep input
 * queue and a shallow output queue is the one limiting throughput.
 */
public final class NodeCounters
{
    /** Counter type id for every node counter. */
    public static final int TYPE_ID = 1001;

    /** Suffix of the label of each stage's queue depth counter. */
    public static final String QUEUE_DEPTH_SUFFIX = ": queue depth";

    /** Suffix of the label of each stage's busy-time counter: nanoseconds spent in duty cycles that did work. */
    public static final String BUSY_NS_SUFFIX = ": busy ns";

    /** Stages whose busy time is counted, in pipeline order ({@code verify} stands for every verifier thread). */
    static final String[] TIMED_STAGES = {"ingress", "decode", "verify", "ordering", "execute", "journal", "receipts",
        "egress"};

    final AtomicCounter ingressAccepted;
    final AtomicCounter ingressBackPressured;
    final AtomicCounter decodeEvents;
    final AtomicCounter decodeQueue;
    final AtomicCounter[] verifyEvents;
    final AtomicCounter[] verifyQueue;
    final AtomicCounter[] verifyBatches;
    final AtomicCounter[] verifyLastBatch;
    final AtomicCounter orderingEvents;
    final AtomicCounter orderingQueue;
    final AtomicCounter blocksCut;
    final AtomicCounter executeEvents;
    final AtomicCounter executeQueue;
    final AtomicCounter lastBlockTxs;
    final AtomicCounter chainHeight;
    final AtomicCounter snapshots;
    final AtomicCounter lastSnapshotMs;
    final AtomicCounter journalEvents;
    final AtomicCounter journalQueue;
    final AtomicCounter journalBlocks;
    final AtomicCounter receiptEvents;
    final AtomicCounter receiptQueue;
    final AtomicCounter receiptBackPressured;
    final AtomicCounter[] receiptsByStatus;
    final AtomicCounter errors;
    final AtomicCounter ingressBusyNs;
    final AtomicCounter decodeBusyNs;
    final AtomicCounter[] verifyBusyNs;
    final AtomicCounter orderingBusyNs;
    final AtomicCounter executeBusyNs;
    final AtomicCounter journalBusyNs;
    final AtomicCounter receiptBusyNs;
    final AtomicCounter egressBusyNs;

    NodeCounters(final CountersManager manager, final int verifierThreads)
    {
        ingressAccepted = counter(manager, "ingress: accepted");
        ingressBackPressured = counter(manager, "ingress: back-pressured offers");
        decodeEvents = counter(manager, "decode: events");
        decodeQueue = counter(manager, "decode: queue depth");
        verifyEvents = new AtomicCounter[verifierThreads];
        verifyQueue = new AtomicCounter[verifierThreads];
        verifyBatches = new AtomicCounter[verifierThreads];
        verifyLastBatch = new AtomicCounter[verifierThreads];
        for (int i = 0; i < verifierThreads; i++)
        {
            verifyEvents[i] = counter(manager, "verify-" + i + ": signatures");
            verifyQueue[i] = counter(manager, "verify-" + i + ": queue depth");
            verifyBatches[i] = counter(manager, "verify-" + i + ": batches");
            verifyLastBatch[i] = counter(manager, "verify-" + i + ": last batch size");
        }
        orderingEvents = counter(manager, "ordering: events");
        orderingQueue = counter(manager, "ordering: queue depth");
        blocksCut = counter(manager, "ordering: blocks cut");
        executeEvents = counter(manager, "execute: events");
        executeQueue = counter(manager, "execute: queue depth");
        lastBlockTxs = counter(manager, "execute: last block txs");
        chainHeight = counter(manager, "execute: chain height");
        snapshots = counter(manager, "execute: snapshots written");
        lastSnapshotMs = counter(manager, "execute: last snapshot ms");
        journalEvents = counter(manager, "journal: events");
        journalQueue = counter(manager, "journal: queue depth");
        journalBlocks = counter(manager, "journal: blocks appended");
        receiptEvents = counter(manager, "receipts: events");
        receiptQueue = counter(manager, "receipts: queue depth");
        receiptBackPressured = counter(manager, "receipts: egress back-pressured offers");
        final ReceiptStatus[] statuses = ReceiptStatus.values();
        int maxValue = 0;
        for (final ReceiptStatus status : statuses)
        {
            if (status != ReceiptStatus.NULL_VAL)
            {
                maxValue = Math.max(maxValue, status.value());
            }
        }
        receiptsByStatus = new AtomicCounter[maxValue + 1];
        for (final ReceiptStatus status : statuses)
        {
            if (status != ReceiptStatus.NULL_VAL)
            {
                final String label = status == ReceiptStatus.OK ? "receipts: OK (committed)" :
                    "receipts: " + status.name();
                receiptsByStatus[status.value()] = counter(manager, label);
            }
        }
        errors = counter(manager, "errors");
        ingressBusyNs = counter(manager, "ingress" + BUSY_NS_SUFFIX);
        decodeBusyNs = counter(manager, "decode" + BUSY_NS_SUFFIX);
        verifyBusyNs = new AtomicCounter[verifierThreads];
        for (int i = 0; i < verifierThreads; i++)
        {
            verifyBusyNs[i] = counter(manager, "verify-" + i + BUSY_NS_SUFFIX);
        }
        orderingBusyNs = counter(manager, "ordering" + BUSY_NS_SUFFIX);
        executeBusyNs = counter(manager, "execute" + BUSY_NS_SUFFIX);
        journalBusyNs = counter(manager, "journal" + BUSY_NS_SUFFIX);
        receiptBusyNs = counter(manager, "receipts" + BUSY_NS_SUFFIX);
        egressBusyNs = counter(manager, "egress" + BUSY_NS_SUFFIX);
    }

    /** @return counters the node allocates for {@code verifierThreads} verifiers. */
    static int countFor(final int verifierThreads)
    {
        // 28 stage counters, 7 busy-time counters, 5 per verifier, and one per receipt status (NULL_VAL excluded): the
        // schema grows with DPoS and contract codes.
        return 28 + 7 + 5 * verifierThreads + ReceiptStatus.values().length - 1;
    }

    /**
     * @param status a {@code ReceiptStatus} code.
     * @return receipts sent with that status so far.
     */
    public long receipts(final int status)
    {
        return status >= 0 && status < receiptsByStatus.length && receiptsByStatus[status] != null ?
            receiptsByStatus[status].get() : 0;
    }

    /** @return blocks appended to the journal. */
    public long blocksJournaled()
    {
        return journalBlocks.get();
    }

    /** @return errors reported by any stage. */
    public long errors()
    {
        return errors.get();
    }

    /** @return offers refused because the ring was full. */
    public long backPressured()
    {
        return ingressBackPressured.get();
    }

    /**
     * Name the stage that limits throughput now: the one with the deepest input queue (the verifiers counted
     * together), or the ingress when no stage has a backlog of at least {@code minimumDepth}.
     *
     * @param reader       of a node's counters, in this process or another.
     * @param minimumDepth below which a queue does not count as a backlog.
     * @return the stage's name and its queue depth.
     */
    public static String limitingStage(final CountersReader reader, final long minimumDepth)
    {
        final String[] deepest = {null};
        final long[] depth = {0, 0};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == TYPE_ID && label.endsWith(QUEUE_DEPTH_SUFFIX))
            {
                final long value = reader.getCounterValue(counterId);
                String stage = label.substring(0, label.length() - QUEUE_DEPTH_SUFFIX.length());
                if (stage.startsWith("verify-"))
                {
                    stage = "verify";
                }
                if (value > depth[0])
                {
                    depth[0] = value;
                    deepest[0] = stage;
                }
            }
        });
        if (deepest[0] == null || depth[0] < minimumDepth)
        {
            return "ingress (no stage has a backlog: the load offered limits)";
        }
        return deepest[0] + " (" + depth[0] + " slots waiting)";
    }

    /**
     * Read, per timed stage, the events it has handled and the nanoseconds it has been busy; the verifier threads are
     * summed under {@code verify}. Two readings a while apart give each stage's capacity (events per busy second) and
     * its busy share of the wall clock.
     *
     * @param reader of a node's counters, in this process or another.
     * @return per stage in pipeline order: {events (-1 when the stage has no event counter), busy ns, threads}.
     */
    public static java.util.Map<String, long[]> stageTotals(final CountersReader reader)
    {
        final java.util.Map<String, Long> values = new java.util.HashMap<>();
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == TYPE_ID)
            {
                final String name =
                    label.startsWith("verify-") ? "verify" + label.substring(label.indexOf(':')) : label;
                values.merge(name, reader.getCounterValue(counterId), Long::sum);
                if (label.startsWith("verify-") && label.endsWith(BUSY_NS_SUFFIX))
                {
                    values.merge("verify: threads", 1L, Long::sum);
                }
            }
        });
        final java.util.Map<String, long[]> totals = new java.util.LinkedHashMap<>();
        for (final String stage : TIMED_STAGES)
        {
            final Long busy = values.get(stage + BUSY_NS_SUFFIX);
            if (busy == null)
            {
                continue;
            }
            long events = -1;
            for (final String suffix : new String[] {": events", ": signatures", ": accepted"})
            {
                final Long value = values.get(stage + suffix);
                if (value != null)
                {
                    events = value;
                    break;
                }
            }
            totals.put(stage, new long[] {events, busy, values.getOrDefault(stage + ": threads", 1L)});
        }
        return totals;
    }

    private static AtomicCounter counter(final CountersManager manager, final String label)
    {
        return manager.newCounter(label, TYPE_ID);
    }
}
