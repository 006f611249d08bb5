package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;

/**
 * Applies a block's ordered transactions to the state. Every implementation must give exactly the receipts and
 * state of {@link ReferenceExecutor}; {@link #commit(ChainState)} then folds the block's deltas and the commitment.
 */
public interface BlockExecutor
{
    /**
     * @param state    to apply to.
     * @param height   of the block.
     * @param txs      in block order.
     * @param receipts receive one outcome per transaction, in block order.
     */
    void execute(ChainState state, long height, BlockTransactions txs, BlockReceipts receipts);

    /**
     * Fold the block's deltas and bring the state commitment up to date after {@link #execute}. An executor with
     * threads of its own may hash parts of the commitment on them ({@code StateCommitment.updatePart}); the result
     * is the same.
     *
     * @param state that was executed on.
     */
    default void commit(final ChainState state)
    {
        state.endBlock();
    }
}
