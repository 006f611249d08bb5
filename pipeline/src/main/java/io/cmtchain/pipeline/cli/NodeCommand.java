package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cmt node}: run a validator node until SIGINT or SIGTERM, then drain accepted transactions to receipts and
 * exit; a second signal forces the exit. Ingress is in process until the Aeron transport is wired through
 * {@link NodeContext#ingressStarter}.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a validator node until Ctrl-C (drains accepted transactions to receipts; Ctrl-C again forces " +
        "exit). Settings come from cmt.* system properties (see NodeContext).")
public final class NodeCommand implements Callable<Integer>
{
    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ${DEFAULT-VALUE})")
    File dataDir = NodeContext.defaultDataDir();

    @Option(names = "--genesis", paramLabel = "FILE", description = "genesis JSON (default: the embedded devnet)")
    File genesisFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (genesisFile != null && !genesisFile.isFile())
        {
            err.println("cmt node: no genesis file " + genesisFile);
            return 1;
        }
        final NodeContext ctx = new NodeContext().dataDir(dataDir);
        if (genesisFile != null)
        {
            ctx.genesisFile(genesisFile);
        }
        final Node node;
        try
        {
            node = Node.launch(ctx);
        }
        catch (final IllegalArgumentException | IllegalStateException | GenesisException ex)
        {
            err.println("cmt node: " + ex.getMessage());
            return 1;
        }
        final ShutdownSignals signals = new ShutdownSignals(System.out).install();
        final Thread hook = new Thread(node::close, "cmt-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("cmt node: chain " + ctx.genesis().chainId() + ", " + ctx.genesis().validators().size() +
            " validators, threading " + ctx.threadingMode() + ", " + ctx.verifierThreads() + " verifier thread(s), " +
            "sigverify " + ctx.sigverify() + ", pid " + ProcessHandle.current().pid());
        out.println("cmt node: counters in " + new File(ctx.dataDir(), CountersFile.FILENAME) +
            " (watch with: cmt stat --data " + ctx.dataDir() + "); Ctrl-C to stop");
        out.flush();
        signals.await();
        node.close();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // Already shutting down: the hook's close is a no-op now.
        }
        out.println("cmt node: stopped at height " + node.chain().height());
        out.flush();
        return 0;
    }
}
