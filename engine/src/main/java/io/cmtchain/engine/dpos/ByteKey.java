package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Hex;

import java.util.Arrays;

/**
 * An immutable byte string (an address or a public key) usable as a map key, ordered as unsigned bytes so that
 * "ties by address" is a total, platform-independent order.
 */
public final class ByteKey implements Comparable<ByteKey>
{
    private final byte[] bytes;
    private final int hash;

    /**
     * @param bytes copied.
     */
    public ByteKey(final byte[] bytes)
    {
        this(bytes, 0, bytes.length);
    }

    /**
     * @param bytes  source.
     * @param offset of the key.
     * @param length of the key.
     */
    public ByteKey(final byte[] bytes, final int offset, final int length)
    {
        this.bytes = Arrays.copyOfRange(bytes, offset, offset + length);
        this.hash = Arrays.hashCode(this.bytes);
    }

    /** @return a copy of the bytes. */
    public byte[] bytes()
    {
        return bytes.clone();
    }

    byte[] raw()
    {
        return bytes;
    }

    @Override
    public int compareTo(final ByteKey o)
    {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof ByteKey && Arrays.equals(bytes, ((ByteKey)o).bytes);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return Hex.encode(bytes);
    }
}
