package io.cmtchain.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest
{
    @Test
    void shouldNameEveryRunnableSuiteAndMeasuredRunForAnUnknownSuite()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("sgin"));
        final String firstLine = err.toString().lines().findFirst().orElse("");
        assertEquals("unknown suite 'sgin': a JMH suite (engine, pipeline, journal, transport, dpos), a measured run " +
            "(sigverify, sign, executor, state), or all; bench jmh REGEX runs JMH benchmarks by name", firstLine);
        for (final String suite : new String[] {"engine", "pipeline", "journal", "transport", "dpos"})
        {
            assertTrue(JmhCommand.isSuite(suite), suite);
        }
        for (final String run : new String[] {"sigverify", "sign", "executor", "state", "report"})
        {
            assertTrue(commandLine.getSubcommands().containsKey(run), run);
        }
    }

    @Test
    void shouldNameWhatEveryOptionTakesInsteadOfPicocliFieldNames()
    {
        final StringBuilder unlabelled = new StringBuilder();
        for (final CommandLine run : new CommandLine(new BenchMain()).getSubcommands().values())
        {
            for (final CommandLine.Model.OptionSpec option : run.getCommandSpec().options())
            {
                if (!option.hidden() && option.arity().max() > 0 && option.paramLabel().startsWith("<"))
                {
                    unlabelled.append(run.getCommandName()).append(' ').append(option.longestName()).append('\n');
                }
            }
        }
        assertEquals("", unlabelled.toString(), "options showing a field name as their value in --help");
    }

    @Test
    void shouldSayThatSecondsAreSplitOverTheRounds()
    {
        for (final String run : new String[] {"sigverify", "sign"})
        {
            final String help = new CommandLine(new BenchMain()).getSubcommands().get(run).getUsageMessage()
                .replaceAll("\\s+", " ");
            assertTrue(help.contains("Measured seconds per contestant, split evenly over the rounds"), help);
        }
    }

    @Test
    void shouldNameEachPartOfAllThatDidNotComplete()
    {
        final String[] names = {"jmh all", "sigverify", "sign"};
        assertEquals("jmh all (exit 1), sign (exit 2)", BenchMain.failedParts(names, new int[] {1, 0, 2}));
        assertEquals("", BenchMain.failedParts(names, new int[] {0, 0, 0}));
    }

    @Test
    void shouldWarnOfASettingNothingReadsBeforeARunButNotForHelp()
    {
        // The JMH forks take the launcher's -D settings: a misspelt one would leave a default measured without a word.
        final String property = "cmt.bench.dirr";
        System.setProperty(property, "/tmp");
        try
        {
            final String warning = "warning: " + property + " is not a setting of cmtchain; it is ignored (did you " +
                "mean cmt.bench.dir?)";
            final StringWriter err = new StringWriter();
            assertEquals(2, run(err, "sgin"));
            assertEquals("cmt bench: " + warning, err.toString().lines().findFirst().orElse(""));
            err.getBuffer().setLength(0);
            assertEquals(2, run(err, "sigverify", "--seconds", "NaN"));
            assertEquals("cmt bench sigverify: " + warning, err.toString().lines().findFirst().orElse(""));
            for (final String[] quiet : new String[][] {{"sigverify", "--help"}, {"help", "jmh"}, {"--version"}, {}})
            {
                err.getBuffer().setLength(0);
                run(err, quiet);
                assertEquals("", err.toString(), String.join(" ", quiet));
            }
        }
        finally
        {
            System.clearProperty(property);
        }
    }

    private static int run(final StringWriter err, final String... args)
    {
        final CommandLine commandLine = BenchMain.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
