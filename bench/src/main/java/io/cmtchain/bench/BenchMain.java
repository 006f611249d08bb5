package io.cmtchain.bench;

import io.cmtchain.pipeline.cli.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;

/**
 * {@code cmt bench}: the benchmarks, runnable from the launcher ({@code bin/cmt bench ...}) or as
 * {@code java -jar bench/target/benchmarks.jar ...}.
 */
@Command(name = "cmt bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: JMH suites and the project's own measured runs.",
    subcommands = {
        CommandLine.HelpCommand.class,
        JmhCommand.class,
        io.cmtchain.bench.sigverify.SigverifyBenchCommand.class,
        io.cmtchain.bench.sigverify.SignBenchCommand.class,
        io.cmtchain.bench.executor.ExecutorBenchCommand.class,
        io.cmtchain.bench.engine.StateScaleCommand.class,
        io.cmtchain.bench.report.ReportCommand.class,
    })
public final class BenchMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(arity = "0..1", paramLabel = "SUITE|all", description = "a JMH suite to run with its " +
        "annotated settings: engine, pipeline, journal, transport or dpos (sigverify, sign, executor and state are " +
        "the measured runs listed under Commands below; their JMH suites run with: bench jmh sigverify|executor); or " +
        "all: every JMH benchmark, then the sigverify, sign, executor and state runs")
    String suite;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the {@code cmt bench} command line: before a run, a warning for each {@code cmt.*} setting nothing reads
     *         (the JMH forks take the same properties as the node); what a run throws, one line and exit status 2.
     */
    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setExecutionStrategy(parseResult ->
        {
            Settings.warnOfUnknown(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("cmt bench: " + ex.getMessage());
            return 2;
        });
        return commandLine;
    }

    @Override
    public void run()
    {
        if (suite == null)
        {
            spec.commandLine().usage(System.out);
            return;
        }
        if (!suite.equals("all"))
        {
            if (!JmhCommand.isSuite(suite))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown suite '" + suite + "': a JMH " +
                    "suite (engine, pipeline, journal, transport, dpos), a measured run (sigverify, sign, executor, " +
                    "state), or all; bench jmh REGEX runs JMH benchmarks by name");
            }
            exit(new CommandLine(new JmhCommand()).execute(suite));
            return;
        }
        // Every part runs even when one before it failed: each prints its own failure, and the status is the worst.
        final String[] names = {"jmh all", "sigverify", "sign", "executor", "state"};
        final int[] statuses = {
            new CommandLine(new JmhCommand()).execute("all"),
            new CommandLine(new io.cmtchain.bench.sigverify.SigverifyBenchCommand()).execute(),
            new CommandLine(new io.cmtchain.bench.sigverify.SignBenchCommand()).execute(),
            new CommandLine(new io.cmtchain.bench.executor.ExecutorBenchCommand()).execute(),
            new CommandLine(new io.cmtchain.bench.engine.StateScaleCommand()).execute()};
        final String failed = failedParts(names, statuses);
        if (!failed.isEmpty())
        {
            System.err.println("cmt bench all: these parts did not complete (their output above says why): " + failed);
        }
        exit(Arrays.stream(statuses).max().orElse(0));
    }

    /**
     * @param names    of the parts of {@code bench all}.
     * @param statuses their exit statuses, in the same order.
     * @return the names of those that did not exit 0, with their statuses; empty when all did.
     */
    static String failedParts(final String[] names, final int[] statuses)
    {
        final StringBuilder failed = new StringBuilder();
        for (int i = 0; i < names.length; i++)
        {
            if (statuses[i] != 0)
            {
                failed.append(failed.length() == 0 ? "" : ", ").append(names[i]).append(" (exit ")
                    .append(statuses[i]).append(')');
            }
        }
        return failed.toString();
    }

    private static void exit(final int status)
    {
        if (status != 0)
        {
            System.exit(status);
        }
    }
}
