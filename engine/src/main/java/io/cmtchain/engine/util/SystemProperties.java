package io.cmtchain.engine.util;

import java.util.function.ToLongFunction;

/**
 * Settings read from system properties ({@code -Dcmt...}), strictly: a value that is set but is not one the setting
 * takes is refused, naming the property and the value, never replaced by the default without a word as
 * {@link Integer#getInteger(String, int)} and {@link Boolean#parseBoolean(String)} do (with those,
 * {@code -Dcmt.journal.minFreeBytes=100T} or {@code -Dcmt.client.auto.reconnect=no} left the default in force).
 */
public final class SystemProperties
{
    private SystemProperties()
    {
    }

    /**
     * @param name         of the property.
     * @param defaultValue when it is not set.
     * @return its value: a decimal integer within int's range, surrounding spaces and {@code _} between digits allowed.
     * @throws IllegalArgumentException naming the property when it is set to anything else.
     */
    public static int intValue(final String name, final int defaultValue)
    {
        return (int)integer(name, defaultValue, Integer::parseInt);
    }

    /**
     * @param name         of the property.
     * @param defaultValue when it is not set.
     * @return its value: a decimal integer, surrounding spaces and {@code _} between digits allowed.
     * @throws IllegalArgumentException naming the property when it is set to anything else.
     */
    public static long longValue(final String name, final long defaultValue)
    {
        return integer(name, defaultValue, Long::parseLong);
    }

    /**
     * @param name         of the property.
     * @param defaultValue when it is not set.
     * @return its value: {@code true} or {@code false}, any case, surrounding spaces allowed.
     * @throws IllegalArgumentException naming the property when it is set to anything else.
     */
    public static boolean booleanValue(final String name, final boolean defaultValue)
    {
        final String value = System.getProperty(name);
        if (value == null)
        {
            return defaultValue;
        }
        final String word = value.strip();
        if (word.equalsIgnoreCase("true"))
        {
            return true;
        }
        if (word.equalsIgnoreCase("false"))
        {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, was " + value);
    }

    /**
     * @param name         of the property.
     * @param type         the setting's choices.
     * @param defaultValue when it is not set.
     * @param <E>          the choices' type.
     * @return the choice it names, any case, surrounding spaces allowed.
     * @throws IllegalArgumentException naming the property and the choices when it names none of them.
     */
    public static <E extends Enum<E>> E enumValue(final String name, final Class<E> type, final E defaultValue)
    {
        final String value = System.getProperty(name);
        return value == null ? defaultValue : choice(name, type, value);
    }

    /**
     * @param name  of the setting, for the message.
     * @param type  the setting's choices.
     * @param value a choice's name, any case, surrounding spaces allowed.
     * @param <E>   the choices' type.
     * @return the choice it names.
     * @throws IllegalArgumentException naming the setting and the choices ({@code "NAME must be A, B or C, was X"})
     *                                  when it names none of them.
     */
    public static <E extends Enum<E>> E choice(final String name, final Class<E> type, final String value)
    {
        final E[] choices = type.getEnumConstants();
        for (final E choice : choices)
        {
            if (value != null && choice.name().equalsIgnoreCase(value.strip()))
            {
                return choice;
            }
        }
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < choices.length; i++)
        {
            names.append(i == 0 ? "" : i == choices.length - 1 ? " or " : ", ").append(choices[i].name());
        }
        throw new IllegalArgumentException(name + " must be " + names + ", was " + value);
    }

    private static long integer(final String name, final long defaultValue, final ToLongFunction<String> parser)
    {
        final String value = System.getProperty(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return parser.applyAsLong(value.strip().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be an integer, was " + value);
        }
    }
}
