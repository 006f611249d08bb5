package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.exceptions.RegistrationException;
import io.aeron.Subscription;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node opens a publication only to a response channel that leads back to the host a Connect came from
 * ({@link ResponseChannels}), with the source its media driver tells ({@code Image#sourceIdentity}). The node's UDP
 * ingress is bound to every address, so that a client on this machine reaches it from the loopback address or from
 * one of the machine's own (a source that is not loopback, as another host's is); every response channel is on this
 * machine too, so a test sends nothing off it, even when the node wrongly opens what it is given. The test thread runs
 * the node's ingress and egress agents, one duty cycle at a time.
 * <p>
 * A refused Connect is shown refused behind a later Connect on the same publication that the node answers: ingress
 * reads them in order, so by then it has read the refused one.
 */
class ConnectResponseChannelTest
{
    private static final long TIMEOUT_MS = 30_000;
    private static final int RESPONSE_STREAM_ID = 7_202;
    private static final int IPC_RESPONSE_STREAM_ID = 7_203;

    private final UnsafeBuffer send = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final List<Responses> responses = new ArrayList<>();
    private File dir;
    private int udpPort;
    private NodeTransport transport;
    private IngressAgent ingress;
    private EgressPublisher egress;
    private Aeron aeron;

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
    void shouldRefuseAUdpConnectFromLoopbackNamingAnAddressThatIsNotLoopback()
    {
        final String address = machineAddress();
        launch(true);
        final ExclusivePublication fromLoopback = publication("aeron:udp?endpoint=127.0.0.1:" + udpPort);
        final Responses elsewhere = udp(address);
        final Responses back = udp("localhost");

        offerConnect(fromLoopback, 1, elsewhere.channel);
        connect(fromLoopback, 2, back);

        assertEquals(1, counters().sessionsOpened.get(), "only the second Connect opened a session");
        assertEquals(1, counters().connectsRefused.get());
        assertEquals(0, elsewhere.subscription.imageCount(), "the node sent nothing to " + elsewhere.channel);
        assertEquals(List.of(), elsewhere.connecteds);
    }

    @Test
    void shouldRefuseAUdpConnectFromAnotherAddressNamingTheNodesLoopbackOrIpc()
    {
        final String address = machineAddress();
        launch(true);
        final ExclusivePublication fromAddress = publication("aeron:udp?endpoint=" + address + ":" + udpPort);
        final Responses loopback = udp("127.0.0.1");
        final Responses localhost = udp("localhost");
        final Responses ipc = ipc();
        final Responses back = udp(address);

        offerConnect(fromAddress, 1, loopback.channel);
        offerConnect(fromAddress, 2, localhost.channel);
        offerConnect(fromAddress, 3, ipc.channel);
        connect(fromAddress, 4, back);

        assertEquals(1, counters().sessionsOpened.get(), "only the Connect naming its own address opened a session");
        assertEquals(3, counters().connectsRefused.get());
        for (final Responses refused : List.of(loopback, localhost, ipc))
        {
            assertEquals(List.of(), refused.connecteds, refused.channel);
        }
    }

    @Test
    void shouldOpenAUdpConnectFromLoopbackNamingLocalhostALoopbackAddressOrIpc()
    {
        launch(true);
        final ExclusivePublication fromLoopback = publication("aeron:udp?endpoint=localhost:" + udpPort);
        final Responses localhost = udp("localhost");
        final Responses loopback = udp("127.0.0.1");
        final Responses ipc = ipc();

        connect(fromLoopback, 1, localhost);
        connect(fromLoopback, 2, loopback);
        connect(fromLoopback, 3, ipc);
        assertEquals(0, counters().connectsRefused.get());
        assertEquals(3, counters().sessionsOpened.get());
    }

    @Test
    void shouldOpenAnIpcConnectNamingIpcOrLocalhostAndRefuseOneNamingAnAddressThatIsNotLoopback()
    {
        final String address = machineAddress();
        launch(true);
        final ExclusivePublication overIpc = publication(TransportContext.IPC_CHANNEL);
        final Responses elsewhere = udp(address);
        final Responses ipc = ipc();
        final Responses localhost = udp("localhost");

        offerConnect(overIpc, 1, elsewhere.channel);
        connect(overIpc, 2, ipc);
        connect(overIpc, 3, localhost);

        assertEquals(2, counters().sessionsOpened.get(), "only the Connects naming IPC and localhost opened a session");
        assertEquals(1, counters().connectsRefused.get());
        assertEquals(0, elsewhere.subscription.imageCount(), "the node sent nothing to " + elsewhere.channel);
    }

    @Test
    void shouldOpenAChannelToAnotherAddressWithTheHostCheckOffButStillNoHostName()
    {
        final String address = machineAddress();
        launch(false);
        final ExclusivePublication fromLoopback = publication("aeron:udp?endpoint=127.0.0.1:" + udpPort);
        final Responses elsewhere = udp(address);

        offerConnect(fromLoopback, 1, "aeron:udp?endpoint=nohost.invalid:5000");
        connect(fromLoopback, 2, elsewhere);
        assertEquals(1, counters().sessionsOpened.get(), "a host name is refused all the same");
        assertEquals(1, counters().connectsRefused.get());
    }

    /**
     * {@code session-id=tag:N} makes the media driver give the publication the session, and the term length and mtu, of
     * the publication tagged N in its own directory, and refuse one whose channel names another term-length ("does not
     * match session-id tag value") or that names a tag no publication there has. The node writes its term length into
     * every channel that names none: its publication add failed after it had taken the Connect, which went unanswered
     * until the client's timeout. The node shares no session with another publication of its driver: it refuses such a
     * Connect, as it refuses a session-id that is no number.
     */
    @Test
    void shouldRefuseAConnectNamingATaggedSessionIdThatItsDriverWouldRefuseOnceTheNodeNamesItsTermLength()
    {
        launch(true);
        final int tag = 7_301;
        // A publication in the node's driver with that tag (its entity tag, after the channel's), and terms other
        // than the node's.
        final ExclusivePublication tagged = aeron.addExclusivePublication(
            "aeron:ipc?tags=" + (tag - 1) + "," + tag + "|term-length=64k", IPC_RESPONSE_STREAM_ID + 1);
        assertNotNull(tagged);
        final String channel = "aeron:ipc?session-id=tag:" + tag;
        final String published = EgressPublisher.responseChannel(
            channel, EgressPublisher.defaultResponseLingerNs(), TransportContext.DEFAULT_RESPONSE_TERM_LENGTH);
        final RegistrationException refused = assertThrows(RegistrationException.class,
            () -> aeron.addExclusivePublication(published, RESPONSE_STREAM_ID));
        assertTrue(refused.getMessage().contains("does not match session-id tag value"), refused.getMessage());

        final ExclusivePublication overIpc = publication(TransportContext.IPC_CHANNEL);
        final Responses ipc = ipc();
        offerConnect(overIpc, 1, channel);
        offerConnect(overIpc, 2, "aeron:ipc?session-id=tag:" + (tag + 1));
        offerConnect(overIpc, 3, "aeron:ipc?session-id=x");
        connect(overIpc, 4, ipc);

        assertEquals(1, counters().sessionsOpened.get(), "only the Connect naming plain IPC opened a session");
        assertEquals(3, counters().connectsRefused.get());
        assertEquals(0, counters().connectTimeouts.get());
    }

    /** A session-id that is a number is the client's to choose, as before. */
    @Test
    void shouldOpenAConnectNamingASessionIdThatIsANumber()
    {
        launch(true);
        final ExclusivePublication fromLoopback = publication("aeron:udp?endpoint=localhost:" + udpPort);
        final Responses numbered = responses(
            aeron.addSubscription(TransportContext.IPC_CHANNEL, IPC_RESPONSE_STREAM_ID),
            TransportContext.IPC_CHANNEL + "?session-id=424242");

        connect(fromLoopback, 1, numbered);
        assertEquals(424_242, numbered.subscription.imageAtIndex(0).sessionId());
        assertEquals(0, counters().connectsRefused.get());
    }

    private void launch(final boolean responseHostCheck)
    {
        dir = TestNode.tempDir();
        udpPort = TransportTest.freeUdpPort();
        transport = NodeTransport.launch(new TransportContext()
            .dir(dir)
            .ingressChannel("aeron:udp?endpoint=0.0.0.0:" + udpPort)
            .ipcIngress(true)
            .responseHostCheck(responseHostCheck)
            .chainId(TestFrames.CHAIN_ID), (buffer, offset, length, clientId) -> TransactionSink.ACCEPTED,
            TransportCounters.inMemory());
        ingress = (IngressAgent)transport.ingressAgent();
        egress = (EgressPublisher)transport.egressAgent();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(transport.aeronDirectoryName()));
    }

    /** @return an IPv4 address of this machine that is not loopback; the test is skipped on a machine without one. */
    static String machineAddress()
    {
        try
        {
            for (final NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                if (network.isUp() && !network.isLoopback())
                {
                    for (final InetAddress address : Collections.list(network.getInetAddresses()))
                    {
                        if (address instanceof Inet4Address && !address.isLinkLocalAddress())
                        {
                            return address.getHostAddress();
                        }
                    }
                }
            }
        }
        catch (final SocketException ex)
        {
            throw new IllegalStateException(ex);
        }
        assumeTrue(false, "no IPv4 address but loopback on this machine");
        return null;
    }

    private TransportCounters counters()
    {
        return transport.counters();
    }

    private void cycle()
    {
        ingress.doWork();
        egress.doWork();
        for (final Responses response : responses)
        {
            response.subscription.poll(response.handler, 16);
        }
    }

    private ExclusivePublication publication(final String channel)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(
            channel, TransportContext.DEFAULT_INGRESS_STREAM_ID);
        Await.until("publication connected", TIMEOUT_MS, this::cycle, publication::isConnected);
        return publication;
    }

    /** A response subscription on {@code host}, at a port its driver chose. */
    private Responses udp(final String host)
    {
        final Subscription subscription =
            aeron.addSubscription("aeron:udp?endpoint=" + host + ":0", RESPONSE_STREAM_ID);
        final String[] resolved = new String[1];
        Await.until("port bound", TIMEOUT_MS,
            () -> null != (resolved[0] = subscription.tryResolveChannelEndpointPort()));
        return responses(subscription, resolved[0]);
    }

    private Responses ipc()
    {
        return responses(aeron.addSubscription(TransportContext.IPC_CHANNEL, IPC_RESPONSE_STREAM_ID),
            TransportContext.IPC_CHANNEL);
    }

    private Responses responses(final Subscription subscription, final String channel)
    {
        final Responses result = new Responses(subscription, channel);
        responses.add(result);
        return result;
    }

    private void offerConnect(final ExclusivePublication to, final long correlationId, final String channel)
    {
        final byte[] bytes = channel.getBytes(StandardCharsets.US_ASCII);
        final int streamId =
            channel.startsWith(TransportContext.IPC_CHANNEL) ? IPC_RESPONSE_STREAM_ID : RESPONSE_STREAM_ID;
        final ConnectEncoder encoder = new ConnectEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(streamId)
            .putResponseChannel(bytes, 0, bytes.length);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        Await.until("Connect " + correlationId + " offered", TIMEOUT_MS, this::cycle,
            () -> to.offer(send, 0, length) > 0);
    }

    /** Says Connect on {@code to} naming {@code back}'s channel, and runs the node until {@code back} has Connected. */
    private void connect(final ExclusivePublication to, final long correlationId, final Responses back)
    {
        offerConnect(to, correlationId, back.channel);
        Await.until("Connected " + correlationId + " on " + back.channel, TIMEOUT_MS, this::cycle,
            () -> back.connecteds.contains(correlationId));
        assertNotNull(back.subscription.imageAtIndex(0));
        assertTrue(back.subscription.isConnected());
    }

    /** A subscription where the node may answer, and the correlation ids of the Connected it answered there. */
    private static final class Responses
    {
        final Subscription subscription;
        final String channel;
        final List<Long> connecteds = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ConnectedDecoder connected = new ConnectedDecoder();
        final FragmentAssembler handler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            if (ConnectedDecoder.TEMPLATE_ID == header.templateId())
            {
                connected.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
                connecteds.add(connected.correlationId());
            }
        });

        Responses(final Subscription subscription, final String channel)
        {
            this.subscription = subscription;
            this.channel = channel;
        }
    }
}
