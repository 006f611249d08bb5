package io.cmtchain.bench.report;

import io.cmtchain.bench.JmhCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JmhResultsTest
{
    @Test
    void shouldReadTheRunsALogNamesAsFailedOrShort(@TempDir final Path dir) throws IOException
    {
        final Path log = dir.resolve("jmh-x-1.log");
        Files.write(log, List.of(
            "Benchmark  (kind)  Mode  Cnt  Score  Error  Units",
            "  A.m[kind=ok]     36,329,100 (32,149,922 – 40,508,277) ops/s (2 forks)",
            "cmt bench jmh: 2 of 3" + JmhCommand.SHORTFALL_HEADING + "; JMH printed each failure above (<failure>):",
            JmhCommand.SHORTFALL_INDENT + "A.m[kind=fail] thrpt: no result",
            JmhCommand.SHORTFALL_INDENT + "A.m[kind=flaky] thrpt: 1 of 2 forks (its figure is of those alone)",
            "# after"));
        assertEquals(List.of("A.m[kind=fail] thrpt: no result",
            "A.m[kind=flaky] thrpt: 1 of 2 forks (its figure is of those alone)"), JmhResults.shortfalls(log));
    }

    @Test
    void shouldFindNothingInACompleteOrMissingLog(@TempDir final Path dir) throws IOException
    {
        final Path log = dir.resolve("jmh-x-1.log");
        Files.write(log, List.of("  A.m[kind=ok]     36,329,100 (32,149,922 – 40,508,277) ops/s (2 forks)"));
        assertEquals(List.of(), JmhResults.shortfalls(log));
        assertEquals(List.of(), JmhResults.shortfalls(dir.resolve("absent.log")));
    }
}
