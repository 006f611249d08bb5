package io.cmtchain.executor;

import io.cmtchain.engine.tx.TransactionFlyweight;

/**
 * Extra deterministic work an executor performs for each transaction it executes, before the ledger rules: a cost
 * model of contract execution for benchmarks, identical in the sequential and the parallel executors. It must not
 * touch the state. One instance per executing thread (created through a {@link java.util.function.Supplier}).
 */
public interface TransactionWork
{
    /**
     * @param tx the transaction about to be executed.
     * @return a value derived from the work, so the JIT cannot drop it.
     */
    long perform(TransactionFlyweight tx);
}
