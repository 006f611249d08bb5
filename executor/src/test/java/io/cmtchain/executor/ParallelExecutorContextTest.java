package io.cmtchain.executor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executor's configuration: documented system-property defaults, the bounds {@code conclude()} enforces (each
 * refusal names the property), and a context concluded once only.
 */
class ParallelExecutorContextTest
{
    @Test
    void shouldStartFromTheDocumentedDefaults()
    {
        final ParallelExecutorContext ctx = new ParallelExecutorContext();
        assertEquals(Runtime.getRuntime().availableProcessors(), ctx.threads());
        assertSame(ParallelExecutorContext.Scheduler.DECLARED, ctx.scheduler());
        assertEquals(ParallelExecutorContext.MIN_PARALLEL_SPEEDUP_DEFAULT, ctx.minParallelSpeedup());
        assertEquals(ParallelExecutorContext.MIN_PARALLEL_BLOCK_DEFAULT, ctx.minParallelBlock());
        assertEquals(null, ctx.transactionWork());
    }

    @Test
    void shouldReadItsSystemProperties()
    {
        final String[] props = {
            ParallelExecutorContext.THREADS_PROP, ParallelExecutorContext.SCHEDULER_PROP,
            ParallelExecutorContext.MIN_PARALLEL_SPEEDUP_PROP, ParallelExecutorContext.MIN_PARALLEL_BLOCK_PROP};
        final String[] values = {"5", "Optimistic", "2.5", "17"};
        try
        {
            for (int i = 0; i < props.length; i++)
            {
                System.setProperty(props[i], values[i]);
            }
            final ParallelExecutorContext ctx = new ParallelExecutorContext();
            assertEquals(5, ctx.threads());
            assertSame(ParallelExecutorContext.Scheduler.OPTIMISTIC, ctx.scheduler());
            assertEquals(2.5, ctx.minParallelSpeedup());
            assertEquals(17, ctx.minParallelBlock());
            assertEquals("ParallelExecutorContext{threads=5, scheduler=OPTIMISTIC, minParallelSpeedup=2.5, " +
                "minParallelBlock=17}", ctx.toString());
        }
        finally
        {
            for (final String prop : props)
            {
                System.clearProperty(prop);
            }
        }
    }

    @Test
    void shouldParseSchedulerNamesInAnyCase()
    {
        assertSame(ParallelExecutorContext.Scheduler.DECLARED, ParallelExecutorContext.parseScheduler("DeClArEd"));
        assertSame(ParallelExecutorContext.Scheduler.OPTIMISTIC, ParallelExecutorContext.parseScheduler("optimistic"));
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> ParallelExecutorContext.parseScheduler("fastest"));
        assertEquals("executor scheduler must be declared or optimistic, was fastest", ex.getMessage());
    }

    @Test
    void shouldAcceptTheBoundsOfEverySetting()
    {
        final ParallelExecutorContext low = new ParallelExecutorContext()
            .threads(1).minParallelSpeedup(0).minParallelBlock(0).tableSeed(42);
        assertSame(low, low.conclude());
        assertEquals(42, low.tableSeed());
        new ParallelExecutorContext().threads(1024).minParallelSpeedup(Double.MAX_VALUE)
            .minParallelBlock(Integer.MAX_VALUE).conclude();
    }

    @Test
    void shouldRefuseEachSettingOutOfBoundsNamingIt()
    {
        refuse(new ParallelExecutorContext().threads(0),
            ParallelExecutorContext.THREADS_PROP + " must be 1..1024, was 0");
        refuse(new ParallelExecutorContext().threads(1025), ParallelExecutorContext.THREADS_PROP);
        refuse(new ParallelExecutorContext().scheduler(null), ParallelExecutorContext.SCHEDULER_PROP + " must be set");
        refuse(new ParallelExecutorContext().minParallelSpeedup(-0.001),
            ParallelExecutorContext.MIN_PARALLEL_SPEEDUP_PROP);
        refuse(new ParallelExecutorContext().minParallelSpeedup(Double.NaN),
            ParallelExecutorContext.MIN_PARALLEL_SPEEDUP_PROP);
        refuse(new ParallelExecutorContext().minParallelSpeedup(Double.POSITIVE_INFINITY),
            ParallelExecutorContext.MIN_PARALLEL_SPEEDUP_PROP);
        refuse(new ParallelExecutorContext().minParallelBlock(-1),
            ParallelExecutorContext.MIN_PARALLEL_BLOCK_PROP + " must be >= 0, was -1");
    }

    @Test
    void shouldConcludeOnce()
    {
        final ParallelExecutorContext ctx = new ParallelExecutorContext().threads(1);
        ctx.conclude();
        assertThrows(IllegalStateException.class, ctx::conclude);
        // The executor concludes its context: a concluded one cannot be handed to a second executor.
        assertThrows(IllegalStateException.class, () -> new ParallelExecutor(ctx).close());
    }

    private static void refuse(final ParallelExecutorContext ctx, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().startsWith(message), ex.getMessage());
    }
}
