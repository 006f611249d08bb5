package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/**
 * A token. Its supply moves by per-block deltas ({@link #mintedDelta}, {@link #burnedDelta}) folded at block end, so
 * the supply fields are never a point of contention inside a block; they are zero whenever the digest is taken.
 */
final class Token extends ContractRecord
{
    final long id;
    final byte[] issuer;
    final byte[] name;
    final byte[] symbol;
    final int decimals;
    final int flags;
    /**
     * Folded at block end. A mint that would take the minted total past Long.MAX_VALUE while the supply still fits
     * first counts the burns off it (both totals less the burned one), so minted - burned is what they keep.
     */
    long mintedTotal;
    long burnedTotal;
    /** Held by open escrows. */
    long locked;
    long mintedDelta;
    long burnedDelta;
    boolean touched;

    Token(
        final long id, final byte[] issuer, final byte[] name, final byte[] symbol, final int decimals, final int flags)
    {
        super(Keys.token(id));
        this.id = id;
        this.issuer = issuer;
        this.name = name;
        this.symbol = symbol;
        this.decimals = decimals;
        this.flags = flags;
    }

    /** @return minted − burned including this block's deltas. */
    long supplyNow()
    {
        return mintedTotal + mintedDelta - burnedTotal - burnedDelta;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.update(issuer).update(name).update(symbol).update((byte)decimals).update((byte)flags)
            .updateLong(mintedTotal).updateLong(burnedTotal).updateLong(locked);
    }
}
