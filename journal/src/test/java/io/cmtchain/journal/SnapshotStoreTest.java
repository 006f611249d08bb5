package io.cmtchain.journal;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots restore the exact state, however many accounts, and refuse files that are not what they say. */
class SnapshotStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRestoreEveryAccountOfAStateLargerThanTheIoBuffer()
    {
        // 40,000 accounts of 36 bytes: 1.4 MB, more than the 1 MiB buffer the snapshot is written and read through.
        final Genesis genesis = Genesis.parse(ChainFixture.GENESIS_JSON);
        final ChainState state = genesis.createState(3);
        final AccountStore accounts = state.accounts();
        final UnsafeBuffer address = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < 40_000; i++)
        {
            address.putInt(0, i);
            address.putInt(16, ~i);
            final int slot = accounts.findOrCreate(address, 0);
            accounts.balance(slot, 1_000_000L + i);
            accounts.nonce(slot, i % 17);
        }
        state.feePoolMicroCmt(12_345);
        state.endBlock();
        final byte[] hash = new byte[32];
        hash[0] = 9;
        final Chain chain = new Chain(state, 7, hash);
        final SnapshotStore store = store();
        final Path file = store.write(chain);

        final Snapshot snapshot = store.load(file, genesis, 11);
        assertEquals(7, snapshot.height());
        assertArrayEquals(hash, snapshot.lastHeaderHash());
        assertArrayEquals(state.stateRoot(), snapshot.stateRoot());
        assertArrayEquals(state.stateRoot(), snapshot.state().stateRoot());
        final AccountStore restored = snapshot.state().accounts();
        assertEquals(accounts.size(), restored.size());
        for (int i = 0; i < 40_000; i += 997)
        {
            address.putInt(0, i);
            address.putInt(16, ~i);
            final int slot = restored.find(address, 0);
            assertTrue(slot >= 0, "account " + i);
            assertEquals(1_000_000L + i, restored.balance(slot));
            assertEquals(i % 17, restored.nonce(slot));
        }
        assertEquals(12_345, snapshot.state().feePoolMicroCmt());
        final Chain resumed = snapshot.toChain();
        assertEquals(7, resumed.height());
        assertArrayEquals(hash, resumed.lastHeaderHash());
    }

    @Test
    void shouldRefuseAFileThatIsNotTheSnapshotItsNameSays() throws IOException
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store();
        final Path file = writeAfterTwoBlocks(fixture, store);
        assertEquals(2, SnapshotStore.heightOf(file));

        final Path renamed = file.resolveSibling(SnapshotStore.fileName(3));
        Files.copy(file, renamed);
        assertRefused(store, renamed, fixture.genesis, "holds height 2");

        final Genesis otherChain = Genesis.parse(ChainFixture.GENESIS_JSON.replace("1001", "1002"));
        assertRefused(store, file, otherChain, "chain id 1001, the genesis says 1002");

        final Path cut = file.resolveSibling(SnapshotStore.fileName(4));
        Files.write(cut, new byte[SnapshotStore.HEADER_LENGTH + 3]);
        assertRefused(store, cut, fixture.genesis, "truncated (" + (SnapshotStore.HEADER_LENGTH + 3) + " bytes)");

        final Path notASnapshot = file.resolveSibling(SnapshotStore.fileName(5));
        // Checksum right, the rest zeros.
        final byte[] zeros = new byte[SnapshotStore.HEADER_LENGTH + 4];
        final CRC32C crc = new CRC32C();
        crc.update(zeros, 0, SnapshotStore.HEADER_LENGTH);
        new UnsafeBuffer(zeros).putInt(SnapshotStore.HEADER_LENGTH, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        Files.write(notASnapshot, zeros);
        assertRefused(store, notASnapshot, fixture.genesis, "not a version 1 or 2 snapshot");

        final Path flipped = file.resolveSibling(SnapshotStore.fileName(6));
        Files.copy(file, flipped);
        try (RandomAccessFile raf = new RandomAccessFile(flipped.toFile(), "rw"))
        {
            raf.seek(raf.length() - 1);
            final int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0x04);
        }
        assertRefused(store, flipped, fixture.genesis, "checksum mismatch");
    }

    @Test
    void shouldRefuseAForgedSnapshotWhoseChecksumIsRight() throws IOException
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store();
        final Path file = writeAfterTwoBlocks(fixture, store);
        final int first = SnapshotStore.HEADER_LENGTH;
        final int second = first + SnapshotStore.ACCOUNT_LENGTH;
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;

        // One more µCMT in the first account: the state restored is not the one whose root the file records.
        assertRefused(store, forged(file, 3, b ->
        {
            b.putLong(16, 3, le);
            b.putLong(first + 20, b.getLong(first + 20, le) + 1, le);
        }), fixture.genesis, "restored state root differs from the recorded one");

        // The second account's address made the first's.
        final byte[] address = new byte[20];
        new UnsafeBuffer(Files.readAllBytes(file)).getBytes(first, address);
        assertRefused(store, forged(file, 4, b ->
        {
            b.putLong(16, 4, le);
            b.putBytes(second, address);
        }), fixture.genesis, "account " + Hex.encode(address) + " appears twice");

        // The right magic, a version this node does not know.
        assertRefused(store, forged(file, 5, b ->
        {
            b.putLong(16, 5, le);
            b.putInt(4, SnapshotStore.VERSION + 1, le);
        }), fixture.genesis, "not a version 1 or 2 snapshot");

        // An account count the file cannot hold: negative, one too many, and one too few (bytes left over where a
        // chain without DPoS or contracts has no sections).
        final long count = new UnsafeBuffer(Files.readAllBytes(file)).getLong(32, le);
        final long size = Files.size(file);
        for (final long wrong : new long[] {-1, count + 1, count - 1})
        {
            assertRefused(store, forged(file, 7, b ->
            {
                b.putLong(16, 7, le);
                b.putLong(32, wrong, le);
            }), fixture.genesis, wrong + " accounts do not fit its " + size + " bytes");
        }

        // Unchanged but for its height, it loads: the refusals above are the changes'.
        assertEquals(6, store.load(forged(file, 6, b -> b.putLong(16, 6, le)), fixture.genesis, 1).height());
    }

    @Test
    void shouldNeitherWriteNorLoadASnapshotAtHeightZero() throws IOException
    {
        // The state before block 1 is made from the genesis; no journaled header could vouch for a snapshot of it.
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store();
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> store.write(fixture.chain));
        assertEquals("no snapshot at height 0: the state before block 1 is made from the genesis",
            refused.getMessage());
        assertTrue(store.snapshots().isEmpty());

        fixture.nextBlock(5);
        final Path zero = atHeightZero(store.write(fixture.chain));
        assertRefused(store, zero, fixture.genesis, "at height 0: the state before block 1 is made from the " +
            "genesis, never loaded from a snapshot");
    }

    @Test
    void shouldBeDueAtEveryMultipleOfTheIntervalOnlyAndPruneTheOldestAndLeftoverTempFiles() throws IOException
    {
        final Genesis genesis = Genesis.parse(ChainFixture.GENESIS_JSON);
        final SnapshotStore every3 = new SnapshotStore(new DataDirectory(dir),
            SnapshotStore.genesisHash(ChainFixture.GENESIS_JSON), 3, 2);
        assertFalse(every3.isDue(0));
        assertFalse(every3.isDue(2));
        assertTrue(every3.isDue(3));
        assertFalse(every3.isDue(4));
        assertTrue(every3.isDue(6));
        final SnapshotStore never = new SnapshotStore(new DataDirectory(dir),
            SnapshotStore.genesisHash(ChainFixture.GENESIS_JSON), 0, 2);
        assertFalse(never.isDue(3));

        final ChainFixture fixture = new ChainFixture();
        fixture.nextBlock(2);
        assertEquals(null, every3.writeIfDue(fixture.chain));
        assertTrue(every3.snapshots().isEmpty());
        final Path leftover =
            new DataDirectory(dir).create().snapshotsDir().resolve(SnapshotStore.fileName(1) + ".tmp");
        Files.write(leftover, new byte[10]);
        for (int h = 2; h <= 4; h++)
        {
            fixture.nextBlock(2);
            every3.write(fixture.chain);
        }
        assertFalse(Files.exists(leftover));
        final List<Path> kept = every3.snapshots();
        assertEquals(2, kept.size());
        assertEquals(4, SnapshotStore.heightOf(kept.get(0)));
        assertEquals(3, SnapshotStore.heightOf(kept.get(1)));
        assertEquals(-1, SnapshotStore.heightOf(Path.of("snapshot-x.snap")));
        assertEquals(-1, SnapshotStore.heightOf(Path.of("snapshot-5.snap.tmp")));
        assertEquals(genesis.chainId(), every3.load(kept.get(0), genesis, 1).state().chainId());
    }

    @Test
    void shouldDeleteStaleSnapshotsAboveTheHeightWrittenRatherThanTheOneJustWritten() throws IOException
    {
        // A power cut with durability process: a snapshot of block 4 survives, the journal only up to block 2. The
        // chain, at 2 again, writes its snapshot; kept one, pruning kept the stale 4 and deleted the new 2.
        final SnapshotStore keepOne = new SnapshotStore(new DataDirectory(dir),
            SnapshotStore.genesisHash(ChainFixture.GENESIS_JSON), 1, 1);
        final ChainFixture lost = new ChainFixture();
        for (int h = 1; h <= 4; h++)
        {
            lost.nextBlock(2);
        }
        final Path stale = keepOne.write(lost.chain);
        final ChainFixture fixture = new ChainFixture();
        fixture.nextBlock(3);
        fixture.nextBlock(3);

        final Path written = keepOne.write(fixture.chain);

        assertTrue(Files.exists(written), written + " was deleted");
        assertFalse(Files.exists(stale), stale + " was kept");
        assertEquals(List.of(written), keepOne.snapshots());
        assertEquals(2, keepOne.load(written, Genesis.parse(ChainFixture.GENESIS_JSON), 1).height());
    }

    /**
     * Make a snapshot file claim height 0, checksum and name as if it were written there: a state other than the
     * genesis's at height 0.
     *
     * @param file a snapshot.
     * @return the file at height 0; the given one is deleted.
     */
    static Path atHeightZero(final Path file) throws IOException
    {
        final Path zero = forged(file, 0, buffer -> buffer.putLong(16, 0, ByteOrder.LITTLE_ENDIAN));
        Files.delete(file);
        return zero;
    }

    /**
     * A copy of a snapshot file, named for {@code height}, with {@code change} made to its bytes and its checksum
     * made right again: what only the checks after the checksum can refuse.
     */
    static Path forged(final Path file, final long height, final Consumer<UnsafeBuffer> change) throws IOException
    {
        return forgedBytes(file, height, bytes ->
        {
            change.accept(new UnsafeBuffer(bytes));
            return bytes;
        });
    }

    /** As {@link #forged}, with bytes that may change length (the last four, the checksum's, are rewritten). */
    static Path forgedBytes(final Path file, final long height, final UnaryOperator<byte[]> change) throws IOException
    {
        final byte[] bytes = change.apply(Files.readAllBytes(file));
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        buffer.putInt(bytes.length - 4, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        final Path forged = file.resolveSibling(SnapshotStore.fileName(height));
        Files.write(forged, bytes);
        return forged;
    }

    private static void assertRefused(
        final SnapshotStore store, final Path file, final Genesis genesis, final String reason)
    {
        final SnapshotException ex = assertThrows(SnapshotException.class, () -> store.load(file, genesis, 1));
        assertEquals(file.getFileName() + ": " + reason, ex.getMessage());
    }

    /** A snapshot of the fixture's chain after two blocks of five transactions. */
    private static Path writeAfterTwoBlocks(final ChainFixture fixture, final SnapshotStore store)
    {
        fixture.nextBlock(5);
        fixture.nextBlock(5);
        return store.write(fixture.chain);
    }

    private SnapshotStore store()
    {
        return new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash(ChainFixture.GENESIS_JSON), 1, 100);
    }
}
