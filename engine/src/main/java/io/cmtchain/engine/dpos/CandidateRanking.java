package io.cmtchain.engine.dpos;

import java.util.Arrays;

/**
 * The election's ranking: the candidates with stake, kept in one array sorted by {@link DposState#RANK_ORDER}
 * (stake descending, then address ascending) under each candidate's {@link Candidate#rankStakeMicroCmt}.
 * <p>
 * It replaces a {@code TreeSet}, which allocated a tree node every time a candidate whose stake changed was put back,
 * so that a DPoS block (where rewards change the validators' stake every block) allocated nothing here. A candidate
 * whose stake changes is found by binary search and moved to its new place; only the entries between its old and new
 * places shift, and block rewards move a candidate by few places if any. Entering or leaving shifts the entries
 * after its place. The order is total (addresses are unique), so it is the order the {@code TreeSet} had.
 */
final class CandidateRanking
{
    private Candidate[] entries = new Candidate[16];
    private int size;

    /** @return how many candidates are ranked. */
    int size()
    {
        return size;
    }

    /**
     * @param index in rank order, below {@link #size()}.
     * @return the candidate at that rank.
     */
    Candidate get(final int index)
    {
        if (index >= size)
        {
            throw new IndexOutOfBoundsException("rank " + index + " of " + size);
        }
        return entries[index];
    }

    /**
     * Rank a candidate at a new stake: move it if it is ranked, add it if not, remove it if the stake is 0.
     *
     * @param c     a candidate; its {@link Candidate#rankStakeMicroCmt} must be the stake it is ranked at, if ranked.
     * @param stake its stake now, 0 or more.
     */
    void rank(final Candidate c, final long stake)
    {
        if (c.ranked)
        {
            final int i = indexOf(c);
            c.rankStakeMicroCmt = stake;
            if (stake > 0)
            {
                moveIntoPlace(c, i);
            }
            else
            {
                System.arraycopy(entries, i + 1, entries, i, size - i - 1);
                entries[--size] = null;
                c.ranked = false;
            }
        }
        else
        {
            c.rankStakeMicroCmt = stake;
            if (stake > 0)
            {
                if (size == entries.length)
                {
                    entries = Arrays.copyOf(entries, size * 2);
                }
                final int at = firstAfter(c, 0, size);
                System.arraycopy(entries, at, entries, at + 1, size - at);
                entries[at] = c;
                size++;
                c.ranked = true;
            }
        }
    }

    /**
     * Put back candidates read from a snapshot, whose {@link Candidate#ranked} flag and stake were stored; call
     * {@link #sort()} after the last.
     *
     * @param c a candidate with {@code ranked} set.
     */
    void addUnsorted(final Candidate c)
    {
        if (size == entries.length)
        {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = c;
    }

    /** Sort what {@link #addUnsorted} added. */
    void sort()
    {
        Arrays.sort(entries, 0, size, DposState.RANK_ORDER);
    }

    private int indexOf(final Candidate c)
    {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final int cmp = DposState.RANK_ORDER.compare(entries[mid], c);
            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else if (cmp > 0)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        throw new IllegalStateException("candidate " + c.owner + " is marked ranked but is not in the ranking");
    }

    /** The first index in [from, to) whose entry ranks after c; to if none does. */
    private int firstAfter(final Candidate c, final int from, final int to)
    {
        int lo = from;
        int hi = to;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (DposState.RANK_ORDER.compare(entries[mid], c) > 0)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** c, at index i, has a new stake: shift the entries between its old place and its new one by one. */
    private void moveIntoPlace(final Candidate c, final int i)
    {
        if (i > 0 && DposState.RANK_ORDER.compare(c, entries[i - 1]) < 0)
        {
            final int at = firstAfter(c, 0, i);
            System.arraycopy(entries, at, entries, at + 1, i - at);
            entries[at] = c;
        }
        else if (i + 1 < size && DposState.RANK_ORDER.compare(c, entries[i + 1]) > 0)
        {
            final int after = firstAfter(c, i + 1, size);
            System.arraycopy(entries, i + 1, entries, i, after - i - 1);
            entries[after - 1] = c;
        }
    }
}
