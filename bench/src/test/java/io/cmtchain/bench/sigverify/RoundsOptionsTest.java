package io.cmtchain.bench.sigverify;

import io.cmtchain.bench.report.Runs;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
