package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.pipeline.CmtCommand;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.Stdout;
import io.cmtchain.pipeline.ThreadingMode;
import io.cmtchain.pipeline.UdpNodes;
import io.cmtchain.pipeline.ValidatorKeyFile;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.NodeTransport;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CmtCliTest
{
    @TempDir
    File dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return CmtCommand.run(out, err, args);
    }

    @Test
    void shouldNameEveryCommandAndTheBenchmarkCommandsOfTheOtherJarInHelp()
    {
        assertEquals(0, run("--help"));
        final String text = out.toString();
        for (final String command : new String[] {"node", "demo", "stat", "loadgen", "replay", "salvage", "keygen",
            "sigcheck", "scenario", "account", "receipt", "send", "bin/cmt bench --help", "bin/cmt report --help"})
        {
            assertTrue(text.contains(command), command + " missing from:\n" + text);
        }
    }

    @Test
    void shouldNameWhatEveryOptionTakesInsteadOfPicocliFieldNames()
    {
        final StringBuilder unlabelled = new StringBuilder();
        unlabelledOptions(CmtMain.commandLine(), unlabelled);
        assertEquals("", unlabelled.toString(), "options showing a field name as their value in --help");
    }

    private static void unlabelledOptions(final CommandLine commandLine, final StringBuilder unlabelled)
    {
        for (final CommandLine.Model.OptionSpec option : commandLine.getCommandSpec().options())
        {
            if (!option.hidden() && option.arity().max() > 0 && option.paramLabel().startsWith("<"))
            {
                unlabelled.append(commandLine.getCommandName()).append(' ').append(option.longestName())
                    .append(' ').append(option.paramLabel()).append('\n');
            }
        }
        for (final CommandLine subcommand : commandLine.getSubcommands().values())
        {
            unlabelledOptions(subcommand, unlabelled);
        }
    }

    @Test
    void shouldSayToStopTheNodeFirstInReplayHelp()
    {
        assertEquals(0, run("replay", "--help"));
        assertTrue(out.toString().contains("with the node stopped"), out.toString());
    }

    @Test
    void shouldSayNoNodeIsRunningWhenThereIsNoCountersFile()
    {
        assertEquals(1, run("stat", "--data", dir.getPath(), "--once"));
        assertTrue(err.toString().startsWith("cmt stat: no node running: no counters file"), err.toString());
    }

    @Test
    void shouldTakeTheDataDirectoryOfNodeAndStatFromItsPropertyWhenNotGivenOne()
    {
        final File configured = new File(dir, "configured");
        final String previous = System.getProperty(NodeContext.DATA_DIR_PROP);
        System.setProperty(NodeContext.DATA_DIR_PROP, configured.getPath());
        try
        {
            final NodeCommand node = new NodeCommand();
            new CommandLine(node).parseArgs();
            assertEquals(configured, node.dataDir);
            assertEquals(1, run("stat", "--once"));
            assertTrue(err.toString().contains(new File(configured, "cmt-counters.dat").getPath()), err.toString());
        }
        finally
        {
            if (previous == null)
            {
                System.clearProperty(NodeContext.DATA_DIR_PROP);
            }
            else
            {
                System.setProperty(NodeContext.DATA_DIR_PROP, previous);
            }
        }
    }

    @Test
    void shouldPrintTheCountersOfARunningNode()
    {
        try (Node node = Node.launch(new NodeContext().dataDir(dir).threadingMode(ThreadingMode.SHARED)))
        {
            assertEquals(1001, node.context().genesis().chainId());
            assertEquals(0, run("stat", "--data", dir.getPath(), "--once"));
        }
        final String text = out.toString();
        assertTrue(text.contains("receipts: OK (committed)"), text);
        assertTrue(text.contains("verify-0: last batch size"), text);
        assertTrue(text.contains("limiting stage: ingress"), text);
    }

    @Test
    void shouldStartAgainOnADataDirectoryLeftByAStoppedNode()
    {
        for (int i = 0; i < 2; i++)
        {
            try (Node node = Node.launch(new NodeContext().dataDir(dir).threadingMode(ThreadingMode.INVOKER)))
            {
                assertEquals(0, node.chain().height());
            }
        }
    }

    @Test
    void shouldRejectAMissingGenesisFileWithOneLine()
    {
        assertEquals(1, run("node", "--data", dir.getPath(), "--genesis", new File(dir, "nope.json").getPath()));
        assertTrue(err.toString().startsWith("cmt node: no genesis file"), err.toString());

        // A directory is there, and is no file: said so, and no warning that others can read it as a key.
        final File folder = new File(dir, "folder");
        assertTrue(folder.mkdir());
        err.getBuffer().setLength(0);
        assertEquals(1, run("node", "--data", new File(dir, "data").getPath(), "--genesis", folder.getPath()));
        assertEquals("cmt node: genesis file " + folder + " is a directory", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(1, run("node", "--data", new File(dir, "data").getPath(), "--validator-key", folder.getPath()));
        assertEquals("cmt node: cannot read validator key file " + folder + ": Is a directory",
            err.toString().strip());
    }

    @Test
    void shouldRunTheDemoAgainstANodeInAChildJvmAndWriteItsSummaryAsJson() throws Exception
    {
        final File json = new File(dir, "demo.json");
        final File data = new File(dir, "data");
        final String text = Stdout.capture(() -> assertEquals(0, run("demo", "--seconds", "2", "--warmup", "1",
            "--rate", "2000", "--senders", "50", "--accounts", "1000", "--cache", new File(dir, "cache").getPath(),
            "--data", data.getPath(), "--json", json.getPath()), err::toString));
        final String summary = Files.readString(json.toPath(), StandardCharsets.UTF_8);
        for (final String key : new String[] {"\"tps\"", "\"p50_ms\"", "\"p99_ms\"", "\"submitted\"",
            "\"committed\"", "\"rejected\"", "\"lost\"", "\"transport\": \"ipc\""})
        {
            assertTrue(summary.contains(key), summary);
        }
        assertTrue(summary.contains("\"rejected\": 0"), summary);
        assertTrue(summary.contains("\"lost\": 0"), summary);
        // As the plan line prints them; the seconds each stage limited, as the summary line does.
        assertTrue(summary.contains("\"seconds\": 2, \"warmup_seconds\": 1, \"senders\": 50, \"accounts\": 1000, " +
            "\"limiting_stage_seconds\": {"), summary);
        final long submitted = jsonLong(summary, "submitted");
        assertEquals(submitted, jsonLong(summary, "committed"), summary);

        // What it prints: the node's status lines (not the others), the plan, the summary as the JSON has it.
        assertTrue(text.contains("demo: starting a node (child JVM) on aeron:ipc (and aeron:udp?endpoint=localhost:"),
            text);
        assertTrue(text.contains("node| cmt node: chain 1001, 4 validators, height 0, "), text);
        assertTrue(text.contains("node| " + NodeCommand.READY + ": "), text);
        assertTrue(!text.contains("cmt node: counters in"), text);
        assertTrue(text.contains("demo: sending 2,000 tx/s for 2 s from 50 senders to 1,000 recipient addresses " +
            "(first 1 s are warm-up)\n"), text);
        assertTrue(text.contains(String.format(Locale.ROOT, "demo: %,d sent, %,d committed, 0 rejected, 0 lost: ",
            submitted, submitted)), text);
        assertTrue(text.contains("loadgen: connected to aeron:ipc as client "), text);
        assertTrue(!text.contains("demo: receipts by type and status"), "printed for transfers only: " + text);
        assertTrue(text.contains("demo: limiting stage, seconds as the deepest queue: {"), text);
        assertTrue(text.contains("demo: stages after warm-up (events per busy second, share of the wall clock " +
            "busy): "), text);
        assertTrue(text.contains("demo: cores used after warm-up: "), text);
        assertTrue(text.contains("node| cmt node: stopped at height "), text);
        assertTrue(text.strip().endsWith("demo: wrote " + json), text);
        // --data keeps the node's directory: its journal replays.
        assertEquals(0, run("replay", "--data", data.getPath()), err::toString);
    }

    @Test
    void shouldSendOverIpcToTheMediaDriverDirectoryTheNodeIsGiven()
    {
        // The demo's load generator looked for the node's driver in the default directory whatever the node was given:
        // 'no media driver in /dev/shm/cmt-aeron-...'.
        final File driverDir = new File(dir, "driver");
        System.setProperty(TransportContext.AERON_DIR_PROP, driverDir.getPath());
        try
        {
            final String text = Stdout.capture(() -> assertEquals(0, run("demo", "--seconds", "2", "--warmup", "1",
                "--rate", "1000", "--senders", "50", "--accounts", "1000", "--cache", new File(dir, "cache").getPath()),
                err::toString));
            assertTrue(text.contains("(aeron dir " + driverDir.getPath() + ")"), text);
            assertTrue(text.contains(" 0 rejected, 0 lost: "), text);
        }
        finally
        {
            System.clearProperty(TransportContext.AERON_DIR_PROP);
        }
        assertTrue(!driverDir.exists(), "the node's driver deletes its directory when it stops");
    }

    @Test
    void shouldRunTheDemoOverUdpOnATemporaryDirectoryItDeletesAfter()
    {
        final String text = Stdout.capture(() -> assertEquals(0, run("demo", "--seconds", "2", "--warmup", "1",
            "--rate", "1000", "--senders", "50", "--accounts", "1000", "--cache", new File(dir, "cache").getPath(),
            "--transport", "udp", "--mix", "transfer=3,token=1"), err::toString));
        final Matcher starting = Pattern.compile("demo: starting a node \\(child JVM\\) on " +
            "aeron:udp\\?endpoint=localhost:\\d+, data (\\S+)\n").matcher(text);
        assertTrue(starting.find(), text);
        final File data = new File(starting.group(1));
        assertEquals(new File(System.getProperty("java.io.tmpdir")).getAbsoluteFile(),
            data.getParentFile().getAbsoluteFile(), text);
        assertTrue(!data.exists(), "the demo's temporary data directory is left: " + data);
        assertTrue(text.contains("loadgen: connected to aeron:udp?endpoint=localhost:"), text);
        assertTrue(text.contains(" 0 rejected, 0 lost: "), text);
        assertTrue(text.contains("demo: receipts by type and status: {\"TRANSFER\":{\"OK\":"), text);
        assertTrue(text.contains("\"TOKEN_TRANSFER\":{\"OK\":"), text);
        assertTrue(text.contains("; setup: {\"TOKEN_CREATE\":{\"OK\":50}}\n"), text);
    }

    @Test
    void shouldSayTheNodeDidNotStartWithItsLastLines() throws Exception
    {
        final File notADirectory = new File(dir, "file");
        Files.writeString(notADirectory.toPath(), "x");
        final String text = Stdout.capture(() -> assertEquals(1, run("demo", "--seconds", "2", "--senders", "50",
            "--accounts", "1000", "--cache", new File(dir, "cache").getPath(), "--data", notADirectory.getPath())));
        assertTrue(err.toString().startsWith("cmt demo: the node did not start (exit 1); its last lines:\n"),
            err.toString());
        assertTrue(err.toString().contains("cmt node: "), err.toString());
        assertTrue(!text.contains("demo: sending"), text);
    }

    @Test
    void shouldRefuseEachBadDemoOptionWithOneLineBeforeStartingANode() throws IOException
    {
        final File chain = new File(dir, "chain");
        Files.createDirectories(new DataDirectory(chain.toPath()).journalDir());
        final String[][] rows = {
            {"--senders", "0", "--senders must be in 1..10000 (the devnet genesis's funded accounts), was 0"},
            {"--senders", "10001", "--senders must be in 1..10000 (the devnet genesis's funded accounts), was 10001"},
            {"--accounts", "0", "--accounts must be >= 1, was 0"},
            {"--durability", "disk", "--durability must be process or power, was disk"},
            {"--transport", "tcp", "--transport must be ipc or udp, was tcp"},
            {"--seconds", "0", "--seconds must be >= 1, was 0"},
            {"--warmup", "20", "--warmup must be in 0..19 (below --seconds 20), was 20"},
            {"--rate", "-1", "--rate must be >= 0 (0: flat out), was -1"},
            {"--mix", "transfer=1,transfer=2", "--mix: kind \"transfer\" given twice"},
            {"--data", chain.getPath(), "--data " + chain + " already holds a chain; the demo starts a fresh " +
                "devnet: give an empty or new directory"}};
        final String stdout = Stdout.capture(() ->
        {
            for (final String[] row : rows)
            {
                err.getBuffer().setLength(0);
                assertEquals(1, run("demo", row[0], row[1]), row[0] + " " + row[1] + ": " + err);
                assertEquals("cmt demo: " + row[2], err.toString().strip());
            }
            // The largest --senders and the accepted --durability spellings pass these checks (then fail on --json).
            for (final String[] row : new String[][] {{"--senders", "10000"}, {"--durability", "POWER"},
                {"--durability", "Process"}, {"--transport", "udp"}})
            {
                err.getBuffer().setLength(0);
                assertEquals(1, run("demo", row[0], row[1], "--json", new File(dir, "no/dir/x.json").getPath()));
                assertTrue(err.toString().startsWith("cmt demo: --json "), row[0] + " " + row[1] + ": " + err);
            }
        });
        assertEquals("", stdout, "a refused demo printed or started something");
    }

    @Test
    void shouldNameTheOptionsThatSetTooManyTransactionsBeforeStartingANode()
    {
        // The demo signs --rate x --seconds transactions (60,000 a second flat out): more than one run can hold was
        // refused after its node had started, as 'transaction count must be in 1..13015052, was 100000000'.
        final String[][] rows = {
            {"--rate", "1000000", "--seconds", "100", "--rate 1000000 x --seconds 100 is 100,000,000 transactions, " +
                "more than one run can sign (at most 13,015,052): lower --rate or --seconds"},
            {"--rate", "0", "--seconds", "300", "flat out (--rate 0) the demo signs 60,000 a second: 60,000 x " +
                "--seconds 300 is 18,000,000 transactions, more than one run can sign (at most 13,015,052): lower " +
                "--seconds"}};
        final String stdout = Stdout.capture(() ->
        {
            for (final String[] row : rows)
            {
                err.getBuffer().setLength(0);
                assertEquals(1, run("demo", row[0], row[1], row[2], row[3]), String.join(" ", row) + ": " + err);
                assertEquals("cmt demo: " + row[4], err.toString().strip());
            }
            // As many as one run can sign passes this check (then fails on --json).
            err.getBuffer().setLength(0);
            assertEquals(1, run("demo", "--rate", "13015052", "--seconds", "1", "--warmup", "0", "--json",
                new File(dir, "no/dir/x.json").getPath()));
            assertTrue(err.toString().startsWith("cmt demo: --json "), err::toString);
        });
        assertEquals("", stdout, "a refused demo printed or started something");
    }

    @Test
    void shouldRejectAnUnwritableOutputFileBeforeRunning()
    {
        final String nowhere = new File(dir, "no/such/dir/summary.json").getPath();
        assertEquals(1, run("demo", "--json", nowhere));
        assertTrue(err.toString().startsWith("cmt demo: --json " + nowhere + ": cannot write there: directory "),
            err.toString());

        err.getBuffer().setLength(0);
        assertEquals(1, run("loadgen", "--count", "1", "--json", nowhere));
        assertTrue(err.toString().startsWith("cmt loadgen: --json " + nowhere + ": cannot write there"),
            err.toString());
    }

    @Test
    void shouldGiveTheExitStatusesOfTheClientCommandsInTheirHelp()
    {
        // A script tells "no such account" (0) from "no answer" (2) by them.
        for (final String[] command : new String[][] {
            {"account", "Exit status: 0 answered (whether the account exists or not), 1 bad input, 2 no answer from " +
                "the node."},
            {"receipt", "Exit status: 0 found, 3 not found, 4 the node cannot read"},
            {"send", "Exit status: 0 committed, 3 rejected"}})
        {
            out.getBuffer().setLength(0);
            assertEquals(0, run(command[0], "--help"));
            assertTrue(out.toString().replaceAll("\\s+", " ").contains(command[1]), out.toString());
        }
    }

    @Test
    void shouldRejectABadAccountBeforeConnecting()
    {
        assertEquals(1, run("account"));
        assertTrue(err.toString().startsWith("cmt account: give one of ADDRESS, --key FILE or --devnet N"),
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "--devnet", "-1"));
        assertTrue(err.toString().startsWith("cmt account: --devnet must be >= 0, was -1"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "ab".repeat(20), "--devnet", "1"));
        assertTrue(err.toString().startsWith("cmt account: give one of ADDRESS, --key FILE or --devnet N"),
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "abcd"));
        assertTrue(err.toString().startsWith("cmt account: ADDRESS must be 40 hex digits (20 bytes), was 4: abcd"),
            err.toString());
        // A channel is refused naming the option it came from, not the client's property.
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "--devnet", "0", "--ingress", "bogus"));
        assertTrue(err.toString().startsWith("cmt account: --ingress bogus is not an Aeron channel URI (aeron:...)"),
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "--devnet", "0", "--response", "aeron:ipc?term-length=64m"));
        assertTrue(err.toString().startsWith("cmt account: --response aeron:ipc?term-length=64m is one a node " +
            "refuses: the term-length 64m"), err.toString());
    }

    @Test
    void shouldPrintTheNewKeysPublicKeyAndAddressAndNeverOverwriteAKeyFile() throws IOException
    {
        final File keyFile = new File(dir, "validator.key");
        assertEquals(0, run("keygen", "--out", keyFile.getPath()), err::toString);
        final Ed25519Key key = ValidatorKeyFile.read(keyFile);
        assertEquals("cmt keygen: wrote " + keyFile + "\npublic key " + Hex.encode(key.publicKey()) + "\naddress    " +
            Hex.encode(key.address()) + "\n", out.toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile.toPath()),
            "readable by its owner only");

        final byte[] written = Files.readAllBytes(keyFile.toPath());
        out.getBuffer().setLength(0);
        assertEquals(1, run("keygen", "--out", keyFile.getPath()));
        assertEquals("cmt keygen: " + keyFile + " exists already; a key file is never overwritten",
            err.toString().strip());
        assertEquals("", out.toString());
        assertArrayEquals(written, Files.readAllBytes(keyFile.toPath()));
    }

    @Test
    void shouldSayThatAKeyFilePathIsADirectory()
    {
        // It said '... exists already; a key file is never overwritten', as if a key file were there.
        assertEquals(1, run("keygen", "--out", dir.getPath()));
        assertEquals("cmt keygen: --out " + dir + " is a directory; give the path of the key file to create, e.g. " +
            new File(dir, "validator.key"), err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void shouldWarnOfASettingNothingReadsBeforeAnyCommandRunsButNotForHelp()
    {
        // A client's misspelt channel would leave the default channel in use without a word.
        final String property = "cmt.client.ingres.channel";
        System.setProperty(property, "aeron:ipc");
        try
        {
            assertEquals(0, run("keygen", "--out", new File(dir, "k.key").getPath()), err::toString);
            assertEquals("cmt keygen: warning: " + property + " is not a setting of cmtchain; it is ignored (did you " +
                "mean cmt.client.ingress.channel?)", err.toString().strip());
            for (final String[] quiet : new String[][] {{"keygen", "--help"}, {"help", "keygen"}, {"--version"}, {}})
            {
                err.getBuffer().setLength(0);
                assertEquals(0, run(quiet), String.join(" ", quiet));
                assertEquals("", err.toString(), String.join(" ", quiet));
            }
        }
        finally
        {
            System.clearProperty(property);
        }
        // The build's own property, set in this JVM, is none of the user's doing.
        err.getBuffer().setLength(0);
        assertEquals(0, run("keygen", "--out", new File(dir, "k2.key").getPath()), err::toString);
        assertEquals("", err.toString());
    }

    @Test
    void shouldSayTheNodeDidNotAnswerWhenItTakesEveryRequestAndAnswersNone() throws IOException
    {
        // A node that connects clients and then answers nothing (its pipeline stalled), from before fee schedules.
        final String ingress = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
        final TransactionSink blackHole = new TransactionSink()
        {
            @Override
            public int onTransaction(final DirectBuffer buffer, final int offset, final int length, final long client)
            {
                return ACCEPTED;
            }

            @Override
            public int onAccountQuery(final long client, final long correlation, final DirectBuffer b, final int at)
            {
                return ACCEPTED;
            }

            @Override
            public int onTransactionQuery(final long client, final long correlation, final DirectBuffer b, final int at)
            {
                return ACCEPTED;
            }
        };
        // The command waits --timeout-s for an answer, as it waits to connect, whatever the client's own query
        // timeout: a shorter one ended the wait with the client's message and the property's name.
        System.setProperty(CmtClient.Context.QUERY_TIMEOUT_MS_PROP, "100");
        try (NodeTransport node = NodeTransport.launch(
            new TransportContext().dir(new File(dir, "node")).chainId(1001).ingressChannel(ingress), blackHole, null))
        {
            node.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
            final String silent = "the node on " + ingress + " did not answer within 1 s";
            final String to = "cd".repeat(20);
            assertEquals(2, run("account", "--devnet", "0", "--ingress", ingress, "--timeout-s", "1"), err::toString);
            assertEquals("cmt account: " + silent, err.toString().strip());
            assertEquals("", out.toString());

            err.getBuffer().setLength(0);
            final String hash = "ab".repeat(32);
            assertEquals(2, run("receipt", hash, "--ingress", ingress, "--timeout-s", "1"), err::toString);
            assertEquals("cmt receipt: " + silent, err.toString().strip());
            assertEquals("", out.toString());

            // Without --nonce, send asks the account's nonce first.
            err.getBuffer().setLength(0);
            assertEquals(2, run("send", "transfer", "--devnet", "1", "--to", to, "--amount", "1", "--ingress", ingress,
                "--timeout-s", "1"), err::toString);
            assertEquals("cmt send: " + silent, err.toString().strip());
            assertEquals("", out.toString());

            // The node told no fee schedule: the fee must be given.
            err.getBuffer().setLength(0);
            assertEquals(1, run("send", "transfer", "--devnet", "1", "--to", to, "--amount", "1", "--nonce", "0",
                "--ingress", ingress, "--timeout-s", "1"), err::toString);
            assertEquals("cmt send: the node did not say its fee for transfer (a node from before fee schedules " +
                "were sent); give --fee", err.toString().strip());
            assertEquals("", out.toString());

            // Sent, and no receipt comes: where to ask.
            err.getBuffer().setLength(0);
            assertEquals(2, run("send", "transfer", "--devnet", "1", "--to", to, "--amount", "1", "--nonce", "0",
                "--fee", "1000", "--ingress", ingress, "--timeout-s", "1"), err::toString);
            final Matcher sent = Pattern.compile(
                Pattern.quote("sending transfer of 1.000000 CMT (1,000,000 µCMT) from ") + "[0-9a-f]{40}" +
                Pattern.quote(" to " + to + ", nonce 0, fee 0.001000 CMT (1,000 µCMT): transaction ") +
                "([0-9a-f]{64})").matcher(out.toString().strip());
            assertTrue(sent.matches(), out::toString);
            assertEquals("cmt send: " + silent + "\ncmt send: no receipt; cmt receipt " + sent.group(1) +
                " tells whether a block holds it", err.toString().strip());
        }
        finally
        {
            System.clearProperty(CmtClient.Context.QUERY_TIMEOUT_MS_PROP);
        }
    }

    @Test
    void shouldSayNoNodeAnsweredAndExit2WhenNoneRunsAtTheIngress() throws IOException
    {
        final String ingress = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
        final String keyFile = new File(dir, "wallet.key").toString();
        assertEquals(0, run("keygen", "--out", keyFile), err::toString);
        final String[][] commands = {
            {"account", "--devnet", "0", "--ingress", ingress, "--timeout-s", "1"},
            {"account", "--key", keyFile, "--ingress", ingress, "--timeout-s", "1"},
            {"receipt", "ab".repeat(32), "--ingress", ingress, "--timeout-s", "1"},
            {"send", "transfer", "--devnet", "1", "--to", "cd".repeat(20), "--amount", "1", "--ingress", ingress,
                "--timeout-s", "1"}};
        for (final String[] command : commands)
        {
            err.getBuffer().setLength(0);
            out.getBuffer().setLength(0);
            assertEquals(2, run(command), command[0] + ": " + err);
            final String said = err.toString().strip();
            assertTrue(said.startsWith("cmt " + command[0] + ": no node answered on " + ingress + " stream 1001 " +
                "within 1000 ms (a node ignores a Connect whose response channel, here aeron:udp?endpoint=localhost:"),
                said);
            assertTrue(said.endsWith(", does not lead back to this client: from another host it must be a UDP " +
                "endpoint on this client's IP address as the node sees it, from the node's host aeron:ipc, localhost " +
                "or a loopback address; and any Connect while it already serves as many clients as its " +
                "cmt.transport.max.clients allows)"), said);
            assertEquals("", out.toString(), command[0] + " printed an answer");
        }

        // The directory of no media driver: said within the command's timeout, not Aeron's driver timeout of 10 s.
        final File noDriver = new File(dir, "no-driver");
        err.getBuffer().setLength(0);
        assertEquals(2, run("account", "--devnet", "0", "--aeron-dir", noDriver.getPath(), "--timeout-s", "1"));
        assertEquals("cmt account: no media driver in " + noDriver + " (no cnc.dat within 1000 ms): start the node, " +
            "or give the directory of its media driver", err.toString().strip());
    }

    @Test
    void shouldExitOneOnACommandLineThatDoesNotParse()
    {
        // To send, receipt and account, exit status 2 means that the node did not answer: a script that asks again
        // on 2 would retry a mistyped command line forever. What the parser refuses is bad input, exit status 1.
        final String to = "cd".repeat(20);
        final String[][] refused = {
            {"send", "transfer", "--devnet", "1", "--amount", "1"},
            {"send", "TRANSFER", "--devnet", "1", "--to", to, "--amount", "1"},
            {"send", "transfer", "--devnet", "1", "--to", to, "--amount", "1", "--fee", "1e3"},
            {"receipt"},
            {"receipt", "ab".repeat(32), "--timeout-s", "ten"},
            {"account", "--devnet", "99999999999999999999"},
            {"account", "--devnet", "1", "--devnet", "2"},
            {"account", "ab".repeat(20), "extra"},
            {"keygen"},
            {"sigcheck", "cases.json", "--mode", "BATCH"},
            {"demo", "--seconds", "0x10"},
            {"bogus"},
            {"help", "bogus"}};
        for (final String[] command : refused)
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run(command), String.join(" ", command) + ": " + err);
            assertTrue(err.toString().contains("Usage: cmt"), String.join(" ", command) + ": " + err);
        }
    }

    @Test
    void shouldRefuseAnEmptyPathRatherThanTakeTheWorkingDirectoryForIt()
    {
        // An unset shell variable, --data "$DIR": the node and the replay took the working directory for their data
        // directory, and the load generator wrote its cache in the root directory (a file in "" is one in /).
        final String[][] commands = {
            {"node", "--data", ""},
            {"node", "--data", dir.getPath(), "--genesis", ""},
            {"node", "--data", dir.getPath(), "--validator-key", " "},
            {"replay", "--data", ""},
            {"replay", "--data", dir.getPath(), "--expect", ""},
            {"salvage", "--data", "", "--out", dir.getPath()},
            {"salvage", "--data", dir.getPath(), "--out", " "},
            {"demo", "--data", ""},
            {"demo", "--cache", ""},
            {"loadgen", "--cache", ""},
            {"loadgen", "--json", ""},
            {"scenario", ""},
            {"sigcheck", ""},
            {"account", "--key", ""},
            {"keygen", "--out", ""}};
        for (final String[] command : commands)
        {
            // Parsed only: without the check, the node would run on the working directory.
            final CommandLine.ParameterException refused = assertThrows(
                CommandLine.ParameterException.class, () -> CmtMain.commandLine().parseArgs(command),
                String.join(" ", command));
            assertTrue(refused.getMessage().matches("Invalid value for (option '--[a-z-]+'( \\(FILE\\))?|" +
                "positional parameter at index 0 \\(FILE\\)): '\\s*' is an empty path; name a file or directory " +
                "\\(\\. for the working directory\\)"), refused.getMessage());
        }
        assertEquals(1, run("keygen", "--out", ""));
        assertTrue(err.toString().startsWith("Invalid value for option '--out': '' is an empty path;"), err.toString());
        assertEquals("", out.toString());

        // A media driver's directory too: it looked for the node's driver in /, for the whole timeout.
        err.getBuffer().setLength(0);
        assertEquals(1, run("account", "--devnet", "0", "--aeron-dir", "", "--timeout-s", "1"));
        assertEquals("cmt account: the media driver directory is an empty path (--aeron-dir, or " +
            "cmt.client.aeron.dir); give the node's, which its ready line names", err.toString().strip());
    }

    @Test
    void shouldSayWhyTheMediaDriverRefusesAChannelAndExitOne()
    {
        // Refused by the media driver when the client adds it: Aeron's RegistrationException said "ERROR -
        // java.lang.IllegalArgumentException: port out of range:99999, errorCodeValue=1", exit status 2 (no answer).
        final String[][] refused = {
            {"aeron:udp?endpoint=localhost:99999", "IllegalArgumentException: port out of range:99999"},
            {"aeron:udp", "IllegalArgumentException: URIs for UDP must specify an endpoint, control, tags, or " +
                "control-mode=manual/response: aeron:udp"}};
        for (final String[] channel : refused)
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run("account", "--devnet", "0", "--ingress", channel[0], "--timeout-s", "1"),
                err::toString);
            assertEquals("cmt account: ingress channel " + channel[0] + " is refused by the media driver: " +
                channel[1], err.toString().strip());
        }
        assertEquals("", out.toString());
    }

    @Test
    void shouldTakeTheResponseChannelFromTheOptionOrElseFromItsProperty()
    {
        // A client on another machine names a response channel on its own address; account, receipt and send took it
        // only as -Dcmt.client.response.channel in CMT_JAVA_OPTS, which loadgen takes as --response.
        final String named = "aeron:udp?endpoint=node.example:0";
        final String refused = assertThrows(IllegalArgumentException.class,
            () -> new CmtClient.Context().responseChannel(named).conclude()).getMessage();
        final String[][] commands = {
            {"account", "--devnet", "0"},
            {"receipt", "ab".repeat(32)},
            {"send", "transfer", "--devnet", "1", "--to", "cd".repeat(20), "--amount", "1"}};
        for (final String[] command : commands)
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run(concat(command, "--response", named, "--timeout-s", "1")), command[0] + ": " + err);
            // Named as the option it came from.
            assertEquals("cmt " + command[0] + ": " + refused.replace(CmtClient.Context.RESPONSE_CHANNEL_PROP,
                "--response"), err.toString().strip());
        }
        assertEquals("", out.toString());

        // Without --response, the property still applies; with it, the option wins, and reaches the client.
        final String previous = System.getProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP);
        System.setProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP, named);
        try
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run("account", "--devnet", "0", "--timeout-s", "1"), err::toString);
            assertEquals("cmt account: " + refused, err.toString().strip());

            err.getBuffer().setLength(0);
            final String ingress = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
            assertEquals(2, run("account", "--devnet", "0", "--ingress", ingress, "--response",
                "aeron:udp?endpoint=127.0.0.1:0", "--timeout-s", "1"), err::toString);
            assertTrue(err.toString().startsWith("cmt account: no node answered on " + ingress + " stream 1001 " +
                "within 1000 ms (a node ignores a Connect whose response channel, here aeron:udp?endpoint=127.0.0.1:"),
                err.toString());
        }
        finally
        {
            restoreProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP, previous);
        }
        assertEquals("", out.toString());
    }

    @Test
    void shouldTakeTheIngressChannelFromItsPropertyWithoutIngress()
    {
        // CmtClient.Context's own default is cmt.client.ingress.channel when set; the option's default was fixed.
        final String ingress = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
        final String previous = System.getProperty(CmtClient.Context.INGRESS_CHANNEL_PROP);
        System.setProperty(CmtClient.Context.INGRESS_CHANNEL_PROP, ingress);
        try
        {
            assertEquals(2, run("account", "--devnet", "0", "--timeout-s", "1"), err::toString);
            assertTrue(err.toString().startsWith("cmt account: no node answered on " + ingress + " stream 1001 "),
                err.toString());
        }
        finally
        {
            restoreProperty(CmtClient.Context.INGRESS_CHANNEL_PROP, previous);
        }
    }

    private static String[] concat(final String[] head, final String... tail)
    {
        final String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void shouldSayAnIpcIngressNeedsTheNodesMediaDriver()
    {
        // Over IPC a client reaches the node only through the node's media driver; with a driver of its own it
        // waited out its timeout and then blamed the response channel.
        final String said = "cmt account: ingress channel aeron:ipc reaches a node only through the node's media " +
            "driver, and this client would launch one of its own: give the directory of the node's (--aeron-dir: " +
            "the node's ready line names it)";
        assertEquals(1, run("account", "--devnet", "0", "--ingress", "aeron:ipc", "--timeout-s", "1"), err::toString);
        assertEquals(said, err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(1, run("loadgen", "--count", "1", "--ingress", "aeron:ipc", "--response", "aeron:ipc"),
            err::toString);
        assertEquals(said.replace("cmt account", "cmt loadgen"), err.toString().strip());
    }

    @Test
    void shouldRejectABadHashOrTimeoutBeforeConnecting()
    {
        assertEquals(1, run("receipt", "xyz"));
        assertTrue(err.toString().startsWith("cmt receipt: HASH must be 64 hex digits, was xyz"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("receipt", "0x" + "ab".repeat(20)));
        assertTrue(err.toString().startsWith(
            "cmt receipt: HASH must be 64 hex digits (32 bytes), was 40: 0x" + "ab".repeat(20)),
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("receipt", "ab".repeat(32), "--timeout-s", "0"));
        assertTrue(err.toString().startsWith("cmt receipt: --timeout-s must be >= 1, was 0"), err.toString());
    }

    @Test
    void shouldNameTheBadLoadgenOption()
    {
        assertEquals(1, run("loadgen", "--rate", "-5"));
        assertEquals("cmt loadgen: --rate must be >= 0 (0: flat out), was -5", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(1, run("loadgen", "--rate", "-0.25"));
        assertEquals("cmt loadgen: --rate must be >= 0 (0: flat out), was -0.25", err.toString().strip());
        for (final String rate : new String[] {"NaN", "Infinity"})
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run("loadgen", "--rate", rate));
            assertEquals("cmt loadgen: --rate must be a finite number >= 0 (0: flat out), was " + rate,
                err.toString().strip());
        }
        err.getBuffer().setLength(0);
        assertEquals(1, run("loadgen", "--seconds", "2", "--warmup", "2"));
        assertTrue(err.toString().startsWith("cmt loadgen: --warmup must be in 0..1"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("loadgen", "--threads", "-1"));
        assertTrue(err.toString().startsWith("cmt loadgen: --threads must be >= 0"), err.toString());
        // Signed and sent before: a run of transfers the node refuses as malformed (an amount of 0 or less), one
        // at the genesis minimum fee though -2 is not -1, and a drain that did not wait.
        final String[][] refused = {
            {"--amount", "0", "cmt loadgen: --amount must be >= 1 µCMT, was 0"},
            {"--amount", "-5", "cmt loadgen: --amount must be >= 1 µCMT, was -5"},
            {"--fee", "-2", "cmt loadgen: --fee must be >= 0 µCMT, or -1 for the genesis minimum, was -2"},
            {"--drain-timeout-ms", "-1", "cmt loadgen: --drain-timeout-ms must be >= 0, was -1"}};
        for (final String[] option : refused)
        {
            err.getBuffer().setLength(0);
            assertEquals(1, run("loadgen", "--count", "1", "--senders", "1", "--ingress",
                "aeron:udp?endpoint=localhost:" + UdpNodes.freePort(), option[0], option[1]), err::toString);
            assertEquals(option[2], err.toString().strip());
        }
    }

    private static long jsonLong(final String json, final String key)
    {
        final Matcher matcher = Pattern.compile("\"" + key + "\": (\\d+)")
            .matcher(json);
        assertTrue(matcher.find(), key + " in " + json);
        return Long.parseLong(matcher.group(1));
    }

    /** Put back a system property a test set: {@code previous} is its value before, null when it had none. */
    private static void restoreProperty(final String name, final String previous)
    {
        if (previous == null)
        {
            System.clearProperty(name);
        }
        else
        {
            System.setProperty(name, previous);
        }
    }
}
