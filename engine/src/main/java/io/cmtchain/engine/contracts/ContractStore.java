package io.cmtchain.engine.contracts;

import io.cmtchain.engine.state.StateCommitment;
import io.cmtchain.engine.util.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The contracts' records by key, and an incrementally maintained digest over them: a 16-ary tree of fixed depth
 * over 65,536 buckets.
 * <pre>
 *   recordHash  = SHA-256(tag || key || record encoding)
 *   bucket b    = the records whose key hashes to b (FNV-1a of the key, folded to 16 bits), in unsigned key order
 *   bucketHash  = SHA-256(count u32 LE || recordHash ...)              (empty bucket: 32 zero bytes)
 *   node        = SHA-256(0x01 || 16 child digests)                     (every child zero: 32 zero bytes;
 *                                                                         the accounts tree's rule, StateCommitment)
 *                 levels: 4,096 nodes over the buckets, 256 over those, 16 over those
 *   recordsRoot = SHA-256(rootTag || the 16 top nodes)
 * </pre>
 * Only dirty records are rehashed, only their buckets re-digested and only those buckets' ancestors re-hashed: a
 * block's cost follows what it changed, not how many records there are (a bucket holds about 15 records per
 * million).
 */
final class ContractStore
{
    private static final int DEPTH = 4;
    private static final int FANOUT = 16;
    private static final int BUCKETS = 1 << (4 * DEPTH);
    private static final byte[] TAG = "CMTCHAIN/CONTRACT-RECORD/V1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOT_TAG = "CMTCHAIN/CONTRACT-RECORDS/V2".getBytes(StandardCharsets.US_ASCII);

    /** Records by bucket, each in unsigned key order; null while a bucket has never held one. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final TreeMap<byte[], ContractRecord>[] buckets = new TreeMap[BUCKETS];
    /** Digests by level: {@code levels[DEPTH]} the buckets', {@code levels[1]} the 16 top nodes'. */
    private final byte[][] levels = new byte[DEPTH + 1][];
    private final boolean[] bucketDirty = new boolean[BUCKETS];
    private int[] dirty = new int[64];
    private int dirtyCount;
    private final byte[] root = new byte[32];
    private boolean rootDirty = true;
    private int size;

    ContractStore()
    {
        for (int l = 1; l <= DEPTH; l++)
        {
            levels[l] = new byte[(1 << (4 * l)) * 32];
        }
    }

    int size()
    {
        return size;
    }

    ContractRecord get(final byte[] key)
    {
        final TreeMap<byte[], ContractRecord> bucket = buckets[bucketOf(key)];
        return bucket == null ? null : bucket.get(key);
    }

    /**
     * Visit every record, bucket by bucket, in key order within a bucket: for audits and queries, not blocks.
     *
     * @param action to run on each.
     */
    void forEach(final java.util.function.Consumer<ContractRecord> action)
    {
        for (final TreeMap<byte[], ContractRecord> bucket : buckets)
        {
            if (bucket != null)
            {
                bucket.values().forEach(action);
            }
        }
    }

    void add(final ContractRecord record)
    {
        final int b = bucketOf(record.key);
        TreeMap<byte[], ContractRecord> bucket = buckets[b];
        if (bucket == null)
        {
            bucket = new TreeMap<>(Arrays::compareUnsigned);
            buckets[b] = bucket;
        }
        if (bucket.putIfAbsent(record.key, record) != null)
        {
            throw new IllegalStateException("duplicate contract record key");
        }
        size++;
        markDirty(record);
    }

    void remove(final ContractRecord record)
    {
        final int b = bucketOf(record.key);
        final TreeMap<byte[], ContractRecord> bucket = buckets[b];
        if (bucket == null || bucket.remove(record.key) != record)
        {
            throw new IllegalStateException("contract record not in its store");
        }
        size--;
        markBucket(b);
    }

    void markDirty(final ContractRecord record)
    {
        record.dirty = true;
        markBucket(bucketOf(record.key));
    }

    private void markBucket(final int b)
    {
        if (!bucketDirty[b])
        {
            bucketDirty[b] = true;
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = b;
        }
        rootDirty = true;
    }

    /**
     * @param sha scratch digest.
     * @return the root (internal array, valid until the next change).
     */
    byte[] root(final Sha256 sha)
    {
        if (!rootDirty)
        {
            return root;
        }
        final int[] indices = dirty;
        int n = dirtyCount;
        final byte[] bucketHashes = levels[DEPTH];
        for (int i = 0; i < n; i++)
        {
            final int b = indices[i];
            bucketDirty[b] = false;
            hashBucket(sha, buckets[b], bucketHashes, b * 32);
        }
        // Up the tree: sorted, each level's dirty nodes are the distinct parents of the level below's.
        Arrays.sort(indices, 0, n);
        for (int l = DEPTH - 1; l >= 1; l--)
        {
            int parents = 0;
            for (int i = 0; i < n; i++)
            {
                final int parent = indices[i] >>> 4;
                if (parents == 0 || indices[parents - 1] != parent)
                {
                    indices[parents++] = parent;
                }
            }
            n = parents;
            for (int i = 0; i < n; i++)
            {
                StateCommitment.hashNode(sha, levels[l + 1], indices[i] * FANOUT * 32, levels[l], indices[i] * 32);
            }
        }
        dirtyCount = 0;
        sha.update(ROOT_TAG).update(levels[1]);
        sha.digest(root, 0);
        rootDirty = false;
        return root;
    }

    private void hashBucket(
        final Sha256 sha, final TreeMap<byte[], ContractRecord> bucket, final byte[] out, final int offset)
    {
        if (bucket == null || bucket.isEmpty())
        {
            Arrays.fill(out, offset, offset + 32, (byte)0);
            return;
        }
        for (final ContractRecord record : bucket.values())
        {
            if (record.dirty)
            {
                sha.update(TAG).update(record.key);
                record.encode(sha);
                sha.digest(record.hash, 0);
                record.dirty = false;
            }
        }
        final int n = bucket.size();
        sha.update((byte)n).update((byte)(n >>> 8)).update((byte)(n >>> 16)).update((byte)(n >>> 24));
        for (final ContractRecord record : bucket.values())
        {
            sha.update(record.hash);
        }
        sha.digest(out, offset);
    }

    private static int bucketOf(final byte[] key)
    {
        int h = 0x811C9DC5;
        for (final byte b : key)
        {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }
}
