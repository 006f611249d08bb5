package io.cmtchain.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * The transport's counters, allocated in a counters file the node owns (so {@code cmt stat} reads them from another
 * process) or, for tests and tools, in a private in-memory one. Each counter has one writer thread.
 */
public final class TransportCounters implements AutoCloseable
{
    /** How many counters {@link #allocate} allocates: the room a counters file must have for them. */
    public static final int COUNT = 20;
    /** Counter type id for every transport counter (the node's counters file is its own, not Aeron's). */
    public static final int TYPE_ID = 1100;

    /** Transaction frames accepted by the sink. */
    public final AtomicCounter framesAccepted;
    /** Messages that are neither a transaction frame nor a transport message, dropped. */
    public final AtomicCounter framesMalformed;
    /** Transaction frames over the maximum length (answered OVERSIZED when the session is known). */
    public final AtomicCounter framesOversized;
    /** Frames from a publication that never sent Connect, dropped. */
    public final AtomicCounter framesUnknownSession;
    /**
     * Times ingress left a fragment in the log to read again: the sink said BACK_PRESSURED, egress had no room for a
     * Connect's session or an OVERSIZED receipt, or a Connect found the node at its client limit while a session's
     * close was still on its way to egress (a reconnect's own, say), which may make room for it, or a reconnect found
     * it there while publications of closed sessions linger, and waits for one to go.
     */
    public final AtomicCounter ingressBackPressure;
    /** Sessions opened (Connect received). */
    public final AtomicCounter sessionsOpened;
    /** Sessions closed: Disconnect, client gone, evicted or never connected. */
    public final AtomicCounter sessionsClosed;
    /** Receipts written to clients' publications. */
    public final AtomicCounter receiptsSent;
    /** Receipts for a client that is no longer connected, dropped (the client sees them as lost and re-queries). */
    public final AtomicCounter receiptsNoSession;
    /** Receipts that found the egress ring full, dropped. Must stay 0; a nonzero value means egress is starved. */
    public final AtomicCounter receiptsRingFull;
    /** Receipts dropped with an evicted client's backlog. */
    public final AtomicCounter receiptsEvicted;
    /** Clients evicted because they stopped reading receipts. */
    public final AtomicCounter clientsEvicted;
    /** Sessions dropped because the client's response channel never connected in time. */
    public final AtomicCounter connectTimeouts;
    /**
     * Connects refused for their response channel: not one that leads back to the host the Connect came from, or
     * not one the node opens at all ({@link TransportContext#RESPONSE_HOST_CHECK_PROP}). Nothing is sent back.
     */
    public final AtomicCounter connectsRefused;
    /**
     * Connects refused because the node already holds {@link TransportContext#MAX_CLIENTS_PROP} sessions. Nothing is
     * sent back: the answer would need the publication the limit withholds.
     */
    public final AtomicCounter connectsRefusedTooManyClients;
    /**
     * Not a running count but how many there are now: closed sessions whose publications the media driver still keeps
     * (draining what the client has not received, then lingering, up to 5 s), each still counted against
     * {@link TransportContext#MAX_CLIENTS_PROP}. The sessions open (opened less closed) and these are the rooms in use.
     */
    public final AtomicCounter publicationsLingering;
    /** Account queries answered (AccountState written to the client's publication or its backlog). */
    public final AtomicCounter accountQueriesAnswered;
    /** Account queries the node could not take (its pipeline does not answer them), dropped. */
    public final AtomicCounter accountQueriesRefused;
    /** Transaction queries answered (TransactionState written to the client's publication or its backlog). */
    public final AtomicCounter transactionQueriesAnswered;
    /** Transaction queries the node could not take (its journal keeps no transaction index), dropped. */
    public final AtomicCounter transactionQueriesRefused;

    private TransportCounters(final CountersManager manager)
    {
        framesAccepted = manager.newCounter("transport: frames accepted", TYPE_ID);
        framesMalformed = manager.newCounter("transport: frames malformed", TYPE_ID);
        framesOversized = manager.newCounter("transport: frames oversized", TYPE_ID);
        framesUnknownSession = manager.newCounter("transport: frames from unknown session", TYPE_ID);
        ingressBackPressure = manager.newCounter("transport: ingress back-pressure", TYPE_ID);
        sessionsOpened = manager.newCounter("transport: sessions opened", TYPE_ID);
        sessionsClosed = manager.newCounter("transport: sessions closed", TYPE_ID);
        receiptsSent = manager.newCounter("transport: receipts sent", TYPE_ID);
        receiptsNoSession = manager.newCounter("transport: receipts for no session", TYPE_ID);
        receiptsRingFull = manager.newCounter("transport: receipts dropped, egress ring full", TYPE_ID);
        receiptsEvicted = manager.newCounter("transport: receipts dropped with evicted client", TYPE_ID);
        clientsEvicted = manager.newCounter("transport: slow clients evicted", TYPE_ID);
        connectTimeouts = manager.newCounter("transport: client connect timeouts", TYPE_ID);
        connectsRefused = manager.newCounter("transport: client connects refused (response channel)", TYPE_ID);
        connectsRefusedTooManyClients =
            manager.newCounter("transport: client connects refused (too many clients)", TYPE_ID);
        publicationsLingering = manager.newCounter("transport: closed sessions' publications lingering", TYPE_ID);
        accountQueriesAnswered = manager.newCounter("transport: account queries answered", TYPE_ID);
        accountQueriesRefused = manager.newCounter("transport: account queries refused", TYPE_ID);
        transactionQueriesAnswered = manager.newCounter("transport: transaction queries answered", TYPE_ID);
        transactionQueriesRefused = manager.newCounter("transport: transaction queries refused", TYPE_ID);
    }

    /**
     * @param manager the node's counters file.
     * @return counters allocated in it.
     */
    public static TransportCounters allocate(final CountersManager manager)
    {
        return new TransportCounters(manager);
    }

    /** @return counters in a private in-memory counters buffer, for tests and tools. */
    public static TransportCounters inMemory()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.COUNTER_LENGTH)));
        return new TransportCounters(manager);
    }

    /** Free the counters (their slots in the counters file). */
    @Override
    public void close()
    {
        framesAccepted.close();
        framesMalformed.close();
        framesOversized.close();
        framesUnknownSession.close();
        ingressBackPressure.close();
        sessionsOpened.close();
        sessionsClosed.close();
        receiptsSent.close();
        receiptsNoSession.close();
        receiptsRingFull.close();
        receiptsEvicted.close();
        clientsEvicted.close();
        connectTimeouts.close();
        connectsRefused.close();
        connectsRefusedTooManyClients.close();
        publicationsLingering.close();
        accountQueriesAnswered.close();
        accountQueriesRefused.close();
        transactionQueriesAnswered.close();
        transactionQueriesRefused.close();
    }

    @Override
    public String toString()
    {
        return "TransportCounters{accepted=" + framesAccepted.get() +
            ", malformed=" + framesMalformed.get() +
            ", oversized=" + framesOversized.get() +
            ", unknownSession=" + framesUnknownSession.get() +
            ", ingressBackPressure=" + ingressBackPressure.get() +
            ", sessionsOpened=" + sessionsOpened.get() +
            ", sessionsClosed=" + sessionsClosed.get() +
            ", receiptsSent=" + receiptsSent.get() +
            ", receiptsNoSession=" + receiptsNoSession.get() +
            ", receiptsRingFull=" + receiptsRingFull.get() +
            ", receiptsEvicted=" + receiptsEvicted.get() +
            ", clientsEvicted=" + clientsEvicted.get() +
            ", connectTimeouts=" + connectTimeouts.get() +
            ", connectsRefused=" + connectsRefused.get() +
            ", connectsRefusedTooManyClients=" + connectsRefusedTooManyClients.get() +
            ", publicationsLingering=" + publicationsLingering.get() +
            ", accountQueriesAnswered=" + accountQueriesAnswered.get() +
            ", accountQueriesRefused=" + accountQueriesRefused.get() +
            ", transactionQueriesAnswered=" + transactionQueriesAnswered.get() +
            ", transactionQueriesRefused=" + transactionQueriesRefused.get() + "}";
    }
}
