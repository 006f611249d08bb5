package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/**
 * An insurance plan: the insurer's deposit plus premiums form the pool that pays claims; at expiry what is left goes
 * back to the insurer.
 */
final class InsurancePool extends ContractRecord
{
    final long id;
    final byte[] insurer;
    final byte[] adjuster;
    final long premium;
    final long baseCover;
    final long capCover;
    final long salesEndHeight;
    final long expiryHeight;
    long funds;
    long policies;
    long paidOut;
    long returned;
    boolean closed;

    InsurancePool(
        final long id, final byte[] insurer, final byte[] adjuster, final long premium, final long baseCover,
        final long capCover, final long funds, final long salesEndHeight, final long expiryHeight)
    {
        super(Keys.pool(id));
        this.id = id;
        this.insurer = insurer;
        this.adjuster = adjuster;
        this.premium = premium;
        this.baseCover = baseCover;
        this.capCover = capCover;
        this.funds = funds;
        this.salesEndHeight = salesEndHeight;
        this.expiryHeight = expiryHeight;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(insurer).update(adjuster).updateLong(premium).updateLong(baseCover).updateLong(capCover)
            .updateLong(salesEndHeight).updateLong(expiryHeight).updateLong(funds).updateLong(policies)
            .updateLong(paidOut).updateLong(returned).update((byte)(closed ? 1 : 0));
    }
}
