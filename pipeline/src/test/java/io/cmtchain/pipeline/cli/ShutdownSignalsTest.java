package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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
        try (ChildJvm child = ChildJvm.start(new File(dir, "child.log"), List.of(), Drainer.class.getName()))
        {
            Await.until(() -> child.output().contains(INSTALLED), 30_000, () -> "not started:\n" + child.output());
            assertTrue(child.output().contains(INSTALLED + ": true"), child.output());

            child.process().toHandle().destroy();
            Await.until(() -> child.output().contains(DRAINING), 30_000, () -> "no drain:\n" + child.output());
            assertTrue(child.output().contains("cmt: shutting down: draining accepted transactions to receipts " +
                "(signal again to force exit)\n" + DRAINING), child.output());
            assertTrue(child.process().isAlive(), "exited at the first signal:\n" + child.output());

            child.process().toHandle().destroy();
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS),
                () -> "the second signal did not end it:\n" + child.output());
            assertEquals(130, child.process().exitValue(), child.output());
            assertTrue(child.output().endsWith(DRAINING + "\ncmt: forced exit\n"), child.output());
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
            // A drain that does not end: only the second signal ends this JVM. Not a wait for a condition; bounded so
            // that a child the test lost track of still exits by itself.
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
