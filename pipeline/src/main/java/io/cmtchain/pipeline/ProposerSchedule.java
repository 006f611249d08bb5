package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;

/**
 * Who proposes the block at a height. Deterministic in the height (and, with DPoS, the state), so that every node
 * stamps the same proposer.
 * <p>
 * The ordering stage asks {@link #proposer} when it cuts a block; the execution stage tells the schedule about each
 * applied block ({@link #onBlockApplied}), on its own thread. A schedule that depends on the state (DPoS: the
 * proposer of h is known once block h-1 is applied) answers false until then, and ordering holds the cut block back
 * and asks again on its next duty cycle.
 */
public interface ProposerSchedule
{
    /**
     * @param height    of the block.
     * @param out       receives the proposer's 20-byte address.
     * @param outOffset in {@code out}.
     * @return true when written; false when the proposer of {@code height} is not known yet.
     */
    boolean proposer(long height, byte[] out, int outOffset);

    /**
     * Told by the execution stage, on its thread, after each applied block and once at start with the recovered chain.
     *
     * @param chain after its last applied block.
     */
    default void onBlockApplied(final Chain chain)
    {
    }
}
