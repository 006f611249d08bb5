package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The contracts' records by key, and an incrementally maintained digest over them:
 * <pre>
 *   recordHash = SHA-256(tag || key || record encoding)
 *   bucket b   = the records whose key hashes to b (FNV-1a of the key, modulo 256), in unsigned key order
 *   bucketHash = SHA-256(count u32 LE || recordHash ...)          (empty bucket: 32 zero bytes)
 *   root       = SHA-256(tag || bucketHash[0] || ... || bucketHash[255])
 * </pre>
 * Only dirty records are rehashed and only their buckets re-digested: a block's cost follows what it changed.
 */
final class ContractStore
{
    private static final int BUCKETS = 256;
    private static final byte[] TAG = "CMTCHAIN/CONTRACT-RECORD/V1".getBytes(StandardCharsets.US_ASCII);

    private final ArrayList<TreeMap<byte[], ContractRecord>> buckets = new ArrayList<>(BUCKETS);
    private final byte[] bucketHashes = new byte[BUCKETS * 32];
    private final boolean[] bucketDirty = new boolean[BUCKETS];
    private final int[] dirtyBuckets = new int[BUCKETS];
    private int dirtyCount;
    private final byte[] root = new byte[32];
    private boolean rootDirty = true;
    private int size;

    ContractStore()
    {
        for (int i = 0; i < BUCKETS; i++)
        {
            buckets.add(new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    int size()
    {
        return size;
    }

    ContractRecord get(final byte[] key)
    {
        return buckets.get(bucketOf(key)).get(key);
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
            bucket.values().forEach(action);
        }
    }

    void add(final ContractRecord record)
    {
        final int b = bucketOf(record.key);
        if (buckets.get(b).putIfAbsent(record.key, record) != null)
        {
            throw new IllegalStateException("duplicate contract record key");
        }
        size++;
        markDirty(record);
    }

    void remove(final ContractRecord record)
    {
        final int b = bucketOf(record.key);
        if (buckets.get(b).remove(record.key) != record)
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
            dirtyBuckets[dirtyCount++] = b;
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
        for (int i = 0; i < dirtyCount; i++)
        {
            final int b = dirtyBuckets[i];
            bucketDirty[b] = false;
            final TreeMap<byte[], ContractRecord> bucket = buckets.get(b);
            if (bucket.isEmpty())
            {
                Arrays.fill(bucketHashes, b * 32, b * 32 + 32, (byte)0);
                continue;
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
            sha.digest(bucketHashes, b * 32);
        }
        dirtyCount = 0;
        sha.update(TAG).update(bucketHashes);
        sha.digest(root, 0);
        rootDirty = false;
        return root;
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
