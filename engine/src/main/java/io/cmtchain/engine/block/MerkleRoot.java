package io.cmtchain.engine.block;

import io.cmtchain.engine.util.Sha256;

import java.util.Arrays;

/**
 * Binary Merkle root over 32-byte leaves. An odd node is carried up unchanged (never duplicated, which would let
 * two lists share a root); inner nodes are SHA-256(0x01 || left || right); an empty list has the zero root.
 */
public final class MerkleRoot
{
    private final Sha256 sha = new Sha256();
    private byte[] scratch = new byte[32 * 1024];

    /**
     * @param leaves    32 bytes per leaf.
     * @param count     number of leaves.
     * @param out       receives the root.
     * @param outOffset in {@code out}.
     */
    public void compute(final byte[] leaves, final int count, final byte[] out, final int outOffset)
    {
        if (count == 0)
        {
            Arrays.fill(out, outOffset, outOffset + 32, (byte)0);
            return;
        }
        if (scratch.length < count * 32)
        {
            scratch = new byte[Math.max(count * 32, scratch.length * 2)];
        }
        System.arraycopy(leaves, 0, scratch, 0, count * 32);
        int n = count;
        while (n > 1)
        {
            final int pairs = n >>> 1;
            for (int i = 0; i < pairs; i++)
            {
                sha.update((byte)0x01);
                sha.update(scratch, i * 64, 64);
                sha.digest(scratch, i * 32);
            }
            if ((n & 1) != 0)
            {
                System.arraycopy(scratch, (n - 1) * 32, scratch, pairs * 32, 32);
            }
            n = pairs + (n & 1);
        }
        System.arraycopy(scratch, 0, out, outOffset, 32);
    }
}
