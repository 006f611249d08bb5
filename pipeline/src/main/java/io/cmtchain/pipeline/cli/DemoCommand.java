package io.cmtchain.pipeline.cli;

import io.aeron.CncFileDescriptor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.util.ShutdownHooks;

import io.cmtchain.journal.DataDirectory;
import io.cmtchain.pipeline.CountersFile;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.NodeCounters;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.loadgen.FileArguments;
import io.cmtchain.transport.loadgen.LoadGenerator;

import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code cmt demo}, the main job end to end: a node in a child JVM ({@link NodeProcess}) on a fresh devnet (a
 * temporary data directory, deleted after, unless {@code --data}), and the load generator in this JVM sending it
 * pre-signed transfers over Aeron, open-loop at {@code --rate} (0: flat out). By default it uses Aeron IPC through the
 * node's media driver, as a client on the node's machine would; {@code --transport udp} goes over UDP on loopback,
 * where both JVMs also run a media driver that sends and receives datagrams (measured: about 0.1 of the 2 cores more
 * at 55,000 tx/s, which the node's verifiers then lack). Transfers go from the
 * devnet's funded senders to recipients spread over {@code --accounts} addresses. Prints the load generator's line
 * every second (throughput, committed, rejected, latency percentiles), the stage that limited the node (from its
 * counters file), and a summary; {@code --json} writes the load generator's summary fields
 * ({@code "tps","p50_ms","p99_ms","p999_ms","submitted","committed","rejected","lost",...}; the latencies {@code null}
 * when none was measured) and what the demo prints beside them ({@link #summaryJson}). Exit status 0 only when
 * no transaction was lost (every one sent got its receipt).
 * <p>
 * Signed transactions are cached ({@code --cache}), so only the first run with given parameters signs.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Start a fresh devnet node and send it transfers: the main job, on embedded defaults.",
        "The node runs in a child JVM; this JVM sends it pre-signed transfers over Aeron (IPC through the node's " +
            "media driver, or UDP on loopback) and prints throughput, totals and latency every second, then a " +
            "summary with the stages' load. Exit status 0 only if no transaction was lost.",
        "The node gets the cmt.* settings given in CMT_JAVA_OPTS, as cmt node does (its UDP ingress, " +
            "cmt.transport.ingress.channel, defaults to a free loopback port)."})
public final class DemoCommand implements Callable<Integer>
{
    /** Default offered rate: one the default node sustains with a low p99 on a 2-core machine. */
    public static final int DEFAULT_RATE = 20_000;

    private static final long READY_TIMEOUT_MS = 120_000;
    private static final String IPC_CHANNEL = "aeron:ipc";
    private static final long STOP_TIMEOUT_MS = 60_000;
    /** Transactions signed per second of --seconds flat out (--rate 0). */
    private static final int FLAT_OUT_RATE = 60_000;

    @Option(names = "--seconds", paramLabel = "N", description = "send for N seconds (default: ${DEFAULT-VALUE})")
    int seconds = 20;

    @Option(names = "--rate", paramLabel = "TPS",
        description = "offered transactions per second, 0 = flat out (default: ${DEFAULT-VALUE})")
    int rate = DEFAULT_RATE;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds at the start left out of the percentiles " +
        "and the steady-state rate (default: 2, or --seconds - 1 when that is less)")
    Integer warmupOption;

    private int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "write the summary as JSON")
    File jsonFile;

    @Option(names = "--senders", paramLabel = "N",
        description = "funded devnet accounts that send (default: ${DEFAULT-VALUE}, all of the devnet genesis)")
    int senders = 10_000;

    @Option(names = "--accounts", paramLabel = "N",
        description = "recipient addresses the transfers spread over (default: ${DEFAULT-VALUE})")
    long accounts = 1_000_000;

    @Option(names = "--cache", paramLabel = "DIR",
        description = "where signed transactions are cached (default: ${DEFAULT-VALUE})")
    File cacheDir = defaultCacheDir();

    @Option(names = "--data", paramLabel = "DIR",
        description = "the node's data directory, kept after (default: a fresh temporary directory, deleted after)")
    File dataDirOption;

    @Option(names = "--durability", paramLabel = "LEVEL",
        description = "journal durability: process or power (default: ${DEFAULT-VALUE})")
    String durability = "process";

    @Option(names = "--mix", paramLabel = "KIND=W,...", description = "shares of transaction kinds: transfer, " +
        "token, escrow, loan, insurance, e.g. transfer=60,token=25,escrow=15 (default: transfers only)")
    String mix;

    /** The load generator's settings, from the options; checked before the node starts. */
    private LoadGenerator.Config loadConfig;

    @Option(names = "--transport", paramLabel = "ipc|udp", description = "ipc: Aeron IPC through the node's media " +
        "driver, as a client on the node's machine; udp: Aeron UDP on loopback, each JVM with its own media driver " +
        "(the network path, with its sends and receives on the same cores) (default: ${DEFAULT-VALUE})")
    String transport = "ipc";

    @Option(names = "--node-output", description = "show all of the node's output, not only its status lines")
    boolean nodeOutput;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** @return {@code $XDG_CACHE_HOME/cmtchain}, else {@code ~/.cache/cmtchain}. */
    public static File defaultCacheDir()
    {
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final File base = xdg != null && !xdg.isEmpty() ? new File(xdg) :
            new File(System.getProperty("user.home"), ".cache");
        return new File(base, "cmtchain");
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final java.io.PrintWriter err = spec.commandLine().getErr();
        final String problem = validate();
        if (problem != null)
        {
            err.println("cmt demo: " + problem);
            return 1;
        }
        final boolean temporary = dataDirOption == null;
        final Path dataDir = temporary ? Files.createTempDirectory("cmt-demo") : dataDirOption.toPath();
        final Map<String, String> properties = nodeProperties(System.getProperties(),
            durability.toUpperCase(Locale.ROOT), DemoCommand::freeUdpIngress);
        final String ingress = properties.get(TransportContext.INGRESS_CHANNEL_PROP);
        // The node's media driver: where the load generator finds it over IPC, and what a killed node leaves behind.
        final File driverDir = new File(properties.getOrDefault(TransportContext.AERON_DIR_PROP,
            Node.defaultAeronDirectory(dataDir.toFile())));
        final String nodeFlags = System.getProperty("cmt.demo.node.jvm.flags", "");

        out.printf("demo: starting a node (child JVM) on %s, data %s%n",
            "ipc".equals(transport) ? "aeron:ipc (and " + ingress + ")" : ingress, dataDir);
        final NodeProcess node = NodeProcess.start(dataDir.toFile(), properties,
            nodeFlags.isBlank() ? List.of() : List.of(nodeFlags.trim().split("\\s+")), "node| ", out,
            line -> nodeOutput || line.startsWith("cmt node: ready") || line.startsWith("cmt node: chain") ||
                line.startsWith("cmt node: stopped") || line.contains("Exception") || line.contains("rror"));
        final Thread cleanup = ShutdownHooks.add("cmt-demo-cleanup", () ->
        {
            node.close();
            removeDriverDirectory(node, driverDir);
            if (temporary)
            {
                deleteQuietly(dataDir);
            }
        });
        try
        {
            final LoadGenerator.Config config = loadConfig;
            if ("ipc".equals(transport))
            {
                config.ingressChannel(IPC_CHANNEL).responseChannel(IPC_CHANNEL)
                    .aeronDirectoryName(driverDir.getPath());
            }
            else
            {
                config.ingressChannel(ingress);
            }
            // Sign (or load from the cache) while the node starts; the load generator then finds them cached.
            LoadGenerator.preSign(config, out);
            out.flush();
            if (!node.awaitReady(READY_TIMEOUT_MS))
            {
                err.println("cmt demo: the node did not start" + (node.isAlive() ? " within " + READY_TIMEOUT_MS /
                    1000 + " s" : " (exit " + node.exitValue() + ")") + "; its last lines:\n" + node.tail());
                return 1;
            }
            out.printf("demo: sending %s for %d s from %,d senders to %,d recipient addresses (first %d s are " +
                "warm-up)%n", rate > 0 ? String.format("%,d tx/s", rate) : "flat out", seconds, senders, accounts,
                warmup);
            out.flush();

            LoadgenCommand.sleepingClientDriverOnSmallMachines();
            LoadgenCommand.sendingIdleOnSmallMachines(config);
            final StageSampler sampler = new StageSampler(dataDir.toFile(), warmup, node.pid());
            // Its seconds count from the load generator's: after loading, connecting, the setup phase and hashing,
            // which took seconds before the first send at large counts and put the stages' and cores' window after
            // the warm-up inside the warm-up (or the setup).
            config.onSendingStart(sampler::start);
            final LoadGenerator.Summary summary;
            try
            {
                summary = LoadGenerator.run(config, out);
            }
            catch (final RuntimeException ex)
            {
                err.println("cmt demo: " + ex.getMessage());
                return 1;
            }
            finally
            {
                sampler.stop();
            }
            final int nodeExit = node.stop(STOP_TIMEOUT_MS);
            printSummary(out, summary, sampler.summary());
            out.println("demo: stages after warm-up (events per busy second, share of the wall clock busy): " +
                sampler.stagesText());
            out.println("demo: cores used after warm-up: " + sampler.cpuText());
            if (nodeExit != 0)
            {
                err.println("cmt demo: the node exited with " + nodeExit + "; its last lines:\n" + node.tail());
            }
            if (jsonFile != null)
            {
                Files.writeString(jsonFile.toPath(), summaryJson(summary, transport, seconds, warmup, senders,
                    accounts, sampler.stagesJson(), sampler.cpuJson(), sampler.limitingJson()), StandardCharsets.UTF_8);
                out.println("demo: wrote " + jsonFile);
            }
            out.flush();
            return summary.lost == 0 && nodeExit == 0 ? 0 : 2;
        }
        finally
        {
            if (node.isAlive())
            {
                // An early end (the node did not start, or the load generator failed): the node drains and stops,
                // and its driver deletes its directory.
                node.stop(STOP_TIMEOUT_MS);
            }
            node.close();
            removeDriverDirectory(node, driverDir);
            if (temporary)
            {
                deleteQuietly(dataDir);
            }
            // Shutting down, the hook runs anyway and does the same.
            ShutdownHooks.remove(cleanup);
        }
    }

    /**
     * @param summary       the load generator's.
     * @param transport     ipc or udp.
     * @param seconds       --seconds.
     * @param warmupSeconds the warm-up.
     * @param senders       --senders.
     * @param accounts      --accounts.
     * @param stages        the stages after the warm-up, as JSON.
     * @param cpu           the cores used after the warm-up, as JSON.
     * @param limiting      per stage, the seconds it had the deepest queue, as JSON.
     * @return the demo's summary as one JSON object, with a line end; the latencies {@code null} and the
     *         percentiles {@code {}} when none was measured, as in the load generator's.
     */
    static String summaryJson(
        final LoadGenerator.Summary summary,
        final String transport,
        final int seconds,
        final int warmupSeconds,
        final int senders,
        final long accounts,
        final String stages,
        final String cpu,
        final String limiting)
    {
        return String.format(Locale.ROOT,
            "{\"tps\": %.1f, \"steady_tps\": %s, \"transport\": \"%s\", \"p50_ms\": %s, " +
            "\"p99_ms\": %s, \"p999_ms\": %s, \"submitted\": %d, \"due_unsent\": %d, " +
            "\"committed\": %d, \"rejected\": %d, \"lost\": %d, \"stages\": %s, \"cpu\": %s, " +
            "\"by_type\": %s, \"setup\": %s, \"percentiles\": %s, " +
            // Added after the fields above, whose names and order stay: the rest of what the demo prints.
            "\"max_ms\": %s, \"back_pressured\": %d, \"rate\": %s, \"send_seconds\": %.3f, " +
            "\"interrupted\": %b, \"rejects\": %s, \"mix\": \"%s\", \"seconds\": %d, \"warmup_seconds\": %d, " +
            "\"senders\": %d, \"accounts\": %d, \"limiting_stage_seconds\": %s}%n",
            summary.tps, LoadGenerator.Summary.jsonTps(summary.steadyTps), transport,
            LoadGenerator.Summary.jsonMs(summary.p50Ms), LoadGenerator.Summary.jsonMs(summary.p99Ms),
            LoadGenerator.Summary.jsonMs(summary.p999Ms),
            summary.submitted, summary.dueUnsent, summary.committed,
            summary.rejected, summary.lost, stages, cpu, summary.byType,
            summary.setup, summary.percentiles,
            LoadGenerator.Summary.jsonMs(summary.maxMs), summary.backPressured,
            BigDecimal.valueOf(summary.rate).toPlainString(), summary.sendSeconds, summary.interrupted,
            summary.rejects, summary.mix, seconds, warmupSeconds, senders, accounts, limiting);
    }

    private String validate()
    {
        if (!"ipc".equals(transport) && !"udp".equals(transport))
        {
            return "--transport must be ipc or udp, was " + transport;
        }
        warmup = warmupOption != null ? warmupOption : Math.min(2, seconds - 1);
        try
        {
            loadConfig = new LoadGenerator.Config()
                .rate(rate)
                .seconds(seconds)
                .count(count())
                .senders(senders)
                .accounts(accounts)
                .cacheDir(cacheDir)
                .warmupSeconds(warmup)
                .mix(LoadgenCommand.mix(mix));
            // The load generator's own checks (rate, seconds, warm-up), before a node is started for nothing.
            LoadGenerator.checkArguments(loadConfig);
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        final Genesis genesis = LoadGenerator.loadGenesis(null);
        if (senders < 1 || senders > genesis.devnetAccounts())
        {
            return "--senders must be in 1.." + genesis.devnetAccounts() + " (the devnet genesis's funded accounts), " +
                "was " + senders;
        }
        if (accounts < 1)
        {
            return "--accounts must be >= 1, was " + accounts;
        }
        final String tooMany = tooManyTransactions(LoadGenerator.maxCount(loadConfig, genesis));
        if (tooMany != null)
        {
            return tooMany;
        }
        if (!durability.equalsIgnoreCase("process") && !durability.equalsIgnoreCase("power"))
        {
            return "--durability must be process or power, was " + durability;
        }
        try
        {
            FileArguments.checkWritable(jsonFile, "--json");
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        if (dataDirOption != null && Files.isDirectory(new DataDirectory(dataDirOption.toPath()).journalDir()))
        {
            return "--data " + dataDirOption + " already holds a chain; the demo starts a fresh devnet: give an " +
                "empty or new directory";
        }
        return null;
    }

    /** @return the transactions the demo signs: --rate x --seconds, or flat out {@value #FLAT_OUT_RATE} a second. */
    private long count()
    {
        return (long)(rate > 0 ? rate : FLAT_OUT_RATE) * seconds;
    }

    /**
     * @param maxCount the most transactions one run can sign.
     * @return why the count that --rate and --seconds set is more than that, naming them; null when it is not.
     */
    private String tooManyTransactions(final long maxCount)
    {
        if (count() <= maxCount)
        {
            return null;
        }
        final String product = String.format(Locale.ROOT, "x --seconds %d is %,d transactions, more than one run " +
            "can sign (at most %,d)", seconds, count(), maxCount);
        return rate > 0 ? "--rate " + rate + " " + product + ": lower --rate or --seconds" :
            String.format(Locale.ROOT, "flat out (--rate 0) the demo signs %,d a second: %,d ", FLAT_OUT_RATE,
            FLAT_OUT_RATE) + product + ": lower --seconds";
    }

    /**
     * @param out     where the summary lines go.
     * @param summary the load generator's.
     * @param stages  per stage, the seconds it had the deepest queue.
     */
    static void printSummary(final PrintStream out, final LoadGenerator.Summary summary, final String stages)
    {
        // latencyText: 'latency p50 -, ...' and why when none was measured, not 0.00 ms (an empty histogram's answer).
        out.printf(Locale.ROOT, "demo: %,d sent, %,d committed, %,d rejected, %,d lost: %,.0f tx/s committed; %s%n",
            summary.submitted, summary.committed, summary.rejected, summary.lost, summary.tps, summary.latencyText());
        if (summary.steadyTps > 0)
        {
            out.printf(Locale.ROOT, "demo: steady state (after the warm-up, until the last send): %,.0f tx/s " +
                "committed%n", summary.steadyTps);
        }
        if (!summary.mix.isEmpty() && !"transfer=1".equals(summary.mix))
        {
            out.println("demo: receipts by type and status: " + summary.byType + "; setup: " + summary.setup);
        }
        out.println("demo: limiting stage, seconds as the deepest queue: " + stages);
    }

    /**
     * The node's settings: every {@code cmt.*} system property of this JVM (given in {@code CMT_JAVA_OPTS}, as for
     * {@code cmt node}) but the launcher's {@code cmt.root} and the demo's own {@code cmt.demo.*}, then the demo's
     * durability; the UDP ingress channel is the one given, else one on a free loopback port.
     *
     * @param system     this JVM's system properties.
     * @param durability the journal durability of --durability.
     * @param freeIngress makes a UDP ingress channel on a free port.
     * @return the node's system properties.
     */
    static Map<String, String> nodeProperties(
        final Properties system, final String durability, final Supplier<String> freeIngress)
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        for (final String name : new TreeSet<>(system.stringPropertyNames()))
        {
            if (name.startsWith("cmt.") && !name.equals("cmt.root") && !name.startsWith("cmt.demo."))
            {
                properties.put(name, system.getProperty(name));
            }
        }
        properties.putIfAbsent(TransportContext.INGRESS_CHANNEL_PROP, freeIngress.get());
        properties.put(NodeContext.DURABILITY_PROP, durability);
        return properties;
    }

    private static String freeUdpIngress()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return "aeron:udp?endpoint=localhost:" + socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no free UDP port on loopback: " + ex.getMessage(), ex);
        }
    }

    /**
     * Delete what a node's media driver left when the node was killed (in {@code /dev/shm}, memory, until the machine
     * restarts): only a directory that holds a driver's {@code cnc.dat}, once the node has exited.
     */
    private static void removeDriverDirectory(final NodeProcess node, final File driverDir)
    {
        if (!node.isAlive() && new File(driverDir, CncFileDescriptor.CNC_FILE).isFile())
        {
            deleteQuietly(driverDir.toPath());
        }
    }

    private static void deleteQuietly(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A temporary directory left behind is harmless.
        }
    }

    /**
     * Reads the node's counters file once a second: counts, per stage, the seconds it had the deepest queue, and keeps
     * each stage's events and busy time at the end of the warm-up and at the last reading, for its capacity.
     */
    private static final class StageSampler
    {
        private final File dataDir;
        private final int warmupSeconds;
        private final long nodePid;
        private final long selfPid = ProcessHandle.current().pid();
        private Map<String, Double> nodeCpuFirst;
        private Map<String, Double> nodeCpuLast;
        private Map<String, Double> selfCpuFirst;
        private Map<String, Double> selfCpuLast;
        private final Map<String, Integer> seconds = new TreeMap<>();
        private final CountDownLatch stop = new CountDownLatch(1);
        private Thread thread;
        private Map<String, long[]> first;
        private Map<String, long[]> last;
        private long firstNs;
        private long lastNs;

        StageSampler(final File dataDir, final int warmupSeconds, final long nodePid)
        {
            this.dataDir = dataDir;
            this.warmupSeconds = warmupSeconds;
            this.nodePid = nodePid;
        }

        /** @return cores used after the warm-up, per thread group, node and load generator apart. */
        private Map<String, Double> cpu()
        {
            final Map<String, Double> cpu = new LinkedHashMap<>();
            synchronized (seconds)
            {
                if (nodeCpuFirst == null || lastNs <= firstNs)
                {
                    return cpu;
                }
                final double wallS = (lastNs - firstNs) / 1e9;
                ThreadCpu.cores(nodeCpuFirst, nodeCpuLast, wallS).forEach((group, cores) ->
                    cpu.put("node " + group, cores));
                ThreadCpu.cores(selfCpuFirst, selfCpuLast, wallS).forEach((group, cores) ->
                    cpu.put("loadgen " + group, cores));
            }
            return cpu;
        }

        /** @return signatures checked per CPU second of the verifier threads after the warm-up, or -1. */
        private double verifyPerCpuSecond()
        {
            synchronized (seconds)
            {
                if (nodeCpuFirst == null || first == null || first.get("verify") == null ||
                    nodeCpuLast.get("verify") == null || nodeCpuFirst.get("verify") == null)
                {
                    return -1;
                }
                final double cpuS = nodeCpuLast.get("verify") - nodeCpuFirst.get("verify");
                return cpuS <= 0 ? -1 : (last.get("verify")[0] - first.get("verify")[0]) / cpuS;
            }
        }

        String cpuText()
        {
            final StringBuilder sb = new StringBuilder();
            cpu().forEach((group, cores) ->
                sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", group, cores)));
            final double verify = verifyPerCpuSecond();
            if (verify > 0)
            {
                sb.append(String.format(Locale.ROOT, "; %,.0f signatures per CPU second of the verifier threads",
                    verify));
            }
            if (sb.length() == 0)
            {
                synchronized (seconds)
                {
                    return first == null || lastNs <= firstNs ? "none sampled (the run after the warm-up was too " +
                        "short)" : "not measured (no /proc)";
                }
            }
            return sb.toString();
        }

        String cpuJson()
        {
            final StringBuilder sb = new StringBuilder("{");
            cpu().forEach((group, cores) -> sb.append(sb.length() == 1 ? "" : ", ")
                .append(String.format(Locale.ROOT, "\"%s\": %.3f", group, cores)));
            return sb.append(String.format(Locale.ROOT, "%s\"verify_per_cpu_s\": %.1f}", sb.length() == 1 ? "" : ", ",
                verifyPerCpuSecond())).toString();
        }

        /** @return per stage: {events per busy second (-1 if unknown), busy share of the wall clock, threads}. */
        private Map<String, double[]> stages()
        {
            final Map<String, double[]> stages = new LinkedHashMap<>();
            synchronized (seconds)
            {
                if (first == null || last == null || lastNs <= firstNs)
                {
                    return stages;
                }
                final double wallNs = lastNs - firstNs;
                for (final Map.Entry<String, long[]> entry : last.entrySet())
                {
                    final long[] before = first.get(entry.getKey());
                    if (before == null)
                    {
                        continue;
                    }
                    final long[] after = entry.getValue();
                    final double busyNs = after[1] - before[1];
                    final double threads = after[2];
                    // Busy time is summed over a stage's threads, so this is the rate of one of its threads.
                    final double capacity = after[0] < 0 || busyNs <= 0 ? -1 : (after[0] - before[0]) / busyNs * 1e9;
                    stages.put(entry.getKey(), new double[] {capacity, busyNs / wallNs, threads});
                }
            }
            return stages;
        }

        String stagesText()
        {
            final StringBuilder sb = new StringBuilder();
            for (final Map.Entry<String, double[]> entry : stages().entrySet())
            {
                final double[] v = entry.getValue();
                sb.append(sb.length() == 0 ? "" : "; ").append(entry.getKey()).append(' ');
                sb.append(v[0] < 0 ? "-" : String.format(Locale.ROOT, "%,.0f/s", v[0]));
                sb.append(v[2] > 1 ? String.format(Locale.ROOT, " per thread x%d", (int)v[2]) : "");
                sb.append(String.format(Locale.ROOT, " %.0f%%", v[1] * 100));
            }
            return sb.length() == 0 ? "none sampled" : sb.toString();
        }

        String stagesJson()
        {
            final StringBuilder sb = new StringBuilder("{");
            for (final Map.Entry<String, double[]> entry : stages().entrySet())
            {
                final double[] v = entry.getValue();
                sb.append(sb.length() == 1 ? "" : ", ").append(String.format(Locale.ROOT,
                    "\"%s\": {\"events_per_busy_s\": %.1f, \"busy_share\": %.4f, \"threads\": %d}",
                    entry.getKey(), v[0], v[1], (int)v[2]));
            }
            return sb.append('}').toString();
        }

        void start()
        {
            thread = new Thread(this::run, "cmt-demo-stages");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException
        {
            stop.countDown();
            if (null != thread)
            {
                thread.join(5_000);
            }
        }

        /** @return per stage, the seconds it had the deepest queue, as a JSON object. */
        String limitingJson()
        {
            final StringBuilder sb = new StringBuilder("{");
            synchronized (seconds)
            {
                seconds.forEach((stage, count) -> sb.append(sb.length() == 1 ? "" : ", ").append('"').append(stage)
                    .append("\": ").append(count));
            }
            return sb.append('}').toString();
        }

        String summary()
        {
            synchronized (seconds)
            {
                return seconds.isEmpty() ? "none sampled" : seconds.toString();
            }
        }

        private void run()
        {
            final CountersFile file = CountersFile.openReadOnly(dataDir);
            if (file == null)
            {
                return;
            }
            final CountersReader reader = file.newReader();
            try
            {
                int second = 0;
                while (!stop.await(1, TimeUnit.SECONDS))
                {
                    second++;
                    final Map<String, long[]> totals = NodeCounters.stageTotals(reader);
                    final Map<String, Double> nodeCpu = ThreadCpu.read(nodePid);
                    final Map<String, Double> selfCpu = ThreadCpu.read(selfPid);
                    final long now = System.nanoTime();
                    if (!ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false) ||
                        (nodeCpuFirst != null && nodeCpu.isEmpty()))
                    {
                        // The node has exited (the demo says so after the summary): its threads are gone and its
                        // counters stale, so the figures end at the last reading taken while it ran.
                        return;
                    }
                    synchronized (seconds)
                    {
                        if (second == warmupSeconds || (first == null && second > warmupSeconds))
                        {
                            first = totals;
                            firstNs = now;
                            nodeCpuFirst = nodeCpu.isEmpty() ? null : nodeCpu;
                            selfCpuFirst = selfCpu;
                        }
                        last = totals;
                        lastNs = now;
                        nodeCpuLast = nodeCpu;
                        selfCpuLast = selfCpu;
                    }
                    final String stage = NodeCounters.limitingStage(reader, 64);
                    final int paren = stage.indexOf(" (");
                    // No backlog anywhere is not the ingress limiting: the load offered does (as stat prints it).
                    final String name = stage.startsWith("ingress (no stage") ? "none, the load offered limits" :
                        paren > 0 ? stage.substring(0, paren) : stage;
                    synchronized (seconds)
                    {
                        seconds.merge(name, 1, Integer::sum);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
