package io.cmtchain.engine.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.cmtchain.engine.contracts.ContractsDescriptor.CREATE_NAME_OFFSET;
import static io.cmtchain.engine.contracts.ContractsDescriptor.CREATE_SYMBOL_OFFSET;
import static io.cmtchain.engine.contracts.ContractsDescriptor.NAME_LENGTH;
import static io.cmtchain.engine.contracts.ContractsDescriptor.SYMBOL_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The body encoders write values as given or refuse them: a token's name or symbol that its field cannot carry is
 * refused, not cut or replaced, so a client never signs a token other than the one it asked for.
 */
class ContractBodiesTest
{
    @Test
    void shouldWriteANameAndSymbolThatFillTheirFieldsAsGiven()
    {
        final String name = "ABCDEFGHIJKLMNOP";
        final String symbol = "abcdefgh";
        assertEquals(NAME_LENGTH, name.length());
        assertEquals(SYMBOL_LENGTH, symbol.length());
        final byte[] body = ContractBodies.tokenCreate(name, symbol, 6, 0, 1000);
        assertArrayEquals(name.getBytes(StandardCharsets.US_ASCII),
            Arrays.copyOfRange(body, CREATE_NAME_OFFSET, CREATE_NAME_OFFSET + NAME_LENGTH));
        assertArrayEquals(symbol.getBytes(StandardCharsets.US_ASCII),
            Arrays.copyOfRange(body, CREATE_SYMBOL_OFFSET, CREATE_SYMBOL_OFFSET + SYMBOL_LENGTH));
    }

    @Test
    void shouldRefuseANameOrSymbolItsFieldCannotCarry()
    {
        final IllegalArgumentException longName = assertThrows(IllegalArgumentException.class,
            () -> ContractBodies.tokenCreate("ABCDEFGHIJKLMNOPQ", "ABC", 0, 0, 1));
        assertEquals("a token's name is at most 16 ASCII characters, was \"ABCDEFGHIJKLMNOPQ\"", longName.getMessage());
        final IllegalArgumentException longSymbol = assertThrows(IllegalArgumentException.class,
            () -> ContractBodies.tokenCreate("Coin", "ABCDEFGHI", 0, 0, 1));
        assertEquals("a token's symbol is at most 8 ASCII characters, was \"ABCDEFGHI\"", longSymbol.getMessage());
        final IllegalArgumentException notAscii = assertThrows(IllegalArgumentException.class,
            () -> ContractBodies.tokenCreate("Münze", "M", 0, 0, 1));
        assertEquals("a token's name is at most 16 ASCII characters, was \"Münze\"", notAscii.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContractBodies.tokenCreate("Coin", "€", 0, 0, 1));
    }
}
