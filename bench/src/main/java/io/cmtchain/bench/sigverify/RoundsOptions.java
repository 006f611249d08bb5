package io.cmtchain.bench.sigverify;

import io.cmtchain.bench.report.Runs;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of the measured runs that interleave their contestants' rounds with libsodium's ({@code bench
 * sigverify}, {@code bench sign}).
 */
final class RoundsOptions
{
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
        description = "Measured seconds per contestant, split " +
        "evenly over the rounds (default 5: 1 s a round with the default 5 rounds).")
    double seconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Interleaved rounds (default 5).")
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
        // NaN passes every comparison: it ran rounds of no time and printed their rates, exit 0.
        if (!(seconds > 0) || Double.isInfinite(seconds))
        {
            err.println("cmt bench " + command + ": --seconds must be a number of seconds above 0, was " + seconds);
            return false;
        }
        if (rounds < 1)
        {
            err.println("cmt bench " + command + ": --rounds must be >= 1, was " + rounds);
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

    /** What {@link #interleave} measured: each contestant's rate per round, and libsodium's while its harness ran. */
    static final class Rates
    {
        final double[][] contestants;
        final double[] sodium;
        final boolean sodiumOk;

        private Rates(final double[][] contestants, final double[] sodium, final boolean sodiumOk)
        {
            this.contestants = contestants;
            this.sodium = sodium;
            this.sodiumOk = sodiumOk;
        }

        /** @return contestant {@code c}'s median rate over the rounds. */
        double median(final int c)
        {
            return SigverifyBenchCommand.median(contestants[c]);
        }

        /** @return libsodium's median rate, NaN without it. */
        double sodiumMedian()
        {
            return sodiumOk ? SigverifyBenchCommand.median(sodium) : Double.NaN;
        }

        /**
         * @return the median over the rounds of contestant {@code c}'s rate ÷ libsodium's in the same round (on a
         *         loaded machine neighbouring measurements share the same load), NaN without libsodium.
         */
        double roundRatio(final int c)
        {
            if (!sodiumOk)
            {
                return Double.NaN;
            }
            final double[] ratios = new double[sodium.length];
            for (int r = 0; r < ratios.length; r++)
            {
                ratios[r] = contestants[c][r] / sodium[r];
            }
            return SigverifyBenchCommand.median(ratios);
        }
    }

    /**
     * Warm every contestant up (long enough for C2 to compile its loop), then run the rounds: in each, every contestant
     * for its share of {@link #seconds}, then libsodium's harness for as long, printing a line per round.
     *
     * @param names       of the contestants, for the round lines.
     * @param contestants the Java contestants.
     * @param perCall     what one call of each does.
     * @param harness     libsodium's, or null.
     * @param mode        the harness's {@link SodiumHarness#VERIFY} or {@link SodiumHarness#SIGN}.
     * @param keys        the harness's keys.
     * @param bytes       the harness's message length.
     * @param out         where the round lines go.
     * @return the rates; libsodium's stop at the first round its harness fails.
     */
    Rates interleave(
        final String[] names,
        final SigverifyBenchCommand.Contestant[] contestants,
        final int[] perCall,
        final SodiumHarness harness,
        final String mode,
        final int keys,
        final int bytes,
        final PrintWriter out)
    {
        final double roundSeconds = seconds / rounds;
        for (int c = 0; c < contestants.length; c++)
        {
            SigverifyBenchCommand.measure(contestants[c], perCall[c], Math.max(1.0, roundSeconds), names[c]);
        }
        final double[][] rates = new double[contestants.length][rounds];
        final double[] sodiumRates = new double[rounds];
        boolean sodiumOk = harness != null;
        for (int r = 0; r < rounds; r++)
        {
            for (int c = 0; c < contestants.length; c++)
            {
                rates[c][r] = SigverifyBenchCommand.measure(contestants[c], perCall[c], roundSeconds, names[c]);
            }
            if (sodiumOk)
            {
                sodiumRates[r] = harness.rate(mode, roundSeconds, keys, bytes, out);
                sodiumOk = sodiumRates[r] > 0;
            }
            out.printf(Locale.ROOT, "  round %d:", r + 1);
            for (int c = 0; c < contestants.length; c++)
            {
                out.printf(Locale.ROOT, " %s=%.0f", names[c], rates[c][r]);
            }
            if (sodiumOk)
            {
                out.printf(Locale.ROOT, " libsodium=%.0f", sodiumRates[r]);
            }
            out.println();
            out.flush();
        }
        return new Rates(rates, sodiumRates, sodiumOk);
    }

    /** @return the libsodium harness, built; null with --no-native or when it cannot be built (said on out). */
    SodiumHarness harness(final PrintWriter out)
    {
        return noNative ? null : SodiumHarness.build(nativeDir, out);
    }
}
