package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;

import java.util.PriorityQueue;

/**
 * What a block's conflict graph allows past this machine: its longest dependency chain and the speedup it predicts
 * at any thread count, both as the bound total / max(critical path, total / threads) and by simulating greedy list
 * scheduling (a free thread always takes the lowest-indexed ready transaction, as the declared scheduler does).
 * Uses the declared scheduler's own access sets and graph, on the caller's thread; an offline tool, not for the hot
 * path (the simulation allocates).
 */
public final class CriticalPathAnalyzer implements AutoCloseable
{
    private final WorkerPool pool = new WorkerPool(1, "cmt-critical-path");
    private final DeclaredScheduler scheduler = new DeclaredScheduler(pool, 0, null, 7);
    private ConflictGraph graph;
    private long[] weights;

    /**
     * Build the block's conflict graph against a state; the state is not changed.
     *
     * @param state   the block would run on.
     * @param txs     of the block.
     * @param weights cost units of each transaction, or null for one each.
     * @return this.
     */
    public CriticalPathAnalyzer analyze(final ChainState state, final BlockTransactions txs, final long[] weights)
    {
        graph = scheduler.plan(state, txs);
        this.weights = weights;
        graph.seal(weights);
        return this;
    }

    public int txCount()
    {
        return graph.txCount();
    }

    /** @return dependency edges in the graph. */
    public int edgeCount()
    {
        return graph.edgeCount();
    }

    /** @return cost of the heaviest dependency chain. */
    public long criticalPath()
    {
        return graph.criticalPath();
    }

    /** @return cost of every transaction together. */
    public long totalWork()
    {
        return graph.totalWork();
    }

    /**
     * @param threads executing.
     * @return total / max(critical path, total / threads).
     */
    public double boundSpeedup(final int threads)
    {
        final double total = graph.totalWork();
        return total == 0 ? 1 : total / Math.max(graph.criticalPath(), total / threads);
    }

    /**
     * @param threads executing.
     * @return total / makespan of a greedy list schedule in block-order priority.
     */
    public double simulatedSpeedup(final int threads)
    {
        final int n = graph.txCount();
        if (n == 0)
        {
            return 1;
        }
        final int[] waiting = graph.indegrees().clone();
        final PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++)
        {
            if (waiting[i] == 0)
            {
                ready.add(i);
            }
        }
        // Running transactions by finish time, then index: {finish, tx}.
        final PriorityQueue<long[]> running = new PriorityQueue<>((a, b) ->
            a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long now = 0;
        int done = 0;
        while (done < n)
        {
            while (running.size() < threads && !ready.isEmpty())
            {
                final int tx = ready.poll();
                running.add(new long[] {now + weight(tx), tx});
            }
            final long[] next = running.poll();
            now = next[0];
            done++;
            final int tx = (int)next[1];
            for (int s = graph.successorStart(tx), end = graph.successorEnd(tx); s < end; s++)
            {
                final int successor = graph.successor(s);
                if (--waiting[successor] == 0)
                {
                    ready.add(successor);
                }
            }
        }
        return (double)graph.totalWork() / now;
    }

    private long weight(final int tx)
    {
        return weights == null ? 1 : weights[tx];
    }

    @Override
    public void close()
    {
        pool.close();
    }
}
