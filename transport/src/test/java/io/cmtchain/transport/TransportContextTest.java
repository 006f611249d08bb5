package io.cmtchain.transport;

import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportContextTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:udp?endpoint=localhost:99999",
        "aeron:udpp?endpoint=localhost:40123",
        "aeron:udp?endpoint=localhost",
        "aeron:udp?endpont=localhost:40123",
        "aeron:tcp?endpoint=localhost:40123",
        "udp://localhost:40123"})
    void shouldRefuseAnIngressChannelTheDriverWouldRefuse(final String channel)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportContext.checkIngressChannel(channel));
        assertTrue(ex.getMessage().startsWith(TransportContext.INGRESS_CHANNEL_PROP + " "), ex.getMessage());
        assertTrue(ex.getMessage().contains(channel), ex.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new TransportContext().ingressChannel(channel).conclude());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        TransportContext.DEFAULT_INGRESS_CHANNEL,
        "aeron:udp?endpoint=0.0.0.0:40123",
        "aeron:udp?endpoint=127.0.0.1:40123|term-length=1m",
        "aeron:ipc"})
    void shouldAcceptAUsableIngressChannel(final String channel)
    {
        TransportContext.checkIngressChannel(channel);
    }

    @Test
    void shouldNameTheReasonTheDriverGives()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportContext.checkIngressChannel("aeron:udp?endpoint=localhost:99999"));
        assertTrue(ex.getMessage().contains("port out of range"), ex.getMessage());
    }

    @Test
    void shouldRefuseForTheEmbeddedDriverADirectoryThatIsNotADriversOwn(@TempDir final Path temp) throws IOException
    {
        // The embedded driver deletes its directory at start: -Dcmt.transport.aeron.dir= (a variable left unset)
        // once deleted the node's working directory, and a directory of other files would go the same way.
        final String deleted = "the embedded media driver deletes its directory, and everything in it, at start " +
            "and at shutdown";
        assertEquals("cmt.transport.aeron.dir must name a directory of its own, was empty: " + deleted,
            refusal(new TransportContext().aeronDirectoryName("")));
        assertEquals("cmt.transport.aeron.dir must name a directory of its own, was empty: " + deleted,
            refusal(new TransportContext().aeronDirectoryName("  ")));

        final Path home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "keep me");
        Files.createDirectories(home.resolve("projects"));
        assertEquals("cmt.transport.aeron.dir is " + home + ", which holds 2 entries and no media driver's cnc.dat: " +
            deleted + ", so give it a directory of its own", refusal(new TransportContext().aeronDirectoryName(
            home.toString())));
        final Path file = Files.writeString(temp.resolve("file"), "x");
        assertEquals("cmt.transport.aeron.dir is " + file + ", which is not a directory",
            refusal(new TransportContext().aeronDirectoryName(file.toString())));
        assertEquals("cmt.transport.dir must name a directory, was empty", refusal(new TransportContext().dir(
            new File(""))));
        assertEquals("keep me", Files.readString(home.resolve("notes.txt")));

        // A driver's own: absent, empty, or left by a driver that stopped without deleting it.
        new TransportContext().aeronDirectoryName(temp.resolve("absent").toString()).conclude();
        new TransportContext().aeronDirectoryName(Files.createDirectories(temp.resolve("empty")).toString())
            .conclude();
        final Path left = Files.createDirectories(temp.resolve("left"));
        Files.writeString(left.resolve("cnc.dat"), "");
        Files.createDirectories(left.resolve("publications"));
        new TransportContext().aeronDirectoryName(left.toString()).conclude();
        // Another process's driver is not deleted by this one: any directory will do.
        new TransportContext().embeddedDriver(false).aeronDirectoryName(home.toString()).conclude();
    }

    @Test
    void shouldLeaveADirectoryOfOtherFilesAsItWasWhenTheTransportIsRefused(@TempDir final Path temp) throws IOException
    {
        final Path home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "keep me");
        final TransportContext ctx = new TransportContext().dir(temp.resolve("node").toFile())
            .aeronDirectoryName(home.toString()).ingressChannel("aeron:ipc");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> NodeTransport.launch(ctx, (buffer, offset, length, clientId) -> TransactionSink.ACCEPTED, null)
                .close());
        assertTrue(ex.getMessage().startsWith("cmt.transport.aeron.dir is " + home + ", which holds 1 entry and no " +
            "media driver's cnc.dat"), ex.getMessage());
        assertEquals("keep me", Files.readString(home.resolve("notes.txt")));
    }

    @Test
    void shouldRefuseTheDirectoryOfAMediaDriverThatRuns(@TempDir final Path temp)
    {
        // Two nodes given one directory: the second's driver would delete the first's from under it.
        final String shared = temp.resolve("driver").toString();
        try (NodeTransport first = NodeTransport.launch(new TransportContext().dir(temp.resolve("first").toFile())
            .aeronDirectoryName(shared).ingressChannel("aeron:ipc"), (buffer, offset, length, clientId) -> 0, null))
        {
            assertEquals("cmt.transport.aeron.dir is " + shared + ", where a media driver runs (process " +
                ProcessHandle.current().pid() + "): another node's? the embedded media driver deletes its directory, " +
                "and everything in it, at start and at shutdown, so give each node a directory of its own",
                refusal(new TransportContext().aeronDirectoryName(shared)));
            // An external driver there is what a node without its own uses.
            new TransportContext().embeddedDriver(false).aeronDirectoryName(first.aeronDirectoryName()).conclude();
        }
        // Once it has stopped, the directory is free again.
        new TransportContext().aeronDirectoryName(shared).conclude();
    }

    @Test
    void shouldAcceptOnlyAClientBacklogCapacityASessionCanBeOpenedWith()
    {
        // A client's backlog is an ExpandableRingBuffer, whose capacity must be a power of two up to 2^30: 5,000 was
        // accepted, and every Connect then threw on the egress thread, so no client could ever connect.
        for (final int capacity : new int[] {4_096, 5_000, 100_000, 1 << 20, 1 << 30, (1 << 30) + 1, 2_048})
        {
            boolean accepted = true;
            try
            {
                new TransportContext().clientBacklogCapacity(capacity).conclude();
            }
            catch (final IllegalArgumentException ex)
            {
                accepted = false;
                assertEquals(TransportContext.CLIENT_BACKLOG_CAPACITY_PROP + " must be a power of two from 4096 to " +
                    "1073741824, was " + capacity, ex.getMessage());
            }
            boolean opens = true;
            try
            {
                new EgressPublisher.ClientSession(1, 1, TransportContext.IPC_CHANNEL, 1, capacity);
            }
            catch (final IllegalArgumentException ex)
            {
                opens = false;
            }
            assertEquals(opens && capacity >= 4_096, accepted, "capacity " + capacity);
        }
    }

    @Test
    void shouldTakeAClientLimitFromOneTo4096FromItsPropertyOrSetter()
    {
        assertEquals(TransportContext.DEFAULT_MAX_CLIENTS, new TransportContext().conclude().maxClients());
        assertEquals(1, new TransportContext().maxClients(1).conclude().maxClients());
        assertEquals(4096, new TransportContext().maxClients(4096).conclude().maxClients());
        for (final int maxClients : new int[] {0, -1, 4097, Integer.MAX_VALUE})
        {
            assertEquals("cmt.transport.max.clients must be from 1 to 4096, was " + maxClients,
                refusal(new TransportContext().maxClients(maxClients)));
        }

        System.setProperty(TransportContext.MAX_CLIENTS_PROP, "7");
        try
        {
            assertEquals(7, new TransportContext().conclude().maxClients());
            System.setProperty(TransportContext.MAX_CLIENTS_PROP, "0");
            assertEquals("cmt.transport.max.clients must be from 1 to 4096, was 0", refusal(new TransportContext()));
            System.setProperty(TransportContext.MAX_CLIENTS_PROP, "many");
            assertTrue(assertThrows(IllegalArgumentException.class, TransportContext::new).getMessage()
                .startsWith(TransportContext.MAX_CLIENTS_PROP + " must be an integer"));
        }
        finally
        {
            System.clearProperty(TransportContext.MAX_CLIENTS_PROP);
        }
    }

    @Test
    void shouldTakeAResponseTermLengthThatIsAPowerOfTwoFrom64KiBTo16MiB()
    {
        assertEquals(16 << 20, new TransportContext().conclude().responseTermLength());
        assertEquals(64 << 10, new TransportContext().responseTermLength(64 << 10).conclude().responseTermLength());
        for (final int termLength : new int[] {32 << 10, 100_000, 32 << 20, 0, -1})
        {
            assertEquals("cmt.transport.response.term.length must be a power of two from 65536 to 16777216, was " +
                termLength, refusal(new TransportContext().responseTermLength(termLength)));
        }

        System.setProperty(TransportContext.RESPONSE_TERM_LENGTH_PROP, "1048576");
        try
        {
            assertEquals(1 << 20, new TransportContext().conclude().responseTermLength());
            System.setProperty(TransportContext.RESPONSE_TERM_LENGTH_PROP, "64m");
            assertTrue(assertThrows(IllegalArgumentException.class, TransportContext::new).getMessage()
                .startsWith(TransportContext.RESPONSE_TERM_LENGTH_PROP + " must be an integer"));
        }
        finally
        {
            System.clearProperty(TransportContext.RESPONSE_TERM_LENGTH_PROP);
        }
    }

    @Test
    void shouldReadTheDriversThreadingModeInAnyCaseAndRefuseOneWithoutAThread()
    {
        System.setProperty(TransportContext.THREADING_MODE_PROP, "shared_network");
        try
        {
            assertEquals(ThreadingMode.SHARED_NETWORK, new TransportContext().threadingMode());
            System.setProperty(TransportContext.THREADING_MODE_PROP, "threads");
            assertEquals(TransportContext.THREADING_MODE_PROP + " must be INVOKER, SHARED, SHARED_NETWORK or " +
                "DEDICATED, was threads", assertThrows(IllegalArgumentException.class, TransportContext::new)
                .getMessage());
        }
        finally
        {
            System.clearProperty(TransportContext.THREADING_MODE_PROP);
        }
        assertEquals(ThreadingMode.SHARED, new TransportContext().threadingMode());
        assertEquals(TransportContext.THREADING_MODE_PROP + " must be SHARED, SHARED_NETWORK or DEDICATED, was " +
            "INVOKER: the embedded driver would have no thread, and the transport runs none for it",
            refusal(new TransportContext().threadingMode(ThreadingMode.INVOKER)));
        new TransportContext().threadingMode(ThreadingMode.INVOKER).embeddedDriver(false).conclude();
    }

    private static String refusal(final TransportContext ctx)
    {
        return assertThrows(IllegalArgumentException.class, ctx::conclude).getMessage();
    }
}
