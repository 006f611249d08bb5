package io.cmtchain.bench.report;

import io.cmtchain.bench.JmhCommand;
import io.cmtchain.engine.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's JSON results: for each benchmark (with its parameters) and metric, one value per fork (the mean of
 * that fork's measured iterations), so that forks play the part of repeated runs.
 */
public final class JmhResults
{
    private JmhResults()
    {
    }

    /**
     * @param log the output of a {@code bench jmh} run.
     * @return the runs it names as failed or short of forks (after its line ending in
     * {@link JmhCommand#SHORTFALL_HEADING}), one line each; empty when there are none or the log is missing.
     * @throws IOException when the file cannot be read.
     */
    public static List<String> shortfalls(final Path log) throws IOException
    {
        final List<String> out = new ArrayList<>();
        if (!Files.exists(log))
        {
            return out;
        }
        boolean listing = false;
        for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
        {
            if (line.startsWith("cmt bench jmh: ") && line.contains(JmhCommand.SHORTFALL_HEADING))
            {
                listing = true;
            }
            else if (listing && line.startsWith(JmhCommand.SHORTFALL_INDENT))
            {
                out.add(line.substring(JmhCommand.SHORTFALL_INDENT.length()));
            }
            else
            {
                listing = false;
            }
        }
        return out;
    }

    /**
     * @param file JMH JSON result file.
     * @return "Benchmark.method[param=value,...]" or with ":secondary" appended → per-fork values.
     * @throws IOException when the file cannot be read.
     */
    public static Map<String, Stats> read(final Path file) throws IOException
    {
        final Map<String, Stats> out = new LinkedHashMap<>();
        if (!Files.exists(file))
        {
            return out;
        }
        final Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof List))
        {
            return out;
        }
        for (final Object o : (List<?>)parsed)
        {
            final Map<?, ?> result = (Map<?, ?>)o;
            final String benchmark = (String)result.get("benchmark");
            final Object params = result.get("params");
            final String name = JmhCommand.name(benchmark, params instanceof Map ? (Map<?, ?>)params : Map.of());
            addForks(out, name, (Map<?, ?>)result.get("primaryMetric"));
            final Object secondary = result.get("secondaryMetrics");
            if (secondary instanceof Map)
            {
                for (final Map.Entry<?, ?> e : ((Map<?, ?>)secondary).entrySet())
                {
                    addForks(out, name + ":" + e.getKey(), (Map<?, ?>)e.getValue());
                }
            }
        }
        return out;
    }

    private static void addForks(final Map<String, Stats> out, final String name, final Map<?, ?> metric)
    {
        if (metric == null)
        {
            return;
        }
        final Stats stats = out.computeIfAbsent(name, k -> new Stats());
        final Object raw = metric.get("rawData");
        if (raw instanceof List && !((List<?>)raw).isEmpty())
        {
            for (final Object fork : (List<?>)raw)
            {
                double sum = 0;
                int n = 0;
                for (final Object v : (List<?>)fork)
                {
                    sum += toDouble(v);
                    n++;
                }
                if (n > 0)
                {
                    stats.add(sum / n);
                }
            }
        }
        else if (metric.get("score") != null)
        {
            stats.add(toDouble(metric.get("score")));
        }
    }

    private static double toDouble(final Object v)
    {
        if (v instanceof Number)
        {
            return ((Number)v).doubleValue();
        }
        return Double.parseDouble(String.valueOf(v));
    }
}
