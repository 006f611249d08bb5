package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.executor.CriticalPathAnalyzer;
import io.cmtchain.executor.HashChainWork;
import io.cmtchain.executor.ParallelExecutor;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code cmt bench executor}: sequential against parallel block execution over the Block-STM paper's grid
 * (accounts x threads x work per transaction), medians of several runs measured side by side, plus the critical-path
 * simulator's predictions for 8 to 64 threads. Prints Markdown; {@code --json} and {@code --report} write files.
 */
@Command(
    name = "executor",
    mixinStandardHelpOptions = true,
    description = "Benchmark sequential vs parallel block execution (Block-STM grid) and simulate critical paths.")
public final class ExecutorBenchCommand implements Callable<Integer>
{
    private static final int[] SIMULATED_THREADS = {8, 16, 32, 64};
    static final String SBC = "sbc";

    @Option(names = "--accounts", paramLabel = "N,...", split = ",",
        description = "Account counts (2 = full contention). Default: ${DEFAULT-VALUE}.")
    int[] accounts = {2, 10, 100, 1_000, 10_000, 1_000_000};

    @Option(names = "--threads", paramLabel = "N,...", split = ",",
        description = "Thread counts. Default: 1, 2 and the machine's count.")
    int[] threads;

    @Option(names = "--work", paramLabel = "KIND,...", split = ",",
        description = "transfer, contract (transfer + a hash chain of about " +
        "17 µs, printed at start) and/or sbc (Smart Business Contracts: 50%% token transfers, 20%% escrow " +
        "create+release, 20%% CMT transfers, 10%% loan/insurance; reference and declared only). Default: all three.")
    String[] work = {"transfer", "contract", SBC};

    @Option(names = "--sbc-accounts", paramLabel = "N,...", split = ",",
        description = "Account counts of the sbc work. Default: ${DEFAULT-VALUE}.")
    int[] sbcAccounts = {10_000, 1_000_000};

    @Option(names = "--schedulers", paramLabel = "NAME,...", split = ",",
        description = "declared and/or optimistic. Default: both.")
    String[] schedulers = {"declared", "optimistic"};

    @Option(names = "--block-size", paramLabel = "N",
        description = "Transactions per block. Default: ${DEFAULT-VALUE}.")
    int blockSize = 10_000;

    @Option(names = "--blocks", paramLabel = "N",
        description = "Measured blocks per configuration and run. Default: ${DEFAULT-VALUE}.")
    int blocks = 5;

    @Option(names = "--warmup-blocks", paramLabel = "N",
        description = "Unmeasured blocks first. Default: ${DEFAULT-VALUE}.")
    int warmupBlocks = 2;

    @Option(names = "--runs", paramLabel = "N", description = "Runs; medians are reported. Default: ${DEFAULT-VALUE}.")
    int runs = 3;

    @Option(names = "--contract-rounds", paramLabel = "N",
        description = "Hash chain links of the synthetic contract. Default: ${DEFAULT-VALUE}.")
    int contractRounds = ExecutorKinds.CONTRACT_ROUNDS;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON to this file.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR",
        description = "Write executor-grid.md and executor-critical-path.md into this directory.")
    Path report;

    @Option(names = "--in-process", description = "Run every executor in this JVM instead of one child JVM per " +
        "executor kind (their shared rule code then sees several Ledger types and the JIT inlines less).")
    boolean inProcess;

    @Option(names = "--serve", hidden = true, description = "Child mode: measure cells for one executor " +
        "kind on request.")
    String serve;

    private final PrintStream out = System.out;

    /** One measured cell of the grid. */
    private static final class Cell
    {
        String work;
        int accounts;
        String executor;
        int threads;
        double[] txPerSecond;
        double[] ratio;
        double[] execTxPerSecond;
        double[] execRatio;
        long fallbackBlocks;
        long parallelBlocks;
        long reExecutions;
    }

    @Override
    public Integer call() throws IOException
    {
        validate();
        if (serve != null)
        {
            return serve(serve);
        }
        if (threads == null)
        {
            threads = distinct(1, 2, Runtime.getRuntime().availableProcessors());
        }
        final String load = loadAverage();
        out.printf(Locale.ROOT, "cmt bench executor: %d cores, load average %s, blocks of %d, %d+%d blocks x %d runs%n",
            Runtime.getRuntime().availableProcessors(), load, blockSize, warmupBlocks, blocks, runs);
        final double contractMicros = contractCostMicros();
        out.printf(Locale.ROOT, "synthetic contract: %d hash links = %.1f us per transaction%n", contractRounds,
            contractMicros);

        final List<String> kinds = new ArrayList<>();
        final List<Integer> kindThreads = new ArrayList<>();
        kinds.add("reference");
        kindThreads.add(1);
        for (final String sch : schedulers)
        {
            for (final int t : threads)
            {
                kinds.add(sch);
                kindThreads.add(t);
            }
        }
        final List<Cell> cells = new ArrayList<>();
        final StringBuilder critical = new StringBuilder();
        final CellRunner runner = inProcess ? new InProcessRunner() : new ForkedRunner(kinds);
        try
        {
            for (final String w : work)
            {
                final boolean sbc = SBC.equals(w);
                for (final int a : sbc ? sbcAccounts : accounts)
                {
                    if ("transfer".equals(w))
                    {
                        final ExecutorWorkload workload = new ExecutorWorkload(a, blockSize, 1, seed(a));
                        final BlockTransactions first = new BlockTransactions(blockSize);
                        workload.fill(0, first);
                        critical.append(criticalPathRow(workload, first));
                    }
                    // The optimistic scheduler does not route contract blocks to in-order execution
                    // (docs/contracts.md).
                    final List<Integer> rowKinds = new ArrayList<>();
                    for (int k = 0; k < kinds.size(); k++)
                    {
                        if (!sbc || !"optimistic".equals(kinds.get(k)))
                        {
                            rowKinds.add(k);
                        }
                    }
                    final Cell[] row = new Cell[rowKinds.size()];
                    for (int j = 0; j < row.length; j++)
                    {
                        final int k = rowKinds.get(j);
                        row[j] = new Cell();
                        row[j].work = w;
                        row[j].accounts = a;
                        row[j].executor = kinds.get(k);
                        row[j].threads = kindThreads.get(k);
                        row[j].txPerSecond = new double[runs];
                        row[j].ratio = new double[runs];
                        row[j].execTxPerSecond = new double[runs];
                        row[j].execRatio = new double[runs];
                    }
                    for (int r = 0; r < runs; r++)
                    {
                        for (int j = 0; j < row.length; j++)
                        {
                            // Rotate the order from run to run so no configuration always goes first.
                            final int k = (j + r) % row.length;
                            final long[] m = runner.measure(row[k].executor, w, a, row[k].threads);
                            row[k].execTxPerSecond[r] = (double)blocks * blockSize * 1e9 / m[0];
                            row[k].txPerSecond[r] = (double)blocks * blockSize * 1e9 / m[1];
                            row[k].fallbackBlocks += m[2];
                            row[k].parallelBlocks += m[3];
                            row[k].reExecutions += m[4];
                        }
                        for (final Cell c : row)
                        {
                            c.ratio[r] = c.txPerSecond[r] / row[0].txPerSecond[r];
                            c.execRatio[r] = c.execTxPerSecond[r] / row[0].execTxPerSecond[r];
                        }
                    }
                    for (final Cell c : row)
                    {
                        cells.add(c);
                        out.printf(Locale.ROOT,
                            "%-8s accounts=%-8d %-10s threads=%d  execute %,11.0f tx/s x%.2f  with root %,11.0f tx/s " +
                            "x%.2f%n", c.work, c.accounts, c.executor, c.threads, median(c.execTxPerSecond),
                            median(c.execRatio), median(c.txPerSecond), median(c.ratio));
                    }
                }
            }
        }
        finally
        {
            runner.close();
        }

        final String grid = gridMarkdown(cells, load, contractMicros);
        final String path = criticalMarkdown(critical.toString());
        out.println();
        out.print(grid);
        out.println();
        out.print(path);
        if (report != null)
        {
            Files.createDirectories(report);
            Files.writeString(report.resolve("executor-grid.md"), grid, StandardCharsets.UTF_8);
            Files.writeString(report.resolve("executor-critical-path.md"), path, StandardCharsets.UTF_8);
        }
        if (json != null)
        {
            Files.writeString(json, json(cells, load, contractMicros), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private void validate()
    {
        if (blockSize < 2 || blocks < 1 || warmupBlocks < 0 || runs < 1 || contractRounds < 1)
        {
            throw new IllegalArgumentException(
                "--block-size must be >= 2, --blocks, --runs and --contract-rounds >= 1");
        }
        FileArguments.checkWritable(json == null ? null : json.toFile(), "--json");
        if (report != null && Files.exists(report) && !Files.isDirectory(report))
        {
            throw new IllegalArgumentException("--report " + report + ": not a directory");
        }
        for (final int a : sbcAccounts)
        {
            if (a < 2)
            {
                throw new IllegalArgumentException("--sbc-accounts values must be >= 2, was " + a);
            }
        }
        for (final int a : accounts)
        {
            if (a < 2)
            {
                throw new IllegalArgumentException("--accounts values must be >= 2, was " + a);
            }
        }
        for (final String w : work)
        {
            if (!"transfer".equals(w) && !"contract".equals(w) && !SBC.equals(w))
            {
                throw new IllegalArgumentException("--work must be transfer, contract or sbc, was " + w);
            }
        }
        for (final String s : schedulers)
        {
            if (!"declared".equals(s) && !"optimistic".equals(s))
            {
                throw new IllegalArgumentException("--schedulers must be declared or optimistic, was " + s);
            }
        }
        if (threads != null)
        {
            for (final int t : threads)
            {
                if (t < 1)
                {
                    throw new IllegalArgumentException("--threads values must be >= 1, was " + t);
                }
            }
        }
    }

    /**
     * Execute the warm-up and measured blocks on a fresh state.
     *
     * @return {execute ns, execute + state root ns, fallback blocks, parallel blocks, re-executions} of the
     *         measured blocks.
     */
    private long[] measure(final Prepared prepared, final BlockExecutor executor)
    {
        final ChainState state = prepared.workload.createState();
        final BlockTransactions[] txs = prepared.txs;
        final BlockReceipts receipts = new BlockReceipts(blockSize);
        final ParallelExecutor parallel = executor instanceof ParallelExecutor ? (ParallelExecutor)executor : null;
        final long fallbackBefore = parallel == null ? 0 : parallel.sequentialBlocks();
        final long parallelBefore = parallel == null ? 0 : parallel.parallelBlocks();
        final long reExecBefore = parallel == null ? 0 : parallel.reExecutions();
        long executeNs = 0;
        long totalNs = 0;
        final long firstHeight = prepared.workload.firstHeight();
        for (int b = 0; b < txs.length; b++)
        {
            final long start = System.nanoTime();
            executor.execute(state, firstHeight + b, txs[b], receipts);
            final long executed = System.nanoTime();
            state.endBlock();
            final long end = System.nanoTime();
            if (b >= warmupBlocks)
            {
                executeNs += executed - start;
                totalNs += end - start;
            }
            // A benchmark of rejections is worthless: every transaction of every block must commit (outside timing).
            ContractWorkload.requireCommitted("block " + (firstHeight + b), txs[b], receipts);
        }
        return new long[] {
            executeNs,
            totalNs,
            parallel == null ? 0 : parallel.sequentialBlocks() - fallbackBefore,
            parallel == null ? 0 : parallel.parallelBlocks() - parallelBefore,
            parallel == null ? 0 : parallel.reExecutions() - reExecBefore};
    }

    private static long seed(final int accounts)
    {
        return 7 + accounts;
    }

    /** A workload and its blocks, built once per account count. */
    private static final class Prepared
    {
        final int accounts;
        final boolean sbc;
        final BenchWorkload workload;
        final BlockTransactions[] txs;

        Prepared(final int accounts, final boolean sbc, final int blockSize, final int blocks)
        {
            this.accounts = accounts;
            this.sbc = sbc;
            workload = sbc ? new ContractWorkload(accounts, blockSize, blocks, seed(accounts)) :
                new ExecutorWorkload(accounts, blockSize, blocks, seed(accounts));
            txs = new BlockTransactions[blocks];
            for (int b = 0; b < blocks; b++)
            {
                txs[b] = new BlockTransactions(blockSize);
                workload.fill(b, txs[b]);
            }
        }
    }

    /** Measures one cell of the grid somewhere. */
    private interface CellRunner extends AutoCloseable
    {
        long[] measure(String kind, String work, int accounts, int threads) throws IOException;

        @Override
        void close();
    }

    /** Every executor in this JVM. */
    private final class InProcessRunner implements CellRunner
    {
        private final Map<String, BlockExecutor> executors = new HashMap<>();
        private Prepared prepared;

        @Override
        public long[] measure(final String kind, final String work, final int accounts, final int threadCount)
        {
            final boolean sbc = SBC.equals(work);
            if (prepared == null || prepared.accounts != accounts || prepared.sbc != sbc)
            {
                prepared = null;
                prepared = new Prepared(accounts, sbc, blockSize, warmupBlocks + blocks);
            }
            final BlockExecutor executor = executors.computeIfAbsent(kind + "/" + work + "/" + threadCount,
                key -> ExecutorKinds.create(kind, threadCount, "contract".equals(work), contractRounds));
            return ExecutorBenchCommand.this.measure(prepared, executor);
        }

        @Override
        public void close()
        {
            for (final BlockExecutor e : executors.values())
            {
                if (e instanceof AutoCloseable)
                {
                    closeQuietly((AutoCloseable)e);
                }
            }
        }
    }

    /**
     * One child JVM per executor kind, driven one cell at a time so that measurements never overlap: each JVM's JIT
     * sees only its own executor, as a node's would.
     */
    private final class ForkedRunner implements CellRunner
    {
        private final Map<String, Process> children = new HashMap<>();
        private final Map<String, BufferedReader> replies = new HashMap<>();
        private final Map<String, PrintStream> requests = new HashMap<>();

        ForkedRunner(final List<String> kinds) throws IOException
        {
            final List<String> jvm = io.cmtchain.bench.JvmOptions.flags();
            for (final String kind : kinds)
            {
                if (children.containsKey(kind))
                {
                    continue;
                }
                final List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvm);
                command.add("-Xmx3g");
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(ExecutorBenchCommand.class.getName());
                command.add("--serve=" + kind);
                command.add("--block-size=" + blockSize);
                command.add("--blocks=" + blocks);
                command.add("--warmup-blocks=" + warmupBlocks);
                command.add("--contract-rounds=" + contractRounds);
                final Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
                children.put(kind, process);
                replies.put(kind, new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)));
                requests.put(kind, new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public long[] measure(final String kind, final String work, final int accounts, final int threadCount)
            throws IOException
        {
            requests.get(kind).println("measure " + work + " " + accounts + " " + threadCount);
            final String reply = replies.get(kind).readLine();
            if (reply == null || !reply.startsWith("result "))
            {
                throw new IOException("executor benchmark child for " + kind + " failed: " + reply);
            }
            final String[] parts = reply.split(" ");
            final long[] m = new long[parts.length - 1];
            for (int i = 0; i < m.length; i++)
            {
                m[i] = Long.parseLong(parts[i + 1]);
            }
            return m;
        }

        @Override
        public void close()
        {
            for (final Map.Entry<String, Process> e : children.entrySet())
            {
                requests.get(e.getKey()).println("quit");
                try
                {
                    if (!e.getValue().waitFor(30, TimeUnit.SECONDS))
                    {
                        e.getValue().destroy();
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    e.getValue().destroy();
                }
            }
        }
    }

    /** Child mode: answer "measure WORK ACCOUNTS THREADS" with "result ..." until "quit" or end of input. */
    private int serve(final String kind) throws IOException
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (InProcessRunner runner = new InProcessRunner())
        {
            String line;
            while ((line = in.readLine()) != null && !"quit".equals(line))
            {
                final String[] parts = line.split(" ");
                final long[] m = runner.measure(kind, parts[1], Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
                final StringBuilder reply = new StringBuilder("result");
                for (final long v : m)
                {
                    reply.append(' ').append(v);
                }
                out.println(reply);
                out.flush();
            }
        }
        return 0;
    }

    private String criticalPathRow(final ExecutorWorkload workload, final BlockTransactions first)
    {
        final ChainState state = workload.createState();
        final StringBuilder row = new StringBuilder();
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            // The first recorded block, against the state it runs on.
            analyzer.analyze(state, first, null);
            row.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d |", workload.accounts(), analyzer.txCount(),
                analyzer.edgeCount(), analyzer.criticalPath()));
            for (final int t : SIMULATED_THREADS)
            {
                row.append(String.format(Locale.ROOT, " %.1f / %.1f |", analyzer.boundSpeedup(t),
                    analyzer.simulatedSpeedup(t)));
            }
        }
        return row.append('\n').toString();
    }

    private double contractCostMicros()
    {
        final ExecutorWorkload workload = new ExecutorWorkload(2, 64, 1, 1);
        final BlockTransactions txs = new BlockTransactions(64);
        workload.fill(0, txs);
        final TransactionFlyweight tx = new TransactionFlyweight().wrap(txs.buffer(0), txs.offset(0), txs.length(0));
        final HashChainWork w = new HashChainWork(contractRounds);
        long sink = 0;
        for (int i = 0; i < 5_000; i++)
        {
            sink += w.perform(tx);
        }
        final int measured = 5_000;
        final long start = System.nanoTime();
        for (int i = 0; i < measured; i++)
        {
            sink += w.perform(tx);
        }
        final double micros = (System.nanoTime() - start) / 1e3 / measured;
        return sink == 42 ? micros + 0 : micros;
    }

    private String gridMarkdown(final List<Cell> cells, final String load, final double contractMicros)
    {
        final StringBuilder md = new StringBuilder()
            .append("# Executor grid: sequential vs parallel\n\n")
            .append(String.format(Locale.ROOT,
                "Generated by `cmt bench executor`: %d cores, load average %s at start; " +
                "blocks of %,d transfers between accounts drawn uniformly (2 accounts = full contention), %d warm-up " +
                "+ %d measured blocks per configuration, median of %d runs measured side by side; throughput " +
                "is shown for execution alone and with the state root (`endBlock`, sequential in the engine). " +
                "Contract = transfer plus a %d-link SHA-256 chain (%.1f µs here). x = parallel / sequential in the " +
                "same run (median of the runs' ratios). One thread runs the engine's own loop. Work `sbc`: the Smart " +
                "Business Contracts mix, see below the table. " +
                "%s%n%n",
                Runtime.getRuntime().availableProcessors(), load, blockSize, warmupBlocks, blocks, runs,
                contractRounds, contractMicros, inProcess ? "All executors in one JVM." :
                "Each executor kind in its own JVM, driven one cell at a time."))
            .append("| work | accounts | executor | threads | execute tx/s | x seq | with root tx/s | x seq |" +
                " fallback/parallel blocks | re-executions |\n")
            .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final Cell c : cells)
        {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %d | %,.0f | %.2f | %,.0f | %.2f | %s | %s |%n",
                c.work, c.accounts, c.executor, c.threads, median(c.execTxPerSecond), median(c.execRatio),
                median(c.txPerSecond), median(c.ratio),
                "reference".equals(c.executor) ? "-" : c.fallbackBlocks + "/" + c.parallelBlocks,
                "optimistic".equals(c.executor) ? Long.toString(c.reExecutions) : "-"));
        }
        boolean sbcHeader = false;
        for (final Cell c : cells)
        {
            if (!SBC.equals(c.work))
            {
                continue;
            }
            if (!sbcHeader)
            {
                sbcHeader = true;
                md.append(String.format(Locale.ROOT, "%nSmart Business Contracts (work `sbc`): blocks of %,d " +
                    "transactions, 50%% TOKEN_TRANSFER, 20%% ESCROW_CREATE + ESCROW_RELEASE, 20%% CMT TRANSFER, 10%% " +
                    "LOAN_OFFER + LOAN_ACCEPT (instalments run by the scheduler at block end) or INSURANCE_OPEN + " +
                    "INSURANCE_BUY; 10,000 senders (100 token issuers), recipients drawn from all accounts; every " +
                    "receipt checked OK. tx/s with the state root: median (min – max) of %d runs; x = speed-up " +
                    "over the reference executor, median (min – max) of the runs' ratios. The declared scheduler " +
                    "runs blocks holding contract types in order (contract types declare no access sets).%n%n",
                    blockSize, runs))
                    .append("| accounts | executor | threads | with root tx/s | min – max | x seq | min – max |\n")
                    .append("|---:|---|---:|---:|---:|---:|---:|\n");
            }
            md.append(String.format(Locale.ROOT, "| %,d | %s | %d | %,.0f | %,.0f – %,.0f | %.2f | %.2f – %.2f |%n",
                c.accounts, c.executor, c.threads, median(c.txPerSecond), min(c.txPerSecond), max(c.txPerSecond),
                median(c.ratio), min(c.ratio), max(c.ratio)));
        }
        return md.toString();
    }

    private String criticalMarkdown(final String rows)
    {
        final StringBuilder md = new StringBuilder()
            .append("# Executor critical path\n\n")
            .append("Generated by `cmt bench executor`: the first recorded block of each transfer workload, its " +
                "conflict graph from declared access sets, work = 1 unit per transaction. Each cell: bound " +
                "total / max(critical path, total / threads) / greedy list-scheduling simulation (lowest index " +
                "first).\n\n")
            .append("| accounts | txs | edges | critical path |");
        for (final int t : SIMULATED_THREADS)
        {
            md.append(' ').append(t).append(" threads |");
        }
        md.append("\n|---:|---:|---:|---:|");
        for (int i = 0; i < SIMULATED_THREADS.length; i++)
        {
            md.append("---:|");
        }
        return md.append('\n').append(rows).toString();
    }

    private String json(final List<Cell> cells, final String load, final double contractMicros)
    {
        final StringBuilder j = new StringBuilder()
            .append("{\"cores\":").append(Runtime.getRuntime().availableProcessors())
            .append(",\"loadAverage\":\"").append(load).append('"')
            .append(",\"blockSize\":").append(blockSize)
            .append(",\"measuredBlocks\":").append(blocks)
            .append(",\"runs\":").append(runs)
            .append(",\"contractRounds\":").append(contractRounds)
            .append(String.format(Locale.ROOT, ",\"contractMicros\":%.2f", contractMicros))
            .append(",\"results\":[");
        for (int i = 0; i < cells.size(); i++)
        {
            final Cell c = cells.get(i);
            j.append(i == 0 ? "" : ",")
                .append("{\"work\":\"").append(c.work).append('"')
                .append(",\"accounts\":").append(c.accounts)
                .append(",\"executor\":\"").append(c.executor).append('"')
                .append(",\"threads\":").append(c.threads)
                .append(String.format(Locale.ROOT, ",\"executeTxPerSecond\":%.0f,\"executeRatio\":%.3f",
                    median(c.execTxPerSecond), median(c.execRatio)))
                .append(String.format(Locale.ROOT, ",\"txPerSecond\":%.0f,\"ratio\":%.3f", median(c.txPerSecond),
                    median(c.ratio)))
                .append(",\"runsTxPerSecond\":").append(Arrays.toString(round(c.txPerSecond)))
                .append(",\"fallbackBlocks\":").append(c.fallbackBlocks)
                .append(",\"parallelBlocks\":").append(c.parallelBlocks)
                .append(",\"reExecutions\":").append(c.reExecutions)
                .append('}');
        }
        return j.append("]}\n").toString();
    }

    private static long[] round(final double[] values)
    {
        final long[] r = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            r[i] = Math.round(values[i]);
        }
        return r;
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(final double[] values)
    {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(final double[] values)
    {
        return Arrays.stream(values).max().orElse(0);
    }

    private static int[] distinct(final int... values)
    {
        return Arrays.stream(values).distinct().sorted().toArray();
    }

    private static String loadAverage()
    {
        try
        {
            final String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
            final String[] parts = s.split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return String.format(Locale.ROOT, "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // Closing executors at the end of a benchmark: nothing useful to do with a failure.
        }
    }

    /**
     * Run stand-alone: {@code java -cp benchmarks.jar io.cmtchain.bench.executor.ExecutorBenchCommand}.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        final picocli.CommandLine commandLine = new picocli.CommandLine(new ExecutorBenchCommand());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("cmt bench executor: " + ex.getMessage());
            return 2;
        });
        System.exit(commandLine.execute(args));
    }
}
