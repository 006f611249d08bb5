package io.cmtchain.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes allocated per transaction that {@code PipelineBenchmark} prints after each iteration ({@code [abq]
 * 8,123,456 receipts, 0.0 bytes allocated per transaction by all threads}), read back from the output of a JMH run.
 * JMH heads each iteration's output with {@code # Warmup Iteration N:} or {@code Iteration N:}, so warm-up
 * iterations are told apart and left out; each benchmark's {@code # Parameters:} line names the variant.
 */
final class IterationAllocations
{
    private static final Pattern LINE = Pattern.compile(
        "^\\[([^\\]]+)\\] [0-9][0-9,.\\u00a0\\u202f' ]* receipts, ([0-9]+(?:[.,][0-9]+)?) bytes allocated per " +
        "transaction by all threads");
    private static final Pattern MEASURED = Pattern.compile("^Iteration\\s+\\d+:.*");
    private static final String WARMUP = "# Warmup Iteration";
    private static final String PARAMETERS = "# Parameters: (";
    private static final String BENCHMARK = "# Benchmark: ";

    /** The largest value over the measured iterations of one variant, and how many there were. */
    static final class Largest
    {
        private double bytesPerTransaction = Double.NaN;
        private int iterations;
        private int warmups;

        private void add(final double value)
        {
            bytesPerTransaction = iterations == 0 ? value : Math.max(bytesPerTransaction, value);
            iterations++;
        }

        /** @return the largest bytes per transaction over the measured iterations, NaN when there were none. */
        double bytesPerTransaction()
        {
            return bytesPerTransaction;
        }

        /** @return measured iterations counted. */
        int iterations()
        {
            return iterations;
        }

        /** @return warm-up iterations left out. */
        int warmups()
        {
            return warmups;
        }
    }

    private IterationAllocations()
    {
    }

    /**
     * @param log output of a JMH run (the host's, with the forks' output in it).
     * @return as {@link #parse(List)}; empty when the file is missing.
     * @throws IOException when it cannot be read.
     */
    static Map<String, Largest> read(final Path log) throws IOException
    {
        if (!Files.exists(log))
        {
            return new LinkedHashMap<>();
        }
        return parse(Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    /**
     * @param lines output of a JMH run.
     * @return per variant, in order of first appearance: the benchmark's parameters as JMH's JSON names them
     * ({@code pipeline=abq,work=full}), or {@code pipeline=LABEL} when the run printed no parameters.
     */
    static Map<String, Largest> parse(final List<String> lines)
    {
        final Map<String, Largest> out = new LinkedHashMap<>();
        String parameters = null;
        Boolean warmup = null;
        for (final String line : lines)
        {
            if (line.startsWith(BENCHMARK))
            {
                parameters = null;
                warmup = null;
            }
            else if (line.startsWith(PARAMETERS) && line.endsWith(")"))
            {
                parameters = line.substring(PARAMETERS.length(), line.length() - 1).replace(" = ", "=")
                    .replace(", ", ",");
            }
            else if (line.startsWith(WARMUP))
            {
                warmup = Boolean.TRUE;
            }
            else if (MEASURED.matcher(line).matches())
            {
                warmup = Boolean.FALSE;
            }
            else if (line.startsWith("# "))
            {
                // "# Run progress", "# Fork": between iterations.
                warmup = null;
            }
            else
            {
                final Matcher m = LINE.matcher(line);
                if (m.find() && warmup != null)
                {
                    final Largest largest = out.computeIfAbsent(
                        parameters != null ? parameters : "pipeline=" + m.group(1), k -> new Largest());
                    if (warmup)
                    {
                        largest.warmups++;
                    }
                    else
                    {
                        // %.1f never groups digits, so a comma can only be a decimal separator.
                        largest.add(Double.parseDouble(m.group(2).replace(',', '.')));
                    }
                    // One line per iteration: any other before the next heading is not an iteration's.
                    warmup = null;
                }
            }
        }
        return out;
    }
}
