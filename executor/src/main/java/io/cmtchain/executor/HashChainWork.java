package io.cmtchain.executor;

import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;

/**
 * A synthetic contract: a SHA-256 hash chain seeded with the transaction's signed bytes, {@code rounds} links long
 * (about 65 ns a link with the CPU's SHA extensions, so ~300 rounds is the Block-STM paper's ~20 µs contract).
 * Deterministic, allocation free, one per thread.
 */
public final class HashChainWork implements TransactionWork
{
    private final Sha256 sha = new Sha256();
    private final byte[] digest = new byte[Sha256.DIGEST_LENGTH];
    private final int rounds;

    /**
     * @param rounds links of the chain; at least 1.
     */
    public HashChainWork(final int rounds)
    {
        if (rounds < 1)
        {
            throw new IllegalArgumentException("hash chain rounds must be >= 1, was " + rounds);
        }
        this.rounds = rounds;
    }

    public int rounds()
    {
        return rounds;
    }

    @Override
    public long perform(final TransactionFlyweight tx)
    {
        sha.update(tx.buffer(), tx.signedOffset(), tx.signedLength());
        sha.digest(digest, 0);
        for (int i = 1; i < rounds; i++)
        {
            sha.update(digest, 0, Sha256.DIGEST_LENGTH);
            sha.digest(digest, 0);
        }
        return digest[0] | (long)digest[31] << 8;
    }
}
