package io.cmtchain.engine;

import io.cmtchain.engine.tx.TxTypes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TxTypesTest
{
    @Test
    void shouldNameEveryCodeAFrameCanCarry()
    {
        assertEquals("TRANSFER", TxTypes.name(TxTypes.TRANSFER));
        assertEquals("TYPE_7", TxTypes.name(7));
        assertEquals("TYPE_255", TxTypes.name(255));
        assertEquals("TYPE_255", TxTypes.name(-1));
        int named = 0;
        for (int type = 0; type <= TxTypes.MAX_CODE; type++)
        {
            final String name = TxTypes.name(type);
            named += name.startsWith("TYPE_") ? 0 : 1;
            assertEquals(TxTypes.bodyLength(type) < 0, name.equals("TYPE_" + type), name);
        }
        assertEquals(true, named > 20, named + " named types");
    }
}
