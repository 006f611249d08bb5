package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;

/**
 * Blocks for the executor benchmark and the state they run on: {@link ExecutorWorkload} (transfers) and
 * {@link ContractWorkload} (Smart Business Contracts).
 */
public interface BenchWorkload
{
    /** @return accounts of the state. */
    int accounts();

    /** @return transactions per generated block. */
    int blockSize();

    /** @return generated blocks. */
    int blocks();

    /** @return height of generated block 0 (blocks before it are part of {@link #createState()}). */
    long firstHeight();

    /** @return a fresh state, ready for generated block 0. */
    ChainState createState();

    /**
     * @param block index of the generated block.
     * @param txs   receives its transactions (hashes left zero: executors do not read them).
     */
    void fill(int block, BlockTransactions txs);
}
