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
    void shouldRefuseToWriteTheReportOverTheScenarioItself() throws IOException
    {
        final Path scenario = dir.resolve("scenario.json");
        Files.copy(example("dpos-rewards.json"), scenario);
        final String before = Files.readString(scenario, StandardCharsets.UTF_8);
        final Path spelledOtherwise = dir.resolve("sub/../scenario.json");
        Files.createDirectories(dir.resolve("sub"));
        assertEquals(1, run("scenario", scenario.toString(), "--json", spelledOtherwise.toString()));
        assertEquals("cmt scenario: --json " + spelledOtherwise + " is the scenario file itself: name another file",
            err.toString().strip());
        assertEquals("", out.toString());
        assertEquals(before, Files.readString(scenario, StandardCharsets.UTF_8), "the scenario was overwritten");
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

    @Test
    void shouldSayAFileIsNotUtf8OrBeginsWithAByteOrderMark() throws IOException
    {
        // A file saved in Latin-1, or as UTF-8 with a BOM by a Windows editor: the reason in words, not the JDK's
        // "Input length = 1" or an invisible character.
        final Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"comment\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, run("scenario", latin1.toString()));
        assertEquals("cmt scenario: cannot read " + latin1 + ": not UTF-8 text", err.toString().strip());

        err.getBuffer().setLength(0);
        final Path bom = dir.resolve("bom.json");
        Files.writeString(bom, "\ufeff{}", StandardCharsets.UTF_8);
        assertEquals(1, run("scenario", bom.toString()));
        assertEquals("cmt scenario: " + bom + ": scenario is not valid JSON: unexpected byte-order mark (U+FEFF; " +
            "save the file as UTF-8 without one) at line 1, column 1", err.toString().strip());
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
