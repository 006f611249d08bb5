package io.cmtchain.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigcheckCommandTest
{
    private static final String ZIP215_SPECCHECK =
        "0 VALID\n1 VALID\n2 VALID\n3 VALID\n4 VALID\n5 VALID\n6 INVALID\n7 INVALID\n8 INVALID\n9 VALID\n" +
        "10 VALID\n11 VALID\n";

    @TempDir
    Path tmp;

    private static Path speccheckFile()
    {
        // The vectors live with the sigverify tests; walk up from the module to the repository root.
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null)
        {
            final Path candidate =
                dir.resolve("sigverify/src/test/resources/testvectors/speccheck_ed25519_cases.json");
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("speccheck_ed25519_cases.json not found above " +
            System.getProperty("user.dir"));
    }

    private static String[] run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(new SigcheckCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), out.toString().replace("\r\n", "\n"), err.toString()};
    }

    @Test
    void shouldPrintZip215VerdictsInSingleMode()
    {
        final String[] result = run(speccheckFile().toString(), "--mode", "single");
        assertEquals("0", result[0], result[2]);
        assertEquals(ZIP215_SPECCHECK, result[1]);
    }

    @Test
    void shouldPrintZip215VerdictsInBatchMode()
    {
        final String[] result = run(speccheckFile().toString(), "--mode", "batch");
        assertEquals("0", result[0], result[2]);
        assertEquals(ZIP215_SPECCHECK, result[1]);
    }

    @Test
    void shouldGiveEachCaseItsOwnVerdictAcrossSeveralBatches() throws IOException
    {
        // 13 copies of the 12 vectors: 156 cases, batches of 64, 64 and 28, the invalid ones in each.
        final String text = Files.readString(speccheckFile(), StandardCharsets.UTF_8).strip();
        final String inner = text.substring(1, text.length() - 1).strip();
        final int copies = 13;
        final Path file = tmp.resolve("many.json");
        Files.writeString(file, "[" + String.join(",", Collections.nCopies(copies, inner)) + "]",
            StandardCharsets.UTF_8);
        final String[] verdicts = ZIP215_SPECCHECK.split("\n");
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < copies * verdicts.length; i++)
        {
            expected.append(i).append(verdicts[i % verdicts.length].substring(verdicts[i % verdicts.length]
                .indexOf(' '))).append('\n');
        }
        assertTrue(copies * verdicts.length > 2 * SigcheckCommand.BATCH_SIZE);
        for (final String mode : new String[] {"single", "batch"})
        {
            final String[] result = run(file.toString(), "--mode", mode);
            assertEquals("0", result[0], result[2]);
            assertEquals(expected.toString(), result[1], mode);
        }
    }

    @Test
    void shouldSayWhatShapeItExpects() throws IOException
    {
        final Path object = tmp.resolve("object.json");
        Files.writeString(object, "{\"message\":\"00\"}", StandardCharsets.UTF_8);
        final String[] notAnArray = run(object.toString());
        assertBadInput(notAnArray);
        assertEquals("cmt sigcheck: " + object + ": expected a JSON array of {message, pub_key, signature} objects",
            notAnArray[2].strip());

        final Path numbers = tmp.resolve("numbers.json");
        Files.writeString(numbers, "[{\"message\":\"\",\"pub_key\":\"00\",\"signature\":\"00\"}, 1]",
            StandardCharsets.UTF_8);
        final String[] notAnObject = run(numbers.toString());
        assertBadInput(notAnObject);
        assertEquals("cmt sigcheck: " + numbers + ": case 1: expected an object", notAnObject[2].strip());
    }

    @Test
    void shouldBeRegisteredUnderCmt()
    {
        assertTrue(new CommandLine(new CmtMain()).getSubcommands().containsKey("sigcheck"));
    }

    @Test
    void shouldFailClearlyOnBadInput() throws IOException
    {
        final Path missing = tmp.resolve("missing.json");
        final String[] notThere = run(missing.toString());
        assertBadInput(notThere);
        assertEquals("cmt sigcheck: cannot read " + missing + ": no such file or directory", notThere[2].strip());

        final Path badJson = tmp.resolve("bad.json");
        Files.writeString(badJson, "[{\"message\": ", StandardCharsets.UTF_8);
        assertBadInput(run(badJson.toString()));

        final Path badHex = tmp.resolve("badhex.json");
        Files.writeString(badHex, "[{\"message\":\"zz\",\"pub_key\":\"00\",\"signature\":\"00\"}]",
            StandardCharsets.UTF_8);
        assertBadInput(run(badHex.toString(), "--mode", "batch"));

        final Path missingField = tmp.resolve("field.json");
        Files.writeString(missingField, "[{\"message\":\"00\",\"signature\":\"00\"}]", StandardCharsets.UTF_8);
        assertBadInput(run(missingField.toString()));
    }

    @Test
    void shouldCallWrongLengthKeysAndSignaturesInvalid() throws IOException
    {
        final Path file = tmp.resolve("short.json");
        Files.writeString(file, "[{\"message\":\"\",\"pub_key\":\"0011\",\"signature\":\"22\"}]",
            StandardCharsets.UTF_8);
        for (final String mode : new String[] {"single", "batch"})
        {
            final String[] result = run(file.toString(), "--mode", mode);
            assertEquals("0", result[0]);
            assertEquals("0 INVALID\n", result[1]);
        }
    }

    private static void assertBadInput(final String[] result)
    {
        assertNotEquals("0", result[0]);
        assertEquals("", result[1]);
        assertEquals(1, result[2].trim().split("\n").length, result[2]);
        assertTrue(result[2].startsWith("cmt sigcheck: "), result[2]);
    }
}
