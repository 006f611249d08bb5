package io.cmtchain.bench.report;

import io.cmtchain.engine.util.Json;
import io.cmtchain.pipeline.cli.DemoCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@link ReportCommand}: each runs its measurements, appends Markdown and charts, and records its
 * headline figures for the trend table.
 */
final class ReportSections
{
    private ReportSections()
    {
    }

    static void engine(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## Sequential engine (JMH)\n\n");
        md.append("`SequentialEngineBenchmark`: already-verified transfers between random accounts of a 1,000,000-")
            .append("account state, one block per operation, state root, transaction root and receipts root ")
            .append("included, one thread. Forks are the runs.\n\n");
        final Map<String, Stats> jmh = jmh(report, "engine", "SequentialEngineBenchmark",
            report.quick() ? List.of("--warmups", "1", "--iterations", "1", "--time-s", "1") : List.of());
        md.append("| benchmark | transactions/s |\n|---|---|\n");
        for (final Map.Entry<String, Stats> e : jmh.entrySet())
        {
            if (e.getKey().endsWith(":transactions"))
            {
                md.append("| ").append(e.getKey(), 0, e.getKey().length() - ":transactions".length()).append(" | ")
                    .append(e.getValue().format("%,.0f")).append(" |\n");
                report.figure("engine_tps_" + param(e.getKey(), "blockSize"), e.getValue().median());
            }
        }
        md.append('\n');
    }

    static void state(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## State at scale\n\n");
        md.append("`cmt bench state`: heap held per account (used heap after full GC, before and after building the ")
            .append("state) and the sequential apply rate with the state root, blocks of 10,000 transfers.\n\n");
        md.append("| accounts | heap | bytes per account | tx/s |\n|---|---|---|---|\n");
        for (final int accounts : new int[] {1_000_000, 12_000_000})
        {
            final Map<String, Stats> s = report.runner().repeat("state-" + accounts, report.runs(),
                report.runner().benchJar(), List.of("state", "--accounts", Integer.toString(accounts),
                "--seconds", report.quick() ? "2" : "10", "--runs", "1"));
            md.append("| ").append(String.format("%,d", accounts)).append(" | ")
                .append(stat(s, "heap_bytes").format("%,.0f")).append(" B | ")
                .append(stat(s, "bytes_per_account").format("%.1f")).append(" | ")
                .append(stat(s, "tps_median").format("%,.0f")).append(" |\n");
            report.figure("state_" + accounts + "_bytes_per_account", stat(s, "bytes_per_account").median());
            report.figure("state_" + accounts + "_tps", stat(s, "tps_median").median());
        }
        md.append('\n');
    }

    static void sigverify(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## Signature verification (one core)\n\n");
        md.append("`cmt bench sigverify`: single-thread rates in one process, rounds interleaved; libsodium measured ")
            .append("in the same run through the C harness (`bench/native`).\n\n");
        final Map<String, Stats> s = report.runner().repeat("sigverify", report.runs(), report.runner().benchJar(),
            List.of("sigverify", "--seconds", report.quick() ? "1" : "5"));
        final String sodium = Machine.libsodiumVersion();
        final String[][] rows = {
            {"libsodium_single_per_s", (sodium != null ? "libsodium " + sodium : "libsodium (version unknown)") +
                " single"},
            {"bc_single_per_s", "BouncyCastle single"},
            {"single_per_s", "cmtchain single (ZIP-215)"},
            {"batch16_per_s", "cmtchain batch 16"},
            {"batch64_per_s", "cmtchain batch 64"},
            {"batch256_per_s", "cmtchain batch 256"},
        };
        md.append("| verifier | signatures/s |\n|---|---|\n");
        final List<String> labels = new ArrayList<>();
        final List<Stats> bars = new ArrayList<>();
        for (final String[] row : rows)
        {
            final Stats st = stat(s, row[0]);
            md.append("| ").append(row[1]).append(" | ").append(st.format("%,.0f")).append(" |\n");
            if (st.count() > 0)
            {
                labels.add(row[1]);
                bars.add(st);
                report.figure("sig_" + row[0], st.median());
            }
        }
        final Stats ratio = stat(s, "batch64_vs_libsodium");
        md.append("\nbatch-64 ÷ libsodium single, same run: **").append(ratio.format("%.2f")).append("×**\n\n");
        report.figure("sig_batch64_vs_libsodium", ratio.median());

        // Senders repeat (the demo's 10,000 do): the key cache then saves the key's decompression and table.
        final Map<String, Stats> repeated = report.runner().repeat("sigverify-repeat-keys", report.runs(),
            report.runner().benchJar(),
            List.of("sigverify", "--repeat-keys", "--no-native", "--seconds", report.quick() ? "1" : "5"));
        md.append("With repeated keys (`cmt bench sigverify --repeat-keys`: 64 keys cycled, so every key is in the ")
            .append("verifier's key cache with its table):\n\n| verifier | signatures/s |\n|---|---|\n");
        for (final String[] row : new String[][] {{"batch64_per_s", "cmtchain batch 64, repeated keys"},
            {"batch256_per_s", "cmtchain batch 256, repeated keys"}})
        {
            final Stats st = stat(repeated, row[0]);
            md.append("| ").append(row[1]).append(" | ").append(st.format("%,.0f")).append(" |\n");
            if (st.count() > 0)
            {
                report.figure("sig_repeat_" + row[0], st.median());
            }
        }
        md.append('\n');
        if (!bars.isEmpty())
        {
            Charts.bars(report.dir().resolve("sigverify.png"), "Ed25519 verification, one core", "signatures/s",
                labels, bars);
            md.append("![sigverify](sigverify.png)\n\n");
        }
        signing(report);
    }

    /** Signing: {@code SignBenchmark} under JMH with its GC profiler, the forks being the runs. */
    private static void signing(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("### Signing (JMH)\n\n");
        md.append("`bin/cmt bench jmh SignBenchmark --prof gc`: Ed25519 signing of a block commit (tag, chain id, ")
            .append("32-byte header hash), one core: the validator's signer (`Ed25519Signer`) against BouncyCastle's ")
            .append("RFC 8032 signer, which make the same bytes; bytes allocated per signature from JMH's ")
            .append("`gc.alloc.rate.norm`. Forks are the runs.\n\n");
        final List<String> extra = new ArrayList<>(List.of("--prof", "gc"));
        if (report.quick())
        {
            extra.addAll(List.of("--warmups", "1", "--iterations", "1", "--time-s", "1"));
        }
        final Map<String, Stats> jmh = jmh(report, "sign", "io\\.cmtchain\\.bench\\.sigverify\\.SignBenchmark\\..*",
            extra);
        if (jmh.isEmpty())
        {
            md.append("_No results: the runs failed; see raw/jmh-sign-1.log._\n\n");
            return;
        }
        md.append("| signer | signatures/s | bytes allocated per signature |\n|---|---|---|\n");
        final String[][] rows = {{"cmtchain", "cmtchain (`Ed25519Signer`)", "cmtchain"},
            {"bouncycastle", "BouncyCastle", "bc"}};
        for (final String[] row : rows)
        {
            final String name = "SignBenchmark.signCommit[signer=" + row[0] + "]";
            final Stats rate = stat(jmh, name);
            final Stats bytes = stat(jmh, name + ":gc.alloc.rate.norm");
            md.append("| ").append(row[1]).append(" | ").append(rate.format("%,.0f")).append(" | ")
                .append(bytes.format("%,.1f")).append(" |\n");
            if (rate.count() > 0)
            {
                report.figure("sign_" + row[2] + "_per_s", rate.median());
            }
            if (bytes.count() > 0)
            {
                report.figure("sign_" + row[2] + "_bytes_per_op", bytes.median());
            }
        }
        final Stats ours = stat(jmh, "SignBenchmark.signCommit[signer=cmtchain]");
        final Stats bc = stat(jmh, "SignBenchmark.signCommit[signer=bouncycastle]");
        if (ours.count() > 0 && bc.count() > 0)
        {
            final double ratio = ours.median() / bc.median();
            md.append(String.format(java.util.Locale.ROOT, "%ncmtchain ÷ BouncyCastle, ratio of the medians: " +
                "**%.2f×**%n", ratio));
            report.figure("sign_cmtchain_vs_bc", ratio);
        }
        md.append('\n');
        signingBesideLibsodium(report);
    }

    /** Signing beside libsodium: {@code cmt bench sign}, the C harness's rounds interleaved with the Java signers'. */
    private static void signingBesideLibsodium(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        final String seconds = report.quick() ? "1" : "5";
        md.append("### Signing beside libsodium\n\n");
        md.append("`bin/cmt bench sign --seconds ").append(seconds).append("`: the same commit signing, one core, ")
            .append("1,024 keys, timed loops in one process, rounds interleaved with libsodium's ")
            .append("`crypto_sign_detached` through the C harness (`bench/native`); the Java signers must agree byte ")
            .append("for byte and verify, and the harness verifies its own signatures after each round.\n\n");
        final Map<String, Stats> s = report.runner().repeat("sign", report.runs(), report.runner().benchJar(),
            List.of("sign", "--seconds", seconds));
        final String sodium = Machine.libsodiumVersion();
        md.append("| signer | signatures/s |\n|---|---|\n");
        final String[][] rows = {
            {"libsodium_sign_per_s", sodium != null ? "libsodium " + sodium : "libsodium (version unknown)"},
            {"cmtchain_per_s", "cmtchain (`Ed25519Signer`)"},
            {"bouncycastle_per_s", "BouncyCastle"},
        };
        for (final String[] row : rows)
        {
            final Stats st = stat(s, row[0]);
            md.append("| ").append(row[1]).append(" | ").append(st.format("%,.0f")).append(" |\n");
            if (st.count() > 0)
            {
                report.figure("sign_timed_" + row[0], st.median());
            }
        }
        final Stats ratio = stat(s, "cmtchain_vs_libsodium");
        md.append("\ncmtchain ÷ libsodium, same run: **").append(ratio.format("%.2f"))
            .append("×** (per-round median: ").append(stat(s, "cmtchain_vs_libsodium_round_median").format("%.2f"))
            .append("×)\n\n");
        if (ratio.count() > 0)
        {
            report.figure("sign_cmtchain_vs_libsodium", ratio.median());
        }
    }

    static void pipeline(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## Pipeline: Disruptor against ArrayBlockingQueue (JMH)\n\n");
        final Map<String, Stats> jmh = jmh(report, "pipeline", "pipeline",
            report.quick() ? List.of("--warmups", "1", "--iterations", "1", "--time-s", "1") : List.of());
        table(md, jmh, "%,.0f");
        md.append("Ratios of the medians, same run (the issue's target for the pipeline: 5×):\n\n");
        md.append("| comparison | ratio |\n|---|---|\n");
        for (final String work : new String[] {"handoff", "full"})
        {
            final Stats abq = stat(jmh, "PipelineBenchmark.offer[pipeline=abq,work=" + work + "]");
            for (final String mode : new String[] {"dedicated", "dedicated-park", "shared"})
            {
                final Stats disruptor = stat(jmh, "PipelineBenchmark.offer[pipeline=disruptor-" + mode + ",work=" +
                    work + "]");
                if (abq.count() > 0 && disruptor.count() > 0)
                {
                    final double ratio = disruptor.median() / abq.median();
                    md.append(String.format(java.util.Locale.ROOT, "| node pipeline, %s, Disruptor %s ÷ ABQ | " +
                        "%.2f× |%n", work, mode, ratio));
                    report.figure("pipeline_" + work + "_" + mode + "_vs_abq", ratio);
                }
            }
            final Stats park = stat(jmh, "PipelineBenchmark.offer[pipeline=disruptor-dedicated-park,work=" + work +
                "]");
            final Stats dpos = stat(jmh, "PipelineBenchmark.offer[pipeline=disruptor-dedicated-park-dpos,work=" + work +
                "]");
            if (park.count() > 0 && dpos.count() > 0)
            {
                final double ratio = dpos.median() / park.median();
                md.append(String.format(java.util.Locale.ROOT, "| node pipeline, %s, dedicated-park on the DPoS " +
                    "devnet (signed blocks; the baseline has no DPoS) ÷ without DPoS | %.2f× |%n", work, ratio));
                report.figure("pipeline_" + work + "_dpos_vs_plain", ratio);
            }
        }
        final Stats mechanicsDisruptor = stat(jmh, "QueueMechanicsBenchmark.publish[queue=disruptor]");
        final Stats mechanicsAbq = stat(jmh, "QueueMechanicsBenchmark.publish[queue=abq]");
        if (mechanicsDisruptor.count() > 0 && mechanicsAbq.count() > 0)
        {
            final double ratio = mechanicsDisruptor.median() / mechanicsAbq.median();
            md.append(String.format(java.util.Locale.ROOT, "| three empty stages (hand-offs only), " +
                "Disruptor ÷ ABQ | %.2f× |%n", ratio));
            report.figure("queue_mechanics_disruptor_vs_abq", ratio);
        }
        final Stats abqHandoff = stat(jmh, "PipelineBenchmark.offer[pipeline=abq,work=handoff]");
        twoCoreBound(report, stat(jmh, "PipelineFloorBenchmark.block"), abqHandoff, "bound for any pipeline on 2 " +
            "cores, handoff: 2 × the stages' work on one thread with no hand-offs",
            "pipeline_handoff_two_core_bound_vs_abq");
        twoCoreBound(report, stat(jmh, "PipelineFloorBenchmark.hashing"), abqHandoff, "bound from the chain's " +
            "hashing alone, handoff: 2 × the SHA-256 digests of the same blocks on one thread",
            "pipeline_handoff_sha256_bound_vs_abq");
        md.append('\n');
        pipelineAllocation(report, report.dir().resolve("raw").resolve("jmh-pipeline-1.log"));
    }

    /**
     * The bytes allocated per transaction that {@code PipelineBenchmark} prints after each iteration, from the JMH
     * run's output: per variant, the largest over the measured iterations of all forks.
     */
    private static void pipelineAllocation(final ReportCommand report, final Path log) throws IOException
    {
        final StringBuilder md = report.md();
        final Map<String, IterationAllocations.Largest> allocations = IterationAllocations.read(log);
        md.append("Bytes allocated per transaction by all threads of the JVM (pipeline, benchmark and JMH threads), ")
            .append("as `PipelineBenchmark` prints after each iteration: the largest over the measured iterations ")
            .append("of all forks, warm-up iterations left out.\n\n");
        if (allocations.isEmpty())
        {
            md.append("_No allocation lines in raw/").append(log.getFileName()).append("._\n\n");
            return;
        }
        md.append("| variant | largest bytes per transaction | measured iterations | warm-up iterations left out |\n")
            .append("|---|---|---|---|\n");
        for (final Map.Entry<String, IterationAllocations.Largest> e : allocations.entrySet())
        {
            final IterationAllocations.Largest largest = e.getValue();
            md.append("| PipelineBenchmark.offer[").append(e.getKey()).append("] | ")
                .append(largest.iterations() == 0 ? "n/a" :
                String.format(java.util.Locale.ROOT, "%,.1f", largest.bytesPerTransaction()))
                .append(" | ").append(largest.iterations()).append(" | ").append(largest.warmups()).append(" |\n");
            if (largest.iterations() > 0)
            {
                report.figure("pipeline_" + param("[" + e.getKey() + "]", "work") + "_" +
                    param("[" + e.getKey() + "]", "pipeline") + "_max_bytes_per_tx", largest.bytesPerTransaction());
            }
        }
        md.append('\n');
    }

    /** A ratio-table row: 2 × a one-thread rate ÷ the ABQ pipeline's, the most two cores could reach against it. */
    private static void twoCoreBound(
        final ReportCommand report, final Stats oneThread, final Stats abq, final String label, final String figure)
    {
        if (oneThread.count() > 0 && abq.count() > 0)
        {
            final double bound = 2 * oneThread.median() / abq.median();
            report.md().append(String.format(java.util.Locale.ROOT, "| %s (%,.0f tx/s) ÷ ABQ | %.2f× |%n", label,
                oneThread.median(), bound));
            report.figure(figure, bound);
        }
    }

    static void executor(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## Parallel executor\n\n");
        final List<String> args = new ArrayList<>(List.of("executor", "--runs", Integer.toString(report.runs()),
            "--report", report.dir().toString()));
        if (report.quick())
        {
            args.addAll(List.of("--blocks", "2", "--accounts", "2,1000", "--block-size", "2000"));
        }
        report.runner().repeat("executor", 1, report.runner().benchJar(), args);
        final Path grid = report.dir().resolve("executor-grid.md");
        final Path criticalPath = report.dir().resolve("executor-critical-path.md");
        if (!Files.exists(grid))
        {
            md.append("_No results: the run failed; see raw/executor-1.log._\n\n");
            return;
        }
        md.append("Grid in the Block-STM paper's layout: [executor-grid.md](executor-grid.md); critical paths and ")
            .append("predicted speedups past this machine: " +
                "[executor-critical-path.md](executor-critical-path.md).\n\n");
        final Path json = report.dir().resolve("raw").resolve("executor-1.json");
        final Object parsed = Json.parse(Files.readString(json, StandardCharsets.UTF_8));
        final List<String> names = new ArrayList<>();
        final List<double[]> xs = new ArrayList<>();
        final List<double[]> ys = new ArrayList<>();
        md.append("| work | accounts | declared, all threads ÷ sequential (execution) | with state root |\n" +
            "|---|---|---|---|\n");
        for (final String work : new String[] {"transfer", "contract"})
        {
            final List<Double> accounts = new ArrayList<>();
            final List<Double> ratios = new ArrayList<>();
            for (final Object o : (List<?>)((Map<?, ?>)parsed).get("results"))
            {
                final Map<?, ?> r = (Map<?, ?>)o;
                if (work.equals(r.get("work")) && "declared".equals(r.get("executor")) &&
                    ((Number)r.get("threads")).intValue() == Runtime.getRuntime().availableProcessors())
                {
                    final double a = ((Number)r.get("accounts")).doubleValue();
                    final double x = ((Number)r.get("executeRatio")).doubleValue();
                    accounts.add(a);
                    ratios.add(x);
                    md.append(String.format("| %s | %,.0f | %.2f× | %.2f× |%n", work, a, x,
                        ((Number)r.get("ratio")).doubleValue()));
                    report.figure("executor_" + work + "_" + (long)a + "_ratio", x);
                }
            }
            if (!accounts.isEmpty())
            {
                names.add(work);
                xs.add(accounts.stream().mapToDouble(Double::doubleValue).toArray());
                ys.add(ratios.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        md.append('\n');
        contractMix(report, (Map<?, ?>)parsed);
        if (!names.isEmpty())
        {
            Charts.lines(report.dir().resolve("executor.png"), "Parallel ÷ sequential execution, " +
                Runtime.getRuntime().availableProcessors() + " threads", "accounts", "speedup", true, names, xs, ys);
            md.append("![executor](executor.png)\n\n");
        }
        if (Files.exists(criticalPath))
        {
            md.append(Files.readString(criticalPath, StandardCharsets.UTF_8).replaceFirst("^# ", "### ")).append("\n");
        }
    }

    /** The contract-heavy mix (work {@code sbc}): throughput with the state root, per executor and thread count. */
    private static void contractMix(final ReportCommand report, final Map<?, ?> parsed)
    {
        final StringBuilder md = report.md();
        final StringBuilder rows = new StringBuilder();
        for (final Object o : (List<?>)parsed.get("results"))
        {
            final Map<?, ?> r = (Map<?, ?>)o;
            if ("sbc".equals(r.get("work")))
            {
                final long accounts = ((Number)r.get("accounts")).longValue();
                final String executor = String.valueOf(r.get("executor"));
                final int threads = ((Number)r.get("threads")).intValue();
                final double tps = ((Number)r.get("txPerSecond")).doubleValue();
                rows.append(String.format("| %,d | %s | %d | %,.0f | %,.0f |%n", accounts, executor, threads, tps,
                    ((Number)r.get("executeTxPerSecond")).doubleValue()));
                report.figure("sbc_" + accounts + "_" + executor + "_" + threads + "_tps", tps);
            }
        }
        if (rows.length() > 0)
        {
            md.append("Contract-heavy mix (`sbc`: 50% token transfers, 20% escrow create + release, 20% CMT ")
                .append("transfers, 10% loan offer + accept or insurance open + buy; blocks of 10,000; every receipt ")
                .append("checked OK), median of the runs; details in the grid file:\n\n")
                .append("| accounts | executor | threads | tx/s with state root | tx/s execution only |\n")
                .append("|---:|---|---:|---:|---:|\n").append(rows).append('\n');
        }
    }

    static void journal(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## Journal (JMH)\n\n");
        md.append("`JournalAppendBenchmark`: blocks of 1,000 signed transfers appended to the Chronicle journal, in ")
            .append("transactions per second; durability `PROCESS` (in the page cache) and `POWER` (each block forced ")
            .append("to the device before append returns). `JournalReplayBenchmark`: replaying 100 such blocks from ")
            .append("genesis with the reference executor, the frames hashed again (`recomputeHashes=true`, as ")
            .append("`cmt replay` and recovery do) or the journaled hashes trusted; and opening the journal after an ")
            .append("unclean stop, both indexes rebuilt (`recomputeHashes` does not apply to it). Forks are the ")
            .append("runs.\n\n");
        final Map<String, Stats> jmh = jmh(report, "journal", "journal",
            report.quick() ? List.of("--warmups", "1", "--iterations", "1", "--time-s", "1") : List.of());
        final Map<String, Stats> rates = new LinkedHashMap<>();
        final Map<String, Stats> lookups = new LinkedHashMap<>();
        jmh.forEach((name, stats) ->
            (name.startsWith("TransactionLookup") ? lookups : rates).put(name, stats));
        table(md, rates, "%,.0f");
        md.append("`TransactionLookupBenchmark`: what a transaction query (`cmt receipt`) costs the journal stage, ")
            .append("which answers it between appends, in microseconds per query, over 200 such blocks: a transaction ")
            .append("of the last block (`latest`), of any block (`random`: nearly every query reads another block), ")
            .append("or a hash no block holds (`absent`). `TransactionLookupPartsBenchmark` splits `random`: ")
            .append("positioning a reader at a random block (`seek`); reading it whole as a replay does (`load`: copy ")
            .append("the entry out of the queue, check its CRC32C, decode every transaction and receipt; a query ")
            .append("decodes only where each record starts); a copy and a CRC32C of an entry's worth of bytes alone ")
            .append("(`copyEntry`, `crcEntry`).\n\n");
        table(md, lookups, "%,.3f");
        for (final String which : new String[] {"latest", "random", "absent"})
        {
            final Stats st = stat(lookups, "TransactionLookupBenchmark.query[which=" + which + "]");
            if (st.count() > 0)
            {
                report.figure("journal_lookup_" + which + "_us", st.median());
            }
        }
        final String[][] figures = {
            {"JournalAppendBenchmark.appendBlock[durability=PROCESS]", "journal_append_tps"},
            {"JournalAppendBenchmark.appendBlock[durability=POWER]", "journal_forced_append_tps"},
            {"JournalReplayBenchmark.replayFromGenesis[recomputeHashes=true]", "journal_replay_tps"},
            {"JournalReplayBenchmark.replayFromGenesis[recomputeHashes=false]", "journal_replay_trusted_hashes_tps"},
            {"JournalReplayBenchmark.openAndRebuildIndex[recomputeHashes=true]", "journal_index_rebuild_tps"},
        };
        for (final String[] figure : figures)
        {
            final Stats st = stat(jmh, figure[0]);
            if (st.count() > 0)
            {
                report.figure(figure[1], st.median());
            }
        }
    }

    static void endToEnd(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## End to end: `bin/cmt demo`\n\n");
        md.append("Each heading gives the command line of its runs (each run adds `--json raw/NAME-RUN.json`, which ")
            .append("also records that command line).\n\n");
        final List<String> options = List.of("--seconds", report.quick() ? "5" : "30");
        md.append("### At the demo's default rate: `").append(demoCommand(options)).append("`\n\n");
        md.append("A node in its own JVM and the load generator in another, over Aeron IPC through the node's media ")
            .append("driver (the demo's default transport), transfers from 10,000 devnet ")
            .append("senders to recipients spread over 1,000,000 addresses, open-loop at the demo's default rate ")
            .append(String.format(java.util.Locale.ROOT, "(%,d tx/s)", DemoCommand.DEFAULT_RATE))
            .append(", its first 2 s (the demo's default warm-up) left out of the percentiles; latency from each ")
            .append("transaction's intended send time to its receipt (HdrHistogram).\n\n");
        final Map<String, Stats> s = demo(report, "demo", options);
        figureRows(md, s, "tps", "p50_ms", "p99_ms", "p999_ms", "submitted", "committed", "rejected", "lost");
        md.append('\n');
        report.figure("e2e_tps", stat(s, "tps").median());
        report.figure("e2e_p99_ms", stat(s, "p99_ms").median());

        final List<Double> x = new ArrayList<>();
        final List<Double> y = new ArrayList<>();
        for (final Map.Entry<String, Stats> e : s.entrySet())
        {
            if (e.getKey().startsWith("percentiles."))
            {
                final double p = Double.parseDouble(e.getKey().substring("percentiles.".length()));
                // The classic HdrHistogram plot: x = 1 / (1 - p), so that 99.99% sits four decades right of 0%.
                x.add(p >= 100 ? 1e6 : 100 / (100 - p));
                y.add(e.getValue().median());
            }
        }
        if (!x.isEmpty())
        {
            Charts.lines(report.dir().resolve("latency.png"),
                "Latency by percentile at the demo's default rate (median of runs)",
                "percentile as 1/(1-p): 2 = 50%, 100 = 99%, 10^4 = 99.99%, 10^6 = max", "ms", true,
                List.of("intended send to receipt"), List.of(x.stream().mapToDouble(Double::doubleValue).toArray()),
                List.of(y.stream().mapToDouble(Double::doubleValue).toArray()));
            md.append("![latency](latency.png)\n\n");
        }

        flatOut(report);

        final List<String> targetOptions = List.of("--rate", "31000", "--seconds", report.quick() ? "10" : "60",
            "--warmup", "5", "--accounts", "1000000");
        md.append("### Target load, 30,000 tx/s over 1,000,000 accounts: `").append(demoCommand(targetOptions))
            .append("`\n\n");
        md.append("The same node and load generator processes, offered 31,000 tx/s (the load generator's tps counts ")
            .append("the drain after the last send, so the offered rate sits just above the 30,000 target).\n\n");
        final Map<String, Stats> target = demo(report, "target", targetOptions);
        figureRows(md, target, "tps", "p50_ms", "p99_ms", "p999_ms", "committed", "lost");
        md.append('\n');
        report.figure("target_tps", stat(target, "tps").median());
        report.figure("target_p99_ms", stat(target, "p99_ms").median());
    }

    /**
     * The demo flat out: the node's ceiling on this machine against twice the batch verifier's per-core rate (the
     * pipeline's target), and each stage's throughput and the cores each thread group used, from the node's counters.
     */
    private static void flatOut(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        final String warmup = "5";
        final List<String> options = List.of("--rate", "0", "--seconds", report.quick() ? "6" : "30", "--warmup",
            warmup);
        md.append("### Flat out, and each stage's throughput: `").append(demoCommand(options)).append("`\n\n");
        md.append("The load generator sends as fast as the node takes ")
            .append("transactions (back-pressure reaches it through Aeron). The load generator runs on the same ")
            .append("cores as the node.\n\n");
        final Map<String, Stats> s = demo(report, "flatout", options);
        figureRows(md, s, "tps", "steady_tps", "p50_ms", "p99_ms", "committed", "lost");
        md.append('\n');
        md.append("`tps` counts from the first send to the last receipt (the first seconds' JIT warm-up and the drain ")
            .append("after the last send included); `steady_tps` counts what was committed from the end of the ")
            .append(warmup).append(" s warm-up to the last send.\n\n");
        final double tps = stat(s, "tps").median();
        final double steady = stat(s, "steady_tps").median();
        report.figure("flatout_tps", tps);
        report.figure("flatout_steady_tps", steady);
        final Double batch = report.figureValue("sig_batch64_per_s");
        final int cores = Runtime.getRuntime().availableProcessors();
        if (batch != null && batch > 0)
        {
            md.append(String.format(java.util.Locale.ROOT, "Against %d × the batch-64 per-core rate of this report " +
                "(%,.0f/s), the pipeline issue's target being 0.8: steady state **%.2f**, whole run %.2f.%n%n",
                cores, batch, steady / (cores * batch), tps / (cores * batch)));
            report.figure("flatout_vs_verify_capacity", tps / (cores * batch));
            report.figure("flatout_steady_vs_verify_capacity", steady / (cores * batch));
        }
        final Double repeatBatch = report.figureValue("sig_repeat_batch64_per_s");
        if (repeatBatch != null && repeatBatch > 0)
        {
            md.append(String.format(java.util.Locale.ROOT, "The demo's senders repeat, so its verifiers mostly hit " +
                "the key cache. Against %d × the repeated-keys batch-64 rate (%,.0f/s): steady state %.2f, whole " +
                "run %.2f.%n%n", cores, repeatBatch, steady / (cores * repeatBatch), tps / (cores * repeatBatch)));
            report.figure("flatout_steady_vs_repeat_verify_capacity", steady / (cores * repeatBatch));
        }
        md.append("Each stage, after warm-up: events it handled per second of duty cycles with work (its ")
            .append("throughput when never idle: wall time, so preemption by other threads counts against it), and ")
            .append("its busy share of the wall clock (2 verifier threads can reach 200%).\n\n");
        md.append("| stage | events per busy second | busy share |\n|---|---|---|\n");
        for (final String stage : new String[] {"ingress", "decode", "verify", "ordering", "execute", "journal",
            "receipts", "egress"})
        {
            final Stats rate = stat(s, "stages." + stage + ".events_per_busy_s");
            final Stats busy = stat(s, "stages." + stage + ".busy_share");
            if (busy.count() == 0)
            {
                continue;
            }
            md.append("| ").append(stage).append(stage.equals("verify") ? " (per thread)" : "").append(" | ")
                .append(rate.median() < 0 ? "–" : rate.format("%,.0f")).append(" | ")
                .append(busy.format("%.2f")).append(" |\n");
            if (rate.median() > 0)
            {
                report.figure("stage_" + stage + "_per_busy_s", rate.median());
            }
        }
        md.append("\nCores used after warm-up per thread group (from /proc), node and load generator:\n\n");
        md.append("| thread group | cores |\n|---|---|\n");
        for (final Map.Entry<String, Stats> e : s.entrySet())
        {
            if (e.getKey().startsWith("cpu.") && !e.getKey().equals("cpu.verify_per_cpu_s") &&
                e.getValue().median() >= 0.005)
            {
                md.append("| ").append(e.getKey().substring(4)).append(" | ").append(e.getValue().format("%.2f"))
                    .append(" |\n");
            }
        }
        final Stats perCpu = stat(s, "cpu.verify_per_cpu_s");
        if (perCpu.count() > 0)
        {
            md.append("\nSignatures per CPU second of the node's verifier threads: ").append(perCpu.format("%,.0f"))
                .append(".\n");
            report.figure("node_verify_per_cpu_s", perCpu.median());
        }
        md.append('\n');

        final List<String> udpOptions = new ArrayList<>(options);
        udpOptions.addAll(List.of("--transport", "udp"));
        md.append("#### Flat out over UDP: `").append(demoCommand(udpOptions)).append("`\n\n");
        md.append("The same, over Aeron UDP on ")
            .append("loopback; each JVM runs its own media driver, which sends and receives the datagrams on the same ")
            .append("2 cores.\n\n");
        final Map<String, Stats> udp = demo(report, "flatout-udp", udpOptions);
        figureRows(md, udp, "tps", "steady_tps", "p99_ms", "committed", "lost");
        for (final Map.Entry<String, Stats> e : udp.entrySet())
        {
            if (e.getKey().startsWith("cpu.") && e.getKey().contains("aeron") && e.getValue().median() >= 0.005)
            {
                md.append("| cores: ").append(e.getKey().substring(4)).append(" | ")
                    .append(e.getValue().format("%.2f")).append(" |\n");
            }
        }
        md.append('\n');
        report.figure("flatout_udp_steady_tps", stat(udp, "steady_tps").median());
        if (batch != null && batch > 0)
        {
            md.append(String.format(java.util.Locale.ROOT, "Over UDP against %d × %,.0f/s: steady state %.2f, whole " +
                "run %.2f.%n%n", cores, batch, stat(udp, "steady_tps").median() / (cores * batch),
                stat(udp, "tps").median() / (cores * batch)));
        }
    }

    /**
     * Runs {@code bin/cmt demo} with these options {@link ReportCommand#runs()} times, then records the command line
     * in each run's raw JSON (as {@code "command"}: the demo's JSON names none of its options).
     *
     * @return the runs' figures.
     */
    private static Map<String, Stats> demo(final ReportCommand report, final String name, final List<String> options)
        throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("demo"));
        args.addAll(options);
        final Map<String, Stats> stats = report.runner().repeat(name, report.runs(), report.runner().cmtJar(), args);
        for (int run = 1; run <= report.runs(); run++)
        {
            final Path json = report.dir().resolve("raw").resolve(name + "-" + run + ".json");
            if (Files.exists(json))
            {
                Files.writeString(json, withCommand(Files.readString(json, StandardCharsets.UTF_8),
                    demoCommand(options)), StandardCharsets.UTF_8);
            }
        }
        return stats;
    }

    /** @return the launcher's command line for the demo with these options. */
    static String demoCommand(final List<String> options)
    {
        return "bin/cmt demo" + (options.isEmpty() ? "" : " " + String.join(" ", options));
    }

    /**
     * @param json    a JSON object's text.
     * @param command a command line.
     * @return the object with {@code "command": command} as its first member; the text unchanged when it is not an
     * object.
     */
    static String withCommand(final String json, final String command)
    {
        final int open = json.indexOf('{');
        if (open < 0 || !json.substring(0, open).isBlank())
        {
            return json;
        }
        final boolean empty = json.substring(open + 1).strip().startsWith("}");
        return json.substring(0, open + 1) + "\"command\": \"" + command.replace("\\", "\\\\")
            .replace("\"", "\\\"") + "\"" + (empty ? "" : ", ") + json.substring(open + 1);
    }

    static void dpos(final ReportCommand report) throws IOException
    {
        final StringBuilder md = report.md();
        md.append("## DPoS block close (JMH)\n\n");
        md.append("`DposBlockBenchmark`: `beginBlock` (signers, missed blocks) plus the block's end (award with ")
            .append("commission to 19 validators and 5 backups, re-ranking, governance tally, election, proposer ")
            .append("priority, DPoS digest, state root) on a state with 100,000 live delegations over 200 ")
            .append("candidates; average time in µs per block (the amortized cost), per fork.\n\n");
        final Map<String, Stats> jmh = jmh(report, "dpos", "dpos",
            report.quick() ? List.of("--warmups", "1", "--iterations", "1", "--time-s", "1") : List.of());
        table(md, jmh, "%,.2f");
        for (final Map.Entry<String, Stats> e : jmh.entrySet())
        {
            if (!e.getKey().contains(":"))
            {
                report.figure("dpos_block_close_us", e.getValue().median());
            }
        }
    }

    private static Map<String, Stats> jmh(
        final ReportCommand report, final String name, final String suite, final List<String> extra) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("jmh", suite, "--forks", Integer.toString(report.runs())));
        args.addAll(extra);
        report.runner().repeat("jmh-" + name, 1, report.runner().benchJar(), args);
        final Path raw = report.dir().resolve("raw");
        final List<String> shortfalls = JmhResults.shortfalls(raw.resolve("jmh-" + name + "-1.log"));
        if (!shortfalls.isEmpty())
        {
            report.md().append("_Incomplete: JMH failed these runs or some of their forks (raw/jmh-").append(name)
                .append("-1.log), so a figure below may be missing or of fewer forks:_\n\n");
            shortfalls.forEach(line -> report.md().append("- ").append(line).append('\n'));
            report.md().append('\n');
        }
        return JmhResults.read(raw.resolve("jmh-" + name + "-1.json"));
    }

    private static void table(final StringBuilder md, final Map<String, Stats> stats, final String format)
    {
        if (stats.isEmpty())
        {
            md.append("_No results: the runs failed; see the logs in raw/._\n\n");
            return;
        }
        md.append("| figure | median (min – max) |\n|---|---|\n");
        for (final Map.Entry<String, Stats> e : stats.entrySet())
        {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().format(format)).append(" |\n");
        }
        md.append('\n');
    }

    /** A table of the runs' figures under these keys, median (min – max) each; the caller ends it. */
    private static void figureRows(final StringBuilder md, final Map<String, Stats> stats, final String... keys)
    {
        md.append("| figure | median (min – max) |\n|---|---|\n");
        for (final String key : keys)
        {
            md.append("| ").append(key).append(" | ").append(stat(stats, key).format("%,.2f")).append(" |\n");
        }
    }

    private static Stats stat(final Map<String, Stats> stats, final String key)
    {
        return stats.getOrDefault(key, new Stats());
    }

    private static String param(final String name, final String param)
    {
        final int i = name.indexOf(param + "=");
        if (i < 0)
        {
            return "default";
        }
        final int end = name.indexOf(name.indexOf(',', i) >= 0 ? ',' : ']', i);
        return name.substring(i + param.length() + 1, end < 0 ? name.length() : end);
    }
}
