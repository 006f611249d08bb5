package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.BlockExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.util.Sha256;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Brings a node's chain back to its last journaled block after a stop or a crash: the newest snapshot that loads
 * and matches the journal (older ones, then genesis, when it does not), then every journaled block after it
 * re-executed and checked against its header.
 * <pre>
 *   Chain chain = Recovery.recover(journal, genesisJson, executor, System.err::println);
 * </pre>
 */
public final class Recovery
{
    private Recovery()
    {
    }

    /**
     * Recover from a data directory: its stored genesis, its journal opened (torn tail cut off) and closed again.
     *
     * @param dataDir  the node's data directory, holding {@code genesis.json}.
     * @param executor that re-executes blocks.
     * @param log      receives warnings (a skipped snapshot, an index rebuilt and why) and a summary line.
     * @return the chain after the last journaled block.
     */
    public static Chain recover(final Path dataDir, final BlockExecutor executor, final Consumer<String> log)
    {
        final DataDirectory dir = new DataDirectory(dataDir);
        return recover(dataDir, dir.readGenesis(), executor, log);
    }

    /**
     * Recover from a data directory with a given genesis; the journal is opened (torn tail cut off) and closed again.
     *
     * @param dataDir     the node's data directory.
     * @param genesisJson the chain's genesis document.
     * @param executor    that re-executes blocks.
     * @param log         receives warnings (a skipped snapshot, an index rebuilt and why) and a summary line.
     * @return the chain after the last journaled block.
     */
    public static Chain recover(
        final Path dataDir, final String genesisJson, final BlockExecutor executor, final Consumer<String> log)
    {
        try (ChronicleBlockJournal journal = new ChronicleBlockJournal(new JournalContext().dataDirectory(dataDir)))
        {
            return recover(journal, genesisJson, executor, log);
        }
    }

    /**
     * Recover on an open journal, which the node then goes on appending to.
     *
     * @param journal     open on the node's data directory.
     * @param genesisJson the chain's genesis document.
     * @param executor    that re-executes blocks.
     * @param log         receives warnings (a skipped snapshot, an index rebuilt and why), progress while blocks are
     *                    re-executed for longer than {@link RecoveryProgress#INTERVAL_NS}, and a summary line.
     * @return the chain after the journal's last block.
     * @throws JournalCorruptedException naming a damaged block.
     * @throws ReplayMismatchException   naming a block that does not re-execute to its header.
     */
    public static Chain recover(
        final ChronicleBlockJournal journal, final String genesisJson, final BlockExecutor executor,
        final Consumer<String> log)
    {
        return recover(journal, genesisJson, executor, log, System::nanoTime, RecoveryProgress.INTERVAL_NS);
    }

    /**
     * {@link #recover(ChronicleBlockJournal, String, BlockExecutor, Consumer)} with the clock and interval of its
     * progress lines given.
     *
     * @param journal            open on the node's data directory.
     * @param genesisJson        the chain's genesis document.
     * @param executor           that re-executes blocks.
     * @param log                receives warnings, progress lines and a summary line.
     * @param nanoClock          the clock of the progress lines.
     * @param progressIntervalNs the least time between two progress lines, and before the first.
     * @return the chain after the journal's last block.
     */
    public static Chain recover(
        final ChronicleBlockJournal journal, final String genesisJson, final BlockExecutor executor,
        final Consumer<String> log, final LongSupplier nanoClock, final long progressIntervalNs)
    {
        final Genesis genesis = Genesis.parse(genesisJson);
        final JournalContext context = journal.context();
        final SnapshotStore snapshots = new SnapshotStore(journal.dataDirectory(),
            SnapshotStore.genesisHash(genesisJson), context.snapshotIntervalBlocks(), context.snapshotsKept());
        final long tableSeed = ThreadLocalRandom.current().nextLong();
        final String rebuilt = indexRebuildNote(journal);
        if (rebuilt != null)
        {
            log.accept("recovery: " + rebuilt);
        }

        try (JournalReader reader = journal.newReader())
        {
            Chain chain = null;
            for (final Path file : snapshots.snapshots())
            {
                try
                {
                    final Snapshot snapshot = snapshots.load(file, genesis, tableSeed);
                    checkAgainstJournal(snapshot, journal, reader);
                    chain = snapshot.toChain();
                    break;
                }
                catch (final SnapshotException ex)
                {
                    log.accept("recovery: skipping snapshot " + ex.getMessage());
                }
            }
            if (chain == null)
            {
                chain = new Chain(genesis.createState(tableSeed), 0, new byte[32]);
            }
            final long from = chain.height();
            if (from < journal.lastHeight() && !reader.seek(from + 1))
            {
                throw new JournalCorruptedException("journal has no block " + (from + 1) + " though it ends at " +
                    journal.lastHeight());
            }
            final JournalReplay replay = new JournalReplay();
            if (from < journal.lastHeight())
            {
                replay.run(reader, chain, executor,
                    new RecoveryProgress(log, nanoClock, progressIntervalNs, from, journal.lastHeight()));
            }
            if (chain.height() != journal.lastHeight())
            {
                throw new JournalCorruptedException("recovery reached block " + chain.height() +
                    " but the journal ends at block " + journal.lastHeight());
            }
            log.accept("recovery: at block " + chain.height() +
                (from > 0 ? " from the snapshot at " + from : " from genesis") +
                ", " + replay.blocks() + " blocks and " + replay.transactions() + " transactions re-executed");
            return chain;
        }
    }

    private static void checkAgainstJournal(
        final Snapshot snapshot, final ChronicleBlockJournal journal, final JournalReader reader)
    {
        final String name = snapshot.file().getFileName().toString();
        if (snapshot.height() > journal.lastHeight())
        {
            throw new SnapshotException(name + ": at height " + snapshot.height() +
                ", beyond the journal's last block " +
                journal.lastHeight());
        }
        if (!reader.seek(snapshot.height()) || !reader.next())
        {
            throw new SnapshotException(name + ": block " + snapshot.height() + " is not in the journal");
        }
        final BlockHeader header = reader.header();
        if (!Arrays.equals(header.stateRoot, snapshot.stateRoot()))
        {
            throw new SnapshotException(name + ": state root differs from the journaled header of block " +
                snapshot.height());
        }
        final byte[] hash = new byte[32];
        header.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], hash, 0);
        if (!Arrays.equals(hash, snapshot.lastHeaderHash()))
        {
            throw new SnapshotException(name + ": header hash differs from the journaled block " + snapshot.height());
        }
    }

    /**
     * What to tell an operator about the journal's indexes: why they were rebuilt at open, with the blocks and
     * transactions indexed, or null when they were trusted as found or the journal is empty.
     *
     * @param journal an open journal.
     * @return one line without a prefix, or null.
     */
    public static String indexRebuildNote(final ChronicleBlockJournal journal)
    {
        if (!journal.indexRebuilt() || journal.lastHeight() == 0)
        {
            return null;
        }
        return "journal index rebuilt from the journal (" + journal.lastHeight() + " blocks, " +
            journal.indexedTransactions() + " transactions): " + journal.indexRebuildReason();
    }
}
