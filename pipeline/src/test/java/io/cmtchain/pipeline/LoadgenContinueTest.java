package io.cmtchain.pipeline;

import io.cmtchain.transport.loadgen.LoadGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator run twice against one node: the second run, with {@code continueFromNode}, asks the node for its
 * senders' next nonce and commits everything, where a plain second run is all duplicates.
 */
class LoadgenContinueTest
{
    private static final int SENDERS = 4;
    private static final int COUNT = 400;

    @TempDir
    File dir;

    @Test
    void shouldContinueASecondRunAtTheNoncesTheNodeReports()
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            assertEquals(COUNT, run(ingress, false, new ByteArrayOutputStream()).committed);

            final ByteArrayOutputStream again = new ByteArrayOutputStream();
            final LoadGenerator.Summary replayed = run(ingress, false, again);
            assertEquals(0, replayed.committed);
            assertTrue(again.toString(StandardCharsets.UTF_8).contains(
                "loadgen: warning: no transaction was committed"), again::toString);

            final ByteArrayOutputStream continued = new ByteArrayOutputStream();
            final LoadGenerator.Summary next = run(ingress, true, continued);
            assertEquals(COUNT, next.committed, continued::toString);
            assertEquals(0, next.rejected + next.lost);
            assertTrue(continued.toString(StandardCharsets.UTF_8).contains("senders' next nonce is " + COUNT / SENDERS),
                continued::toString);
        }
    }

    private LoadGenerator.Summary run(
        final String ingress, final boolean continueFromNode, final ByteArrayOutputStream out)
    {
        return LoadGenerator.run(new LoadGenerator.Config()
            .count(COUNT)
            .rate(0)
            .seconds(30)
            .senders(SENDERS)
            .accounts(100)
            .signingThreads(1)
            .ingressChannel(ingress)
            .continueFromNode(continueFromNode), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
