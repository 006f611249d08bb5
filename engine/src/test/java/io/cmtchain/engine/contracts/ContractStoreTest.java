package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The incrementally maintained root equals the root of a store built afresh with the same records, and both equal
 * the commitment of docs/contracts.md computed here from scratch, level by level.
 */
class ContractStoreTest
{
    private static byte[] address(final Random r)
    {
        final byte[] a = new byte[20];
        r.nextBytes(a);
        return a;
    }

    private static byte[] rebuilt(final List<Holding> records)
    {
        final ContractStore fresh = new ContractStore();
        for (final Holding h : records)
        {
            final Holding copy = new Holding(h.key);
            copy.balance = h.balance;
            copy.frozen = h.frozen;
            fresh.add(copy);
        }
        return fresh.root(new Sha256()).clone();
    }

    @Test
    void shouldMatchAFreshRootAfterIncrementalChanges()
    {
        final Random r = new Random(7);
        final ContractStore store = new ContractStore();
        final Sha256 sha = new Sha256();
        final List<Holding> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            final Holding h = new Holding(Keys.holding(r.nextInt(5), address(r)));
            h.balance = r.nextInt(1_000_000);
            store.add(h);
            records.add(h);
        }
        final byte[] first = store.root(sha).clone();
        assertArrayEquals(rebuilt(records), first);
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                final Holding h = records.get(r.nextInt(records.size()));
                h.balance++;
                h.frozen = !h.frozen;
                store.markDirty(h);
            }
            final Holding gone = records.remove(r.nextInt(records.size()));
            store.remove(gone);
            final Holding added = new Holding(Keys.holding(9, address(r)));
            added.balance = round;
            store.add(added);
            records.add(added);
            assertArrayEquals(rebuilt(records), store.root(sha), "round " + round);
        }
        assertFalse(java.util.Arrays.equals(first, store.root(sha)));
    }

    /**
     * The documented commitment, from scratch: bucket = FNV-1a(key) folded to 16 bits; bucketHash over the count and
     * the record hashes in unsigned key order; four levels of SHA-256(0x01 || 16 children) with all-zero children
     * giving zero; the root over the tag and the 16 top nodes.
     */
    private static byte[] specified(final List<Holding> records)
    {
        final Sha256 sha = new Sha256();
        final List<List<Holding>> byBucket = new ArrayList<>();
        for (int b = 0; b < 65536; b++)
        {
            byBucket.add(new ArrayList<>());
        }
        for (final Holding h : records)
        {
            int x = 0x811C9DC5;
            for (final byte k : h.key)
            {
                x = (x ^ (k & 0xFF)) * 0x01000193;
            }
            byBucket.get((x ^ (x >>> 16)) & 0xFFFF).add(h);
        }
        byte[] level = new byte[65536 * 32];
        for (int b = 0; b < 65536; b++)
        {
            final List<Holding> bucket = byBucket.get(b);
            if (bucket.isEmpty())
            {
                continue;
            }
            bucket.sort((p, q) -> Arrays.compareUnsigned(p.key, q.key));
            final int n = bucket.size();
            sha.update(new byte[] {(byte)n, (byte)(n >>> 8), (byte)(n >>> 16), (byte)(n >>> 24)});
            for (final Holding h : bucket)
            {
                final Sha256 record = new Sha256();
                record.update("CMTCHAIN/CONTRACT-RECORD/V1".getBytes(StandardCharsets.US_ASCII)).update(h.key);
                h.encode(record);
                sha.update(record.digest());
            }
            sha.digest(level, b * 32);
        }
        for (int nodes = 4096; nodes >= 16; nodes /= 16)
        {
            final byte[] up = new byte[nodes * 32];
            for (int i = 0; i < nodes; i++)
            {
                final byte[] children = Arrays.copyOfRange(level, i * 512, i * 512 + 512);
                if (!Arrays.equals(children, new byte[512]))
                {
                    sha.update((byte)0x01).update(children);
                    sha.digest(up, i * 32);
                }
            }
            level = up;
        }
        sha.update("CMTCHAIN/CONTRACT-RECORDS/V2".getBytes(StandardCharsets.US_ASCII)).update(level);
        return sha.digest();
    }

    @Test
    void shouldMatchTheDocumentedCommitment()
    {
        final Random r = new Random(11);
        final List<Holding> records = new ArrayList<>();
        final ContractStore store = new ContractStore();
        final Sha256 sha = new Sha256();
        assertArrayEquals(specified(records), store.root(sha), "empty store");
        for (int i = 0; i < 5000; i++)
        {
            final Holding h = new Holding(Keys.holding(r.nextInt(3), address(r)));
            h.balance = r.nextInt(1_000_000);
            store.add(h);
            records.add(h);
        }
        assertArrayEquals(specified(records), store.root(sha), "5,000 records");
        for (int i = 0; i < 4000; i++)
        {
            store.remove(records.remove(records.size() - 1));
        }
        final Holding changed = records.get(0);
        changed.balance = -1;
        store.markDirty(changed);
        assertArrayEquals(specified(records), store.root(sha), "after removals and a change");
        assertTrue(store.size() == records.size());
    }
}
