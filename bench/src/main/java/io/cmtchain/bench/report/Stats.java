package io.cmtchain.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum and maximum of one figure over repeated runs: how every figure of a report is given.
 */
public final class Stats
{
    private final List<Double> values = new ArrayList<>();

    /**
     * @param value of one run.
     * @return this.
     */
    public Stats add(final double value)
    {
        values.add(value);
        return this;
    }

    public int count()
    {
        return values.size();
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
     * @return "median (min – max)".
     */
    public String format(final String format)
    {
        if (values.isEmpty())
        {
            return "n/a";
        }
        return String.format(format, median()) + " (" + String.format(format, min()) + " – " +
            String.format(format, max()) + ")";
    }

    private List<Double> sorted()
    {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
