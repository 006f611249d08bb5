package io.cmtchain.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The journal's two lookups, both memory-mapped files derived from the journal and rebuilt from it when they cannot
 * be trusted:
 * <ul>
 * <li>{@code heights.idx}: block height to the Chronicle index of its entry, a long per height.</li>
 * <li>{@code txhash.idx}: an open-addressing table (linear probing, seeded mix) of 16-byte slots
 * {@code (first 8 bytes of the tx hash, TxLocation)}. Only a prefix is kept, so a hit is confirmed against the
 * journal's copy of the full hash.</li>
 * </ul>
 * <pre>
 *  heights.idx                                    txhash.idx
 *  +-------------------------------+              +-------------------------------+
 *  | magic 'CMTHIDX1'              |  0           | magic 'CMTTIDX1'              |  0
 *  | clean (1) / dirty (0)         |  8           | capacity (slots, power of 2)  |  8
 *  | last indexed height           | 16           | size (used slots)             | 16
 *  | reserved                     ...24..64       | seed of the slot mix          | 24
 *  +-------------------------------+              | reserved                     ...32..64
 *  | queue index of height 1       | 64           +-------------------------------+
 *  | queue index of height 2       | 72           | slot 0: hash prefix | location| 64
 *  | ...                           |              | ...                           |
 * </pre>
 * Crash safety: the index is marked dirty (and that mark forced to disk) when the journal opens and marked clean
 * only after both files were forced at close. A dirty index at open means the process or the machine died; the
 * index is then rebuilt from the journal, which costs one read of every entry.
 */
final class JournalIndex implements AutoCloseable
{
    static final long MISSING = 0;

    private static final int HEADER_LENGTH = 64;
    private static final long HEIGHTS_MAGIC = 0x3158444948544D43L; // "CMTHIDX1" little-endian
    private static final long TX_MAGIC = 0x3158444954544D43L; // "CMTTIDX1" little-endian
    private static final int CLEAN_OFFSET = 8;
    private static final int LAST_HEIGHT_OFFSET = 16;
    private static final int CAPACITY_OFFSET = 8;
    private static final int SIZE_OFFSET = 16;
    private static final int SEED_OFFSET = 24;
    private static final int SLOT_LENGTH = 16;
    private static final long HEIGHTS_GROWTH = 1L << 20;

    private final Path heightsFile;
    private final Path txFile;
    private final int initialTxCapacity;
    private MappedRegion heights;
    private MappedRegion tx;
    private long txCapacity;
    private long txMask;
    private long txSize;
    private long txSeed;
    private long lastHeight;
    private boolean wasClean;

    /**
     * @param heightsFile       height index file.
     * @param txFile            transaction table file.
     * @param initialTxCapacity slots of a new table; a power of two.
     */
    JournalIndex(final Path heightsFile, final Path txFile, final int initialTxCapacity)
    {
        this.heightsFile = heightsFile;
        this.txFile = txFile;
        this.initialTxCapacity = initialTxCapacity;
        heights = new MappedRegion(heightsFile, HEADER_LENGTH + 8 * HEIGHTS_GROWTH);
        tx = new MappedRegion(txFile, HEADER_LENGTH + (long)SLOT_LENGTH * initialTxCapacity);

        final boolean heightsValid = heights.getLong(0) == HEIGHTS_MAGIC;
        final boolean txValid = tx.getLong(0) == TX_MAGIC &&
            Long.bitCount(tx.getLong(CAPACITY_OFFSET)) == 1 &&
            tx.length() >= HEADER_LENGTH + SLOT_LENGTH * tx.getLong(CAPACITY_OFFSET);
        wasClean = heightsValid && txValid && heights.getLong(CLEAN_OFFSET) == 1;
        if (wasClean)
        {
            lastHeight = heights.getLong(LAST_HEIGHT_OFFSET);
            txCapacity = tx.getLong(CAPACITY_OFFSET);
            txMask = txCapacity - 1;
            txSize = tx.getLong(SIZE_OFFSET);
            txSeed = tx.getLong(SEED_OFFSET);
        }
        else
        {
            clear();
        }
        // Dirty from now until a clean close: a crash at any point after this leaves a mark that forces a rebuild.
        heights.putLong(0, HEIGHTS_MAGIC);
        heights.putLong(CLEAN_OFFSET, 0);
        heights.force();
    }

    /** @return true when the files were closed cleanly last time and can be trusted up to {@link #lastHeight()}. */
    boolean wasClean()
    {
        return wasClean;
    }

    /** Forget everything, for a rebuild: both files are deleted and made again, so they stay sparse. */
    void clear()
    {
        heights.close();
        tx.close();
        try
        {
            Files.deleteIfExists(heightsFile);
            Files.deleteIfExists(txFile);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot reset " + txFile + ": " + ex.getMessage(), ex);
        }
        heights = new MappedRegion(heightsFile, HEADER_LENGTH + 8 * HEIGHTS_GROWTH);
        heights.putLong(0, HEIGHTS_MAGIC);
        lastHeight = 0;
        tx = newTable(txFile, initialTxCapacity);
        wasClean = false;
    }

    long lastHeight()
    {
        return lastHeight;
    }

    /**
     * @param height of a block.
     * @return the queue index of its entry, or {@link #MISSING}.
     */
    long queueIndex(final long height)
    {
        if (height < 1 || height > lastHeight)
        {
            return MISSING;
        }
        return heights.getLong(heightOffset(height));
    }

    /**
     * Record a block; heights must come in order (a height at or below the last one replaces it and forgets
     * those above, as after a torn entry was cut off).
     *
     * @param height     of the block.
     * @param queueIndex of its entry.
     */
    void putBlock(final long height, final long queueIndex)
    {
        final long offset = heightOffset(height);
        if (offset + 8 > heights.length())
        {
            heights.ensureLength(offset + 8 * HEIGHTS_GROWTH);
        }
        heights.putLong(offset, queueIndex);
        lastHeight = height;
        heights.putLongRelease(LAST_HEIGHT_OFFSET, height);
    }

    /**
     * Add a transaction; allocation-free except when the table grows.
     *
     * @param hash       holding the 32-byte hash.
     * @param hashOffset of the hash.
     * @param location   {@link TxLocation}.
     */
    void putTransaction(final byte[] hash, final int hashOffset, final long location)
    {
        if ((txSize + 1) * 10 > txCapacity * 7)
        {
            grow();
        }
        insert(tx, txMask, prefix(hash, hashOffset), location);
        txSize++;
        tx.putLong(SIZE_OFFSET, txSize);
    }

    /**
     * @param prefix     the hash's first 8 bytes, as from {@link #prefix(byte[], int)}.
     * @param startProbe 0 for the first candidate, then the value returned before plus one.
     * @return the probe position of the next slot holding {@code prefix}, or -1 when there is none.
     */
    long nextCandidate(final long prefix, final long startProbe)
    {
        for (long probe = startProbe; probe <= txMask; probe++)
        {
            final long slot = (mix(prefix ^ txSeed) + probe) & txMask;
            final long key = tx.getLong(slotOffset(slot));
            if (key == 0)
            {
                return -1;
            }
            if (key == prefix)
            {
                return probe;
            }
        }
        return -1;
    }

    /**
     * @param prefix of the hash.
     * @param probe  as returned by {@link #nextCandidate(long, long)}.
     * @return the location stored at that probe.
     */
    long candidateLocation(final long prefix, final long probe)
    {
        final long slot = (mix(prefix ^ txSeed) + probe) & txMask;
        return tx.getLong(slotOffset(slot) + 8);
    }

    /**
     * @param hash   holding a 32-byte hash.
     * @param offset of it.
     * @return its key in the table: the first 8 bytes, never 0 (0 marks an empty slot).
     */
    static long prefix(final byte[] hash, final int offset)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = v << 8 | (hash[offset + i] & 0xFF);
        }
        return v == 0 ? 1 : v;
    }

    long transactionCount()
    {
        return txSize;
    }

    /** Force both files and mark the index clean; the last step of a clean close. */
    void markClean()
    {
        tx.force();
        heights.force();
        heights.putLong(CLEAN_OFFSET, 1);
        heights.force();
    }

    @Override
    public void close()
    {
        tx.close();
        heights.close();
    }

    private void grow()
    {
        final long newCapacity = txCapacity * 2;
        final Path temp = txFile.resolveSibling(txFile.getFileName() + ".grow");
        try
        {
            Files.deleteIfExists(temp);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot grow " + txFile + ": " + ex.getMessage(), ex);
        }
        final MappedRegion bigger = new MappedRegion(temp, HEADER_LENGTH + SLOT_LENGTH * newCapacity);
        final long seed = ThreadLocalRandom.current().nextLong();
        bigger.putLong(0, TX_MAGIC);
        bigger.putLong(CAPACITY_OFFSET, newCapacity);
        bigger.putLong(SIZE_OFFSET, txSize);
        bigger.putLong(SEED_OFFSET, seed);
        final long oldSeed = txSeed;
        txSeed = seed;
        for (long slot = 0; slot < txCapacity; slot++)
        {
            final long key = tx.getLong(slotOffset(slot));
            if (key != 0)
            {
                insert(bigger, newCapacity - 1, key, tx.getLong(slotOffset(slot) + 8));
            }
        }
        tx.close();
        bigger.close();
        try
        {
            Files.move(temp, txFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            txSeed = oldSeed;
            throw new UncheckedIOException("cannot grow " + txFile + ": " + ex.getMessage(), ex);
        }
        tx = new MappedRegion(txFile, HEADER_LENGTH + SLOT_LENGTH * newCapacity);
        txCapacity = newCapacity;
        txMask = newCapacity - 1;
    }

    private void insert(final MappedRegion table, final long mask, final long prefix, final long location)
    {
        long slot = mix(prefix ^ txSeed) & mask;
        while (table.getLong(slotOffset(slot)) != 0)
        {
            slot = (slot + 1) & mask;
        }
        table.putLong(slotOffset(slot) + 8, location);
        table.putLong(slotOffset(slot), prefix);
    }

    private MappedRegion newTable(final Path file, final long capacity)
    {
        final MappedRegion table = new MappedRegion(file, HEADER_LENGTH + SLOT_LENGTH * capacity);
        txSeed = ThreadLocalRandom.current().nextLong();
        table.putLong(0, TX_MAGIC);
        table.putLong(CAPACITY_OFFSET, capacity);
        table.putLong(SIZE_OFFSET, 0);
        table.putLong(SEED_OFFSET, txSeed);
        txCapacity = capacity;
        txMask = capacity - 1;
        txSize = 0;
        return table;
    }

    private static long heightOffset(final long height)
    {
        return HEADER_LENGTH + 8 * (height - 1);
    }

    private static long slotOffset(final long slot)
    {
        return HEADER_LENGTH + SLOT_LENGTH * slot;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: every input bit moves every slot bit. */
    private static long mix(final long v)
    {
        long z = v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString()
    {
        return "JournalIndex{" + heightsFile + ", " + txFile + ", lastHeight=" + lastHeight + ", tx=" + txSize + "}";
    }
}
