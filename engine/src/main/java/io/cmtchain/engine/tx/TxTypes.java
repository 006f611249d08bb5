package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.dpos.DposDescriptor;

/**
 * Transaction type codes and the body length each requires. Bodies are fixed length per type, so a length
 * mismatch is found before execution.
 */
public final class TxTypes
{
    public static final int TRANSFER = TxType.TRANSFER.value();

    /** Highest type code this engine knows; body lengths are indexed by code. */
    public static final int MAX_CODE = 255;

    private static final int[] BODY_LENGTH = new int[MAX_CODE + 1];

    static
    {
        java.util.Arrays.fill(BODY_LENGTH, -1);
        BODY_LENGTH[TRANSFER] = TransactionDescriptor.TRANSFER_BODY_LENGTH;
        for (int type = DposDescriptor.FIRST_TYPE; type <= DposDescriptor.LAST_TYPE; type++)
        {
            BODY_LENGTH[type] = DposDescriptor.bodyLength(type);
        }
        for (int type = ContractsDescriptor.FIRST_TYPE; type <= ContractsDescriptor.LAST_TYPE; type++)
        {
            BODY_LENGTH[type] = ContractsDescriptor.bodyLength(type);
        }
    }

    private TxTypes()
    {
    }

    /**
     * @param type code.
     * @return the body length the type requires, or -1 for an unknown type.
     */
    public static int bodyLength(final int type)
    {
        return BODY_LENGTH[type & 0xFF];
    }

    /**
     * The code of a transaction type named as in the codec schema: what a genesis file's {@code fees.byType} and a
     * DPoS scenario's {@code type} give.
     *
     * @param name e.g. {@code TRANSFER}.
     * @return its code, or -1 when the schema lists no such type; its {@code NULL_VAL} (the SBE no-value, code 255)
     *         is none.
     */
    public static int code(final String name)
    {
        try
        {
            final TxType type = TxType.valueOf(name);
            return type == TxType.NULL_VAL ? -1 : type.value();
        }
        catch (final IllegalArgumentException ex)
        {
            return -1;
        }
    }

    /**
     * @param type code.
     * @return a readable name.
     */
    public static String name(final int type)
    {
        // TxType.get throws for a code the schema does not list, and a frame's type byte can be any of 256.
        return bodyLength(type) < 0 ? "TYPE_" + (type & 0xFF) : TxType.get((short)(type & 0xFF)).name();
    }
}
