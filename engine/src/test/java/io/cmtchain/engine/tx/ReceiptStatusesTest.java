package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ReceiptStatusesTest
{
    @Test
    void shouldGiveEveryListedStatusForItsCode()
    {
        for (final ReceiptStatus status : ReceiptStatus.values())
        {
            assertSame(status, ReceiptStatuses.of(status.value()), status.name());
            assertEquals(ReceiptStatus.NULL_VAL == status ? "STATUS_255" : status.name(),
                ReceiptStatuses.name(status.value()));
        }
    }

    @Test
    void shouldGiveNoValueAndANumberedNameForACodeTheSchemaDoesNotList()
    {
        for (final int code : new int[] {16, 31, 200, 254, 256, 0x101, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
        {
            assertSame(ReceiptStatus.NULL_VAL, ReceiptStatuses.of(code), Integer.toString(code));
            assertEquals("STATUS_" + code, ReceiptStatuses.name(code));
        }
        assertEquals("BAD_NONCE", ReceiptStatuses.name(4));
    }
}
