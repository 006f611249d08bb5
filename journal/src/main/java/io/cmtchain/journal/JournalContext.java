package io.cmtchain.journal;

import io.cmtchain.engine.util.SystemProperties;

import java.nio.file.Path;

/**
 * Configuration of the journal and its snapshots. Fields start from system properties (defaults below), fluent
 * setters override them, {@link #conclude()} checks them once.
 */
public final class JournalContext
{
    /** Data directory: {@code cmt.data.dir}, no default. */
    public static final String DATA_DIR_PROP = "cmt.data.dir";
    /** {@code PROCESS} or {@code POWER}: {@code cmt.journal.durability}, default PROCESS. */
    public static final String DURABILITY_PROP = "cmt.journal.durability";
    /** Size of the queue's mapped chunks; the largest block entry is a quarter of it: default 256 MiB. */
    public static final String BLOCK_SIZE_PROP = "cmt.journal.blockSizeBytes";
    /**
     * Initial slots of the in-memory transaction index (power of two; it doubles at 70% full; 16 bytes of heap per
     * slot, so 23 to 46 bytes per indexed transaction): default 2^20.
     */
    public static final String TX_INDEX_CAPACITY_PROP = "cmt.journal.txIndexCapacity";
    /** A snapshot every this many blocks, 0 for none: default 10,000. The node's setting of the same name. */
    public static final String SNAPSHOT_INTERVAL_PROP = "cmt.snapshot.interval.blocks";
    /** Snapshots kept: default 2. */
    public static final String SNAPSHOTS_KEPT_PROP = "cmt.snapshot.kept";
    /**
     * Free space the journal's file system must keep beyond each block, or the block is not appended and the node
     * stops (a write into the mapped file past the disk's end would be lost without an error): default 64 MiB.
     */
    public static final String MIN_FREE_BYTES_PROP = "cmt.journal.minFreeBytes";
    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;

    public static final long DEFAULT_BLOCK_SIZE_BYTES = 256L << 20;
    public static final int DEFAULT_TX_INDEX_CAPACITY = 1 << 20;
    public static final long DEFAULT_SNAPSHOT_INTERVAL_BLOCKS = 10_000;
    public static final int DEFAULT_SNAPSHOTS_KEPT = 2;

    private DataDirectory dataDirectory;
    private Durability durability;
    private long blockSizeBytes;
    private int txIndexCapacity;
    private long snapshotIntervalBlocks;
    private int snapshotsKept;
    private long minFreeBytes;
    private boolean concluded;

    public JournalContext()
    {
        final String dir = System.getProperty(DATA_DIR_PROP);
        dataDirectory = dir == null ? null : new DataDirectory(Path.of(dir));
        durability = SystemProperties.enumValue(DURABILITY_PROP, Durability.class, Durability.PROCESS);
        blockSizeBytes = SystemProperties.longValue(BLOCK_SIZE_PROP, DEFAULT_BLOCK_SIZE_BYTES);
        txIndexCapacity = SystemProperties.intValue(TX_INDEX_CAPACITY_PROP, DEFAULT_TX_INDEX_CAPACITY);
        snapshotIntervalBlocks = SystemProperties.longValue(SNAPSHOT_INTERVAL_PROP, DEFAULT_SNAPSHOT_INTERVAL_BLOCKS);
        snapshotsKept = SystemProperties.intValue(SNAPSHOTS_KEPT_PROP, DEFAULT_SNAPSHOTS_KEPT);
        minFreeBytes = SystemProperties.longValue(MIN_FREE_BYTES_PROP, DEFAULT_MIN_FREE_BYTES);
    }

    /**
     * Check the settings once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public JournalContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (dataDirectory == null)
        {
            throw new IllegalArgumentException("no data directory (" + DATA_DIR_PROP + ")");
        }
        if (blockSizeBytes < 1 << 20 || blockSizeBytes > 1L << 34)
        {
            throw new IllegalArgumentException(BLOCK_SIZE_PROP + " must be in 1 MiB..16 GiB, was " + blockSizeBytes);
        }
        if (txIndexCapacity < 16 || Integer.bitCount(txIndexCapacity) != 1)
        {
            throw new IllegalArgumentException(TX_INDEX_CAPACITY_PROP + " must be a power of two >= 16, was " +
                txIndexCapacity);
        }
        if (snapshotIntervalBlocks < 0)
        {
            throw new IllegalArgumentException(SNAPSHOT_INTERVAL_PROP + " must be >= 0, was " + snapshotIntervalBlocks);
        }
        if (snapshotsKept < 1)
        {
            throw new IllegalArgumentException(SNAPSHOTS_KEPT_PROP + " must be >= 1, was " + snapshotsKept);
        }
        if (minFreeBytes < 0)
        {
            throw new IllegalArgumentException(MIN_FREE_BYTES_PROP + " must be >= 0, was " + minFreeBytes);
        }
        concluded = true;
        return this;
    }

    public DataDirectory dataDirectory()
    {
        return dataDirectory;
    }

    public JournalContext dataDirectory(final DataDirectory dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    public JournalContext dataDirectory(final Path dir)
    {
        this.dataDirectory = new DataDirectory(dir);
        return this;
    }

    public Durability durability()
    {
        return durability;
    }

    public JournalContext durability(final Durability durability)
    {
        this.durability = durability;
        return this;
    }

    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    public JournalContext minFreeBytes(final long minFreeBytes)
    {
        this.minFreeBytes = minFreeBytes;
        return this;
    }

    public long blockSizeBytes()
    {
        return blockSizeBytes;
    }

    public JournalContext blockSizeBytes(final long blockSizeBytes)
    {
        this.blockSizeBytes = blockSizeBytes;
        return this;
    }

    public int txIndexCapacity()
    {
        return txIndexCapacity;
    }

    public JournalContext txIndexCapacity(final int txIndexCapacity)
    {
        this.txIndexCapacity = txIndexCapacity;
        return this;
    }

    public long snapshotIntervalBlocks()
    {
        return snapshotIntervalBlocks;
    }

    public JournalContext snapshotIntervalBlocks(final long snapshotIntervalBlocks)
    {
        this.snapshotIntervalBlocks = snapshotIntervalBlocks;
        return this;
    }

    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    public JournalContext snapshotsKept(final int snapshotsKept)
    {
        this.snapshotsKept = snapshotsKept;
        return this;
    }
}
