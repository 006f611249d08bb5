package io.cmtchain.bench.report;

import io.cmtchain.bench.JvmOptions;
import io.cmtchain.engine.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measuring command in a JVM of its own, several times, and collects every numeric field of the JSON each run
 * writes; a field given as {@code null} (a figure the run did not measure, as the demo's latencies when nothing was
 * committed after its warm-up) is counted as not measured, never as 0. A fresh JVM per run keeps one run's JIT and
 * heap state out of the next.
 */
public final class Runs
{
    /**
     * A command's exit status that says it measured and wrote its JSON, without a part it was asked for (e.g. {@code
     * bench sigverify} without libsodium); the JSON is used, and the run is reported as incomplete.
     */
    public static final int PARTIAL_EXIT = 3;

    private final Path root;
    private final Path work;
    private final long timeoutS;

    /**
     * @param root     of the checkout (jars and jvm.options are found from it).
     * @param work     directory for the runs' JSON and logs.
     * @param timeoutS per run.
     */
    public Runs(final Path root, final Path work, final long timeoutS)
    {
        this.root = root;
        this.work = work;
        this.timeoutS = timeoutS;
    }

    /** @return the bench jar. */
    public Path benchJar()
    {
        return root.resolve("bench/target/benchmarks.jar");
    }

    /** @return the node's jar. */
    public Path cmtJar()
    {
        return root.resolve("pipeline/target/cmt.jar");
    }

    /**
     * @param name  of the measurement, for file names and progress.
     * @param times runs.
     * @param jar   to run.
     * @param args  command line; {@code --json FILE} is appended.
     * @return for each numeric JSON field, its values over the runs ({@link #collect}); a failed run is reported and
     *         skipped.
     * @throws IOException when the work directory cannot be written.
     */
    public Map<String, Stats> repeat(final String name, final int times, final Path jar, final List<String> args)
        throws IOException
    {
        final Map<String, Stats> stats = new LinkedHashMap<>();
        for (int run = 1; run <= times; run++)
        {
            final Path json = work.resolve(name + "-" + run + ".json");
            final Path log = work.resolve(name + "-" + run + ".log");
            Files.deleteIfExists(json);
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JvmOptions.flags());
            command.add("-Dcmt.root=" + root);
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(args);
            command.add("--json");
            command.add(json.toString());
            System.out.printf("  %s: run %d of %d ... (output: %s)%n", name, run, times, log);
            final int exit = runProcess(command, log);
            if ((exit != 0 && exit != PARTIAL_EXIT) || !Files.exists(json))
            {
                System.out.printf("  %s: run %d failed (exit %d); see %s%n", name, run, exit, log);
                continue;
            }
            if (exit == PARTIAL_EXIT)
            {
                System.out.printf("  %s: run %d is incomplete (exit %d; its log says what it lacks: %s); its " +
                    "figures are used%n", name, run, exit, log);
            }
            collect(Files.readString(json, StandardCharsets.UTF_8), stats);
        }
        return stats;
    }

    /**
     * Adds one run's figures: every number, under its field's name (nested ones as {@code outer.inner}); a
     * {@code null} as not measured ({@link Stats#addNotMeasured()}), so that a median over runs is never pulled
     * towards 0 by a run that measured nothing. An empty object (the demo's {@code percentiles} when it measured no
     * latency) adds nothing.
     *
     * @param json  the JSON a run wrote.
     * @param stats the figures so far, by field.
     */
    static void collect(final String json, final Map<String, Stats> stats)
    {
        final Object parsed = Json.parse(json);
        if (parsed instanceof Map)
        {
            collect("", (Map<?, ?>)parsed, stats);
        }
    }

    private static void collect(final String prefix, final Map<?, ?> map, final Map<String, Stats> stats)
    {
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            final String key = prefix + e.getKey();
            final Object value = e.getValue();
            if (value instanceof Number)
            {
                stats.computeIfAbsent(key, k -> new Stats()).add(((Number)value).doubleValue());
            }
            else if (null == value)
            {
                stats.computeIfAbsent(key, k -> new Stats()).addNotMeasured();
            }
            else if (value instanceof Map)
            {
                collect(key + ".", (Map<?, ?>)value, stats);
            }
        }
    }

    private int runProcess(final List<String> command, final Path log) throws IOException
    {
        final Process process = new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try
        {
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
