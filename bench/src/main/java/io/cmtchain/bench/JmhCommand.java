package io.cmtchain.bench;

import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs JMH benchmarks by suite name or regular expression, with the project's JVM flags in every fork.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
    description = {"Run JMH benchmarks of a suite (engine, sigverify, pipeline, journal, executor, transport, dpos) " +
        "or matching a regular expression, with the project's JVM flags in every fork."})
public final class JmhCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "SUITE|REGEX", defaultValue = "engine",
        description = "suite name or benchmark regex (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--json", paramLabel = "FILE", description = "write JMH's JSON results here")
    String json;

    @Option(names = "--forks", description = "forks per benchmark (default: as annotated)")
    Integer forks;

    @Option(names = "--iterations", description = "measurement iterations (default: as annotated)")
    Integer iterations;

    @Option(names = "--warmups", description = "warm-up iterations (default: as annotated)")
    Integer warmups;

    @Option(names = "--time-s", description = "seconds per iteration, warm-up and measurement alike (default: as " +
        "annotated)")
    Integer timeSeconds;

    @Option(names = "--list", description = "list the benchmarks of the suite (or matching the regex) and exit")
    boolean list;

    @Option(names = "--list-profilers", description = "list the JMH profilers this machine has (for --prof) and exit")
    boolean listProfilers;

    @Option(names = "--prof", paramLabel = "PROFILER", description = "add a JMH profiler, e.g. gc")
    List<String> profilers;

    @Option(names = "--param", paramLabel = "NAME=V1,V2", description = "override a @Param")
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
        if (params != null)
        {
            for (final String p : params)
            {
                final int eq = p.indexOf('=');
                if (eq <= 0)
                {
                    System.err.println("cmt bench jmh: --param wants NAME=V1,V2, got " + p);
                    return 2;
                }
                options.param(p.substring(0, eq), p.substring(eq + 1).split(","));
            }
        }
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
        return results.isEmpty() ? noMatch() : 0;
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
