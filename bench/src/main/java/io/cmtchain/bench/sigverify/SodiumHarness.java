package io.cmtchain.bench.sigverify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The libsodium harness of {@code bench/native} ({@code sodium_bench}), built by its {@code build.sh} (which installs
 * Debian's libsodium-dev when it is missing) and run as a child process for one timed rate at a time, so that the
 * measured runs can interleave libsodium's rounds with their own.
 */
final class SodiumHarness
{
    /** Mode: {@code crypto_sign_verify_detached}; prints {@code libsodium_single_per_s}. */
    static final String VERIFY = "verify";

    /** Mode: {@code crypto_sign_detached}; prints {@code libsodium_sign_per_s}. */
    static final String SIGN = "sign";

    private final Path binary;

    private SodiumHarness(final Path binary)
    {
        this.binary = binary;
    }

    /**
     * @param nativeDir directory holding {@code build.sh}, or null to look for {@code bench/native} above the working
     *                  directory.
     * @param out       receives one line saying why, when the harness is not available.
     * @return the built harness, or null when it cannot be found or built.
     */
    static SodiumHarness build(final Path nativeDir, final PrintWriter out)
    {
        final Path dir = nativeDir != null ? nativeDir : findNativeDir();
        if (dir == null)
        {
            out.println("libsodium harness: bench/native/build.sh not found (use --native-dir)");
            return null;
        }
        try
        {
            final Process process = new ProcessBuilder("bash", dir.resolve("build.sh").toString())
                .redirectErrorStream(true)
                .start();
            final List<String> lines = readLines(process);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0)
            {
                out.println("libsodium harness: build failed: " + String.join(" | ", lines));
                return null;
            }
            final Path binary = dir.resolve("build/sodium_bench");
            if (!Files.isExecutable(binary))
            {
                out.println("libsodium harness: the build made no " + binary);
                return null;
            }
            return new SodiumHarness(binary);
        }
        catch (final IOException ex)
        {
            out.println("libsodium harness: cannot build: " + ex.getMessage());
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @param mode         {@link #VERIFY} or {@link #SIGN}.
     * @param seconds      measured seconds (the harness warms up for a fifth of that first).
     * @param keys         distinct keys cycled through.
     * @param messageBytes length of each message.
     * @param out          receives one line saying why, on failure.
     * @return operations per second, or 0 when the run failed.
     */
    double rate(final String mode, final double seconds, final int keys, final int messageBytes, final PrintWriter out)
    {
        final String prefix = (SIGN.equals(mode) ? "libsodium_sign_per_s" : "libsodium_single_per_s") + " ";
        try
        {
            final Process process = new ProcessBuilder(binary.toString(), mode,
                String.format(Locale.ROOT, "%.3f", seconds), Integer.toString(keys), Integer.toString(messageBytes))
                .redirectErrorStream(true)
                .start();
            final List<String> lines = readLines(process);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0)
            {
                out.println("libsodium harness failed: " + String.join(" | ", lines));
                return 0;
            }
            for (final String line : lines)
            {
                if (line.startsWith(prefix))
                {
                    return Double.parseDouble(line.substring(prefix.length()).trim());
                }
            }
            out.println("libsodium harness printed no rate: " + String.join(" | ", lines));
            return 0;
        }
        catch (final IOException | NumberFormatException ex)
        {
            out.println("libsodium harness failed: " + ex.getMessage());
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static Path findNativeDir()
    {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("bench/native");
            if (Files.isRegularFile(candidate.resolve("build.sh")))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    private static List<String> readLines(final Process process) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
