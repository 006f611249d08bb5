package io.cmtchain.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A --json that cannot be written is refused before the measured run, not after it. */
class BenchJsonOptionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnUnwritableJsonBeforeRunning()
    {
        final String missing = dir.resolve("no/such/dir/out.json").toString();
        // Short runs, so that without the check each would run (quickly) and fail only at its end.
        final String[][] commands = {
            {"sigverify", "--seconds", "0.1", "--rounds", "1", "--no-native"},
            {"sign", "--seconds", "0.1", "--rounds", "1", "--no-native"},
            {"state", "--accounts", "1000", "--seconds", "1", "--runs", "1"},
            {"executor", "--in-process", "--runs", "1", "--blocks", "1", "--warmup-blocks", "0", "--accounts", "2",
                "--block-size", "100", "--threads", "1", "--work", "transfer", "--schedulers", "declared"},
            {"jmh", "SignBenchmark", "--forks", "0", "--warmups", "0", "--iterations", "1", "--time-s", "1"},
        };
        for (final String[] args : commands)
        {
            final String command = args[0];
            final String[] withJson = java.util.Arrays.copyOf(args, args.length + 2);
            withJson[args.length] = "--json";
            withJson[args.length + 1] = missing;
            final java.io.PrintStream stderr = System.err;
            final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            final StringWriter err = new StringWriter();
            final long start = System.nanoTime();
            final int exit;
            System.setErr(new java.io.PrintStream(captured, true));
            try
            {
                final CommandLine commandLine = new CommandLine(new BenchMain());
                commandLine.setErr(new PrintWriter(err, true));
                commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
                {
                    cmd.getErr().println("cmt bench: " + ex.getMessage());
                    return 2;
                });
                exit = commandLine.execute(withJson);
            }
            finally
            {
                System.setErr(stderr);
            }
            final String said = err + captured.toString();
            assertEquals(2, exit, command + ": " + said);
            assertTrue(said.contains("--json " + missing + ": cannot write there: directory"), command + ": " + said);
            assertTrue(System.nanoTime() - start < 1_000_000_000L, command + " ran before refusing");
        }
    }
}
