package io.cmtchain.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * PNG charts for the reports, drawn headless with XChart.
 */
public final class Charts
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private Charts()
    {
    }

    /**
     * A bar chart of medians with min–max error bars.
     *
     * @param file   PNG to write (without extension handling: give a name ending in .png).
     * @param title  of the chart.
     * @param yTitle of the value axis.
     * @param labels of the bars.
     * @param stats  one per bar.
     * @throws IOException when the file cannot be written.
     */
    public static void bars(
        final Path file, final String title, final String yTitle, final List<String> labels, final List<Stats> stats)
        throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        final double[] medians = new double[stats.size()];
        final double[] errors = new double[stats.size()];
        for (int i = 0; i < stats.size(); i++)
        {
            medians[i] = stats.get(i).median();
            errors[i] = Math.max(stats.get(i).max() - medians[i], medians[i] - stats.get(i).min());
        }
        chart.addSeries("median (bar: max deviation to min/max)", labels, toList(medians), toList(errors));
        save(chart, file);
    }

    /**
     * Lines over a shared x axis.
     *
     * @param file    PNG to write.
     * @param title   of the chart.
     * @param xTitle  of the x axis.
     * @param yTitle  of the y axis.
     * @param logX    log scale on x.
     * @param names   of the series.
     * @param xs      x values per series.
     * @param ys      y values per series.
     * @throws IOException when the file cannot be written.
     */
    public static void lines(
        final Path file, final String title, final String xTitle, final String yTitle, final boolean logX,
        final List<String> names, final List<double[]> xs, final List<double[]> ys) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int i = 0; i < names.size(); i++)
        {
            chart.addSeries(names.get(i), xs.get(i), ys.get(i));
        }
        save(chart, file);
    }

    private static List<Double> toList(final double[] values)
    {
        final java.util.ArrayList<Double> list = new java.util.ArrayList<>(values.length);
        for (final double v : values)
        {
            list.add(v);
        }
        return list;
    }

    private static void save(final org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, final Path file)
        throws IOException
    {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
