package io.cmtchain.bench.report;

import io.cmtchain.engine.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            final StringBuilder name = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.',
                benchmark.lastIndexOf('.') - 1) + 1));
            final Object params = result.get("params");
            if (params instanceof Map && !((Map<?, ?>)params).isEmpty())
            {
                name.append('[');
                boolean first = true;
                for (final Map.Entry<?, ?> p : ((Map<?, ?>)params).entrySet())
                {
                    name.append(first ? "" : ",").append(p.getKey()).append('=').append(p.getValue());
                    first = false;
                }
                name.append(']');
            }
            addForks(out, name.toString(), (Map<?, ?>)result.get("primaryMetric"));
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
