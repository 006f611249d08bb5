package io.cmtchain.bench.report;

import io.cmtchain.pipeline.cli.NodeProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a reproduction of a report needs to know about the machine and the checkout, for the report's header: each
 * read from the system, "unknown" (or null) when it cannot be.
 */
final class Machine
{
    /** The CPU flags that matter to the hashing and signature code. */
    static final List<String> CPU_FLAGS = List.of("sha_ni", "avx2", "avx512f", "avx512ifma");

    private static final long COMMAND_TIMEOUT_S = 10;

    private Machine()
    {
    }

    /**
     * @param root       a directory with a {@code jvm.options} and a {@code jvm-jdk23.options} file.
     * @param jdkFeature the feature release of the JDK the flags are for.
     * @return their flags for that JDK, comments and blank lines removed, read as the launcher's copies are
     *         ({@link NodeProcess#jvmOptions(String, String, int)}).
     * @throws IOException when one cannot be read.
     */
    static List<String> jvmOptions(final Path root, final int jdkFeature) throws IOException
    {
        return NodeProcess.jvmOptions(Files.readString(root.resolve("jvm.options"), StandardCharsets.UTF_8),
            Files.readString(root.resolve("jvm-jdk23.options"), StandardCharsets.UTF_8), jdkFeature);
    }

    /**
     * @param cpuinfo contents of {@code /proc/cpuinfo}.
     * @return the flags of its first processor; empty when it has none.
     */
    static Set<String> cpuFlags(final String cpuinfo)
    {
        for (final String line : cpuinfo.split("\n"))
        {
            if (line.startsWith("flags") && line.indexOf(':') > 0)
            {
                return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /** @return the flags of this machine's first processor, empty when /proc/cpuinfo cannot be read. */
    static Set<String> cpuFlags()
    {
        try
        {
            return cpuFlags(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return Set.of();
        }
    }

    /**
     * @param flags of the processor.
     * @return "sha_ni yes, avx2 no, ..." for {@link #CPU_FLAGS}, or "unknown" without flags.
     */
    static String cpuFlagsText(final Set<String> flags)
    {
        if (flags.isEmpty())
        {
            return "unknown";
        }
        final StringBuilder sb = new StringBuilder();
        for (final String flag : CPU_FLAGS)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(flag).append(flags.contains(flag) ? " yes" : " no");
        }
        return sb.toString();
    }

    /**
     * @param setting contents of {@code /sys/kernel/mm/transparent_hugepage/enabled}, e.g. "always [madvise] never".
     * @return the selected value, e.g. "madvise", or the contents stripped when none is marked.
     */
    static String selected(final String setting)
    {
        final int open = setting.indexOf('[');
        final int close = setting.indexOf(']', open + 1);
        return open >= 0 && close > open ? setting.substring(open + 1, close) : setting.strip();
    }

    /** @return the transparent-huge-pages setting, e.g. "madvise (always [madvise] never)", or "unknown". */
    static String transparentHugePages()
    {
        try
        {
            final String setting = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"),
                StandardCharsets.UTF_8).strip();
            return selected(setting) + " (" + setting + ")";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    /**
     * @param dir a directory.
     * @return the type of the file system it is on and its device, e.g. "ext4 (/dev/vda)", or "unknown".
     */
    static String fileSystem(final Path dir)
    {
        try
        {
            final FileStore store = Files.getFileStore(dir);
            return store.type() + " (" + store.name() + ")";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    /**
     * @return the installed libsodium's version (from pkg-config, else from the Debian package the harness's
     * {@code build.sh} installs), or null when neither knows it.
     */
    static String libsodiumVersion()
    {
        final String pkgConfig = commandOutput(null, "pkg-config", "--modversion", "libsodium");
        if (pkgConfig != null && !pkgConfig.isEmpty())
        {
            return pkgConfig;
        }
        // Debian versions read upstream-debian, e.g. 1.0.18-1+deb12u1.
        final String dpkg = commandOutput(null, "dpkg-query", "-W", "-f=${Version}", "libsodium-dev");
        if (dpkg != null && !dpkg.isEmpty())
        {
            final String upstream = dpkg.substring(dpkg.indexOf(':') + 1);
            return upstream.indexOf('-') > 0 ? upstream.substring(0, upstream.indexOf('-')) : upstream;
        }
        return null;
    }

    /**
     * @param dir     to run in, or null for the current directory.
     * @param command and its arguments.
     * @return its standard output stripped, or null when it cannot run, fails or takes too long.
     */
    static String commandOutput(final Path dir, final String... command)
    {
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            if (dir != null)
            {
                builder.directory(dir.toFile());
            }
            final Process p = builder.start();
            final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? output : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
