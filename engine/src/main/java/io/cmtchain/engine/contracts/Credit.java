package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/**
 * An address's credit history: escrows it took part in (as buyer or seller) that completed or were disputed, and
 * loans it borrowed, by how they closed (repaid never late, repaid after a late instalment, defaulted).
 */
final class Credit extends ContractRecord
{
    long escrowsCompleted;
    long escrowsDisputed;
    long loansOnTime;
    long loansLate;
    long loansDefaulted;

    Credit(final byte[] key)
    {
        super(key);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(escrowsCompleted).updateLong(escrowsDisputed).updateLong(loansOnTime).updateLong(loansLate)
            .updateLong(loansDefaulted);
    }
}
