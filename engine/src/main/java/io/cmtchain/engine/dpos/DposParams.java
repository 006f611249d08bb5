package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

/**
 * The DPoS parameters: genesis values (the CyberMiles mainnet's by default), changeable by governance through
 * {@link #set(int, long)}. Rates are integer parts per million (ppm) so that every split is exact integer
 * arithmetic; amounts are µCMT, durations are blocks.
 * <p>
 * Parameter ids (used by CHANGE_PARAM proposals; names are the genesis field names):
 * <pre>
 *   1 maxValidators          19          8 unbondingBlocks        60,480 (7 days of 10-second blocks)
 *   2 maxBackups              5          9 doubleSignSlashPpm     1,000 (0.1%)
 *   3 selfStakePpm      100,000 (10%)   10 maxMissedBlocks        12
 *   4 validatorCapPpm   120,000 (12%)   11 absenceSlashPpm        0 (off)
 *   5 inflationPpm       80,000 (8%)    12 proposalExpiryBlocks   60,480
 *   6 validatorSharePpm 900,000 (90%)   13 blocksPerYear          3,153,600
 *   7 minDelegationMicroCmt 1,000 CMT
 * </pre>
 * Not changeable: the inflation base, the compounding switch and the foundation account.
 */
public final class DposParams
{
    public static final int MAX_VALIDATORS = 1;
    public static final int MAX_BACKUPS = 2;
    public static final int SELF_STAKE_PPM = 3;
    public static final int VALIDATOR_CAP_PPM = 4;
    public static final int INFLATION_PPM = 5;
    public static final int VALIDATOR_SHARE_PPM = 6;
    public static final int MIN_DELEGATION = 7;
    public static final int UNBONDING_BLOCKS = 8;
    public static final int DOUBLE_SIGN_SLASH_PPM = 9;
    public static final int MAX_MISSED_BLOCKS = 10;
    public static final int ABSENCE_SLASH_PPM = 11;
    public static final int PROPOSAL_EXPIRY_BLOCKS = 12;
    public static final int BLOCKS_PER_YEAR = 13;
    public static final int PARAM_COUNT = 13;

    /** Genesis field names by id (index 0 unused). */
    public static final String[] NAMES = {
        null, "maxValidators", "maxBackups", "selfStakePpm", "validatorCapPpm", "inflationPpm", "validatorSharePpm",
        "minDelegationMicroCmt", "unbondingBlocks", "doubleSignSlashPpm", "maxMissedBlocks", "absenceSlashPpm",
        "proposalExpiryBlocks", "blocksPerYear"};

    /**
     * Inclusive bounds by id: ranges that keep every rule meaningful (e.g. at least one validator). The slash rates
     * stop below 10^6 so that a slash never takes a whole pool: a pool with shares keeps a value (see StakePool).
     */
    private static final long[] MIN = {0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1};
    private static final long[] MAX = {0, 1_000, 1_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000,
        Long.MAX_VALUE / 4, 100_000_000, 999_999, 1_000_000, 999_999, 100_000_000, 1_000_000_000};

    /** The inflation base's bound, the genesis supply's cap: 2^62 µCMT. */
    public static final long MAX_INFLATION_BASE_MICRO_CMT = 1L << 62;

    /** Amounts are µCMT: 1 CMT. */
    public static final long MICRO_CMT_PER_CMT = 1_000_000L;

    private final long[] values = new long[PARAM_COUNT + 1];
    private long inflationBaseMicroCmt = 1_000_000_000L * MICRO_CMT_PER_CMT;
    private boolean compoundOnSupply;
    private final byte[] foundation = new byte[20];

    /** The CyberMiles mainnet values. */
    public DposParams()
    {
        values[MAX_VALIDATORS] = 19;
        values[MAX_BACKUPS] = 5;
        values[SELF_STAKE_PPM] = 100_000;
        values[VALIDATOR_CAP_PPM] = 120_000;
        values[INFLATION_PPM] = 80_000;
        values[VALIDATOR_SHARE_PPM] = 900_000;
        values[MIN_DELEGATION] = 1_000 * MICRO_CMT_PER_CMT;
        values[UNBONDING_BLOCKS] = 60_480;
        values[DOUBLE_SIGN_SLASH_PPM] = 1_000;
        values[MAX_MISSED_BLOCKS] = 12;
        values[ABSENCE_SLASH_PPM] = 0;
        values[PROPOSAL_EXPIRY_BLOCKS] = 60_480;
        values[BLOCKS_PER_YEAR] = 3_153_600;
    }

    /**
     * @param id parameter id.
     * @return true if {@code id} names a parameter.
     */
    public static boolean known(final int id)
    {
        return id >= 1 && id <= PARAM_COUNT;
    }

    /**
     * @param id    parameter id.
     * @param value proposed.
     * @return true if the value is within the parameter's bounds.
     */
    public static boolean valid(final int id, final long value)
    {
        return known(id) && value >= MIN[id] && value <= MAX[id];
    }

    /**
     * @param id a known parameter id.
     * @return the largest value it may take.
     */
    static long max(final int id)
    {
        return MAX[id];
    }

    /**
     * @param name genesis field name.
     * @return the id, or 0.
     */
    public static int idOf(final String name)
    {
        for (int i = 1; i <= PARAM_COUNT; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return 0;
    }

    /**
     * @param id parameter id.
     * @return its value.
     */
    public long get(final int id)
    {
        return values[id];
    }

    /**
     * @param id    parameter id.
     * @param value within bounds.
     * @return this.
     * @throws IllegalArgumentException for an unknown id or a value out of bounds (a configuration error).
     */
    public DposParams set(final int id, final long value)
    {
        if (!valid(id, value))
        {
            throw new IllegalArgumentException(
                (known(id) ? NAMES[id] : "parameter " + id) + " must be in " +
                (known(id) ? MIN[id] + ".." + MAX[id] : "1.." + PARAM_COUNT) +
                ", was " + value);
        }
        values[id] = value;
        return this;
    }

    public int maxValidators()
    {
        return (int)values[MAX_VALIDATORS];
    }

    public int maxBackups()
    {
        return (int)values[MAX_BACKUPS];
    }

    public long minDelegationMicroCmt()
    {
        return values[MIN_DELEGATION];
    }

    public long inflationBaseMicroCmt()
    {
        return inflationBaseMicroCmt;
    }

    /**
     * @param value the supply the yearly inflation is a percentage of (unless compounding on supply).
     * @return this.
     */
    public DposParams inflationBaseMicroCmt(final long value)
    {
        if (value < 0 || value > MAX_INFLATION_BASE_MICRO_CMT)
        {
            throw new IllegalArgumentException("inflationBaseMicroCmt must be in [0, 2^62] (the cap on the genesis " +
                "supply), was " + value);
        }
        inflationBaseMicroCmt = value;
        return this;
    }

    public boolean compoundOnSupply()
    {
        return compoundOnSupply;
    }

    /**
     * @param value true: each year's inflation is a percentage of the supply at the year's first block.
     * @return this.
     */
    public DposParams compoundOnSupply(final boolean value)
    {
        compoundOnSupply = value;
        return this;
    }

    /** @return a copy of the foundation account's address (may verify candidates). */
    public byte[] foundation()
    {
        return foundation.clone();
    }

    boolean isFoundation(final byte[] address)
    {
        return java.util.Arrays.equals(foundation, address);
    }

    /**
     * @param address 20 bytes.
     * @return this.
     */
    public DposParams foundation(final byte[] address)
    {
        if (address.length != 20)
        {
            throw new IllegalArgumentException("foundation address must be 20 bytes");
        }
        System.arraycopy(address, 0, foundation, 0, 20);
        return this;
    }

    void write(final java.io.DataOutput out) throws java.io.IOException
    {
        for (int i = 1; i <= PARAM_COUNT; i++)
        {
            out.writeLong(values[i]);
        }
        out.writeLong(inflationBaseMicroCmt);
        out.writeBoolean(compoundOnSupply);
        out.write(foundation);
    }

    static DposParams read(final java.io.DataInput in) throws java.io.IOException
    {
        final DposParams params = new DposParams();
        for (int i = 1; i <= PARAM_COUNT; i++)
        {
            final long value = in.readLong();
            if (!valid(i, value))
            {
                throw new java.io.IOException(NAMES[i] + " " + value + " is out of bounds");
            }
            params.values[i] = value;
        }
        final long base = in.readLong();
        if (base < 0 || base > MAX_INFLATION_BASE_MICRO_CMT)
        {
            // As a genesis: a negative base mints less than nothing, a larger one can pass 2^63-1 in a year.
            throw new java.io.IOException("inflationBaseMicroCmt must be in [0, 2^62], was " + base);
        }
        params.inflationBaseMicroCmt = base;
        params.compoundOnSupply = in.readBoolean();
        in.readFully(params.foundation);
        return params;
    }

    void digest(final Sha256 sha)
    {
        for (int i = 1; i <= PARAM_COUNT; i++)
        {
            sha.updateLong(values[i]);
        }
        sha.updateLong(inflationBaseMicroCmt);
        sha.update((byte)(compoundOnSupply ? 1 : 0));
        sha.update(foundation);
    }
}
