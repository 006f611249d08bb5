package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.BlockHeaderEncoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalSalvage}: the blocks a damaged journal can still read, copied into a new data directory that the
 * journal opens and recovery goes on from, with the damaged directory left as it was, byte for byte.
 */
class JournalSalvageTest
{
    /** The first byte of a block header's parent hash, from the start of its journal entry. */
    private static final int PARENT_HASH_DELTA = JournalEntryDescriptor.HEADER_OFFSET +
        MessageHeaderEncoder.ENCODED_LENGTH + BlockHeaderEncoder.parentHashEncodingOffset();

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();
    private final List<BlockHeader> headers = new ArrayList<>();
    private final List<byte[]> hashes = new ArrayList<>();

    @Test
    void shouldCopyTheBlocksBeforeAZeroedPartLeaveTheDamagedDirectoryAsItWasAndGoOnFromThem() throws Exception
    {
        final Path damaged = writeChain(60, 10);
        JournalFiles.eraseFromBlock(damaged, 41);
        final JournalCorruptedException refused = assertThrows(JournalCorruptedException.class, () -> open(damaged));
        assertTrue(refused.getMessage().contains("without one, copy blocks 1 to 40 into a new data directory with " +
            "'cmt salvage --data " + damaged + " --out NEWDIR'"), refused.getMessage());
        final Map<String, String> before = describe(damaged);

        final Path salvaged = tmp.resolve("salvaged");
        final JournalSalvage.Result result = salvage(damaged, salvaged).run();

        assertEquals(before, describe(damaged), "the salvage changed the damaged directory");
        assertEquals(40, result.blocks());
        assertEquals(40, result.lastHeight());
        assertEquals(400, result.transactions());
        assertTrue(result.locked());
        assertTrue(result.indexRead() && result.indexClean());
        assertEquals(60, result.cleanHeight());
        assertEquals(JournalReader.NO_TORN_ENTRY, result.tornIndex());
        final String cycle = JournalFiles.cycleFile(damaged).toString();
        final Path journalDir = new DataDirectory(damaged).journalDir();
        assertTrue(result.stopReason().startsWith("Chronicle Queue's end in " + journalDir + " is at queue index ") &&
            result.stopReason().endsWith(" (the unreadable part starts with entry number 41 of " + cycle + "): a " +
            "file of it was cut short or zeroed"),
            result.stopReason());
        assertTrue(log.get(0).startsWith("salvage: reading a copy of " + new DataDirectory(damaged).journalDir()),
            log.toString());

        assertSalvaged(damaged, salvaged, 40);
    }

    /**
     * A file cut short: a journal that opened it would grow it back with zeros as Chronicle Queue maps it, so the
     * salvage reads a copy; the damaged file keeps its length.
     */
    @Test
    void shouldCopyTheBlocksBeforeAFileCutShortWithoutGrowingItBack() throws Exception
    {
        final Path damaged = writeChain(30, 10);
        JournalFiles.truncateAtBlock(damaged, 18);
        final long length = Files.size(JournalFiles.cycleFile(damaged));
        final Map<String, String> before = describe(damaged);

        final Path salvaged = tmp.resolve("salvaged");
        final JournalSalvage.Result result = salvage(damaged, salvaged).run();

        assertEquals(before, describe(damaged), "the salvage changed the damaged directory");
        assertEquals(length, Files.size(JournalFiles.cycleFile(damaged)));
        assertEquals(17, result.lastHeight());
        assertEquals(30, result.cleanHeight());
        assertTrue(result.stopReason().contains("past the last it can read"), result.stopReason());
        assertSalvaged(damaged, salvaged, 17);
    }

    @Test
    void shouldCopyAWholeJournalAndFindNothingLost() throws Exception
    {
        final Path whole = writeChain(12, 5);
        final Map<String, String> before = describe(whole);
        final Path salvaged = tmp.resolve("salvaged");
        // An empty directory is taken as well as one that does not exist.
        Files.createDirectory(salvaged);

        final JournalSalvage.Result result = salvage(whole, salvaged).run();

        assertEquals(before, describe(whole));
        assertEquals(12, result.blocks());
        assertEquals(60, result.transactions());
        assertNull(result.stopReason());
        assertEquals(12, result.cleanHeight());
        assertSalvaged(whole, salvaged, 12);
    }

    @Test
    void shouldStopAtACorruptedEntryFollowedByOthers() throws Exception
    {
        final Path damaged = writeChain(6, 10);
        JournalFiles.flipByteInBlock(damaged, 3, 300);
        final JournalSalvage.Result result = salvage(damaged, tmp.resolve("salvaged")).run();
        assertEquals(2, result.lastHeight());
        assertTrue(result.stopReason().startsWith("journal corrupted at block 3 (queue index "), result.stopReason());
        assertEquals(6, result.cleanHeight());
        assertSalvaged(damaged, tmp.resolve("salvaged"), 2);
    }

    /** A block whose entry checks out but whose header does not follow the one before it: the copy stops there. */
    @Test
    void shouldStopAtTheFirstBlockThatDoesNotChain() throws Exception
    {
        final Path damaged = writeChain(8, 4);
        JournalFiles.forgeByteInBlock(damaged, 5, PARENT_HASH_DELTA, (headers.get(4).parentHash[0] ^ 1) & 0xFF);
        final JournalSalvage.Result result = salvage(damaged, tmp.resolve("salvaged")).run();
        assertEquals(4, result.lastHeight());
        assertEquals(16, result.transactions());
        final byte[] forged = headers.get(4).parentHash.clone();
        forged[0] ^= 1;
        assertEquals("block 5 does not chain: its parent hash " + Hex.encode(forged) + " is not the hash of block 4, " +
            Hex.encode(headers.get(4).parentHash), result.stopReason());
        assertSalvaged(damaged, tmp.resolve("salvaged"), 4);
    }

    /** A torn last entry (a write a crash cut off) was never receipted: not copied, not damage past it. */
    @Test
    void shouldLeaveOutATornLastEntry() throws Exception
    {
        final Path torn = writeChain(5, 10);
        JournalFiles.flipByteInBlock(torn, 5, 200);
        Files.delete(new DataDirectory(torn).heightIndexFile());
        final JournalSalvage.Result result = salvage(torn, tmp.resolve("salvaged")).run();
        assertEquals(4, result.lastHeight());
        assertNull(result.stopReason());
        assertTrue(result.tornIndex() != JournalReader.NO_TORN_ENTRY);
        assertFalse(result.indexRead());
        assertEquals("no height index in " + new DataDirectory(torn).heightIndexFile(), result.indexNote());
        assertSalvaged(torn, tmp.resolve("salvaged"), 4);
    }

    @Test
    void shouldTellItsProgressAtMostOncePerInterval() throws Exception
    {
        final Path whole = writeChain(12, 1);
        final AtomicLong nowNs = new AtomicLong();
        final LongSupplier clock = () -> nowNs.getAndAdd(TimeUnit.SECONDS.toNanos(1));
        new JournalSalvage(new DataDirectory(whole), context(tmp.resolve("salvaged")), log::add, clock,
            TimeUnit.SECONDS.toNanos(5)).run();
        assertEquals(List.of(
            "salvage: block 5 of 12 (41%) copied, 1 blocks/s",
            "salvage: block 10 of 12 (83%) copied, 1 blocks/s"), log.subList(1, log.size()));
    }

    @Test
    void shouldRefuseADataDirectoryInUseNamingIt() throws Exception
    {
        final Path data = writeChain(3, 2);
        final Path out = tmp.resolve("salvaged");
        final FileLock held = new DataDirectory(data).lock();
        try
        {
            final IllegalArgumentException inUse = assertThrows(IllegalArgumentException.class,
                () -> salvage(data, out).run());
            assertEquals("data directory " + data + " is already open in this process (a node running on it?): " +
                "stop it first; salvage reads " + data + " only while nothing writes it", inUse.getMessage());
        }
        finally
        {
            held.channel().close();
        }
        assertFalse(Files.exists(out));

        final Process holder = ChildProcess.start(DataDirectoryTest.LockHolder.class, data.toString());
        try
        {
            final BufferedReader said = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("locked", said.readLine());
            final IllegalArgumentException inUse = assertThrows(IllegalArgumentException.class,
                () -> salvage(data, out).run());
            assertTrue(inUse.getMessage().startsWith("data directory " + data + " is in use by another process (a " +
                "node running on it?)"), inUse.getMessage());
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        finally
        {
            holder.destroyForcibly();
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldRefuseAnOutputDirectoryThatIsNotEmptyOrInsideTheDataDirectory() throws Exception
    {
        final Path data = writeChain(3, 2);
        final Map<String, String> before = describe(data);
        final Path out = tmp.resolve("other");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertRefused(data, out, "--out " + out + " is not empty: salvage never writes over a data directory; give " +
            "a directory that does not exist, or an empty one");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));

        Files.delete(out.resolve("notes.txt"));
        Files.writeString(out.resolve(DataDirectory.SALVAGE_MARKER_FILE), "unfinished");
        assertRefused(data, out, "--out " + out + " is not empty (it holds an unfinished salvage: delete it and run " +
            "again): salvage never writes over a data directory; give a directory that does not exist, or an empty " +
            "one");

        final Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertRefused(data, file, "--out " + file + " is not a directory: give a directory that does not exist, or " +
            "an empty one");
        assertRefused(data, data.resolve("salvaged"), "--out " + data.resolve("salvaged") + " is inside the data " +
            "directory " + data + ": salvage writes nothing there; give a new directory outside it");
        assertRefused(data, data, "--out " + data + " is the data directory itself: salvage writes nothing there; " +
            "give a new directory outside it");
        assertEquals(before, describe(data));
    }

    @Test
    void shouldRefuseADataDirectoryWithoutAJournalOrAGenesis() throws Exception
    {
        final Path out = tmp.resolve("salvaged");
        final Path none = tmp.resolve("none");
        assertRefused(none, out, "no data directory " + none);
        Files.createDirectories(none);
        assertRefused(none, out, "no journal in " + none + " (expected " + none.resolve("journal") + ")");
        Files.createDirectories(none.resolve("journal"));
        assertRefused(none, out, "no journal file (*.cq4) in " + none.resolve("journal") + ": the journal holds no " +
            "block, there is nothing to salvage");

        final Path data = writeChain(3, 2);
        Files.delete(new DataDirectory(data).genesisFile());
        assertRefused(data, out, "no genesis in " + data + " (expected " + data.resolve("genesis.json") + ", which " +
            "the node stores at its first start): the blocks cannot be salvaged without their chain's genesis");
    }

    /**
     * A salvage that fails once it has begun writing (here the new journal's disk space) leaves the new directory
     * marked unfinished, which the journal then refuses to open, and the copy it read removed.
     */
    @Test
    void shouldLeaveADirectoryItFailedToFinishMarkedSoThatTheJournalRefusesIt() throws Exception
    {
        final Path data = writeChain(3, 2);
        final Map<String, String> before = describe(data);
        final Path out = tmp.resolve("salvaged");
        final JournalSalvage salvage = new JournalSalvage(new DataDirectory(data),
            context(out).minFreeBytes(Long.MAX_VALUE / 4), log::add, System::nanoTime, Long.MAX_VALUE);

        final IllegalStateException failed = assertThrows(IllegalStateException.class, salvage::run);

        assertTrue(failed.getMessage().startsWith("block 1 (") && failed.getMessage().endsWith("; " + out +
            " is unfinished, and marked so (" + out.resolve(DataDirectory.SALVAGE_MARKER_FILE) + "): the node and " +
            "cmt replay refuse it; delete it and run cmt salvage again (" + data + " was not changed)"),
            failed.getMessage());
        assertEquals(before, describe(data));
        assertTrue(Files.exists(out.resolve(DataDirectory.SALVAGE_MARKER_FILE)));
        assertFalse(Files.exists(out.resolve(JournalSalvage.SOURCE_COPY_DIR)));
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open(out));
        assertEquals("data directory " + out + " holds an unfinished cmt salvage (" +
            out.resolve(DataDirectory.SALVAGE_MARKER_FILE) + " says from where): delete the directory and run cmt " +
            "salvage again", refused.getMessage());
    }

    /**
     * The new directory holds the genesis, a journal of blocks 1 to {@code last} as they were journaled, indexed
     * (closed cleanly), and nothing of the salvage: recovery re-executes them from genesis, and the next block
     * follows.
     */
    private void assertSalvaged(final Path damaged, final Path salvaged, final int last) throws IOException
    {
        final DataDirectory dir = new DataDirectory(salvaged);
        assertFalse(Files.exists(dir.salvageMarkerFile()));
        assertFalse(Files.exists(salvaged.resolve(JournalSalvage.SOURCE_COPY_DIR)));
        assertArrayEquals(Files.readAllBytes(new DataDirectory(damaged).genesisFile()),
            Files.readAllBytes(dir.genesisFile()));
        try (Stream<Path> snapshots = Files.list(dir.snapshotsDir()))
        {
            assertEquals(0, snapshots.count());
        }
        try (ChronicleBlockJournal journal = open(salvaged); JournalReader reader = journal.newReader())
        {
            assertFalse(journal.indexRebuilt(), journal.indexRebuildReason());
            assertEquals(last, journal.lastHeight());
            for (int h = 1; h <= last; h++)
            {
                assertTrue(reader.next());
                assertEquals(headers.get(h - 1), reader.header());
            }
            assertFalse(reader.next());
            if (last > 0 && headers.get(last - 1).txCount > 0)
            {
                final long location = journal.findTransaction(hashes.get(last - 1), 0);
                assertEquals(TxLocation.pack(last, 0), location);
            }

            final Chain chain = Recovery.recover(journal, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), l -> { });
            assertEquals(last, chain.height());
            assertArrayEquals(headers.get(last - 1).stateRoot, chain.state().stateRoot());
            final ChainFixture next = new ChainFixture();
            for (int h = 0; h < last; h++)
            {
                next.nextBlock(headers.get(h).txCount);
            }
            next.nextBlock(3);
            journal.append(next.header, next.commit, next.txs, next.receipts);
        }
        final Chain chain = Recovery.recover(salvaged, new ReferenceExecutor(), l -> { });
        assertEquals(last + 1, chain.height());
    }

    /**
     * A data directory with the fixture's genesis and {@code blocks} blocks of {@code txs} transactions, closed
     * cleanly; their headers and transaction hashes kept.
     */
    private Path writeChain(final int blocks, final int txs)
    {
        final Path data = tmp.resolve("data");
        new DataDirectory(data).writeGenesis(ChainFixture.GENESIS_JSON);
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open(data))
        {
            for (int b = 0; b < blocks; b++)
            {
                fixture.nextBlock(txs);
                journal.append(fixture.header, fixture.commit, fixture.txs, fixture.receipts);
                headers.add(new BlockHeader().copyFrom(fixture.header));
                hashes.add(Arrays.copyOf(fixture.txs.hashes(), txs * 32));
            }
        }
        return data;
    }

    private JournalSalvage salvage(final Path from, final Path to)
    {
        return new JournalSalvage(new DataDirectory(from), context(to), log::add, System::nanoTime,
            RecoveryProgress.INTERVAL_NS);
    }

    private void assertRefused(final Path from, final Path to, final String message) throws IOException
    {
        final boolean existed = Files.exists(to);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> salvage(from, to).run());
        assertEquals(message, refused.getMessage());
        assertEquals(existed, Files.exists(to));
    }

    private static JournalContext context(final Path dir)
    {
        return new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20).txIndexCapacity(64);
    }

    private static ChronicleBlockJournal open(final Path dir)
    {
        return new ChronicleBlockJournal(context(dir));
    }

    /** @return every file and directory under {@code root} by path: a directory, or a file's length and SHA-256. */
    private static Map<String, String> describe(final Path root) throws IOException
    {
        final Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final String name = root.relativize(path).toString();
                if (Files.isDirectory(path))
                {
                    entries.put(name, "directory");
                    continue;
                }
                final MessageDigest sha256;
                try
                {
                    sha256 = MessageDigest.getInstance("SHA-256");
                }
                catch (final NoSuchAlgorithmException ex)
                {
                    throw new IllegalStateException(ex);
                }
                try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r"))
                {
                    final byte[] chunk = new byte[1 << 16];
                    for (int read = file.read(chunk); read > 0; read = file.read(chunk))
                    {
                        sha256.update(chunk, 0, read);
                    }
                }
                entries.put(name, Files.size(path) + " bytes, SHA-256 " + Hex.encode(sha256.digest()));
            }
        }
        return entries;
    }
}
