package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.UdpNodes;
import io.cmtchain.transport.TransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code cmt node} in a child JVM, as the demo and the crash tests start it. */
class NodeProcessTest
{
    @TempDir
    File dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldWaitUntilReadyWhenTheTimeoutIsUnbounded() throws InterruptedException
    {
        final ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (NodeProcess node = NodeProcess.start(new File(dir, "data"), Map.of(
            TransportContext.INGRESS_CHANNEL_PROP, "aeron:udp?endpoint=localhost:" + UdpNodes.freePort(),
            NodeContext.THREADING_MODE_PROP, "SHARED"), List.of("-Xmx512m"), "node| ",
            new PrintStream(shown, true, StandardCharsets.UTF_8), line -> true))
        {
            // Long.MAX_VALUE ms: start + timeout would overflow, and the wait would end at its first check.
            assertTrue(node.awaitReady(Long.MAX_VALUE), node::tail);
            assertTrue(node.tail().contains(NodeCommand.READY), node::tail);
            assertEquals(0, node.stop(60_000), node::tail);
        }
    }
}
