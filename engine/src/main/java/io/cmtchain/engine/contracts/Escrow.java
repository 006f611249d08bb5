package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** An escrow: what the buyer locked for the seller, its deadline, and where it stands. */
final class Escrow extends ContractRecord
{
    final long id;
    final byte[] buyer;
    final byte[] seller;
    /** Null when the escrow has no arbiter. */
    final byte[] arbiter;
    /** 0 for CMT. */
    final long tokenId;
    final long amount;
    final long deadlineHeight;
    int status;
    long toSeller;
    long closedHeight;
    ScheduledAction deadlineAction;

    Escrow(
        final long id, final byte[] buyer, final byte[] seller, final byte[] arbiter, final long tokenId,
        final long amount, final long deadlineHeight)
    {
        super(Keys.escrow(id));
        this.id = id;
        this.buyer = buyer;
        this.seller = seller;
        this.arbiter = arbiter;
        this.tokenId = tokenId;
        this.amount = amount;
        this.deadlineHeight = deadlineHeight;
    }

    boolean open()
    {
        return status == ContractsState.ESCROW_OPEN || status == ContractsState.ESCROW_DISPUTED;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(buyer).update(seller).update((byte)(arbiter == null ? 0 : 1));
        if (arbiter != null)
        {
            sha.update(arbiter);
        }
        sha.updateLong(tokenId).updateLong(amount).updateLong(deadlineHeight).update((byte)status)
            .updateLong(toSeller).updateLong(closedHeight);
    }
}
