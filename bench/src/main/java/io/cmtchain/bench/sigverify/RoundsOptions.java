package io.cmtchain.bench.sigverify;

import io.cmtchain.bench.report.Runs;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The options of the measured runs that interleave their contestants' rounds with libsodium's ({@code bench
 * sigverify}, {@code bench sign}).
 */
final class RoundsOptions
{
    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per contestant, split " +
        "evenly over the rounds (default 5: 1 s a round with the default 5 rounds).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds (default 5).")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Write results as JSON.")
    Path json;

    @Option(names = "--native-dir", paramLabel = "DIR",
        description = "Directory holding build.sh for the libsodium harness (default: found above the cwd).")
    Path nativeDir;

    @Option(names = "--no-native", description = "Skip the libsodium harness. Without this, a run whose harness " +
        "cannot be built or run still measures the rest and writes its JSON, but exits 3: its comparison is missing.")
    boolean noNative;

    /**
     * @param command the command's name, for the message.
     * @param err     receives the message.
     * @return false, having said why, when the seconds or rounds cannot be run.
     */
    boolean valid(final String command, final PrintWriter err)
    {
        if (seconds <= 0 || rounds < 1)
        {
            err.println("cmt bench " + command + ": --seconds must be > 0 and --rounds >= 1");
            return false;
        }
        try
        {
            // Before the rounds, not after them: a bad path would otherwise cost the whole run.
            FileArguments.checkWritable(json == null ? null : json.toFile(), "--json");
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cmt bench " + command + ": " + ex.getMessage());
            return false;
        }
        return true;
    }

    /**
     * Says why a run has no libsodium comparison, for the run's last lines.
     *
     * @param command the command's name, for the message.
     * @param out     the run's output.
     * @param err     receives the message when the comparison was asked for.
     * @return 0 with --no-native; else {@link Runs#PARTIAL_EXIT}: the comparison is what these runs are for, so a
     * script must not take a run without it for a complete one.
     */
    int withoutSodium(final String command, final PrintWriter out, final PrintWriter err)
    {
        if (noNative)
        {
            out.println("--no-native: no libsodium comparison in this run");
            return 0;
        }
        out.println("libsodium harness not available: no libsodium comparison in this run");
        out.flush();
        err.println("cmt bench " + command + ": the libsodium comparison is missing (the \"libsodium harness\" line " +
            "above says why), so this exits " + Runs.PARTIAL_EXIT + ". bench/native/build.sh builds the harness with " +
            "gcc and libsodium-dev, installing them when it can; --no-native measures without it and exits 0");
        return Runs.PARTIAL_EXIT;
    }

    /** @return the libsodium harness, built; null with --no-native or when it cannot be built (said on out). */
    SodiumHarness harness(final PrintWriter out)
    {
        return noNative ? null : SodiumHarness.build(nativeDir, out);
    }
}
