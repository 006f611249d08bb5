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
    private static final int NONE = -1;

    private final long[] dirtyBits;
    private final Worker ownWorker;
    private int[] dirtyBuckets = new int[1024];
    private int dirtyCount;

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
        for (int l = 0; l <= depth; l++)
        {
            levels[l] = new byte[(1 << (4 * l)) * DIGEST];
        }
        dirtyBits = new long[Math.max(1, bucketCount() >>> 6)];
        ownWorker = new Worker();
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
        final int word = bucket >>> 6;
        final long bit = 1L << bucket;
        if ((dirtyBits[word] & bit) == 0)
        {
            dirtyBits[word] |= bit;
            if (dirtyCount == dirtyBuckets.length)
            {
                dirtyBuckets = Arrays.copyOf(dirtyBuckets, dirtyCount * 2);
            }
            dirtyBuckets[dirtyCount++] = bucket;
        }
    }

    /**
     * Re-hash every dirty bucket and its ancestors on this thread.
     *
     * @param accounts whose buckets are hashed.
     */
    public void update(final AccountStore accounts)
    {
        beginUpdate();
        updatePart(accounts, 0, 1, ownWorker);
        finishUpdate();
    }

    /**
     * First step of an update that may be split over threads.
     *
     * @return number of dirty buckets.
     */
    public int beginUpdate()
    {
        return dirtyCount;
    }

    /**
     * Hash the dirty buckets of one part of the tree and their ancestors below the root. Parts are the root's
     * children taken round-robin ({@code child % parts == part}); parts touch disjoint digests, so they may run on
     * different threads, each with its own {@link Worker}, between {@link #beginUpdate()} and
     * {@link #finishUpdate()} (which must happen-after every part).
     * <p>
     * Buckets are visited in index order (a scan of the dirty bit set, no sort), which is a depth-first order of the
     * tree: when the walk leaves a node's range, every dirty descendant of it has been hashed, so the node is hashed
     * at once, while the digests just written below it are still in cache, and each ancestor exactly once.
     * <p>
     * Buckets are taken in batches of {@link Worker#BATCH}: before any of a batch is hashed, its bucket heads, the
     * account rows on its chains and its parents' child digests are loaded in loops whose loads do not depend on
     * each other, so the CPU has many cache misses in flight at once instead of one at a time. Most of a block's
     * commitment time was such misses (rows of the accounts sharing a touched bucket, scattered over the whole
     * store), not hashing.
     *
     * @param accounts whose buckets are hashed.
     * @param part     this part, 0 to parts - 1.
     * @param parts    number of parts, 1 to 16.
     * @param worker   this thread's working memory.
     */
    public void updatePart(final AccountStore accounts, final int part, final int parts, final Worker worker)
    {
        final long[] bits = dirtyBits;
        final int topShift = 4 * (depth - 1);
        Arrays.fill(worker.pending, NONE);
        worker.batchCount = 0;
        for (int child = part; child < FANOUT; child += parts)
        {
            final int lo = child << topShift;
            final int hi = (child + 1) << topShift;
            for (int w = lo >>> 6, lastWord = (hi - 1) >>> 6; w <= lastWord; w++)
            {
                long word = bits[w];
                if (word == 0)
                {
                    continue;
                }
                final int base = w << 6;
                if (base < lo)
                {
                    word &= -1L << (lo - base);
                }
                if (hi - base < 64)
                {
                    word &= (1L << (hi - base)) - 1;
                }
                while (word != 0)
                {
                    worker.add(accounts, base + Long.numberOfTrailingZeros(word));
                    word &= word - 1;
                }
            }
        }
        worker.flush(accounts);
        final int[] pending = worker.pending;
        for (int l = depth - 1; l >= 1; l--)
        {
            if (pending[l] != NONE)
            {
                worker.hashNode(l, pending[l]);
            }
        }
    }

    /** Last step of an update: the root, and forget the dirty set. */
    public void finishUpdate()
    {
        if (dirtyCount > 0)
        {
            ownWorker.hashNode(0, 0);
        }
        for (int i = 0, n = dirtyCount; i < n; i++)
        {
            dirtyBits[dirtyBuckets[i] >>> 6] = 0;
        }
        dirtyCount = 0;
    }

    /** @return working memory for a thread that hashes parts of this tree. */
    public Worker newWorker()
    {
        return new Worker();
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

    /** Working memory of one hashing thread: its digest, record scratch, batch and walk state. */
    public final class Worker
    {
        static final int BATCH = 32;

        private final Sha256 sha = new Sha256();
        private final int[] pending = new int[depth];
        private final int[] batch = new int[BATCH];
        private final int[] cursor = new int[BATCH];
        private int batchCount;
        private long touched;
        private byte[] scratch = new byte[1 + RECORD_LENGTH * 64];

        private Worker()
        {
        }

        void add(final AccountStore accounts, final int bucket)
        {
            batch[batchCount++] = bucket;
            if (batchCount == BATCH)
            {
                flush(accounts);
            }
        }

        void flush(final AccountStore accounts)
        {
            final int n = batchCount;
            if (n == 0)
            {
                return;
            }
            batchCount = 0;
            prefetch(accounts, n);
            final byte[] leaves = levels[depth];
            final int[] pending = this.pending;
            for (int i = 0; i < n; i++)
            {
                final int bucket = batch[i];
                hashBucket(accounts, bucket, leaves, bucket * DIGEST);
                int node = bucket;
                for (int l = depth - 1; l >= 1; l--)
                {
                    node >>>= 4;
                    final int previous = pending[l];
                    if (previous == node)
                    {
                        break;
                    }
                    if (previous != NONE)
                    {
                        hashNode(l, previous);
                    }
                    pending[l] = node;
                }
            }
        }

        /**
         * Load what hashing the batch will read, in loops of independent loads: the values are only summed, but the
         * cache lines stay for the hashing that follows. Chains are walked one link per pass over the whole batch.
         */
        private void prefetch(final AccountStore accounts, final int n)
        {
            final byte[] leaves = levels[depth];
            long sum = 0;
            int lastGroup = -1;
            for (int i = 0; i < n; i++)
            {
                final int bucket = batch[i];
                cursor[i] = accounts.bucketHead(bucket);
                final int group = bucket >>> 4;
                if (group != lastGroup)
                {
                    lastGroup = group;
                    for (int o = group * FANOUT * DIGEST, end = o + FANOUT * DIGEST; o < end; o += 64)
                    {
                        sum += leaves[o];
                    }
                }
            }
            boolean more = true;
            while (more)
            {
                more = false;
                for (int i = 0; i < n; i++)
                {
                    final int slot = cursor[i];
                    if (slot != AccountStore.MISSING)
                    {
                        sum += accounts.key0(slot) + accounts.nonce(slot);
                        final int next = accounts.nextInBucket(slot);
                        cursor[i] = next;
                        more |= next != AccountStore.MISSING;
                    }
                }
            }
            touched += sum;
        }

        void hashBucket(final AccountStore accounts, final int bucket, final byte[] out, final int outOffset)
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

        void hashNode(final int level, final int node)
        {
            StateCommitment.hashNode(sha, levels[level + 1], node * FANOUT * DIGEST, levels[level], node * DIGEST);
        }
    }

    /**
     * The tree's node rule, shared with the contracts digest: SHA-256(0x01 || 16 child digests), or 32 zero bytes when
     * every child is zero.
     *
     * @param sha         scratch digest.
     * @param children    holding the 16 child digests.
     * @param childOffset of the first child.
     * @param out         receives the node's digest.
     * @param outOffset   in {@code out}.
     */
    public static void hashNode(
        final Sha256 sha, final byte[] children, final int childOffset, final byte[] out, final int outOffset)
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

    private static void putLongLe(final byte[] out, final int offset, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            out[offset + i] = (byte)(v >>> (8 * i));
        }
    }
}
