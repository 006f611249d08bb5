package io.cmtchain.engine.state;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The accounts' commitment against an independent, unoptimised computation of the tree its javadoc states, at every
 * depth (1 to 4, and 5 and 6 in the slow build for their memory), through incremental blocks, with the address orders
 * that the bucket chains must get right (addresses sharing their first 8 or 16 bytes, sign bits set in every word),
 * buckets fuller than the hashing scratch, and more dirty buckets than the dirty list first holds. Comparing two runs
 * of {@link StateCommitment} with each other cannot find a rule both get wrong; this test compares it with the rule.
 */
class StateCommitmentTest
{
    private static final class Record
    {
        final byte[] address;
        long balance;
        long nonce;

        Record(final byte[] address)
        {
            this.address = address;
        }
    }

    /** The stated tree, computed from the records alone. */
    private static byte[] referenceRoot(final List<Record> records, final int depth)
    {
        return AccountsTreeReference.root(records, r -> r.address, r -> r.balance, r -> r.nonce, depth);
    }

    /**
     * Random addresses, and families that share a prefix of 4, 8 or 16 bytes with their first member (so the bucket
     * chains must order by the second and third words too), with bytes 0, 8 and 16 often above 0x7F (the words'
     * sign bits, which an unsigned order puts last).
     */
    private static List<Record> records(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Record> out = new ArrayList<>();
        while (out.size() < n)
        {
            final byte[] base = new byte[20];
            for (int j = 0; j < 20; j++)
            {
                base[j] = (byte)random.nextInt();
            }
            out.add(new Record(base));
            final int family = random.nextInt(4);
            for (final int prefix : new int[]{4, 8, 16})
            {
                for (int k = 0; k < family && out.size() < n; k++)
                {
                    final byte[] a = base.clone();
                    for (int j = prefix; j < 20; j++)
                    {
                        a[j] = (byte)random.nextInt();
                    }
                    out.add(new Record(a));
                }
            }
        }
        for (final Record r : out)
        {
            r.balance = random.nextLong();
            r.nonce = random.nextLong();
        }
        return out;
    }

    private static void write(final ChainState state, final Record r)
    {
        final int slot = state.accounts().findOrCreate(new UnsafeBuffer(r.address), 0);
        state.accounts().balance(slot, r.balance);
        state.accounts().nonce(slot, r.nonce);
    }

    private static byte[] accountsRoot(final ChainState state)
    {
        final byte[] root = new byte[32];
        state.commitment().root(root, 0);
        return root;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldMatchTheStatedTreeAtEveryDepthThroughIncrementalBlocks(final int depth) throws Exception
    {
        matchTheStatedTreeThroughIncrementalBlocks(depth);
    }

    /**
     * Depth 5 (a million buckets, the default) and 6, the deepest allowed (16.7 million buckets, 537 MB of bucket
     * digests, the largest array the commitment keeps): the bucket index's shifts, the dirty bit set and the level
     * arrays at their largest. Tagged for the memory, not the time.
     */
    @Tag("slow")
    @ParameterizedTest
    @ValueSource(ints = {5, 6})
    void shouldMatchTheStatedTreeAtTheLargestDepths(final int depth) throws Exception
    {
        matchTheStatedTreeThroughIncrementalBlocks(depth);
    }

    private static void matchTheStatedTreeThroughIncrementalBlocks(final int depth) throws Exception
    {
        final List<Record> all = records(3_000, depth);
        final List<Record> present = new ArrayList<>();
        final ChainState state = new ChainState(1, depth, 16, new FeeSchedule(0), 7);
        final SplittableRandom random = new SplittableRandom(100 + depth);
        final List<Record> order = new ArrayList<>(all);
        Collections.shuffle(order, new Random(depth));
        int next = 0;
        for (int block = 0; block < 6; block++)
        {
            // New accounts in shuffled order, and changes to accounts already there.
            for (int i = 0; i < 500; i++)
            {
                final Record r = order.get(next++);
                write(state, r);
                present.add(r);
            }
            for (int i = 0; i < 200; i++)
            {
                final Record r = present.get(random.nextInt(present.size()));
                r.balance = random.nextLong();
                write(state, r);
            }
            state.endBlock();
            assertArrayEquals(referenceRoot(present, depth), accountsRoot(state), "depth " + depth + " block " + block);
        }
    }

    @Test
    void shouldMatchTheStatedTreeWithFullBuckets() throws Exception
    {
        // Depth 1 (16 buckets): bucket 0 gets exactly 64 accounts (the scratch's first size), bucket 1 gets 200.
        final ChainState state = new ChainState(1, 1, 16, new FeeSchedule(0), 7);
        final List<Record> present = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 264; i++)
        {
            final byte[] a = new byte[20];
            for (int j = 0; j < 20; j++)
            {
                a[j] = (byte)random.nextInt();
            }
            a[0] = (byte)((i < 64 ? 0x00 : 0x10) | (a[0] & 0x0F));
            final Record r = new Record(a);
            r.balance = random.nextLong();
            r.nonce = i;
            write(state, r);
            present.add(r);
        }
        state.endBlock();
        assertArrayEquals(referenceRoot(present, 1), accountsRoot(state));
        assertArrayEquals(referenceRoot(present.subList(0, 64), 1),
            hashOfBuckets(state.commitment(), 0), "bucket 0 alone: its node over one bucket");
    }

    /** The root a depth-1 tree would have if only the given bucket held accounts. */
    private static byte[] hashOfBuckets(final StateCommitment commitment, final int bucket) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte)0x01);
        for (int b = 0; b < 16; b++)
        {
            sha.update(b == bucket ? commitment.bucketDigest(b) : new byte[32]);
        }
        return sha.digest();
    }

    @Test
    void shouldCountAndForgetMoreDirtyBucketsThanTheListFirstHolds() throws Exception
    {
        // Depth 3 has 4096 buckets; the dirty list starts at 1024. Exactly 1024 dirty buckets, then 1500.
        for (final int dirty : new int[]{1024, 1500})
        {
            final ChainState state = new ChainState(1, 3, 16, new FeeSchedule(0), 7);
            final List<Record> present = new ArrayList<>();
            for (int b = 0; b < dirty; b++)
            {
                final byte[] a = new byte[20];
                a[0] = (byte)(b >>> 4);
                a[1] = (byte)(b << 4);
                a[19] = 1;
                final Record r = new Record(a);
                r.balance = b;
                write(state, r);
                present.add(r);
            }
            assertEquals(dirty, state.commitment().beginUpdate());
            state.endBlock();
            assertEquals(0, state.commitment().beginUpdate());
            assertArrayEquals(referenceRoot(present, 3), accountsRoot(state), dirty + " dirty");
            // The next block sees each bucket as clean again: a change to every account is hashed anew.
            for (final Record r : present)
            {
                r.nonce = 9;
                write(state, r);
            }
            assertEquals(dirty, state.commitment().beginUpdate());
            state.endBlock();
            assertArrayEquals(referenceRoot(present, 3), accountsRoot(state), dirty + " dirty, second block");
        }
    }

    @Test
    void shouldCommitANewAccountAndANonceAlone() throws Exception
    {
        final ChainState state = new ChainState(1, 2, 16, new FeeSchedule(0), 7);
        final List<Record> present = new ArrayList<>();
        final Record a = new Record(new byte[20]);
        a.balance = 10;
        write(state, a);
        present.add(a);
        state.endBlock();
        // An account created and never written (balance 0, nonce 0) is a record of the tree.
        final byte[] address = new byte[20];
        Arrays.fill(address, (byte)0x99);
        state.accounts().findOrCreate(new UnsafeBuffer(address), 0);
        present.add(new Record(address));
        state.endBlock();
        assertArrayEquals(referenceRoot(present, 2), accountsRoot(state));
        // A nonce written alone marks its bucket.
        a.nonce = 3;
        state.accounts().nonce(state.accounts().find(new UnsafeBuffer(a.address), 0), 3);
        state.endBlock();
        assertArrayEquals(referenceRoot(present, 2), accountsRoot(state));
    }

    @Test
    void shouldHashAnEmptyBucketMarkedDirtyAsZero() throws Exception
    {
        final ChainState state = new ChainState(1, 2, 16, new FeeSchedule(0), 7);
        final Record a = new Record(new byte[20]);
        a.balance = 10;
        write(state, a);
        state.endBlock();
        final byte[] root = accountsRoot(state);
        state.commitment().markDirty(200);
        assertEquals(1, state.commitment().beginUpdate());
        state.endBlock();
        assertArrayEquals(new byte[32], state.commitment().bucketDigest(200));
        assertArrayEquals(root, accountsRoot(state));
        assertArrayEquals(referenceRoot(List.of(a), 2), root);
    }

    @Test
    void shouldHashOnlyItsOwnPartsDigests() throws Exception
    {
        // Parts are the root's children round-robin; at depth 2 a child is 16 buckets, a quarter of a dirty-bit word,
        // so a part must mask the words it scans. Every bucket is dirty; part 0 of 2 hashes even children only.
        final StateCommitment commitment = new StateCommitment(2);
        final AccountStore accounts = new AccountStore(commitment, 16, 3);
        final List<Record> present = new ArrayList<>();
        for (int b = 0; b < 256; b++)
        {
            final byte[] a = new byte[20];
            a[0] = (byte)b;
            a[5] = 1;
            accounts.balance(accounts.findOrCreate(new UnsafeBuffer(a), 0), b + 1);
            final Record r = new Record(a);
            r.balance = b + 1;
            present.add(r);
        }
        assertEquals(256, commitment.beginUpdate());
        commitment.updatePart(accounts, 0, 2, commitment.newWorker());
        for (int b = 0; b < 256; b++)
        {
            final boolean mine = ((b >>> 4) & 1) == 0;
            assertEquals(mine, !Arrays.equals(new byte[32], commitment.bucketDigest(b)), "bucket " + b);
        }
        commitment.updatePart(accounts, 1, 2, commitment.newWorker());
        commitment.finishUpdate();
        final byte[] root = new byte[32];
        commitment.root(root, 0);
        assertArrayEquals(referenceRoot(present, 2), root);
    }

    @Test
    void shouldRefuseADepthOutsideOneToSix()
    {
        assertThrows(IllegalArgumentException.class, () -> new StateCommitment(0));
        assertThrows(IllegalArgumentException.class, () -> new StateCommitment(7));
        final StateCommitment one = new StateCommitment(1);
        assertEquals(1, one.depth());
        assertEquals(16, one.bucketCount());
        assertEquals(4, one.bucketBits());
    }

    @Test
    void shouldFindEveryAccountAfterGrowingAndMissAbsentOnes()
    {
        final AccountStore accounts = new AccountStore(new StateCommitment(2), 16, 99);
        final List<Record> records = records(5_000, 17);
        for (int i = 0; i < records.size(); i++)
        {
            final int slot = accounts.findOrCreate(new UnsafeBuffer(records.get(i).address), 0);
            assertEquals(i, slot);
            accounts.balance(slot, i);
        }
        assertEquals(records.size(), accounts.size());
        final Set<ByteBuffer> known = new HashSet<>();
        for (final Record r : records)
        {
            known.add(ByteBuffer.wrap(r.address));
        }
        final byte[] address = new byte[20];
        for (int i = 0; i < records.size(); i++)
        {
            final byte[] a = records.get(i).address;
            assertEquals(i, accounts.find(new UnsafeBuffer(a), 0));
            assertEquals(i, accounts.findOrCreate(new UnsafeBuffer(a), 0));
            accounts.address(i, address, 0);
            assertArrayEquals(a, address);
            assertEquals(i, accounts.balance(i));
            // The same address with its last byte changed is absent.
            final byte[] other = a.clone();
            other[19] ^= 0x55;
            if (!known.contains(ByteBuffer.wrap(other)))
            {
                assertEquals(AccountStore.MISSING, accounts.find(new UnsafeBuffer(other), 0));
            }
        }
        assertEquals(records.size(), accounts.size());
    }

    @Test
    void shouldCountTheSupplyOfAStoreFilledToItsCapacity()
    {
        final ChainState state = new ChainState(1, 1, 1024, new FeeSchedule(0), 7);
        final byte[] a = new byte[20];
        for (int i = 0; i < 1024; i++)
        {
            a[0] = (byte)i;
            a[1] = (byte)(i >>> 8);
            state.accounts().balance(state.accounts().findOrCreate(new UnsafeBuffer(a), 0), 2);
        }
        assertEquals(2048, state.totalSupplyMicroCmt());
        assertEquals(1024, state.accounts().size());
    }
}
