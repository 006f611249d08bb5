package io.cmtchain.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        "annotated settings: engine, pipeline, journal, transport or dpos (sigverify, sign, executor and state are the " +
        "measured runs listed under Commands below; their JMH suites run with: bench jmh sigverify|executor); or " +
        "all: every JMH benchmark, then the sigverify, sign, executor and state runs")
    String suite;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        final CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("cmt bench: " + ex.getMessage());
            return 2;
        });
        System.exit(commandLine.execute(args));
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
        exit(new CommandLine(new JmhCommand()).execute("all"));
        exit(new CommandLine(new io.cmtchain.bench.sigverify.SigverifyBenchCommand()).execute());
        exit(new CommandLine(new io.cmtchain.bench.sigverify.SignBenchCommand()).execute());
        exit(new CommandLine(new io.cmtchain.bench.executor.ExecutorBenchCommand()).execute());
        exit(new CommandLine(new io.cmtchain.bench.engine.StateScaleCommand()).execute());
    }

    private static void exit(final int status)
    {
        if (status != 0)
        {
            System.exit(status);
        }
    }
}
