package io.cmtchain.bench.report;

import io.cmtchain.bench.JvmOptions;
import io.cmtchain.engine.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code cmt report}: regenerates {@code perf-reports/} from fresh runs. Each figure is the median of at least three
 * runs, with min and max beside it; comparisons are ratios measured side by side in one run.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Measure everything afresh and write a Markdown report with charts to perf-reports/.",
        "Takes about 50 minutes on 2 cores (48.3 for perf-reports/2026-11-21-1451; --sections runs a part: the " +
            "pipeline section alone about 16, the journal 11); --quick cuts every run short (for a smoke test, not " +
            "for figures).",
        "A quick report goes to a new temporary directory (or --out) and is never listed in a reports folder's index.",
        "",
        "What each section runs (bench ... is bin/cmt bench ...; RUNS is --runs;",
        "the forks of a JMH run are its runs):",
        "  engine     bench jmh engine --forks RUNS",
        "  state      bench state --accounts 1000000, then --accounts 12000000",
        "             (--seconds 10 --runs 1), RUNS times each",
        "  sigverify  bench sigverify --seconds 5, RUNS times;",
        "             bench sigverify --repeat-keys --no-native --seconds 5, RUNS times;",
        "             bench jmh SignBenchmark --prof gc --forks RUNS;",
        "             bench sign --seconds 5, RUNS times",
        "  pipeline   bench jmh pipeline --forks RUNS (about 16 minutes)",
        "  executor   bench executor --runs RUNS (its default grid)",
        "  journal    bench jmh journal --forks RUNS",
        "  dpos       bench jmh dpos --forks RUNS",
        "  e2e        bin/cmt demo --seconds 30;",
        "             demo --rate 0 --seconds 30 --warmup 5, then with --transport udp;",
        "             demo --rate 31000 --seconds 60 --warmup 5 --accounts 1000000;",
        "             RUNS times each",
        "Each run is a JVM of its own, announced by a line 'NAME: run N of M' with",
        "its log, <report>/raw/NAME-N.log (follow a long run there); its JSON is",
        "raw/NAME-N.json. The report is <out>/<yyyy-MM-dd-HHmm>/report.md, with",
        "summary.json, charts and raw/; without --quick, <out>/README.md (the index",
        "and trend table) is rewritten.",
        ""})
public final class ReportCommand implements Callable<Integer>
{
    @Option(names = "--out", paramLabel = "DIR",
        description = "reports folder (default: <root>/perf-reports; with --quick, a new " +
        "temporary directory)")
    Path out;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
        description = "runs per figure, at least 3 (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--quick", description = "short runs: checks the report machinery, figures not to be quoted; " +
        "written outside perf-reports/ unless --out says otherwise, and never added to an index")
    boolean quick;

    @Option(names = "--sections", paramLabel = "SECTION,...", split = ",",
        description = "only these sections (default: all): ${COMPLETION-CANDIDATES}")
    List<Section> sections;

    /** The report's sections, in order. */
    public enum Section
    {
        engine, state, sigverify, pipeline, executor, journal, dpos, e2e
    }

    /** In the header of every quick report: such reports are left out of the index. */
    private static final String QUICK_MARK = "quick mode: short runs, not for quoting";

    private Path root;
    private Path dir;
    private Runs runner;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, Double> summary = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException
    {
        if (runs < 3 && !quick)
        {
            System.err.println("cmt report: --runs must be at least 3 (medians of fewer runs are not reported)");
            return 2;
        }
        root = Path.of(System.getProperty("cmt.root", ".")).toAbsolutePath().normalize();
        if (!Files.exists(root.resolve("jvm.options")))
        {
            System.err.println("cmt report: run it from the checkout (bin/cmt report); no jvm.options under " + root);
            return 2;
        }
        final Path reports = reportsFolder(out, quick, root);
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        dir = reports.resolve(stamp);
        final Path work = dir.resolve("raw");
        Files.createDirectories(work);
        if (quick)
        {
            System.out.println("cmt report: quick mode: writing to " + dir + " (not added to any index)");
        }
        runner = new Runs(root, work, quick ? 600 : 3600);
        final List<Section> chosen = sections == null ? List.of(Section.values()) : sections;

        header(stamp);
        final long reportStartNs = System.nanoTime();
        final Map<Section, Long> sectionNs = new LinkedHashMap<>();
        for (final Section section : chosen)
        {
            System.out.println("cmt report: " + section + " ...");
            final long sectionStartNs = System.nanoTime();
            switch (section)
            {
                case engine: ReportSections.engine(this); break;
                case state: ReportSections.state(this); break;
                case sigverify: ReportSections.sigverify(this); break;
                case pipeline: ReportSections.pipeline(this); break;
                case executor: ReportSections.executor(this); break;
                case journal: ReportSections.journal(this); break;
                case dpos: ReportSections.dpos(this); break;
                case e2e: ReportSections.endToEnd(this); break;
                default: break;
            }
            final long tookNs = System.nanoTime() - sectionStartNs;
            sectionNs.put(section, tookNs);
            System.out.printf("cmt report: %s took %s%n", section, minutes(tookNs));
        }
        timeTaken(sectionNs, System.nanoTime() - reportStartNs);
        Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), summaryJson(), StandardCharsets.UTF_8);
        if (!quick)
        {
            writeIndex(reports);
        }
        System.out.println("cmt report: wrote " + dir.resolve("report.md"));
        return 0;
    }

    /** The report's last section: how long each section took, so that the next one can be planned. */
    private void timeTaken(final Map<Section, Long> sectionNs, final long totalNs)
    {
        md.append("## Time taken\n\n| section | wall clock |\n|---|---|\n");
        sectionNs.forEach((section, ns) -> md.append("| ").append(section).append(" | ").append(minutes(ns))
            .append(" |\n"));
        md.append("| all, from the first section's start | ").append(minutes(totalNs)).append(" |\n\n");
    }

    private static String minutes(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f min", ns / 60e9);
    }

    /**
     * @param out   the --out option, or null.
     * @param quick whether the report is a quick one.
     * @param root  of the checkout.
     * @return the folder to write the report's folder into: --out when given, else a new temporary directory for a
     * quick report (so that it never lands in perf-reports/), else {@code <root>/perf-reports}.
     * @throws IOException when the temporary directory cannot be made.
     */
    static Path reportsFolder(final Path out, final boolean quick, final Path root) throws IOException
    {
        if (out != null)
        {
            return out;
        }
        return quick ? Files.createTempDirectory("cmt-report-quick-") : root.resolve("perf-reports");
    }

    Runs runner()
    {
        return runner;
    }

    Path dir()
    {
        return dir;
    }

    int runs()
    {
        return runs;
    }

    boolean quick()
    {
        return quick;
    }

    StringBuilder md()
    {
        return md;
    }

    void figure(final String key, final double value)
    {
        summary.put(key, value);
    }

    /**
     * @param key of a figure recorded earlier in this run.
     * @return its value, or null when its section did not run.
     */
    Double figureValue(final String key)
    {
        return summary.get(key);
    }

    private void header(final String stamp) throws IOException
    {
        final Runtime rt = Runtime.getRuntime();
        md.append("# cmtchain performance report ").append(stamp).append("\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| cores | ").append(rt.availableProcessors()).append(" |\n");
        md.append("| CPU | ").append(cpuModel()).append(" |\n");
        final Set<String> cpuFlags = Machine.cpuFlags();
        md.append("| CPU flags | ").append(Machine.cpuFlagsText(cpuFlags)).append(" |\n");
        md.append("| under a hypervisor | ").append(cpuFlags.isEmpty() ? "unknown" :
            cpuFlags.contains("hypervisor") ? "yes (hypervisor CPU flag)" : "no (no hypervisor CPU flag)")
            .append(" |\n");
        md.append("| memory | ").append(String.format("%.1f GiB", totalMemoryBytes() / (1024.0 * 1024 * 1024)))
            .append(" |\n");
        md.append("| transparent huge pages | ").append(Machine.transparentHugePages()).append(" |\n");
        md.append("| JDK (every run's) | ").append(System.getProperty("java.vm.name")).append(' ')
            .append(System.getProperty("java.runtime.version")).append(" (")
            .append(System.getProperty("java.vm.vendor")).append("), ").append(System.getProperty("java.home"))
            .append(" |\n");
        md.append("| JVM flags (`jvm.options`, which the launcher, surefire and JMH forks share; JMH forks add their ")
            .append("benchmark's own `@Fork` flags, e.g. `-Xmx2g`) | ").append(jvmFlags()).append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
            .append(" |\n");
        md.append("| load average at start | ")
            .append(String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
            .append(" |\n");
        md.append("| commit | ").append(gitCommit()).append(", ").append(workingTree()).append(" |\n");
        tempDirectories();
        md.append("| runs per figure | ").append(runs).append(quick ? " (" + QUICK_MARK + ")" : "")
            .append(" |\n\n");
        md.append("Every figure is the median of the runs with (min – max) beside it; a run that measured none ")
            .append("(`null` in its JSON: the demo's latencies when nothing was committed after its warm-up) is left ")
            .append("out of it, never taken as 0, and the figure says so (`of 2 runs, not measured in 1`). Absolute ")
            .append("times move from run to run on shared machines; compare by the ratios, which are measured side by ")
            .append("side in one run. ")
            .append("Reproduce with `bin/cmt report`.\n\n");
    }

    /**
     * @return the flags of jvm.options (and of jvm-jdk23.options on a JDK 23 or later) as one code span each; a warning
     * when the bench jar's copies differ.
     */
    private String jvmFlags()
    {
        final List<String> file;
        try
        {
            file = Machine.jvmOptions(root, Runtime.version().feature());
        }
        catch (final IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        final String flags = file.stream().map(f -> "`" + f + "`").collect(Collectors.joining(" "));
        final List<String> used = JvmOptions.flags();
        return used.equals(file) ? flags : flags + " **but the bench jar's copy, which the runs use, differs:** " +
            used.stream().map(f -> "`" + f + "`").collect(Collectors.joining(" "));
    }

    /** @return whether {@code git status --porcelain} lists nothing. */
    private String workingTree()
    {
        final String status = Machine.commandOutput(root, "git", "status", "--porcelain");
        if (status == null)
        {
            return "working tree unknown";
        }
        return status.isEmpty() ? "working tree clean" : "working tree not clean (" +
            status.split("\n").length + " paths changed or untracked in `git status --porcelain`)";
    }

    /**
     * The file systems the journal benchmarks and the demo's node write on: their temporary directories, or for the
     * journal benchmarks CMT_BENCH_DIR when set (JMH forks inherit the environment, not -Dcmt.bench.dir).
     */
    private void tempDirectories()
    {
        final Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        final String benchDir = System.getenv("CMT_BENCH_DIR");
        if (benchDir == null || benchDir.isBlank())
        {
            md.append("| directory of the journal benchmarks and the demo's node | ").append(tmp).append(": ")
                .append(Machine.fileSystem(tmp)).append(" |\n");
            return;
        }
        final Path bench = Path.of(benchDir).toAbsolutePath();
        md.append("| directory of the journal benchmarks (CMT_BENCH_DIR) | ").append(bench).append(": ")
            .append(Machine.fileSystem(bench)).append(" |\n");
        md.append("| directory of the demo's node | ").append(tmp).append(": ").append(Machine.fileSystem(tmp))
            .append(" |\n");
    }

    private String gitCommit()
    {
        final String sha = Machine.commandOutput(root, "git", "rev-parse", "--short", "HEAD");
        return sha != null ? sha : "unknown";
    }

    private static String cpuModel()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo")))
        {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static long totalMemoryBytes()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo")))
        {
            return lines.filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(0L);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private String summaryJson()
    {
        return summary.entrySet().stream()
            .map(e -> "  \"" + e.getKey() + "\": " + (Double.isNaN(e.getValue()) ? "null" :
                String.format(Locale.ROOT, "%.3f", e.getValue())))
            .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }

    /**
     * Writes {@code README.md} in the reports folder: a link to the newest report and the trend of every summary
     * figure, each given as its summary.json holds it (3 decimals), so that the index never rounds a figure
     * differently from its report.
     *
     * @param reports folder holding one folder per report.
     * @throws IOException when a summary cannot be read or the index written.
     */
    static void writeIndex(final Path reports) throws IOException
    {
        final List<Path> dirs = new ArrayList<>();
        try (Stream<Path> list = Files.list(reports))
        {
            list.filter(p -> Files.exists(p.resolve("summary.json")) && !isQuick(p)).sorted().forEach(dirs::add);
        }
        final List<String> keys = new ArrayList<>();
        final List<Map<?, ?>> summaries = new ArrayList<>();
        for (final Path d : dirs)
        {
            final Object parsed = Json.parse(Files.readString(d.resolve("summary.json"), StandardCharsets.UTF_8));
            final Map<?, ?> map = parsed instanceof Map ? (Map<?, ?>)parsed : Map.of();
            summaries.add(map);
            for (final Object k : map.keySet())
            {
                if (!keys.contains(String.valueOf(k)))
                {
                    keys.add(String.valueOf(k));
                }
            }
        }
        final StringBuilder index = new StringBuilder("# Performance reports\n\n");
        final String newest = dirs.isEmpty() ? null : dirs.get(dirs.size() - 1).getFileName().toString();
        if (newest != null)
        {
            index.append("Newest: [").append(newest).append("](").append(newest).append("/report.md)\n\n");
        }
        index.append("Generated by `bin/cmt report`; never edit the numbers by hand.\n\n## Trend (medians)\n\n");
        index.append("| figure |");
        for (final Path d : dirs)
        {
            index.append(' ').append(d.getFileName()).append(" |");
        }
        index.append("\n|---|");
        dirs.forEach(d -> index.append("---|"));
        index.append('\n');
        for (final String key : keys)
        {
            index.append("| ").append(key).append(" |");
            for (final Map<?, ?> s : summaries)
            {
                final Object v = s.get(key);
                index.append(' ').append(v instanceof Number ?
                    String.format(Locale.ROOT, "%,.3f", ((Number)v).doubleValue()) : "").append(" |");
            }
            index.append('\n');
        }
        Files.writeString(reports.resolve("README.md"), index.toString(), StandardCharsets.UTF_8);
    }

    /** @return whether the report in this folder was a quick one (by its header), whatever folder it was put in. */
    private static boolean isQuick(final Path reportDir)
    {
        final Path report = reportDir.resolve("report.md");
        try
        {
            return Files.exists(report) && Files.readString(report, StandardCharsets.UTF_8).contains(QUICK_MARK);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
