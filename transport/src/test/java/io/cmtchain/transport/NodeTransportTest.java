package io.cmtchain.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeTransportTest
{
    private static final TransactionSink ACCEPT_ALL = (buffer, offset, length, clientId) -> TransactionSink.ACCEPTED;

    @TempDir
    File dir;

    @Test
    void shouldStartOneRunnerAndCloseTheCountersItMadeButNotTheNodes()
    {
        final NodeTransport own = NodeTransport.launch(context("own"), ACCEPT_ALL, null);
        final TransportCounters ownCounters = own.counters();
        try
        {
            assertSame(own, own.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace));
            assertEquals("runner already started", assertThrows(IllegalStateException.class,
                () -> own.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace)).getMessage());
        }
        finally
        {
            own.close();
        }
        assertTrue(ownCounters.framesAccepted.isClosed(), "private counters are freed with the transport");
        assertEquals(0, own.undeliveredAtClose());

        // The node's counters live in its counters file, which the node closes after the transport.
        final TransportCounters nodes = TransportCounters.inMemory();
        NodeTransport.launch(context("node"), ACCEPT_ALL, nodes).close();
        assertFalse(nodes.framesAccepted.isClosed(), "the node's counters are the node's to close");
        nodes.close();
    }

    private TransportContext context(final String name)
    {
        return new TransportContext().dir(new File(dir, name)).chainId(1001).ingressChannel("aeron:ipc");
    }
}
