package io.cmtchain.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.tx.Addresses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DposProposerScheduleTest
{
    private final TestChain testChain = new TestChain(4);
    private final Chain chain = new Chain(testChain.genesis.createState(42), 0, new byte[32]);
    private final List<Thread> woken = new ArrayList<>();
    private final DposProposerSchedule schedule = new DposProposerSchedule(woken::add);
    private final byte[] out = new byte[Addresses.LENGTH + 3];

    @Test
    void shouldAnswerOnlyForThePublishedHeightWithTheChainsScheduledProposer()
    {
        assertFalse(schedule.proposer(1, out, 3));
        schedule.onBlockApplied(chain);
        assertEquals(1, schedule.publishedHeight());
        assertFalse(schedule.proposer(2, out, 3));
        assertTrue(schedule.proposer(1, out, 3));
        final byte[] expected = new byte[Addresses.LENGTH + 3];
        System.arraycopy(chain.scheduledProposer(), 0, expected, 3, Addresses.LENGTH);
        assertArrayEquals(expected, out);
    }

    @Test
    void shouldWakeTheThreadThatAskedTooEarlyOnceWhenItsProposerIsPublished() throws InterruptedException
    {
        final AtomicBoolean early = new AtomicBoolean(true);
        final Thread ordering = new Thread(() -> early.set(schedule.proposer(1, out, 0)), "ordering");
        ordering.start();
        ordering.join();
        assertFalse(early.get());

        schedule.onBlockApplied(chain);
        assertEquals(List.of(ordering), woken);

        // Nobody waits any more: the next block wakes no one.
        schedule.onBlockApplied(chain);
        assertEquals(List.of(ordering), woken);
    }

    @Test
    void shouldWakeNobodyWhenTheProposerWasAskedForOnlyAfterItsPublication()
    {
        schedule.onBlockApplied(chain);
        assertTrue(schedule.proposer(1, out, 0));
        schedule.onBlockApplied(chain);
        assertTrue(woken.isEmpty(), woken::toString);
    }

    @Test
    void shouldNotWakeTheExecutingThreadItselfWhenOneThreadRunsBothStages()
    {
        assertFalse(schedule.proposer(1, out, 0));
        schedule.onBlockApplied(chain);
        assertTrue(woken.isEmpty(), woken::toString);
        assertTrue(schedule.proposer(1, out, 0));
    }
}
