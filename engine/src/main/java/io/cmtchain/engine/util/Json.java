package io.cmtchain.engine.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, strict JSON reader for configuration files (genesis, test vectors), never for the hot path.
 * <p>
 * Objects become {@link LinkedHashMap} (duplicate keys are an error), arrays {@link ArrayList}, numbers
 * {@link Long} when integral and in range, otherwise {@link java.math.BigDecimal}; strings, booleans and null
 * as expected. Errors name the line and column.
 */
public final class Json
{
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final String text;
    private int pos;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * Parse a whole JSON document.
     *
     * @param text the document.
     * @return the value.
     * @throws JsonException with line and column when the text is not valid JSON.
     */
    public static Object parse(final String text)
    {
        final Json json = new Json(text);
        json.skipWhitespace();
        final Object value = json.readValue();
        json.skipWhitespace();
        if (json.pos != text.length())
        {
            throw json.error("unexpected trailing content");
        }
        return value;
    }

    /**
     * The first field of a parsed object that a reader does not know, which it would otherwise drop without a word.
     *
     * @param object the parsed object.
     * @param known  the fields its reader takes.
     * @return the first field, in the document's order, that is not one of {@code known}; null when there is none.
     */
    public static String firstUnknownField(final Map<String, Object> object, final Collection<String> known)
    {
        for (final String key : object.keySet())
        {
            if (!known.contains(key))
            {
                return key;
            }
        }
        return null;
    }

    /** A parse error with its position. */
    public static final class JsonException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        JsonException(final String message)
        {
            super(message);
        }
    }

    private Object readValue()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end of input");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return readNumber();
                }
                if (c == BYTE_ORDER_MARK && pos == 0)
                {
                    // Windows editors begin UTF-8 with one; RFC 8259 forbids it in a JSON text.
                    throw error("unexpected byte-order mark (U+FEFF; save the file as UTF-8 without one)");
                }
                // Whitespace JSON does not allow, a control character, any other: named by its code point, not
                // printed as the blank it looks like.
                throw error("unexpected character " + (c > ' ' && c < 0x7f ? "'" + c + "'" :
                    String.format(Locale.ROOT, "U+%04X", (int)c)));
        }
    }

    private Map<String, Object> readObject()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("expected a string key");
            }
            final int keyPos = pos;
            final String key = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            final Object value = readValue();
            if (map.containsKey(key))
            {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, value);
            skipWhitespace();
            final char c = peek();
            if (c == ',')
            {
                pos++;
            }
            else if (c == '}')
            {
                pos++;
                return map;
            }
            else
            {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> readArray()
    {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            final char c = peek();
            if (c == ',')
            {
                pos++;
            }
            else if (c == ']')
            {
                pos++;
                return list;
            }
            else
            {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String readString()
    {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                if (pos >= text.length())
                {
                    throw error("unterminated escape");
                }
                final char e = text.charAt(pos++);
                switch (e)
                {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > text.length())
                        {
                            throw error("bad unicode escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            // Hex digits only: Integer.parseInt would also take a sign ("+041").
                            final int digit = Hex.digit(text.charAt(pos + i));
                            if (digit < 0)
                            {
                                throw error("bad unicode escape");
                            }
                            code = (code << 4) | digit;
                        }
                        sb.append((char)code);
                        pos += 4;
                        break;
                    default:
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                }
            }
            else if (c < 0x20)
            {
                pos--;
                throw error("control character in string");
            }
            else
            {
                sb.append(c);
            }
        }
    }

    private Object readNumber()
    {
        final int start = pos;
        if (peek() == '-')
        {
            pos++;
        }
        // RFC 8259: no leading zeros. Taken, 0100 would be 100 here and 64 to a reader that reads it as octal.
        final boolean leadingZero = pos + 1 < text.length() && text.charAt(pos) == '0' &&
            text.charAt(pos + 1) >= '0' && text.charAt(pos + 1) <= '9';
        boolean integral = true;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c >= '0' && c <= '9')
            {
                pos++;
            }
            else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
            {
                integral = false;
                pos++;
            }
            else
            {
                break;
            }
        }
        final String s = text.substring(start, pos);
        if (leadingZero)
        {
            pos = start;
            throw error("bad number '" + s + "'");
        }
        try
        {
            if (integral)
            {
                return Long.parseLong(s);
            }
            return new java.math.BigDecimal(s);
        }
        catch (final NumberFormatException ex)
        {
            if (integral)
            {
                try
                {
                    return new java.math.BigDecimal(s);
                }
                catch (final NumberFormatException ignore)
                {
                    // fall through to the error below
                }
            }
            pos = start;
            throw error("bad number '" + s + "'");
        }
    }

    private void expectWord(final String word)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                pos++;
            }
            else
            {
                break;
            }
        }
    }

    private JsonException error(final String message)
    {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++)
        {
            if (text.charAt(i) == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new JsonException(message + " at line " + line + ", column " + column);
    }
}
