package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Copies the blocks a damaged journal can still read into a new data directory, for a node to go on from when there
 * is no backup ({@code cmt salvage}): blocks 1 to N in height order, each read by a {@link JournalReader} (checksum,
 * height, every transaction's hash against its frame) and checked to chain (its parent hash is the previous header's
 * hash), then appended to a new {@link ChronicleBlockJournal} as the node's journal stage appends it, so that the new
 * journal and its indexes are what the node would have written. The copy stops at the first block that cannot be read
 * or does not chain. The genesis is copied; snapshots are not (a node started on the new directory re-executes its
 * blocks from genesis).
 * <p>
 * The damaged directory is not written, not a byte: Chronicle Queue writes to a queue it opens, if only a tailer
 * (its {@code metadata.cq4t}; a file cut short is grown back with zeros when it is mapped; and the journal retires a
 * torn entry with a repair entry). Its read-only mode writes nothing, but maps a file cut short past its end, and
 * finding the queue's end there faults (SIGBUS). So the salvage reads a copy of the journal's files made in the new
 * directory ({@link #SOURCE_COPY_DIR}, sparse where the files hold whole MiB of zeros) and removes it when done. Of the
 * damaged directory's index only the height file's header is read ({@link JournalIndex#readHeights}), for the height
 * the journal held at its last clean close. Its lock is taken shared ({@link DataDirectory#lockShared()}): a running
 * node's lock and the salvage's exclude each other.
 * <p>
 * The new directory must not exist, or be empty. While the salvage writes it, it holds
 * {@link DataDirectory#SALVAGE_MARKER_FILE}, and the journal refuses to open it (node, replay, recovery): a salvage
 * that fails, or is killed, leaves it marked unfinished rather than taken for a whole one.
 */
public final class JournalSalvage
{
    /** The copy of the damaged journal's files, in the new directory while the salvage runs. */
    public static final String SOURCE_COPY_DIR = "salvage-source";

    private static final int COPY_CHUNK_BYTES = 1 << 20;

    private final DataDirectory from;
    private final DataDirectory to;
    private final JournalContext context;
    private final Consumer<String> log;
    private final LongSupplier nanoClock;
    private final long progressIntervalNs;

    /**
     * @param from the damaged data directory, read only.
     * @param to   the new data directory: does not exist, or is empty.
     * @param log  receives a line on what is read, and progress at most every {@link RecoveryProgress#INTERVAL_NS}.
     */
    public JournalSalvage(final DataDirectory from, final DataDirectory to, final Consumer<String> log)
    {
        this(from, new JournalContext().dataDirectory(to), log, System::nanoTime, RecoveryProgress.INTERVAL_NS);
    }

    /**
     * @param from               the damaged data directory, read only.
     * @param context            of the new journal, on the new data directory (its other settings as the node's:
     *                           {@code cmt.journal.*}); its durability is set to PROCESS here, the close forcing
     *                           every file.
     * @param log                receives the lines.
     * @param nanoClock          the clock of the progress lines.
     * @param progressIntervalNs the least time between two progress lines, and before the first.
     */
    JournalSalvage(
        final DataDirectory from, final JournalContext context, final Consumer<String> log,
        final LongSupplier nanoClock, final long progressIntervalNs)
    {
        this.from = from;
        this.context = context.durability(Durability.PROCESS).conclude();
        this.to = context.dataDirectory();
        this.log = log;
        this.nanoClock = nanoClock;
        this.progressIntervalNs = progressIntervalNs;
    }

    /**
     * Copy what the journal can read.
     *
     * @return what was copied, where the reading stopped and what the damaged index says.
     * @throws IllegalArgumentException when refused before anything is written: no journal or genesis in the damaged
     *                                  directory, the new one not empty or inside it, or the damaged one in use.
     * @throws IllegalStateException    when the salvage failed once the new directory was made: its message says so,
     *                                  and the new directory is left marked unfinished.
     */
    public Result run()
    {
        refuseSource();
        refuseTarget();
        final FileLock fromLock;
        try
        {
            fromLock = from.lockShared();
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + " (a node running on it?): stop it first; salvage " +
                "reads " + from.root() + " only while nothing writes it", ex);
        }
        try
        {
            return salvage(fromLock != null);
        }
        finally
        {
            if (fromLock != null)
            {
                try
                {
                    fromLock.channel().close();
                }
                catch (final IOException ignore)
                {
                    // Closing the channel releases the lock; the process is done with the directory either way.
                }
            }
        }
    }

    private Result salvage(final boolean locked)
    {
        final Result result = new Result(locked, from.heightIndexFile());
        readHeights(result);
        makeTarget();
        final Path copy = to.root().resolve(SOURCE_COPY_DIR);
        try
        {
            DataDirectory.writeAtomically(to.genesisFile(), Files.readAllBytes(from.genesisFile()));
            copyJournal(copy);
            copyBlocks(copy, result);
        }
        catch (final IOException | RuntimeException ex)
        {
            removeQuietly(copy);
            throw new IllegalStateException((ex.getMessage() != null ? ex.getMessage() : ex.toString()) + "; " +
                to.root() + " is unfinished, and marked so (" + to.salvageMarkerFile() + "): the node and cmt replay " +
                "refuse it; delete it and run cmt salvage again (" + from.root() + " was not changed)", ex);
        }
        try
        {
            removeTree(copy);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            result.copyLeft = "the copy of the journal read, " + copy + ", could not be removed (" + ex.getMessage() +
                "): nothing reads it, delete it";
        }
        try
        {
            Files.delete(to.salvageMarkerFile());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the blocks are copied, but " + to.salvageMarkerFile() + " could not be " +
                "deleted (" + ex.getMessage() + "): delete it before starting the node on " + to.root(), ex);
        }
        DataDirectory.forceDirectory(to.root());
        return result;
    }

    private void refuseSource()
    {
        final Path root = from.root();
        if (!Files.isDirectory(root))
        {
            throw new IllegalArgumentException("no data directory " + root);
        }
        if (!Files.isDirectory(from.journalDir()))
        {
            throw new IllegalArgumentException("no journal in " + root + " (expected " + from.journalDir() + ")");
        }
        if (journalFiles(from.journalDir()).stream().noneMatch(f -> f.toString().endsWith(SingleChronicleQueue.SUFFIX)))
        {
            throw new IllegalArgumentException("no journal file (*" + SingleChronicleQueue.SUFFIX + ") in " +
                from.journalDir() + ": the journal holds no block, there is nothing to salvage");
        }
        if (!from.hasGenesis())
        {
            throw new IllegalArgumentException("no genesis in " + root + " (expected " + from.genesisFile() +
                ", which the node stores at its first start): the blocks cannot be salvaged without their chain's " +
                "genesis");
        }
        Genesis.parse(from.readGenesis(), "genesis file " + from.genesisFile());
    }

    private void refuseTarget()
    {
        final Path root = to.root();
        final Path realFrom = realPath(from.root());
        final Path realTo = realPath(root);
        if (realTo.startsWith(realFrom))
        {
            throw new IllegalArgumentException("--out " + root + " is " + (realTo.equals(realFrom) ?
                "the data directory itself" : "inside the data directory " + from.root()) + ": salvage writes " +
                "nothing there; give a new directory outside it");
        }
        if (!Files.exists(root))
        {
            return;
        }
        if (!Files.isDirectory(root))
        {
            throw new IllegalArgumentException("--out " + root + " is not a directory: give a directory that does " +
                "not exist, or an empty one");
        }
        try (Stream<Path> entries = Files.list(root))
        {
            if (entries.findAny().isPresent())
            {
                throw new IllegalArgumentException("--out " + root + " is not empty" +
                    (Files.exists(to.salvageMarkerFile()) ? " (it holds an unfinished salvage: delete it and run " +
                    "again)" : "") + ": salvage never writes over a data directory; give a directory that does not " +
                    "exist, or an empty one");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + root + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the real path of {@code path}, or of its nearest existing ancestor with the rest of it appended. */
    private static Path realPath(final Path path)
    {
        Path existing = path;
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return path;
        }
        try
        {
            return existing.toRealPath().resolve(existing.relativize(path).toString()).normalize();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot resolve " + existing + ": " + ex.getMessage(), ex);
        }
    }

    private void readHeights(final Result result)
    {
        try
        {
            final JournalIndex.Heights heights = JournalIndex.readHeights(from.heightIndexFile());
            if (heights == null)
            {
                result.indexNote = "no height index in " + from.heightIndexFile();
                return;
            }
            result.indexRead = true;
            result.indexClean = heights.clean;
            result.indexLastHeight = heights.lastHeight;
            result.cleanHeight = heights.cleanHeight;
        }
        catch (final UncheckedIOException ex)
        {
            result.indexNote = ex.getMessage();
        }
    }

    /** Create the new directory, marked unfinished before anything else is written there. */
    private void makeTarget()
    {
        try
        {
            Files.createDirectories(to.root());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + to.root() + ": " + ex.getMessage(), ex);
        }
        DataDirectory.writeAtomically(to.salvageMarkerFile(), ("cmt salvage of " + from.root() + " into this " +
            "directory began at " + Instant.now() + " and has not finished. While this file is here, the journal " +
            "refuses to open this directory: delete the directory and run cmt salvage again.\n")
            .getBytes(StandardCharsets.UTF_8));
    }

    private void copyJournal(final Path copy) throws IOException
    {
        Files.createDirectory(copy);
        long bytes = 0;
        final List<Path> files = journalFiles(from.journalDir());
        for (final Path file : files)
        {
            bytes += copySparse(file, copy.resolve(file.getFileName().toString()));
        }
        log.accept("salvage: reading a copy of " + from.journalDir() + " (" + files.size() + " files, " +
            (bytes >> 20) + " MiB, sparse where zeros) made in " + copy + ", since Chronicle Queue writes to a " +
            "queue it opens; " + from.root() + " is not written, and the copy is removed when done");
    }

    private void copyBlocks(final Path copy, final Result result)
    {
        final Progress progress = new Progress(Math.max(result.cleanHeight, result.indexLastHeight));
        try (SingleChronicleQueue queue = openCopy(copy);
            JournalReader reader = new JournalReader(queue.createTailer(), null);
            ChronicleBlockJournal journal =
                new ChronicleBlockJournal(context, JournalIndex.HEIGHTS_GROWTH, ChannelWriter.FILE_CHANNEL))
        {
            final Sha256 sha = new Sha256();
            final byte[] scratch = new byte[BlockHeader.ENCODED_LENGTH];
            final byte[] previous = new byte[32];
            while (true)
            {
                try
                {
                    if (!reader.next())
                    {
                        break;
                    }
                }
                catch (final JournalCorruptedException ex)
                {
                    result.stopReason = ex.getMessage();
                    return;
                }
                final BlockHeader header = reader.header();
                if (header.height > 1 && !Arrays.equals(header.parentHash, previous))
                {
                    result.stopReason = "block " + header.height + " does not chain: its parent hash " +
                        Hex.encode(header.parentHash) + " is not the hash of block " + (header.height - 1) + ", " +
                        Hex.encode(previous);
                    return;
                }
                header.hash(sha, scratch, previous, 0);
                journal.append(header, reader.commit(), reader.transactions(), reader.receipts());
                result.blocks++;
                result.transactions += header.txCount;
                result.lastHeight = header.height;
                progress.onBlock(header.height);
            }
            result.tornIndex = reader.tornIndex();
            final String tail = ChronicleBlockJournal.unreadableTail(queue, reader, from.journalDir());
            if (tail != null)
            {
                final long at = reader.nextQueueIndex();
                result.stopReason = tail + " (the unreadable part starts with entry number " +
                    (queue.rollCycle().toSequenceNumber(at) + 1) + " of " +
                    from.journalDir().resolve(cycleFile(queue, at)) + "): a file of it was cut short or zeroed";
            }
        }
    }

    private SingleChronicleQueue openCopy(final Path copy)
    {
        try
        {
            return ChronicleBlockJournal.openQueue(copy, context.blockSizeBytes(), Durability.PROCESS);
        }
        catch (final RuntimeException ex)
        {
            throw new JournalCorruptedException("cannot open the journal of " + from.root() + " (its copy in " + copy +
                "): a file of it is damaged, or not a journal's (Chronicle Queue: " + ex + "); salvage cannot read " +
                "it, only a backup can restore it", ex);
        }
    }

    /** @return the name of the cycle file that holds queue index {@code index}. */
    static String cycleFile(final SingleChronicleQueue queue, final long index)
    {
        final RollCycle rollCycle = queue.rollCycle();
        final long cycleStartMs = (long)rollCycle.toCycle(index) * rollCycle.lengthInMillis();
        return DateTimeFormatter.ofPattern(rollCycle.format(), Locale.ROOT).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(cycleStartMs)) + SingleChronicleQueue.SUFFIX;
    }

    /** @return the regular files directly in {@code dir}, by name. */
    private static List<Path> journalFiles(final Path dir)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isRegularFile))
        {
            final List<Path> files = new ArrayList<>();
            entries.forEach(files::add);
            files.sort(Comparator.naturalOrder());
            return files;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Copy a file, leaving holes where it holds whole chunks of zeros (a queue file is mostly its unwritten, sparse
     * end): the source is only read.
     *
     * @return its length.
     */
    static long copySparse(final Path source, final Path target) throws IOException
    {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
            FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final long length = in.size();
            final ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK_BYTES);
            long position = 0;
            while (position < length)
            {
                chunk.clear().limit((int)Math.min(COPY_CHUNK_BYTES, length - position));
                while (chunk.hasRemaining())
                {
                    if (in.read(chunk, position + chunk.position()) < 0)
                    {
                        throw new IOException(source + " ended at " + (position + chunk.position()) + " of its " +
                            length + " bytes while it was copied");
                    }
                }
                chunk.flip();
                if (!zeros(chunk.array(), chunk.limit()))
                {
                    while (chunk.hasRemaining())
                    {
                        out.write(chunk, position + chunk.position());
                    }
                }
                position += chunk.limit();
            }
            if (out.size() < length)
            {
                // A file that ends in zeros ends in a hole: its last byte gives it its length.
                out.write(ByteBuffer.allocate(1), length - 1);
            }
            out.force(true);
            return length;
        }
    }

    private static boolean zeros(final byte[] bytes, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void removeQuietly(final Path dir)
    {
        try
        {
            removeTree(dir);
        }
        catch (final IOException | UncheckedIOException ignore)
        {
            // Already failing with a clearer error; the directory is marked unfinished and to be deleted whole.
        }
    }

    private static void removeTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir))
        {
            paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (final Path path : paths)
        {
            Files.delete(path);
        }
    }

    /** Tells how far the copy has got, at most once per interval: as recovery does ({@link RecoveryProgress}). */
    private final class Progress
    {
        private final long expectedHeight;
        private final long startNs;
        private long lastReportNs;

        Progress(final long expectedHeight)
        {
            this.expectedHeight = expectedHeight;
            this.startNs = nanoClock.getAsLong();
            this.lastReportNs = startNs;
        }

        void onBlock(final long height)
        {
            final long now = nanoClock.getAsLong();
            if (now - lastReportNs < progressIntervalNs)
            {
                return;
            }
            lastReportNs = now;
            final long rate = Math.round(height / ((now - startNs) / 1e9));
            final String of = height <= expectedHeight ?
                String.format(Locale.ROOT, " of %,d (%d%%)", expectedHeight, height * 100 / expectedHeight) : "";
            log.accept(String.format(Locale.ROOT, "salvage: block %,d%s copied, %,d blocks/s", height, of, rate));
        }
    }

    /** What a salvage copied, where it stopped, and what the damaged directory's index says. */
    public static final class Result
    {
        private final boolean locked;
        private final Path heightIndexFile;
        private long blocks;
        private long transactions;
        private long lastHeight;
        private String stopReason;
        private long tornIndex = JournalReader.NO_TORN_ENTRY;
        private boolean indexRead;
        private boolean indexClean;
        private long indexLastHeight;
        private long cleanHeight;
        private String indexNote;
        private String copyLeft;

        Result(final boolean locked, final Path heightIndexFile)
        {
            this.locked = locked;
            this.heightIndexFile = heightIndexFile;
        }

        /** @return false when the damaged directory had no lock file to lock (none is created there). */
        public boolean locked()
        {
            return locked;
        }

        /** @return blocks copied: 1 to {@link #lastHeight()}. */
        public long blocks()
        {
            return blocks;
        }

        public long transactions()
        {
            return transactions;
        }

        /** @return the last block copied, 0 for none. */
        public long lastHeight()
        {
            return lastHeight;
        }

        /**
         * @return why the copy stopped before the journal's end (an entry that cannot be read, a block that does not
         * chain, Chronicle Queue's end past the last entry read), or null when the journal was read to its end.
         */
        public String stopReason()
        {
            return stopReason;
        }

        /** @return the queue index of a torn last entry, or {@link JournalReader#NO_TORN_ENTRY}. */
        public long tornIndex()
        {
            return tornIndex;
        }

        /** @return true when the damaged directory's height index could be read ({@link #indexNote()} when not). */
        public boolean indexRead()
        {
            return indexRead;
        }

        /** @return true when the index was closed cleanly at its last close. */
        public boolean indexClean()
        {
            return indexClean;
        }

        /** @return the last height the index recorded (since its last clean close, when it is not clean). */
        public long indexLastHeight()
        {
            return indexLastHeight;
        }

        /** @return the height the journal held at the index's last clean close, its receipts sent; 0 for none. */
        public long cleanHeight()
        {
            return cleanHeight;
        }

        /** @return why the index could not be read, or null. */
        public String indexNote()
        {
            return indexNote;
        }

        public Path heightIndexFile()
        {
            return heightIndexFile;
        }

        /** @return a note that the copy read could not be removed, or null. */
        public String copyLeft()
        {
            return copyLeft;
        }
    }
}
