package io.cmtchain.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Loopback UDP ports for tests that start a node with its Aeron transport.
 */
public final class FreePorts
{
    private FreePorts()
    {
    }

    /** @return a UDP port on the loopback address that was free a moment ago. */
    public static int udp()
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
