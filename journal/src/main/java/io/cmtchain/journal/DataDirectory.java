package io.cmtchain.journal;

import io.cmtchain.engine.util.IoErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The layout of a node's data directory, shared by the node, recovery and the operator tools:
 * <pre>
 *   DIR/genesis.json          the node's genesis, copied in when a node first runs on the directory
 *   DIR/journal/              the Chronicle Queue of blocks (cycle files *.cq4, metadata.cq4t)
 *   DIR/index/heights.idx     block height -&gt; queue index (memory-mapped, derived from the journal)
 *   DIR/index/txhash.log      transaction hash prefix -&gt; (height, index in block), a log read into memory
 *                             at open (derived)
 *   DIR/snapshots/            snapshot-HEIGHT.snap, whole state every N blocks
 *   DIR/lock                  held (OS file lock) by the one process that writes the directory
 *   DIR/salvage-incomplete    only while cmt salvage writes DIR, or after it stopped there unfinished: the journal
 *                             refuses to open then
 * </pre>
 */
public final class DataDirectory
{
    public static final String GENESIS_FILE = "genesis.json";
    public static final String JOURNAL_DIR = "journal";
    public static final String INDEX_DIR = "index";
    public static final String SNAPSHOTS_DIR = "snapshots";
    public static final String HEIGHT_INDEX_FILE = "heights.idx";
    public static final String TX_INDEX_FILE = "txhash.log";
    public static final String LOCK_FILE = "lock";
    public static final String SALVAGE_MARKER_FILE = "salvage-incomplete";

    private final Path root;

    /**
     * @param root of the data directory; need not exist yet.
     */
    public DataDirectory(final Path root)
    {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root()
    {
        return root;
    }

    public Path genesisFile()
    {
        return root.resolve(GENESIS_FILE);
    }

    public Path journalDir()
    {
        return root.resolve(JOURNAL_DIR);
    }

    public Path indexDir()
    {
        return root.resolve(INDEX_DIR);
    }

    public Path heightIndexFile()
    {
        return indexDir().resolve(HEIGHT_INDEX_FILE);
    }

    public Path txIndexFile()
    {
        return indexDir().resolve(TX_INDEX_FILE);
    }

    public Path snapshotsDir()
    {
        return root.resolve(SNAPSHOTS_DIR);
    }

    public Path lockFile()
    {
        return root.resolve(LOCK_FILE);
    }

    /** @return the file that marks a directory {@link JournalSalvage} is writing, or did not finish. */
    public Path salvageMarkerFile()
    {
        return root.resolve(SALVAGE_MARKER_FILE);
    }

    /**
     * Create the directory and its sub-directories where missing.
     *
     * @return this.
     */
    public DataDirectory create()
    {
        try
        {
            Files.createDirectories(journalDir());
            Files.createDirectories(indexDir());
            Files.createDirectories(snapshotsDir());
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException((Files.isDirectory(root) ? "cannot create the data directory's parts in " :
                "cannot create data directory ") + root + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Refuse a data directory the node could not write in, before it spends a recovery on it: the directory itself
     * (the counters file, the genesis), its journal (a new queue file each hour), its indexes and its snapshots must
     * each be a directory in which a file can be created. A probe file is created and deleted in each, so that a
     * read-only file system or an immutable directory is found also where permission bits do not apply (root).
     *
     * @return this.
     * @throws UncheckedIOException  naming the first directory in which no file can be created and why.
     * @throws IllegalStateException naming the first that is not a directory.
     */
    public DataDirectory requireWritable()
    {
        requireWritable(root, "data directory");
        requireWritable(journalDir(), "journal directory");
        requireWritable(indexDir(), "index directory");
        requireWritable(snapshotsDir(), "snapshot directory");
        return this;
    }

    private static void requireWritable(final Path dir, final String what)
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalStateException("not starting: the " + what + " " + dir + " is not writable: " +
                (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        try
        {
            Files.delete(Files.createTempFile(dir, ".cmt-write-probe-", ".tmp"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("not starting: the " + what + " " + dir + " is not writable: " +
                IoErrors.reason(ex), ex);
        }
    }

    /** @return true when the directory holds a genesis copy. */
    public boolean hasGenesis()
    {
        return Files.isRegularFile(genesisFile());
    }

    /**
     * @return the stored genesis JSON.
     * @throws UncheckedIOException naming the file when it cannot be read.
     */
    public String readGenesis()
    {
        try
        {
            return Files.readString(genesisFile(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + genesisFile() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Store the node's genesis: written once (temp file, fsync, rename); a directory that already holds a different
     * genesis belongs to another chain and is refused.
     *
     * @param json genesis document.
     * @throws IllegalStateException when a different genesis is already stored.
     */
    public void writeGenesis(final String json)
    {
        create();
        if (hasGenesis())
        {
            refuseAnotherGenesis(json);
            return;
        }
        writeAtomically(genesisFile(), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What {@link #writeGenesis(String)} refuses, without storing anything: for a node that checks the genesis before
     * it opens the journal, and stores it only once nothing else can refuse its start.
     *
     * @param json genesis document.
     * @throws IllegalStateException when a different genesis is already stored.
     */
    public void refuseAnotherGenesis(final String json)
    {
        if (hasGenesis() && !readGenesis().equals(json))
        {
            throw new IllegalStateException("data directory " + root + " already holds a different genesis (" +
                genesisFile() + ", compared byte for byte): a data directory holds one chain; start without a " +
                "genesis to continue the stored one, or give another data directory for another chain");
        }
    }

    /**
     * Take the directory's write lock, so that two processes never write the same journal and indexes.
     *
     * @return the lock; closing its channel releases it.
     * @throws IllegalStateException when another process holds it.
     */
    public FileLock lock()
    {
        create();
        return tryLock(false);
    }

    /**
     * Take the directory's lock shared, for a process that only reads the directory ({@link JournalSalvage}): it
     * excludes the writer's lock ({@link #lock()}), held by a running node, both ways, but not another reader's.
     * Nothing is created or written: the lock file is opened to read, and a directory without one is left so (no
     * process has the directory open to write, as one creates the file to lock it).
     *
     * @return the lock, or null when the directory has no lock file; closing its channel releases it.
     * @throws IllegalStateException naming the directory when a process holds it to write.
     */
    public FileLock lockShared()
    {
        return Files.exists(lockFile()) ? tryLock(true) : null;
    }

    /**
     * @param shared true for a reader's lock (the lock file opened to read, never created), false for the writer's
     *               (the file created where missing).
     * @return the lock; closing its channel releases it.
     * @throws IllegalStateException naming the directory when another process, or this one, holds a lock that
     *                               excludes it.
     */
    private FileLock tryLock(final boolean shared)
    {
        FileChannel channel = null;
        try
        {
            channel = shared ? FileChannel.open(lockFile(), StandardOpenOption.READ) :
                FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null)
            {
                channel.close();
                throw new IllegalStateException("data directory " + root + " is in use by another process");
            }
            return lock;
        }
        catch (final OverlappingFileLockException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("data directory " + root + " is already open in this process", ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + lockFile() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Write a file so that a crash leaves either the old file or the whole new one: temp file, fsync, rename, fsync of
     * the directory.
     *
     * @param file  to write.
     * @param bytes its content.
     */
    static void writeAtomically(final Path file, final byte[] bytes)
    {
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Force every regular file directly in {@code dir} to the device, then the directory itself: the journal's cycle
     * files and queue metadata at a clean close, so that a clean stop survives a power cut in either durability level.
     * A file the kernel holds no dirty page of costs one open and one {@code fsync} that writes nothing.
     *
     * @param dir to force.
     * @throws IOException naming the file that could not be forced.
     */
    static void forceFiles(final Path dir) throws IOException
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile))
        {
            for (final Path file : files)
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
                {
                    channel.force(true);
                }
                catch (final IOException ex)
                {
                    throw new IOException("cannot force " + file + " to the device: " + ex, ex);
                }
            }
        }
        forceDirectory(dir);
    }

    /**
     * Make a rename in a directory durable (Linux and macOS allow fsync of a directory; elsewhere it is skipped).
     *
     * @param dir to force.
     */
    public static void forceDirectory(final Path dir)
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Windows cannot open a directory as a channel; its renames are journaled by NTFS.
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Already failing with a clearer error.
            }
        }
    }

    @Override
    public String toString()
    {
        return root.toString();
    }
}
