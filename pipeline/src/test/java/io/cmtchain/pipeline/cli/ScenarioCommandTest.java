package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.dpos.ScenarioRunner;
import io.cmtchain.pipeline.CmtCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cmt scenario}: the engine's scenario runner from the command line, its files and its refusals. */
class ScenarioCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldPrintTheRunnersReportAndWriteTheSameToTheJsonFile() throws IOException
    {
        final Path example = example("dpos-rewards.json");
        final String expected = ScenarioRunner.run(Files.readString(example, StandardCharsets.UTF_8));
        final Path json = dir.resolve("report.json");

        assertEquals(0, run("scenario", example.toString(), "--json", json.toString()), err::toString);
        assertEquals(expected, out.toString());
        assertEquals(expected, Files.readString(json, StandardCharsets.UTF_8));
        assertEquals("", err.toString());
    }

    @Test
    void shouldNameAFileItCannotReadOrWriteAndPrintNoReport() throws IOException
    {
        final Path missing = dir.resolve("no-such-scenario.json");
        assertEquals(1, run("scenario", missing.toString()));
        assertEquals("cmt scenario: cannot read " + missing + ": no such file or directory", err.toString().strip());

        err.getBuffer().setLength(0);
        final Path nowhere = dir.resolve("no/dir/report.json");
        assertEquals(1, run("scenario", example("dpos-rewards.json").toString(), "--json", nowhere.toString()));
        assertEquals("cmt scenario: cannot write " + nowhere + ": no such file or directory", err.toString().strip());
        assertEquals("", out.toString(), "a report printed although its file could not be written");
        assertFalse(Files.exists(nowhere));
    }

    @Test
    void shouldNameTheFileAndTheRunnersReasonForAScenarioItRefuses() throws IOException
    {
        final Path truncated = dir.resolve("truncated.json");
        Files.writeString(truncated, "[1,", StandardCharsets.UTF_8);
        assertEquals(1, run("scenario", truncated.toString()));
        final String said = err.toString().strip();
        assertTrue(said.startsWith("cmt scenario: " + truncated + ": "), said);
        assertEquals(1, said.lines().count(), said);
        assertEquals("", out.toString());
    }

    private int run(final String... args)
    {
        return CmtCommand.run(out, err, args);
    }

    private static Path example(final String name)
    {
        final Path path = Path.of("../docs/examples", name);
        return Files.isRegularFile(path) ? path : Path.of("docs/examples", name);
    }
}
