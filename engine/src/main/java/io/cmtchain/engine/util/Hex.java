package io.cmtchain.engine.util;

/**
 * Lower-case hex encoding for hashes, keys and test vectors.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    /**
     * @param bytes to encode.
     * @return lower-case hex.
     */
    public static String encode(final byte[] bytes)
    {
        return encode(bytes, 0, bytes.length);
    }

    /**
     * @param bytes  to encode.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return lower-case hex.
     */
    public static String encode(final byte[] bytes, final int offset, final int length)
    {
        final char[] out = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xFF;
            out[i * 2] = DIGITS[b >>> 4];
            out[i * 2 + 1] = DIGITS[b & 0xF];
        }
        return new String(out);
    }

    /**
     * @param hex even-length hex, either case.
     * @return the bytes.
     * @throws IllegalArgumentException naming the problem when the text is not hex.
     */
    public static byte[] decode(final String hex)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("hex string has odd length " + hex.length());
        }
        final byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = digit(hex.charAt(i * 2));
            final int lo = digit(hex.charAt(i * 2 + 1));
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("not a hex digit at position " + (hi < 0 ? i * 2 : i * 2 + 1));
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return out;
    }

    /**
     * @param c a character.
     * @return its value as an ASCII hex digit (either case), or -1. Not {@link Character#digit(char, int)}, which also
     * takes other scripts' digits and fullwidth letters.
     */
    static int digit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }
}
