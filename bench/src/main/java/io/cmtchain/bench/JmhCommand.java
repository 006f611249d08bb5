package io.cmtchain.bench;

import io.cmtchain.bench.report.Stats;
import io.cmtchain.transport.loadgen.FileArguments;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Runs JMH benchmarks by suite name or regular expression, with the project's JVM flags in every fork.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
    description = {"Run JMH benchmarks of a suite (engine, sigverify, pipeline, journal, executor, transport, dpos) " +
        "or matching a regular expression, with the project's JVM flags in every fork.",
        "Exit status: 0 when every run (benchmark, mode and @Param combination) measured all its forks; 1 when any " +
        "failed or lost forks (JMH goes on without them: they are listed last, and the figures printed are of the " +
        "rest); 2 for options it cannot run."})
public final class JmhCommand implements Callable<Integer>
{
    /** Follows "N of M" in the line before the list of runs that failed or lost forks; the report looks for it. */
    public static final String SHORTFALL_HEADING = " runs failed or lost forks, so the figures are incomplete";

    /** Begins each line of that list. */
    public static final String SHORTFALL_INDENT = "  ";

    @Parameters(index = "0", paramLabel = "SUITE|REGEX", defaultValue = "engine",
        description = "suite name or benchmark regex (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--json", paramLabel = "FILE", description = "write JMH's JSON results here")
    String json;

    @Option(names = "--forks", paramLabel = "N", description = "forks per benchmark (default: as annotated)")
    Integer forks;

    @Option(names = "--iterations", paramLabel = "N", description = "measurement iterations (default: as annotated)")
    Integer iterations;

    @Option(names = "--warmups", paramLabel = "N", description = "warm-up iterations (default: as annotated)")
    Integer warmups;

    @Option(names = "--time-s", paramLabel = "S",
        description = "seconds per iteration, warm-up and measurement alike (default: as " +
        "annotated)")
    Integer timeSeconds;

    @Option(names = "--list", description = "list the benchmarks of the suite (or matching the regex) and exit")
    boolean list;

    @Option(names = "--list-profilers", description = "list the JMH profilers this machine has (for --prof) and exit")
    boolean listProfilers;

    @Option(names = "--prof", paramLabel = "PROFILER", description = "add a JMH profiler, e.g. gc")
    List<String> profilers;

    @Option(names = "--param", paramLabel = "NAME=V1,V2", description = "override a @Param of the matched " +
        "benchmarks; NAME must be one of their @Params, and a @Param whose declared values are words (not numbers) " +
        "takes only those")
    List<String> params;

    @Override
    public Integer call() throws RunnerException
    {
        if (listProfilers)
        {
            ProfilerFactory.listProfilers(System.out);
            return 0;
        }
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(regexFor(suite))
            .jvmArgsAppend(JvmOptions.flags().toArray(new String[0]));
        if (list)
        {
            new Runner(options.build()).list();
            return 0;
        }
        if (json != null)
        {
            try
            {
                FileArguments.checkWritable(new java.io.File(json), "--json");
            }
            catch (final IllegalArgumentException ex)
            {
                System.err.println("cmt bench jmh: " + ex.getMessage());
                return 2;
            }
            options.resultFormat(ResultFormatType.JSON).result(json);
        }
        if (forks != null)
        {
            options.forks(forks);
        }
        if (iterations != null)
        {
            options.measurementIterations(iterations);
        }
        if (warmups != null)
        {
            options.warmupIterations(warmups);
        }
        if (timeSeconds != null)
        {
            options.measurementTime(TimeValue.seconds(timeSeconds)).warmupTime(TimeValue.seconds(timeSeconds));
        }
        if (profilers != null)
        {
            profilers.forEach(options::addProfiler);
        }
        final Collection<BenchmarkListEntry> matched = matched(regexFor(suite));
        final Map<String, String[]> overrides = overrides(params);
        if (params != null)
        {
            final String problem = checkParams(declaredParams(matched), params);
            if (problem != null)
            {
                System.err.println("cmt bench jmh: " + problem);
                return 2;
            }
            overrides.forEach(options::param);
        }
        final Map<String, Integer> expected = expectedRuns(matched, overrides, forks);
        final Collection<RunResult> results;
        try
        {
            results = new Runner(options.build()).run();
        }
        catch (final NoBenchmarksException ex)
        {
            return noMatch();
        }
        catch (final RunnerException | RuntimeException ex)
        {
            if (profilers != null && String.valueOf(ex.getMessage()).startsWith("Profilers failed"))
            {
                System.err.println("cmt bench jmh: JMH could not start the profilers " + profilers + " (`bin/cmt " +
                    "bench jmh --list-profilers` lists those this machine has)");
                return 2;
            }
            throw ex;
        }
        if (results.isEmpty())
        {
            // JMH threw NoBenchmarksException above when nothing matched: here every matched benchmark failed.
            System.err.println("cmt bench jmh: every benchmark matching \"" + suite + "\" failed, so there are no " +
                "results; JMH printed each failure above (<failure> and the exception of its fork)");
            return 1;
        }
        forkMedians(results).forEach(System.out::println);
        final List<String> shortfalls = shortfalls(expected, actualRuns(results));
        if (!shortfalls.isEmpty())
        {
            // JMH leaves a failed run out of its results and a failed fork out of its run's score, and carries on.
            System.err.println("cmt bench jmh: " + shortfalls.size() + " of " + expected.size() + SHORTFALL_HEADING +
                "; JMH printed each failure above (<failure>):");
            shortfalls.forEach(line -> System.err.println(SHORTFALL_INDENT + line));
            return 1;
        }
        return 0;
    }

    /**
     * @param params the --param options, NAME=V1,V2 each, already checked; may be null.
     * @return the values each overrides, by name.
     */
    static Map<String, String[]> overrides(final List<String> params)
    {
        final Map<String, String[]> overrides = new TreeMap<>();
        if (params != null)
        {
            for (final String p : params)
            {
                final int eq = p.indexOf('=');
                overrides.put(p.substring(0, eq), p.substring(eq + 1).split(","));
            }
        }
        return overrides;
    }

    /**
     * The runs JMH makes of the matched benchmarks: one per benchmark, mode and combination of its @Param values (a
     * --param replacing the declared values of a @Param it names), with its number of forks.
     *
     * @param matched   the benchmarks, from {@link #matched}.
     * @param overrides --param values by name.
     * @param forks     the --forks option, or null for each benchmark's annotation (JMH's default: 5).
     * @return the forks of each run, by {@link #runKey}.
     */
    static Map<String, Integer> expectedRuns(
        final Collection<BenchmarkListEntry> matched, final Map<String, String[]> overrides, final Integer forks)
    {
        final Map<String, Integer> runs = new TreeMap<>();
        for (final BenchmarkListEntry entry : matched)
        {
            // A fork count of 0 runs the benchmark once, in this JVM.
            final int forkCount = Math.max(1, forks != null ? forks : entry.getForks().orElse(5));
            List<Map<String, String>> combinations = List.of(new TreeMap<>());
            if (entry.getParams().hasValue())
            {
                for (final Map.Entry<String, String[]> param : entry.getParams().get().entrySet())
                {
                    final String[] values = overrides.getOrDefault(param.getKey(), param.getValue());
                    final List<Map<String, String>> next = new ArrayList<>();
                    for (final Map<String, String> combination : combinations)
                    {
                        for (final String value : values)
                        {
                            final Map<String, String> extended = new TreeMap<>(combination);
                            extended.put(param.getKey(), value);
                            next.add(extended);
                        }
                    }
                    combinations = next;
                }
            }
            for (final Map<String, String> combination : combinations)
            {
                runs.put(runKey(entry.getUsername(), entry.getMode().shortLabel(), combination), forkCount);
            }
        }
        return runs;
    }

    /**
     * @param results of a run.
     * @return the forks each run measured, by {@link #runKey}.
     */
    static Map<String, Integer> actualRuns(final Collection<RunResult> results)
    {
        final Map<String, Integer> runs = new TreeMap<>();
        for (final RunResult result : results)
        {
            runs.merge(runKey(result.getParams().getBenchmark(), result.getParams().getMode().shortLabel(),
                new TreeMap<>(params(result))), result.getBenchmarkResults().size(), Integer::sum);
        }
        return runs;
    }

    /**
     * @param benchmark its full name.
     * @param mode      JMH's short label of the mode, e.g. thrpt.
     * @param params    @Param values by name, sorted.
     * @return e.g. {@code SignBenchmark.sign[signer=cmtchain] thrpt}.
     */
    static String runKey(final String benchmark, final String mode, final Map<String, String> params)
    {
        return name(benchmark, params) + " " + mode;
    }

    /**
     * The name under which the reports and this command give a benchmark's figures.
     *
     * @param benchmark its full name.
     * @param params    its @Param values by name, in the order to show them.
     * @return e.g. {@code SignBenchmark.signCommit[signer=cmtchain]}: class and method, then the params if any.
     */
    public static String name(final String benchmark, final Map<?, ?> params)
    {
        final String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        return params.isEmpty() ? name : name + params.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * @param expected forks of each run JMH was asked for.
     * @param actual   forks of each run it has results of.
     * @return a line per run that has no result or fewer forks than asked, in the order of {@code expected}.
     */
    static List<String> shortfalls(final Map<String, Integer> expected, final Map<String, Integer> actual)
    {
        final List<String> lines = new ArrayList<>();
        expected.forEach((run, forkCount) ->
        {
            final int measured = actual.getOrDefault(run, 0);
            if (measured == 0)
            {
                lines.add(run + ": no result");
            }
            else if (measured < forkCount)
            {
                lines.add(run + ": " + measured + " of " + forkCount + " forks (its figure is of those alone)");
            }
        });
        return lines;
    }

    /**
     * JMH's score is the mean of all measured iterations of all forks; the reports in perf-reports/ give a JMH figure
     * as the median of the forks' scores (each fork's mean) with their min and max. This prints that form, so that a
     * figure of a report can be compared with a run of the command it names.
     *
     * @param results of a run.
     * @return nothing when no benchmark ran more than one fork; else a heading and a line per benchmark and metric.
     */
    static List<String> forkMedians(final Collection<RunResult> results)
    {
        final List<String> lines = new ArrayList<>();
        boolean severalForks = false;
        for (final RunResult result : results)
        {
            final String name = name(result.getParams().getBenchmark(), params(result));
            final Map<String, Stats> metrics = new LinkedHashMap<>();
            final Map<String, String> units = new LinkedHashMap<>();
            for (final BenchmarkResult fork : result.getBenchmarkResults())
            {
                metrics.computeIfAbsent(name, k -> new Stats()).add(fork.getPrimaryResult().getScore());
                units.put(name, fork.getPrimaryResult().getScoreUnit());
                fork.getSecondaryResults().forEach((label, secondary) ->
                {
                    metrics.computeIfAbsent(name + ":" + label, k -> new Stats()).add(secondary.getScore());
                    units.put(name + ":" + label, secondary.getScoreUnit());
                });
            }
            severalForks |= result.getBenchmarkResults().size() > 1;
            metrics.forEach((metric, stats) -> lines.add(forkLine(metric, stats, units.get(metric))));
        }
        if (!severalForks)
        {
            return List.of();
        }
        lines.add(0, "");
        lines.add(1, "Median of the forks' scores (min – max), the form in which perf-reports/ give JMH figures:");
        return lines;
    }

    /**
     * @param metric benchmark[params] or benchmark[params]:secondary.
     * @param stats  one value per fork.
     * @param unit   of the values.
     * @return one line of {@link #forkMedians}.
     */
    static String forkLine(final String metric, final Stats stats, final String unit)
    {
        final String format = Math.abs(stats.median()) >= 100 ? "%,.0f" : "%,.3f";
        return String.format(Locale.ROOT, "  %-60s %s %s (%d forks)", metric, stats.format(format), unit,
            stats.count());
    }

    /** @return a run's @Param values by name, in its order. */
    private static Map<String, String> params(final RunResult result)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        result.getParams().getParamsKeys().forEach(k -> params.put(k, result.getParams().getParam(k)));
        return params;
    }

    private int noMatch()
    {
        System.err.println("cmt bench jmh: no benchmark matches \"" + suite + "\" (a suite: engine, sigverify, " +
            "pipeline, journal, executor, transport, dpos, all; or a regular expression over the benchmarks' names)");
        return 2;
    }

    /**
     * @param name a command-line word.
     * @return true when it names a JMH suite.
     */
    static boolean isSuite(final String name)
    {
        return !regexFor(name).equals(name);
    }

    /**
     * @param regex of the benchmarks to run.
     * @return each benchmark and mode of this jar's benchmark list that it matches.
     */
    static Collection<BenchmarkListEntry> matched(final String regex)
    {
        return BenchmarkList.defaultList().find(
            OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(regex), List.of());
    }

    /**
     * @param matched the benchmarks to run, from {@link #matched}.
     * @return each @Param that one of them declares, with the union of its declared values, by name.
     */
    static Map<String, Set<String>> declaredParams(final Collection<BenchmarkListEntry> matched)
    {
        final Map<String, Set<String>> declared = new TreeMap<>();
        for (final BenchmarkListEntry entry : matched)
        {
            if (entry.getParams().hasValue())
            {
                entry.getParams().get().forEach((name, values) ->
                    declared.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(Arrays.asList(values)));
            }
        }
        return declared;
    }

    /**
     * Checks --param options before any fork starts: JMH itself ignores a NAME that no benchmark declares (the run
     * goes on with the defaults), and the benchmarks take any value of a String @Param as one of theirs (an unknown
     * {@code signer} measured BouncyCastle under the name given).
     *
     * @param declared the matched benchmarks' @Params with their declared values.
     * @param params   the --param options, NAME=V1,V2 each.
     * @return null when all can be run; else why not, in one line.
     */
    static String checkParams(final Map<String, Set<String>> declared, final List<String> params)
    {
        for (final String p : params)
        {
            final int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1)
            {
                return "--param wants NAME=V1,V2, got " + p;
            }
            final String name = p.substring(0, eq);
            final Set<String> values = declared.get(name);
            if (values == null)
            {
                return "--param " + p + ": no matched benchmark has a @Param " + name + (declared.isEmpty() ?
                    " (they have none)" : " (theirs: " + String.join(", ", declared.keySet()) + ")");
            }
            final boolean numeric = values.stream().allMatch(JmhCommand::isNumber);
            for (final String value : p.substring(eq + 1).split(",", -1))
            {
                if (numeric ? !isNumber(value) : !values.contains(value))
                {
                    return "--param " + p + ": " + name + " cannot be '" + value + "' (" + (numeric ? "a number, " +
                        "declared: " : "one of ") + String.join(", ", values) + ")";
                }
            }
        }
        return null;
    }

    private static boolean isNumber(final String value)
    {
        try
        {
            Double.parseDouble(value);
            return !value.isBlank();
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    static String regexFor(final String suite)
    {
        switch (suite)
        {
            case "engine":
                return "io\\.cmtchain\\.bench\\.engine\\..*";
            case "sigverify":
            case "pipeline":
            case "journal":
            case "executor":
            case "transport":
            case "dpos":
                return "io\\.cmtchain\\.bench\\." + suite + "\\..*";
            case "all":
                return "io\\.cmtchain\\.bench\\..*";
            default:
                return suite;
        }
    }
}
