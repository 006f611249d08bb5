package io.cmtchain.transport.loadgen;

/**
 * Picks a recipient index in {@code [0, accounts)} for each transaction index, deterministically from a seed:
 * with probability {@code hotShare} the hot account 0, otherwise a Zipf-like rank with exponent {@code zipf}
 * (0 = uniform). The skew uses the continuous power law {@code p(x) ~ x^-s} on {@code [1, accounts + 1)}, sampled by
 * inverting its distribution function and rounded down: O(1) time and memory for any number of accounts, and close to
 * the discrete Zipf law for the skew a load test needs.
 */
public final class RecipientSampler
{
    private final long accounts;
    private final double zipf;
    private final double hotShare;
    private final long seed;
    private final double top;

    /**
     * @param accounts number of recipients, at least 1.
     * @param zipf     skew exponent, 0 for uniform.
     * @param hotShare share of transactions to account 0, in [0, 1].
     * @param seed     of the draw.
     */
    public RecipientSampler(final long accounts, final double zipf, final double hotShare, final long seed)
    {
        if (accounts < 1)
        {
            throw new IllegalArgumentException("--accounts must be at least 1, was " + accounts);
        }
        if (!(zipf >= 0) || zipf > 10)
        {
            throw new IllegalArgumentException("--zipf must be in 0..10, was " + zipf);
        }
        if (!(hotShare >= 0) || hotShare > 1)
        {
            throw new IllegalArgumentException("--hot-share must be in 0..1, was " + hotShare);
        }
        this.accounts = accounts;
        this.zipf = zipf;
        this.hotShare = hotShare;
        this.seed = seed;
        this.top = Math.abs(zipf - 1) < 1e-9 ? Math.log(accounts + 1.0) : Math.pow(accounts + 1.0, 1 - zipf) - 1;
    }

    /**
     * @param index of the transaction.
     * @return its recipient.
     */
    public long recipient(final long index)
    {
        if (hotShare > 0 && unit(mix(seed ^ 0x5DEECE66DL, index)) < hotShare)
        {
            return 0;
        }
        final double u = unit(mix(seed, index));
        if (0 == zipf)
        {
            return Math.min(accounts - 1, (long)(u * accounts));
        }
        final double x = Math.abs(zipf - 1) < 1e-9 ? Math.exp(u * top) : Math.pow(1 + u * top, 1 / (1 - zipf));
        return Math.max(0, Math.min(accounts - 1, (long)x - 1));
    }

    /** @return the parameters, for cache keys. */
    public String describe()
    {
        return "accounts=" + accounts + ",zipf=" + zipf + ",hot=" + hotShare + ",seed=" + seed;
    }

    private static long mix(final long seed, final long index)
    {
        // Over seed and index: independent-looking draws per index without shared state.
        return splitMix64(seed + (index + 1) * 0x9E3779B97F4A7C15L);
    }

    /**
     * SplitMix64's finaliser: a well-spread, stateless draw from any 64-bit input, for the load generator's choices.
     *
     * @param z0 the input.
     * @return the mixed value.
     */
    static long splitMix64(final long z0)
    {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(final long bits)
    {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
