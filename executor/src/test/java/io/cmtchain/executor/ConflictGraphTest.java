package io.cmtchain.executor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConflictGraphTest
{
    private final ConflictGraph graph = new ConflictGraph();

    @Test
    void shouldOrderWritersOfOneKeyInBlockOrder()
    {
        graph.reset(3, 10, 3);
        graph.add(0, 5, true);
        graph.add(1, 5, true);
        graph.add(2, 5, true);
        graph.seal(null);
        assertArrayEquals(new int[] {1}, successors(0));
        assertArrayEquals(new int[] {2}, successors(1));
        assertArrayEquals(new int[] {0, 1, 1}, indegrees(3));
        assertEquals(3, graph.criticalPath());
    }

    @Test
    void shouldLetReadersShareAndMakeTheNextWriterWaitForAll()
    {
        graph.reset(5, 10, 5);
        graph.add(0, 1, true);
        graph.add(1, 1, false);
        graph.add(2, 1, false);
        graph.add(3, 1, false);
        graph.add(4, 1, true);
        graph.seal(null);
        assertArrayEquals(new int[] {1, 2, 3, 4}, successors(0));
        assertArrayEquals(new int[] {4}, successors(1));
        assertArrayEquals(new int[] {0, 1, 1, 1, 4}, indegrees(5));
        assertEquals(3, graph.criticalPath());
    }

    @Test
    void shouldFindNoDependenciesBetweenDistinctKeysAndWeighTheCriticalPath()
    {
        graph.reset(4, 10, 8);
        graph.add(0, 1, true);
        graph.add(0, 2, true);
        graph.add(1, 3, true);
        graph.add(2, 2, true);
        graph.add(3, 4, true);
        graph.seal(new long[] {5, 1, 7, 2});
        assertArrayEquals(new int[] {0, 0, 1, 0}, indegrees(4));
        assertEquals(12, graph.criticalPath());
        assertEquals(15, graph.totalWork());
        assertEquals(4, graph.touchedCount());
    }

    @Test
    void shouldNotMakeATransactionDependOnItself()
    {
        graph.reset(2, 10, 4);
        graph.add(0, 7, true);
        graph.add(0, 7, true);
        graph.add(1, 7, false);
        graph.add(1, 7, true);
        graph.seal(null);
        assertArrayEquals(new int[] {0, 1}, indegrees(2));
    }

    @Test
    void shouldForgetTheLastBlock()
    {
        graph.reset(2, 10, 2);
        graph.add(0, 3, true);
        graph.add(1, 3, true);
        graph.seal(null);

        // The same transaction indices again, now independent: neither the last block's in-degree of 1, nor its
        // successor list, nor its writer of key 3 may be left over.
        graph.reset(2, 10, 2);
        graph.add(0, 3, true);
        graph.add(1, 4, true);
        graph.seal(null);
        assertEquals(0, graph.edgeCount());
        assertArrayEquals(new int[] {0, 0}, indegrees(2));
        assertArrayEquals(new int[0], successors(0));
        assertArrayEquals(new int[0], successors(1));
        assertEquals(1, graph.criticalPath());

        graph.reset(1, 10, 1);
        graph.add(0, 3, true);
        graph.seal(null);
        assertArrayEquals(new int[] {0}, indegrees(1));
        assertEquals(1, graph.criticalPath());
    }

    @Test
    void shouldForgetEveryStampWhenTheBlockEpochWraps() throws ReflectiveOperationException
    {
        graph.reset(1, 10, 2);
        graph.add(0, 3, true);
        graph.add(0, 4, true);
        graph.seal(null);
        // 2^32 blocks later the epoch wraps, and the blocks after it are stamped like the first ones: without
        // clearing the stamps, the first block's writer of keys 3 and 4 would be taken for one of theirs.
        final java.lang.reflect.Field epoch = ConflictGraph.class.getDeclaredField("epoch");
        epoch.setAccessible(true);
        epoch.setInt(graph, -1);
        for (int key = 3; key <= 4; key++)
        {
            graph.reset(2, 10, 2);
            graph.add(1, key, true);
            graph.seal(null);
            assertEquals(0, graph.edgeCount(), "key " + key);
            assertArrayEquals(new int[] {0, 0}, indegrees(2));
            assertEquals(1, graph.touchedCount());
        }
    }

    @Test
    void shouldAddOneEdgePerPairWhateverTheKeysTheyShare()
    {
        graph.reset(3, 10, 6);
        graph.add(0, 1, true);
        graph.add(0, 2, true);
        graph.add(1, 1, true);
        graph.add(1, 2, true);
        graph.add(2, 2, false);
        graph.add(2, 1, false);
        graph.seal(null);
        assertEquals(2, graph.edgeCount());
        assertArrayEquals(new int[] {1}, successors(0));
        assertArrayEquals(new int[] {2}, successors(1));
        assertArrayEquals(new int[] {0, 1, 1}, indegrees(3));
        assertEquals(3, graph.txCount());
    }

    @Test
    void shouldGrowForALargerBlockAndKeySpace()
    {
        graph.reset(2, 4, 2);
        graph.add(0, 3, true);
        graph.add(1, 3, true);
        graph.seal(null);
        final int n = 300;
        graph.reset(n, 5_000, 2 * n);
        for (int i = 0; i < n; i++)
        {
            // Transaction i writes keys i and 4_000 + i / 2: pairs (2k, 2k + 1) conflict, nothing else does.
            graph.add(i, i, true);
            graph.add(i, 4_000 + i / 2, true);
        }
        graph.seal(null);
        assertEquals(n / 2, graph.edgeCount());
        assertEquals(2, graph.criticalPath());
        assertEquals(n, graph.totalWork());
        assertEquals(n + n / 2, graph.touchedCount());
        for (int i = 0; i < n; i += 2)
        {
            assertArrayEquals(new int[] {i + 1}, successors(i));
            assertArrayEquals(new int[0], successors(i + 1));
        }
    }

    private int[] successors(final int tx)
    {
        final int start = graph.successorStart(tx);
        final int[] out = new int[graph.successorEnd(tx) - start];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = graph.successor(start + i);
        }
        return out;
    }

    private int[] indegrees(final int n)
    {
        return java.util.Arrays.copyOf(graph.indegrees(), n);
    }
}
