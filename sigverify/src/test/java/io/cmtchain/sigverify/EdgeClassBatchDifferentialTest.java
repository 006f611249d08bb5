package io.cmtchain.sigverify;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch against single verification on every edge class ({@link EdgeCasePool}: the speccheck and Wycheproof vectors,
 * small-order and mixed-order A and R in every encoding, non-canonical y, "-0", S at and past L, S &gt;= 2^253)
 * mixed with honest signatures, in batches of the sizes the node runs: 1, 2, odd sizes, the replay's chunk (128),
 * the default capacity and batch size ({@link Ed25519BatchVerifier#DEFAULT_CAPACITY}, 256) and runs longer than it,
 * cut into batches of the capacity as the verify stage cuts them. Every batch verdict must be the single verifier's,
 * which must be the rule's as {@link RefEd25519} states it; a batch of valid entries, small-order components and all,
 * must pass its multi-scalar check itself (cofactored), not through the single checks of a split.
 */
class EdgeClassBatchDifferentialTest
{
    private static final int[] SIZES = {1, 2, 3, 7, 33, 128, 255, 256, 257, 600};

    /** The pinned ZIP-215 verdicts of speccheck cases 0 to 11 (docs: README, DESIGN.md). */
    private static final String SPECCHECK = "VVVVVVXXXVVV";

    @Test
    void shouldGiveEveryEdgeEntryTheRulesVerdictOnTheSinglePath()
    {
        final List<EdgeCasePool.Entry> edges = EdgeCasePool.edges();
        final Ed25519Verifier single = new Ed25519Verifier();
        final StringBuilder speccheck = new StringBuilder();
        int valid = 0;
        for (final EdgeCasePool.Entry e : edges)
        {
            final boolean got = single.verify(e.pk, e.sig, e.prefix, e.msg);
            assertEquals(e.expected, got, e.label);
            if (e.label.startsWith("speccheck "))
            {
                speccheck.append(got ? 'V' : 'X');
            }
            valid += got ? 1 : 0;
        }
        assertEquals(SPECCHECK, speccheck.toString());
        // Enough of each verdict for the mixes below to mean something.
        assertTrue(valid > 60 && edges.size() - valid > 150, valid + " valid of " + edges.size());
    }

    @Test
    void shouldGiveSingleVerdictsToEdgesMixedWithHonestSignaturesInBatchesOfEverySize()
    {
        final Random random = new Random(2150);
        final List<EdgeCasePool.Entry> edges = EdgeCasePool.edges();
        final List<EdgeCasePool.Entry> fillers = EdgeCasePool.fillers(random, 300, 40);
        final Ed25519BatchVerifier node = new Ed25519BatchVerifier();
        final Ed25519BatchVerifier tinyCache =
            new Ed25519BatchVerifier(Ed25519BatchVerifier.DEFAULT_CAPACITY, 2);
        for (final int size : SIZES)
        {
            for (final int edgeShare : new int[] {1, 3, 100})
            {
                // edgeShare in 100 of the entries are edges; 100: all are.
                final List<EdgeCasePool.Entry> run = new ArrayList<>();
                for (int i = 0; i < size; i++)
                {
                    run.add(random.nextInt(100) < edgeShare || edgeShare == 100 ?
                        edges.get(random.nextInt(edges.size())) : fillers.get(random.nextInt(fillers.size())));
                }
                final String what = "size " + size + ", edges " + edgeShare + "%";
                assertSingleVerdicts(node, run, true, what);
                // Again: every key that decoded is now cached, and R is decoded alone.
                assertSingleVerdicts(node, run, false, what + ", keys cached");
                assertSingleVerdicts(tinyCache, run, false, what + ", two-key cache");
            }
        }
    }

    @Test
    void shouldPassBatchesOfValidEdgesAndHonestSignaturesWithoutASplit()
    {
        final Random random = new Random(2151);
        final List<EdgeCasePool.Entry> valid = EdgeCasePool.validEdges();
        final List<EdgeCasePool.Entry> fillers = EdgeCasePool.fillers(random, 100, 20);
        final Ed25519BatchVerifier node = new Ed25519BatchVerifier();
        for (final int size : SIZES)
        {
            final List<EdgeCasePool.Entry> run = new ArrayList<>();
            for (int i = 0; i < size; i++)
            {
                run.add(random.nextBoolean() ?
                    valid.get(random.nextInt(valid.size())) : fillers.get(random.nextInt(fillers.size())));
            }
            final long before = node.failedChecks();
            assertSingleVerdicts(node, run, true, "valid, size " + size);
            assertEquals(before, node.failedChecks(),
                "size " + size + ": a batch of valid signatures failed its multi-scalar check");
        }
        // Every valid edge together, in batches of the capacity.
        final long before = node.failedChecks();
        assertSingleVerdicts(node, valid, false, "every valid edge");
        assertEquals(before, node.failedChecks(), "every valid edge: a batch failed its multi-scalar check");
    }

    /**
     * Verify {@code run} in batches of the verifier's capacity, in order, as the verify stage does; each verdict must
     * be the entry's expected one, and (with {@code checkSingle}; a rerun of the same entries skips it) the single
     * verifier's too; each batch's result must be true exactly when all its entries are valid.
     */
    private static void assertSingleVerdicts(
        final Ed25519BatchVerifier batch, final List<EdgeCasePool.Entry> run, final boolean checkSingle,
        final String what)
    {
        final Ed25519Verifier single = new Ed25519Verifier();
        for (int from = 0; from < run.size(); from += batch.capacity())
        {
            final int to = Math.min(run.size(), from + batch.capacity());
            batch.reset();
            boolean all = true;
            for (int i = from; i < to; i++)
            {
                final EdgeCasePool.Entry e = run.get(i);
                assertEquals(i - from, batch.add(e.pk, e.sig, e.prefix, e.msg));
                if (checkSingle)
                {
                    assertEquals(e.expected, single.verify(e.pk, e.sig, e.prefix, e.msg),
                        what + ": single, " + e.label);
                }
                all &= e.expected;
            }
            assertEquals(all, batch.verify(), what + ": batch [" + from + ", " + to + ")");
            for (int i = from; i < to; i++)
            {
                final EdgeCasePool.Entry e = run.get(i);
                assertEquals(e.expected, batch.verdict(i - from), what + ": entry " + i + ", " + e.label);
            }
        }
    }
}
