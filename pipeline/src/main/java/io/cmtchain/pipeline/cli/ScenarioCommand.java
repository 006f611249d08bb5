package io.cmtchain.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.cmtchain.engine.dpos.ScenarioRunner;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cmt scenario FILE [--json OUT]}: run a scenario (a genesis plus blocks of DPoS and Smart Business Contract
 * transactions and signers, see {@code docs/scenarios.md} and {@code docs/contracts.md}) offline and
 * deterministically, and print the resulting state as JSON. The runner is the
 * engine's {@link ScenarioRunner}; this command only reads and writes files.
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description = "Run a scenario file (DPoS and Smart Business Contract transactions, docs/scenarios.md) offline " +
        "and print the resulting state as JSON.")
public final class ScenarioCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Scenario JSON (docs/scenarios.md).")
    Path file;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the report to this file.")
    Path json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (json != null && sameFile(json, file))
        {
            // The report would replace the scenario it was made from.
            err.println("cmt scenario: --json " + json + " is the scenario file itself: name another file");
            err.flush();
            return 1;
        }
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            err.println("cmt scenario: cannot read " + file + ": " + FileArguments.reason(ex));
            err.flush();
            return 1;
        }
        final String report;
        try
        {
            report = ScenarioRunner.run(text);
        }
        catch (final ScenarioRunner.ScenarioException ex)
        {
            err.println("cmt scenario: " + file + ": " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final IllegalStateException | IllegalArgumentException | ArithmeticException ex)
        {
            err.println("cmt scenario: " + file + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            err.flush();
            return 1;
        }
        if (json != null)
        {
            try
            {
                Files.writeString(json, report, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                err.println("cmt scenario: cannot write " + json + ": " + FileArguments.reason(ex));
                err.flush();
                return 1;
            }
        }
        out.print(report);
        out.flush();
        return 0;
    }

    /** @return whether both paths name one existing file (a link, or the same path spelt otherwise, included). */
    private static boolean sameFile(final Path a, final Path b)
    {
        try
        {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
