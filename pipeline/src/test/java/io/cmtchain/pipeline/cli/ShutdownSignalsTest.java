package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's signals in a child JVM that drains for good after the first: SIGTERM starts the drain, a second SIGTERM
 * forces the exit (status 130) without waiting for it.
 */
class ShutdownSignalsTest
{
    private static final String INSTALLED = "handlers installed";
    private static final String DRAINING = "draining for good";

    @TempDir
    File dir;

    @Test
    void shouldDrainAtTheFirstSignalAndHaltAtTheSecond() throws Exception
    {
        final File log = new File(dir, "child.log");
        final List<String> command = NodeProcess.javaCommand();
        command.add(Drainer.class.getName());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try
        {
            Await.until(() -> read(log).contains(INSTALLED), 30_000, () -> "not started:\n" + read(log));
            assertTrue(read(log).contains(INSTALLED + ": true"), read(log));

            child.toHandle().destroy();
            Await.until(() -> read(log).contains(DRAINING), 30_000, () -> "no drain:\n" + read(log));
            assertTrue(read(log).contains("cmt: shutting down: draining accepted transactions to receipts (signal " +
                "again to force exit)\n" + DRAINING), read(log));
            assertTrue(child.isAlive(), "exited at the first signal:\n" + read(log));

            child.toHandle().destroy();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), () -> "the second signal did not end it:\n" + read(log));
            assertEquals(130, child.exitValue(), read(log));
            assertTrue(read(log).endsWith(DRAINING + "\ncmt: forced exit\n"), read(log));
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

    /** A command that waits for the first signal, then "drains" until it is forced out. */
    static final class Drainer
    {
        private Drainer()
        {
        }

        public static void main(final String[] args) throws InterruptedException
        {
            final ShutdownSignals signals = new ShutdownSignals(System.out).install();
            System.out.println(INSTALLED + ": " + signals.isInstalled());
            System.out.flush();
            signals.await();
            System.out.println(DRAINING);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
