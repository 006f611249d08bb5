package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.UdpNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals in child JVMs: for the node, one that drains for good after the first (SIGTERM starts the drain, a second
 * SIGTERM forces the exit, status 130, without waiting for it); handlers put back once closed; and {@code cmt loadgen},
 * which stops sending at the first and prints the summary of what it sent.
 */
class ShutdownSignalsTest
{
    private static final String INSTALLED = "handlers installed";
    private static final String DRAINING = "draining for good";
    private static final String FAILED = "failure told during the drain";

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

    @Test
    void shouldNotTakeAFailureDuringTheDrainForASecondSignal() throws Exception
    {
        // The node tells its failure through signal(): during a drain an operator began, that is no forced exit (which
        // would halt before the journal is closed and the failure is reported).
        try (ChildJvm child = ChildJvm.start(new File(dir, "failing.log"), List.of(), Drainer.class.getName(), "fail"))
        {
            Await.until(() -> child.output().contains(INSTALLED), 30_000, () -> "not started:\n" + child.output());
            child.process().toHandle().destroy();
            Await.until(() -> child.output().contains(FAILED), 30_000, () -> "no failure:\n" + child.output());
            assertTrue(child.output().endsWith(DRAINING + "\n" + FAILED + "\n"), child.output());
            assertFalse(child.process().waitFor(1, TimeUnit.SECONDS), "ended by the failure:\n" + child.output());
        }
    }

    @Test
    void shouldLeaveTheJvmItsOwnHandlingOnceClosed() throws Exception
    {
        // A command run in a JVM that goes on (a test's) puts the handlers back: SIGTERM then exits as it always does.
        try (ChildJvm child = ChildJvm.start(new File(dir, "closed.log"), List.of(), Restorer.class.getName()))
        {
            Await.until(() -> child.output().contains(INSTALLED), 30_000, () -> "not started:\n" + child.output());
            assertTrue(child.output().contains(INSTALLED + ": true, then closed"), child.output());
            child.process().toHandle().destroy();
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), () -> "still running:\n" + child.output());
            assertEquals(143, child.process().exitValue(), child.output());
            assertFalse(child.output().contains("draining"), child.output());
        }
    }

    @Test
    void shouldStopALoadgenRunAtTheFirstSignalAndSummariseWhatItSent() throws Exception
    {
        try (Node node = UdpNodes.launch(new File(dir, "node"));
            ChildJvm child = ChildJvm.start(new File(dir, "loadgen.log"), List.of(), CmtMain.class.getName(),
                "loadgen", "--ingress", node.context().transportContext().ingressChannel(), "--count", "3000",
                "--rate", "500", "--seconds", "60", "--senders", "4", "--accounts", "10", "--threads", "1",
                "--warmup", "0"))
        {
            Await.until(() -> child.output().contains("[  1s]"), 60_000, () -> "not sending:\n" + child.output());
            child.process().toHandle().destroy();
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), () -> "still running:\n" + child.output());
            final String text = child.output();
            assertEquals(130, child.process().exitValue(), text);
            assertTrue(text.contains("cmt loadgen: stopping: no more transactions sent; waiting up to 10000 ms for " +
                "the receipts outstanding (signal again to force exit)\n"), text);
            assertTrue(text.contains("\"lost\":0,") && text.contains("\"interrupted\":true,"), text);
            assertTrue(text.contains("loadgen: stopped early, after "), text);
            assertFalse(text.contains("forced exit"), text);
        }
    }

    /** Installs the handlers and closes them again, then waits to be signalled. */
    static final class Restorer
    {
        private Restorer()
        {
        }

        public static void main(final String[] args) throws IOException
        {
            final boolean installed;
            try (ShutdownSignals signals = new ShutdownSignals(System.out).install())
            {
                installed = signals.isInstalled();
            }
            // Only once closed: the test signals as soon as it reads this.
            System.out.println(INSTALLED + ": " + installed + ", then closed");
            System.out.flush();
            untilTheTestLetsGo();
        }
    }

    /**
     * A command that waits for the first signal, then "drains" until it is forced out; with the argument {@code fail},
     * its drain is then told of a node failure the way the node command is.
     */
    static final class Drainer
    {
        private Drainer()
        {
        }

        public static void main(final String[] args) throws InterruptedException, IOException
        {
            final ShutdownSignals signals = new ShutdownSignals(System.out).install();
            System.out.println(INSTALLED + ": " + signals.isInstalled());
            System.out.flush();
            signals.await();
            System.out.println(DRAINING);
            System.out.flush();
            if (args.length > 0 && "fail".equals(args[0]))
            {
                signals.signal();
                System.out.println(FAILED);
                System.out.flush();
            }
            // A drain that does not end: only the second signal ends this JVM.
            untilTheTestLetsGo();
        }
    }

    /**
     * Block until the test's end of this child's standard input closes: when the test JVM exits, so that a child the
     * test lost track of does not outlive it. A signal ends the child before that.
     */
    static void untilTheTestLetsGo() throws IOException
    {
        while (System.in.read() >= 0)
        {
            // The test writes nothing; only the end of the stream matters.
        }
    }
}
