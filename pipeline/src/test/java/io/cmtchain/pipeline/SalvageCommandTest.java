package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.JournalFiles;
import io.cmtchain.journal.JournalReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt salvage} on a node's data directory whose journal file was cut short: the blocks before the cut copied
 * into a new directory that {@code cmt replay} checks and a node goes on from, the damaged directory left as it was;
 * and what it refuses, with its exit statuses.
 */
class SalvageCommandTest
{
    private static final int SENDERS = 16;
    private static final int SENT = 80;
    private static final int OK = ReceiptStatus.OK.value();

    @TempDir
    File dir;

    private final TestChain chain = new TestChain(SENDERS);
    private final String genesisJson = DevnetGenesis.jsonWithAccounts(SENDERS);
    private final List<Integer> statuses = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Queue files of 16 MiB rather than 256, for the node and the salvage alike: less to copy, hash and scan. */
    @BeforeEach
    void smallQueueFiles()
    {
        System.setProperty(JournalContext.BLOCK_SIZE_PROP, Long.toString(16L << 20));
    }

    @AfterEach
    void clearQueueFileSize()
    {
        System.clearProperty(JournalContext.BLOCK_SIZE_PROP);
    }

    @Test
    void shouldCopyTheBlocksBeforeACutThatReplayChecksAndTheNodeGoesOnFrom() throws Exception
    {
        final File data = new File(dir, "data");
        final File salvaged = new File(dir, "salvaged");
        final long height = writeBlocks(data);
        final int cut = (int)height / 2 + 1;
        final long kept = transactionsUpTo(data, cut - 1);
        JournalFiles.truncateAtBlock(data.toPath(), cut);

        assertEquals(1, run("replay", "--data", data.getPath(), "--no-signatures"));
        assertTrue(err.toString().contains("without one, copy blocks 1 to " + (cut - 1) + " into a new data " +
            "directory with 'cmt salvage --data " + data + " --out NEWDIR'"), err.toString());
        err.getBuffer().setLength(0);
        final Map<String, String> before = describe(data.toPath());

        assertEquals(0, run("salvage", "--data", data.getPath(), "--out", salvaged.getPath()), err::toString);

        assertEquals(before, describe(data.toPath()), "the salvage changed the damaged directory");
        final List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out::toString);
        assertTrue(lines.get(0).startsWith("salvage: reading a copy of " + new File(data, "journal") + " ("),
            lines.get(0));
        assertEquals("salvage: copied " + (cut - 1) + " blocks and " + kept + " transactions into " + salvaged +
            ": blocks 1 to " + (cut - 1) + ", each read whole (checksum, height, transaction hashes) and chained to " +
            "the one before", lines.get(1));
        assertTrue(lines.get(2).startsWith("salvage: the journal of " + data + " cannot be read past block " +
            (cut - 1) + ": Chronicle Queue's end in " + new File(data, "journal") + " is at queue index ") &&
            lines.get(2).endsWith("): a file of it was cut short or zeroed"), lines.get(2));
        assertEquals("salvage: blocks " + cut + " to " + height + " were receipted and are lost (" +
            new DataDirectory(data.toPath()).heightIndexFile() + " says the journal held block " + height +
            " when it was last closed cleanly)", lines.get(3));
        assertEquals("salvage: snapshots are not copied: the node re-executes blocks 1 to " + (cut - 1) +
            " from genesis when it starts on " + salvaged, lines.get(4));
        assertEquals("salvage: next: start the node with --data " + salvaged + " and the validator key options it " +
            "ran with (it continues at block " + cut + "); run cmt replay --data " + salvaged + " to check the " +
            "copy; keep " + data + " until then", lines.get(5));

        out.getBuffer().setLength(0);
        assertEquals(0, run("replay", "--data", salvaged.getPath(), "--no-signatures"), err::toString);
        assertTrue(out.toString().contains("replay OK: " + (cut - 1) + " blocks, " + kept + " transactions"),
            out.toString());

        // The transfers of the blocks lost, sent again, follow on: every nonce where the salvaged state expects it.
        statuses.clear();
        final long goneOn;
        try (Node node = Node.launch(context(salvaged, null)))
        {
            assertEquals(cut - 1, node.chain().height());
            chain.submitAndAwaitReceipts(node, (int)kept, SENT - (int)kept, statuses);
            goneOn = node.chain().height();
        }
        assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);
        assertTrue(goneOn >= cut, "height " + goneOn);
        out.getBuffer().setLength(0);
        assertEquals(0, run("replay", "--data", salvaged.getPath(), "--no-signatures"), err::toString);
        assertTrue(out.toString().contains("replay OK: " + goneOn + " blocks, " + SENT + " transactions"),
            out.toString());
    }

    /** Refused while a node runs on the directory; once it has stopped, a whole journal is copied, nothing lost. */
    @Test
    void shouldRefuseADataDirectoryANodeRunsOnAndCopyItWholeOnceTheNodeHasStopped()
    {
        final File data = new File(dir, "data");
        final File salvaged = new File(dir, "salvaged");
        final long height = writeBlocks(data);
        try (Node node = Node.launch(context(data, null)))
        {
            assertEquals(height, node.chain().height());
            assertEquals(1, run("salvage", "--data", data.getPath(), "--out", salvaged.getPath()));
        }
        assertEquals("cmt salvage: data directory " + data + " is already open in this process (a node running on " +
            "it?): stop it first; salvage reads " + data + " only while nothing writes it", err.toString().strip());
        assertFalse(salvaged.exists());
        assertEquals("", out.toString());

        err.getBuffer().setLength(0);
        assertEquals(0, run("salvage", "--data", data.getPath(), "--out", salvaged.getPath()), err::toString);
        final String said = out.toString();
        assertTrue(said.contains("\nsalvage: copied " + height + " blocks and " + SENT + " transactions into " +
            salvaged + ": blocks 1 to " + height + ", "), said);
        assertTrue(said.contains("\nsalvage: the journal of " + data + " was read to its end\n"), said);
        assertTrue(said.contains("\nsalvage: nothing was lost: " + new DataDirectory(data.toPath()).heightIndexFile() +
            " says the journal held block " + height + " when it was last closed cleanly, and the copy ends at block " +
            height + "\n"), said);
    }

    @Test
    void shouldRefuseAnOutputThatIsNotEmptyAndADataDirectoryWithoutAJournalAndExitOne() throws IOException
    {
        final File data = new File(dir, "data");
        writeBlocks(data);
        final File other = new File(dir, "other");
        Files.createDirectories(other.toPath().resolve("journal"));
        assertEquals(1, run("salvage", "--data", data.getPath(), "--out", other.getPath()));
        assertEquals("cmt salvage: --out " + other + " is not empty: salvage never writes over a data directory; " +
            "give a directory that does not exist, or an empty one", err.toString().strip());

        err.getBuffer().setLength(0);
        final File empty = new File(dir, "empty");
        assertTrue(empty.mkdir());
        assertEquals(1, run("salvage", "--data", empty.getPath(), "--out", new File(dir, "salvaged").getPath()));
        assertEquals("cmt salvage: no journal in " + empty + " (expected " + new File(empty, "journal") + ")",
            err.toString().strip());
        assertFalse(new File(dir, "salvaged").exists());
        assertEquals("", out.toString());
    }

    /**
     * A salvage that fails once it has begun (here: the new journal keeps more free disk space than there is) exits
     * 2 and leaves the new directory marked unfinished, which replay and the node then refuse.
     */
    @Test
    void shouldExitTwoAndLeaveTheNewDirectoryMarkedUnfinishedWhenItFails() throws Exception
    {
        final File data = new File(dir, "data");
        final File salvaged = new File(dir, "salvaged");
        writeBlocks(data);
        final Map<String, String> before = describe(data.toPath());
        System.setProperty(JournalContext.MIN_FREE_BYTES_PROP, Long.toString(1L << 60));
        try
        {
            assertEquals(2, run("salvage", "--data", data.getPath(), "--out", salvaged.getPath()));
        }
        finally
        {
            System.clearProperty(JournalContext.MIN_FREE_BYTES_PROP);
        }
        final String said = err.toString().strip();
        assertTrue(said.startsWith("cmt salvage: block 1 (") && said.endsWith("; " + salvaged + " is unfinished, " +
            "and marked so (" + new File(salvaged, DataDirectory.SALVAGE_MARKER_FILE) + "): the node and cmt replay " +
            "refuse it; delete it and run cmt salvage again (" + data + " was not changed)"), said);
        assertEquals(before, describe(data.toPath()));

        err.getBuffer().setLength(0);
        final String unfinished = "data directory " + salvaged + " holds an unfinished cmt salvage (" +
            new File(salvaged, DataDirectory.SALVAGE_MARKER_FILE) + " says from where): delete the directory and run " +
            "cmt salvage again";
        assertEquals(1, run("replay", "--data", salvaged.getPath()));
        assertEquals("cmt replay: " + unfinished, err.toString().strip());
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> Node.launch(context(salvaged, genesisJson)).close());
        assertEquals(unfinished, refused.getMessage());
    }

    @Test
    void shouldExplainItselfInHelp()
    {
        assertEquals(0, run("salvage", "--help"));
        final String help = out.toString();
        assertTrue(help.startsWith("Usage: cmt salvage [-hV] --data=DIR --out=NEWDIR"), help);
        assertTrue(help.contains(DataDirectory.SALVAGE_MARKER_FILE) && help.contains("NEWDIR must not exist, or be " +
            "empty") && help.contains("Exit status 0"), help);
    }

    /** Run a node on a fresh directory until {@link #SENT} transfers are receipted OK, and stop it; its height. */
    private long writeBlocks(final File data)
    {
        try (Node node = Node.launch(context(data, genesisJson)))
        {
            chain.submitAndAwaitReceipts(node, 0, SENT, statuses);
            assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);
            assertTrue(node.chain().height() >= SENT / 8, "blocks of at most 8: " + node.chain().height());
            return node.chain().height();
        }
    }

    private NodeContext context(final File data, final String json)
    {
        final NodeContext ctx = TestChain.invokerContext(data, statuses).snapshotIntervalBlocks(3);
        return json == null ? ctx : ctx.genesisJson(json);
    }

    /** @return the transactions of blocks 1 to {@code last} of an undamaged journal. */
    private static long transactionsUpTo(final File data, final long last)
    {
        long transactions = 0;
        try (ChronicleBlockJournal journal =
                new ChronicleBlockJournal(new JournalContext().dataDirectory(data.toPath()));
            JournalReader reader = journal.newReader())
        {
            for (long h = 1; h <= last; h++)
            {
                assertTrue(reader.next());
                transactions += reader.header().txCount;
            }
        }
        return transactions;
    }

    private int run(final String... args)
    {
        return CmtCommand.run(out, err, args);
    }

    /** @return every file and directory under {@code root} by path: a directory, or a file's length and SHA-256. */
    private static Map<String, String> describe(final Path root) throws IOException, NoSuchAlgorithmException
    {
        final Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                if (Files.isDirectory(path))
                {
                    entries.put(root.relativize(path).toString(), "directory");
                    continue;
                }
                final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256))
                {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                entries.put(root.relativize(path).toString(),
                    Files.size(path) + " bytes, SHA-256 " + Hex.encode(sha256.digest()));
            }
        }
        return entries;
    }
}
