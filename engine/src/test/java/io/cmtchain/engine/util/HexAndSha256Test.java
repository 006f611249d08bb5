package io.cmtchain.engine.util;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Hex} (addresses and keys of the genesis file are hex) and {@link Sha256} (every digest of the chain) against
 * the stated rules and the JDK's SHA-256.
 */
class HexAndSha256Test
{
    @Test
    void shouldEncodeAndDecodeHex()
    {
        final byte[] bytes = {0, 1, 0x7F, (byte)0x80, (byte)0xAB, (byte)0xFF};
        assertEquals("00017f80abff", Hex.encode(bytes));
        assertEquals("7f80", Hex.encode(bytes, 2, 2));
        assertArrayEquals(bytes, Hex.decode("00017F80abFF"));
        assertArrayEquals(new byte[0], Hex.decode(""));
        assertEquals("hex string has odd length 3",
            assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc")).getMessage());
        assertEquals("not a hex digit at position 2",
            assertThrows(IllegalArgumentException.class, () -> Hex.decode("00g0")).getMessage());
        assertEquals("not a hex digit at position 3",
            assertThrows(IllegalArgumentException.class, () -> Hex.decode("000g")).getMessage());
    }

    @Test
    void shouldRefuseHexDigitsOutsideAscii()
    {
        // Character.digit takes any Unicode digit or fullwidth letter: "\uff41\uff42" would decode as "ab".
        assertEquals("not a hex digit at position 0", assertThrows(IllegalArgumentException.class,
            () -> Hex.decode("\uff41\uff42")).getMessage());
        assertEquals("not a hex digit at position 1", assertThrows(IllegalArgumentException.class,
            () -> Hex.decode("0\u0663")).getMessage());
    }

    @Test
    void shouldHashArraysBuffersAndLongsAsOneStream() throws Exception
    {
        final java.security.MessageDigest jdk = java.security.MessageDigest.getInstance("SHA-256");
        final byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 7);
        }
        jdk.update(data, 5, 2000);
        jdk.update((byte)9);
        jdk.update(new byte[]{1, 0, 0, 0, 0, 0, 0, (byte)0x80});
        jdk.update(data);
        final byte[] expected = jdk.digest();
        final Sha256 sha = new Sha256();
        // A buffer not backed by an array (off-heap) goes through the scratch copy, which must grow past 1024.
        final org.agrona.concurrent.UnsafeBuffer direct = new org.agrona.concurrent.UnsafeBuffer(
            java.nio.ByteBuffer.allocateDirect(3000));
        direct.putBytes(0, data);
        sha.update(direct, 5, 2000).update((byte)9).updateLong(0x8000_0000_0000_0001L).update(data);
        final byte[] out = new byte[40];
        sha.digest(out, 4);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 4, 36));
        // An array-backed buffer at a wrap offset reads in place.
        final org.agrona.concurrent.UnsafeBuffer wrapped = new org.agrona.concurrent.UnsafeBuffer(data, 5, 2000);
        jdk.update(data, 5 + 3, 10);
        assertArrayEquals(jdk.digest(), sha.update(wrapped, 3, 10).digest());
        sha.update(data);
        sha.reset();
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(), sha.digest());
        assertThrows(IllegalArgumentException.class, () -> sha.digest(new byte[40], 9));
    }
}
