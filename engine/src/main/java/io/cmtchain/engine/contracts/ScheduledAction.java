package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** An action due at a height; key order (due height, then sequence) is the order the scheduler runs them in. */
final class ScheduledAction extends ContractRecord
{
    final long dueHeight;
    final long sequence;
    final int kind;
    final long contractId;

    ScheduledAction(final long dueHeight, final long sequence, final int kind, final long contractId)
    {
        super(Keys.schedule(dueHeight, sequence));
        this.dueHeight = dueHeight;
        this.sequence = sequence;
        this.kind = kind;
        this.contractId = contractId;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update((byte)kind).updateLong(contractId);
    }
}
