package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** An address's credit history: escrows it took part in (as buyer or seller) that completed or were disputed. */
final class Credit extends ContractRecord
{
    long escrowsCompleted;
    long escrowsDisputed;

    Credit(final byte[] key)
    {
        super(key);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(escrowsCompleted).updateLong(escrowsDisputed);
    }
}
