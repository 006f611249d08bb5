package io.cmtchain.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum and maximum of one figure over repeated runs: how every figure of a report is given. A run whose
 * JSON gives the figure as {@code null} measured none (the demo's latencies when nothing was committed after its
 * warm-up): it is counted apart ({@link #addNotMeasured()}), never as a value, so the median, minimum and maximum are
 * over the runs that measured the figure, and {@link #format} says how many did not.
 */
public final class Stats
{
    private final List<Double> values = new ArrayList<>();
    private int notMeasured;

    /**
     * @param value of one run.
     * @return this.
     */
    public Stats add(final double value)
    {
        values.add(value);
        return this;
    }

    /**
     * A run whose JSON gives the figure as {@code null}: it measured none.
     *
     * @return this.
     */
    public Stats addNotMeasured()
    {
        notMeasured++;
        return this;
    }

    /** @return the runs that measured the figure: what the median, minimum and maximum are over. */
    public int count()
    {
        return values.size();
    }

    /** @return the runs whose JSON gave the figure as {@code null}. */
    public int notMeasured()
    {
        return notMeasured;
    }

    public double median()
    {
        final List<Double> sorted = sorted();
        final int n = sorted.size();
        if (n == 0)
        {
            return Double.NaN;
        }
        return (n & 1) == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min()
    {
        return values.isEmpty() ? Double.NaN : Collections.min(values);
    }

    public double max()
    {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }

    /** @return a copy of the values in run order. */
    public List<Double> values()
    {
        return new ArrayList<>(values);
    }

    /**
     * @param format for each number, e.g. "%,.0f".
     * @return "median (min – max)"; with "of N runs, not measured in M" after it when some runs measured none, and
     * "not measured in any of the M runs" when none did.
     */
    public String format(final String format)
    {
        if (values.isEmpty())
        {
            return notMeasured > 0 ? "not measured in any of the " + notMeasured + " runs" : "n/a";
        }
        final String figure = String.format(format, median()) + " (" + String.format(format, min()) + " – " +
            String.format(format, max()) + ")";
        return notMeasured > 0 ? figure + " of " + values.size() + " runs, not measured in " + notMeasured : figure;
    }

    private List<Double> sorted()
    {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
