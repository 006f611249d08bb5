package io.cmtchain.engine.util;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JSON reader that reads the genesis file (the first state of the chain) and test vectors: the values it makes,
 * and the text it must refuse, with the line and column. A number or a string that this reader takes in a way another
 * JSON reader does not is a genesis two tools read differently.
 */
class JsonTest
{
    private static String error(final String text)
    {
        return assertThrows(Json.JsonException.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void shouldReadEveryKindOfValue()
    {
        final Object value = Json.parse(" {\"a\": [1, -2, 9223372036854775807, -9223372036854775808], " +
            "\"b\": {\"c\": true, \"d\": false, \"e\": null}, \"f\": \"x\", \"g\": [], \"h\": {}, \"i\": 1.5, " +
            "\"j\": 2e3, \"k\": 9223372036854775808, \"l\": -0}\n\t\r ");
        final Map<?, ?> doc = (Map<?, ?>)value;
        assertEquals(List.of("a", "b", "f", "g", "h", "i", "j", "k", "l"), List.copyOf(doc.keySet()), "key order kept");
        assertEquals(List.of(1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE), doc.get("a"));
        final Map<?, ?> b = (Map<?, ?>)doc.get("b");
        assertEquals(Boolean.TRUE, b.get("c"));
        assertEquals(Boolean.FALSE, b.get("d"));
        assertNull(b.get("e"));
        assertEquals(3, b.size());
        assertEquals("x", doc.get("f"));
        assertEquals(List.of(), doc.get("g"));
        assertEquals(Map.of(), doc.get("h"));
        assertEquals(new BigDecimal("1.5"), doc.get("i"));
        assertEquals(new BigDecimal("2e3"), doc.get("j"));
        assertEquals(new BigDecimal("9223372036854775808"), doc.get("k"), "past a long: not an integer field");
        assertEquals(0L, doc.get("l"));
        // Whitespace wherever the grammar allows it, including inside empty containers.
        assertEquals(Map.of("a", List.of(), "b", Map.of(), "c", List.of(1L, 2L)),
            Json.parse("\n{ \"a\" : [ ] ,\t\"b\" :{ } , \"c\" :[ 1 , 2 ] }\r\n"));
        assertEquals(7L, Json.parse("7"));
        assertEquals("s", Json.parse("\"s\""));
    }

    @Test
    void shouldDecodeEveryEscape()
    {
        assertEquals("\"\\/\b\f\n\r\tA\u00e9\u4e2d|",
            Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00E9\\u4e2d|\""));
        assertEquals("bad escape '\\x' at line 1, column 4", error("\"a\\x\""));
        assertEquals("bad unicode escape at line 1, column 4", error("\"\\u12\""));
        assertEquals("bad unicode escape at line 1, column 4", error("\"\\u00g0\""));
        assertEquals("unterminated escape at line 1, column 3", error("\"\\"));
        // The text ends inside the escape's four digits, or right after them.
        assertEquals("bad unicode escape at line 1, column 4", error("\"\\u12"));
        assertEquals("unterminated string at line 1, column 8", error("\"\\u0041"));
        assertEquals("unterminated string at line 1, column 4", error("\"ab"));
        assertEquals("control character in string at line 1, column 3", error("\"a\u0001\""));
        // U+001F is the last control character; a space, the first character after them, is text.
        assertEquals("control character in string at line 1, column 3", error("\"a\u001f\""));
        assertEquals("a b", Json.parse("\"a b\""));
    }

    @Test
    void shouldRefuseASignInAUnicodeEscape()
    {
        // Integer.parseInt takes a leading sign: "\\u+041" would be 'A' and "\\u-041" a wrapped char.
        assertEquals("bad unicode escape at line 1, column 4", error("\"\\u+041\""));
        assertEquals("bad unicode escape at line 1, column 4", error("\"\\u-041\""));
    }

    @Test
    void shouldRefuseLeadingZeros()
    {
        // RFC 8259 has no leading zeros; a reader that took 0100 as octal would see 64 where this one saw 100.
        assertEquals("bad number '0100' at line 1, column 8", error("{\"n\": [0100]}"));
        assertEquals("bad number '-01' at line 1, column 1", error("-01"));
        assertEquals("bad number '00' at line 1, column 1", error("00"));
        assertEquals("bad number '09' at line 1, column 1", error("09"));
        assertEquals(0L, Json.parse("0"));
        assertEquals(-10L, Json.parse("-10"));
        assertEquals(new BigDecimal("0.5"), Json.parse("0.5"));
    }

    @Test
    void shouldRefuseMalformedStructureWithItsPosition()
    {
        assertEquals("unexpected trailing content at line 1, column 4", error("{} x"));
        assertEquals("unexpected end of input at line 1, column 1", error(""));
        assertEquals("unexpected end of input at line 1, column 4", error("   "));
        assertEquals("duplicate key \"a\" at line 2, column 3", error("{\"a\": 1,\n  \"a\": 2}"));
        assertEquals("expected a string key at line 1, column 2", error("{a: 1}"));
        assertEquals("expected ':' at line 1, column 6", error("{\"a\" 1}"));
        assertEquals("expected ',' or '}' at line 1, column 9", error("{\"a\": 1 \"b\": 2}"));
        assertEquals("expected ',' or ']' at line 3, column 2", error("[1,\n2\n 3]"));
        assertEquals("expected a string key at line 1, column 9", error("{\"a\": 1,}"));
        assertEquals("unexpected character ']' at line 1, column 4", error("[1,]"));
        assertEquals("unexpected end of input at line 1, column 3", error("[1"));
        assertEquals("unexpected end of input at line 1, column 2", error("{"));
        assertEquals("expected 'true' at line 1, column 2", error("[tru]"));
        assertEquals("expected 'false' at line 1, column 1", error("fals"));
        assertEquals("expected 'null' at line 1, column 1", error("nul"));
        assertEquals("unexpected character '+' at line 1, column 1", error("+1"));
        // What cannot be seen is named by its code point.
        assertEquals("unexpected byte-order mark (U+FEFF; save the file as UTF-8 without one) " +
            "at line 1, column 1", error("\ufeff{}"));
        assertEquals("unexpected character U+00A0 at line 1, column 2", error("[\u00a0]"));
        assertEquals("unexpected character U+0001 at line 1, column 1", error("\u0001"));
        // DEL (U+007F) is a control character too, printed as nothing; '~' (U+007E) is the last one quoted.
        assertEquals("unexpected character U+007F at line 1, column 1", error("\u007f"));
        assertEquals("unexpected character '~' at line 1, column 1", error("~"));
        assertEquals("unexpected character U+FEFF at line 1, column 2", error("[\ufeff]"));
        assertEquals("bad number '-' at line 1, column 1", error("-"));
        assertEquals("bad number '1-2' at line 1, column 2", error("[1-2]"));
        assertEquals("bad number '1.2.3' at line 1, column 1", error("1.2.3"));
    }

    @Test
    void shouldNameTheFirstFieldAReaderDoesNotKnowInTheDocumentsOrder()
    {
        // The genesis readers refuse an object with a field they would drop; this is the field they name.
        @SuppressWarnings("unchecked")
        final Map<String, Object> object = (Map<String, Object>)Json.parse("{\"b\": 1, \"x\": 2, \"a\": 3, \"y\": 4}");
        assertNull(Json.firstUnknownField(object, List.of("a", "b", "x", "y")), "every field known");
        assertNull(Json.firstUnknownField(object, List.of("a", "b", "c", "x", "y", "z")), "a known field absent");
        assertEquals("x", Json.firstUnknownField(object, List.of("a", "b")));
        assertEquals("y", Json.firstUnknownField(object, List.of("a", "b", "x")));
        assertEquals("b", Json.firstUnknownField(object, List.of()));
        assertNull(Json.firstUnknownField(Map.of(), List.of()), "an empty object has no unknown field");
    }
}
