package io.cmtchain.engine.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings from -D properties: a value set but not one the setting takes is refused by name, not defaulted. */
class SystemPropertiesTest
{
    private static final String NAME = "cmt.test.systemProperties";

    @AfterEach
    void clear()
    {
        System.clearProperty(NAME);
    }

    @Test
    void shouldReadIntegersAndRefuseWhatIsNotOneNamingIt()
    {
        assertEquals(7, SystemProperties.intValue(NAME, 7));
        assertEquals(7L, SystemProperties.longValue(NAME, 7L));
        for (final String[] row : new String[][] {{"42", "42"}, {" -3 ", "-3"}, {"1_000_000", "1000000"},
            {"010", "10"}})
        {
            System.setProperty(NAME, row[0]);
            assertEquals(Integer.parseInt(row[1]), SystemProperties.intValue(NAME, 7), row[0]);
            assertEquals(Long.parseLong(row[1]), SystemProperties.longValue(NAME, 7L), row[0]);
        }
        System.setProperty(NAME, "5000000000");
        assertEquals(5_000_000_000L, SystemProperties.longValue(NAME, 7L));
        // What Integer.getInteger and Long.getLong quietly replace with the default.
        for (final String bad : new String[] {"100T", "1e6", "", "0x10", "five"})
        {
            System.setProperty(NAME, bad);
            assertEquals(NAME + " must be an integer, was " + bad,
                assertThrows(IllegalArgumentException.class, () -> SystemProperties.longValue(NAME, 7L)).getMessage());
            assertEquals(NAME + " must be an integer, was " + bad,
                assertThrows(IllegalArgumentException.class, () -> SystemProperties.intValue(NAME, 7)).getMessage());
        }
        System.setProperty(NAME, "5000000000");
        assertEquals(NAME + " must be an integer, was 5000000000",
            assertThrows(IllegalArgumentException.class, () -> SystemProperties.intValue(NAME, 7)).getMessage());
    }

    @Test
    void shouldReadTrueOrFalseAndRefuseAnythingElseNamingIt()
    {
        assertTrue(SystemProperties.booleanValue(NAME, true));
        assertFalse(SystemProperties.booleanValue(NAME, false));
        for (final String yes : new String[] {"true", "TRUE", " True "})
        {
            System.setProperty(NAME, yes);
            assertTrue(SystemProperties.booleanValue(NAME, false), yes);
        }
        System.setProperty(NAME, "false");
        assertFalse(SystemProperties.booleanValue(NAME, true));
        // Boolean.parseBoolean takes each of these for false.
        for (final String bad : new String[] {"no", "yes", "0", "1", ""})
        {
            System.setProperty(NAME, bad);
            assertEquals(NAME + " must be true or false, was " + bad,
                assertThrows(IllegalArgumentException.class, () -> SystemProperties.booleanValue(NAME, true))
                    .getMessage());
        }
    }

    enum Colour
    {
        RED, GREEN, BLUE
    }

    enum Single
    {
        ONLY
    }

    @Test
    void shouldReadAChoiceInAnyCaseAndRefuseAnythingElseNamingTheChoices()
    {
        assertEquals(Colour.GREEN, SystemProperties.enumValue(NAME, Colour.class, Colour.GREEN));
        assertEquals(null, SystemProperties.enumValue(NAME, Colour.class, null));
        for (final String blue : new String[] {"BLUE", "blue", " Blue "})
        {
            System.setProperty(NAME, blue);
            assertEquals(Colour.BLUE, SystemProperties.enumValue(NAME, Colour.class, Colour.RED), blue);
        }
        // Enum.valueOf said only "No enum constant ...Colour.purple", naming neither the property nor the choices.
        for (final String bad : new String[] {"purple", "", "BLUE,RED"})
        {
            System.setProperty(NAME, bad);
            assertEquals(NAME + " must be RED, GREEN or BLUE, was " + bad, assertThrows(IllegalArgumentException.class,
                () -> SystemProperties.enumValue(NAME, Colour.class, Colour.RED)).getMessage());
        }
        assertEquals("--x must be ONLY, was none", assertThrows(IllegalArgumentException.class,
            () -> SystemProperties.choice("--x", Single.class, "none")).getMessage());
        assertEquals("--x must be RED, GREEN or BLUE, was null", assertThrows(IllegalArgumentException.class,
            () -> SystemProperties.choice("--x", Colour.class, null)).getMessage());
    }
}
