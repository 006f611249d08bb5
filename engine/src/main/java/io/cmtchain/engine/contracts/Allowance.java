package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/** What a spender may still move from an owner's holding of one token; removed when it reaches zero. */
final class Allowance extends ContractRecord
{
    long amount;

    Allowance(final byte[] key)
    {
        super(key);
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(amount);
    }
}
