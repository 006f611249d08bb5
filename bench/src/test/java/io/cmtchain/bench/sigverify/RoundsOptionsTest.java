package io.cmtchain.bench.sigverify;

import io.cmtchain.bench.report.Runs;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundsOptionsTest
{
    @Test
    void shouldExitPartialWhenTheLibsodiumComparisonWasWantedButIsMissing()
    {
        final RoundsOptions options = new RoundsOptions();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(Runs.PARTIAL_EXIT, options.withoutSodium("sigverify", new PrintWriter(out, true),
            new PrintWriter(err, true)));
        assertTrue(out.toString().contains("no libsodium comparison in this run"), out.toString());
        assertTrue(err.toString().startsWith("cmt bench sigverify: the libsodium comparison is missing"),
            err.toString());
        assertTrue(err.toString().contains("--no-native measures without it"), err.toString());
    }

    @Test
    void shouldRefuseSecondsAndRoundsItCannotRunNamingTheValue()
    {
        for (final double seconds : new double[] {0, -3, Double.NaN, Double.POSITIVE_INFINITY})
        {
            final RoundsOptions options = new RoundsOptions();
            options.seconds = seconds;
            options.rounds = 5;
            final StringWriter err = new StringWriter();
            assertFalse(options.valid("sigverify", new PrintWriter(err, true)));
            assertEquals("cmt bench sigverify: --seconds must be a number of seconds above 0, was " + seconds,
                err.toString().strip());
        }
        final RoundsOptions options = new RoundsOptions();
        options.seconds = 0.001;
        options.rounds = 0;
        final StringWriter err = new StringWriter();
        assertFalse(options.valid("sign", new PrintWriter(err, true)));
        assertEquals("cmt bench sign: --rounds must be >= 1, was 0", err.toString().strip());
        options.rounds = 1;
        assertTrue(options.valid("sign", new PrintWriter(err, true)));
    }

    @Test
    void shouldExitZeroWithoutLibsodiumWhenToldNotToUseIt()
    {
        final RoundsOptions options = new RoundsOptions();
        options.noNative = true;
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(0, options.withoutSodium("sign", new PrintWriter(out, true), new PrintWriter(err, true)));
        assertEquals("--no-native: no libsodium comparison in this run" + System.lineSeparator(), out.toString());
        assertEquals("", err.toString());
    }
}
