package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import io.cmtchain.transport.CmtClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        final int port;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            port = socket.getLocalPort();
        }
        final File log = new File(dir, "client.log");
        final List<String> command = NodeProcess.javaCommand();
        command.add(WaitingClient.class.getName());
        command.add("aeron:udp?endpoint=localhost:" + port);
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try
        {
            final Pattern said = Pattern.compile(PREFIX + "(\\S+)\n");
            Await.until(() -> said.matcher(read(log)).find(), 30_000, () -> "no driver yet:\n" + read(log));
            final Matcher matcher = said.matcher(read(log));
            assertTrue(matcher.find());
            final File driverDirectory = new File(matcher.group(1));
            assertTrue(new File(driverDirectory, "cnc.dat").isFile(), driverDirectory.toString());

            child.toHandle().destroy();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), () -> "still running:\n" + read(log));
            assertFalse(driverDirectory.exists(), driverDirectory + " left behind");
        }
        finally
        {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(final File file)
    {
        try
        {
            return file.exists() ? Files.readString(file.toPath(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
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
            String directory;
            while ((directory = ctx.aeronDirectoryName()) == null || !new File(directory, "cnc.dat").isFile())
            {
                Thread.sleep(10);
            }
            System.out.println(PREFIX + directory);
            System.out.flush();
            connecting.join();
        }
    }
}
