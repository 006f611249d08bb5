package io.cmtchain.bench;

import io.cmtchain.bench.report.Stats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JmhCommandTest
{
    @Test
    void shouldFindTheDeclaredParamsOfTheMatchedBenchmarks()
    {
        final Map<String, Set<String>> sign = JmhCommand.declaredParams(JmhCommand.matched("SignBenchmark"));
        assertEquals(Map.of("signer", Set.of("cmtchain", "bouncycastle")), sign);
        assertEquals(Set.of("pipeline", "work", "queue"),
            JmhCommand.declaredParams(JmhCommand.matched(JmhCommand.regexFor("pipeline"))).keySet());
    }

    @Test
    void shouldRefuseAParamNoMatchedBenchmarkDeclares()
    {
        assertEquals("--param sgner=cmtchain: no matched benchmark has a @Param sgner (theirs: signer)",
            JmhCommand.checkParams(JmhCommand.declaredParams(JmhCommand.matched("SignBenchmark")),
                List.of("sgner=cmtchain")));
        assertEquals("--param x=1: no matched benchmark has a @Param x (they have none)",
            JmhCommand.checkParams(Map.of(), List.of("x=1")));
    }

    @Test
    void shouldRefuseAWordThatIsNotOneOfTheDeclaredChoices()
    {
        final Map<String, Set<String>> sign = JmhCommand.declaredParams(JmhCommand.matched("SignBenchmark"));
        assertEquals("--param signer=libsodium: signer cannot be 'libsodium' (one of cmtchain, bouncycastle)",
            JmhCommand.checkParams(sign, List.of("signer=libsodium")));
        assertNull(JmhCommand.checkParams(sign, List.of("signer=cmtchain")));
        assertNull(JmhCommand.checkParams(sign, List.of("signer=bouncycastle,cmtchain")));
    }

    @Test
    void shouldTakeAnyNumberForANumericParam()
    {
        final Map<String, Set<String>> dpos = JmhCommand.declaredParams(JmhCommand.matched("DposBlockBenchmark"));
        assertNull(JmhCommand.checkParams(dpos, List.of("delegations=1000", "candidates=50")));
        assertEquals("--param delegations=abc: delegations cannot be 'abc' (a number, declared: 100000)",
            JmhCommand.checkParams(dpos, List.of("delegations=abc")));
    }

    @Test
    void shouldRefuseAMalformedParam()
    {
        assertEquals("--param wants NAME=V1,V2, got x", JmhCommand.checkParams(Map.of(), List.of("x")));
        assertEquals("--param wants NAME=V1,V2, got signer=", JmhCommand.checkParams(Map.of(), List.of("signer=")));
        assertEquals("--param signer=cmtchain,: signer cannot be '' (one of cmtchain, bouncycastle)",
            JmhCommand.checkParams(JmhCommand.declaredParams(JmhCommand.matched("SignBenchmark")),
                List.of("signer=cmtchain,")));
    }

    @Test
    void shouldGiveAForkMedianInTheReportsForm()
    {
        final Stats forks = new Stats().add(51_480.2).add(52_406.9).add(52_189.1);
        assertEquals(String.format("  %-60s 52,189 (51,480 – 52,407) ops/s (3 forks)",
            "SignBenchmark.signCommit[signer=cmtchain]"),
            JmhCommand.forkLine("SignBenchmark.signCommit[signer=cmtchain]", forks, "ops/s"));
        assertEquals(String.format("  %-60s 0.057 (0.056 – 0.060) B/op (3 forks)", "S.m:gc.alloc.rate.norm"),
            JmhCommand.forkLine("S.m:gc.alloc.rate.norm", new Stats().add(0.056).add(0.057).add(0.06), "B/op"));
    }

    @Test
    void shouldExpectARunPerParamCombinationWithItsForks()
    {
        assertEquals(Map.of("SignBenchmark.signCommit[signer=bouncycastle] thrpt", 1,
            "SignBenchmark.signCommit[signer=cmtchain] thrpt", 1),
            JmhCommand.expectedRuns(JmhCommand.matched("SignBenchmark.signCommit"), JmhCommand.overrides(null), null));
        assertEquals(Map.of("SignBenchmark.signCommit[signer=cmtchain] thrpt", 3),
            JmhCommand.expectedRuns(JmhCommand.matched("SignBenchmark.signCommit"),
                JmhCommand.overrides(List.of("signer=cmtchain")), 3));
        assertEquals(Map.of("SignBenchmark.signCommit[signer=cmtchain] thrpt", 1),
            JmhCommand.expectedRuns(JmhCommand.matched("SignBenchmark.signCommit"),
                JmhCommand.overrides(List.of("signer=cmtchain")), 0));
    }

    @Test
    void shouldNameEachRunThatFailedOrLostForks()
    {
        final Map<String, Integer> expected = new TreeMap<>(Map.of("A.m[kind=fail] thrpt", 2,
            "A.m[kind=flaky] thrpt", 2, "A.m[kind=ok] thrpt", 2));
        assertEquals(List.of("A.m[kind=fail] thrpt: no result",
            "A.m[kind=flaky] thrpt: 1 of 2 forks (its figure is of those alone)"),
            JmhCommand.shortfalls(expected, Map.of("A.m[kind=ok] thrpt", 2, "A.m[kind=flaky] thrpt", 1)));
        assertEquals(List.of(), JmhCommand.shortfalls(expected,
            Map.of("A.m[kind=ok] thrpt", 2, "A.m[kind=flaky] thrpt", 2, "A.m[kind=fail] thrpt", 2)));
    }

    @Test
    void shouldKeyARunByItsShortNameSortedParamsAndMode()
    {
        assertEquals("SignBenchmark.signCommit[a=1,signer=cmtchain] avgt", JmhCommand.runKey(
            "io.cmtchain.bench.sigverify.SignBenchmark.signCommit", "avgt",
            new TreeMap<>(Map.of("signer", "cmtchain", "a", "1"))));
        assertEquals("S.m thrpt", JmhCommand.runKey("x.S.m", "thrpt", Map.of()));
    }
}
