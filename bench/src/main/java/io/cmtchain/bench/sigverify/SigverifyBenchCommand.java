package io.cmtchain.bench.sigverify;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.cmtchain.sigverify.Ed25519BatchVerifier;
import io.cmtchain.sigverify.Ed25519Verifier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cmt bench sigverify}: single-thread verification rates of BouncyCastle, the project's single path and
 * its batch path at 16, 64 and 256, plus libsodium's single verify through the C harness in
 * {@code bench/native} when it builds. Contestants run interleaved in rounds, so load and frequency drift on a
 * shared machine hit all of them alike; each reports the median of its round rates.
 */
@Command(
    name = "sigverify",
    mixinStandardHelpOptions = true,
    description = "Ed25519 verification rates: BouncyCastle, single, batch 16/64/256 and libsodium, side by side.")
public final class SigverifyBenchCommand implements Callable<Integer>
{
    private static final int CORPUS_SIZE = 4096;
    private static final int REPEATED_KEYS = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RoundsOptions options;




    @Option(names = "--repeat-keys", description = "Reuse " + REPEATED_KEYS + " keys (exercises the key cache).")
    boolean repeatKeys;



    /** One call's worth of a contestant's work, timed by {@link #measure}. */
    interface Contestant
    {
        /** Verify (or sign) a call's signatures starting at corpus entry {@code start}; return how many succeeded. */
        int run(int start);
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (!options.valid("sigverify", spec.commandLine().getErr()))
        {
            return 2;
        }
        final SignatureCorpus corpus = new SignatureCorpus(CORPUS_SIZE, repeatKeys ? REPEATED_KEYS : CORPUS_SIZE, 1);
        final int mask = CORPUS_SIZE - 1;
        final int keyCache = repeatKeys ? 4096 : 0;

        final String[] names = {"bc_single", "single", "batch16", "batch64", "batch256"};
        final Contestant[] contestants = new Contestant[names.length];
        contestants[0] = (start) ->
        {
            int ok = 0;
            for (int j = 0; j < 64; j++)
            {
                final int i = (start + j) & mask;
                ok += Ed25519.verify(corpus.signatures[i], 0, corpus.pubKeys[i], 0, corpus.signed[i], 0,
                    corpus.signed[i].length) ? 1 : 0;
            }
            return ok;
        };
        final Ed25519Verifier verifier = new Ed25519Verifier();
        contestants[1] = (start) ->
        {
            int ok = 0;
            for (int j = 0; j < 64; j++)
            {
                final int i = (start + j) & mask;
                ok += verifier.verify(corpus.buffer, SignatureCorpus.keyOffset(i), corpus.buffer,
                    SignatureCorpus.sigOffset(i), SignatureCorpus.PREFIX, corpus.buffer, SignatureCorpus.msgOffset(i),
                    SignatureCorpus.MESSAGE_LENGTH) ? 1 : 0;
            }
            return ok;
        };
        final int[] sizes = {16, 64, 256};
        for (int s = 0; s < sizes.length; s++)
        {
            final int size = sizes[s];
            final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(size, keyCache);
            contestants[2 + s] = (start) ->
            {
                batch.reset();
                for (int j = 0; j < size; j++)
                {
                    final int i = (start + j) & mask;
                    batch.add(corpus.buffer, SignatureCorpus.keyOffset(i), corpus.buffer, SignatureCorpus.sigOffset(i),
                        SignatureCorpus.PREFIX, corpus.buffer, SignatureCorpus.msgOffset(i),
                        SignatureCorpus.MESSAGE_LENGTH);
                }
                return batch.verify() ? size : 0;
            };
        }
        final int[] perCall = {64, 64, 16, 64, 256};

        final SodiumHarness harness = options.harness(out);
        final double roundSeconds = options.seconds / options.rounds;
        out.printf(Locale.ROOT, "sigverify bench: %d rounds x %.2f s per contestant, %s keys, single thread%n",
            options.rounds, roundSeconds, repeatKeys ? REPEATED_KEYS + " repeated" : "distinct");
        out.flush();

        final RoundsOptions.Rates rates = options.interleave(names, contestants, perCall, harness,
            SodiumHarness.VERIFY, 1024, 128, out);
        final double[] medians = new double[names.length];
        for (int c = 0; c < names.length; c++)
        {
            medians[c] = rates.median(c);
        }
        final boolean sodiumOk = rates.sodiumOk;
        final double sodium = rates.sodiumMedian();
        final double roundRatio = rates.roundRatio(3);

        out.println();
        out.printf(Locale.ROOT, "%-22s %14s %12s %10s%n", "verifier", "verify/s", "us/verify", "vs bc");
        for (int c = 0; c < names.length; c++)
        {
            out.printf(Locale.ROOT, "%-22s %14.0f %12.2f %9.2fx%n", names[c], medians[c], 1e6 / medians[c],
                medians[c] / medians[0]);
        }
        int status = 0;
        if (sodiumOk)
        {
            out.printf(Locale.ROOT, "%-22s %14.0f %12.2f %9.2fx%n", "libsodium_single", sodium, 1e6 / sodium,
                sodium / medians[0]);
            out.printf(Locale.ROOT,
                "batch64 / libsodium single = %.2fx (per core, same run; median per-round ratio %.2fx)%n",
                medians[3] / sodium, roundRatio);
        }
        else
        {
            status = options.withoutSodium("sigverify", out, spec.commandLine().getErr());
        }
        out.flush();

        if (options.json != null)
        {
            final StringBuilder sb = new StringBuilder("{\n");
            for (int c = 0; c < names.length; c++)
            {
                sb.append(String.format(Locale.ROOT, "  \"%s_per_s\": %.1f,%n", names[c], medians[c]));
            }
            if (sodiumOk)
            {
                sb.append(String.format(Locale.ROOT, "  \"libsodium_single_per_s\": %.1f,%n", sodium));
                sb.append(String.format(Locale.ROOT, "  \"batch64_vs_libsodium\": %.3f,%n", medians[3] / sodium));
                sb.append(String.format(Locale.ROOT, "  \"batch64_vs_libsodium_round_median\": %.3f,%n", roundRatio));
            }
            sb.append(String.format(Locale.ROOT, "  \"seconds\": %s,%n  \"rounds\": %d,%n  \"repeat_keys\": %b%n}%n",
                options.seconds, options.rounds, repeatKeys));
            Files.writeString(options.json, sb.toString(), StandardCharsets.UTF_8);
        }
        return status;
    }

    static double measure(final Contestant contestant, final int perCall, final double seconds,
        final String name)
    {
        final long durationNs = (long)(seconds * 1e9);
        int start = 0;
        long verified = 0;
        final long begin = System.nanoTime();
        long now;
        do
        {
            final int ok = contestant.run(start);
            if (ok != perCall)
            {
                throw new IllegalStateException(name + " rejected a valid signature");
            }
            verified += ok;
            start += perCall;
            now = System.nanoTime();
        }
        while (now - begin < durationNs);
        return verified * 1e9 / (now - begin);
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
