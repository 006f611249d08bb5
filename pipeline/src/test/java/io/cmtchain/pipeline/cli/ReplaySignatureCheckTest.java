package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay's signature check gives the same verdict on one thread and split over several. */
class ReplaySignatureCheckTest
{
    private static final int COUNT = 300;

    @Test
    void shouldFindTheOneBadSignatureWhicheverThreadChecksIt()
    {
        for (final int bad : new int[] {-1, 5, 150, 250, COUNT - 1})
        {
            final BlockTransactions txs = bad < 0 ? block() : block(bad);
            for (final int threads : new int[] {1, 2, 3})
            {
                try (ReplaySignatureCheck check = new ReplaySignatureCheck(threads))
                {
                    check.begin(7, txs);
                    final String verdict = check.finish();
                    if (bad < 0)
                    {
                        assertNull(verdict, threads + " threads");
                        assertEquals(COUNT, check.verified());
                    }
                    else
                    {
                        assertTrue(verdict != null && verdict.startsWith("block 7: transaction " + bad + " ("),
                            threads + " threads, bad " + bad + ": " + verdict);
                        assertEquals(0, check.verified());
                    }
                }
            }
        }
    }

    @Test
    void shouldNameTheFirstBadSignatureOfTheBlockWhicheverChunkFailsFirst()
    {
        // Bad ones in the first and the last chunk, and two in one chunk.
        final BlockTransactions txs =
            block(3 * ReplaySignatureCheck.CHUNK / 2, COUNT - 2, ReplaySignatureCheck.CHUNK + 1);
        for (final int threads : new int[] {1, 2, 3})
        {
            try (ReplaySignatureCheck check = new ReplaySignatureCheck(threads))
            {
                for (int block = 1; block <= 20; block++)
                {
                    check.begin(block, txs);
                    final String verdict = check.finish();
                    final String expected = "block " + block + ": transaction " + (ReplaySignatureCheck.CHUNK + 1) +
                        " (";
                    assertTrue(verdict != null && verdict.startsWith(expected), threads + " threads: " + verdict);
                }
                check.begin(21, block());
                assertNull(check.finish(), "a good block after bad ones, " + threads + " threads");
                assertEquals(COUNT, check.verified());
            }
        }
    }

    @Test
    void shouldCheckItsOwnCopySoThatTheReaderMayReuseItsBuffersAfterBegin()
    {
        for (final int threads : new int[] {1, 2})
        {
            try (ReplaySignatureCheck check = new ReplaySignatureCheck(threads))
            {
                final BlockTransactions good = block();
                check.begin(1, good);
                flipSignatureBit(good, 40);
                assertNull(check.finish(), threads + " threads: the frames changed after begin were checked");

                final BlockTransactions bad = block(40);
                check.begin(2, bad);
                flipSignatureBit(bad, 40);
                final String verdict = check.finish();
                assertTrue(verdict != null && verdict.startsWith("block 2: transaction 40 ("),
                    threads + " threads: " + verdict);
            }
        }
    }

    @Test
    void shouldGiveEachOfTwoBlocksInFlightItsOwnVerdictInOrder()
    {
        for (final int threads : new int[] {1, 2, 3})
        {
            try (ReplaySignatureCheck check = new ReplaySignatureCheck(threads))
            {
                check.begin(1, block());
                check.begin(2, block(250));
                assertNull(check.finish(), threads + " threads, block 1");
                check.begin(3, block(5, 260));
                final String second = check.finish();
                assertTrue(second != null && second.startsWith("block 2: transaction 250 ("),
                    threads + " threads: " + second);
                check.begin(4, block());
                final String third = check.finish();
                assertTrue(third != null && third.startsWith("block 3: transaction 5 ("),
                    threads + " threads: " + third);
                assertNull(check.finish(), threads + " threads, block 4");
                assertEquals(2 * COUNT, check.verified(), threads + " threads");
            }
        }
    }

    @Test
    void shouldRefuseAThirdBlockInFlightAndAFinishWithoutABlock()
    {
        try (ReplaySignatureCheck check = new ReplaySignatureCheck(2))
        {
            assertThrows(IllegalStateException.class, check::finish);
            check.begin(1, block());
            check.begin(2, block());
            assertThrows(IllegalStateException.class, () -> check.begin(3, block()));
            assertNull(check.finish());
            assertNull(check.finish());
        }
    }

    @Test
    void shouldStartOneHelperPerExtraThreadAndStopThemAllOnClose() throws InterruptedException
    {
        final List<Thread> before = helpers();
        final ReplaySignatureCheck check = new ReplaySignatureCheck(3);
        final List<Thread> started = helpers();
        started.removeAll(before);
        assertEquals(2, started.size(), started::toString);
        for (final Thread helper : started)
        {
            assertTrue(helper.isDaemon(), helper + " keeps the JVM alive");
        }
        check.begin(1, block());
        assertNull(check.finish());
        check.close();
        for (final Thread helper : started)
        {
            helper.join(10_000);
            assertTrue(!helper.isAlive(), helper + " still runs after close");
        }
    }

    private static List<Thread> helpers()
    {
        final List<Thread> helpers = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("replay-verify-") && thread.isAlive())
            {
                helpers.add(thread);
            }
        }
        return helpers;
    }

    @Test
    void shouldRefuseNoThreads()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReplaySignatureCheck(0));
    }

    private static void flipSignatureBit(final BlockTransactions txs, final int i)
    {
        // The test's frames are in a buffer it may write, as a reader's are.
        flipSignatureBit((MutableDirectBuffer)txs.buffer(i), txs.offset(i));
    }

    private static void flipSignatureBit(final MutableDirectBuffer frames, final int offset)
    {
        final int at = offset + TransactionDescriptor.SIGNATURE_OFFSET + 9;
        frames.putByte(at, (byte)(frames.getByte(at) ^ 4));
    }

    private static BlockTransactions block(final int... bad)
    {
        final TransactionBuilder builder = new TransactionBuilder(1001);
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[COUNT * 256]);
        final BlockTransactions txs = new BlockTransactions(COUNT);
        final Sha256 sha = new Sha256();
        int offset = 0;
        for (int i = 0; i < COUNT; i++)
        {
            final int length = builder.transfer(Genesis.devnetAccountKey(i % 10), i, 100, 0,
                Genesis.devnetAccountKey(11).address(), 5, frames, offset);
            final int index = i;
            if (Arrays.stream(bad).anyMatch(b -> b == index))
            {
                flipSignatureBit(frames, offset);
            }
            txs.add(frames, offset, length, sha);
            offset += length;
        }
        return txs;
    }
}
