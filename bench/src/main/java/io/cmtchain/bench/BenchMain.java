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
        io.cmtchain.bench.executor.ExecutorBenchCommand.class,
        io.cmtchain.bench.engine.StateScaleCommand.class,
        io.cmtchain.bench.report.ReportCommand.class,
    })
public final class BenchMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        spec.commandLine().usage(System.out);
    }
}
