package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.tx.Addresses;

/**
 * The DPoS proposer schedule as the ordering stage sees it: the proposer of height h is the one the chain's DPoS state
 * chose at the end of block h-1 (Tendermint's proposer priority over the validators' voting power,
 * {@code io.cmtchain.engine.dpos.ProposerPriority}), so it is known only once execution has applied h-1.
 * <p>
 * Execution publishes it after each block ({@link #onBlockApplied}); ordering reads it when it cuts block h and, until
 * it is published, holds the cut back. One slot suffices: execution publishes h+1 only after applying block h, which
 * it sees only after ordering stamped h, so a write never meets a read of the slot. The height is volatile: its write
 * releases the address bytes written before it, its read acquires them.
 */
public final class DposProposerSchedule implements ProposerSchedule
{
    private final byte[] proposer = new byte[Addresses.LENGTH];
    private volatile long publishedHeight;

    @Override
    public boolean proposer(final long height, final byte[] out, final int outOffset)
    {
        if (publishedHeight != height)
        {
            return false;
        }
        System.arraycopy(proposer, 0, out, outOffset, Addresses.LENGTH);
        return true;
    }

    @Override
    public void onBlockApplied(final Chain chain)
    {
        if (!chain.scheduledProposer(proposer, 0))
        {
            throw new IllegalStateException(chain.state().dpos() == null ?
                "a DPoS proposer schedule on a chain without DPoS (the genesis has no \"dpos\" section)" :
                "DPoS has no validator to propose block " + (chain.height() + 1));
        }
        publishedHeight = chain.height() + 1;
    }

    /** @return the height whose proposer is published, 0 before the first {@link #onBlockApplied}. */
    public long publishedHeight()
    {
        return publishedHeight;
    }
}
