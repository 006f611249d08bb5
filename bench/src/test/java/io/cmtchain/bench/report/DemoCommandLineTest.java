package io.cmtchain.bench.report;

import io.cmtchain.engine.util.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoCommandLineTest
{
    @Test
    void shouldGiveTheLaunchersCommandLine()
    {
        assertEquals("bin/cmt demo", ReportSections.demoCommand(List.of()));
        assertEquals("bin/cmt demo --rate 0 --seconds 30 --warmup 5",
            ReportSections.demoCommand(List.of("--rate", "0", "--seconds", "30", "--warmup", "5")));
    }

    @Test
    void shouldRecordTheCommandLineInTheRunsJson()
    {
        final String json = "{\"tps\": 62748.2, \"setup\": {}, \"percentiles\": {\"50.0\":2648.703}}\n";
        final Map<?, ?> parsed = (Map<?, ?>)Json.parse(ReportSections.withCommand(json, "bin/cmt demo --seconds 30"));
        assertEquals("bin/cmt demo --seconds 30", parsed.get("command"));
        assertEquals(62748.2, ((Number)parsed.get("tps")).doubleValue());
        assertEquals(Map.of(), parsed.get("setup"));

        assertEquals(Map.of("command", "say \"hi\""), Json.parse(ReportSections.withCommand(" { } ", "say \"hi\"")));
        assertEquals("[1]", ReportSections.withCommand("[1]", "x"));
    }
}
