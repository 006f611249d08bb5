package io.cmtchain.pipeline;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.Recovery;
import io.cmtchain.journal.SnapshotStore;
import io.cmtchain.journal.TransactionLookup;
import io.cmtchain.transport.NodeTransport;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.TransportCounters;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.LangUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * A validator node's pipeline: one Disruptor ring of preallocated slots and six stages that follow each other on it.
 * <pre>
 *   ingress -> decode -> verify x N -> ordering -> execution -> journal -> receipts -+
 *      ^                                                                             |
 *      +-------------- slots are reused only after their receipt (gating) <----------+
 * </pre>
 * A frame is copied once into its slot by {@link #ingress()} and read in place by every stage; blocks point into the
 * slots. Each stage is an {@link Agent} polling the ring; {@link ThreadingMode} maps them onto threads, together with
 * the Aeron transport's ingress and egress agents when {@link NodeContext#transportContext()} is set.
 * <p>
 * Start: unless given a journal, the node opens its data directory ({@link DataDirectory}: the genesis is stored
 * there once and a different one refused; a start that fails before the node runs leaves none stored), opens the
 * Chronicle journal and recovers the chain from the newest good snapshot plus the journaled blocks after it
 * ({@link Recovery}); the duplicate filter is refilled from the last journaled blocks, so a transaction resubmitted
 * across a restart is still a duplicate.
 * <p>
 * {@link #close()} drains: it stops the ingress, lets every accepted transaction reach its receipt (cutting the last
 * block), lets egress hand the receipts to the clients, stops the stages and closes the transport and the journal.
 */
public final class Node implements AutoCloseable
{
    /** Longest the drain waits, after the last receipt, for egress to hand receipts to their clients. */
    private static final long EGRESS_FLUSH_TIMEOUT_MS = 2_000;
    /** Room in the counters file for the transport's counters. */
    private static final int TRANSPORT_COUNTERS = TransportCounters.COUNT;

    private final NodeContext ctx;
    private final CountersFile countersFile;
    private final NodeCounters counters;
    private final RingBuffer<TxEvent> ringBuffer;
    private final IngressPublisher ingress;
    private final DecodeAgent decode;
    private final VerifyAgent[] verifiers;
    private final OrderingAgent ordering;
    private final ExecutionAgent execution;
    private final JournalAgent journal;
    private final ReceiptAgent receipts;
    private final BlockJournal blockJournal;
    private final Chain chain;
    private final NodeTransport transport;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<ThreadPin> pins = new ArrayList<>();
    private final AgentInvoker invoker;
    private AutoCloseable ingressCloser;
    // Where this start stored the genesis in a data directory that held none, and the journal's height then, until
    // launch() has the node running: a start that fails before removes it again (see discardGenesisOfFailedStart).
    private DataDirectory storedGenesis;
    private long heightWhenGenesisStored;
    private boolean closed;
    private volatile Throwable failure;
    private volatile Runnable failureListener;
    private final java.util.concurrent.atomic.AtomicBoolean failureNotified =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Node(final NodeContext ctx)
    {
        this.ctx = ctx;
        refuseRunningNode(ctx);
        final Genesis genesis = ctx.genesis();
        final RecentTxHashes recent = new RecentTxHashes(ctx.dedupeWindow());
        BlockJournal openedJournal = null;
        // Where the genesis is stored once nothing else can refuse the start, or null (a journal given by the caller).
        DataDirectory genesisDirectory = null;
        CountersFile createdCounters = null;
        NodeTransport launchedTransport = null;
        // The timestamp of the recovered chain's last block: ordering never stamps a block before it.
        long lastTimestampMs = 0;
        try
        {
            // Before recovery, which can take a while: a setting the transport refuses is told at once.
            concludeTransport(ctx, genesis);
            SnapshotStore snapshots = null;
            if (ctx.blockJournal() == null || ctx.blockJournal() instanceof ChronicleBlockJournal)
            {
                final ChronicleBlockJournal chronicle;
                if (ctx.blockJournal() == null)
                {
                    final DataDirectory directory = new DataDirectory(ctx.dataDir().toPath());
                    // The journal's settings (its cmt.journal.* properties) and the free space it keeps are checked
                    // before it is opened, and another chain's genesis refused; the genesis itself is stored only
                    // once nothing else can refuse the start (below), and removed again if the stages then fail to
                    // start: a refused start leaves no genesis to refuse the next start's --genesis as another
                    // chain's.
                    final JournalContext journalContext = new JournalContext()
                        .dataDirectory(directory)
                        .durability(ctx.durability())
                        .snapshotIntervalBlocks(ctx.snapshotIntervalBlocks())
                        .snapshotsKept(ctx.snapshotsKept());
                    // A directory the node cannot write in is refused before a recovery it could not go on from.
                    directory.create().requireWritable();
                    ChronicleBlockJournal.requireFreeSpace(journalContext);
                    directory.refuseAnotherGenesis(ctx.genesisJson());
                    genesisDirectory = directory;
                    chronicle = new ChronicleBlockJournal(journalContext);
                    openedJournal = chronicle;
                }
                else
                {
                    chronicle = (ChronicleBlockJournal)ctx.blockJournal();
                }
                if (ctx.genesisJson() == null)
                {
                    throw new IllegalArgumentException("recovering from a Chronicle journal needs the genesis as JSON");
                }
                chain = Recovery.recover(chronicle, ctx.genesisJson(), ctx.blockExecutor(), ctx.log());
                refillDuplicateFilter(chronicle, recent);
                lastTimestampMs = lastTimestampMs(chronicle);
                if (ctx.snapshotIntervalBlocks() > 0)
                {
                    snapshots = new SnapshotStore(chronicle.dataDirectory(),
                        SnapshotStore.genesisHash(ctx.genesisJson()), ctx.snapshotIntervalBlocks(),
                        ctx.snapshotsKept());
                }
                blockJournal = chronicle;
            }
            else
            {
                blockJournal = ctx.blockJournal();
                if (blockJournal.lastHeight() != 0)
                {
                    throw new IllegalArgumentException("the journal already holds " + blockJournal.lastHeight() +
                        " blocks and only a Chronicle journal can be recovered from: start from an empty one");
                }
                chain = new Chain(genesis.createState(System.nanoTime()), 0, new byte[32]);
            }

            if (ctx.verifyWarmupBatches() > 0 &&
                VerifierWarmup.run(ctx.verifierFactory().get(), ctx.verifyBatchSize(), ctx.verifyWarmupBatches(),
                genesis.chainId()) != 0)
            {
                throw new IllegalStateException("the signature verifier (" + ctx.sigverify() + ") rejects valid " +
                    "signatures");
            }
            final int verifierThreads = ctx.verifierThreads();
            createdCounters = CountersFile.create(ctx.dataDir(),
                NodeCounters.countFor(verifierThreads) + TRANSPORT_COUNTERS, System.currentTimeMillis());
            countersFile = createdCounters;
            final CountersManager countersManager = countersFile.newManager();
            counters = new NodeCounters(countersManager, verifierThreads);
            counters.chainHeight.setRelease(chain.height());

            ringBuffer = RingBuffer.createMultiProducer(TxEvent::new, ctx.ringSize(), new BusySpinWaitStrategy());
            // Queries come only through the transport (an in-process client has the node's state itself), and
            // transaction queries only to a journal with a transaction index.
            final AccountQueries queries = ctx.transportContext() != null ? new AccountQueries() : null;
            final TransactionQueries transactionQueries =
                ctx.transportContext() != null && blockJournal instanceof TransactionLookup ?
                new TransactionQueries((TransactionLookup)blockJournal,
                new CountedErrorHandler(ctx.errorHandler(), counters.errors)) : null;
            ingress = new IngressPublisher(ringBuffer, counters.ingressBackPressured, queries, transactionQueries);

            if (ctx.transportContext() != null)
            {
                final TransportContext transportContext = ctx.transportContext();
                final BitSet driverCpus = ctx.cpuAffinity().cpusFor(CpuAffinity.DRIVER, 0);
                if (driverCpus != null)
                {
                    transportContext.driverThreadFactory(new PinningThreadFactory(driverCpus, pins::add));
                }
                launchedTransport = NodeTransport.launch(
                    transportContext, ingress, TransportCounters.allocate(countersManager));
            }
            transport = launchedTransport;
            countersFile.ready();

            decode = new DecodeAgent(ringBuffer, StagePoller.first(ringBuffer, TxEvent.MAX_SLOTS_PER_POLL),
                genesis.chainId(), counters);

            verifiers = new VerifyAgent[verifierThreads];
            final Sequence[] verifierSequences = new Sequence[verifierThreads];
            for (int i = 0; i < verifierThreads; i++)
            {
                verifiers[i] = new VerifyAgent(i, verifierThreads, StagePoller.after(ringBuffer, decode.sequence()),
                    ctx.verifierFactory().get(), ctx.verifyBatchSize(), counters);
                verifierSequences[i] = verifiers[i].sequence();
            }

            ordering = new OrderingAgent(ringBuffer, StagePoller.after(ringBuffer, verifierSequences),
                recent, ctx.epochClock(), ctx.proposerSchedule(), ctx.blockMaxTxs(), ctx.blockIntervalMs(),
                chain.height(), lastTimestampMs, counters);

            final Sequence journaledHeight = new Sequence(chain.height());
            final BlockSigner signer = chain.state().dpos() != null ? ctx.blockSigner() : null;
            if (signer != null)
            {
                final String missing = signer.missingKeys(chain.state().dpos());
                if (missing != null)
                {
                    throw new IllegalArgumentException("this node holds no key of validator(s) " + missing +
                        " of the current validator set: as the chain's only node it proposes and commits every " +
                        "block; give their key files (cmt node --validator-key FILE, or " +
                        NodeContext.VALIDATOR_KEYS_PROP + ")");
                }
                final String unused = signer.unusedKeys(chain.state().dpos());
                if (unused != null)
                {
                    ctx.log().accept("warning: validator key(s) of " + unused + " belong to no validator of the " +
                        "current set: they sign nothing until their candidate is elected (a wrong --validator-key?)");
                }
            }
            // The proposer of the first block after the recovered chain, before ordering asks for it.
            ctx.proposerSchedule().onBlockApplied(chain);
            execution = new ExecutionAgent(StagePoller.after(ringBuffer, ordering.released()), chain,
                ctx.blockExecutor(), journaledHeight, ctx.blockMaxTxs(), snapshots, ctx.errorHandler(), ctx.log(),
                ctx.proposerSchedule(), signer, queries, transport != null ? transport.receiptSink() : null,
                counters, this::onStageFailure);
            journal = new JournalAgent(StagePoller.after(ringBuffer, execution.sequence()), execution,
                blockJournal, journaledHeight, signer, chain, transactionQueries,
                transport != null ? transport.receiptSink() : null, counters, this::onStageFailure);
            receipts = new ReceiptAgent(StagePoller.after(ringBuffer, journal.sequence()),
                transport != null ? transport.receiptSink() : ctx.receiptSink(), counters);
            // Only the last stage gates the producers: every other stage is at or ahead of it.
            ringBuffer.addGatingSequences(receipts.sequence());

            // Before the first block can be journaled: a journal's blocks always have their genesis stored with them.
            if (genesisDirectory != null && !genesisDirectory.hasGenesis())
            {
                heightWhenGenesisStored = openedJournal.lastHeight();
                genesisDirectory.writeGenesis(ctx.genesisJson());
                storedGenesis = genesisDirectory;
            }
            invoker = start(ctx);
        }
        catch (final RuntimeException | Error ex)
        {
            // Each step runs whatever one before it threw, an Error too (a quiet close stops only an Exception), and
            // adds what it threw to the start's failure as suppressed: else the journal and its directory's lock
            // stayed open, and the step's Error was thrown in place of the failure.
            // Stages started before the failure stop before the journal is looked at and closed under them.
            for (final AgentRunner runner : runners)
            {
                step(ex, () -> CloseHelper.quietClose(runner));
            }
            final BlockJournal journalToClose = openedJournal;
            if (journalToClose != null)
            {
                step(ex, () -> discardGenesisOfFailedStart(journalToClose));
            }
            final NodeTransport transportToClose = launchedTransport;
            step(ex, () -> CloseHelper.quietClose(transportToClose));
            step(ex, () -> CloseHelper.quietClose(journalToClose));
            final CountersFile countersToDiscard = createdCounters;
            if (countersToDiscard != null)
            {
                step(ex, countersToDiscard::discard);
            }
            throw ex;
        }
    }

    /**
     * Conclude the context (unless already concluded), build the pipeline and start its threads and ingress. A launch
     * that fails leaves nothing running, and removes the genesis it stored in a data directory that held none, unless
     * a block was journaled with it (a failed launch still drains the transactions its ingress took). It throws its
     * failure, with what a step of stopping the node threw added as suppressed; each step runs all the same.
     *
     * @param ctx configuration.
     * @return the running node.
     */
    public static Node launch(final NodeContext ctx)
    {
        final NodeContext concluded = ctx.isConcluded() ? ctx : ctx.conclude();
        final Node node = new Node(concluded);
        if (concluded.ingressStarter() != null)
        {
            try
            {
                node.ingressCloser = concluded.ingressStarter().apply(node.ingress);
            }
            catch (final RuntimeException | Error ex)
            {
                // An Error too: a thread the ingress cannot make is Thread.start's OutOfMemoryError. The caller sees
                // this failure, with any of the close's added to it.
                final Throwable closeFailure = node.closeEachStep();
                if (null != closeFailure && closeFailure != ex)
                {
                    ex.addSuppressed(closeFailure);
                }
                throw ex;
            }
        }
        // Running: the genesis it stored stays, whatever happens from here.
        node.storedGenesis = null;
        return node;
    }

    /**
     * Fill the transport's settings that come from the node (its media driver's directory, idle strategy, chain id
     * and fees) where they are not set, and conclude it.
     */
    private static void concludeTransport(final NodeContext ctx, final Genesis genesis)
    {
        final TransportContext transportContext = ctx.transportContext();
        if (transportContext == null || transportContext.isConcluded())
        {
            return;
        }
        if (transportContext.embeddedDriver() && transportContext.aeronDirectoryName() == null)
        {
            transportContext.aeronDirectoryName(defaultAeronDirectory(ctx.dataDir()));
        }
        if (ctx.threadingMode() != ThreadingMode.DEDICATED && transportContext.driverIdleStrategy() == null)
        {
            // On a small machine the driver's thread idles like the node's shared threads.
            transportContext.driverIdleStrategy(ctx.sharedIdleStrategy().get());
        }
        if (transportContext.chainId() == 0)
        {
            transportContext.chainId(genesis.chainId());
        }
        if (transportContext.feeSchedule() == null)
        {
            transportContext.feeSchedule(genesis.fees());
        }
        transportContext.conclude();
    }

    /**
     * Where the embedded media driver of a node on this data directory lives: in {@code /dev/shm} where there is one
     * (Aeron's log buffers are memory-mapped files written at line rate: on a disk-backed file system the kernel's
     * write-back of them adds latency), named after the data directory so that a restart after a crash reuses (and
     * cleans) the same one; else {@code <data>/aeron}.
     *
     * @param dataDir of the node.
     * @return the Aeron directory name.
     */
    public static String defaultAeronDirectory(final File dataDir)
    {
        final File shm = new File("/dev/shm");
        if (shm.isDirectory() && shm.canWrite())
        {
            final CRC32 crc = new CRC32();
            crc.update(dataDir.getAbsoluteFile().toPath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return new File(shm, "cmt-aeron-" + System.getProperty("user.name", "node") + "-" +
                Long.toHexString(crc.getValue())).getPath();
        }
        return new File(dataDir, "aeron").getAbsolutePath();
    }

    private static long lastTimestampMs(final ChronicleBlockJournal journal)
    {
        final long last = journal.lastHeight();
        if (last == 0)
        {
            return 0;
        }
        try (JournalReader reader = journal.newReader().recomputeHashes(false))
        {
            if (!reader.seek(last) || !reader.next())
            {
                throw new IllegalStateException("the journal's last block " + last + " could not be read");
            }
            return reader.header().timestampMs;
        }
    }

    private static void refillDuplicateFilter(final ChronicleBlockJournal journal, final RecentTxHashes recent)
    {
        final long last = journal.lastHeight();
        if (last == 0)
        {
            return;
        }
        try (JournalReader reader = journal.newReader().recomputeHashes(false))
        {
            // Walk back to the first block of the last window's worth of transactions, then add them oldest first.
            long from = last;
            long transactions = 0;
            while (from > 1 && transactions < recent.capacity())
            {
                if (!reader.seek(from) || !reader.next())
                {
                    break;
                }
                transactions += reader.transactions().count();
                from--;
            }
            if (!reader.seek(from))
            {
                return;
            }
            final byte[] hash = new byte[32];
            while (reader.next())
            {
                final int count = reader.transactions().count();
                for (int i = 0; i < count; i++)
                {
                    reader.transactions().hash(i, hash, 0);
                    recent.add(hash, 0);
                }
            }
        }
    }

    private static void refuseRunningNode(final NodeContext ctx)
    {
        final CountersFile existing = CountersFile.openReadOnly(ctx.dataDir());
        if (existing != null)
        {
            try
            {
                if (existing.isOwnerAlive() && existing.ownerPid() != ProcessHandle.current().pid())
                {
                    throw new IllegalStateException("a node (pid " + existing.ownerPid() + ") is running on " +
                        ctx.dataDir());
                }
            }
            finally
            {
                existing.close();
            }
        }
    }

    private AgentInvoker start(final NodeContext ctx)
    {
        final ErrorHandler errorHandler = ctx.errorHandler();
        final AtomicCounter errors = counters.errors;
        switch (ctx.threadingMode())
        {
            case DEDICATED:
            {
                if (transport != null)
                {
                    dedicated("ingress", 0, transport.ingressAgent());
                }
                dedicated("decode", 0, decode);
                for (int i = 0; i < verifiers.length; i++)
                {
                    dedicated("verify", i, verifiers[i]);
                }
                dedicated("ordering", 0, ordering);
                dedicated("execute", 0, execution);
                dedicated("journal", 0, journal);
                dedicated("receipts", 0, receipts);
                if (transport != null)
                {
                    dedicated("egress", 0, transport.egressAgent());
                }
                break;
            }
            case SHARED:
            {
                runners.add(new AgentRunner(ctx.sharedIdleStrategy().get(), errorHandler, errors,
                    pinned("shared", 0, new CompositeAgent(timed(sharedAgents())))));
                for (int i = 0; i < verifiers.length; i++)
                {
                    runners.add(new AgentRunner(ctx.sharedIdleStrategy().get(), errorHandler, errors,
                        pinned("verify", i, timed(verifiers[i]))));
                }
                break;
            }
            case INVOKER:
            {
                final List<Agent> agents = new ArrayList<>();
                if (transport != null)
                {
                    agents.add(transport.ingressAgent());
                }
                agents.add(decode);
                agents.addAll(List.of(verifiers));
                agents.addAll(List.of(ordering, execution, journal, receipts));
                if (transport != null)
                {
                    agents.add(transport.egressAgent());
                }
                final AgentInvoker agentInvoker = new AgentInvoker(errorHandler, errors, new CompositeAgent(agents));
                agentInvoker.start();
                return agentInvoker;
            }
            default:
                throw new IllegalArgumentException("unknown threading mode " + ctx.threadingMode());
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner);
        }
        awaitPinned();
        return null;
    }

    private void dedicated(final String stage, final int thread, final Agent agent)
    {
        runners.add(new AgentRunner(ctx.dedicatedIdleStrategy().get(), ctx.errorHandler(), counters.errors,
            pinned(stage, thread, timed(agent))));
    }

    /** Wrap a stage thread's agent so that it pins itself when it starts, if the context says so. */
    private Agent pinned(final String stage, final int thread, final Agent agent)
    {
        final BitSet cpus = ctx.cpuAffinity().cpusFor(stage, thread);
        if (cpus == null)
        {
            return agent;
        }
        final ThreadPin pin = new ThreadPin(cpus, agent.roleName());
        pins.add(pin);
        return new PinnedAgent(agent, pin);
    }

    /** Wait for every pinned thread to have pinned itself; stop them all if one could not. */
    private void awaitPinned()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final ThreadPin pin : pins)
        {
            while (!pin.hasStarted() && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(100_000);
            }
            if (!pin.hasStarted() || pin.failure() != null)
            {
                CloseHelper.quietCloseAll(runners);
                throw new IllegalStateException(pin.failure() != null ? pin.failure() :
                    pin.role() + " did not start within 10 s");
            }
        }
    }

    private List<Agent> timed(final List<Agent> agents)
    {
        final List<Agent> timed = new ArrayList<>(agents.size());
        for (final Agent agent : agents)
        {
            timed.add(timed(agent));
        }
        return timed;
    }

    /** Wrap a stage so that its busy time is counted; the INVOKER mode (tests, one thread) runs stages unwrapped. */
    private Agent timed(final Agent agent)
    {
        if (agent == decode)
        {
            return new BusyTimeAgent(agent, counters.decodeBusyNs);
        }
        for (int i = 0; i < verifiers.length; i++)
        {
            if (agent == verifiers[i])
            {
                return new BusyTimeAgent(agent, counters.verifyBusyNs[i]);
            }
        }
        if (agent == ordering)
        {
            return new BusyTimeAgent(agent, counters.orderingBusyNs);
        }
        if (agent == execution)
        {
            return new BusyTimeAgent(agent, counters.executeBusyNs);
        }
        if (agent == journal)
        {
            return new BusyTimeAgent(agent, counters.journalBusyNs);
        }
        if (agent == receipts)
        {
            return new BusyTimeAgent(agent, counters.receiptBusyNs);
        }
        if (transport != null && agent == transport.ingressAgent())
        {
            return new BusyTimeAgent(agent, counters.ingressBusyNs);
        }
        if (transport != null && agent == transport.egressAgent())
        {
            return new BusyTimeAgent(agent, counters.egressBusyNs);
        }
        return agent;
    }

    private List<Agent> sharedAgents()
    {
        final List<Agent> agents = new ArrayList<>();
        if (transport != null)
        {
            agents.add(transport.ingressAgent());
        }
        agents.addAll(List.of(decode, ordering, execution, journal, receipts));
        if (transport != null)
        {
            agents.add(transport.egressAgent());
        }
        return agents;
    }

    /** @return where ingress hands frames: copies each into a ring slot, or answers BACK_PRESSURED. */
    public TransactionSink ingress()
    {
        return ingress;
    }

    /** @return false once {@link #close()} has begun: the ingress refuses offers. */
    public boolean isAccepting()
    {
        return ingress.isAccepting();
    }

    /**
     * Run one duty cycle of every stage, in pipeline order: {@link ThreadingMode#INVOKER} only.
     *
     * @return work done.
     */
    public int doWork()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("doWork() is for ThreadingMode.INVOKER; this node runs " +
                ctx.threadingMode());
        }
        return invoker.invoke();
    }

    /** @return the chain (for tests and tools: it is owned by the execution stage while the node runs). */
    public Chain chain()
    {
        return chain;
    }

    /** @return the journal the node appends to (owned by the journal stage while the node runs). */
    public BlockJournal blockJournal()
    {
        return blockJournal;
    }

    /** @return the Aeron transport, or null when the node runs without one. */
    public NodeTransport transport()
    {
        return transport;
    }

    public NodeContext context()
    {
        return ctx;
    }

    /**
     * @return why the node stopped working on its own (the journal could not append a block: a full disk, an I/O
     * error; or a block's execution threw), or null. A failed node takes no more transactions into blocks and
     * releases no receipt for the block that failed or any after it; {@link #close()} then stops it without waiting
     * for those receipts, but after the receipts of the blocks journaled before it have gone out.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * @param listener run once when the node fails (at once if it already has), on the failing stage's thread: a
     *                 command that waits for a signal to stop uses it to stop now. It must not close the node
     *                 itself: {@link #close()} waits for the stages, one of which is the listener's caller.
     */
    public void onFailure(final Runnable listener)
    {
        failureListener = listener;
        notifyFailure();
    }

    private void onStageFailure(final Throwable ex)
    {
        if (null != failure)
        {
            return;
        }
        failure = ex;
        ctx.errorHandler().onError(ex);
        notifyFailure();
    }

    private void notifyFailure()
    {
        final Runnable listener = failureListener;
        if (null != failure && null != listener && failureNotified.compareAndSet(false, true))
        {
            listener.run();
        }
    }

    public NodeCounters counters()
    {
        return counters;
    }

    public CountersFile countersFile()
    {
        return countersFile;
    }

    /**
     * Drain and stop: refuse new offers, let every accepted transaction reach its receipt (the last block cut at
     * once) and egress hand the receipts out, then stop the stages, the transport and the journal. Idempotent. Each
     * step runs though one before it failed (the error handler, say, threw what it was told); the first failure is
     * thrown once all have run, any later one added to it as suppressed.
     */
    @Override
    public synchronized void close()
    {
        final Throwable failure = closeEachStep();
        if (null != failure)
        {
            LangUtil.rethrowUnchecked(failure);
        }
    }

    /**
     * {@link #close()}'s steps, each run whether or not one before it failed: a start that failed still stops what it
     * started, removes the genesis it stored and closes the journal (and so releases its directory's lock).
     *
     * @return the first step's failure, with any later one added as suppressed; null when every step ran through.
     */
    private synchronized Throwable closeEachStep()
    {
        if (closed)
        {
            return null;
        }
        closed = true;
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        Throwable failure = step(null, () -> CloseHelper.quietClose(ingressCloser));
        failure = step(failure, () -> drain(idle));
        if (transport != null)
        {
            failure = step(failure, () -> awaitEgressFlushed(idle));
        }
        for (final AgentRunner runner : runners)
        {
            failure = step(failure, runner::close);
        }
        if (invoker != null)
        {
            failure = step(failure, invoker::close);
        }
        failure = step(failure, () -> CloseHelper.quietClose(transport));
        failure = step(failure, () -> discardGenesisOfFailedStart(blockJournal));
        // The counters stay mapped until the buffer is collected: this process may still read them (tests, tools),
        // and an explicit unmap would turn such a read into a crash.
        return step(failure, this::closeJournal);
    }

    /**
     * @param failure what an earlier step threw, or null.
     * @param step    the next step, run whatever {@code failure} is.
     * @return {@code failure}, with what the step threw added to it as suppressed; else what the step threw, or null.
     */
    private static Throwable step(final Throwable failure, final Runnable step)
    {
        try
        {
            step.run();
        }
        catch (final RuntimeException | Error ex)
        {
            if (null == failure)
            {
                return ex;
            }
            if (ex != failure)
            {
                failure.addSuppressed(ex);
            }
        }
        return failure;
    }

    /**
     * Refuse new offers and let every accepted transaction reach its receipt (the last block cut at once), until the
     * drain timeout, which the error handler is told of.
     */
    private void drain(final IdleStrategy idle)
    {
        final long last = ingress.close(idle);
        ordering.requestFlush();
        // Elapsed time on the monotonic clock: a deadline of now + the timeout overflowed for the longest timeouts
        // (ended the drain at once), and the wall clock can step while draining.
        final long drainStartNs = System.nanoTime();
        final long drainTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ctx.drainTimeoutMs());
        while (!drained(last))
        {
            if (invoker != null && invoker.invoke() > 0)
            {
                continue;
            }
            if (System.nanoTime() - drainStartNs > drainTimeoutNs)
            {
                ctx.errorHandler().onError(new IllegalStateException("drain timed out after " +
                    ctx.drainTimeoutMs() + " ms with " + (last - receipts.sequence().get()) +
                    " accepted transactions without a receipt"));
                break;
            }
            idle.idle();
        }
    }

    /**
     * @param last the last slot accepted.
     * @return true when every accepted transaction has its receipt out; on a failed node, when every slot the journal
     *         has made durable has (the failed block's and those after it never will), once the journal has stopped
     *         or appended every block executed before the failure.
     */
    private boolean drained(final long last)
    {
        if (null == failure)
        {
            return receipts.sequence().get() >= last && !receipts.hasPendingReceipt();
        }
        // Read in this order: once the journal is settled, its durable sequence no longer moves.
        final boolean journalSettled = journal.hasStopped() ||
            (execution.hasStopped() && journal.settled() >= execution.sequence().get());
        return journalSettled && receipts.sequence().get() >= journal.sequence().get() &&
            !receipts.hasPendingReceipt();
    }

    /**
     * Remove the genesis this start stored in a data directory that held none, once its stages have stopped and while
     * the journal (and so the directory's lock) is still open: a start that failed before the node ran leaves no
     * genesis to refuse the next start's {@code --genesis} as another chain's. A genesis stored before this start is
     * never touched, nor one that a block has been journaled with (the drain of a failed start can journal one); the
     * journal's files stay as they are.
     *
     * @param journal the node's journal, to see whether a block was journaled since the genesis was stored.
     */
    private void discardGenesisOfFailedStart(final BlockJournal journal)
    {
        final DataDirectory directory = storedGenesis;
        if (directory == null || journal.lastHeight() != heightWhenGenesisStored)
        {
            return;
        }
        storedGenesis = null;
        try
        {
            Files.deleteIfExists(directory.genesisFile());
        }
        catch (final IOException | RuntimeException ex)
        {
            ctx.log().accept("warning: the failed start stored " + directory.genesisFile() + " and could not " +
                "remove it (" + ex + "): remove it before starting with the genesis of another chain");
        }
    }

    /**
     * Close the journal, saying why when it cannot close cleanly (e.g. its files could not be forced to the device):
     * its blocks are appended, and the next start rebuilds its indexes.
     */
    private void closeJournal()
    {
        try
        {
            blockJournal.close();
        }
        catch (final RuntimeException ex)
        {
            ctx.log().accept("warning: the journal did not close cleanly: " + ex.getMessage());
        }
    }

    private void awaitEgressFlushed(final IdleStrategy idle)
    {
        final TransportCounters transportCounters = transport.counters();
        final long offered = receipts.receiptsOffered();
        final long startNs = System.nanoTime();
        while (transportCounters.receiptsSent.get() + transportCounters.receiptsNoSession.get() +
            transportCounters.receiptsEvicted.get() < offered &&
            System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(EGRESS_FLUSH_TIMEOUT_MS))
        {
            if (invoker != null && invoker.invoke() > 0)
            {
                continue;
            }
            idle.idle();
        }
    }
}
