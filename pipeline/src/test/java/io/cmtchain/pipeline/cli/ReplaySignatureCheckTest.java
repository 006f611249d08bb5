package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

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
            final BlockTransactions txs = block(bad);
            for (final int threads : new int[] {1, 2, 3})
            {
                try (ReplaySignatureCheck check = new ReplaySignatureCheck(threads))
                {
                    final String verdict = check.check(7, txs);
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
    void shouldRefuseNoThreads()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReplaySignatureCheck(0));
    }

    private static BlockTransactions block(final int bad)
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
            if (i == bad)
            {
                final int at = offset + TransactionDescriptor.SIGNATURE_OFFSET + 9;
                frames.putByte(at, (byte)(frames.getByte(at) ^ 4));
            }
            txs.add(frames, offset, length, sha);
            offset += length;
        }
        return txs;
    }
}
