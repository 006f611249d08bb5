package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.state.ChainState;

/**
 * Applies a block's ordered transactions to the state. Every implementation must give exactly the receipts and
 * state of {@link ReferenceExecutor}; the caller folds the block's deltas ({@link ChainState#endBlock()}) after.
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
}
