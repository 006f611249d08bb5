package io.cmtchain.bench.report;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportHelpTest
{
    @Test
    void shouldSayWhatEverySectionRunsAndWhereItsOutputGoes()
    {
        final String help = new CommandLine(new ReportCommand()).getUsageMessage();
        for (final ReportCommand.Section section : ReportCommand.Section.values())
        {
            assertTrue(help.lines().anyMatch(line -> line.matches("  " + section + " +\\S.*")),
                "no line for section " + section + " in:\n" + help);
        }
        assertTrue(help.contains("raw/NAME-N.log"), help);
        assertTrue(help.contains("summary.json"), help);
    }
}
