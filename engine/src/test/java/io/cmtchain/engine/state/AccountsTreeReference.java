package io.cmtchain.engine.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
     * @param depth   of the tree, 1 to 7 (16^depth buckets, of which only those holding records are visited).
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
        // Only buckets and nodes that are not zero are kept, level by level, so a depth-6 tree (16.7 million buckets)
        // costs memory for its records' paths only. A bucket's digest and a node's are SHA-256 outputs, which are
        // not zero, so a node is zero exactly when none of its children is kept.
        final TreeMap<Integer, List<R>> byBucket = new TreeMap<>();
        for (final R r : records)
        {
            final long lead = ByteBuffer.wrap(address.apply(r), 0, 4).getInt() & 0xFFFF_FFFFL;
            byBucket.computeIfAbsent((int)(lead >>> (32 - 4 * depth)), b -> new ArrayList<>()).add(r);
        }
        TreeMap<Integer, byte[]> level = new TreeMap<>();
        for (final Map.Entry<Integer, List<R>> bucket : byBucket.entrySet())
        {
            final List<R> in = bucket.getValue();
            in.sort((x, y) -> Arrays.compareUnsigned(address.apply(x), address.apply(y)));
            sha.update((byte)0x00);
            for (final R r : in)
            {
                sha.update(address.apply(r));
                sha.update(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(balance.applyAsLong(r)).putLong(nonce.applyAsLong(r)).array());
            }
            level.put(bucket.getKey(), sha.digest());
        }
        for (int l = depth; l > 0; l--)
        {
            final TreeMap<Integer, byte[]> up = new TreeMap<>();
            for (final int parent : new TreeSet<>(level.keySet().stream().map(b -> b >>> 4).toList()))
            {
                sha.update((byte)0x01);
                for (int c = 0; c < 16; c++)
                {
                    sha.update(level.getOrDefault(parent * 16 + c, new byte[32]));
                }
                up.put(parent, sha.digest());
            }
            level = up;
        }
        return level.getOrDefault(0, new byte[32]);
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
