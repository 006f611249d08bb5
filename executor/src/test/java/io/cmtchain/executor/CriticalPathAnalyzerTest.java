package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CriticalPathAnalyzerTest
{
    private final UnsafeBuffer frames = new UnsafeBuffer(new byte[32 * 256]);
    private final BlockTransactions txs = new BlockTransactions(32);
    private final ChainState state = new ChainState(9, 2, 1024, new FeeSchedule(1), 3);

    CriticalPathAnalyzerTest()
    {
        // Senders must be accounts: a sender that is not one touches nothing and conflicts with nothing.
        for (int i = 0; i < 10; i++)
        {
            state.accounts().balance(state.accounts().findOrCreate(new UnsafeBuffer(Addresses.of(key(i))), 0), 1_000);
        }
        state.endBlock();
    }

    @Test
    void shouldSeeOneChainWhenEveryTransferHasTheSameSender()
    {
        for (int i = 0; i < 10; i++)
        {
            add(key(1), key(50 + i));
        }
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            assertSame(analyzer, analyzer.analyze(state, txs, null));
            assertEquals(10, analyzer.txCount());
            assertEquals(9, analyzer.edgeCount());
            assertEquals(10, analyzer.criticalPath());
            assertEquals(1.0, analyzer.boundSpeedup(8), 1e-9);
            assertEquals(1.0, analyzer.simulatedSpeedup(8), 1e-9);
        }
    }

    @Test
    void shouldPredictSpeedupForIndependentTransfers()
    {
        for (int i = 0; i < 10; i++)
        {
            add(key(i), key(100 + i));
        }
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            analyzer.analyze(state, txs, null);
            assertEquals(1, analyzer.criticalPath());
            assertEquals(0, analyzer.edgeCount());
            assertEquals(4.0, analyzer.boundSpeedup(4), 1e-9);
            assertEquals(10.0 / 3, analyzer.simulatedSpeedup(4), 1e-9);
        }
    }

    @Test
    void shouldWeighTransactions()
    {
        add(key(1), key(2));
        add(key(2), key(3));
        add(key(7), key(8));
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            analyzer.analyze(state, txs, new long[] {3, 4, 10});
            assertEquals(10, analyzer.criticalPath());
            assertEquals(17, analyzer.totalWork());
            assertEquals(17.0 / 10, analyzer.simulatedSpeedup(2), 1e-9);
        }
    }

    @Test
    void shouldFreeAThreadWhenItsTransactionFinishesNotInBlockOrder()
    {
        add(key(1), key(2));
        add(key(3), key(4));
        add(key(5), key(6));
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            analyzer.analyze(state, txs, new long[] {10, 1, 1});
            assertEquals(0, analyzer.edgeCount());
            // 0 and 1 start; 1 ends at 1 and 2 takes its thread, ending at 2; 0 ends at 10. Finishing them in
            // index order instead would start 2 only when 0 ends, at 10.
            assertEquals(12.0 / 10, analyzer.simulatedSpeedup(2), 1e-9);
        }
    }

    @Test
    void shouldPredictNoSpeedupForAnEmptyBlock()
    {
        try (CriticalPathAnalyzer analyzer = new CriticalPathAnalyzer())
        {
            analyzer.analyze(state, txs, null);
            assertEquals(0, analyzer.txCount());
            assertEquals(0, analyzer.totalWork());
            assertEquals(1.0, analyzer.boundSpeedup(4), 1e-9);
            assertEquals(1.0, analyzer.simulatedSpeedup(4), 1e-9);
        }
    }

    private void add(final byte[] from, final byte[] toKey)
    {
        final int offset = txs.count() * 256;
        final int length = TestFrames.transfer(frames, offset, 9, from, 0, 1, 0, TxTypes.TRANSFER,
            Addresses.of(toKey), 1);
        txs.add(frames, offset, length, new byte[32], 0);
    }

    private static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)i;
        k[9] = 0x17;
        return k;
    }
}
