package io.cmtchain.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportIndexTest
{
    @TempDir
    Path reports;

    @Test
    void shouldGiveTheTrendWithTheDecimalsOfSummaryJson() throws IOException
    {
        // A true 0.7145 is 0.71× in its report and 0.715 in its summary: the index must not round that to 0.72.
        summary("2026-01-01-0000", "{\n  \"pipeline_full_shared_vs_abq\": 0.715,\n  \"e2e_tps\": 20012.500\n}\n");
        summary("2026-01-02-0000", "{\n  \"pipeline_full_shared_vs_abq\": 1.000,\n  \"e2e_p99_ms\": null\n}\n");

        ReportCommand.writeIndex(reports);

        final String index = Files.readString(reports.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(index.contains("Newest: [2026-01-02-0000](2026-01-02-0000/report.md)"), index);
        assertTrue(index.contains("| pipeline_full_shared_vs_abq | 0.715 | 1.000 |"), index);
        assertTrue(index.contains("| e2e_tps | 20,012.500 |  |"), index);
        assertTrue(index.contains("| e2e_p99_ms |  |  |"), index);
        assertFalse(index.contains("0.72"), index);
    }

    @Test
    void shouldLeaveQuickReportsOutOfTheIndex() throws IOException
    {
        summary("2026-01-01-0000", "{\n  \"e2e_tps\": 20000.000\n}\n");
        summary("2026-01-02-0000", "{\n  \"e2e_tps\": 1.000\n}\n");
        Files.writeString(reports.resolve("2026-01-02-0000").resolve("report.md"), "| runs per figure | 1 (quick " +
            "mode: short runs, not for quoting) |\n", StandardCharsets.UTF_8);

        ReportCommand.writeIndex(reports);

        final String index = Files.readString(reports.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(index.contains("Newest: [2026-01-01-0000]"), index);
        assertFalse(index.contains("2026-01-02-0000"), index);
        assertFalse(index.contains("| 1.000 |"), index);
    }

    @Test
    void shouldPutQuickReportsOutsideTheCheckoutUnlessToldWhere() throws IOException
    {
        final Path root = reports.resolve("checkout");
        final Path quick = ReportCommand.reportsFolder(null, true, root);
        try
        {
            assertFalse(quick.startsWith(root), quick.toString());
            assertTrue(Files.isDirectory(quick));
        }
        finally
        {
            Files.deleteIfExists(quick);
        }
        assertEquals(root.resolve("perf-reports"), ReportCommand.reportsFolder(null, false, root));
        assertEquals(reports.resolve("x"), ReportCommand.reportsFolder(reports.resolve("x"), true, root));
        assertEquals(reports.resolve("x"), ReportCommand.reportsFolder(reports.resolve("x"), false, root));
    }

    private void summary(final String stamp, final String json) throws IOException
    {
        final Path dir = Files.createDirectories(reports.resolve(stamp));
        Files.writeString(dir.resolve("summary.json"), json, StandardCharsets.UTF_8);
    }
}
