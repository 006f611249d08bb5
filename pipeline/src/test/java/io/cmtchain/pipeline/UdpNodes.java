package io.cmtchain.pipeline;

import io.cmtchain.transport.TransportContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Loopback UDP ports, and a small node listening on one, for tests that start a node with its Aeron transport.
 */
public final class UdpNodes
{
    private UdpNodes()
    {
    }

    /**
     * @param dataDir a fresh data directory.
     * @return a node on a devnet of 4 funded accounts, one verifier thread, its ingress on a free loopback UDP port
     *         ({@code node.context().transportContext().ingressChannel()}).
     */
    public static Node launch(final File dataDir)
    {
        return Node.launch(new NodeContext()
            .dataDir(dataDir)
            .genesisJson(DevnetGenesis.jsonWithAccounts(4))
            .verifierThreads(1)
            .log(line -> { })
            .transportContext(new TransportContext().ingressChannel("aeron:udp?endpoint=localhost:" + freePort())));
    }

    /** @return a UDP port on the loopback address that was free a moment ago. */
    public static int freePort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
