package io.cmtchain.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CmtClient.Context} alone: each setting's default and its {@code cmt.client.*} system property, and what
 * {@link CmtClient.Context#conclude()} refuses, at both ends of each range. No Aeron.
 */
class CmtClientContextTest
{
    private static final String[] PROPERTIES = {
        CmtClient.Context.AERON_DIR_PROP,
        CmtClient.Context.EMBEDDED_DRIVER_PROP,
        CmtClient.Context.INGRESS_CHANNEL_PROP,
        CmtClient.Context.INGRESS_STREAM_ID_PROP,
        CmtClient.Context.RESPONSE_CHANNEL_PROP,
        CmtClient.Context.RESPONSE_STREAM_ID_PROP,
        CmtClient.Context.CONNECT_TIMEOUT_MS_PROP,
        CmtClient.Context.SUBMIT_TIMEOUT_MS_PROP,
        CmtClient.Context.QUERY_TIMEOUT_MS_PROP,
        CmtClient.Context.MAX_PENDING_PROP,
        CmtClient.Context.AUTO_RECONNECT_PROP};
    private static final String MAX_PENDING_MESSAGE = "cmt.client.max.pending must be in 1..8388608";

    @AfterEach
    void tearDown()
    {
        for (final String property : PROPERTIES)
        {
            System.clearProperty(property);
        }
    }

    @Test
    void shouldDefaultEachSettingWhenNoPropertyIsSet()
    {
        final CmtClient.Context ctx = new CmtClient.Context();

        assertNull(ctx.aeron());
        assertNull(ctx.aeronDirectoryName());
        assertFalse(ctx.embeddedDriver());
        assertEquals(TransportContext.DEFAULT_INGRESS_CHANNEL, ctx.ingressChannel());
        assertEquals(TransportContext.DEFAULT_INGRESS_STREAM_ID, ctx.ingressStreamId());
        assertEquals("aeron:udp?endpoint=localhost:0", ctx.responseChannel());
        assertEquals(CmtClient.Context.DEFAULT_RESPONSE_CHANNEL, ctx.responseChannel());
        assertEquals(1002, ctx.responseStreamId());
        assertEquals(TimeUnit.SECONDS.toNanos(10), ctx.connectTimeoutNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), ctx.submitTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(10), ctx.queryTimeoutNs());
        assertEquals(65_536, ctx.maxPending());
        assertTrue(ctx.autoReconnect());
        assertNull(ctx.idleStrategy(), "chosen by conclude()");
        assertNull(ctx.nanoClock(), "chosen by conclude()");
    }

    @Test
    void shouldTakeEachSettingFromItsSystemProperty()
    {
        System.setProperty(CmtClient.Context.AERON_DIR_PROP, "/tmp/some-aeron");
        System.setProperty(CmtClient.Context.EMBEDDED_DRIVER_PROP, "true");
        System.setProperty(CmtClient.Context.INGRESS_CHANNEL_PROP, "aeron:udp?endpoint=10.0.0.1:4000");
        System.setProperty(CmtClient.Context.INGRESS_STREAM_ID_PROP, "77");
        System.setProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP, "aeron:ipc");
        System.setProperty(CmtClient.Context.RESPONSE_STREAM_ID_PROP, "78");
        System.setProperty(CmtClient.Context.CONNECT_TIMEOUT_MS_PROP, "1234");
        System.setProperty(CmtClient.Context.SUBMIT_TIMEOUT_MS_PROP, "0");
        System.setProperty(CmtClient.Context.QUERY_TIMEOUT_MS_PROP, "2500");
        System.setProperty(CmtClient.Context.MAX_PENDING_PROP, "17");
        System.setProperty(CmtClient.Context.AUTO_RECONNECT_PROP, "false");

        final CmtClient.Context ctx = new CmtClient.Context();

        assertEquals("/tmp/some-aeron", ctx.aeronDirectoryName());
        assertTrue(ctx.embeddedDriver());
        assertEquals("aeron:udp?endpoint=10.0.0.1:4000", ctx.ingressChannel());
        assertEquals(77, ctx.ingressStreamId());
        assertEquals("aeron:ipc", ctx.responseChannel());
        assertEquals(78, ctx.responseStreamId());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1234), ctx.connectTimeoutNs());
        assertEquals(0, ctx.submitTimeoutNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2500), ctx.queryTimeoutNs());
        assertEquals(17, ctx.maxPending());
        assertFalse(ctx.autoReconnect());
        assertSame(ctx, ctx.conclude(), "a context from properties alone concludes");
    }

    @Test
    void shouldRefuseAPropertyValueTheSettingDoesNotTakeNamingIt()
    {
        // Boolean.parseBoolean took "no" for false and "yes" for false too; Integer.getInteger took "lots" for unset.
        System.setProperty(CmtClient.Context.AUTO_RECONNECT_PROP, "yes");
        assertEquals(CmtClient.Context.AUTO_RECONNECT_PROP + " must be true or false, was yes",
            assertThrows(IllegalArgumentException.class, CmtClient.Context::new).getMessage());
        System.clearProperty(CmtClient.Context.AUTO_RECONNECT_PROP);
        System.setProperty(CmtClient.Context.MAX_PENDING_PROP, "lots");
        assertEquals(CmtClient.Context.MAX_PENDING_PROP + " must be an integer, was lots",
            assertThrows(IllegalArgumentException.class, CmtClient.Context::new).getMessage());
    }

    @Test
    void shouldKeepWhatTheSettersSetAndReturnTheSameContext()
    {
        final CmtClient.Context ctx = new CmtClient.Context();
        final IdleStrategy idle = NoOpIdleStrategy.INSTANCE;
        final CachedNanoClock clock = new CachedNanoClock();

        assertSame(ctx, ctx.aeron(null));
        assertSame(ctx, ctx.aeronDirectoryName("/dev/shm/x"));
        assertSame(ctx, ctx.embeddedDriver(true));
        assertSame(ctx, ctx.ingressChannel("aeron:ipc?alias=in"));
        assertSame(ctx, ctx.ingressStreamId(5));
        assertSame(ctx, ctx.responseChannel("aeron:ipc?alias=out"));
        assertSame(ctx, ctx.responseStreamId(6));
        assertSame(ctx, ctx.connectTimeoutNs(7));
        assertSame(ctx, ctx.submitTimeoutNs(8));
        assertSame(ctx, ctx.queryTimeoutNs(10));
        assertSame(ctx, ctx.maxPending(9));
        assertSame(ctx, ctx.autoReconnect(false));
        assertSame(ctx, ctx.idleStrategy(idle));
        assertSame(ctx, ctx.nanoClock(clock));
        assertSame(ctx, ctx.conclude());

        assertEquals("/dev/shm/x", ctx.aeronDirectoryName());
        assertTrue(ctx.embeddedDriver());
        assertEquals("aeron:ipc?alias=in", ctx.ingressChannel());
        assertEquals(5, ctx.ingressStreamId());
        assertEquals("aeron:ipc?alias=out", ctx.responseChannel());
        assertEquals(6, ctx.responseStreamId());
        assertEquals(7, ctx.connectTimeoutNs());
        assertEquals(8, ctx.submitTimeoutNs());
        assertEquals(10, ctx.queryTimeoutNs());
        assertEquals(9, ctx.maxPending());
        assertFalse(ctx.autoReconnect());
        assertSame(idle, ctx.idleStrategy(), "conclude() keeps an idle strategy given");
        assertSame(clock, ctx.nanoClock(), "conclude() keeps a clock given");
    }

    @Test
    void shouldChooseABackoffIdleStrategyAndTheSystemClockWhenNoneIsGiven()
    {
        final CmtClient.Context ctx = new CmtClient.Context().conclude();

        assertInstanceOf(BackoffIdleStrategy.class, ctx.idleStrategy());
        assertSame(SystemNanoClock.INSTANCE, ctx.nanoClock());
    }

    @Test
    void shouldRefuseAChannelThatIsNotAnAeronUri()
    {
        assertRefused("cmt.client.ingress.channel udp://localhost:40123 is not an Aeron channel URI (aeron:...)",
            new CmtClient.Context().ingressChannel("udp://localhost:40123"));
        assertRefused("cmt.client.response.channel udp://localhost:0 is not an Aeron channel URI (aeron:...)",
            new CmtClient.Context().responseChannel("udp://localhost:0"));
        assertRefused("cmt.client.response.channel aeron is not an Aeron channel URI (aeron:...)",
            new CmtClient.Context().responseChannel("aeron"));
        assertRefused("cmt.client.ingress.channel null is not an Aeron channel URI (aeron:...)",
            new CmtClient.Context().ingressChannel(null));
    }

    @Test
    void shouldRefuseAResponseChannelEveryNodeRefusesSayingWhy()
    {
        // Refused by any node, wherever the client is: before, the client waited out its connect timeout.
        final String named = "aeron:udp?endpoint=client.example:0";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + named + " is one a node refuses: the endpoint " +
            "host must be an IP address (or localhost on the node's host), was client.example: the node resolves no " +
            "names", new CmtClient.Context().responseChannel(named));
        final String control = "aeron:udp?control=10.0.0.2:4000|control-mode=dynamic";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + control + " is one a node refuses: a UDP " +
            "response channel takes no control parameter: the node sends to one endpoint",
            new CmtClient.Context().responseChannel(control));

        final String bigTerm = "aeron:ipc?term-length=64m";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + bigTerm + " is one a node refuses: the " +
            "term-length 64m is more than a response channel may name (at most 16m, 16777216 bytes; without one the " +
            "node chooses)", new CmtClient.Context().responseChannel(bigTerm));

        // What the node's media driver would refuse to publish on, as it checks a term-length.
        final String oddTerm = "aeron:ipc?term-length=100000";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + oddTerm + " is one a node refuses: the " +
            "term-length 100000 is no power of two from 64k to 16m (65536 to 16777216 bytes), which a media driver " +
            "refuses", new CmtClient.Context().responseChannel(oddTerm));

        // A session shared with a publication of the node's media driver, which that driver refuses.
        final String taggedSession = "aeron:ipc?session-id=tag:7";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + taggedSession + " is one a node refuses: the " +
            "session-id tag:7 names a publication of the node's media driver, whose session (and term length) the " +
            "node's shares with no other: name a number, or no session-id",
            new CmtClient.Context().responseChannel(taggedSession));

        // A stream other than the one the client subscribes and asks the node to answer on, which the driver refuses.
        final String otherStream = "aeron:ipc?stream-id=7";
        assertRefused(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + otherStream + " is one a node refuses: the " +
            "stream-id '7' is not the response stream 1002 the Connect names, which a media driver refuses",
            new CmtClient.Context().responseChannel(otherStream).responseStreamId(1002));
        new CmtClient.Context().responseChannel(otherStream).responseStreamId(7).conclude();

        // What depends on the address the node sees is left to the node.
        new CmtClient.Context().responseChannel("aeron:udp?endpoint=10.0.0.2:0").conclude();
        new CmtClient.Context().ingressChannel("aeron:ipc").responseChannel(CmtClient.Context.DEFAULT_RESPONSE_CHANNEL)
            .conclude();
        new CmtClient.Context().responseChannel("aeron:ipc").conclude();
    }

    /**
     * The default response channel is on loopback, where a node answers only a client that reached it on loopback: a
     * Connect from any other address is another host's to the node, which must name that address. So when the
     * ingress is a UDP endpoint that is not loopback, conclude() puts this machine's address towards it in its place.
     * Here the endpoint is one of this machine's own addresses (the test is skipped on a machine without one but
     * loopback), from which the machine sends to itself.
     */
    @Test
    void shouldPutThisMachinesAddressTowardsAnIngressThatIsNotLoopbackInPlaceOfTheDefaultResponseChannel()
    {
        final String address = ConnectResponseChannelTest.machineAddress();
        final String ingress = "aeron:udp?endpoint=" + address + ":40123";
        assertEquals("aeron:udp?endpoint=" + address + ":0",
            new CmtClient.Context().ingressChannel(ingress).conclude().responseChannel());
        assertEquals("aeron:udp?endpoint=" + address + ":0", new CmtClient.Context().ingressChannel(ingress)
            .responseChannel(CmtClient.Context.DEFAULT_RESPONSE_CHANNEL).conclude().responseChannel());

        // One the client names is its own, whatever the ingress.
        for (final String named : new String[] {"aeron:udp?endpoint=localhost:7000", "aeron:ipc",
            "aeron:udp?endpoint=127.0.0.1:0",
            "aeron:udp?endpoint=localhost:0|term-length=64k", "aeron:udp?endpoint=192.0.2.55:0"})
        {
            assertEquals(named,
                new CmtClient.Context().ingressChannel(ingress).responseChannel(named).conclude().responseChannel());
        }
        System.setProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP, "aeron:udp?endpoint=192.0.2.55:0");
        assertEquals("aeron:udp?endpoint=192.0.2.55:0",
            new CmtClient.Context().ingressChannel(ingress).conclude().responseChannel());
    }

    @Test
    void shouldKeepTheDefaultResponseChannelForAnIngressOnLoopbackOrNoUnicastEndpoint()
    {
        for (final String ingress : new String[] {
            TransportContext.DEFAULT_INGRESS_CHANNEL,
            "aeron:udp?endpoint=127.0.0.1:40123",
            "aeron:udp?endpoint=[::1]:40123",
            "aeron:ipc",
            "aeron:udp?endpoint=0.0.0.0:40123",
            "aeron:udp?endpoint=224.0.1.1:40123",
            "aeron:udp?endpoint=192.0.2.55:40123|interface=192.0.2.0/24",
            "aeron:udp?control=192.0.2.55:40124|control-mode=dynamic",
            "aeron:udp?endpoint=nohost.invalid:40123",
            "aeron:udp?endpoint=localhost:99999"})
        {
            assertEquals(CmtClient.Context.DEFAULT_RESPONSE_CHANNEL,
                new CmtClient.Context().ingressChannel(ingress).conclude().responseChannel(), ingress);
        }
    }

    @Test
    void shouldAcceptMaxPendingFromOneToTwoToThe23rd()
    {
        new CmtClient.Context().maxPending(1).conclude();
        new CmtClient.Context().maxPending(1 << 23).conclude();

        assertRefused(MAX_PENDING_MESSAGE, new CmtClient.Context().maxPending(0));
        assertRefused(MAX_PENDING_MESSAGE, new CmtClient.Context().maxPending((1 << 23) + 1));
        // Accepted before: the client's table came to 0 bytes and every submit threw IndexOutOfBoundsException.
        assertRefused(MAX_PENDING_MESSAGE, new CmtClient.Context().maxPending(1 << 28));
        assertRefused(MAX_PENDING_MESSAGE, new CmtClient.Context().maxPending(-1));
    }

    @Test
    void shouldAcceptAPositiveConnectAndQueryTimeoutAndASubmitTimeoutOfZeroOrMore()
    {
        new CmtClient.Context().connectTimeoutNs(1).submitTimeoutNs(0).queryTimeoutNs(1).conclude();

        assertRefused("cmt.client.connect.timeout.ms must be > 0, was 0 ns",
            new CmtClient.Context().connectTimeoutNs(0));
        assertRefused("cmt.client.connect.timeout.ms must be > 0, was -1 ns",
            new CmtClient.Context().connectTimeoutNs(-1));
        assertRefused("cmt.client.submit.timeout.ms must be >= 0, was -1 ns",
            new CmtClient.Context().submitTimeoutNs(-1));
        // A query that could never be answered in time.
        assertRefused("cmt.client.query.timeout.ms must be > 0, was 0 ns",
            new CmtClient.Context().queryTimeoutNs(0));
        assertRefused("cmt.client.query.timeout.ms must be > 0, was -1 ns",
            new CmtClient.Context().queryTimeoutNs(-1));
    }

    @Test
    void shouldLeaveTheIdleStrategyAndClockUnsetWhenItRefuses()
    {
        final CmtClient.Context ctx = new CmtClient.Context().maxPending(0);
        assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertNull(ctx.idleStrategy());
        assertNull(ctx.nanoClock());
    }

    private static void assertRefused(final String message, final CmtClient.Context ctx)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertEquals(message, ex.getMessage());
    }
}
