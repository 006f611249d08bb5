package io.cmtchain.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ResponseChannels} alone: which response channel a Connect from which source may name. Sources are written as
 * Aeron's media drivers write them: the Java driver {@code ip:port} for IPv4 and IPv6 alike (IPv6 in full, without
 * brackets), the C driver {@code [ipv6]:port}, and {@code aeron:ipc} for IPC.
 */
class ResponseChannelsTest
{
    private static final String LOOPBACK = "127.0.0.1:40001";
    private static final String REMOTE = "192.0.2.7:40001";

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // From another host: a UDP endpoint on its own address, however the address is written.
        "192.0.2.7:40001; aeron:udp?endpoint=192.0.2.7:5000",
        "192.0.2.7:40001; aeron:udp?endpoint=192.0.2.7:5000|term-length=64k|mtu=1408",
        "192.0.2.7:40001; aeron:udp?endpoint=[::ffff:192.0.2.7]:5000",
        "2001:db8:0:0:0:0:0:5:40001; aeron:udp?endpoint=[2001:db8::5]:5000",
        "[2001:db8::5]:40001; aeron:udp?endpoint=[2001:DB8:0::0:5]:5000",
        // From the node's host: IPC, localhost or any loopback address.
        "127.0.0.1:40001; aeron:udp?endpoint=localhost:5000",
        "127.0.0.1:40001; aeron:udp?endpoint=LocalHost:5000",
        "127.0.0.1:40001; aeron:udp?endpoint=127.0.0.1:5000",
        "127.0.0.1:40001; aeron:udp?endpoint=127.0.0.2:5000",
        "127.0.0.1:40001; aeron:udp?endpoint=[::1]:5000",
        "127.0.0.1:40001; aeron:ipc",
        "0:0:0:0:0:0:0:1:40001; aeron:udp?endpoint=localhost:5000",
        "[::1]:40001; aeron:udp?endpoint=127.0.0.1:5000",
        "aeron:ipc; aeron:ipc",
        "aeron:ipc; aeron:ipc?term-length=64k|alias=client",
        "aeron:ipc; aeron:udp?endpoint=localhost:5000",
        "aeron:ipc; aeron:udp?endpoint=127.0.0.1:5000"})
    void shouldAcceptAChannelBackToTheSourcesHost(final String source, final String channel)
    {
        assertNull(ResponseChannels.refusal(channel, source, true));
        assertNull(ResponseChannels.refusal(channel, null, false), "nor refused with the host check off");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // A reflection: from one host, naming another.
        "192.0.2.7:40001; aeron:udp?endpoint=198.51.100.9:5000; is not on the address the Connect came from",
        "192.0.2.7:40001; aeron:udp?endpoint=192.0.2.70:5000; is not on the address the Connect came from",
        "[2001:db8::5]:40001; aeron:udp?endpoint=[2001:db8::6]:5000; is not on the address the Connect came from",
        "2001:db8:0:0:0:0:0:5:40001; aeron:udp?endpoint=192.0.2.7:5000; is not on the address the Connect came from",
        // From another host, naming the node's own host.
        "192.0.2.7:40001; aeron:udp?endpoint=127.0.0.1:5000; is not on the address the Connect came from",
        "192.0.2.7:40001; aeron:udp?endpoint=localhost:5000; must name a UDP endpoint on its own address, not " +
            "localhost",
        "192.0.2.7:40001; aeron:ipc; must name a UDP endpoint on its own address, not aeron:ipc",
        // A wildcard or multicast address is no one's source.
        "192.0.2.7:40001; aeron:udp?endpoint=0.0.0.0:5000; is not on the address the Connect came from",
        "192.0.2.7:40001; aeron:udp?endpoint=224.0.1.1:5000; is not on the address the Connect came from",
        // From the node's host, naming another.
        "127.0.0.1:40001; aeron:udp?endpoint=198.51.100.9:5000; may name aeron:ipc, localhost or a loopback address",
        "127.0.0.1:40001; aeron:udp?endpoint=224.0.1.1:5000; may name aeron:ipc, localhost or a loopback address",
        "127.0.0.1:40001; aeron:udp?endpoint=0.0.0.0:5000; may name aeron:ipc, localhost or a loopback address",
        "aeron:ipc; aeron:udp?endpoint=192.0.2.7:5000; may name aeron:ipc, localhost or a loopback address",
        "[::1]:40001; aeron:udp?endpoint=[2001:db8::5]:5000; may name aeron:ipc, localhost or a loopback address",
        // A source the node cannot send back to.
        "somewhere; aeron:udp?endpoint=192.0.2.7:5000; is no IP address to send back to",
        "fe80:0:0:0:0:0:0:1%eth0:40001; aeron:udp?endpoint=192.0.2.7:5000; is no IP address to send back to",
        "[::1]40001; aeron:udp?endpoint=[::1]:5000; is no IP address to send back to",
        // An IPv6 address that ends in 1 is loopback only if it is ::1.
        "[2001:db8::1]:40001; aeron:udp?endpoint=localhost:5000; must name a UDP endpoint on its own address",
        "0:0:0:1:0:0:0:1:40001; aeron:udp?endpoint=[::1]:5000; is not on the address the Connect came from",
        "[::2]:40001; aeron:udp?endpoint=localhost:5000; must name a UDP endpoint on its own address"})
    void shouldRefuseAChannelToAnotherHost(final String source, final String channel, final String reason)
    {
        final String refusal = ResponseChannels.refusal(channel, source, true);
        assertNotNull(refusal, channel + " from " + source);
        assertTrue(refusal.contains(reason), refusal);
        assertNull(ResponseChannels.refusal(channel, source, false), "accepted with the host check off");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:tcp?endpoint=127.0.0.1:5000",
        "aeron-spy:aeron:udp?endpoint=127.0.0.1:5000",
        "aeron:udp?control=127.0.0.1:5000|control-mode=dynamic",
        "aeron:udp?endpoint=127.0.0.1:5000|control=127.0.0.1:5001",
        "aeron:udp?endpoint=127.0.0.1:5000|control-mode=manual",
        "aeron:udp?endpoint=127.0.0.1:5000|control-mode=response",
        "aeron:udp?endpoint=127.0.0.1:5000|response-endpoint=127.0.0.1:5001",
        "aeron:udp?endpoint=127.0.0.1:5000|response-correlation-id=7",
        "aeron:udp?term-length=64k",
        "aeron:udp?endpoint=127.0.0.1",
        "aeron:udp?endpoint=::1:5000",
        "aeron:udp?endpoint=[::1]5000",
        "aeron:udp?endpoint=client.example:5000",
        "aeron:udp?endpoint=nohost.invalid:1",
        "aeron:udp?endpoint=127.0.0.256:5000",
        "aeron:udp?endpoint=127.1:5000",
        "aeron:udp?endpoint=1.2.3.4.5:5000",
        "aeron:udp?endpoint=0127.0.0.1:5000",
        "aeron:udp?endpoint=[fe80::1%eth0]:5000",
        "aeron:udp?endpoint=[.1::]:5000",
        "aeron:udp?endpoint=[g::1]:5000",
        "aeron:nonsense?x",
        "aeron:udp?endpoint"})
    void shouldRefuseFromAnySourceAChannelTheNodeDoesNotOpen(final String channel)
    {
        assertNotNull(ResponseChannels.refusal(channel, null, false), channel);
        assertNotNull(ResponseChannels.refusal(channel, LOOPBACK, true), channel);
        assertNotNull(ResponseChannels.refusal(channel, ResponseChannels.IPC_SOURCE, true), channel);
        assertNotNull(ResponseChannels.refusal(channel, REMOTE, true), channel);
    }

    /** A Connect whose source the media driver did not say is refused when the host is checked: no one to send to. */
    @Test
    void shouldRefuseAConnectFromAnUnknownSourceWhenTheHostIsChecked()
    {
        assertEquals("the Connect's source (null) is no IP address to send back to",
            ResponseChannels.refusal("aeron:udp?endpoint=192.0.2.7:5000", null, true));
    }

    /** A refusal says why, for the person whose client named the channel. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "aeron:udp?endpoint=127.0.0.1:5000|x; not an Aeron channel URI",
        "aeron-spy:aeron:udp?endpoint=127.0.0.1:5000; a prefixed channel (aeron-spy) is no response channel",
        "aeron:nonsense?x=1; media must be udp or ipc, was nonsense",
        "aeron:udp?control=127.0.0.1:5000; a UDP response channel takes no control parameter",
        "aeron:udp?term-length=64k; a UDP response channel needs an endpoint HOST:PORT ([IPV6]:PORT), was null",
        "aeron:udp?endpoint=[]:5000; a UDP response channel needs an endpoint HOST:PORT ([IPV6]:PORT), was []:5000",
        "aeron:udp?endpoint=:5000; a UDP response channel needs an endpoint HOST:PORT ([IPV6]:PORT), was :5000"})
    void shouldSayWhyAChannelIsRefused(final String channel, final String reason)
    {
        assertRefusedFromAnywhere(channel, refusal -> refusal.startsWith(reason));
    }

    /**
     * An IPv4 part with a leading zero reads as decimal here and in the JDK, but as octal in glibc's getaddrinfo, which
     * Aeron's C media driver falls back to when inet_pton refuses such a part: {@code 010.0.0.1} is 8.0.0.1 there, so a
     * client at 10.0.0.1 would make such a node send to another host.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "10.0.0.1:40001; aeron:udp?endpoint=010.0.0.1:5000",
        "12.0.0.1:40001; aeron:udp?endpoint=012.0.0.1:5000",
        "192.0.2.7:40001; aeron:udp?endpoint=192.0.02.7:5000",
        "10.0.0.1:40001; aeron:udp?endpoint=[::ffff:010.0.0.1]:5000",
        "127.0.0.1:40001; aeron:udp?endpoint=127.0.0.010:5000"})
    void shouldRefuseAnIpv4PartWithALeadingZero(final String source, final String channel)
    {
        final String refusal = ResponseChannels.refusal(channel, source, true);
        assertNotNull(refusal, channel + " from " + source);
        assertTrue(refusal.contains("the endpoint host must be an IP address"), refusal);
        assertNotNull(ResponseChannels.refusal(channel, null, false), channel);
        assertNull(ResponseChannels.literalAddress("010.0.0.1"));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, ResponseChannels.literalAddress("0.0.0.0"));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, ResponseChannels.literalAddress("10.0.0.1"));
    }

    /**
     * The node's driver reads an {@code interface} as the local address (and port) to bind the session's socket to,
     * and resolves a name in it on its conductor thread: a client could hold the driver up on a name that resolves
     * slowly, or have the node bind a port of the client's choosing. Where the node sends from is not the client's to
     * say.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:udp?endpoint=127.0.0.1:5000|interface=client.example",
        "aeron:udp?endpoint=localhost:5000|interface=localhost:40124",
        "aeron:udp?endpoint=192.0.2.7:5000|interface=0.0.0.0:40123",
        "aeron:udp?endpoint=192.0.2.7:5000|interface=192.0.2.0/24"})
    void shouldRefuseAnInterfaceForTheNodesSocket(final String channel)
    {
        final String source = channel.contains("192.0.2.7") ? REMOTE : LOOPBACK;
        final String refusal = ResponseChannels.refusal(channel, source, true);
        assertNotNull(refusal, channel);
        assertEquals("a UDP response channel takes no interface parameter: the node sends to one endpoint, from " +
            "where it chooses", refusal);
        assertNotNull(ResponseChannels.refusal(channel, null, false), channel);
    }

    /**
     * The node refuses a term-length above 16 MiB and lowers a linger above 5 s
     * ({@link EgressPublisher#responseChannel}), but one it cannot read it would leave to the driver, and Aeron's C
     * media driver reads them with strtoll and looks at one letter after the number: {@code " 1g"}, {@code "+1g"} and
     * {@code "1gb"} are 1 GiB terms there (three per session), {@code " 3600s"} an hour.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:udp?endpoint=127.0.0.1:5000|term-length=1gb",
        "aeron:udp?endpoint=127.0.0.1:5000|term-length= 1g",
        "aeron:ipc?term-length=+1g",
        "aeron:ipc?linger= 3600s",
        "aeron:udp?endpoint=127.0.0.1:5000|linger=1h"})
    void shouldRefuseATermLengthOrLingerTheNodeCannotRead(final String channel)
    {
        assertRefusedFromAnywhere(channel, refusal -> refusal.contains(channel.contains("linger") ?
            " is no duration the node reads" : " is no size the node reads"));
    }

    /** {@code channel} is refused from loopback and IPC for a reason that matches, and with the host check off. */
    private static void assertRefusedFromAnywhere(final String channel, final Predicate<String> reason)
    {
        for (final String source : new String[] {LOOPBACK, ResponseChannels.IPC_SOURCE})
        {
            final String refusal = ResponseChannels.refusal(channel, source, true);
            assertNotNull(refusal, channel);
            assertTrue(reason.test(refusal), refusal);
        }
        assertNotNull(ResponseChannels.refusal(channel, null, false), channel);
    }

    /**
     * A term-length sizes the log buffers the node's media driver maps for the session, three terms of it, in its
     * directory (often {@code /dev/shm}): the node lowered one above 16 MiB to 16 MiB without a word; now a Connect
     * naming one is refused, and the client's {@code Context.conclude()} says why.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:ipc?term-length=32m",
        "aeron:ipc?term-length=16777217",
        "aeron:udp?endpoint=127.0.0.1:5000|term-length=1g",
        "aeron:udp?endpoint=localhost:5000|term-length=32m|linger=1s"})
    void shouldRefuseATermLengthAboveTheMaximum(final String channel)
    {
        final String termLength = channel.replaceAll(".*term-length=([^|]*).*", "$1");
        final String reason = "the term-length " + termLength + " is more than a response channel may name (at most " +
            "16m, 16777216 bytes; without one the node chooses)";
        assertEquals(reason, ResponseChannels.refusal(channel, LOOPBACK, true));
        assertEquals(reason, ResponseChannels.refusal(channel, ResponseChannels.IPC_SOURCE, true));
        assertEquals(reason, ResponseChannels.refusal(channel, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:ipc?term-length=16m",
        "aeron:ipc?term-length=64k",
        "aeron:udp?endpoint=127.0.0.1:5000|term-length=16777216"})
    void shouldAcceptATermLengthUpToTheMaximum(final String channel)
    {
        assertNull(ResponseChannels.refusal(channel, LOOPBACK, true));
        assertNull(ResponseChannels.refusal(channel, null, false));
    }

    /**
     * The media driver checks a publication's term-length, mtu, pub-wnd and position against each other and refuses
     * the publication when they do not fit; the node passed such a channel on, and the Connect went unanswered until
     * the client's timeout, which could not say why. Now each is refused at ingress, and by the client's conclude().
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "aeron:ipc?term-length=100000; the term-length 100000 is no power of two from 64k to 16m",
        "aeron:ipc?term-length=32k; the term-length 32k is no power of two from 64k to 16m",
        "aeron:udp?endpoint=127.0.0.1:5000|term-length=0; the term-length 0 is no power of two from 64k to 16m",
        "aeron:ipc?mtu=1000; the mtu '1000' is no multiple of 32 bytes from 64 to 65504",
        "aeron:ipc?mtu=64k; the mtu '64k' is no multiple of 32 bytes from 64 to 65504",
        "aeron:ipc?mtu=x; the mtu 'x' is no multiple of 32 bytes from 64 to 65504",
        "aeron:ipc?mtu=32; the mtu '32' is no multiple of 32 bytes from 64 to 65504",
        "aeron:ipc?pub-wnd=1k; the pub-wnd '1k' is no size from the mtu, 1408, to half the node's term length",
        "aeron:ipc?term-length=64k|mtu=9k; the mtu 9k is more than an eighth of the term-length 64k",
        "aeron:udp?endpoint=127.0.0.1:5000|term-length=64k|mtu=9k; the mtu 9k is more than an eighth of the " +
            "term-length 64k",
        "aeron:ipc?term-length=64k|pub-wnd=64k; the pub-wnd '64k' is no size from the mtu, 1408, to half the " +
            "term-length 64k",
        "aeron:ipc?mtu=4k|pub-wnd=2k; the pub-wnd '2k' is no size from the mtu, 4096, to half the node's term length",
        "aeron:ipc?pub-wnd=10m; the pub-wnd '10m' is no size from the mtu, 1408, to half the node's term length, " +
            "16777216",
        "aeron:ipc?term-id=1; init-term-id, term-id and term-offset go together",
        "aeron:ipc?init-term-id=1|term-id=1|term-offset=x; init-term-id, term-id and term-offset go together",
        "aeron:ipc?term-length=64k|init-term-id=1|term-id=1|term-offset=131072; the term-offset 131072 is no " +
            "multiple of 32 from 0 to the term-length 64k",
        "aeron:ipc?init-term-id=1|term-id=1|term-offset=33554432; the term-offset 33554432 is no multiple of 32 " +
            "from 0 to the node's term length, 16777216",
        "aeron:ipc?init-term-id=1|term-id=1|term-offset=100; the term-offset 100 is no multiple of 32",
        "aeron:ipc?init-term-id=5|term-id=4|term-offset=0; the term-id 4 is before the init-term-id 5"})
    void shouldRefuseWhatTheMediaDriverWouldRefuseToPublishOn(final String channel, final String reason)
    {
        assertRefusedFromAnywhere(channel, refusal -> refusal.startsWith(reason));
    }

    /**
     * {@code session-id=tag:N} asks the node's media driver for the session, term length and mtu of the publication
     * tagged N in its directory, and the driver refuses it once the node names its own term length (or when no
     * publication has that tag): the node shares no session with another publication. A session-id that is no number
     * the driver refuses too. One that is a number is the client's to choose.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "aeron:ipc?session-id=tag:7; the session-id tag:7 names a publication of the node's media driver",
        "aeron:udp?endpoint=127.0.0.1:5000|session-id=tag:7; the session-id tag:7 names a publication of the node's",
        "aeron:ipc?term-length=64k|session-id=tag:x; the session-id tag:x names a publication of the node's",
        "aeron:ipc?session-id=x; the session-id 'x' is no whole number (an int), which a media driver refuses",
        "aeron:udp?endpoint=127.0.0.1:5000|session-id=4294967296; the session-id '4294967296' is no whole number"})
    void shouldRefuseASessionIdThatIsNoNumber(final String channel, final String reason)
    {
        assertRefusedFromAnywhere(channel, refusal -> refusal.startsWith(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:ipc?session-id=4242",
        "aeron:ipc?session-id=-7|term-length=64k",
        "aeron:udp?endpoint=127.0.0.1:5000|session-id=2147483647"})
    void shouldAcceptASessionIdThatIsANumber(final String channel)
    {
        assertNull(ResponseChannels.refusal(channel, LOOPBACK, true), channel);
        assertNull(ResponseChannels.refusal(channel, null, false), channel);
    }

    /**
     * The media driver refuses a publication whose channel names a stream-id other than the stream it is added on: the
     * Connect's response stream.
     */
    @Test
    void shouldRefuseAStreamIdOtherThanTheConnectsResponseStream()
    {
        assertNull(ResponseChannels.streamIdRefusal("aeron:ipc", 1002));
        assertNull(ResponseChannels.streamIdRefusal("aeron:ipc?stream-id=1002", 1002));
        assertNull(ResponseChannels.streamIdRefusal("aeron:udp?endpoint=127.0.0.1:0|stream-id=-5", -5));
        assertEquals("the stream-id '6' is not the response stream 5 the Connect names, which a media driver refuses",
            ResponseChannels.streamIdRefusal("aeron:ipc?stream-id=6", 5));
        assertEquals("the stream-id 'x' is not the response stream 5 the Connect names, which a media driver refuses",
            ResponseChannels.streamIdRefusal("aeron:udp?endpoint=127.0.0.1:0|stream-id=x", 5));
        assertNotNull(ResponseChannels.streamIdRefusal("aeron:ipc?stream-id=4294967301", 5),
            "no int, though 5 mod 2^32");
    }

    /** What fits the term length the node gives a channel naming none, or the one the channel names, is taken. */
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:ipc?term-length=64k|sparse=true|alias=client",
        "aeron:ipc?term-length=64k|mtu=8k",
        "aeron:ipc?mtu=9k",
        "aeron:udp?endpoint=127.0.0.1:5000|mtu=9k",
        "aeron:ipc?pub-wnd=8m",
        "aeron:ipc?term-length=128k|mtu=1408|pub-wnd=64k",
        "aeron:ipc?term-length=64k|init-term-id=-7|term-id=-5|term-offset=65536",
        "aeron:ipc?init-term-id=2147483647|term-id=-2147483648|term-offset=0",
        "aeron:ipc?init-term-id=3|term-id=3|term-offset=0",
        "aeron:ipc?mtu=65504",
        "aeron:ipc?mtu=64",
        "aeron:ipc?mtu=4k|pub-wnd=4k"})
    void shouldAcceptSettingsThatFitTheTermLength(final String channel)
    {
        assertNull(ResponseChannels.refusal(channel, LOOPBACK, true), channel);
        assertNull(ResponseChannels.refusal(channel, null, false), channel);
    }

    /**
     * A channel that names no term-length gets the node's ({@link TransportContext#RESPONSE_TERM_LENGTH_PROP}): an mtu
     * or pub-wnd that fits 16 MiB terms does not fit 64 KiB ones, and the media driver would refuse it there. Such a
     * node refuses the Connect; the client, which does not know the node's, refuses only what every node does.
     */
    @Test
    void shouldCheckAnMtuAgainstTheNodesTermLengthWhenTheChannelNamesNone()
    {
        final String channel = "aeron:ipc?mtu=9k";
        assertNull(ResponseChannels.refusal(channel, null, false));
        assertNull(ResponseChannels.refusal(channel, LOOPBACK, true, TransportContext.MAX_RESPONSE_TERM_LENGTH));
        assertEquals("the mtu 9k is more than an eighth of the node's term length, 65536, which a media driver " +
            "refuses: name a term-length", ResponseChannels.refusal(channel, LOOPBACK, true, 64 * 1024));
        assertNull(ResponseChannels.refusal("aeron:ipc?mtu=9k|term-length=128k", LOOPBACK, true, 64 * 1024));
        assertNotNull(ResponseChannels.refusal("aeron:ipc?pub-wnd=64k", LOOPBACK, true, 64 * 1024));
        assertNull(ResponseChannels.refusal("aeron:ipc?pub-wnd=32k", LOOPBACK, true, 64 * 1024));
    }

    @Test
    void shouldSayWhyAHostNameIsRefused()
    {
        assertEquals("the endpoint host must be an IP address (or localhost on the node's host), was " +
            "client.example: the node resolves no names",
            ResponseChannels.refusal("aeron:udp?endpoint=client.example:5000", LOOPBACK, true));
        assertEquals("a UDP response channel takes no control parameter: the node sends to one endpoint",
            ResponseChannels.refusal("aeron:udp?endpoint=127.0.0.1:5000|control=127.0.0.1:5001", LOOPBACK, true));
    }

    @Test
    void shouldReadOnlyLiteralAddresses()
    {
        assertArrayEquals(new byte[] {(byte)192, 0, 2, 7}, ResponseChannels.literalAddress("192.0.2.7"));
        assertArrayEquals(new byte[] {(byte)192, 0, 2, 7}, ResponseChannels.literalAddress("::ffff:192.0.2.7"));
        assertEquals(16, ResponseChannels.literalAddress("::1").length);
        assertNull(ResponseChannels.literalAddress("localhost"));
        assertNull(ResponseChannels.literalAddress("cafe"), "hex digits alone are a name");
        assertNull(ResponseChannels.literalAddress("a:b:c:d:e:f:g:h"));
        assertNull(ResponseChannels.literalAddress("255.255.255.256"));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, ResponseChannels.literalAddress("255.255.255.255"));
        assertNull(ResponseChannels.literalAddress(""));
        assertNull(ResponseChannels.literalAddress("1..2.3"));
    }
}
