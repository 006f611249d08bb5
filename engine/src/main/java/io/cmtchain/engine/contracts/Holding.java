package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** One address's balance of one token, and whether the issuer froze it. */
final class Holding extends ContractRecord
{
    long balance;
    boolean frozen;

    Holding(final byte[] key)
    {
        super(key);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(balance).update((byte)(frozen ? 1 : 0));
    }
}
