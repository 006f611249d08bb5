package io.cmtchain.pipeline;

import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.util.SystemProperties;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.Durability;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.sigverify.Ed25519BatchVerifier;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.loadgen.FileArguments;
import net.openhft.affinity.Affinity;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Configuration of a {@link Node}, after Aeron's Context pattern: every field starts from a documented system
 * property (or a default), can be set fluently, and {@link #conclude()} validates and fills in defaults once.
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #DATA_DIR_PROP}</td><td>{@code <tmp>/cmt-<user>}</td><td>data directory (counters file)</td></tr>
 *   <tr><td>{@value #GENESIS_FILE_PROP}</td><td>embedded devnet genesis</td><td>genesis JSON file</td></tr>
 *   <tr><td>{@value #RING_SIZE_PROP}</td><td>{@value #RING_SIZE_DEFAULT}</td><td>ring slots, power of two</td></tr>
 *   <tr><td>{@value #VERIFY_BATCH_SIZE_PROP}</td><td>{@value #VERIFY_BATCH_SIZE_DEFAULT}</td>
 *       <td>signatures per verification batch at most</td></tr>
 *   <tr><td>{@value #VERIFIER_THREADS_PROP}</td><td>processors when 4 or fewer (SHARED: the verifiers sleep when
 *       idle, so they take whatever CPU the other stages leave), else processors / 2</td>
 *       <td>signature verifier threads</td></tr>
 *   <tr><td>{@value #VERIFY_WARMUP_BATCHES_PROP}</td><td>{@value #VERIFY_WARMUP_BATCHES_DEFAULT}</td>
 *       <td>batches of throwaway signatures verified at start, so the JIT has compiled the verifier before clients
 *       arrive (0: none)</td></tr>
 *   <tr><td>{@value #VERIFY_KEY_CACHE_SIZE_PROP}</td><td>{@value #VERIFY_KEY_CACHE_SIZE_DEFAULT}</td>
 *       <td>decoded sender keys, with their tables for the batch check, cached per verifier thread (about 1.5 KB per
 *       key seen)</td></tr>
 *   <tr><td>{@value #SIGVERIFY_PROP}</td><td>{@code zip215}</td>
 *       <td>{@code zip215} (batched, {@code sigverify}), {@code bouncycastle} (one at a time, RFC 8032), or
 *       {@code none} to switch signature checks off (benchmarks only)</td></tr>
 *   <tr><td>{@value #JOURNAL_PROP}</td><td>{@code chronicle}</td>
 *       <td>{@code chronicle} (the data directory's journal, recovered at start) or {@code memory}</td></tr>
 *   <tr><td>{@value #DURABILITY_PROP}</td><td>{@code PROCESS}</td>
 *       <td>journal {@link Durability}: PROCESS (page cache) or POWER (forced to the device per block)</td></tr>
 *   <tr><td>{@value #SNAPSHOT_INTERVAL_BLOCKS_PROP}</td><td>{@value #SNAPSHOT_INTERVAL_BLOCKS_DEFAULT}</td>
 *       <td>a state snapshot every this many blocks (0: none); it pauses execution while it walks every
 *       account</td></tr>
 *   <tr><td>{@value #SNAPSHOTS_KEPT_PROP}</td><td>{@value #SNAPSHOTS_KEPT_DEFAULT}</td><td>snapshots kept</td></tr>
 *   <tr><td>{@value #BLOCK_MAX_TXS_PROP}</td><td>{@value #BLOCK_MAX_TXS_DEFAULT}</td>
 *       <td>transactions per block at most</td></tr>
 *   <tr><td>{@value #BLOCK_INTERVAL_MS_PROP}</td><td>{@value #BLOCK_INTERVAL_MS_DEFAULT}</td>
 *       <td>a block is cut at most this long after its first transaction</td></tr>
 *   <tr><td>{@value #VALIDATOR_KEYS_PROP}</td><td>none: the devnet validators' keys</td>
 *       <td>comma-separated {@link ValidatorKeyFile}s the node proposes and commits with on a DPoS chain</td></tr>
 *   <tr><td>{@value #DEDUPE_WINDOW_PROP}</td><td>{@value #DEDUPE_WINDOW_DEFAULT}</td>
 *       <td>recent transaction hashes checked for duplicates, power of two</td></tr>
 *   <tr><td>{@value #THREADING_MODE_PROP}</td><td>SHARED when processors &lt;= 4, else DEDICATED</td>
 *       <td>{@link ThreadingMode}</td></tr>
 *   <tr><td>{@value #SHARED_IDLE_PROP}</td><td>{@code sleep}</td>
 *       <td>idle strategy of SHARED threads and of the embedded Aeron driver: sleep (1 ms: work is batched per wake-up,
 *       the CPU goes to the busy stages, at most a millisecond of latency per idle hop), backoff, yield, busy-spin,
 *       noop</td></tr>
 *   <tr><td>{@value #DEDICATED_IDLE_PROP}</td><td>{@code busy-spin}</td>
 *       <td>idle strategy of DEDICATED threads: busy-spin, yield, backoff, noop</td></tr>
 *   <tr><td>{@value #CPU_AFFINITY_PROP}</td><td>none</td>
 *       <td>CPUs the stage threads and the embedded Aeron driver's threads are pinned to, e.g.
 *       {@code decode=2;verify=3-6;execute=8;driver=9} ({@link CpuAffinity})</td></tr>
 *   <tr><td>{@value #DRAIN_TIMEOUT_MS_PROP}</td><td>{@value #DRAIN_TIMEOUT_MS_DEFAULT}</td>
 *       <td>longest a shutdown waits for accepted transactions to reach receipts</td></tr>
 * </table>
 */
public final class NodeContext
{
    public static final String DATA_DIR_PROP = "cmt.data.dir";
    public static final String GENESIS_FILE_PROP = "cmt.genesis.file";
    public static final String RING_SIZE_PROP = "cmt.ring.size";
    public static final int RING_SIZE_DEFAULT = 32768;
    public static final String VERIFY_BATCH_SIZE_PROP = "cmt.verify.batch.size";
    public static final int VERIFY_BATCH_SIZE_DEFAULT = 256;
    public static final String VERIFIER_THREADS_PROP = "cmt.verifier.threads";
    public static final String VERIFY_WARMUP_BATCHES_PROP = "cmt.verify.warmup.batches";
    public static final int VERIFY_WARMUP_BATCHES_DEFAULT = 300;
    public static final String VERIFY_KEY_CACHE_SIZE_PROP = "cmt.verify.key.cache.size";
    public static final int VERIFY_KEY_CACHE_SIZE_DEFAULT = 65536;
    public static final String SIGVERIFY_PROP = "cmt.sigverify";
    public static final String SIGVERIFY_DEFAULT = "zip215";
    public static final String JOURNAL_PROP = "cmt.journal";
    public static final String DURABILITY_PROP = JournalContext.DURABILITY_PROP;
    public static final String SNAPSHOT_INTERVAL_BLOCKS_PROP = JournalContext.SNAPSHOT_INTERVAL_PROP;
    public static final long SNAPSHOT_INTERVAL_BLOCKS_DEFAULT = JournalContext.DEFAULT_SNAPSHOT_INTERVAL_BLOCKS;
    public static final String SNAPSHOTS_KEPT_PROP = JournalContext.SNAPSHOTS_KEPT_PROP;
    public static final int SNAPSHOTS_KEPT_DEFAULT = JournalContext.DEFAULT_SNAPSHOTS_KEPT;
    public static final String BLOCK_MAX_TXS_PROP = "cmt.block.max.txs";
    public static final int BLOCK_MAX_TXS_DEFAULT = 4096;
    public static final String BLOCK_INTERVAL_MS_PROP = "cmt.block.interval.ms";
    public static final long BLOCK_INTERVAL_MS_DEFAULT = 20;
    public static final String DEDUPE_WINDOW_PROP = "cmt.dedupe.window";
    public static final int DEDUPE_WINDOW_DEFAULT = 262144;
    public static final String THREADING_MODE_PROP = "cmt.threading.mode";
    public static final String DEDICATED_IDLE_PROP = "cmt.dedicated.idle";
    public static final String SHARED_IDLE_PROP = "cmt.shared.idle";
    public static final String CPU_AFFINITY_PROP = "cmt.cpu.affinity";
    public static final String DRAIN_TIMEOUT_MS_PROP = "cmt.drain.timeout.ms";
    public static final String VALIDATOR_KEYS_PROP = "cmt.validator.keys";
    public static final long DRAIN_TIMEOUT_MS_DEFAULT = 60_000;

    /** Most signature verifier threads. */
    public static final int MAX_VERIFIER_THREADS = 64;

    private File dataDir;
    private File genesisFile;
    private Genesis genesis;
    private String genesisJson;
    private int ringSize;
    private int verifyBatchSize;
    private int verifierThreads;
    private int verifyKeyCacheSize;
    private int verifyWarmupBatches;
    private String sigverify;
    private String journal;
    private Durability durability;
    private long snapshotIntervalBlocks;
    private int snapshotsKept;
    private TransportContext transportContext;
    private Consumer<String> log;
    private Supplier<SignatureBatchVerifier> verifierFactory;
    private int blockMaxTxs;
    private long blockIntervalMs;
    private int dedupeWindow;
    private ThreadingMode threadingMode;
    private String dedicatedIdle;
    private String sharedIdle;
    private Supplier<IdleStrategy> dedicatedIdleStrategy;
    private Supplier<IdleStrategy> sharedIdleStrategy;
    private String cpuAffinitySpec;
    private CpuAffinity cpuAffinity;
    private long drainTimeoutMs;
    private BlockExecutor blockExecutor;
    private BlockJournal blockJournal;
    private ReceiptSink receiptSink;
    private ProposerSchedule proposerSchedule;
    private BlockSigner blockSigner;
    private List<File> validatorKeyFiles;
    private EpochClock epochClock;
    private ErrorHandler errorHandler;
    private Function<TransactionSink, AutoCloseable> ingressStarter;
    private boolean concluded;
    private boolean concludeFailed;

    /** A context whose fields start from the system properties. */
    public NodeContext()
    {
        dataDir = configuredDataDir();
        final String genesisPath = System.getProperty(GENESIS_FILE_PROP);
        genesisFile = genesisPath != null ? new File(genesisPath) : null;
        ringSize = SystemProperties.intValue(RING_SIZE_PROP, RING_SIZE_DEFAULT);
        verifyBatchSize = SystemProperties.intValue(VERIFY_BATCH_SIZE_PROP, VERIFY_BATCH_SIZE_DEFAULT);
        verifierThreads = SystemProperties.intValue(VERIFIER_THREADS_PROP, defaultVerifierThreads());
        verifyWarmupBatches = SystemProperties.intValue(VERIFY_WARMUP_BATCHES_PROP, VERIFY_WARMUP_BATCHES_DEFAULT);
        verifyKeyCacheSize = SystemProperties.intValue(VERIFY_KEY_CACHE_SIZE_PROP, VERIFY_KEY_CACHE_SIZE_DEFAULT);
        sigverify = System.getProperty(SIGVERIFY_PROP, SIGVERIFY_DEFAULT);
        journal = System.getProperty(JOURNAL_PROP, "chronicle");
        durability = SystemProperties.enumValue(DURABILITY_PROP, Durability.class, Durability.PROCESS);
        snapshotIntervalBlocks =
            SystemProperties.longValue(SNAPSHOT_INTERVAL_BLOCKS_PROP, SNAPSHOT_INTERVAL_BLOCKS_DEFAULT);
        snapshotsKept = SystemProperties.intValue(SNAPSHOTS_KEPT_PROP, SNAPSHOTS_KEPT_DEFAULT);
        blockMaxTxs = SystemProperties.intValue(BLOCK_MAX_TXS_PROP, BLOCK_MAX_TXS_DEFAULT);
        blockIntervalMs = SystemProperties.longValue(BLOCK_INTERVAL_MS_PROP, BLOCK_INTERVAL_MS_DEFAULT);
        dedupeWindow = SystemProperties.intValue(DEDUPE_WINDOW_PROP, DEDUPE_WINDOW_DEFAULT);
        threadingMode = SystemProperties.enumValue(THREADING_MODE_PROP, ThreadingMode.class, null);
        if (threadingMode == null)
        {
            threadingMode = defaultThreadingMode();
        }
        dedicatedIdle = System.getProperty(DEDICATED_IDLE_PROP, "busy-spin");
        sharedIdle = System.getProperty(SHARED_IDLE_PROP, "sleep");
        cpuAffinitySpec = System.getProperty(CPU_AFFINITY_PROP);
        drainTimeoutMs = SystemProperties.longValue(DRAIN_TIMEOUT_MS_PROP, DRAIN_TIMEOUT_MS_DEFAULT);
    }

    /**
     * @return the data directory a node and the tools use when given none: {@value #DATA_DIR_PROP} when set, else
     *         {@link #defaultDataDir()}.
     */
    public static File configuredDataDir()
    {
        final String dir = System.getProperty(DATA_DIR_PROP);
        return dir != null ? new File(dir) : defaultDataDir();
    }

    /** @return the default data directory, {@code <java.io.tmpdir>/cmt-<user>}. */
    public static File defaultDataDir()
    {
        return new File(System.getProperty("java.io.tmpdir"), "cmt-" + System.getProperty("user.name", "default"));
    }

    /**
     * @return every processor on machines with 4 or fewer (the verifiers are nine tenths of the node's work and sleep
     * when idle), else half of them (the rest for the dedicated stage threads).
     */
    public static int defaultVerifierThreads()
    {
        final int processors = Runtime.getRuntime().availableProcessors();
        return processors <= 4 ? processors : processors / 2;
    }

    /** @return SHARED on machines with 4 processors or fewer, else DEDICATED. */
    public static ThreadingMode defaultThreadingMode()
    {
        return Runtime.getRuntime().availableProcessors() <= 4 ? ThreadingMode.SHARED : ThreadingMode.DEDICATED;
    }

    /**
     * Validate and fill in defaults; once.
     *
     * A context whose conclude() failed stays unusable: {@link #isConcluded()} is false, and a second conclude() (or
     * {@link Node#launch(NodeContext)}) refuses it, since the failed run may have filled in some defaults from the
     * settings it refused. Make a new context with the setting corrected.
     *
     * @return this.
     * @throws IllegalStateException when concluded before, or a conclude() of this context failed.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException(concludeFailed ?
                "NodeContext failed to conclude before: make a new one with the setting corrected" :
                "NodeContext already concluded");
        }
        concluded = true;
        concludeFailed = true;
        concludeSettings();
        concludeFailed = false;
        return this;
    }

    private void concludeSettings()
    {
        if (dataDir == null)
        {
            throw new IllegalArgumentException("no data directory");
        }
        if (dataDir.getPath().isBlank())
        {
            // As cmt.data.dir set to nothing: the working directory to File, and no one's choice.
            throw new IllegalArgumentException(DATA_DIR_PROP + " is an empty path; name a directory (. for the " +
                "working directory)");
        }
        if (transportContext != null && !transportContext.isConcluded())
        {
            // Before recovery, which can take minutes; the transport's other settings are checked when it launches.
            TransportContext.checkIngressChannel(transportContext.ingressChannel());
        }
        if (!BitUtil.isPowerOfTwo(ringSize) || ringSize < 16)
        {
            throw new IllegalArgumentException(RING_SIZE_PROP + " must be a power of two >= 16, was " + ringSize);
        }
        if (blockMaxTxs < 1 || blockMaxTxs > ringSize / 2)
        {
            throw new IllegalArgumentException(BLOCK_MAX_TXS_PROP + " must be in 1.." + (ringSize / 2) +
                " (half the ring, so a block being built never starves ingress), was " + blockMaxTxs);
        }
        if (blockIntervalMs < 1)
        {
            throw new IllegalArgumentException(BLOCK_INTERVAL_MS_PROP + " must be >= 1, was " + blockIntervalMs);
        }
        if (verifyBatchSize < 1 || verifyBatchSize > ringSize)
        {
            throw new IllegalArgumentException(VERIFY_BATCH_SIZE_PROP + " must be in 1.." + ringSize + ", was " +
                verifyBatchSize);
        }
        if (verifierThreads < 1 || verifierThreads > MAX_VERIFIER_THREADS)
        {
            throw new IllegalArgumentException(VERIFIER_THREADS_PROP + " must be in 1.." + MAX_VERIFIER_THREADS +
                ", was " + verifierThreads);
        }
        if (!BitUtil.isPowerOfTwo(dedupeWindow) || dedupeWindow > RecentTxHashes.MAX_CAPACITY)
        {
            throw new IllegalArgumentException(DEDUPE_WINDOW_PROP + " must be a power of two up to " +
                RecentTxHashes.MAX_CAPACITY + ", was " + dedupeWindow);
        }
        if (drainTimeoutMs < 1)
        {
            throw new IllegalArgumentException(DRAIN_TIMEOUT_MS_PROP + " must be >= 1, was " + drainTimeoutMs);
        }
        if (threadingMode == null)
        {
            threadingMode = defaultThreadingMode();
        }
        if (verifyWarmupBatches < 0)
        {
            throw new IllegalArgumentException(VERIFY_WARMUP_BATCHES_PROP + " must be >= 0, was " +
                verifyWarmupBatches);
        }
        if (verifyKeyCacheSize < 0 || verifyKeyCacheSize > Ed25519BatchVerifier.MAX_KEY_CACHE_SIZE)
        {
            // Past the verifier's most, its cache's array sizes overflow: refused here, naming the property.
            throw new IllegalArgumentException(VERIFY_KEY_CACHE_SIZE_PROP + " must be 0 to " +
                Ed25519BatchVerifier.MAX_KEY_CACHE_SIZE + ", was " + verifyKeyCacheSize);
        }
        if (snapshotIntervalBlocks < 0)
        {
            throw new IllegalArgumentException(SNAPSHOT_INTERVAL_BLOCKS_PROP + " must be >= 0, was " +
                snapshotIntervalBlocks);
        }
        if (snapshotsKept < 1)
        {
            throw new IllegalArgumentException(SNAPSHOTS_KEPT_PROP + " must be >= 1, was " + snapshotsKept);
        }
        if (durability == null)
        {
            throw new IllegalArgumentException(DURABILITY_PROP + " must be PROCESS or POWER");
        }
        if (verifierFactory == null)
        {
            final int batchSize = verifyBatchSize;
            final int keyCacheSize = verifyKeyCacheSize;
            switch (sigverify)
            {
                case "zip215":
                    verifierFactory = () -> new Zip215BatchVerifier(batchSize, keyCacheSize);
                    break;
                case "bouncycastle":
                    verifierFactory = BouncyCastleBatchVerifier::new;
                    break;
                case "none":
                    verifierFactory = PassThroughBatchVerifier::new;
                    break;
                default:
                    throw new IllegalArgumentException(SIGVERIFY_PROP + " must be zip215, bouncycastle or none, was " +
                        sigverify);
            }
        }
        if (!journal.equals("chronicle") && !journal.equals("memory"))
        {
            throw new IllegalArgumentException(JOURNAL_PROP + " must be chronicle or memory, was " + journal);
        }
        if (dedicatedIdleStrategy == null)
        {
            dedicatedIdleStrategy = idleStrategy(DEDICATED_IDLE_PROP, dedicatedIdle);
        }
        if (sharedIdleStrategy == null)
        {
            sharedIdleStrategy = idleStrategy(SHARED_IDLE_PROP, sharedIdle);
        }
        concludeCpuAffinity();
        // Where the genesis was read from, for an operator told what is wrong with it: null when given as JSON.
        String genesisSource = null;
        if (genesisJson == null && genesisFile != null)
        {
            genesisJson = readGenesis(genesisFile);
            genesisSource = "genesis file " + genesisFile;
        }
        if (genesisJson == null && genesis == null)
        {
            // A data directory remembers its chain: restarting without --genesis continues the stored one.
            final DataDirectory directory = new DataDirectory(dataDir.toPath());
            if (directory.hasGenesis())
            {
                genesisJson = directory.readGenesis();
                genesisSource = "the data directory's genesis " + directory.genesisFile();
            }
            else
            {
                genesisJson = DevnetGenesis.json();
            }
        }
        if (genesis == null)
        {
            genesis = Genesis.parse(genesisJson, genesisSource);
        }
        if (blockJournal == null && journal.equals("chronicle") && genesisJson == null)
        {
            throw new IllegalArgumentException("a node with a journal on disk needs its genesis as JSON (genesisJson " +
                "or genesisFile), to store it in the data directory");
        }
        if (blockExecutor == null)
        {
            blockExecutor = new ReferenceExecutor();
        }
        if (blockJournal == null && journal.equals("memory"))
        {
            blockJournal = new InMemoryBlockJournal();
        }
        if (receiptSink == null)
        {
            receiptSink = (clientId, txHash, hashOffset, status, blockHeight, feeCharged) -> {};
        }
        if (proposerSchedule == null)
        {
            proposerSchedule = genesis.dpos() != null ?
                new DposProposerSchedule() : new RoundRobinProposerSchedule(genesis.validators());
        }
        if (validatorKeyFiles == null)
        {
            validatorKeyFiles = new ArrayList<>();
            final String files = System.getProperty(VALIDATOR_KEYS_PROP, "");
            for (final String name : files.split(","))
            {
                if (!name.isBlank())
                {
                    validatorKeyFiles.add(new File(name.strip()));
                }
            }
        }
        if (!validatorKeyFiles.isEmpty())
        {
            if (genesis.dpos() == null)
            {
                throw new IllegalArgumentException(VALIDATOR_KEYS_PROP + ": validator keys sign DPoS blocks, but the " +
                    "genesis has no \"dpos\" section");
            }
            if (blockSigner != null)
            {
                throw new IllegalArgumentException(VALIDATOR_KEYS_PROP + ": give validator key files or a " +
                    "blockSigner, not both");
            }
            blockSigner = new BlockSigner(ValidatorKeyFile.readAll(validatorKeyFiles), genesis.chainId());
        }
        if (blockSigner == null && genesis.dpos() != null)
        {
            blockSigner = BlockSigner.devnet(genesis);
        }
        if (epochClock == null)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        if (errorHandler == null)
        {
            errorHandler = Throwable::printStackTrace;
        }
        if (log == null)
        {
            log = System.out::println;
        }
        FileArguments.createDirectories(dataDir, "data directory");
    }

    /** @return true once {@link #conclude()} has run and succeeded. */
    public boolean isConcluded()
    {
        return concluded && !concludeFailed;
    }

    private static String readGenesis(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read genesis file " + file + ": " + FileArguments.reason(ex));
        }
    }

    private static Supplier<IdleStrategy> idleStrategy(final String property, final String name)
    {
        switch (name)
        {
            case "busy-spin":
                return BusySpinIdleStrategy::new;
            case "yield":
                return YieldingIdleStrategy::new;
            case "backoff":
                return () -> new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            case "noop":
                return NoOpIdleStrategy::new;
            case "sleep":
                return () -> new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
            default:
                throw new IllegalArgumentException(property + " must be sleep, backoff, yield, busy-spin or noop, " +
                    "was " + name);
        }
    }

    private void concludeCpuAffinity()
    {
        try
        {
            cpuAffinity = CpuAffinity.parse(cpuAffinitySpec);
            cpuAffinity.validate(threadingMode);
            if (cpuAffinity.cpusFor(CpuAffinity.DRIVER, 0) != null &&
                (transportContext == null || !transportContext.embeddedDriver()))
            {
                throw new IllegalArgumentException("CPU affinity names 'driver', but this node runs no embedded " +
                    "media driver (" + (transportContext == null ? "it has no Aeron transport" :
                    "it connects to an external one: pin that driver's process with taskset") + ")");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(CPU_AFFINITY_PROP + ": " + ex.getMessage(), ex);
        }
        if (cpuAffinity.isEmpty())
        {
            return;
        }
        final BitSet allowed;
        try
        {
            if (!Affinity.isJNAAvailable())
            {
                throw new IllegalStateException("JNA is not available on this platform");
            }
            allowed = Affinity.getAffinity();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            throw new IllegalArgumentException(CPU_AFFINITY_PROP + " is set, but threads cannot be pinned here (" +
                ex.getMessage() + "): leave it unset, or run the node under taskset", ex);
        }
        try
        {
            cpuAffinity.validate(allowed);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(CPU_AFFINITY_PROP + ": " + ex.getMessage(), ex);
        }
    }

    public File dataDir()
    {
        return dataDir;
    }

    public NodeContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public File genesisFile()
    {
        return genesisFile;
    }

    /**
     * @param genesisFile genesis JSON read at {@link #conclude()} unless {@link #genesis(Genesis)} is set.
     * @return this.
     */
    public NodeContext genesisFile(final File genesisFile)
    {
        this.genesisFile = genesisFile;
        return this;
    }

    public Genesis genesis()
    {
        return genesis;
    }

    /**
     * @param genesis the chain's genesis, for a node with an in-memory journal; a node with a journal on disk needs
     *                {@link #genesisJson(String)} (or a file) instead, to store it in its data directory.
     * @return this.
     */
    public NodeContext genesis(final Genesis genesis)
    {
        this.genesis = genesis;
        return this;
    }

    /** @return the genesis document, or null when only a parsed {@link Genesis} was given. */
    public String genesisJson()
    {
        return genesisJson;
    }

    /**
     * @param genesisJson the genesis document; parsed at {@link #conclude()} and stored in the data directory, which
     *                    then refuses any other genesis.
     * @return this.
     */
    public NodeContext genesisJson(final String genesisJson)
    {
        this.genesisJson = genesisJson;
        return this;
    }

    public int ringSize()
    {
        return ringSize;
    }

    public NodeContext ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    public int verifyBatchSize()
    {
        return verifyBatchSize;
    }

    public NodeContext verifyBatchSize(final int verifyBatchSize)
    {
        this.verifyBatchSize = verifyBatchSize;
        return this;
    }

    public int verifierThreads()
    {
        return verifierThreads;
    }

    public NodeContext verifierThreads(final int verifierThreads)
    {
        this.verifierThreads = verifierThreads;
        return this;
    }

    public int verifyWarmupBatches()
    {
        return verifyWarmupBatches;
    }

    public NodeContext verifyWarmupBatches(final int verifyWarmupBatches)
    {
        this.verifyWarmupBatches = verifyWarmupBatches;
        return this;
    }

    public int verifyKeyCacheSize()
    {
        return verifyKeyCacheSize;
    }

    public NodeContext verifyKeyCacheSize(final int verifyKeyCacheSize)
    {
        this.verifyKeyCacheSize = verifyKeyCacheSize;
        return this;
    }

    public String sigverify()
    {
        return sigverify;
    }

    /**
     * @param sigverify {@code zip215}, {@code bouncycastle} or {@code none}; ignored when a {@link #verifierFactory}
     *                  is set.
     * @return this.
     */
    public NodeContext sigverify(final String sigverify)
    {
        this.sigverify = sigverify;
        return this;
    }

    public Supplier<SignatureBatchVerifier> verifierFactory()
    {
        return verifierFactory;
    }

    /**
     * @param verifierFactory makes one verifier per verifier thread; the seam for {@code sigverify}'s batch verifier.
     * @return this.
     */
    public NodeContext verifierFactory(final Supplier<SignatureBatchVerifier> verifierFactory)
    {
        this.verifierFactory = verifierFactory;
        return this;
    }

    public int blockMaxTxs()
    {
        return blockMaxTxs;
    }

    public NodeContext blockMaxTxs(final int blockMaxTxs)
    {
        this.blockMaxTxs = blockMaxTxs;
        return this;
    }

    public long blockIntervalMs()
    {
        return blockIntervalMs;
    }

    public NodeContext blockIntervalMs(final long blockIntervalMs)
    {
        this.blockIntervalMs = blockIntervalMs;
        return this;
    }

    public int dedupeWindow()
    {
        return dedupeWindow;
    }

    public NodeContext dedupeWindow(final int dedupeWindow)
    {
        this.dedupeWindow = dedupeWindow;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    public NodeContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public Supplier<IdleStrategy> dedicatedIdleStrategy()
    {
        return dedicatedIdleStrategy;
    }

    public NodeContext dedicatedIdleStrategy(final Supplier<IdleStrategy> dedicatedIdleStrategy)
    {
        this.dedicatedIdleStrategy = dedicatedIdleStrategy;
        return this;
    }

    public Supplier<IdleStrategy> sharedIdleStrategy()
    {
        return sharedIdleStrategy;
    }

    public NodeContext sharedIdleStrategy(final Supplier<IdleStrategy> sharedIdleStrategy)
    {
        this.sharedIdleStrategy = sharedIdleStrategy;
        return this;
    }

    /** @return the stage threads' CPU affinity, {@link CpuAffinity#NONE} when none is pinned (after conclude). */
    public CpuAffinity cpuAffinity()
    {
        return cpuAffinity != null ? cpuAffinity : CpuAffinity.NONE;
    }

    /**
     * @param spec {@code stage=cpus} entries separated by {@code ;} ({@link CpuAffinity}), null for none; parsed and
     *             checked in {@link #conclude()}.
     * @return this.
     */
    public NodeContext cpuAffinity(final String spec)
    {
        this.cpuAffinitySpec = spec;
        return this;
    }

    public long drainTimeoutMs()
    {
        return drainTimeoutMs;
    }

    public NodeContext drainTimeoutMs(final long drainTimeoutMs)
    {
        this.drainTimeoutMs = drainTimeoutMs;
        return this;
    }

    public BlockExecutor blockExecutor()
    {
        return blockExecutor;
    }

    /**
     * @param blockExecutor executes each block; the seam for the parallel executor.
     * @return this.
     */
    public NodeContext blockExecutor(final BlockExecutor blockExecutor)
    {
        this.blockExecutor = blockExecutor;
        return this;
    }

    public String journal()
    {
        return journal;
    }

    /**
     * @param journal {@code chronicle}: the node opens the Chronicle journal of its data directory and recovers from
     *                it at start; {@code memory}: an in-memory journal. Ignored when a {@link #blockJournal} is set.
     * @return this.
     */
    public NodeContext journal(final String journal)
    {
        this.journal = journal;
        return this;
    }

    public Durability durability()
    {
        return durability;
    }

    /**
     * @param durability of each journal append, and so when receipts may leave.
     * @return this.
     */
    public NodeContext durability(final Durability durability)
    {
        this.durability = durability;
        return this;
    }

    public long snapshotIntervalBlocks()
    {
        return snapshotIntervalBlocks;
    }

    public NodeContext snapshotIntervalBlocks(final long snapshotIntervalBlocks)
    {
        this.snapshotIntervalBlocks = snapshotIntervalBlocks;
        return this;
    }

    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    public NodeContext snapshotsKept(final int snapshotsKept)
    {
        this.snapshotsKept = snapshotsKept;
        return this;
    }

    public TransportContext transportContext()
    {
        return transportContext;
    }

    /**
     * @param transportContext the Aeron transport to run (ingress from clients over UDP and IPC, receipts back over
     *                         egress), on the node's threads; null (the default) for none: frames come only through
     *                         {@link Node#ingress()} and receipts go to {@link #receiptSink}.
     * @return this.
     */
    public NodeContext transportContext(final TransportContext transportContext)
    {
        this.transportContext = transportContext;
        return this;
    }

    public Consumer<String> log()
    {
        return log;
    }

    /**
     * @param log receives the node's few informational lines (recovery, snapshots); default standard output.
     * @return this.
     */
    public NodeContext log(final Consumer<String> log)
    {
        this.log = log;
        return this;
    }

    /** @return the journal the node appends to; null until the node opens the data directory's journal. */
    public BlockJournal blockJournal()
    {
        return blockJournal;
    }

    /**
     * @param blockJournal where blocks are appended (closed by the node). A {@link ChronicleBlockJournal} is
     *                     recovered from; any other must be empty. Unset, the node opens its data directory's.
     * @return this.
     */
    public NodeContext blockJournal(final BlockJournal blockJournal)
    {
        this.blockJournal = blockJournal;
        return this;
    }

    public ReceiptSink receiptSink()
    {
        return receiptSink;
    }

    /**
     * @param receiptSink receives every receipt, on the receipts stage's thread; the seam for the egress.
     * @return this.
     */
    public NodeContext receiptSink(final ReceiptSink receiptSink)
    {
        this.receiptSink = receiptSink;
        return this;
    }

    /** @return who proposes each height: DPoS's proposer priority on a DPoS chain, else round robin. */
    public ProposerSchedule proposerSchedule()
    {
        return proposerSchedule;
    }

    public NodeContext proposerSchedule(final ProposerSchedule proposerSchedule)
    {
        this.proposerSchedule = proposerSchedule;
        return this;
    }

    /**
     * @return the validator key files the node signs with ({@value #VALIDATOR_KEYS_PROP}, comma-separated); empty
     * for the genesis's devnet validator keys.
     */
    public List<File> validatorKeyFiles()
    {
        return validatorKeyFiles;
    }

    /**
     * @param validatorKeyFiles {@link ValidatorKeyFile}s of the validators this node proposes and commits for, instead
     *                          of the genesis's devnet validator keys.
     * @return this.
     */
    public NodeContext validatorKeyFiles(final List<File> validatorKeyFiles)
    {
        this.validatorKeyFiles = new ArrayList<>(validatorKeyFiles);
        return this;
    }

    /** @return the validator keys the node signs with on a DPoS chain (default: the genesis devnet validators'). */
    public BlockSigner blockSigner()
    {
        return blockSigner;
    }

    /**
     * @param blockSigner the validator keys to propose and commit with on a DPoS chain.
     * @return this.
     */
    public NodeContext blockSigner(final BlockSigner blockSigner)
    {
        this.blockSigner = blockSigner;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @param epochClock stamps blocks and times block cutting; inject a {@code CachedEpochClock} in tests.
     * @return this.
     */
    public NodeContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    public NodeContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public Function<TransactionSink, AutoCloseable> ingressStarter()
    {
        return ingressStarter;
    }

    /**
     * @param ingressStarter called once the node runs with the node's {@link TransactionSink}; starts an ingress
     *                       (such as the Aeron transport) and returns what stops it, which the node closes first
     *                       when it shuts down.
     * @return this.
     */
    public NodeContext ingressStarter(final Function<TransactionSink, AutoCloseable> ingressStarter)
    {
        this.ingressStarter = ingressStarter;
        return this;
    }
}
