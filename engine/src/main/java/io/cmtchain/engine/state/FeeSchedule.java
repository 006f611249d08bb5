package io.cmtchain.engine.state;

import io.cmtchain.engine.tx.TxTypes;

import java.util.Arrays;

/**
 * The least fee, in µCMT, that each transaction type must offer. A genesis parameter, changeable by governance.
 */
public final class FeeSchedule
{
    private final long[] minFeeByType = new long[TxTypes.MAX_CODE + 1];
    private final long defaultMinFeeMicroCmt;

    /**
     * @param defaultMinFeeMicroCmt least fee of a type with no entry of its own.
     */
    public FeeSchedule(final long defaultMinFeeMicroCmt)
    {
        if (defaultMinFeeMicroCmt < 0)
        {
            throw new IllegalArgumentException("minimum fee must be >= 0, was " + defaultMinFeeMicroCmt);
        }
        this.defaultMinFeeMicroCmt = defaultMinFeeMicroCmt;
        Arrays.fill(minFeeByType, defaultMinFeeMicroCmt);
    }

    /**
     * @param type          code.
     * @param minFeeMicroCmt least fee for it; never below the default minimum.
     * @return this.
     */
    public FeeSchedule minFee(final int type, final long minFeeMicroCmt)
    {
        if (minFeeMicroCmt < defaultMinFeeMicroCmt)
        {
            throw new IllegalArgumentException("fee for " + TxTypes.name(type) + " (" + minFeeMicroCmt +
                ") is below the minimum fee " + defaultMinFeeMicroCmt);
        }
        minFeeByType[type & 0xFF] = minFeeMicroCmt;
        return this;
    }

    /**
     * @param type code.
     * @return least fee for the type.
     */
    public long minFee(final int type)
    {
        return minFeeByType[type & 0xFF];
    }

    public long defaultMinFeeMicroCmt()
    {
        return defaultMinFeeMicroCmt;
    }
}
