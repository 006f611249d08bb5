package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.DisconnectDecoder;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's client limit ({@link TransportContext#MAX_CLIENTS_PROP}): a Connect beyond it is refused and counted,
 * with nothing opened for it; a reconnect on a client's own publication still opens at the limit; room comes back when
 * a session ends, and not before its publication is closed (an evicted session waiting to tell its client holds it),
 * nor, over UDP, before the media driver has dropped it once its linger has passed. Each client here is a raw ingress
 * publication and a subscription on a response stream of its own, over IPC with a 64 KiB term (over UDP where the
 * linger is tested), so that a client that stops reading fills its window after a few hundred receipts. The test
 * thread runs the ingress and egress agents, one duty cycle at a time, on a clock it moves by hand (the driver keeps
 * its own); the real-driver churn test and the stress test run on the system's clock, the latter with the agents on
 * two threads of their own.
 */
class ClientLimitTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final long SESSION_CHECK_INTERVAL_MS = 10;
    private static final long SLOW_CLIENT_TIMEOUT_MS = 1_000;
    private static final String SMALL_TERM_IPC = "aeron:ipc?term-length=64k";
    private static final int UDP_SUBSCRIPTION = 0;
    private static final int IPC_SUBSCRIPTION = 1;

    private final UnsafeBuffer send = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final List<Client> clients = new ArrayList<>();
    /** Frames the sink took: clientId. */
    private final List<Long> taken = Collections.synchronizedList(new ArrayList<>());
    private volatile long nowNs = 1_000;
    private File dir;
    private int udpPort;
    private NodeTransport transport;
    private IngressAgent ingress;
    private EgressPublisher egress;
    private Aeron aeron;
    private long nonce;
    private int nextResponseStreamId = 7_400;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(aeron, transport);
        if (null != dir)
        {
            IoUtil.delete(dir, true);
        }
    }

    @Test
    void shouldRefuseAConnectBeyondTheLimitCountItAndOpenNothingForIt()
    {
        launch(2, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        final Client c = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        connect(b, 2);

        // C's transaction, behind its Connect, is taken if the Connect opened a session, else dropped as from none.
        offerConnect(c, 3);
        offerTransfer(c);
        Await.until("C's transaction read", TIMEOUT_MS, this::cycle,
            () -> counters().framesUnknownSession.get() == 1 || !taken.isEmpty());
        assertEquals(1, counters().connectsRefusedTooManyClients.get(), "C's Connect refused");
        assertEquals(1, counters().framesUnknownSession.get());
        assertEquals(2, counters().sessionsOpened.get());
        assertEquals(2, egress.sessionCount());
        assertEquals(2, ingress.sessionCount());
        assertEquals(0, c.responses.imageCount(), "no publication to C's response channel");
        assertEquals(List.of(), c.connecteds);
        assertEquals(0, counters().connectsRefused.get(), "not refused for its response channel");
        assertTrue(taken.isEmpty());

        // Those inside the limit are served as before.
        offerTransfer(a);
        Await.until("A's transaction taken", TIMEOUT_MS, this::cycle, () -> taken.size() == 1);
        assertEquals(a.clientId(1), taken.get(0));
    }

    @Test
    void shouldOpenAReconnectOnTheSamePublicationAtTheLimit()
    {
        launch(2, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        connect(b, 2);

        offerConnect(a, 3);
        Await.until("A's reconnect answered or refused", TIMEOUT_MS, this::cycle,
            () -> a.connecteds.contains(3L) || counters().connectsRefusedTooManyClients.get() > 0);
        assertEquals(0, counters().connectsRefusedTooManyClients.get(), "the reconnect was refused");
        assertTrue(a.connecteds.contains(3L));
        assertNotEquals(a.clientId(1), a.clientId(3));
        assertEquals(3, counters().sessionsOpened.get());
        assertEquals(1, counters().sessionsClosed.get(), "the replaced session");
        assertEquals(2, egress.sessionCount());
        offerTransfer(a);
        Await.until("A's transaction taken", TIMEOUT_MS, this::cycle, () -> taken.size() == 1);
        assertEquals(a.clientId(3), taken.get(0));
    }

    /** What a {@link CmtClient} refused at the limit sees: no answer, and a message that says the limit may be why. */
    @Test
    void shouldTellACmtClientThatTheLimitMayBeWhyNoNodeAnsweredAndServeTheNextOneOnceARoomIsFree()
    {
        dir = TestNode.tempDir();
        try (TestNode node = new TestNode(new TransportContext()
            .ingressChannel("aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort())
            .maxClients(1), (buffer, offset, length, clientId) -> TransactionSink.ACCEPTED, dir))
        {
            try (CmtClient first = CmtClient.connect(node.ipcClient()))
            {
                final CmtClientException refused = assertThrows(CmtClientException.class,
                    () -> CmtClient.connect(node.ipcClient().connectTimeoutNs(TimeUnit.SECONDS.toNanos(1))));
                assertEquals(CmtClient.NOT_CONNECTED, refused.code());
                assertTrue(refused.getMessage().endsWith("; and any Connect while it already serves as many clients " +
                    "as its cmt.transport.max.clients allows)"), refused.getMessage());
                Await.until("the refusal counted", TIMEOUT_MS,
                    () -> node.counters().connectsRefusedTooManyClients.get() == 1);
                assertTrue(first.isConnected());
            }
            // The first client said goodbye: once its session is closed, the next one is served.
            Await.until("the first session closed", TIMEOUT_MS, () -> node.counters().sessionsClosed.get() == 1);
            try (CmtClient next = CmtClient.connect(node.ipcClient()))
            {
                assertTrue(next.isConnected());
            }
            assertEquals(1, node.counters().connectsRefusedTooManyClients.get());
        }
    }

    /**
     * A reconnect at the limit waits for egress to close the session it replaces; a new client's Connect read
     * meanwhile must not take the room that frees, whichever subscription ingress polls first once it is free.
     */
    @ParameterizedTest
    @ValueSource(ints = {UDP_SUBSCRIPTION, IPC_SUBSCRIPTION})
    void shouldKeepTheRoomOfAReconnectFromANewClientsConnectReadMeanwhile(final int polledFirst)
    {
        launch(2, true);
        final Client a = client("aeron:udp?endpoint=localhost:" + udpPort);
        final Client b = client(TransportContext.IPC_CHANNEL);
        final Client c = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        connect(b, 2);

        // A's Connect is read: its session's close goes to egress, and the Connect waits for the room.
        offerConnect(a, 3);
        final long heldBack = counters().ingressBackPressure.get();
        Await.until("A's reconnect read", TIMEOUT_MS, ingress::doWork,
            () -> counters().ingressBackPressure.get() > heldBack);
        // C's Connect, on IPC, is there to read at once: it waits too, egress not having read the close.
        offerConnect(c, 4);
        ingress.doWork();
        assertEquals(0, counters().connectsRefusedTooManyClients.get(), "a close on its way may make room");
        assertEquals(0, counters().sessionsClosed.get());

        egress.doWork();
        assertEquals(1, counters().sessionsClosed.get(), "A's replaced session");
        if (ingress.firstSubscriptionOfNextCycle() != polledFirst)
        {
            ingress.doWork();
        }
        ingress.doWork();
        Await.until("A or C answered", TIMEOUT_MS, this::cycle,
            () -> a.connecteds.contains(3L) || c.connecteds.contains(4L));
        assertEquals(List.of(), c.connecteds, "C took the room of the session A's reconnect replaced");
        assertTrue(a.connecteds.contains(3L));
        assertEquals(1, counters().connectsRefusedTooManyClients.get(), "C refused");
        assertEquals(2, egress.sessionCount());
    }

    @Test
    void shouldAcceptANewClientOnceOneDisconnects()
    {
        launch(2, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        final Client c = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        connect(b, 2);
        assertRefused(c, 3);

        disconnect(a, a.clientId(1));
        connect(c, 4);
        assertEquals(1, counters().connectsRefusedTooManyClients.get());
        assertEquals(2, egress.sessionCount());
        offerTransfer(c);
        Await.until("C's transaction taken", TIMEOUT_MS, this::cycle, () -> taken.size() == 1);
        assertEquals(c.clientId(4), taken.get(0));
    }

    @Test
    void shouldAcceptANewClientOnceOnesPublicationIsGone()
    {
        launch(2, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        final Client c = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        connect(b, 2);
        assertRefused(c, 3);

        // B goes without a word: the session check finds its image gone, and closes its session.
        b.publication.close();
        Await.until("B's session closed", TIMEOUT_MS, () ->
        {
            nowNs += TimeUnit.MILLISECONDS.toNanos(SESSION_CHECK_INTERVAL_MS);
            cycle();
        }, () -> counters().sessionsClosed.get() == 1);
        connect(c, 4);
        assertEquals(1, counters().connectsRefusedTooManyClients.get());
        assertEquals(2, egress.sessionCount());
    }

    /**
     * An evicted session keeps its publication until its Disconnect goes in (or the client reads nothing for another
     * slow-client timeout): it holds its room until then.
     */
    @Test
    void shouldCountAnEvictedSessionUntilItsPublicationIsClosed()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        evictWhileItsWindowIsFull(a, a.clientId(1));

        assertRefused(b, 2);
        assertEquals(1, egress.sessionCount(), "the evicted session, still holding its publication");

        // A reads again: its Disconnect goes in, its publication is closed, and the room is free.
        a.reading = true;
        Await.until("A told it was evicted", TIMEOUT_MS, this::cycle,
            () -> a.disconnects.contains(EgressRingDescriptor.REASON_SLOW_CLIENT));
        assertEquals(0, egress.sessionCount());
        connect(b, 3);
        assertEquals(1, counters().connectsRefusedTooManyClients.get());
    }

    @Test
    void shouldFreeTheRoomOfAnEvictedSessionWhoseClientReadsNothingForTheSlowClientTimeout()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        final Client b = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        evictWhileItsWindowIsFull(a, a.clientId(1));

        assertRefused(b, 2);
        nowNs += TimeUnit.MILLISECONDS.toNanos(SLOW_CLIENT_TIMEOUT_MS) + 1;
        egress.doWork();
        assertEquals(0, egress.sessionCount(), "closed without its Disconnect");
        connect(b, 3);
        assertEquals(1, counters().connectsRefusedTooManyClients.get());
        assertEquals(List.of(), a.disconnects, "the Disconnect never went in");
    }

    /**
     * A client evicted while its window is full, that connects again on its publication before reading, replaces the
     * evicted session: it needs no Disconnect for it, so its publication is closed at once and the reconnect opens at
     * the limit.
     */
    @Test
    void shouldOpenTheReconnectOfAnEvictedClientAtTheLimit()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);
        evictWhileItsWindowIsFull(a, a.clientId(1));

        offerConnect(a, 2);
        Await.until("A's reconnect decided", TIMEOUT_MS, this::cycle,
            () -> counters().sessionsOpened.get() == 2 || counters().connectsRefusedTooManyClients.get() > 0);
        assertEquals(0, counters().connectsRefusedTooManyClients.get(), "the reconnect was refused");
        assertEquals(1, egress.sessionCount(), "the evicted session closed, the new one open");
        a.reading = true;
        Await.until("A's reconnect answered", TIMEOUT_MS, this::cycle, () -> a.connecteds.contains(2L));
    }

    /**
     * The media driver keeps a closed publication's log buffers for its linger (5 s by default) before it deletes
     * them, and a new Connect gets a new publication meanwhile: a client that connects and disconnects in a loop over
     * UDP would make the node's driver hold as many log buffers as it likes. Counted in the node's driver itself: the
     * files in its {@code publications} directory, less the client's own ingress publication.
     */
    @Test
    void shouldNotLetAClientThatConnectsAndDisconnectsInALoopMakeTheDriverHoldMoreResponseLogBuffersThanTheLimit()
    {
        final int maxClients = 2;
        launch(maxClients, false);
        final Client a = client(TransportContext.IPC_CHANNEL, udpResponseChannel(""));
        final int ownLogBuffers = publicationLogBuffers();
        int peak = 0;
        int opened = 0;
        // Four rounds take milliseconds, well within the driver's 5 s linger of the first publication closed.
        for (long correlationId = 1; correlationId <= 4; correlationId++)
        {
            final long refused = counters().connectsRefusedTooManyClients.get();
            final long id = correlationId;
            offerConnect(a, id);
            Await.until("Connect " + id + " answered or refused", TIMEOUT_MS, this::cycle,
                () -> a.connecteds.contains(id) || counters().connectsRefusedTooManyClients.get() > refused);
            peak = Math.max(peak, publicationLogBuffers() - ownLogBuffers);
            if (a.connecteds.contains(id))
            {
                opened++;
                disconnect(a, a.clientId(id));
                peak = Math.max(peak, publicationLogBuffers() - ownLogBuffers);
            }
        }
        assertTrue(peak <= maxClients, "the node's driver held " + peak + " response log buffers at once, limit " +
            maxClients + ": " + counters());
        assertEquals(maxClients, opened, counters()::toString);
        assertEquals(2, counters().connectsRefusedTooManyClients.get(), counters()::toString);
    }

    /**
     * A closed UDP session counts until its linger has passed on the node's clock, and at least
     * {@link EgressPublisher#MIN_CLOSED_HOLD_NS}, for which the node's own Aeron client keeps the buffers mapped,
     * however short a linger its channel names and however soon the driver drops the publication: here within its
     * timer ticks, a second or two, the client having read it to its end.
     */
    @Test
    void shouldCountAClosedUdpSessionUntilItsPublicationHasLingered()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL, udpResponseChannel("|linger=100ms"));
        final Client b = client(TransportContext.IPC_CHANNEL);
        final int ownLogBuffers = publicationLogBuffers();
        connect(a, 1);
        disconnect(a, a.clientId(1));
        assertEquals(1, counters().publicationsLingering.get());
        assertEquals(0, egress.sessionCount());
        assertRefused(b, 2);

        Await.until("the driver dropped A's publication", TIMEOUT_MS, this::cycle,
            () -> publicationLogBuffers() == ownLogBuffers);
        nowNs += EgressPublisher.MIN_CLOSED_HOLD_NS - 1;
        assertRefused(b, 3);
        assertEquals(1, counters().publicationsLingering.get(), "released within MIN_CLOSED_HOLD_NS");

        nowNs += 1;
        Await.until("A's publication released", TIMEOUT_MS, this::cycle,
            () -> counters().publicationsLingering.get() == 0);
        connect(b, 4);
        assertEquals(2, counters().connectsRefusedTooManyClients.get());
        assertEquals(1, egress.peakRoomsHeld());
    }

    /**
     * A reconnect at the limit over UDP replaces a session whose publication then lingers: it cannot open before that
     * is over without going past the limit, so it waits for it, its room kept from another client's Connect, and opens
     * then, well within a {@link CmtClient}'s connect timeout (10 s by default). A client that reads its old stream to
     * its end lets the driver drop it within a second or two, long before the linger (5 s) has passed: the reconnect
     * opens then, {@link EgressPublisher#MIN_CLOSED_HOLD_NS} after, not after the linger.
     */
    @Test
    void shouldOpenAReconnectAtTheLimitOnceThePublicationOfTheSessionItReplacedHasLingered()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL, udpResponseChannel(""));
        final Client c = client(TransportContext.IPC_CHANNEL);
        connect(a, 1);

        offerConnect(a, 2);
        Await.until("A's replaced session closed", TIMEOUT_MS, this::cycle,
            () -> counters().sessionsClosed.get() == 1);
        assertEquals(1, counters().publicationsLingering.get());
        cycle();
        assertEquals(0, counters().connectsRefusedTooManyClients.get(), "A's reconnect refused while its old " +
            "publication lingers");
        assertRefused(c, 3);
        assertEquals(List.of(1L), a.connecteds, "A's reconnect opened while its old publication lingers");
        assertEquals(0, egress.sessionCount());

        nowNs += EgressPublisher.MIN_CLOSED_HOLD_NS;
        Await.until("A's reconnect answered", TIMEOUT_MS, this::cycle, () -> a.connecteds.contains(2L));
        assertEquals(1, counters().connectsRefusedTooManyClients.get(), "C's Connect only");
        assertEquals(0, counters().publicationsLingering.get());
        assertEquals(1, egress.peakRoomsHeld());
    }

    /**
     * A reconnect waiting for room is read again every duty cycle (ABORT), for up to some 10 s, and a node's dedicated
     * threads busy-spin: ingress must not parse its response channel again each time, which allocates (a String, the
     * channel's URI), and so would fill the heap with garbage at the rate ingress spins. It is parsed when the
     * reconnect is decided.
     */
    @Test
    void shouldAllocateNothingInTheDutyCyclesOfAReconnectWaitingForRoom()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL, udpResponseChannel(""));
        connect(a, 1);
        offerConnect(a, 2);
        Await.until("A's replaced session closed", TIMEOUT_MS, this::cycle,
            () -> counters().sessionsClosed.get() == 1);
        final long heldBack = counters().ingressBackPressure.get();
        ingress.doWork();
        assertEquals(heldBack + 1, counters().ingressBackPressure.get(), "A's reconnect waits");

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final int cycles = 20_000;
        // Warmed up first: what the duty cycle allocates once (a lazily built structure) is not what is asked here.
        for (int i = 0; i < cycles; i++)
        {
            ingress.doWork();
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < cycles; i++)
        {
            ingress.doWork();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertEquals(heldBack + 1 + 2L * cycles, counters().ingressBackPressure.get(), "A's reconnect still waits");
        assertTrue(allocated < cycles, "ingress allocated " + allocated + " bytes in " + cycles +
            " duty cycles of a reconnect waiting for room");

        nowNs += EgressPublisher.MIN_CLOSED_HOLD_NS;
        Await.until("A's reconnect answered", TIMEOUT_MS, this::cycle, () -> a.connecteds.contains(2L));
    }

    /**
     * The driver keeps a closed publication its client does not read for as long as the client's driver is there to
     * say it has not: it never starts to linger, and the session's room stays taken. A reconnect waiting for it is
     * refused once it has waited as long as a publication lingers and a connect timeout besides, rather than wait for
     * good; the room comes back when the client reads, or goes.
     */
    @Test
    void shouldRefuseAReconnectWhoseRoomAnUnreadPublicationHoldsOnceItHasWaitedItsTime()
    {
        launch(1, true);
        final Client a = client(TransportContext.IPC_CHANNEL, udpResponseChannel("|linger=100ms"));
        connect(a, 1);
        evictWhileItsWindowIsFull(a, a.clientId(1));
        nowNs += TimeUnit.MILLISECONDS.toNanos(SLOW_CLIENT_TIMEOUT_MS) + 1;
        egress.doWork();
        assertEquals(0, egress.sessionCount(), "closed without its Disconnect");
        assertEquals(1, counters().publicationsLingering.get());

        nowNs += EgressPublisher.MIN_CLOSED_HOLD_NS;
        offerConnect(a, 2);
        final long heldBack = counters().ingressBackPressure.get();
        Await.until("A's reconnect waiting, or decided", TIMEOUT_MS, this::cycle,
            () -> counters().ingressBackPressure.get() > heldBack + 100 || counters().sessionsOpened.get() > 1 ||
            counters().connectsRefusedTooManyClients.get() > 0);
        assertEquals(1, counters().sessionsOpened.get(), "A's reconnect opened while the driver still has its old " +
            "publication, past its linger");
        assertEquals(0, counters().connectsRefusedTooManyClients.get());
        assertEquals(1, counters().publicationsLingering.get());

        nowNs += EgressPublisher.MAX_RESPONSE_LINGER_NS + TimeUnit.MILLISECONDS.toNanos(
            TransportContext.DEFAULT_CONNECT_TIMEOUT_MS);
        Await.until("A's reconnect refused", TIMEOUT_MS, this::cycle,
            () -> counters().connectsRefusedTooManyClients.get() == 1);
        assertEquals(List.of(1L), a.connecteds);
        assertEquals(1, counters().publicationsLingering.get());

        a.reading = true;
        Await.until("A's old publication drained and dropped", TIMEOUT_MS, this::cycle,
            () -> counters().publicationsLingering.get() == 0);
        connect(a, 3);
        assertEquals(1, egress.peakRoomsHeld());
    }

    @Test
    void shouldNeverHoldMoreSessionsThanTheLimitWithTheAgentsOnTwoThreads()
    {
        churn(30, false);
    }

    @Test
    @Tag("stress")
    void shouldNeverHoldMoreSessionsThanTheLimitWithTheAgentsOnTwoThreadsOverManyRounds()
    {
        churn(2_000, false);
    }

    /**
     * As {@link #shouldNeverHoldMoreSessionsThanTheLimitWithTheAgentsOnTwoThreads()}, the clients answered over UDP:
     * the sessions they end linger, and count, while ingress reads what egress says of them from its own thread.
     */
    @Test
    void shouldNeverHoldMoreSessionsAndLingeringPublicationsThanTheLimitWithTheAgentsOnTwoThreads()
    {
        churn(6, true);
    }

    /**
     * Ingress and egress on threads of their own, four clients at a limit of two, each sending Connects (most of them
     * reconnects) and Disconnects of the session it last heard of: egress never holds more sessions than the limit,
     * whatever ingress reads while egress has not yet released what it was told to close. Every Connect is either
     * opened or refused.
     *
     * @param rounds       how many times each client says something.
     * @param udpResponses whether the node answers the clients over UDP (their sessions linger once ended), else IPC.
     */
    private void churn(final int rounds, final boolean udpResponses)
    {
        final int maxClients = 2;
        launch(maxClients, false);
        final List<Client> four = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final String ingressChannel =
                i % 2 == 0 ? TransportContext.IPC_CHANNEL : "aeron:udp?endpoint=localhost:" + udpPort;
            four.add(udpResponses ? client(ingressChannel, udpResponseChannel("")) : client(ingressChannel));
        }
        final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        final AgentRunner ingressRunner = new AgentRunner(new YieldingIdleStrategy(), errors::add, null, ingress);
        final AgentRunner egressRunner = new AgentRunner(new YieldingIdleStrategy(), errors::add, null, egress);
        AgentRunner.startOnThread(ingressRunner);
        AgentRunner.startOnThread(egressRunner);
        int connects = 0;
        int disconnects = 0;
        try
        {
            long correlationId = 0;
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < four.size(); i++)
                {
                    final Client client = four.get(i);
                    if ((round + i) % 3 == 0 && !client.connecteds.isEmpty())
                    {
                        offer(client, encodeDisconnect(client.lastClientId()), client::poll);
                        disconnects++;
                    }
                    else
                    {
                        offer(client, encodeConnect(++correlationId, client), client::poll);
                        connects++;
                    }
                }
                // The four messages of a round race each other through the agents; the rounds do not, so that each
                // client knows its session's id, if it has one, when it says Disconnect.
                final long sent = connects;
                Await.until("every Connect answered or refused", TIMEOUT_MS, () -> four.forEach(Client::poll),
                    () -> counters().sessionsOpened.get() + counters().connectsRefusedTooManyClients.get() == sent &&
                    four.stream().mapToInt(client -> client.connecteds.size()).sum() ==
                    counters().sessionsOpened.get());
            }
        }
        finally
        {
            // The clients gone first: egress, closing, has no stream of theirs to wait for.
            four.forEach(client -> CloseHelper.quietCloseAll(client.responses, client.publication));
            CloseHelper.quietCloseAll(ingressRunner, egressRunner);
        }
        assertEquals(List.of(), errors);
        assertTrue(egress.peakSessionCount() <= maxClients, "held " + egress.peakSessionCount() + " sessions");
        assertTrue(egress.peakRoomsHeld() <= maxClients, "held " + egress.peakRoomsHeld() + " sessions and lingering " +
            "publications");
        assertTrue(counters().sessionsOpened.get() > maxClients, counters()::toString);
        assertTrue(counters().connectsRefusedTooManyClients.get() > 0, counters()::toString);
        assertTrue(disconnects > 0 && connects > disconnects, connects + " Connects, " + disconnects + " Disconnects");
    }

    /**
     * @param maxClients  the node's client limit.
     * @param manualClock whether the node's clock is the test's {@link #nowNs}; else the system's.
     */
    private void launch(final int maxClients, final boolean manualClock)
    {
        dir = TestNode.tempDir();
        udpPort = TransportTest.freeUdpPort();
        final TransportContext ctx = new TransportContext()
            .dir(dir)
            .ingressChannel("aeron:udp?endpoint=localhost:" + udpPort)
            .ipcIngress(true)
            .chainId(TestFrames.CHAIN_ID)
            .maxClients(maxClients)
            .egressRingCapacity(64 * 1024)
            .clientBacklogCapacity(4096)
            .slowClientTimeoutMs(SLOW_CLIENT_TIMEOUT_MS)
            .sessionCheckIntervalMs(manualClock ? SESSION_CHECK_INTERVAL_MS : 1);
        if (manualClock)
        {
            ctx.nanoClock(() -> nowNs);
        }
        transport = NodeTransport.launch(ctx, (buffer, offset, length, clientId) ->
        {
            taken.add(clientId);
            return TransactionSink.ACCEPTED;
        }, TransportCounters.inMemory());
        ingress = (IngressAgent)transport.ingressAgent();
        egress = (EgressPublisher)transport.egressAgent();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(transport.aeronDirectoryName()));
    }

    private TransportCounters counters()
    {
        return transport.counters();
    }

    /**
     * @param params more channel parameters, each after a {@code |}, or none.
     * @return a UDP response channel on a free loopback port, with a small term.
     */
    private static String udpResponseChannel(final String params)
    {
        return "aeron:udp?endpoint=localhost:" + TransportTest.freeUdpPort() + "|term-length=64k" + params;
    }

    /** @return the log buffers in the node's driver's {@code publications} directory: its own, and the clients'. */
    private int publicationLogBuffers()
    {
        final String[] files = new File(transport.aeronDirectoryName(), "publications").list();
        return null == files ? 0 : files.length;
    }

    private void cycle()
    {
        ingress.doWork();
        egress.doWork();
        for (final Client client : clients)
        {
            client.poll();
        }
    }

    /** A client whose publication to the ingress on {@code ingressChannel} is connected, answered over IPC. */
    private Client client(final String ingressChannel)
    {
        return client(ingressChannel, SMALL_TERM_IPC);
    }

    /**
     * A client whose publication to the ingress on {@code ingressChannel} is connected, and that names
     * {@code responseChannel} in its Connects.
     */
    private Client client(final String ingressChannel, final String responseChannel)
    {
        final Client client = new Client(responseChannel, nextResponseStreamId++);
        client.responses = aeron.addSubscription(responseChannel, client.responseStreamId);
        client.publication = aeron.addExclusivePublication(
            ingressChannel.startsWith("aeron:ipc") ? SMALL_TERM_IPC : ingressChannel,
            TransportContext.DEFAULT_INGRESS_STREAM_ID);
        clients.add(client);
        Await.until("publication connected", TIMEOUT_MS, this::cycle, client.publication::isConnected);
        return client;
    }

    /** Says Connect on {@code client}'s publication and runs the node until its Connected. */
    private void connect(final Client client, final long correlationId)
    {
        offerConnect(client, correlationId);
        Await.until("Connected " + correlationId, TIMEOUT_MS, this::cycle,
            () -> client.connecteds.contains(correlationId));
    }

    /** Offers a Connect without running either agent. */
    private void offerConnect(final Client client, final long correlationId)
    {
        offer(client, encodeConnect(correlationId, client), Thread::yield);
    }

    /**
     * Says Connect on {@code client}'s publication and runs the node until it is refused, or answered: the refusal is
     * counted when ingress reads the Connect, so neither outcome is awaited in vain.
     */
    private void assertRefused(final Client client, final long correlationId)
    {
        final long refused = counters().connectsRefusedTooManyClients.get();
        offerConnect(client, correlationId);
        Await.until("Connect " + correlationId + " refused or answered", TIMEOUT_MS, this::cycle,
            () -> counters().connectsRefusedTooManyClients.get() > refused ||
            client.connecteds.contains(correlationId));
        assertEquals(refused + 1, counters().connectsRefusedTooManyClients.get(), "Connect " + correlationId +
            " opened a session beyond the limit");
        assertEquals(List.of(), client.connecteds);
    }

    /** Says Disconnect on {@code client}'s publication and runs the node until egress has closed the session. */
    private void disconnect(final Client client, final long clientId)
    {
        final long closed = counters().sessionsClosed.get();
        offer(client, encodeDisconnect(clientId), Thread::yield);
        Await.until("session closed", TIMEOUT_MS, this::cycle, () -> counters().sessionsClosed.get() > closed);
    }

    private int encodeConnect(final long correlationId, final Client client)
    {
        final byte[] channel = client.responseChannel.getBytes(StandardCharsets.US_ASCII);
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(client.responseStreamId)
            .putResponseChannel(channel, 0, channel.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeDisconnect(final long clientId)
    {
        final DisconnectEncoder encoder = new DisconnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .clientId(clientId)
            .reason(EgressRingDescriptor.REASON_REQUESTED);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private void offer(final Client client, final int length, final Runnable whileWaiting)
    {
        TransportTest.offer(client.publication, send, 0, length, whileWaiting);
    }

    /** Offers the next devnet transfer on {@code client}'s publication. */
    private void offerTransfer(final Client client)
    {
        final int[] lengths = new int[1];
        TransportTest.offer(client.publication, TestFrames.transfers(TestFrames.CHAIN_ID, 0, nonce++, 1, lengths), 0,
            lengths[0], Thread::yield);
    }

    /**
     * The client stops reading; receipts for it fill its window, then its backlog, and one more evicts it. Its
     * Disconnect cannot go in behind what it has not read, so egress keeps the session.
     */
    private void evictWhileItsWindowIsFull(final Client client, final long clientId)
    {
        client.reading = false;
        final byte[] hash = new byte[32];
        final long[] height = {0};
        Await.until("client evicted", TIMEOUT_MS, () ->
        {
            egress.onReceipt(clientId, hash, 0, ReceiptStatus.OK.value(), height[0]++, 0);
            egress.doWork();
        }, () -> counters().clientsEvicted.get() == 1);
        assertEquals(1, egress.sessionCount(), "kept for its Disconnect");
        assertEquals(0, counters().sessionsClosed.get());
    }

    /** A raw client: its ingress publication, and its response stream with what the node said there. */
    private static final class Client
    {
        final String responseChannel;
        final int responseStreamId;
        final List<Long> connecteds = new ArrayList<>();
        final List<Long> clientIds = new ArrayList<>();
        final List<Integer> disconnects = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ConnectedDecoder connected = new ConnectedDecoder();
        final DisconnectDecoder disconnect = new DisconnectDecoder();
        final FragmentAssembler handler = new FragmentAssembler(this::onResponse);
        Subscription responses;
        ExclusivePublication publication;
        boolean reading = true;

        Client(final String responseChannel, final int responseStreamId)
        {
            this.responseChannel = responseChannel;
            this.responseStreamId = responseStreamId;
        }

        void poll()
        {
            if (reading)
            {
                responses.poll(handler, 1_000);
            }
        }

        long clientId(final long correlationId)
        {
            return clientIds.get(connecteds.indexOf(correlationId));
        }

        long lastClientId()
        {
            return clientIds.get(clientIds.size() - 1);
        }

        private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header h)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            if (ConnectedDecoder.TEMPLATE_ID == header.templateId())
            {
                connected.wrap(buffer, body, header.blockLength(), header.version());
                connecteds.add(connected.correlationId());
                clientIds.add(connected.clientId());
            }
            else if (DisconnectDecoder.TEMPLATE_ID == header.templateId())
            {
                disconnect.wrap(buffer, body, header.blockLength(), header.version());
                disconnects.add(disconnect.reason());
            }
        }
    }
}
