package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import io.cmtchain.pipeline.UdpNodes;
import io.cmtchain.transport.CmtClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client with its own embedded media driver, in a JVM stopped by a signal while it waits for a node (Ctrl-C on
 * {@code cmt account} with no node answering): the driver's directory, tens of megabytes of mapped files in /dev/shm,
 * is deleted as the JVM exits, not left until the machine restarts.
 */
class ClientDriverDirectoryTest
{
    private static final String PREFIX = "driver directory: ";

    @TempDir
    File dir;

    @Test
    void shouldDeleteTheEmbeddedDriversDirectoryWhenTheJvmIsStoppedWithTheClientOpen() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(new File(dir, "client.log"), List.of(), WaitingClient.class.getName(),
            "aeron:udp?endpoint=localhost:" + UdpNodes.freePort()))
        {
            final Pattern said = Pattern.compile(PREFIX + "(\\S+)\n");
            Await.until(() -> said.matcher(child.output()).find(), 30_000, () -> "no driver yet:\n" + child.output());
            final Matcher matcher = said.matcher(child.output());
            assertTrue(matcher.find());
            final File driverDirectory = new File(matcher.group(1));
            assertTrue(new File(driverDirectory, "cnc.dat").isFile(), driverDirectory.toString());

            child.process().toHandle().destroy();
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), () -> "still running:\n" + child.output());
            assertFalse(driverDirectory.exists(), driverDirectory + " left behind");
        }
    }

    /** Connects to a node that never answers, says where its driver is, and waits to be stopped. */
    static final class WaitingClient
    {
        private WaitingClient()
        {
        }

        public static void main(final String[] args) throws InterruptedException
        {
            final CmtClient.Context ctx = new CmtClient.Context().embeddedDriver(true).ingressChannel(args[0])
                .connectTimeoutNs(TimeUnit.MINUTES.toNanos(5));
            final Thread connecting = new Thread(() -> CmtClient.connect(ctx), "connecting");
            connecting.setDaemon(true);
            connecting.start();
            // The client sets the directory of the driver it launches in its context before it waits for the node.
            Await.until(() -> ctx.aeronDirectoryName() != null && new File(ctx.aeronDirectoryName(), "cnc.dat")
                .isFile(), 30_000, () -> "no driver launched");
            System.out.println(PREFIX + ctx.aeronDirectoryName());
            System.out.flush();
            connecting.join();
        }
    }
}
