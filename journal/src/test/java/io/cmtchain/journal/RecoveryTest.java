package io.cmtchain.journal;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest
{
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void shouldWriteLoadAndPruneSnapshots()
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store(5, 2);
        final List<byte[]> roots = new ArrayList<>();
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 1; b <= 20; b++)
            {
                fixture.appendBlocks(journal, 1, 8);
                if (store.writeIfDue(fixture.chain) != null)
                {
                    roots.add(fixture.chain.state().stateRoot());
                }
            }
        }
        assertEquals(4, roots.size());
        final List<Path> files = store.snapshots();
        assertEquals(2, files.size());
        assertEquals(20, SnapshotStore.heightOf(files.get(0)));
        assertEquals(15, SnapshotStore.heightOf(files.get(1)));

        final Snapshot snapshot = store.load(files.get(0), fixture.genesis, 99);
        assertEquals(20, snapshot.height());
        assertArrayEquals(roots.get(3), snapshot.state().stateRoot());
        assertArrayEquals(fixture.chain.lastHeaderHash(), snapshot.lastHeaderHash());
        assertEquals(fixture.chain.state().feePoolMicroCmt(), snapshot.state().feePoolMicroCmt());
        assertEquals(fixture.chain.state().accounts().size(), snapshot.state().accounts().size());
    }

    @Test
    void shouldRecoverFromSnapshotAndJournalToTheStateOfReplayFromGenesis()
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store(10, 3);
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 1; b <= 25; b++)
            {
                fixture.appendBlocks(journal, 1, 12);
                store.writeIfDue(fixture.chain);
            }
        }

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(25, recovered.height());
        assertArrayEquals(fixture.chain.state().stateRoot(), recovered.state().stateRoot());
        assertArrayEquals(fixture.chain.lastHeaderHash(), recovered.lastHeaderHash());
        assertTrue(log.get(log.size() - 1).contains("from the snapshot at 20"), log.toString());

        deleteSnapshots();
        final Chain fromGenesis = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(25, fromGenesis.height());
        assertArrayEquals(recovered.state().stateRoot(), fromGenesis.state().stateRoot());
        assertArrayEquals(recovered.lastHeaderHash(), fromGenesis.lastHeaderHash());
        assertTrue(log.get(log.size() - 1).contains("from genesis"), log.toString());
    }

    @Test
    void shouldSkipACorruptSnapshotWithAWarning() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore store = store(5, 3);
        try (ChronicleBlockJournal journal = open())
        {
            for (int b = 1; b <= 12; b++)
            {
                fixture.appendBlocks(journal, 1, 6);
                store.writeIfDue(fixture.chain);
            }
        }
        final Path newest = store.snapshots().get(0);
        assertEquals(10, SnapshotStore.heightOf(newest));
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw"))
        {
            raf.seek(SnapshotStore.HEADER_LENGTH + 30);
            final int b = raf.read();
            raf.seek(SnapshotStore.HEADER_LENGTH + 30);
            raf.write(b ^ 1);
        }
        assertThrows(SnapshotException.class, () -> store.load(newest, fixture.genesis, 1));

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(12, recovered.height());
        assertArrayEquals(fixture.chain.state().stateRoot(), recovered.state().stateRoot());
        assertTrue(log.get(0).contains("skipping snapshot " + newest.getFileName()) &&
            log.get(0).contains("checksum"), log.toString());
        assertTrue(log.get(log.size() - 1).contains("from the snapshot at 5"), log.toString());
    }

    @Test
    void shouldSkipASnapshotOfAnotherGenesis()
    {
        final ChainFixture fixture = new ChainFixture();
        final SnapshotStore other = new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash("{}"), 5, 3);
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 5, 4);
            other.writeIfDue(fixture.chain);
        }
        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(5, recovered.height());
        assertTrue(log.get(0).contains("another genesis"), log.toString());
    }

    @Test
    void shouldStopRecoveryAtACorruptedBlockNamingIt() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 8, 10);
        }
        JournalFiles.flipByteInBlock(dir, 4, 400);
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add));
        assertTrue(ex.getMessage().startsWith("journal corrupted at block 4 "), ex.getMessage());
    }

    @Test
    void shouldUseASnapshotAtTheJournalsLastBlock()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 6, 5);
        }
        store(3, 2).write(fixture.chain);

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(6, recovered.height());
        assertArrayEquals(fixture.chain.state().stateRoot(), recovered.state().stateRoot());
        assertArrayEquals(fixture.chain.lastHeaderHash(), recovered.lastHeaderHash());
        assertEquals(List.of("recovery: at block 6 from the snapshot at 6, 0 blocks and 0 transactions re-executed"),
            log);
    }

    @Test
    void shouldSkipASnapshotOfAnotherChainOfTheSameGenesisAndReplayFromGenesis()
    {
        // The journal holds chain B; the snapshot, at a height the journal holds, is of chain A (other transactions).
        final ChainFixture journaled = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            journaled.appendBlocks(journal, 5, 7);
        }
        final ChainFixture other = new ChainFixture();
        for (int b = 0; b < 4; b++)
        {
            other.nextBlock(10);
        }
        store(4, 2).write(other.chain);

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(5, recovered.height());
        assertArrayEquals(journaled.chain.state().stateRoot(), recovered.state().stateRoot());
        assertArrayEquals(journaled.chain.lastHeaderHash(), recovered.lastHeaderHash());
        assertTrue(log.get(0).contains("state root differs from the journaled header of block 4"), log.toString());
        assertTrue(log.get(1).contains("from genesis, 5 blocks and 35 transactions"), log.toString());
    }

    @Test
    void shouldSkipASnapshotWhoseStateRootMatchesButWhoseHeaderDoesNot()
    {
        // Same transactions and states, other timestamps: the snapshot's state root is that of the journaled block,
        // but the chain it continues is not the journal's.
        final ChainFixture journaled = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            journaled.appendBlocks(journal, 4, 6);
        }
        final ChainFixture other = new ChainFixture();
        other.timestampOffsetMs = 1;
        for (int b = 0; b < 4; b++)
        {
            other.nextBlock(6);
        }
        assertArrayEquals(journaled.chain.state().stateRoot(), other.chain.state().stateRoot());
        store(4, 2).write(other.chain);

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(4, recovered.height());
        assertArrayEquals(journaled.chain.lastHeaderHash(), recovered.lastHeaderHash());
        assertTrue(log.get(0).contains("header hash differs from the journaled block 4"), log.toString());
        assertTrue(log.get(1).contains("from genesis"), log.toString());
    }

    @Test
    void shouldSkipASnapshotBeyondTheJournalsLastBlock()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 3, 4);
        }
        final byte[] rootAt3 = fixture.chain.state().stateRoot();
        fixture.nextBlock(4);
        fixture.nextBlock(4);
        store(5, 2).write(fixture.chain);

        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(3, recovered.height());
        assertArrayEquals(rootAt3, recovered.state().stateRoot());
        assertTrue(log.get(0).contains("at height 5, beyond the journal's last block 3"), log.toString());
    }

    @Test
    void shouldRecoverFromGenesisPastASnapshotAtHeightZero() throws Exception
    {
        // A height-0 snapshot of a state that is not the genesis's, checksum right: on an empty journal there is no
        // block header to catch it, so only the rule that height 0 is never loaded keeps it out.
        final ChainFixture forged = new ChainFixture();
        forged.nextBlock(6);
        forged.nextBlock(6);
        final Path zero = SnapshotStoreTest.atHeightZero(store(1, 3).write(forged.chain));
        final String skipped = "recovery: skipping snapshot " + zero.getFileName() + ": at height 0: the state " +
            "before block 1 is made from the genesis, never loaded from a snapshot";
        final byte[] genesisRoot = new ChainFixture().chain.state().stateRoot();

        try (ChronicleBlockJournal journal = open())
        {
            final Chain empty = Recovery.recover(journal, ChainFixture.GENESIS_JSON, new ReferenceExecutor(),
                log::add);
            assertEquals(0, empty.height());
            assertArrayEquals(genesisRoot, empty.state().stateRoot());
            assertArrayEquals(new byte[32], empty.lastHeaderHash());
        }
        assertEquals(List.of(skipped, "recovery: at block 0 from genesis, 0 blocks and 0 transactions re-executed"),
            log);

        log.clear();
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 3, 4);
        }
        final Chain recovered = Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(3, recovered.height());
        assertArrayEquals(fixture.chain.state().stateRoot(), recovered.state().stateRoot());
        assertEquals(List.of(skipped, "recovery: at block 3 from genesis, 3 blocks and 12 transactions re-executed"),
            log);
    }

    @Test
    void shouldRecoverWithTheGenesisStoredInTheDataDirectory()
    {
        final ChainFixture fixture = new ChainFixture();
        new DataDirectory(dir).writeGenesis(ChainFixture.GENESIS_JSON);
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 3, 4);
        }
        final Chain recovered = Recovery.recover(dir, new ReferenceExecutor(), log::add);
        assertEquals(3, recovered.height());
        assertArrayEquals(fixture.chain.state().stateRoot(), recovered.state().stateRoot());
    }

    @Test
    void shouldSayWhyTheIndexWasRebuilt() throws Exception
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 3, 7);
        }
        TxHashLogFiles.toFormat2(new DataDirectory(dir).txIndexFile());
        Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("recovery: journal index rebuilt from the journal (3 blocks, 21 " +
            "transactions): ") && log.get(0).contains("txhash.log is in format 'CMTTLOG2', older than this node's " +
            "'CMTTLOG3'"), log.toString());

        // Rebuilt once: the next recovery says nothing of the index.
        log.clear();
        Recovery.recover(dir, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add);
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("from genesis"), log.toString());
    }

    @Test
    void shouldTellProgressAtMostOncePerIntervalWhileReExecuting()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 20, 3);
        }
        // A clock that moves half a second each time it is read: the start, then once per block.
        final long[] now = {0};
        final java.util.function.LongSupplier clock = () ->
        {
            final long t = now[0];
            now[0] += 500_000_000L;
            return t;
        };
        try (ChronicleBlockJournal journal = open())
        {
            Recovery.recover(journal, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add, clock,
                RecoveryProgress.INTERVAL_NS);
        }
        assertEquals(List.of(
            "recovery: block 10 of 20 re-executed (50%), 2 blocks/s",
            "recovery: block 20 of 20 re-executed (100%), 2 blocks/s",
            "recovery: at block 20 from genesis, 20 blocks and 60 transactions re-executed"), log);
    }

    @Test
    void shouldTellNoProgressForARecoveryWithinTheInterval()
    {
        final ChainFixture fixture = new ChainFixture();
        try (ChronicleBlockJournal journal = open())
        {
            fixture.appendBlocks(journal, 20, 3);
        }
        final long[] now = {0};
        try (ChronicleBlockJournal journal = open())
        {
            // 20 blocks at 0.2 s each: the last one at 4 s, within the 5 s interval.
            Recovery.recover(journal, ChainFixture.GENESIS_JSON, new ReferenceExecutor(), log::add,
                () -> now[0]++ * 200_000_000L, RecoveryProgress.INTERVAL_NS);
        }
        assertEquals(List.of("recovery: at block 20 from genesis, 20 blocks and 60 transactions re-executed"), log);
    }

    private SnapshotStore store(final long interval, final int kept)
    {
        return new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash(ChainFixture.GENESIS_JSON),
            interval, kept);
    }

    private ChronicleBlockJournal open()
    {
        return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir).blockSizeBytes(16L << 20));
    }

    private void deleteSnapshots()
    {
        for (final Path p : store(1, 1).snapshots())
        {
            try
            {
                Files.delete(p);
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }
}
