package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.pipeline.Await;
import io.cmtchain.pipeline.CmtCommand;
import io.cmtchain.pipeline.DevnetGenesis;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.ThreadingMode;
import io.cmtchain.pipeline.UdpNodes;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt node}: what it refuses before it starts a node, in this JVM, and a whole run in a child JVM (started,
 * its lines, a second node refused on its directory and on its port, SIGTERM drained to exit 0).
 */
class NodeCommandTest
{
    @TempDir
    File dir;

    /** Set by the build for the journal tests' child JVMs; not a node setting, so a node would warn of it. */
    private static final String BUILD_PROPERTY = "cmt.jvmFlags";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private String buildProperty;

    @BeforeEach
    void clearTheBuildsProperty()
    {
        buildProperty = System.clearProperty(BUILD_PROPERTY);
    }

    @AfterEach
    void restoreTheBuildsProperty()
    {
        if (buildProperty != null)
        {
            System.setProperty(BUILD_PROPERTY, buildProperty);
        }
    }

    @Test
    void shouldRefuseADurabilityOrThreadingItDoesNotKnowNamingTheValueGiven()
    {
        final String data = new File(dir, "data").getPath();
        assertEquals(1, run("node", "--data", data, "--durability", "disk"));
        assertEquals("cmt node: --durability must be process or power, was disk", err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, run("node", "--data", data, "--threading", "many"));
        assertEquals("cmt node: --threading must be shared or dedicated, was many", err.toString().strip());

        assertEquals("", out.toString());
        assertFalse(new File(data).exists(), "a refused command created the data directory");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldRefuseTheInvokerThreadingModeFromItsProperty()
    {
        final String data = new File(dir, "data").getPath();
        System.setProperty(NodeContext.THREADING_MODE_PROP, "invoker");
        try
        {
            assertEquals(1, run("node", "--data", data));
        }
        finally
        {
            System.clearProperty(NodeContext.THREADING_MODE_PROP);
        }
        assertEquals("cmt node: cmt.threading.mode must be shared or dedicated, was invoker (for a program that runs " +
            "the node's stages itself)", err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void shouldWarnOfACmtPropertyThatIsNoSettingBeforeAnythingElse()
    {
        final String property = "cmt.no.such.setting";
        System.setProperty(property, "1");
        try
        {
            assertEquals(1, run("node", "--data", new File(dir, "data").getPath(), "--durability", "disk"));
        }
        finally
        {
            System.clearProperty(property);
        }
        final List<String> lines = err.toString().strip().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("cmt node: warning: " + property + " is not a setting of cmtchain; it " +
            "is ignored"), lines.get(0));
        assertEquals("cmt node: --durability must be process or power, was disk", lines.get(1));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldNotStartWithLessFreeDiskSpaceThanTheJournalKeeps()
    {
        final File data = new File(dir, "data");
        final long kept = data.getParentFile().getUsableSpace() + (1L << 40);
        System.setProperty(JournalContext.MIN_FREE_BYTES_PROP, Long.toString(kept));
        try
        {
            assertEquals(1, run("node", "--data", data.getPath()));
        }
        finally
        {
            System.clearProperty(JournalContext.MIN_FREE_BYTES_PROP);
        }
        final String line = err.toString().strip();
        assertTrue(line.startsWith("cmt node: not starting: ") &&
            line.endsWith(" MiB free on " + new File(data, "journal") + ", and the journal keeps at least " +
            (kept >> 20) + " MiB free (" + JournalContext.MIN_FREE_BYTES_PROP + "); free disk space, or lower the " +
            "setting"), line);
        assertFalse(out.toString().contains("ready"), out.toString());
        assertFalse(new File(data, "genesis.json").exists(),
            "a refused start stored a genesis, which would refuse the next start's --genesis as another chain's");
    }

    /**
     * A part of the data directory that cannot be made: the JDK's exception names only the path (as for a directory
     * the node may not write to), and the line said which part but not why.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldSayWhyAPartOfTheDataDirectoryCannotBeMade() throws IOException
    {
        final File data = new File(dir, "data");
        assertTrue(data.mkdir());
        final File journal = new File(data, "journal");
        assertTrue(journal.createNewFile());

        assertEquals(1, run("node", "--data", data.getPath()));
        assertEquals("cmt node: cannot create the data directory's parts in " + data + ": " + journal +
            ": it already exists", err.toString().strip());
        assertTrue(journal.isFile());
    }

    /**
     * A journal directory in which no file can be created: the node started and said ready, and would have failed
     * at its next hourly queue file; one whose data directory is not writable replayed its whole chain first.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldRefuseAJournalDirectoryItCannotWriteIn() throws Exception
    {
        final File data = new File(dir, "data");
        final File journal = new File(data, "journal");
        assertTrue(journal.mkdirs());
        boolean immutable = false;
        try
        {
            immutable = makeUnwritable(journal);
            assertNodeRefusesUnwritable(data, journal, immutable);
        }
        finally
        {
            makeWritable(journal, immutable);
        }
    }

    /**
     * A journal of blocks, left by a node that stopped, in a directory that has since become read-only: refused before
     * the journal is opened, and its files stay as they were (only the empty journal's case was shown).
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldRefuseAJournalOfBlocksInADirectoryItCannotWriteInAndLeaveItsFilesAsTheyWere() throws Exception
    {
        final File data = new File(dir, "data");
        assertTrue(writeBlocks(data, 8) >= 4);
        final File journal = new File(data, DataDirectory.JOURNAL_DIR);
        final Map<String, String> files = describe(journal);
        assertTrue(files.keySet().stream().anyMatch(name -> name.endsWith(".cq4")), files::toString);
        boolean immutable = false;
        try
        {
            immutable = makeUnwritable(journal);
            assertNodeRefusesUnwritable(data, journal, immutable);
            assertEquals(files, describe(journal), "the refused start changed the journal's files");
        }
        finally
        {
            makeWritable(journal, immutable);
        }
    }

    /**
     * A damaged journal file that Chronicle Queue itself refuses: its message ("Can't append to a read-only
     * chronicle", for a damaged metadata file) named neither the journal nor the damage.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldSayTheJournalIsDamagedWhenChronicleRefusesItsFiles() throws IOException
    {
        final File data = new File(dir, "data");
        new ChronicleBlockJournal(new JournalContext().dataDirectory(new DataDirectory(data.toPath()))).close();
        final File journal = new File(data, DataDirectory.JOURNAL_DIR);
        final File metadata = new File(journal, "metadata.cq4t");
        final byte[] bytes = Files.readAllBytes(metadata.toPath());
        final int roll = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("SCQSRoll");
        assertTrue(roll > 0);
        Arrays.fill(bytes, roll + 14, roll + 22, (byte)'X');
        Files.write(metadata.toPath(), bytes);

        assertEquals(1, run("node", "--data", data.getPath()));
        final String line = err.toString().strip();
        assertTrue(line.startsWith("cmt node: cannot open the journal in " + journal + ": a file of it is damaged, " +
            "or not a journal's (Chronicle Queue: ") && line.endsWith("); restore the data directory from a backup"),
            line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void shouldRefuseAJournalSettingThatIsNoNumberBeforeStoringTheGenesis()
    {
        final File data = new File(dir, "data");
        System.setProperty(JournalContext.MIN_FREE_BYTES_PROP, "100T");
        try
        {
            assertEquals(1, run("node", "--data", data.getPath()));
        }
        finally
        {
            System.clearProperty(JournalContext.MIN_FREE_BYTES_PROP);
        }
        final String line = err.toString().strip();
        assertTrue(line.startsWith("cmt node: " + JournalContext.MIN_FREE_BYTES_PROP) && line.contains("100T"), line);
        assertFalse(new File(data, "genesis.json").exists(),
            "a refused start stored a genesis, which would refuse the next start's --genesis as another chain's");
    }

    /**
     * A start refused once the journal is open (here its ingress port is taken; a validator key missing is another)
     * stores no genesis in a fresh data directory either: the next start, given the genesis the operator meant, would
     * be refused as another chain's, though no block of the first was ever journaled.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldNotStoreTheGenesisWhenRefusedForAPortTaken() throws IOException
    {
        final File data = new File(dir, "data");
        final File other = new File(dir, "other-genesis.json");
        Files.writeString(other.toPath(), DevnetGenesis.jsonWithAccounts(4));
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final String ingress = "aeron:udp?endpoint=localhost:" + taken.getLocalPort();
            System.setProperty(TransportContext.INGRESS_CHANNEL_PROP, ingress);
            try
            {
                assertEquals(1, run("node", "--data", data.getPath()));
                assertTrue(err.toString().startsWith("cmt node: cannot listen on " + ingress), err.toString());
                assertFalse(new File(data, "genesis.json").exists(),
                    "a refused start stored a genesis, which would refuse the next start's --genesis as another " +
                    "chain's");

                // Another genesis: refused for the port again, not as another chain's.
                err.getBuffer().setLength(0);
                assertEquals(1, run("node", "--data", data.getPath(), "--genesis", other.getPath()));
                assertTrue(err.toString().startsWith("cmt node: cannot listen on " + ingress), err.toString());
            }
            finally
            {
                System.clearProperty(TransportContext.INGRESS_CHANNEL_PROP);
            }
        }
    }

    @Test
    void shouldRunUntilSignalledAndRefuseASecondNodeOnItsDirectoryOrItsPort() throws Exception
    {
        final String ingress = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
        final File data = new File(dir, "data");
        // The options given win over the properties (dedicated threading would spin a thread per stage on 2 cores).
        try (ChildJvm child = startNode(List.of(TransportContext.INGRESS_CHANNEL_PROP + "=" + ingress,
            NodeContext.THREADING_MODE_PROP + "=DEDICATED", NodeContext.DURABILITY_PROP + "=PROCESS"),
            "--data", data.getPath(), "--durability", " Power ", "--threading", "Shared"))
        {
            final Process node = child.process();
            awaitReady(child);
            final String started = child.output();
            assertTrue(started.contains("cmt node: chain 1001, 4 validators, height 0, threading SHARED, "),
                started);
            assertTrue(started.contains(", journal chronicle (POWER), "), started);
            assertTrue(started.contains(", pid " + node.pid() + "\n"), started);
            assertTrue(started.contains("cmt node: counters in " + new File(data, "cmt-counters.dat") +
                " (watch with: cmt stat --data " + data + ")\n"), started);
            assertTrue(started.contains(NodeCommand.READY + ": clients on " + ingress + " stream 1001 and aeron:ipc"),
                started);
            assertFalse(started.contains("the default for trying things out"), started);

            // A second node on the same directory, with a key file others can read: warned, then refused.
            final File key = new File(dir, "validator.key");
            assertEquals(0, run("keygen", "--out", key.getPath()), err::toString);
            Files.setPosixFilePermissions(key.toPath(), PosixFilePermissions.fromString("rw-r--r--"));
            out.getBuffer().setLength(0);
            assertEquals(1, run("node", "--data", data.getPath(), "--validator-key", key.getPath()));
            assertEquals(List.of(
                "cmt node: warning: " + key + " is readable by other users; anyone who reads it can sign as its " +
                    "validator (chmod 600 " + key + ")",
                "cmt node: a node (pid " + node.pid() + ") is running on " + data), err.toString().strip().lines()
                .toList());

            // A second node on another directory but the same ingress port.
            err.getBuffer().setLength(0);
            System.setProperty(TransportContext.INGRESS_CHANNEL_PROP, ingress);
            try
            {
                assertEquals(1, run("node", "--data", new File(dir, "other").getPath()));
            }
            finally
            {
                System.clearProperty(TransportContext.INGRESS_CHANNEL_PROP);
            }
            assertEquals("cmt node: cannot listen on " + ingress + ": the address is in use (another node on this " +
                "machine?); give this one another with CMT_JAVA_OPTS='-D" + TransportContext.INGRESS_CHANNEL_PROP +
                "=aeron:udp?endpoint=localhost:PORT' bin/cmt node ...", err.toString().strip());

            // SIGTERM: drained, journal closed, exit 0.
            node.toHandle().destroy();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), () -> "still running:\n" + child.output());
            final String stopped = child.output();
            assertEquals(0, node.exitValue(), stopped);
            assertTrue(stopped.contains("cmt: shutting down: draining accepted transactions to receipts (signal " +
                "again to force exit)\n"), stopped);
            assertTrue(stopped.endsWith("cmt node: stopped at height 0, journal closed\n"), stopped);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a node started here would run for good
    void shouldNotStartWhenTheParentItWasGivenHasExited() throws Exception
    {
        final Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        final File data = new File(dir, "data");
        assertEquals(1, run("node", "--data", data.getPath(), "--parent-pid", Long.toString(gone.pid())));
        assertEquals("cmt node: its parent process (pid " + gone.pid() + ") has exited; not starting",
            err.toString().strip());
        assertFalse(data.exists(), "a node whose parent has exited created its data directory");
    }

    @Test
    void shouldDrainAndExitWhenItsParentExits() throws Exception
    {
        final Process parent = new ProcessBuilder("sleep", "600").start();
        try (ChildJvm child = startNodeOf(parent))
        {
            awaitReady(child);
            parent.destroy();
            final Process node = child.process();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), () -> "still running after its parent exited:\n" +
                child.output());
            final String text = child.output();
            assertEquals(0, node.exitValue(), text);
            assertTrue(text.contains("cmt: shutting down: draining accepted transactions to receipts"), text);
            assertTrue(text.endsWith("cmt node: stopped at height 0, journal closed\n"), text);
        }
        finally
        {
            parent.destroyForcibly();
        }
    }

    @Test
    void shouldExitWhenItsParentExitsWhileItStarts() throws Exception
    {
        final Process parent = new ProcessBuilder("sleep", "600").start();
        try (ChildJvm child = startNodeOf(parent))
        {
            parent.destroy();
            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
            // Gone before the node looked (not started, 1) or while it launched (drained, 0): either way it exits.
            final Process node = child.process();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), () -> "still running, its parent gone:\n" +
                child.output());
            final String text = child.output();
            assertTrue(text.contains("has exited; not starting") && node.exitValue() == 1 ||
                text.endsWith("cmt node: stopped at height 0, journal closed\n") && node.exitValue() == 0, text);
        }
        finally
        {
            parent.destroyForcibly();
        }
    }

    /** {@code cmt node ARGS} in a child JVM with these system properties, its output in DIR/node.log. */
    private ChildJvm startNode(final List<String> properties, final String... args) throws IOException
    {
        final String[] command = new String[args.length + 1];
        command[0] = "node";
        System.arraycopy(args, 0, command, 1, args.length);
        return ChildJvm.start(new File(dir, "node.log"), properties, CmtMain.class.getName(), command);
    }

    /** {@code cmt node --parent-pid PID} of {@code parent}, on a free ingress port. */
    private ChildJvm startNodeOf(final Process parent) throws IOException
    {
        return startNode(List.of(TransportContext.INGRESS_CHANNEL_PROP + "=aeron:udp?endpoint=localhost:" +
            UdpNodes.freePort()), "--data", new File(dir, "data").getPath(), "--parent-pid",
            Long.toString(parent.pid()));
    }

    private static void awaitReady(final ChildJvm child)
    {
        Await.until(() -> child.output().contains(NodeCommand.READY), 60_000, () -> "not ready:\n" + child.output());
    }

    private int run(final String... args)
    {
        return CmtCommand.run(out, err, args);
    }

    /**
     * @return true when made unwritable with chattr +i (root, whom permission bits do not restrict, on a file system
     *         with the immutable attribute: ext4, xfs); false with permission bits; the test skipped when neither.
     */
    private static boolean makeUnwritable(final File directory) throws Exception
    {
        Files.setPosixFilePermissions(directory.toPath(), PosixFilePermissions.fromString("r-xr-xr-x"));
        final File probe = new File(directory, "probe");
        if (!probe.createNewFile())
        {
            return false;
        }
        assertTrue(probe.delete());
        org.junit.jupiter.api.Assumptions.assumeTrue(
            new ProcessBuilder("chattr", "+i", directory.getPath()).inheritIO().start().waitFor() == 0,
            "chattr +i is not available to this root");
        return true;
    }

    /** Undo {@link #makeUnwritable(File)}, so that the temporary directory can be deleted. */
    private static void makeWritable(final File directory, final boolean immutable) throws Exception
    {
        if (immutable)
        {
            assertEquals(0, new ProcessBuilder("chattr", "-i", directory.getPath()).inheritIO().start().waitFor());
        }
        Files.setPosixFilePermissions(directory.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code cmt node} on {@code data} exits 1 with the one line naming the unwritable journal directory. */
    private void assertNodeRefusesUnwritable(final File data, final File journal, final boolean immutable)
    {
        assertEquals(1, run("node", "--data", data.getPath()));
        assertEquals("cmt node: not starting: the journal directory " + journal + " is not writable: " +
            (immutable ? "Operation not permitted" : "permission denied"), err.toString().strip());
        assertFalse(out.toString().contains("ready"), out.toString());
    }

    /**
     * Run a node on the calling thread in a fresh data directory until it has journaled a transfer from each of the
     * given number of devnet accounts, in blocks of at most 2 (signature checks off), and stop it.
     *
     * @return the height it stopped at.
     */
    private static long writeBlocks(final File data, final int accounts)
    {
        final String json = DevnetGenesis.jsonWithAccounts(accounts);
        final TransactionBuilder builder = new TransactionBuilder(Genesis.parse(json).chainId());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final List<Integer> statuses = new ArrayList<>();
        try (Node node = Node.launch(new NodeContext().dataDir(data).genesisJson(json)
            .threadingMode(ThreadingMode.INVOKER).sigverify("none").blockMaxTxs(2).blockIntervalMs(1).log(line -> { })
            .receiptSink((clientId, hash, offset, status, height, fee) -> statuses.add(status))))
        {
            for (int i = 0; i < accounts; i++)
            {
                final int length = builder.transfer(Genesis.devnetAccountKey(i), 0, 100, 0,
                    Genesis.devnetAccountKey((i + 1) % accounts).address(), 1, frame, 0);
                final long clientId = i;
                Await.until(() ->
                {
                    if (node.ingress().onTransaction(frame, 0, length, clientId) == TransactionSink.ACCEPTED)
                    {
                        return true;
                    }
                    node.doWork();
                    return false;
                }, 30_000, () -> "ring full");
            }
            Await.until(() ->
            {
                node.doWork();
                return statuses.size() >= accounts;
            }, 30_000, () -> statuses.size() + " of " + accounts + " receipts");
            assertEquals(Collections.nCopies(accounts, (int)ReceiptStatus.OK.value()), statuses);
            return node.chain().height();
        }
    }

    /** @return each file in {@code directory} by name: its length, modification time and SHA-256 of its bytes. */
    private static Map<String, String> describe(final File directory) throws Exception
    {
        final Map<String, String> files = new TreeMap<>();
        for (final File file : Objects.requireNonNull(directory.listFiles(), directory::getPath))
        {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(new FileInputStream(file), sha256))
            {
                in.transferTo(OutputStream.nullOutputStream());
            }
            files.put(file.getName(), file.length() + " bytes, modified " +
                Files.getLastModifiedTime(file.toPath()) + ", SHA-256 " + Hex.encode(sha256.digest()));
        }
        return files;
    }
}
