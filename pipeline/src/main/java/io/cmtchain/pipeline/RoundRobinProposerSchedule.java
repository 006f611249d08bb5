package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Addresses;

import java.util.List;

/**
 * Round robin over the genesis validators: height h is proposed by {@code validators[(h - 1) % n]}. For chains
 * without DPoS; a DPoS chain uses {@link DposProposerSchedule}.
 */
public final class RoundRobinProposerSchedule implements ProposerSchedule
{
    private final byte[] addresses;
    private final int count;

    /**
     * @param validators in genesis order.
     */
    public RoundRobinProposerSchedule(final List<Genesis.Validator> validators)
    {
        if (validators.isEmpty())
        {
            throw new IllegalArgumentException("a proposer schedule needs at least one validator");
        }
        count = validators.size();
        addresses = new byte[count * Addresses.LENGTH];
        for (int i = 0; i < count; i++)
        {
            System.arraycopy(validators.get(i).address(), 0, addresses, i * Addresses.LENGTH, Addresses.LENGTH);
        }
    }

    @Override
    public boolean proposer(final long height, final byte[] out, final int outOffset)
    {
        final int index = (int)Long.remainderUnsigned(height - 1, count);
        System.arraycopy(addresses, index * Addresses.LENGTH, out, outOffset, Addresses.LENGTH);
        return true;
    }
}
