package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.loadgen.TransferMix;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt loadgen} itself against a running node: the options given reach the transactions sent (the senders, the
 * amount, the fee, the recipients), the summary is written where asked, and the exit status follows what was lost.
 * The load generator's own tests drive {@code LoadGenerator} directly; these go through the command line.
 */
class LoadgenCommandTest
{
    private static final long DEVNET_BALANCE = 1_000_000_000_000L;
    private static final int COUNT = 40;
    private static final int SENDERS = 2;
    private static final long AMOUNT = 7;
    private static final long FEE = 300;

    @TempDir
    File dir;

    private final StringWriter err = new StringWriter();

    @Test
    void shouldSendWhatItsOptionsSayAndWriteItsSummary() throws Exception
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            final File json = new File(dir, "summary.json");
            final int[] exit = new int[1];
            final String text = Stdout.capture(() -> exit[0] = run("loadgen", "--ingress", ingress, "--count",
                Integer.toString(COUNT), "--rate", "0", "--seconds", "30", "--senders", Integer.toString(SENDERS),
                "--accounts", "1", "--amount", Long.toString(AMOUNT), "--fee", Long.toString(FEE), "--threads", "1",
                "--cache", new File(dir, "cache").getPath(), "--json", json.getPath()));
            assertEquals(0, exit[0], () -> err + text);
            final String summary = Files.readString(json.toPath(), StandardCharsets.UTF_8);
            assertTrue(summary.contains("\"submitted\":" + COUNT + ","), summary);
            assertTrue(summary.contains("\"committed\":" + COUNT + ","), summary);
            assertTrue(summary.contains("\"lost\":0,"), summary);
            assertTrue(text.contains(summary.strip()), "the summary printed is the one written:\n" + text);

            // Each sender sent COUNT / SENDERS transfers of AMOUNT at FEE, all to recipient 0 (--accounts 1).
            final byte[] recipient = new byte[20];
            TransferMix.recipientAddress(0, new Sha256(), new byte[32], recipient);
            try (CmtClient client = CmtClient.connect(new CmtClient.Context().embeddedDriver(true)
                .ingressChannel(ingress).connectTimeoutNs(TimeUnit.SECONDS.toNanos(20))))
            {
                for (int sender = 0; sender < SENDERS; sender++)
                {
                    final AccountState account = await(client,
                        client.queryAccount(Genesis.devnetAccountKey(sender).address()));
                    assertEquals(COUNT / SENDERS, account.nonce(), "sender " + sender);
                    assertEquals(DEVNET_BALANCE - COUNT / SENDERS * (AMOUNT + FEE), account.balanceMicroCmt(),
                        "sender " + sender);
                }
                final AccountState untouched = await(client,
                    client.queryAccount(Genesis.devnetAccountKey(SENDERS).address()));
                assertEquals(0, untouched.nonce(), "a devnet account past --senders sent");
                assertEquals(COUNT * AMOUNT, await(client, client.queryAccount(recipient)).balanceMicroCmt());
            }
        }
    }

    @Test
    void shouldRefuseContinueWithAFirstNonceAndFewerThanNoThreads()
    {
        // --continue takes the nonces from the node: a --first-nonce given with it, even the default 0, is overruled.
        for (final String firstNonce : new String[] {"5", "0"})
        {
            assertEquals(1, run("loadgen", "--continue", "--first-nonce", firstNonce), err::toString);
            assertEquals("cmt loadgen: give --continue or --first-nonce, not both (--continue starts each sender at " +
                "the next nonce the node reports)", err.toString().strip());
        }
        assertEquals(1, run("loadgen", "--threads", "-1"));
        assertEquals("cmt loadgen: --threads must be >= 0 (0: one per core), was -1", err.toString().strip());
    }

    @Test
    void shouldRefuseAnEmptyMixRatherThanSendTransfersOnly()
    {
        // An unset shell variable, --mix "$MIX": taken for transfers only without a word. Left out, it is that.
        final String nowhere = new File(dir, "no/dir/summary.json").getPath();
        for (final String command : new String[] {"loadgen", "demo"})
        {
            for (final String empty : new String[] {"", " "})
            {
                // Without the check, the unwritable --json would be refused next (before any signing or node).
                assertEquals(1, run(command, "--mix", empty, "--json", nowhere), err::toString);
                assertEquals("cmt " + command + ": --mix is empty: give shares of kinds, e.g. transfer=60," +
                    "token=25,escrow=15 (kinds: transfer, token, escrow, loan, insurance), or leave --mix out for " +
                    "transfers only", err.toString().strip());
            }
        }
    }

    @Test
    void shouldRefuseAFirstNonceWhoseRunWouldGoPastTheLargestNonce()
    {
        // The nonces counted up from --first-nonce wrapped past Long.MAX_VALUE to negative ones, signed and sent.
        final String nowhere = new File(dir, "no/dir/summary.json").getPath();
        final long max = Long.MAX_VALUE;
        // The ledger refuses the nonce Long.MAX_VALUE itself (BAD_NONCE): the largest a transaction may carry is one
        // below it, and a run that would sign the largest is refused as well.
        final long largest = max - 1;
        for (final long first : new long[] {max, max - 1})
        {
            assertEquals(1, run("loadgen", "--first-nonce", Long.toString(first), "--count", "2", "--senders", "1"));
            assertEquals("cmt loadgen: --first-nonce " + first + " is too large for this run: each sender signs up " +
                "to 2 transactions from it (2 over 1 senders), and the last nonce would be past the largest a " +
                "transaction may carry, " + largest + ": give --first-nonce at most " + (largest - 1),
                err.toString().strip());
        }
        assertEquals(1, run("loadgen", "--first-nonce", Long.toString(largest - 1), "--count", "2", "--senders", "1",
            "--mix", "token=1"));
        assertEquals("cmt loadgen: --first-nonce " + (largest - 1) + " is too large for this run: each sender signs " +
            "up to 3 transactions from it (2 over 1 senders, and its token), and the last nonce would be past the " +
            "largest a transaction may carry, " + largest + ": give --first-nonce at most " + (largest - 2),
            err.toString().strip());
        // At --rate 10 for --seconds 100 (no --count), 1,000 transactions over the default 1,000 senders: one each.
        assertEquals(1, run("loadgen", "--first-nonce", Long.toString(largest - 1), "--rate", "10", "--seconds",
            "100", "--senders", "2"));
        assertEquals("cmt loadgen: --first-nonce " + (largest - 1) + " is too large for this run: each sender signs " +
            "up to 500 transactions from it (1,000 over 2 senders), and the last nonce would be past the largest a " +
            "transaction may carry, " + largest + ": give --first-nonce at most " + (largest - 499),
            err.toString().strip());
        // Up to the largest a transaction may carry: the checks pass (and the unwritable --json is refused next).
        for (final String[] fits : new String[][] {
            {"--first-nonce", Long.toString(largest - 1), "--count", "2", "--senders", "1"},
            {"--first-nonce", Long.toString(largest), "--rate", "10", "--seconds", "100"}})
        {
            assertEquals(1, run(concat(new String[] {"loadgen", "--json", nowhere}, fits)), err::toString);
            assertTrue(err.toString().startsWith("cmt loadgen: --json " + nowhere + ": cannot write there"),
                String.join(" ", fits) + ": " + err);
        }
    }

    @Test
    void shouldNameTheOptionsThatAskForMoreTransactionsThanOneRunCanSign()
    {
        // SignedTransactions said 'transaction count must be in 1..N, was X', naming no option.
        assertEquals(1, run("loadgen", "--count", "100000000"), err::toString);
        assertTrue(err.toString().strip().matches("cmt loadgen: --count 100,000,000 is more than one run can sign " +
            "\\(at most [0-9,]+\\)"), err::toString);
        assertEquals(1, run("loadgen", "--rate", "1000000", "--seconds", "100"), err::toString);
        assertTrue(err.toString().strip().matches("cmt loadgen: --rate 1000000 x --seconds 100 is 100,000,000 " +
            "transactions, more than one run can sign \\(at most [0-9,]+\\): lower --rate or --seconds, or give a " +
            "--count"), err::toString);
    }

    /**
     * {@code --continue} starts each sender at the nonce the node reports: a run whose nonces would count past the
     * largest from there is refused as a {@code --first-nonce} is, naming the sender's account and its nonce, before
     * anything is signed or sent. The node runs on the test's thread (INVOKER), which puts the senders' accounts near
     * the largest nonce between runs.
     */
    @Test
    void shouldRefuseToContinueFromNoncesTheRunWouldCountPastTheLargest() throws Exception
    {
        final long max = Long.MAX_VALUE;
        try (Node node = Node.launch(new NodeContext()
            .dataDir(new File(dir, "node"))
            .genesisJson(DevnetGenesis.jsonWithAccounts(4))
            .threadingMode(ThreadingMode.INVOKER)
            .verifierThreads(1)
            .log(line -> { })
            .transportContext(new TransportContext().ingressChannel("aeron:udp?endpoint=localhost:" +
            UdpNodes.freePort()))))
        {
            final File cache = new File(dir, "cache");
            final String[] args = {"loadgen", "--ingress", node.context().transportContext().ingressChannel(),
                "--continue", "--rate", "0", "--seconds", "30", "--senders", "2", "--accounts", "1", "--threads", "1",
                "--cache", cache.getPath()};
            // Each sender would sign 5 of the 10 from max - 2: max - 2 .. max, then two wrapped to negative nonces.
            nonce(node, 0, max - 2);
            nonce(node, 1, max - 2);
            assertEquals(1, runDriving(node, concat(args, "--count", "10")), err::toString);
            assertEquals("cmt loadgen: --continue: the node says sender 0 (account " +
                Hex.encode(Genesis.devnetAccountKey(0).address()) + ") is at nonce " + (max - 2) + ", too large " +
                "for this run: each sender signs up to 5 transactions from there (10 over 2 senders), and the last " +
                "nonce would be past the largest a transaction may carry, " + (max - 1) + ": give --count at most 4",
                err.toString().strip());
            // 3 each, max - 2 .. max: the ledger refuses the largest nonce itself (BAD_NONCE), so this run is refused
            // too rather than sent with transactions no block will take.
            assertEquals(1, runDriving(node, concat(args, "--count", "6")), err::toString);
            assertTrue(err.toString().strip().endsWith("each sender signs up to 3 transactions from there (6 over 2 " +
                "senders), and the last nonce would be past the largest a transaction may carry, " + (max - 1) +
                ": give --count at most 4"), err::toString);
            // With tokens in the mix, an account at the largest nonce a transaction may carry has none left for its
            // token and a transfer; the sender at the highest nonce is named.
            nonce(node, 0, max - 3);
            nonce(node, 1, max - 1);
            assertEquals(1, runDriving(node, concat(args, "--count", "2", "--mix", "transfer=1,token=1")));
            assertEquals("cmt loadgen: --continue: the node says sender 1 (account " +
                Hex.encode(Genesis.devnetAccountKey(1).address()) + ") is at nonce " + (max - 1) + ", too large " +
                "for this run: each sender signs up to 2 transactions from there (2 over 2 senders, and its token), " +
                "and the last nonce would be past the largest a transaction may carry, " + (max - 1) + ": that " +
                "account can sign no more transactions of this mix; use a fresh chain", err.toString().strip());
            assertFalse(cache.exists(), "a refused run signed transactions");

            // Up to max - 2: taken, sent and committed.
            nonce(node, 1, max - 3);
            assertEquals(0, runDriving(node, concat(args, "--count", "4")), err::toString);
            assertEquals(max - 1, nonce(node, 0));
            assertEquals(max - 1, nonce(node, 1));
        }
    }

    /** Run a command on another thread while this one runs the (INVOKER) node's stages, until it exits. */
    private int runDriving(final Node node, final String... args)
    {
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final Thread command = new Thread(() ->
        {
            final int[] status = new int[1];
            try
            {
                Stdout.capture(() -> status[0] = run(args));
                exit.complete(status[0]);
            }
            catch (final Throwable ex)
            {
                exit.completeExceptionally(ex);
            }
        }, "cmt-loadgen");
        command.start();
        Await.until(() ->
        {
            node.doWork();
            return exit.isDone();
        }, 60_000, () -> "cmt loadgen did not exit: " + err);
        return exit.join();
    }

    /** @return the devnet account's nonce in the node's state (the node's stages run on this thread). */
    private static long nonce(final Node node, final int devnetAccount)
    {
        final AccountStore accounts = node.chain().state().accounts();
        return accounts.nonce(accounts.find(new UnsafeBuffer(Genesis.devnetAccountKey(devnetAccount).address()), 0));
    }

    /** Put the devnet account at a nonce in the node's state, as a chain that signed that many would have it. */
    private static void nonce(final Node node, final int devnetAccount, final long nonce)
    {
        final AccountStore accounts = node.chain().state().accounts();
        accounts.nonce(accounts.find(new UnsafeBuffer(Genesis.devnetAccountKey(devnetAccount).address()), 0), nonce);
    }

    private static String[] concat(final String[] head, final String... tail)
    {
        final String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void shouldTakeItsChannelsFromTheClientsPropertiesWhenNotGiven() throws Exception
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final String[] args = {"loadgen", "--count", "4", "--rate", "0", "--seconds", "30", "--senders", "1",
                "--accounts", "1", "--threads", "1"};
            System.setProperty(CmtClient.Context.INGRESS_CHANNEL_PROP,
                node.context().transportContext().ingressChannel());
            final int[] exit = new int[1];
            final String text = Stdout.capture(() -> exit[0] = run(args));
            assertEquals(0, exit[0], () -> err + text);
            assertTrue(text.contains("\"committed\":4,"), text);

            // A response channel every node refuses, from the property: refused, so the property reached the client.
            final String refused = "aeron:udp?endpoint=node.example:0";
            System.setProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP, refused);
            Stdout.capture(() -> exit[0] = run(args));
            assertEquals(1, exit[0], err::toString);
            assertTrue(err.toString().contains(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + refused +
                " is one a node refuses"), err::toString);
        }
        finally
        {
            System.clearProperty(CmtClient.Context.INGRESS_CHANNEL_PROP);
            System.clearProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP);
        }
    }

    @Test
    void shouldExitOneForAGenesisFileItCannotUse() throws Exception
    {
        // Bad input, as a genesis it cannot read: not 2, which says no node answered.
        final File cut = new File(dir, "cut.json");
        Files.writeString(cut.toPath(), "{\"chainId\": 5,", StandardCharsets.UTF_8);
        assertEquals(1, run("loadgen", "--genesis", cut.getPath(), "--count", "1"));
        assertEquals("cmt loadgen: genesis file " + cut + ": genesis is not valid JSON: unexpected end of input at " +
            "line 1, column 15", err.toString().strip());
        final File empty = new File(dir, "empty.json");
        Files.writeString(empty.toPath(), "{}", StandardCharsets.UTF_8);
        assertEquals(1, run("loadgen", "--genesis", empty.getPath(), "--count", "1"));
        assertEquals("cmt loadgen: genesis file " + empty + ": genesis is missing \"chainId\"", err.toString().strip());
    }

    private int run(final String... args)
    {
        err.getBuffer().setLength(0);
        return CmtCommand.run(new StringWriter(), err, args);
    }

    private static <T> T await(final CmtClient client, final CompletableFuture<T> future) throws Exception
    {
        assertTrue(client.await(future, TimeUnit.SECONDS.toNanos(20)), "no answer");
        return future.get();
    }
}
