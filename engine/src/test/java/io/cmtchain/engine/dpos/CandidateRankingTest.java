package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateRankingTest
{
    private static Candidate candidate(final int i)
    {
        final byte[] owner = new byte[20];
        owner[0] = (byte)(i * 37);
        owner[19] = (byte)i;
        final byte[] key = new byte[32];
        key[0] = (byte)i;
        return new Candidate(new ByteKey(owner), new ByteKey(key), 0, 0, new byte[0], 0);
    }

    /**
     * Random stake changes (small moves like rewards, big jumps, ties, leaving and re-entering), checked after every
     * change against a TreeSet under the same order: the same candidates in the same order, and the flags right.
     */
    @Test
    void shouldKeepTheOrderATreeSetKeeps()
    {
        final Random random = new Random(20261121L);
        final List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < 60; i++)
        {
            all.add(candidate(i));
        }
        final CandidateRanking ranking = new CandidateRanking();
        final TreeSet<Candidate> reference = new TreeSet<>(DposState.RANK_ORDER);
        for (int step = 0; step < 20_000; step++)
        {
            final Candidate c = all.get(random.nextInt(all.size()));
            final long stake;
            switch (random.nextInt(5))
            {
                case 0:
                    stake = 0;
                    break;
                case 1:
                    stake = 1 + random.nextInt(4);
                    break;
                case 2:
                    stake = c.rankStakeMicroCmt + random.nextInt(3);
                    break;
                default:
                    stake = 1 + random.nextInt(1_000_000);
                    break;
            }
            reference.remove(c);
            ranking.rank(c, stake);
            if (stake > 0)
            {
                reference.add(c);
            }
            assertEquals(stake, c.rankStakeMicroCmt);
            assertEquals(stake > 0, c.ranked);
            assertEquals(reference.size(), ranking.size(), "size at step " + step);
            int i = 0;
            for (final Candidate r : reference)
            {
                assertEquals(r, ranking.get(i++), "rank " + (i - 1) + " at step " + step);
            }
        }
    }

    @Test
    void shouldRestoreFromUnsortedEntries()
    {
        final CandidateRanking ranking = new CandidateRanking();
        final TreeSet<Candidate> reference = new TreeSet<>(DposState.RANK_ORDER);
        for (int i = 0; i < 40; i++)
        {
            final Candidate c = candidate(i);
            c.rankStakeMicroCmt = 1 + (i * 7919L) % 13;
            c.ranked = true;
            ranking.addUnsorted(c);
            reference.add(c);
        }
        ranking.sort();
        int i = 0;
        for (final Candidate r : reference)
        {
            assertEquals(r, ranking.get(i++));
        }
        final Candidate first = ranking.get(0);
        ranking.rank(first, 0);
        assertFalse(first.ranked);
        assertEquals(39, ranking.size());
        assertThrows(IndexOutOfBoundsException.class, () -> ranking.get(39));
    }

    @Test
    void shouldRefuseACandidateMarkedRankedThatIsNot()
    {
        final CandidateRanking ranking = new CandidateRanking();
        final Candidate c = candidate(1);
        ranking.rank(c, 10);
        assertTrue(c.ranked);
        final Candidate stray = candidate(2);
        stray.ranked = true;
        stray.rankStakeMicroCmt = 5;
        assertThrows(IllegalStateException.class, () -> ranking.rank(stray, 7));
    }
}
