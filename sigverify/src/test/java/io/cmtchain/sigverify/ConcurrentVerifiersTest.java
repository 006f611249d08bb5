package io.cmtchain.sigverify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node runs N verifier threads, each with its own batch verifier (and key cache and coefficient source); what they
 * share is static: the base-point tables, the curve and scalar constants and the signer's table. Threads that verify
 * the same edge cases and honest signatures at once, each in its own order and batch sizes, and sign at once, must
 * each get every verdict and every signature a thread alone gets: any scratch shared by mistake would mix their
 * values.
 */
class ConcurrentVerifiersTest
{
    private static final int THREADS = 4;
    private static final int ROUNDS = 3;

    @Test
    void shouldGiveEveryThreadTheVerdictsAndSignaturesOfOneThreadAlone() throws Exception
    {
        final Random random = new Random(64);
        final List<EdgeCasePool.Entry> entries = new ArrayList<>(EdgeCasePool.edges());
        entries.addAll(EdgeCasePool.fillers(random, 150, 30));
        final byte[] seed = new byte[32];
        random.nextBytes(seed);
        final byte[][] messages = new byte[40][];
        final byte[][] expectedSigs = new byte[messages.length][64];
        for (int i = 0; i < messages.length; i++)
        {
            messages[i] = new byte[random.nextInt(200)];
            random.nextBytes(messages[i]);
            Ed25519.sign(seed, 0, messages[i], 0, messages[i].length, expectedSigs[i], 0);
        }

        final CountDownLatch start = new CountDownLatch(THREADS);
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final long threadSeed = 100 + t;
                results.add(pool.submit(() -> run(threadSeed, entries, seed, messages, expectedSigs, start)));
            }
            for (final Future<Integer> result : results)
            {
                assertEquals(ROUNDS * entries.size(), result.get(120, TimeUnit.SECONDS).intValue());
            }
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    /** One thread's work: its own verifiers and signer, its own order and batch sizes; returns verdicts checked. */
    private static int run(final long threadSeed, final List<EdgeCasePool.Entry> entries, final byte[] seed,
        final byte[][] messages, final byte[][] expectedSigs, final CountDownLatch start) throws InterruptedException
    {
        final Random random = new Random(threadSeed);
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 16);
        final Ed25519Signer signer = new Ed25519Signer(seed);
        final byte[] sig = new byte[64];
        final List<EdgeCasePool.Entry> order = new ArrayList<>(entries);
        start.countDown();
        start.await();
        int checked = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            Collections.shuffle(order, random);
            int from = 0;
            while (from < order.size())
            {
                final int to = Math.min(order.size(), from + 1 + random.nextInt(batch.capacity()));
                batch.reset();
                for (int i = from; i < to; i++)
                {
                    final EdgeCasePool.Entry e = order.get(i);
                    batch.add(e.pk, e.sig, e.prefix, e.msg);
                    assertEquals(e.expected, single.verify(e.pk, e.sig, e.prefix, e.msg), "single: " + e.label);
                }
                batch.verify();
                for (int i = from; i < to; i++)
                {
                    final EdgeCasePool.Entry e = order.get(i);
                    assertEquals(e.expected, batch.verdict(i - from), "batch: " + e.label);
                    checked++;
                }
                final int m = random.nextInt(messages.length);
                signer.sign(messages[m], 0, messages[m].length, sig, 0);
                assertArrayEquals(expectedSigs[m], sig, "signature of message " + m);
                from = to;
            }
        }
        return checked;
    }
}
