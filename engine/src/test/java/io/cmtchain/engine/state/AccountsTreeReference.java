package io.cmtchain.engine.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The accounts tree as the README and {@link StateCommitment}'s javadoc state it, computed from the records alone with
 * the JDK's SHA-256 and no shortcut: the tests compare the optimised commitment with this, not with itself.
 * A bucket per leading 4·depth address bits holds SHA-256(0x00 || (address || balance LE || nonce LE) in unsigned
 * address order), or 32 zero bytes when empty; each node is SHA-256(0x01 || its 16 children), or zero when all are.
 */
public final class AccountsTreeReference
{
    private AccountsTreeReference()
    {
    }

    /**
     * @param records the accounts, in any order.
     * @param address of a record (20 bytes).
     * @param balance of a record, µCMT.
     * @param nonce   of a record.
     * @param depth   of the tree, 1 to 7 (16^depth buckets).
     * @param <R>     the test's record type.
     * @return the accounts root.
     */
    public static <R> byte[] root(
        final List<R> records,
        final Function<R, byte[]> address,
        final ToLongFunction<R> balance,
        final ToLongFunction<R> nonce,
        final int depth)
    {
        final MessageDigest sha = sha256();
        final int buckets = 1 << (4 * depth);
        final List<List<R>> byBucket = new ArrayList<>();
        for (int b = 0; b < buckets; b++)
        {
            byBucket.add(new ArrayList<>());
        }
        for (final R r : records)
        {
            final long lead = ByteBuffer.wrap(address.apply(r), 0, 4).getInt() & 0xFFFF_FFFFL;
            byBucket.get((int)(lead >>> (32 - 4 * depth))).add(r);
        }
        byte[][] level = new byte[buckets][];
        for (int b = 0; b < buckets; b++)
        {
            final List<R> in = byBucket.get(b);
            in.sort((x, y) -> Arrays.compareUnsigned(address.apply(x), address.apply(y)));
            if (in.isEmpty())
            {
                level[b] = new byte[32];
                continue;
            }
            sha.update((byte)0x00);
            for (final R r : in)
            {
                sha.update(address.apply(r));
                sha.update(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(balance.applyAsLong(r)).putLong(nonce.applyAsLong(r)).array());
            }
            level[b] = sha.digest();
        }
        while (level.length > 1)
        {
            final byte[][] up = new byte[level.length / 16][];
            for (int n = 0; n < up.length; n++)
            {
                boolean empty = true;
                sha.update((byte)0x01);
                for (int c = 0; c < 16; c++)
                {
                    sha.update(level[n * 16 + c]);
                    empty &= Arrays.equals(level[n * 16 + c], new byte[32]);
                }
                up[n] = sha.digest();
                if (empty)
                {
                    up[n] = new byte[32];
                }
            }
            level = up;
        }
        return level[0];
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
