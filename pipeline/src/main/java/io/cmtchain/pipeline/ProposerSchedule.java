package io.cmtchain.pipeline;

/**
 * Who proposes the block at a height. Deterministic in the height (and, with DPoS, the state), so that every node
 * stamps the same proposer.
 */
public interface ProposerSchedule
{
    /**
     * @param height    of the block.
     * @param out       receives the proposer's 20-byte address.
     * @param outOffset in {@code out}.
     */
    void proposer(long height, byte[] out, int outOffset);
}
