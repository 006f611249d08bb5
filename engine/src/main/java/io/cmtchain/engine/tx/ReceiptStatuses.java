package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.ReceiptStatus;

import java.util.Arrays;

/**
 * Receipt status codes as the schema's {@link ReceiptStatus}, for any code, without an exception: the generated
 * {@code ReceiptStatus.get} throws for a code the schema does not list, and a code read from the wire (a newer node's
 * receipt) or handed to a {@code ReceiptSink} can be any.
 */
public final class ReceiptStatuses
{
    private static final ReceiptStatus[] BY_CODE = new ReceiptStatus[256];

    static
    {
        Arrays.fill(BY_CODE, ReceiptStatus.NULL_VAL);
        for (final ReceiptStatus status : ReceiptStatus.values())
        {
            BY_CODE[status.value()] = status;
        }
    }

    private ReceiptStatuses()
    {
    }

    /**
     * @param code a status code.
     * @return its status, or {@link ReceiptStatus#NULL_VAL} when the schema lists none with that code (255, the SBE
     *         no-value, included).
     */
    public static ReceiptStatus of(final int code)
    {
        return 0 == (code & ~0xFF) ? BY_CODE[code] : ReceiptStatus.NULL_VAL;
    }

    /**
     * @param code a status code.
     * @return its name in the schema, e.g. {@code BAD_NONCE}, or {@code STATUS_<code>} when the schema lists none.
     */
    public static String name(final int code)
    {
        final ReceiptStatus status = of(code);
        return ReceiptStatus.NULL_VAL == status ? "STATUS_" + code : status.name();
    }
}
