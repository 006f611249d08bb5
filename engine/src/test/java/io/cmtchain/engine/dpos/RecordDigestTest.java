package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The incrementally kept root of the DPoS record sets equals the root of a set built afresh with the same records,
 * and both equal the commitment of RecordDigest's javadoc computed here from scratch (FNV-1a buckets, records in
 * unsigned key order, a u32 count, the root over every bucket hash).
 */
class RecordDigestTest
{
    private static final String TAG = "TEST/RECORDS";

    /** A record of a key and a value. */
    private static final class Entry extends DigestRecord
    {
        long value;

        Entry(final byte[] key, final long value)
        {
            super(key);
            this.value = value;
        }

        @Override
        void encode(final Sha256 sha)
        {
            sha.update(sortKey).updateLong(value);
        }
    }

    private int serial;

    /** @return a unique key: 4 to 24 random bytes, the last four overwritten by a serial number. */
    private byte[] key(final Random r)
    {
        final byte[] k = new byte[4 + r.nextInt(21)];
        r.nextBytes(k);
        final int n = serial++;
        for (int i = 0; i < 4; i++)
        {
            k[k.length - 1 - i] = (byte)(n >>> (8 * i));
        }
        return k;
    }

    private static byte[] rebuilt(final List<Entry> records, final int buckets)
    {
        final RecordDigest fresh = new RecordDigest(TAG, buckets);
        for (final Entry e : records)
        {
            fresh.add(new Entry(e.sortKey, e.value));
        }
        return fresh.root(new Sha256()).clone();
    }

    private static byte[] specified(final List<Entry> records, final int buckets)
    {
        final byte[] tag = TAG.getBytes(StandardCharsets.US_ASCII);
        final List<List<Entry>> byBucket = new ArrayList<>();
        for (int b = 0; b < buckets; b++)
        {
            byBucket.add(new ArrayList<>());
        }
        for (final Entry e : records)
        {
            int h = 0x811C9DC5;
            for (final byte k : e.sortKey)
            {
                h = (h ^ (k & 0xFF)) * 0x01000193;
            }
            byBucket.get((h ^ (h >>> 16)) & (buckets - 1)).add(e);
        }
        final Sha256 sha = new Sha256();
        final byte[] bucketHashes = new byte[buckets * 32];
        for (int b = 0; b < buckets; b++)
        {
            final List<Entry> bucket = byBucket.get(b);
            if (bucket.isEmpty())
            {
                continue;
            }
            bucket.sort((p, q) -> Arrays.compareUnsigned(p.sortKey, q.sortKey));
            final int n = bucket.size();
            sha.update(new byte[] {(byte)n, (byte)(n >>> 8), (byte)(n >>> 16), (byte)(n >>> 24)});
            for (final Entry e : bucket)
            {
                final Sha256 record = new Sha256();
                record.update(tag);
                e.encode(record);
                sha.update(record.digest());
            }
            sha.digest(bucketHashes, b * 32);
        }
        sha.update(tag).update(bucketHashes);
        return sha.digest();
    }

    @Test
    void shouldMatchAFreshDigestAndTheDocumentedOneAfterIncrementalChanges()
    {
        final Random r = new Random(13);
        final RecordDigest digest = new RecordDigest(TAG, 16);
        final Sha256 sha = new Sha256();
        final List<Entry> records = new ArrayList<>();
        assertArrayEquals(specified(records, 16), digest.root(sha), "empty");
        // About 300 records a bucket: the count takes two bytes of its u32.
        for (int i = 0; i < 5_000; i++)
        {
            final Entry e = new Entry(key(r), r.nextLong());
            digest.add(e);
            records.add(e);
        }
        assertEquals(5_000, digest.size());
        assertArrayEquals(specified(records, 16), digest.root(sha), "5,000 records");
        for (int round = 0; round < 30; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                final Entry e = records.get(r.nextInt(records.size()));
                e.value++;
                digest.markDirty(e);
            }
            digest.remove(records.remove(r.nextInt(records.size())));
            if (round % 3 == 0)
            {
                final Entry added = new Entry(key(r), round);
                digest.add(added);
                records.add(added);
            }
            assertArrayEquals(rebuilt(records, 16), digest.root(sha), "round " + round);
        }
        assertArrayEquals(specified(records, 16), digest.root(sha), "after the changes");
        assertEquals(records.size(), digest.size());
        // Emptied buckets hash to zeros again.
        while (!records.isEmpty())
        {
            digest.remove(records.remove(records.size() - 1));
        }
        assertArrayEquals(specified(records, 16), digest.root(sha), "emptied");
    }

    @Test
    void shouldRefuseDuplicatesStrangersAndBucketCountsNotAPowerOfTwo()
    {
        final RecordDigest digest = new RecordDigest(TAG, 4);
        digest.add(new Entry(new byte[] {1}, 1));
        assertThrows(IllegalStateException.class, () -> digest.add(new Entry(new byte[] {1}, 2)));
        final Entry stranger = new Entry(new byte[] {1}, 1);
        new RecordDigest(TAG, 4).add(stranger);
        assertThrows(IllegalStateException.class, () -> digest.remove(stranger));
        assertThrows(IllegalArgumentException.class, () -> new RecordDigest(TAG, 3));
        assertThrows(IllegalArgumentException.class, () -> new RecordDigest(TAG, 0));
    }

    @Test
    void shouldGiveAuditsTheLastRootOnlyWhileItIsUpToDate()
    {
        // DposState's candidatesRoot() and the like read lastRoot(): a root that records changed since is refused,
        // not passed off as the state's.
        final RecordDigest digest = new RecordDigest(TAG, 4);
        final Entry entry = new Entry(new byte[] {1}, 1);
        digest.add(entry);
        assertThrows(IllegalStateException.class, digest::lastRoot);
        final byte[] root = digest.root(new Sha256()).clone();
        assertArrayEquals(root, digest.lastRoot());
        digest.markDirty(entry);
        assertThrows(IllegalStateException.class, digest::lastRoot);
    }
}
