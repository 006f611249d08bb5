package io.cmtchain.engine.dpos;

import java.util.List;
import java.util.Map;

/**
 * Writes the values {@link io.cmtchain.engine.util.Json} reads (maps in their iteration order, lists, strings,
 * integers, booleans, null) as indented JSON. For reports, not the hot path.
 */
public final class JsonWriter
{
    private JsonWriter()
    {
    }

    /**
     * @param value to write.
     * @return indented JSON text ending in a newline.
     */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(final StringBuilder out, final Object value, final int depth)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof String)
        {
            string(out, (String)value);
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map)
        {
            final Map<?, ?> map = (Map<?, ?>)value;
            if (map.isEmpty())
            {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append('}');
        }
        else if (value instanceof List)
        {
            final List<?> list = (List<?>)value;
            if (list.isEmpty())
            {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (final Object o : list)
            {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                write(out, o, depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append(']');
        }
        else
        {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void indent(final StringBuilder out, final int depth)
    {
        for (int i = 0; i < depth; i++)
        {
            out.append("  ");
        }
    }

    private static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char ch = s.charAt(i);
            switch (ch)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (ch < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)ch));
                    }
                    else
                    {
                        out.append(ch);
                    }
            }
        }
        out.append('"');
    }
}
