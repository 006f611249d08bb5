package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.util.ShutdownHooks;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.ThreadingMode;
import io.cmtchain.pipeline.ValidatorKeyFile;
import io.cmtchain.transport.TransportContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code cmt node}: run a validator node on a data directory until SIGINT or SIGTERM, then drain accepted
 * transactions to receipts, close the journal cleanly and exit; a second signal forces the exit.
 * <p>
 * At start the node recovers its chain from the data directory (genesis, journal, snapshots) and listens for clients
 * over Aeron: UDP on {@code cmt.transport.ingress.channel} (default {@code localhost:40123}) and IPC on its embedded
 * media driver. It prints {@value #READY} once clients can connect.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
        "Run a validator node until Ctrl-C.",
        "Recovers the chain from --data at start; Ctrl-C drains accepted transactions to receipts and closes the " +
            "journal (Ctrl-C again forces exit). Clients connect over Aeron UDP (cmt.transport.ingress.channel, " +
            "default aeron:udp?endpoint=localhost:40123) or IPC. Other settings are cmt.* system properties (see " +
            "NodeContext, TransportContext), given to bin/cmt in CMT_JAVA_OPTS, e.g. " +
            "CMT_JAVA_OPTS='-Dcmt.ring.size=65536'."})
public final class NodeCommand implements Callable<Integer>
{
    /** Printed (at the start of a line) once the node takes transactions. */
    public static final String READY = "cmt node: ready";

    @Option(names = "--data", paramLabel = "DIR",
        description = "data directory (default: ${DEFAULT-VALUE}: cmt.data.dir when set, else <tmp>/cmt-<user>)")
    File dataDir = NodeContext.configuredDataDir();

    @Option(names = "--genesis", paramLabel = "FILE",
        description = "genesis JSON, stored in the data directory (default: the stored one, else the embedded devnet)")
    File genesisFile;

    @Option(names = "--durability", paramLabel = "LEVEL",
        description = "journal durability: process (survives a crash of the node) or power (survives a power cut, " +
            "one device flush per block) (default: cmt.journal.durability, else process)")
    String durability;

    @Option(names = "--validator-key", paramLabel = "FILE",
        description = "a validator key file (from cmt keygen) to propose and commit with on a DPoS chain; repeat it " +
            "for each validator: as the chain's only node it needs every validator's key (default: " +
            "cmt.validator.keys, else the devnet validators' keys of a devnet genesis)")
    List<File> validatorKeys = new ArrayList<>();

    @Option(names = "--threading", paramLabel = "MODE",
        description = "stage threads: shared (the stages on one thread, a thread per verifier, sleeping when idle) " +
            "or dedicated (a thread per stage, for a core per stage) (default: cmt.threading.mode, else shared on 4 " +
            "processors or fewer, dedicated above)")
    String threading;

    @Option(names = "--cpu-affinity", paramLabel = "SPEC",
        description = "pin stage threads to CPUs: stage=cpus entries separated by ';', CPUs as taskset lists; " +
            "dedicated stages: ingress, decode, verify, ordering, execute, journal, receipts, egress; shared: " +
            "shared, verify; either mode: driver (the embedded Aeron media driver's threads); verify puts one " +
            "verifier per listed CPU. E.g. 'decode=2;verify=3-6;ordering=7;execute=8;driver=9' " +
            "(default: cmt.cpu.affinity, else none)")
    String cpuAffinity;

    @Option(names = "--parent-pid", hidden = true, paramLabel = "PID",
        description = "drain and exit when process PID exits, and do not start when it has exited already (for a " +
            "node started by another program, which gives its own pid: a parent that dies while the node starts is " +
            "then still noticed, where the parent the node sees by then is init)")
    Long parentPid;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final CompletableFuture<ProcessHandle> parentExit = parentPid == null ? null :
            ProcessHandle.of(parentPid).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null));
        if (parentExit != null && parentExit.isDone())
        {
            err.println("cmt node: its parent process (pid " + parentPid + ") has exited; not starting");
            return 1;
        }
        if (genesisFile != null && !genesisFile.isFile())
        {
            err.println("cmt node: " + (genesisFile.isDirectory() ? "genesis file " + genesisFile + " is a directory" :
                "no genesis file " + genesisFile));
            return 1;
        }
        final NodeContext ctx = new NodeContext().dataDir(dataDir).log(line -> log(out, line));
        if (durability != null)
        {
            final String level = durability.trim().toUpperCase(Locale.ROOT);
            if (!level.equals("PROCESS") && !level.equals("POWER"))
            {
                err.println("cmt node: --durability must be process or power, was " + durability);
                return 1;
            }
            ctx.durability(io.cmtchain.journal.Durability.valueOf(level));
        }
        if (genesisFile != null)
        {
            ctx.genesisFile(genesisFile);
        }
        if (threading != null)
        {
            final String mode = threading.trim().toUpperCase(Locale.ROOT);
            if (!mode.equals("SHARED") && !mode.equals("DEDICATED"))
            {
                err.println("cmt node: --threading must be shared or dedicated, was " + threading);
                return 1;
            }
            ctx.threadingMode(ThreadingMode.valueOf(mode));
        }
        if (ctx.threadingMode() == ThreadingMode.INVOKER)
        {
            // Its caller runs the stages (tests, an embedding program): here nothing would, and the node, ready to
            // all appearances, would read no client's frame until Ctrl-C.
            err.println("cmt node: " + NodeContext.THREADING_MODE_PROP + " must be shared or dedicated, was invoker " +
                "(for a program that runs the node's stages itself)");
            return 1;
        }
        if (cpuAffinity != null)
        {
            ctx.cpuAffinity(cpuAffinity);
        }
        for (final File key : validatorKeys)
        {
            // A directory's permissions say nothing of a key: reading it fails, and says so.
            if (!key.isDirectory() && ValidatorKeyFile.readableByOthers(key))
            {
                err.println("cmt node: warning: " + key + " is readable by other users; anyone who reads it can " +
                    "sign as its validator (chmod 600 " + key + ")");
            }
        }
        if (!validatorKeys.isEmpty())
        {
            ctx.validatorKeyFiles(validatorKeys);
        }
        final Node node;
        try
        {
            ctx.transportContext(new TransportContext());
            node = Node.launch(ctx);
        }
        catch (final RuntimeException ex)
        {
            // Configuration, a data directory of another chain or in use, a damaged journal, a port in use: one line.
            final String message = CmtMain.thrownByChronicle(ex) ?
                CmtMain.journalFailure(new File(ctx.dataDir(), DataDirectory.JOURNAL_DIR), ex) : CmtMain.withReason(ex);
            err.println("cmt node: " + (message.contains("Address already in use") ?
                "cannot listen on " + (ctx.transportContext() != null ? ctx.transportContext().ingressChannel() :
                "the ingress channel") + ": the address is in use (another " +
                "node on this machine?); give this one another with CMT_JAVA_OPTS='-D" +
                TransportContext.INGRESS_CHANNEL_PROP + "=aeron:udp?endpoint=localhost:PORT' bin/cmt node ..." :
                message));
            return 1;
        }
        if (dataDir.equals(NodeContext.defaultDataDir()))
        {
            out.println("cmt node: data in " + dataDir + ", the default for trying things out; a validator should " +
                "keep its chain on persistent storage with --data DIR");
        }
        final ShutdownSignals signals = new ShutdownSignals(System.out).install();
        node.onFailure(signals::signal);
        final Thread hook = ShutdownHooks.add("cmt-node-shutdown", node::close);
        if (parentExit != null)
        {
            // At once when the parent exited while the node started.
            parentExit.thenRun(signals::signal);
        }
        final TransportContext transport = ctx.transportContext();
        out.println("cmt node: chain " + ctx.genesis().chainId() + ", " + ctx.genesis().validators().size() +
            " validators, height " + node.chain().height() + ", threading " + ctx.threadingMode() +
            (ctx.cpuAffinity().isEmpty() ? "" : " (pinned: " + ctx.cpuAffinity() + ")") + ", " +
            ctx.verifierThreads() + " verifier thread(s), sigverify " + ctx.sigverify() + ", journal " +
            ctx.journal() + " (" + ctx.durability() + "), blocks of <= " + ctx.blockMaxTxs() + " txs or " +
            ctx.blockIntervalMs() + " ms, pid " + ProcessHandle.current().pid());
        out.println("cmt node: counters in " + new File(ctx.dataDir(), CountersFile.FILENAME) +
            " (watch with: cmt stat --data " + ctx.dataDir() + ")");
        out.println(READY + ": clients on " + transport.ingressChannel() + " stream " + transport.ingressStreamId() +
            (transport.ipcIngress() ? " and aeron:ipc (aeron dir " + transport.aeronDirectoryName() + ")" : "") +
            "; Ctrl-C to stop");
        out.flush();
        signals.await();
        node.close();
        // Already shutting down, the hook runs anyway: its close is a no-op now.
        ShutdownHooks.remove(hook);
        final Throwable failure = node.failure();
        if (null != failure)
        {
            out.flush();
            err.println("cmt node: stopped on a failure: " + failure.getMessage() + ". That block's transactions, " +
                "and those after it, got no receipt and are not in the chain; the journal holds every block before " +
                "it. Fix the cause (free disk space, the file system; or, for a block that could not be executed, " +
                "report it) and start the node again: it " +
                "recovers from the journal, and clients send the unreceipted transactions again.");
            err.flush();
            return 1;
        }
        out.println("cmt node: stopped at height " + node.chain().height() + ", journal closed");
        out.flush();
        return 0;
    }

    private static void log(final PrintWriter out, final String line)
    {
        out.println("cmt node: " + line);
        out.flush();
    }
}
