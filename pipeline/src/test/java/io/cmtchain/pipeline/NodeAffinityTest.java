package io.cmtchain.pipeline;

import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.TransportContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stage threads pinned with {@code cmt.cpu.affinity}: the kernel's view of each thread
 * ({@code /proc/self/task/N/status}, {@code Cpus_allowed_list}) must be the mask the spec gives it, and the pinned node
 * must still receipt transactions.
 */
class NodeAffinityTest
{
    @TempDir
    File dir;

    private int first;
    private int last;

    @BeforeEach
    void cpus() throws IOException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only: reads /proc");
        final BitSet allowed = CpuAffinity.parseList(statusLine(Path.of("/proc/self/status")));
        first = allowed.nextSetBit(0);
        last = allowed.length() - 1;
    }

    @Test
    void shouldPinEachDedicatedStageThreadAndOneVerifierPerCpu() throws Exception
    {
        final String spec = "decode=" + first + ";verify=" + first + "," + last + ";execute=" + last + ";journal=" +
            first + "," + last;
        try (TestNode node = new TestNode(ThreadingMode.DEDICATED, spec))
        {
            node.commit(2_000);
            final Map<String, String> masks = threadMasks();
            assertEquals(String.valueOf(first), masks.get("cmt-decode"), masks.toString());
            assertEquals(String.valueOf(first), masks.get("cmt-verify-0"), masks.toString());
            assertEquals(String.valueOf(last), masks.get("cmt-verify-1"), masks.toString());
            assertEquals(String.valueOf(last), masks.get("cmt-execute"), masks.toString());
            final BitSet journalCpus = new BitSet();
            journalCpus.set(first);
            journalCpus.set(last);
            assertEquals(CpuAffinity.list(journalCpus), masks.get("cmt-journal"), masks.toString());
            // Not named: left where the process may run.
            assertEquals(statusLine(Path.of("/proc/self/status")), masks.get("cmt-ordering"), masks.toString());
        }
    }

    @Test
    void shouldPinTheSharedThreadAndTheVerifiers() throws Exception
    {
        try (TestNode node = new TestNode(ThreadingMode.SHARED, "shared=" + last + ";verify=" + first))
        {
            node.commit(2_000);
            final Map<String, String> masks = threadMasks();
            assertEquals(String.valueOf(last), masks.get("[cmt-decode,cmt"), masks.toString());
            assertEquals(String.valueOf(first), masks.get("cmt-verify-0"), masks.toString());
            assertEquals(String.valueOf(first), masks.get("cmt-verify-1"), masks.toString());
        }
    }

    @Test
    void shouldRefuseACpuTheProcessMayNotRunOnBeforeStartingAnything()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new TestNode(ThreadingMode.DEDICATED, "decode=" + (last + 1)).close());
        assertTrue(ex.getMessage().startsWith(NodeContext.CPU_AFFINITY_PROP + ": CPU affinity of 'decode' names " +
            "CPU(s) " + (last + 1) + ", but this process may only run on "), ex.getMessage());
    }

    @Test
    void shouldPinEveryThreadOfTheEmbeddedMediaDriver() throws Exception
    {
        // A port of its own: the default one may be a node's that runs on this machine.
        final TransportContext transport = new TransportContext()
            .ingressChannel("aeron:udp?endpoint=localhost:" + UdpNodes.freePort())
            .threadingMode(io.aeron.driver.ThreadingMode.DEDICATED)
            .driverIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000));
        try (Node node = Node.launch(new NodeContext()
            .dataDir(dir)
            .genesisJson(DevnetGenesis.jsonWithAccounts(8))
            .blockJournal(new InMemoryBlockJournal())
            .threadingMode(ThreadingMode.SHARED)
            .verifierThreads(1)
            .log(line -> { })
            .transportContext(transport)
            .cpuAffinity("driver=" + last + ";shared=" + first)))
        {
            // A client's session through the pinned driver: its handshake answers with the chain id.
            try (CmtClient client = CmtClient.connect(new CmtClient.Context()
                .aeronDirectoryName(transport.aeronDirectoryName())
                .ingressChannel("aeron:ipc")
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(20))))
            {
                assertEquals(node.context().genesis().chainId(), client.chainId());
            }
            final Map<String, String> masks = threadMasks();
            for (final String driverThread : new String[]{ "driver-conducto", "sender", "receiver", "aeron-executor" })
            {
                assertEquals(String.valueOf(last), masks.get(driverThread), masks.toString());
            }
            assertEquals(String.valueOf(first), masks.get("[cmt-ingress,cm"), masks.toString());
        }
    }

    @Test
    void shouldRefuseToPinADriverTheNodeDoesNotRun()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new TestNode(ThreadingMode.SHARED, "driver=" + first).close());
        assertEquals(NodeContext.CPU_AFFINITY_PROP + ": CPU affinity names 'driver', but this node runs no embedded " +
            "media driver (it has no Aeron transport)", ex.getMessage());
    }

    private final class TestNode implements AutoCloseable
    {
        private final TestChain chain = new TestChain(8);
        private final AtomicLong receipts = new AtomicLong();
        private final InProcessClient client =
            new InProcessClient((clientId, hash, off, status, height, fee) -> receipts.incrementAndGet());
        private final Node node;

        TestNode(final ThreadingMode mode, final String spec)
        {
            node = client.launch(new NodeContext()
                .dataDir(dir)
                .genesis(chain.genesis)
                .blockJournal(new InMemoryBlockJournal())
                .threadingMode(mode)
                .dedicatedIdleStrategy(() -> new BackoffIdleStrategy(1, 1, 1_000, 1_000_000))
                .sigverify("none")
                .verifierThreads(2)
                .verifyWarmupBatches(0)
                .ringSize(1024)
                .blockMaxTxs(256)
                .blockIntervalMs(2)
                .log(line -> { })
                .cpuAffinity(spec));
        }

        void commit(final int count) throws InterruptedException
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            for (int i = 0; i < count; i++)
            {
                final int length = chain.unsignedTransfer(i % 8, i / 8, frame);
                assertTrue(client.submit(frame, 0, length, i, new BackoffIdleStrategy(1, 1, 1_000, 100_000)));
            }
            Await.until(() -> receipts.get() == count, 30_000, () -> receipts.get() + " of " + count + " receipts");
        }

        @Override
        public void close()
        {
            node.close();
        }
    }

    /** @return each thread's name as the kernel has it (15 characters at most) and its Cpus_allowed_list. */
    private static Map<String, String> threadMasks() throws IOException
    {
        final Map<String, String> masks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    masks.put(Files.readString(task.resolve("comm")).trim(), statusLine(task.resolve("status")));
                }
                catch (final IOException ex)
                {
                    // The thread ended while listing.
                }
            }
        }
        return masks;
    }

    private static String statusLine(final Path status) throws IOException
    {
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("Cpus_allowed_list:"))
            {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        throw new IOException("no Cpus_allowed_list in " + status);
    }
}
