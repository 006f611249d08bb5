package io.cmtchain.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One figure over a report's runs: its median, minimum and maximum over the runs that measured it, in any order the
 * runs came in, and what its text says (RunsTest has the runs that measured none).
 */
class StatsTest
{
    @Test
    void shouldGiveTheMedianOfAnOddOrEvenCountOfRunsInAnyOrder()
    {
        final Stats stats = new Stats();
        assertSame(stats, stats.add(5).add(1).add(3));
        assertEquals(3.0, stats.median(), "the middle one of 5, 1, 3");
        assertEquals(1.0, stats.min());
        assertEquals(5.0, stats.max());
        assertEquals(List.of(5.0, 1.0, 3.0), stats.values(), "in run order");
        stats.add(0);
        assertEquals(2.0, stats.median(), "between the middle two of 0, 1, 3, 5");
        assertEquals(0.0, stats.min());
        assertEquals(1.0, new Stats().add(1).median());
    }

    @Test
    void shouldSayNothingOfRunsNotMeasuredWhenEveryRunMeasuredTheFigure()
    {
        assertEquals("2.00 (1.00 – 3.00)", new Stats().add(3).add(1).add(2).format("%,.2f"));
        final Stats stats = new Stats();
        assertSame(stats, stats.addNotMeasured());
        assertEquals(1, stats.notMeasured());
        assertEquals("2.00 (1.00 – 3.00) of 2 runs, not measured in 1", stats.add(3).add(1).format("%,.2f"));
    }

    @Test
    void shouldGiveNoMinimumOrMaximumOfNoRuns()
    {
        final Stats stats = new Stats().addNotMeasured();
        assertTrue(Double.isNaN(stats.min()));
        assertTrue(Double.isNaN(stats.max()));
        assertTrue(Double.isNaN(stats.median()));
        assertEquals(0, stats.count());
    }
}
