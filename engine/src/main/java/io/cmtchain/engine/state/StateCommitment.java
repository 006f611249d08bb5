package io.cmtchain.engine.state;

import io.cmtchain.engine.util.Sha256;

import java.util.Arrays;

/**
 * The accounts' commitment: a 16-ary Merkle tree of fixed depth over buckets chosen by an address's leading
 * bits, updated incrementally.
 * <pre>
 *   level 0            root
 *   level 1            16 nodes          node = SHA-256(0x01 || 16 child digests), or 32 zero bytes when every
 *   ...                                         child is empty
 *   level D            16^D buckets      bucket = SHA-256(0x00 || (address 20 || balance i64 LE || nonce i64 LE)*)
 *                                               over its accounts in address order, or 32 zero bytes when empty
 * </pre>
 * The digest depends only on the set of (address, balance, nonce) records, not on insertion order, table layout
 * or the order updates arrived in. A block costs one bucket hash per touched bucket plus one node hash per
 * touched ancestor: proportional to the keys it touched, not to the size of the state. Every node digest is
 * kept, so an inclusion proof of an account is its bucket's records plus 15 siblings per level.
 */
public final class StateCommitment
{
    static final int FANOUT = 16;
    static final int DIGEST = Sha256.DIGEST_LENGTH;
    private static final int RECORD_LENGTH = 36;

    private final int depth;
    private final byte[][] levels;
    private final long[][] dirtyBits;
    private final int[][] dirtyLists;
    private final int[] dirtyCounts;
    private final Sha256 sha = new Sha256();
    private byte[] scratch = new byte[1 + RECORD_LENGTH * 64];

    /**
     * @param depth of the tree: 16^depth buckets. 5 (about a million buckets, 34 MB of digests) suits a few
     *              million to tens of millions of accounts.
     */
    public StateCommitment(final int depth)
    {
        if (depth < 1 || depth > 6)
        {
            throw new IllegalArgumentException("state tree depth must be 1..6, was " + depth);
        }
        this.depth = depth;
        levels = new byte[depth + 1][];
        dirtyBits = new long[depth + 1][];
        dirtyLists = new int[depth + 1][];
        dirtyCounts = new int[depth + 1];
        for (int l = 0; l <= depth; l++)
        {
            final int nodes = 1 << (4 * l);
            levels[l] = new byte[nodes * DIGEST];
            dirtyBits[l] = new long[Math.max(1, nodes >>> 6)];
            dirtyLists[l] = new int[Math.min(nodes, 1024)];
        }
    }

    public int depth()
    {
        return depth;
    }

    public int bucketBits()
    {
        return 4 * depth;
    }

    public int bucketCount()
    {
        return 1 << (4 * depth);
    }

    /**
     * Note that a bucket's contents changed since the last {@link #update(AccountStore)}.
     *
     * @param bucket index.
     */
    public void markDirty(final int bucket)
    {
        mark(depth, bucket);
    }

    /**
     * Re-hash every dirty bucket and its ancestors.
     *
     * @param accounts whose buckets are hashed.
     */
    public void update(final AccountStore accounts)
    {
        final byte[] leaves = levels[depth];
        final int[] dirty = dirtyLists[depth];
        // Address order turns scattered reads of bucket heads and digests into forward sweeps the prefetcher and TLB
        // can follow, and makes each parent's dirty list come out sorted too.
        Arrays.sort(dirty, 0, dirtyCounts[depth]);
        for (int i = 0, n = dirtyCounts[depth]; i < n; i++)
        {
            final int bucket = dirty[i];
            hashBucket(accounts, bucket, leaves, bucket * DIGEST);
            mark(depth - 1, bucket >>> 4);
        }
        clear(depth);

        for (int l = depth - 1; l >= 0; l--)
        {
            final byte[] children = levels[l + 1];
            final byte[] nodes = levels[l];
            final int[] list = dirtyLists[l];
            for (int i = 0, n = dirtyCounts[l]; i < n; i++)
            {
                final int node = list[i];
                hashNode(children, node * FANOUT * DIGEST, nodes, node * DIGEST);
                if (l > 0)
                {
                    mark(l - 1, node >>> 4);
                }
            }
            clear(l);
        }
    }

    /**
     * @param out    receives the 32-byte root.
     * @param offset in {@code out}.
     */
    public void root(final byte[] out, final int offset)
    {
        System.arraycopy(levels[0], 0, out, offset, DIGEST);
    }

    /**
     * @param bucket index.
     * @return a copy of the bucket's digest; for tests and proofs.
     */
    public byte[] bucketDigest(final int bucket)
    {
        return Arrays.copyOfRange(levels[depth], bucket * DIGEST, bucket * DIGEST + DIGEST);
    }

    private void hashBucket(final AccountStore accounts, final int bucket, final byte[] out, final int outOffset)
    {
        int slot = accounts.bucketHead(bucket);
        if (slot == AccountStore.MISSING)
        {
            Arrays.fill(out, outOffset, outOffset + DIGEST, (byte)0);
            return;
        }
        int length = 1;
        scratch[0] = 0x00;
        while (slot != AccountStore.MISSING)
        {
            if (length + RECORD_LENGTH > scratch.length)
            {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
            }
            accounts.address(slot, scratch, length);
            putLongLe(scratch, length + 20, accounts.balance(slot));
            putLongLe(scratch, length + 28, accounts.nonce(slot));
            length += RECORD_LENGTH;
            slot = accounts.nextInBucket(slot);
        }
        sha.update(scratch, 0, length);
        sha.digest(out, outOffset);
    }

    private void hashNode(final byte[] children, final int childOffset, final byte[] out, final int outOffset)
    {
        boolean empty = true;
        for (int i = childOffset, end = childOffset + FANOUT * DIGEST; i < end; i += 8)
        {
            if (children[i] != 0 || children[i + 1] != 0 || children[i + 2] != 0 || children[i + 3] != 0 ||
                children[i + 4] != 0 || children[i + 5] != 0 || children[i + 6] != 0 || children[i + 7] != 0)
            {
                empty = false;
                break;
            }
        }
        if (empty)
        {
            Arrays.fill(out, outOffset, outOffset + DIGEST, (byte)0);
            return;
        }
        sha.update((byte)0x01);
        sha.update(children, childOffset, FANOUT * DIGEST);
        sha.digest(out, outOffset);
    }

    private void mark(final int level, final int index)
    {
        final long[] bits = dirtyBits[level];
        final int word = index >>> 6;
        final long bit = 1L << index;
        if ((bits[word] & bit) == 0)
        {
            bits[word] |= bit;
            int[] list = dirtyLists[level];
            final int count = dirtyCounts[level];
            if (count == list.length)
            {
                list = Arrays.copyOf(list, list.length * 2);
                dirtyLists[level] = list;
            }
            list[count] = index;
            dirtyCounts[level] = count + 1;
        }
    }

    private void clear(final int level)
    {
        final long[] bits = dirtyBits[level];
        final int[] list = dirtyLists[level];
        for (int i = 0, n = dirtyCounts[level]; i < n; i++)
        {
            bits[list[i] >>> 6] = 0;
        }
        dirtyCounts[level] = 0;
    }

    private static void putLongLe(final byte[] out, final int offset, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            out[offset + i] = (byte)(v >>> (8 * i));
        }
    }
}
