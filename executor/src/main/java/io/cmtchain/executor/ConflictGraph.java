package io.cmtchain.executor;

import java.util.Arrays;

/**
 * A block's conflict graph from declared access sets, built in block order: each key remembers its latest writer
 * and the readers since; a write depends on that writer and on those readers, a read only on the writer, so
 * readers of a key run in parallel and every conflicting pair keeps block order. Edges always point from a lower
 * to a higher index, so block order is a topological order and one forward pass gives the critical path.
 * <p>
 * Keys are dense ints (the caller maps accounts and new addresses onto them); per-key arrays are stamped with a
 * block epoch so nothing is cleared per block. Preallocated and reused; grows only when a block or the key space
 * is larger than any before.
 */
final class ConflictGraph
{
    private static final int NONE = -1;

    private int txCount;
    private int epoch;

    private int[] keyEpoch = new int[0];
    private int[] lastWriter = new int[0];
    private int[] readerHead = new int[0];
    private int[] readerNext = new int[0];
    private int[] readerTx = new int[0];
    private int readerCount;

    private int[] touchedKeys = new int[0];
    private int touchedCount;

    private int[] edgeFrom = new int[0];
    private int[] edgeTo = new int[0];
    private int edgeCount;

    private int[] indegree = new int[0];
    private int[] successorStart = new int[1];
    private int[] successors = new int[0];
    private long[] finish = new long[0];
    private long criticalPath;
    private long totalWork;

    /**
     * Start a block.
     *
     * @param txCount     transactions in the block.
     * @param keySpace    one more than the largest key that will be added.
     * @param maxAccesses most calls to {@link #add} before {@link #seal}.
     */
    void reset(final int txCount, final int keySpace, final int maxAccesses)
    {
        this.txCount = txCount;
        if (keySpace > keyEpoch.length)
        {
            final int capacity = Math.max(keySpace, keyEpoch.length + (keyEpoch.length >> 1));
            keyEpoch = Arrays.copyOf(keyEpoch, capacity);
            lastWriter = Arrays.copyOf(lastWriter, capacity);
            readerHead = Arrays.copyOf(readerHead, capacity);
        }
        if (maxAccesses > readerNext.length)
        {
            readerNext = new int[maxAccesses];
            readerTx = new int[maxAccesses];
            touchedKeys = new int[maxAccesses];
            edgeFrom = new int[2 * maxAccesses];
            edgeTo = new int[2 * maxAccesses];
        }
        if (txCount > indegree.length)
        {
            indegree = new int[txCount];
            successorStart = new int[txCount + 1];
            finish = new long[txCount];
        }
        if (++epoch == 0)
        {
            // Wrapped after 2^32 blocks: stamps from long ago could collide with new ones.
            Arrays.fill(keyEpoch, 0);
            epoch = 1;
        }
        readerCount = 0;
        touchedCount = 0;
        edgeCount = 0;
    }

    /**
     * Declare that {@code tx} reads or writes {@code key}; calls come in block order.
     *
     * @param tx    index in the block.
     * @param key   dense key.
     * @param write true for a write (or read-modify-write), false for a pure read.
     */
    void add(final int tx, final int key, final boolean write)
    {
        if (keyEpoch[key] != epoch)
        {
            keyEpoch[key] = epoch;
            lastWriter[key] = NONE;
            readerHead[key] = NONE;
            touchedKeys[touchedCount++] = key;
        }
        final int writer = lastWriter[key];
        if (writer != NONE && writer != tx)
        {
            edge(writer, tx);
        }
        if (write)
        {
            for (int r = readerHead[key]; r != NONE; r = readerNext[r])
            {
                if (readerTx[r] != tx)
                {
                    edge(readerTx[r], tx);
                }
            }
            readerHead[key] = NONE;
            lastWriter[key] = tx;
        }
        else
        {
            final int r = readerCount++;
            readerTx[r] = tx;
            readerNext[r] = readerHead[key];
            readerHead[key] = r;
        }
    }

    /**
     * Build the successor lists and in-degrees and find the critical path.
     *
     * @param weights cost of each transaction, or null for one unit each.
     */
    void seal(final long[] weights)
    {
        final int n = txCount;
        Arrays.fill(indegree, 0, n, 0);
        Arrays.fill(successorStart, 0, n + 1, 0);
        if (successors.length < edgeCount)
        {
            successors = new int[Math.max(edgeCount, successors.length * 2)];
        }
        for (int e = 0; e < edgeCount; e++)
        {
            successorStart[edgeFrom[e] + 1]++;
            indegree[edgeTo[e]]++;
        }
        for (int i = 0; i < n; i++)
        {
            successorStart[i + 1] += successorStart[i];
        }
        // Edges were added in order of their head, so a stable fill keeps each list in block order.
        for (int e = 0; e < edgeCount; e++)
        {
            final int from = edgeFrom[e];
            successors[successorStart[from]++] = edgeTo[e];
        }
        for (int i = n; i > 0; i--)
        {
            successorStart[i] = successorStart[i - 1];
        }
        successorStart[0] = 0;

        Arrays.fill(finish, 0, n, 0);
        long longest = 0;
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            final long w = weights == null ? 1 : weights[i];
            final long done = finish[i] + w;
            total += w;
            finish[i] = done;
            longest = Math.max(longest, done);
            for (int s = successorStart[i], end = successorStart[i + 1]; s < end; s++)
            {
                final int next = successors[s];
                if (finish[next] < done)
                {
                    // finish[] holds the earliest start until the transaction's own turn comes.
                    finish[next] = done;
                }
            }
        }
        criticalPath = longest;
        totalWork = total;
    }

    int txCount()
    {
        return txCount;
    }

    int edgeCount()
    {
        return edgeCount;
    }

    /** @return weight of the heaviest dependency chain, as of {@link #seal}. */
    long criticalPath()
    {
        return criticalPath;
    }

    /** @return sum of the weights, as of {@link #seal}. */
    long totalWork()
    {
        return totalWork;
    }

    /** @return the in-degree array, for the scheduler to count down; valid until the next {@link #seal}. */
    int[] indegrees()
    {
        return indegree;
    }

    int successorStart(final int tx)
    {
        return successorStart[tx];
    }

    int successorEnd(final int tx)
    {
        return successorStart[tx + 1];
    }

    int successor(final int index)
    {
        return successors[index];
    }

    int touchedCount()
    {
        return touchedCount;
    }

    int touchedKey(final int i)
    {
        return touchedKeys[i];
    }

    private void edge(final int from, final int to)
    {
        // A transaction's edges are added together, at the end: skip one it already has (e.g. the same writer of
        // both accounts of a transfer).
        for (int e = edgeCount - 1; e >= 0 && edgeTo[e] == to; e--)
        {
            if (edgeFrom[e] == from)
            {
                return;
            }
        }
        final int e = edgeCount++;
        edgeFrom[e] = from;
        edgeTo[e] = to;
    }
}
