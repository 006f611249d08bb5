package io.cmtchain.pipeline;

import io.cmtchain.transport.TransportContext;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.BitSet;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each numeric setting {@link NodeContext#conclude()} checks, at both ends of its range: the last value accepted is
 * kept, the first one refused is refused with a message an operator can act on (the property and the bad value).
 */
class NodeContextValidationTest
{
    @TempDir
    File dir;

    private NodeContext context()
    {
        return new NodeContext().dataDir(dir);
    }

    private NodeContext accepted(final UnaryOperator<NodeContext> settings)
    {
        final NodeContext ctx = settings.apply(context());
        assertSame(ctx, ctx.conclude());
        return ctx;
    }

    private void assertRejected(final String message, final UnaryOperator<NodeContext> settings)
    {
        final NodeContext ctx = settings.apply(context());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertEquals(message, ex.getMessage());
    }

    @Test
    void shouldAcceptARingOf16SlotsAndRejectOneOf8()
    {
        assertEquals(16, accepted(c -> c.ringSize(16).blockMaxTxs(8).verifyBatchSize(16)).ringSize());
        assertRejected(NodeContext.RING_SIZE_PROP + " must be a power of two >= 16, was 8",
            c -> c.ringSize(8).blockMaxTxs(4).verifyBatchSize(8));
        assertRejected(NodeContext.RING_SIZE_PROP + " must be a power of two >= 16, was 0", c -> c.ringSize(0));
    }

    @Test
    void shouldAcceptBlocksOfOneTransactionUpToHalfTheRing()
    {
        assertEquals(1, accepted(c -> c.ringSize(1024).blockMaxTxs(1)).blockMaxTxs());
        assertEquals(512, accepted(c -> c.ringSize(1024).blockMaxTxs(512)).blockMaxTxs());
        final String range = NodeContext.BLOCK_MAX_TXS_PROP +
            " must be in 1..512 (half the ring, so a block being built never starves ingress), was ";
        assertRejected(range + 513, c -> c.ringSize(1024).blockMaxTxs(513));
        assertRejected(range + 0, c -> c.ringSize(1024).blockMaxTxs(0));
    }

    @Test
    void shouldAcceptABlockIntervalOfOneMillisecond()
    {
        assertEquals(1, accepted(c -> c.blockIntervalMs(1)).blockIntervalMs());
        assertRejected(NodeContext.BLOCK_INTERVAL_MS_PROP + " must be >= 1, was 0", c -> c.blockIntervalMs(0));
    }

    @Test
    void shouldAcceptVerifyBatchesOfOneUpToTheRing()
    {
        // 8192 slots: the smallest ring the default block size (4096, half the ring) fits.
        assertEquals(1, accepted(c -> c.ringSize(8192).verifyBatchSize(1)).verifyBatchSize());
        assertEquals(8192, accepted(c -> c.ringSize(8192).verifyBatchSize(8192)).verifyBatchSize());
        final String range = NodeContext.VERIFY_BATCH_SIZE_PROP + " must be in 1..8192, was ";
        assertRejected(range + 8193, c -> c.ringSize(8192).verifyBatchSize(8193));
        assertRejected(range + 0, c -> c.ringSize(8192).verifyBatchSize(0));
    }

    @Test
    void shouldAcceptOneToSixtyFourVerifierThreads()
    {
        assertEquals(1, accepted(c -> c.verifierThreads(1)).verifierThreads());
        assertEquals(64, accepted(c -> c.verifierThreads(NodeContext.MAX_VERIFIER_THREADS)).verifierThreads());
        final String range = NodeContext.VERIFIER_THREADS_PROP + " must be in 1..64, was ";
        assertRejected(range + 65, c -> c.verifierThreads(65));
        assertRejected(range + 0, c -> c.verifierThreads(0));
    }

    @Test
    void shouldAcceptADedupeWindowThatIsAPowerOfTwoUpToTheLargest()
    {
        final int max = RecentTxHashes.MAX_CAPACITY;
        assertEquals(max, accepted(c -> c.dedupeWindow(max)).dedupeWindow());
        assertEquals(1, accepted(c -> c.dedupeWindow(1)).dedupeWindow());
        final String bad = NodeContext.DEDUPE_WINDOW_PROP + " must be a power of two up to " + max + ", was ";
        assertRejected(bad + (max * 2), c -> c.dedupeWindow(max * 2));
        assertRejected(bad + 3000, c -> c.dedupeWindow(3000));
    }

    @Test
    void shouldAcceptADrainTimeoutOfOneMillisecond()
    {
        assertEquals(1, accepted(c -> c.drainTimeoutMs(1)).drainTimeoutMs());
        assertRejected(NodeContext.DRAIN_TIMEOUT_MS_PROP + " must be >= 1, was 0", c -> c.drainTimeoutMs(0));
    }

    @Test
    void shouldAcceptZeroWarmupBatchesKeyCacheEntriesAndSnapshotInterval()
    {
        final NodeContext ctx = accepted(c -> c.verifyWarmupBatches(0).verifyKeyCacheSize(0).snapshotIntervalBlocks(0));
        assertEquals(0, ctx.verifyWarmupBatches());
        assertEquals(0, ctx.verifyKeyCacheSize());
        assertEquals(0, ctx.snapshotIntervalBlocks());
        assertRejected(NodeContext.VERIFY_WARMUP_BATCHES_PROP + " must be >= 0, was -1",
            c -> c.verifyWarmupBatches(-1));
        assertRejected(NodeContext.VERIFY_KEY_CACHE_SIZE_PROP + " must be 0 to 67108864, was -1",
            c -> c.verifyKeyCacheSize(-1));
        // The batch verifier's most is taken (conclude() builds no verifier); past it, refused at conclude(), naming
        // the property, not at the verifier's build.
        assertEquals(67_108_864, accepted(c -> c.verifyKeyCacheSize(67_108_864)).verifyKeyCacheSize());
        assertRejected(NodeContext.VERIFY_KEY_CACHE_SIZE_PROP + " must be 0 to 67108864, was 67108865",
            c -> c.verifyKeyCacheSize(67_108_865));
        assertRejected(NodeContext.SNAPSHOT_INTERVAL_BLOCKS_PROP + " must be >= 0, was -1",
            c -> c.snapshotIntervalBlocks(-1));
    }

    @Test
    void shouldKeepAtLeastOneSnapshot()
    {
        assertEquals(1, accepted(c -> c.snapshotsKept(1)).snapshotsKept());
        assertRejected(NodeContext.SNAPSHOTS_KEPT_PROP + " must be >= 1, was 0", c -> c.snapshotsKept(0));
    }

    @Test
    void shouldRejectAMissingDataDirectoryOrDurability()
    {
        assertRejected("no data directory", c -> c.dataDir(null));
        // cmt.data.dir set to nothing: not the working directory.
        assertRejected(NodeContext.DATA_DIR_PROP + " is an empty path; name a directory (. for the working directory)",
            c -> c.dataDir(new File("")));
        assertRejected(NodeContext.DURABILITY_PROP + " must be PROCESS or POWER", c -> c.durability(null));
    }

    @Test
    void shouldRejectAnUnknownJournalOrSignatureVerifierNamingTheSetting()
    {
        assertRejected(NodeContext.JOURNAL_PROP + " must be chronicle or memory, was disk", c -> c.journal("disk"));
        assertRejected(NodeContext.SIGVERIFY_PROP + " must be zip215, bouncycastle or none, was ed448",
            c -> c.sigverify("ed448"));
    }

    @Test
    void shouldRejectAMalformedCpuAffinityOrOneInTheInvokerMode()
    {
        assertRejected(NodeContext.CPU_AFFINITY_PROP + ": CPU affinity is set, but the INVOKER mode has no " +
            "threads to pin", c -> c.threadingMode(ThreadingMode.INVOKER).cpuAffinity("decode=0"));
        assertRejected(NodeContext.CPU_AFFINITY_PROP + ": CPU affinity entry 'decode' is not stage=cpus " +
            "(e.g. decode=2 or verify=3-6)", c -> c.threadingMode(ThreadingMode.DEDICATED).cpuAffinity("decode"));
    }

    @Test
    void shouldRejectPinningADriverTheNodeDoesNotRun()
    {
        final String driver = NodeContext.CPU_AFFINITY_PROP + ": CPU affinity names 'driver', but this node runs no " +
            "embedded media driver (";
        assertRejected(driver + "it has no Aeron transport)",
            c -> c.threadingMode(ThreadingMode.DEDICATED).cpuAffinity("driver=0"));
        assertRejected(driver + "it connects to an external one: pin that driver's process with taskset)",
            c -> c.threadingMode(ThreadingMode.DEDICATED).cpuAffinity("driver=0")
                .transportContext(new TransportContext().embeddedDriver(false)));
    }

    @Test
    void shouldRejectPinningToACpuTheProcessMayNotRunOn()
    {
        // With JNA: CPU 4095 is outside the process's affinity; without: threads cannot be pinned at all. Either way
        // the node refuses to start rather than run unpinned.
        final NodeContext ctx = context().threadingMode(ThreadingMode.DEDICATED).cpuAffinity("decode=4095");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().startsWith(NodeContext.CPU_AFFINITY_PROP + ":") ||
            ex.getMessage().startsWith(NodeContext.CPU_AFFINITY_PROP + " is set, but threads cannot be pinned here"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("4095") || ex.getMessage().contains("cannot be pinned"), ex.getMessage());
    }

    @Test
    void shouldKeepTheAffinityOfACpuTheProcessMayRunOn()
    {
        assumeTrue(Affinity.isJNAAvailable(), "threads can be pinned only where JNA is available");
        final int cpu = Affinity.getAffinity().nextSetBit(0);
        final BitSet expected = new BitSet();
        expected.set(cpu);
        final NodeContext ctx = accepted(c -> c.threadingMode(ThreadingMode.DEDICATED)
            .cpuAffinity("decode=" + cpu + ";driver=" + cpu)
            .transportContext(new TransportContext().embeddedDriver(true)));
        assertEquals(expected, ctx.cpuAffinity().cpusFor("decode", 0));
        assertEquals(expected, ctx.cpuAffinity().cpusFor(CpuAffinity.DRIVER, 0));
    }
}
