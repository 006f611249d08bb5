package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalCorruptedException;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.JournalReplay;
import io.cmtchain.journal.Recovery;
import io.cmtchain.journal.ReplayMismatchException;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code cmt replay}: re-execute a node's journal from genesis (never from a snapshot) with the reference executor,
 * checking every block's transaction, receipts and state roots, and optionally that a list of transactions is
 * committed. Run it with the node stopped: it takes the data directory's lock.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {"Re-execute the journal from genesis and check every block; exit 0 only when all holds.",
        "Each block's transaction, receipts and state roots, receipts and, on a DPoS chain, its proposer's signature " +
            "and commit are checked, and every transaction's signature (--no-signatures skips that).",
        "Run it with the node stopped: it takes the data directory's lock, as the node does."})
public final class ReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The node's data directory.")
    Path data;

    @Option(names = "--expect", paramLabel = "FILE",
        description = "Transaction hashes (hex, one per line; blank lines and lines that start with # are skipped, " +
            "as in what cmt loadgen --record writes) that must be committed with status OK.")
    Path expect;

    @Option(names = "--genesis", paramLabel = "FILE", description = "Genesis JSON (default: DIR/genesis.json).")
    Path genesisFile;

    @Option(names = "--no-signatures", description = "Skip checking that every transaction's signature verifies " +
        "(ZIP-215, batched); the check is most of the replay's time.")
    boolean noSignatures;

    @Option(names = "--verify-threads", paramLabel = "N", description = "Threads that check the signatures, the " +
        "replaying one included, which joins them whenever it is not reading or executing a block; 1 to 64 " +
        "(default: the machine's cores, at most 64).")
    Integer verifyThreads;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            return replay(out);
        }
        catch (final ReplayFailure | JournalCorruptedException | ReplayMismatchException | GenesisException |
            IllegalStateException ex)
        {
            err.println("cmt replay: " + ex.getMessage());
            err.flush();
            return 1;
        }
    }

    private int replay(final PrintWriter out)
    {
        if (verifyThreads != null && verifyThreads < 1)
        {
            throw new IllegalArgumentException("--verify-threads must be >= 1, was " + verifyThreads);
        }
        if (verifyThreads != null && verifyThreads > NodeContext.MAX_VERIFIER_THREADS)
        {
            // Each thread has its own verifier's tables: thousands of them ran the heap out.
            throw new IllegalArgumentException("--verify-threads must be at most " +
                NodeContext.MAX_VERIFIER_THREADS + " (as the node's " + NodeContext.VERIFIER_THREADS_PROP + "), was " +
                verifyThreads);
        }
        final DataDirectory dir = new DataDirectory(data);
        if (!Files.isDirectory(dir.journalDir()))
        {
            throw new ReplayFailure("no journal in " + dir.root() + " (expected " + dir.journalDir() + ")");
        }
        final Path genesisPath = genesisFile != null ? genesisFile : dir.genesisFile();
        final String genesisJson = readText(genesisPath, "genesis");
        final Genesis genesis = Genesis.parse(genesisJson, "genesis file " + genesisPath);
        // Parsed before the replay, which may take long, so that a malformed file fails at once.
        final List<byte[]> expected = expect == null ? List.of() : parseHashes(readLines(expect));

        final long startNs = System.nanoTime();
        final Chain chain = new Chain(genesis.createState(System.nanoTime()), 0, new byte[32]);
        try (ReplaySignatureCheck signatures = noSignatures ? null : new ReplaySignatureCheck(
                verifyThreads != null ? verifyThreads :
                Math.min(Runtime.getRuntime().availableProcessors(), NodeContext.MAX_VERIFIER_THREADS));
            ChronicleBlockJournal journal = open(dir);
            JournalReader reader = journal.newReader())
        {
            final String rebuilt = Recovery.indexRebuildNote(journal);
            if (rebuilt != null)
            {
                out.println("replay: " + rebuilt);
            }
            final JournalReplay replay = new JournalReplay();
            replay.transactionCheck(signatures);
            final Progress progress = new Progress(out, replay, System.nanoTime());
            replay.run(reader, chain, new ReferenceExecutor(), progress);
            if (chain.height() != journal.lastHeight())
            {
                throw new ReplayFailure("replay stopped at block " + chain.height() +
                    " but the journal ends at block " +
                    journal.lastHeight());
            }
            final double seconds = Math.max(1e-9, (System.nanoTime() - progress.replayStartNs) / 1e9);
            out.printf("replay OK: %d blocks, %d transactions in %.2f s (%.0f tx/s, %.0f blocks/s), state root %s%n",
                replay.blocks(), replay.transactions(), seconds, replay.transactions() / seconds,
                replay.blocks() / seconds, Hex.encode(chain.state().stateRoot()));
            out.println(signatures == null ? "signatures not checked (--no-signatures)" :
                "signatures OK: all " + signatures.verified() + " verify (ZIP-215, checked on " +
                signatures.threads() + (signatures.threads() == 1 ? " thread)" : " threads)"));
            if (expect != null)
            {
                checkExpected(journal, expected);
                out.printf("expect OK: all %d transactions of %s committed%n", expected.size(), expect);
            }
            out.printf("replay total %.2f s including genesis and journal open%n",
                (System.nanoTime() - startNs) / 1e9);
            out.flush();
        }
        return 0;
    }

    private static ChronicleBlockJournal open(final DataDirectory dir)
    {
        try
        {
            return new ChronicleBlockJournal(new JournalContext().dataDirectory(dir));
        }
        catch (final RuntimeException ex)
        {
            if (CmtMain.thrownByChronicle(ex))
            {
                throw new ReplayFailure(CmtMain.journalFailure(dir.journalDir().toFile(), ex));
            }
            throw ex;
        }
    }

    private List<byte[]> parseHashes(final List<String> lines)
    {
        final List<byte[]> hashes = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            final String hex = line.startsWith("0x") ? line.substring(2) : line;
            final byte[] decoded;
            try
            {
                decoded = Hex.decode(hex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ReplayFailure(expect + " line " + (i + 1) + ": not a hex hash: " + line);
            }
            if (decoded.length != 32)
            {
                throw new ReplayFailure(expect + " line " + (i + 1) + ": a hash is 32 bytes, found " + decoded.length);
            }
            hashes.add(decoded);
        }
        return hashes;
    }

    private void checkExpected(final ChronicleBlockJournal journal, final List<byte[]> hashes)
    {
        int missing = 0;
        int rejected = 0;
        int unreadable = 0;
        String first = null;
        for (final byte[] hash : hashes)
        {
            final long location = journal.findTransaction(hash, 0);
            if (location == TxLocation.NOT_FOUND)
            {
                missing++;
                if (first == null)
                {
                    first = Hex.encode(hash) + " is not in the journal";
                }
                continue;
            }
            if (TxLocation.isUnreadable(location))
            {
                // The replay read every block in order; the lookup goes through the indexes, which can lead elsewhere.
                unreadable++;
                if (first == null)
                {
                    first = Hex.encode(hash) + ": the journal's index places it in block " +
                        TxLocation.height(location) + ", which cannot be read: " +
                        journal.unreadableCause().getMessage();
                }
                continue;
            }
            final int status = journal.status(location);
            if (status != ReceiptStatus.OK.value())
            {
                rejected++;
                if (first == null)
                {
                    first = Hex.encode(hash) + " in block " + TxLocation.height(location) + " was rejected with " +
                        ReceiptStatuses.name(status);
                }
            }
        }
        if (missing + rejected + unreadable > 0)
        {
            throw new ReplayFailure((missing + rejected + unreadable) + " of " + hashes.size() + " expected " +
                "transactions are not committed (" + missing + " missing, " + rejected + " rejected" +
                (unreadable > 0 ? ", " + unreadable + " in a block the journal cannot read" : "") + "); first: " +
                first);
        }
    }

    private static String readText(final Path file, final String what)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new ReplayFailure("cannot read " + what + " " + file + ": " + FileArguments.reason(ex));
        }
    }

    private static List<String> readLines(final Path file)
    {
        try
        {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new ReplayFailure("cannot read expect file " + file + ": " + FileArguments.reason(ex));
        }
    }

    /** Prints a progress line about once a second. */
    private static final class Progress implements JournalReplay.Listener
    {
        private final PrintWriter out;
        private final JournalReplay replay;
        private final long replayStartNs;
        private long nextPrintNs;
        private long lastTransactions;
        private long lastPrintNs;

        Progress(final PrintWriter out, final JournalReplay replay, final long nowNs)
        {
            this.out = out;
            this.replay = replay;
            this.replayStartNs = nowNs;
            this.lastPrintNs = nowNs;
            this.nextPrintNs = nowNs + TimeUnit.SECONDS.toNanos(1);
        }

        @Override
        public void onBlock(final long height, final int transactions)
        {
            final long now = System.nanoTime();
            if (now >= nextPrintNs)
            {
                final long txs = replay.transactions();
                out.printf("replay: block %d, %d blocks, %d transactions, %.0f tx/s%n", height, replay.blocks(), txs,
                    (txs - lastTransactions) / ((now - lastPrintNs) / 1e9));
                out.flush();
                lastTransactions = txs;
                lastPrintNs = now;
                nextPrintNs = now + TimeUnit.SECONDS.toNanos(1);
            }
        }
    }

    /** A check that failed, with its one-line reason. */
    private static final class ReplayFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        ReplayFailure(final String message)
        {
            super(message);
        }
    }
}
