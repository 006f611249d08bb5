package io.cmtchain.pipeline;

import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.Durability;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system properties a {@link NodeContext} starts from and the defaults {@link NodeContext#conclude()} fills in,
 * as its javadoc documents them; and that whatever a caller sets instead is kept.
 */
class NodeContextDefaultsTest
{
    @TempDir
    File dir;

    private final List<String> properties = new ArrayList<>();

    private void property(final String name, final String value)
    {
        properties.add(name);
        System.setProperty(name, value);
    }

    @AfterEach
    void clearProperties()
    {
        properties.forEach(System::clearProperty);
    }

    private NodeContext context()
    {
        return new NodeContext().dataDir(dir);
    }

    private IllegalArgumentException rejected(final NodeContext ctx)
    {
        return assertThrows(IllegalArgumentException.class, ctx::conclude);
    }

    private String withoutDpos()
    {
        return DevnetGenesis.jsonWithoutDpos(3);
    }

    @Test
    void shouldStartFromTheDocumentedDefaultsWhenNoPropertyIsSet()
    {
        final NodeContext ctx = new NodeContext();
        assertEquals(NodeContext.defaultDataDir(), ctx.dataDir());
        assertNull(ctx.genesisFile());
        assertEquals(NodeContext.RING_SIZE_DEFAULT, ctx.ringSize());
        assertEquals(NodeContext.VERIFY_BATCH_SIZE_DEFAULT, ctx.verifyBatchSize());
        assertEquals(NodeContext.defaultVerifierThreads(), ctx.verifierThreads());
        assertEquals(NodeContext.VERIFY_WARMUP_BATCHES_DEFAULT, ctx.verifyWarmupBatches());
        assertEquals(NodeContext.VERIFY_KEY_CACHE_SIZE_DEFAULT, ctx.verifyKeyCacheSize());
        assertEquals("zip215", ctx.sigverify());
        assertEquals("chronicle", ctx.journal());
        assertEquals(Durability.PROCESS, ctx.durability());
        assertEquals(NodeContext.SNAPSHOT_INTERVAL_BLOCKS_DEFAULT, ctx.snapshotIntervalBlocks());
        assertEquals(NodeContext.SNAPSHOTS_KEPT_DEFAULT, ctx.snapshotsKept());
        assertEquals(NodeContext.BLOCK_MAX_TXS_DEFAULT, ctx.blockMaxTxs());
        assertEquals(NodeContext.BLOCK_INTERVAL_MS_DEFAULT, ctx.blockIntervalMs());
        assertEquals(NodeContext.DEDUPE_WINDOW_DEFAULT, ctx.dedupeWindow());
        assertEquals(NodeContext.defaultThreadingMode(), ctx.threadingMode());
        assertEquals(NodeContext.DRAIN_TIMEOUT_MS_DEFAULT, ctx.drainTimeoutMs());
        assertSame(CpuAffinity.NONE, ctx.cpuAffinity());
        assertFalse(ctx.isConcluded());
    }

    @Test
    void shouldFillInTheDocumentedDefaultsAtConclude()
    {
        final NodeContext ctx = context().conclude();
        assertTrue(ctx.isConcluded());
        assertInstanceOf(BusySpinIdleStrategy.class, ctx.dedicatedIdleStrategy().get());
        assertInstanceOf(SleepingIdleStrategy.class, ctx.sharedIdleStrategy().get());
        assertSame(CpuAffinity.NONE, ctx.cpuAffinity());
        assertEquals(DevnetGenesis.json(), ctx.genesisJson());
        assertInstanceOf(ReferenceExecutor.class, ctx.blockExecutor());
        assertNull(ctx.blockJournal(), "the node opens the data directory's Chronicle journal itself");
        assertNotNull(ctx.receiptSink());
        assertInstanceOf(DposProposerSchedule.class, ctx.proposerSchedule());
        assertEquals(List.of(), ctx.validatorKeyFiles());
        assertEquals(4, ctx.blockSigner().keyCount(), "the four devnet validators' keys");
        assertSame(SystemEpochClock.INSTANCE, ctx.epochClock());
        assertNotNull(ctx.errorHandler());
        assertNotNull(ctx.log());
        assertTrue(ctx.dataDir().isDirectory());
    }

    @Test
    void shouldPickVerifierThreadsAndThreadingModeByProcessorCount()
    {
        final int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(processors <= 4 ? processors : processors / 2, NodeContext.defaultVerifierThreads());
        assertEquals(processors <= 4 ? ThreadingMode.SHARED : ThreadingMode.DEDICATED,
            NodeContext.defaultThreadingMode());
        assertEquals(NodeContext.defaultThreadingMode(), context().threadingMode(null).conclude().threadingMode());
    }

    @Test
    void shouldPutTheDefaultDataDirectoryUnderTmpdirUnlessThePropertyNamesOne()
    {
        final File expected = new File(System.getProperty("java.io.tmpdir"), "cmt-" + System.getProperty("user.name"));
        assertEquals(expected, NodeContext.defaultDataDir());
        assertEquals(expected, NodeContext.configuredDataDir());
        property(NodeContext.DATA_DIR_PROP, dir.getPath());
        assertEquals(dir, NodeContext.configuredDataDir());
        assertEquals(dir, new NodeContext().dataDir());
    }

    @Test
    void shouldReadEverySettingFromItsProperty()
    {
        final File genesis = new File(dir, "genesis.json");
        property(NodeContext.GENESIS_FILE_PROP, genesis.getPath());
        property(NodeContext.RING_SIZE_PROP, " 16_384 ");
        property(NodeContext.VERIFY_BATCH_SIZE_PROP, "64");
        property(NodeContext.VERIFIER_THREADS_PROP, "3");
        property(NodeContext.VERIFY_WARMUP_BATCHES_PROP, "7");
        property(NodeContext.VERIFY_KEY_CACHE_SIZE_PROP, "1_000");
        property(NodeContext.SIGVERIFY_PROP, "bouncycastle");
        property(NodeContext.JOURNAL_PROP, "memory");
        property(NodeContext.DURABILITY_PROP, " power ");
        property(NodeContext.SNAPSHOT_INTERVAL_BLOCKS_PROP, "5_000_000_000");
        property(NodeContext.SNAPSHOTS_KEPT_PROP, "4");
        property(NodeContext.BLOCK_MAX_TXS_PROP, "100");
        property(NodeContext.BLOCK_INTERVAL_MS_PROP, " 25 ");
        property(NodeContext.DEDUPE_WINDOW_PROP, "1024");
        property(NodeContext.THREADING_MODE_PROP, " invoker ");
        property(NodeContext.DRAIN_TIMEOUT_MS_PROP, "1_500");
        final NodeContext ctx = new NodeContext();
        assertEquals(genesis, ctx.genesisFile());
        assertEquals(16384, ctx.ringSize());
        assertEquals(64, ctx.verifyBatchSize());
        assertEquals(3, ctx.verifierThreads());
        assertEquals(7, ctx.verifyWarmupBatches());
        assertEquals(1000, ctx.verifyKeyCacheSize());
        assertEquals("bouncycastle", ctx.sigverify());
        assertEquals("memory", ctx.journal());
        assertEquals(Durability.POWER, ctx.durability());
        assertEquals(5_000_000_000L, ctx.snapshotIntervalBlocks());
        assertEquals(4, ctx.snapshotsKept());
        assertEquals(100, ctx.blockMaxTxs());
        assertEquals(25, ctx.blockIntervalMs());
        assertEquals(1024, ctx.dedupeWindow());
        assertEquals(ThreadingMode.INVOKER, ctx.threadingMode());
        assertEquals(1500, ctx.drainTimeoutMs());
    }

    @Test
    void shouldRejectAPropertyThatIsNoIntegerNamingIt()
    {
        property(NodeContext.RING_SIZE_PROP, "32k");
        assertEquals(NodeContext.RING_SIZE_PROP + " must be an integer, was 32k",
            assertThrows(IllegalArgumentException.class, NodeContext::new).getMessage());
        System.clearProperty(NodeContext.RING_SIZE_PROP);
        property(NodeContext.BLOCK_INTERVAL_MS_PROP, "20ms");
        assertEquals(NodeContext.BLOCK_INTERVAL_MS_PROP + " must be an integer, was 20ms",
            assertThrows(IllegalArgumentException.class, NodeContext::new).getMessage());
        System.clearProperty(NodeContext.BLOCK_INTERVAL_MS_PROP);
        property(NodeContext.THREADING_MODE_PROP, "threads");
        assertEquals(NodeContext.THREADING_MODE_PROP + " must be DEDICATED, SHARED or INVOKER, was threads",
            assertThrows(IllegalArgumentException.class, NodeContext::new).getMessage());
    }

    @Test
    void shouldMapEachIdleStrategyName()
    {
        assertIdleStrategy("busy-spin", BusySpinIdleStrategy.class);
        assertIdleStrategy("yield", YieldingIdleStrategy.class);
        assertIdleStrategy("backoff", BackoffIdleStrategy.class);
        assertIdleStrategy("noop", NoOpIdleStrategy.class);
        assertIdleStrategy("sleep", SleepingIdleStrategy.class);
    }

    private void assertIdleStrategy(final String name, final Class<? extends IdleStrategy> type)
    {
        property(NodeContext.DEDICATED_IDLE_PROP, name);
        property(NodeContext.SHARED_IDLE_PROP, name);
        final NodeContext ctx = context().conclude();
        assertInstanceOf(type, ctx.dedicatedIdleStrategy().get(), name);
        assertInstanceOf(type, ctx.sharedIdleStrategy().get(), name);
    }

    @Test
    void shouldRejectAnUnknownIdleStrategyNamingItsPropertyUnlessOneIsGiven()
    {
        property(NodeContext.DEDICATED_IDLE_PROP, "spin");
        assertEquals(NodeContext.DEDICATED_IDLE_PROP + " must be sleep, backoff, yield, busy-spin or noop, was spin",
            rejected(context()).getMessage());
        System.clearProperty(NodeContext.DEDICATED_IDLE_PROP);
        property(NodeContext.SHARED_IDLE_PROP, "nap");
        assertEquals(NodeContext.SHARED_IDLE_PROP + " must be sleep, backoff, yield, busy-spin or noop, was nap",
            rejected(context()).getMessage());
        property(NodeContext.DEDICATED_IDLE_PROP, "spin");
        final Supplier<IdleStrategy> dedicated = BusySpinIdleStrategy::new;
        final Supplier<IdleStrategy> shared = NoOpIdleStrategy::new;
        final NodeContext ctx = context().dedicatedIdleStrategy(dedicated).sharedIdleStrategy(shared).conclude();
        assertSame(dedicated, ctx.dedicatedIdleStrategy());
        assertSame(shared, ctx.sharedIdleStrategy());
    }

    @Test
    void shouldMapEachSignatureVerifierUnlessAFactoryIsGiven()
    {
        assertInstanceOf(BouncyCastleBatchVerifier.class,
            context().sigverify("bouncycastle").conclude().verifierFactory().get());
        assertInstanceOf(PassThroughBatchVerifier.class,
            context().sigverify("none").conclude().verifierFactory().get());
        final Supplier<SignatureBatchVerifier> factory = PassThroughBatchVerifier::new;
        assertSame(factory, context().sigverify("unknown").verifierFactory(factory).conclude().verifierFactory());
    }

    @Test
    void shouldReadTheGenesisFileUnlessGenesisJsonIsGiven() throws Exception
    {
        // Not the data directory's own genesis.json, which conclude() would read anyway.
        final File file = new File(dir, "chain.json");
        Files.writeString(file.toPath(), withoutDpos(), StandardCharsets.UTF_8);
        final NodeContext ctx = context().genesisFile(file).conclude();
        assertEquals(withoutDpos(), ctx.genesisJson());
        assertNull(ctx.genesis().dpos());
        assertInstanceOf(RoundRobinProposerSchedule.class, ctx.proposerSchedule());
        assertNull(ctx.blockSigner(), "no DPoS, no block signing");
        final File missing = new File(dir, "missing.json");
        final String json = DevnetGenesis.jsonWithAccounts(5);
        assertEquals(json, context().genesisFile(missing).genesisJson(json).conclude().genesisJson());
    }

    @Test
    void shouldContinueTheGenesisStoredInTheDataDirectory()
    {
        new DataDirectory(dir.toPath()).writeGenesis(withoutDpos());
        final NodeContext ctx = context().conclude();
        assertEquals(withoutDpos(), ctx.genesisJson());
        assertEquals(3, ctx.genesis().devnetAccounts());
    }

    @Test
    void shouldNeedGenesisJsonOnlyForAJournalOnDisk()
    {
        final Genesis genesis = Genesis.parse(withoutDpos());
        assertEquals("a node with a journal on disk needs its genesis as JSON (genesisJson or genesisFile), to store " +
            "it in the data directory", rejected(context().genesis(genesis)).getMessage());
        final NodeContext memory = context().journal("memory").genesis(genesis).conclude();
        assertSame(genesis, memory.genesis());
        assertNull(memory.genesisJson());
        assertInstanceOf(InMemoryBlockJournal.class, memory.blockJournal());
        final BlockJournal journal = new InMemoryBlockJournal();
        assertSame(journal, context().genesis(genesis).blockJournal(journal).conclude().blockJournal());
    }

    @Test
    void shouldKeepEverySeamTheCallerSets()
    {
        final BlockExecutor executor = new ReferenceExecutor();
        final ReceiptSink sink = (clientId, txHash, hashOffset, status, blockHeight, feeCharged) -> {};
        final ProposerSchedule schedule = new DposProposerSchedule();
        final CachedEpochClock clock = new CachedEpochClock();
        final ErrorHandler errorHandler = Throwable::printStackTrace;
        final Consumer<String> log = line -> {};
        final BlockSigner signer = BlockSigner.devnet(DevnetGenesis.genesis());
        final TransportContext transport = new TransportContext();
        final Function<TransactionSink, AutoCloseable> ingress = transactions -> () -> {};
        final NodeContext ctx = context().blockExecutor(executor).receiptSink(sink).proposerSchedule(schedule)
            .epochClock(clock).errorHandler(errorHandler).log(log).blockSigner(signer).transportContext(transport)
            .ingressStarter(ingress).conclude();
        assertSame(transport, ctx.transportContext());
        assertSame(ingress, ctx.ingressStarter());
        assertSame(executor, ctx.blockExecutor());
        assertSame(sink, ctx.receiptSink());
        assertSame(schedule, ctx.proposerSchedule());
        assertSame(clock, ctx.epochClock());
        assertSame(errorHandler, ctx.errorHandler());
        assertSame(log, ctx.log());
        assertSame(signer, ctx.blockSigner());
    }

    @Test
    void shouldReadValidatorKeyFilesFromTheCommaSeparatedProperty()
    {
        property(NodeContext.VALIDATOR_KEYS_PROP, " a.key , ,b.key,");
        final NodeContext ctx = context().genesisJson(withoutDpos());
        assertEquals(NodeContext.VALIDATOR_KEYS_PROP + ": validator keys sign DPoS blocks, but the genesis has no " +
            "\"dpos\" section", rejected(ctx).getMessage());
        assertEquals(List.of(new File("a.key"), new File("b.key")), ctx.validatorKeyFiles());
    }

    @Test
    void shouldSignWithTheGivenValidatorKeyFilesButNotAlsoABlockSigner()
    {
        final File first = new File(dir, "first.key");
        final File second = new File(dir, "second.key");
        ValidatorKeyFile.write(first, ValidatorKeyFile.generate());
        ValidatorKeyFile.write(second, ValidatorKeyFile.generate());
        assertEquals(2, context().validatorKeyFiles(List.of(first, second)).conclude().blockSigner().keyCount());
        final NodeContext both = context().validatorKeyFiles(List.of(first))
            .blockSigner(BlockSigner.devnet(DevnetGenesis.genesis()));
        assertEquals(NodeContext.VALIDATOR_KEYS_PROP + ": give validator key files or a blockSigner, not both",
            rejected(both).getMessage());
    }
}
