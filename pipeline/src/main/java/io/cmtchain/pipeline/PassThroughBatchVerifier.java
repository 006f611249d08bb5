package io.cmtchain.pipeline;

import org.agrona.DirectBuffer;

/**
 * Signature checks switched off: every frame is valid. For benchmarks of the pipeline's own cost and for tests that
 * do not sign; never for a node that accepts transactions from the network.
 */
public final class PassThroughBatchVerifier implements SignatureBatchVerifier
{
    @Override
    public void reset()
    {
    }

    @Override
    public void add(final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
    }

    @Override
    public void verify()
    {
    }

    @Override
    public boolean valid(final int i)
    {
        return true;
    }
}
