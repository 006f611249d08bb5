package io.cmtchain.pipeline.cli;

import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.JournalSalvage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cmt salvage}: copy the blocks a damaged journal can still read into a new data directory
 * ({@link JournalSalvage}), and say what was copied, what is lost and what to do next.
 */
@Command(
    name = "salvage",
    mixinStandardHelpOptions = true,
    description = {
        "Copy the blocks a damaged journal can still read into a new data directory, for the node to go on from " +
            "when there is no backup (a journal file cut short or zeroed, which the node refuses).",
        "Blocks 1 to N are read in height order, each checked (checksum, height, every transaction's hash) and " +
            "chained to the one before (its parent hash); the copy stops at the first that is not, and says where " +
            "and which blocks are lost. They are written as the node writes them, with DIR's genesis. Snapshots are " +
            "not copied: the node re-executes the blocks from genesis when it starts on NEWDIR.",
        "DIR is not written: its journal is read from a copy made in NEWDIR and removed when done (so NEWDIR's " +
            "disk needs room for both), and DIR's lock is taken shared: salvage refuses while a node runs on DIR, " +
            "and the node refuses to start while salvage reads it.",
        "NEWDIR must not exist, or be empty. Until salvage has finished it holds a file " +
            DataDirectory.SALVAGE_MARKER_FILE + ", and the node and cmt replay refuse it: a salvage that fails or " +
            "is killed leaves NEWDIR so; delete NEWDIR and run salvage again.",
        "Then start the node with --data NEWDIR (and the validator key options it ran with), run cmt replay --data " +
            "NEWDIR, and keep DIR until then.",
        "Exit status 0 when the blocks that can be read were copied, 1 when refused (no journal or genesis in DIR, " +
            "DIR in use, NEWDIR not empty), 2 when the salvage failed (NEWDIR left marked unfinished)."})
public final class SalvageCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "The damaged data directory: read, never written.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "NEWDIR",
        description = "The new data directory: must not exist, or be empty.")
    Path out;

    @Override
    public Integer call()
    {
        final PrintWriter o = spec.commandLine().getOut();
        final DataDirectory from = new DataDirectory(data);
        final DataDirectory to = new DataDirectory(out);
        final JournalSalvage.Result result = new JournalSalvage(from, to, line ->
        {
            o.println(line);
            o.flush();
        }).run();
        summarise(o, from, to, result);
        o.flush();
        return 0;
    }

    private static void summarise(
        final PrintWriter o, final DataDirectory from, final DataDirectory to, final JournalSalvage.Result r)
    {
        final long n = r.lastHeight();
        if (!r.locked())
        {
            o.println("salvage: " + from.root() + " has no lock file, so no node had it open; none was made there");
        }
        o.println("salvage: copied " + r.blocks() + " blocks and " + r.transactions() + " transactions into " +
            to.root() + (n > 0 ? ": " + blocks(1, n) + ", each read whole (checksum, height, transaction hashes) " +
            "and chained to the one before" : ""));
        if (r.stopReason() != null)
        {
            o.println("salvage: the journal of " + from.root() + " cannot be read past block " + n + ": " +
                r.stopReason());
        }
        else
        {
            o.println("salvage: the journal of " + from.root() + " was read to its end" +
                (r.tornIndex() == JournalReader.NO_TORN_ENTRY ? "" : "; its last entry, at queue index " +
                Long.toHexString(r.tornIndex()) + ", is torn (a write cut off when the process stopped, never " +
                "receipted) and was left out"));
        }
        o.println("salvage: " + lost(from, r));
        if (r.copyLeft() != null)
        {
            o.println("salvage: " + r.copyLeft());
        }
        o.println("salvage: snapshots are not copied: the node re-executes " + (n > 0 ? blocks(1, n) : "nothing") +
            " from genesis when it starts on " + to.root());
        o.println("salvage: next: start the node with --data " + to.root() + " and the validator key options it " +
            "ran with (it continues at block " + (n + 1) + "); run cmt replay --data " + to.root() + " to check " +
            "the copy; keep " + from.root() + " until then");
    }

    /** @return which blocks the damaged directory's index says were receipted and are not in the copy. */
    private static String lost(final DataDirectory from, final JournalSalvage.Result r)
    {
        final long n = r.lastHeight();
        if (!r.indexRead())
        {
            return "the index cannot say which blocks were receipted (" + r.indexNote() + ")" +
                (r.stopReason() != null ? ": any block after " + n + " that the node journaled is lost" : "");
        }
        final long clean = r.cleanHeight();
        final long recorded = r.indexClean() ? clean : r.indexLastHeight();
        final String index = r.heightIndexFile().toString();
        if (clean > n)
        {
            return blocks(n + 1, clean) + were(n + 1, clean) + " receipted and " + (clean > n + 1 ? "are" : "is") +
                " lost (" + index + " says the journal held block " + clean + " when it was last closed cleanly)" +
                (recorded > clean ? "; the index recorded blocks up to " + recorded + " after that without a clean " +
                "close: " + blocks(clean + 1, recorded) + ", most likely receipted too, " + (recorded > clean + 1 ?
                "are" : "is") + " lost as well" : "");
        }
        if (recorded > n)
        {
            final boolean many = recorded > n + 1;
            return blocks(n + 1, recorded) + (many ? " are" : " is") + " lost: " + index + " recorded " +
                (many ? "them" : "it") + " after its last clean close (at block " + clean + "), and " +
                (many ? "they were" : "it was") + " most likely receipted";
        }
        return (r.stopReason() == null ? "nothing was lost: " : "no block the index knows of is lost: ") + index +
            " says the journal held block " + clean + " when it was last closed cleanly" +
            (recorded > clean ? " and recorded blocks up to " + recorded + " since" : "") + ", and the copy ends at " +
            "block " + n;
    }

    private static String were(final long first, final long last)
    {
        return first == last ? " was" : " were";
    }

    private static String blocks(final long first, final long last)
    {
        return first == last ? "block " + first : "blocks " + first + " to " + last;
    }
}
