package io.cmtchain.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cmt} command line: the node, the demo and the operator tools.
 */
@Command(
    name = "cmt",
    mixinStandardHelpOptions = true,
    versionProvider = CmtMain.Version.class,
    description = "cmtchain: a validator engine for a CyberMiles-style DPoS chain.",
    footer = {"",
        "Benchmarks live in their own jar, which bin/cmt builds and runs for these two:",
        "  bench     JMH suites and the measured runs: bin/cmt bench --help",
        "  report    measure everything afresh into perf-reports/: bin/cmt report --help"},
    subcommands = {
        CommandLine.HelpCommand.class,
        SigcheckCommand.class,
        LoadgenCommand.class,
        ReplayCommand.class,
        NodeCommand.class,
        KeygenCommand.class,
        StatCommand.class,
        DemoCommand.class,
        ScenarioCommand.class,
    })
public final class CmtMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Run the command line without exiting, for tests.
     *
     * @param args command line.
     * @return exit status.
     */
    public static int execute(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new CmtMain());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("cmt: " + ex.getMessage());
            return 2;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String v = CmtMain.class.getPackage().getImplementationVersion();
            return new String[] {"cmt " + (v == null ? "dev" : v)};
        }
    }
}
