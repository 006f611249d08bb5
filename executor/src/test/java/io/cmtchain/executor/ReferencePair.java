package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two chains from one genesis, one run by {@link ReferenceExecutor} and one by the executor under test, compared after
 * every block: the same receipts and the same state root. The two states get different table seeds, so that an
 * agreement cannot come from laying accounts out alike.
 */
final class ReferencePair
{
    final ChainState expected;
    final ChainState actual;
    final BlockReceipts expectedReceipts;
    final BlockReceipts actualReceipts;
    private final ReferenceExecutor reference = new ReferenceExecutor();

    ReferencePair(final Genesis genesis, final int blockCapacity)
    {
        expected = genesis.createState(1);
        actual = genesis.createState(2);
        expectedReceipts = new BlockReceipts(blockCapacity);
        actualReceipts = new BlockReceipts(blockCapacity);
    }

    /** Execute the block on both chains, end it on both, and require the same receipts and state root. */
    void executeBoth(final BlockExecutor executor, final long height, final BlockTransactions txs)
    {
        reference.execute(expected, height, txs, expectedReceipts);
        expected.endBlock();
        executor.execute(actual, height, txs, actualReceipts);
        executor.commit(actual);
        assertEquals(-1, expectedReceipts.firstDifference(actualReceipts), "block " + height);
        assertArrayEquals(expected.stateRoot(), actual.stateRoot(), "block " + height);
    }
}
