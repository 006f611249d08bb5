package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** A policyholder's policy in one pool, and its claim once approved. */
final class Policy extends ContractRecord
{
    boolean claimed;
    long delayMinutes;
    long payout;

    Policy(final byte[] key)
    {
        super(key);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update((byte)(claimed ? 1 : 0)).updateLong(delayMinutes).updateLong(payout);
    }
}
