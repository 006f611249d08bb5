package io.cmtchain.bench;

import io.cmtchain.bench.sigverify.SigverifyBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cmt bench}: side-by-side throughput runs; JMH benchmarks run through {@code org.openjdk.jmh.Main}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "cmtchain benchmarks.",
    subcommands = {
        CommandLine.HelpCommand.class,
        SigverifyBenchCommand.class,
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
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
