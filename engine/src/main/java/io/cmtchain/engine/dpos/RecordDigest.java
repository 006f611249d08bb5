package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * An incrementally maintained digest over a set of {@link DigestRecord}s:
 * <pre>
 *   recordHash  = SHA-256(tag || record encoding)
 *   bucket b    = the records whose key hashes to b (FNV-1a of the key, modulo a power of two), in key order
 *   bucketHash  = SHA-256(count u32 || recordHash ...)          (empty bucket: 32 zero bytes)
 *   root        = SHA-256(tag || bucketHash[0] || ... || bucketHash[n-1])
 * </pre>
 * Only dirty records are rehashed, only their buckets re-digested, and the root is recomputed only when a bucket
 * changed: the per-block cost is proportional to what changed (plus one pass over the bucket hashes), not to the
 * number of records. Buckets are kept sorted on insertion so no sort happens at digest time.
 */
final class RecordDigest
{
    private final byte[] tag;
    private final int mask;
    private final ArrayList<ArrayList<DigestRecord>> buckets;
    private final byte[] bucketHashes;
    private final boolean[] bucketDirty;
    private final int[] dirtyBuckets;
    private int dirtyCount;
    private final byte[] root = new byte[32];
    private boolean rootDirty = true;
    private int size;

    /**
     * @param tag         domain tag of this set.
     * @param bucketCount a power of two.
     */
    RecordDigest(final String tag, final int bucketCount)
    {
        if (Integer.bitCount(bucketCount) != 1)
        {
            throw new IllegalArgumentException("bucket count must be a power of two: " + bucketCount);
        }
        this.tag = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.mask = bucketCount - 1;
        this.buckets = new ArrayList<>(bucketCount);
        for (int i = 0; i < bucketCount; i++)
        {
            buckets.add(new ArrayList<>());
        }
        bucketHashes = new byte[bucketCount * 32];
        bucketDirty = new boolean[bucketCount];
        dirtyBuckets = new int[bucketCount];
    }

    int size()
    {
        return size;
    }

    void add(final DigestRecord record)
    {
        final int b = bucketOf(record.sortKey);
        final ArrayList<DigestRecord> list = buckets.get(b);
        final int at = search(list, record.sortKey);
        if (at >= 0)
        {
            throw new IllegalStateException("duplicate DPoS record key");
        }
        list.add(-at - 1, record);
        record.bucket = b;
        size++;
        markDirty(record);
    }

    void remove(final DigestRecord record)
    {
        final ArrayList<DigestRecord> list = buckets.get(record.bucket);
        final int at = search(list, record.sortKey);
        if (at < 0 || list.get(at) != record)
        {
            throw new IllegalStateException("DPoS record not in its digest");
        }
        list.remove(at);
        size--;
        markBucket(record.bucket);
        record.bucket = -1;
    }

    void markDirty(final DigestRecord record)
    {
        record.dirty = true;
        markBucket(record.bucket);
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
     * Bring the root up to date.
     *
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
            final ArrayList<DigestRecord> list = buckets.get(b);
            if (list.isEmpty())
            {
                Arrays.fill(bucketHashes, b * 32, b * 32 + 32, (byte)0);
                continue;
            }
            for (int r = 0, n = list.size(); r < n; r++)
            {
                final DigestRecord record = list.get(r);
                if (record.dirty)
                {
                    sha.update(tag);
                    record.encode(sha);
                    sha.digest(record.hash, 0);
                    record.dirty = false;
                }
            }
            sha.update((byte)list.size()).update((byte)(list.size() >>> 8))
                .update((byte)(list.size() >>> 16)).update((byte)(list.size() >>> 24));
            for (int r = 0, n = list.size(); r < n; r++)
            {
                sha.update(list.get(r).hash);
            }
            sha.digest(bucketHashes, b * 32);
        }
        dirtyCount = 0;
        sha.update(tag).update(bucketHashes);
        sha.digest(root, 0);
        rootDirty = false;
        return root;
    }

    /**
     * Read-only: the root as the last {@link #root(Sha256)} left it, for tests and audits.
     *
     * @return a copy of the root.
     * @throws IllegalStateException if a record changed since (the root would be stale).
     */
    byte[] lastRoot()
    {
        if (rootDirty)
        {
            throw new IllegalStateException("the root is out of date: records changed since it was computed");
        }
        return root.clone();
    }

    private int bucketOf(final byte[] key)
    {
        int h = 0x811C9DC5;
        for (final byte b : key)
        {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return (h ^ (h >>> 16)) & mask;
    }

    private static int search(final ArrayList<DigestRecord> list, final byte[] key)
    {
        int lo = 0;
        int hi = list.size() - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final int c = Arrays.compareUnsigned(list.get(mid).sortKey, key);
            if (c < 0)
            {
                lo = mid + 1;
            }
            else if (c > 0)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
