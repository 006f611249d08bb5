package io.cmtchain.pipeline;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuAffinityTest
{
    @Test
    void shouldParseTasksetListsPerStage()
    {
        final CpuAffinity affinity = CpuAffinity.parse(" Decode = 2 ; verify=3-5,9 ;execute=8,10-11;");
        assertEquals("decode=2;verify=3-5,9;execute=8,10-11", affinity.toString());
        assertEquals(set(2), affinity.cpusFor("decode", 0));
        assertEquals(set(8, 10, 11), affinity.cpusFor("execute", 0));
        assertNull(affinity.cpusFor("journal", 0), "a stage not named is not pinned");

        // The highest CPU number taken, a range of one, and an empty entry between two are fine.
        final CpuAffinity edges = CpuAffinity.parse("decode=4095; ;verify=7-7");
        assertEquals(set(CpuAffinity.MAX_CPU), edges.cpusFor("decode", 0));
        assertEquals(set(7), edges.cpusFor("verify", 0));
    }

    @Test
    void shouldPutOneVerifierOnEachListedCpuRoundRobin()
    {
        final CpuAffinity affinity = CpuAffinity.parse("verify=3-4,9");
        assertEquals(set(3), affinity.cpusFor("verify", 0));
        assertEquals(set(4), affinity.cpusFor("verify", 1));
        assertEquals(set(9), affinity.cpusFor("verify", 2));
        assertEquals(set(3), affinity.cpusFor("verify", 3));
    }

    @Test
    void shouldPinNothingWhenUnset()
    {
        assertTrue(CpuAffinity.parse(null).isEmpty());
        assertTrue(CpuAffinity.parse("  ").isEmpty());
        CpuAffinity.NONE.validate(ThreadingMode.INVOKER);
    }

    @Test
    void shouldRejectMalformedSpecsSayingWhy()
    {
        assertMessage("decode", "is not stage=cpus");
        assertMessage("decoder=1", "unknown stage 'decoder'");
        assertMessage("decode=1;decode=2", "'decode' twice");
        assertMessage("decode=", "lists no CPUs");
        assertMessage("decode=x", "'x' is not a CPU number");
        assertMessage("decode=-1", "'' is not a CPU number");
        assertMessage("decode=5-3", "runs backwards");
        assertMessage("decode=4096", "'4096' is not a CPU number");
        assertMessage("=2", "unknown stage ''");
    }

    @Test
    void shouldRejectStagesWithoutAThreadOfTheirOwnInTheMode()
    {
        final IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.parse("decode=1").validate(ThreadingMode.SHARED));
        assertTrue(shared.getMessage().contains("its threads are shared, verify"), shared.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.parse("shared=1").validate(ThreadingMode.DEDICATED));
        assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.parse("verify=1").validate(ThreadingMode.INVOKER));
        CpuAffinity.parse("shared=0;verify=1").validate(ThreadingMode.SHARED);
        CpuAffinity.parse("decode=0;verify=1;egress=0").validate(ThreadingMode.DEDICATED);
        CpuAffinity.parse("shared=0;driver=1").validate(ThreadingMode.SHARED);
        CpuAffinity.parse("decode=0;driver=1").validate(ThreadingMode.DEDICATED);
    }

    @Test
    void shouldRejectCpusTheProcessMayNotRunOn()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.parse("decode=1;verify=2-3,7").validate(set(0, 1, 2)));
        assertEquals("CPU affinity of 'verify' names CPU(s) 3,7, but this process may only run on 0-2",
            ex.getMessage());
    }

    private static void assertMessage(final String spec, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CpuAffinity.parse(spec));
        assertTrue(ex.getMessage().contains(expected), spec + ": " + ex.getMessage());
    }

    private static BitSet set(final int... cpus)
    {
        final BitSet set = new BitSet();
        for (final int cpu : cpus)
        {
            set.set(cpu);
        }
        return set;
    }
}
