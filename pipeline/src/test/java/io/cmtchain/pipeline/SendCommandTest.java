package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cmt send} against a running node: a transfer, a delegation and its withdrawal commit and move what they
 * say; a transfer above the balance is rejected with its reason; the nonce comes from the node, the fee from its
 * schedule.
 */
class SendCommandTest
{
    private static final long DEVNET_BALANCE = 1_000_000_000_000L;

    @TempDir
    File dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return CmtCommand.run(out, err, args);
    }

    @Test
    void shouldSendTransfersAndDelegationsAndReportTheirReceipts() throws Exception
    {
        try (Node node = UdpNodes.launch(dir))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            final byte[] sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 1).address();
            final byte[] recipient = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 2).address();
            final String candidate = Hex.encode(Ed25519Key.devnet(Genesis.DEVNET_VALIDATOR_TAG, 0).address());

            assertEquals(0, run("send", "transfer", "--devnet", "1", "--to", Hex.encode(recipient), "--amount", "2.5",
                "--ingress", ingress), err::toString);
            assertTrue(out.toString().startsWith("sending transfer of 2.500000 CMT (2,500,000 µCMT) from " +
                Hex.encode(sender) + " to " + Hex.encode(recipient) + ", nonce 0, fee 0.000100 CMT (100 µCMT): " +
                "transaction "), out.toString());
            assertTrue(out.toString().contains("committed in block "), out.toString());

            // The next one takes the next nonce from the node.
            assertEquals(0, run("send", "delegate", "--devnet", "1", "--to", candidate, "--amount", "1000",
                "--ingress", ingress), err::toString);
            assertTrue(out.toString().contains(", nonce 1, fee "), out.toString());
            assertEquals(0, run("send", "withdraw", "--devnet", "1", "--to", candidate, "--amount", "400",
                "--ingress", ingress), err::toString);

            assertEquals(3, run("send", "transfer", "--devnet", "1", "--to", Hex.encode(recipient), "--amount",
                "5000000", "--ingress", ingress), err::toString);
            assertTrue(out.toString().contains("rejected: INSUFFICIENT_FUNDS"), out.toString());

            try (CmtClient client = CmtClient.connect(new CmtClient.Context().embeddedDriver(true)
                .ingressChannel(ingress).connectTimeoutNs(TimeUnit.SECONDS.toNanos(20))))
            {
                final AccountState to = await(client, client.queryAccount(recipient));
                assertEquals(DEVNET_BALANCE + 2_500_000, to.balanceMicroCmt());
                final AccountState from = await(client, client.queryAccount(sender));
                // Three committed and one rejected after its fee (the nonce moved for all four); 600 CMT still
                // delegated, 400 unbonding.
                assertEquals(4, from.nonce(), from::toString);
                assertTrue(from.balanceMicroCmt() <= DEVNET_BALANCE - 2_500_000 - 1_000_000_000, from::toString);
            }
        }
    }

    @Test
    void shouldSendWithTheGivenNonceAndFeeAndRefuseASenderWithNoAccount() throws Exception
    {
        try (Node node = UdpNodes.launch(dir))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            final String recipient = Hex.encode(Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 4).address());

            // --nonce and --fee are used as given, and the printed hash is the transaction's: the node finds it.
            assertEquals(0, run("send", "transfer", "--devnet", "3", "--to", recipient, "--amount", "1",
                "--nonce", "0", "--fee", "250", "--ingress", ingress), err::toString);
            final String sent = out.toString();
            assertTrue(sent.contains(", nonce 0, fee 0.000250 CMT (250 µCMT): transaction "), sent);
            assertTrue(sent.contains("committed in block "), sent);
            final String hash = sent.substring(sent.indexOf(": transaction ") + 14, sent.indexOf('\n'));
            assertEquals(0, run("receipt", hash, "--ingress", ingress), err::toString);
            assertTrue(out.toString().startsWith("transaction " + hash + ": in block "), out.toString());
            assertTrue(out.toString().contains("status OK, fee 0.000250 CMT (250 µCMT)"), out.toString());

            // The same transaction again is a duplicate, in no block of its own: the answer names the first copy's.
            assertEquals(3, run("send", "transfer", "--devnet", "3", "--to", recipient, "--amount", "1",
                "--nonce", "0", "--fee", "250", "--ingress", ingress), err::toString);
            final String block = sent.substring(sent.indexOf("committed in block ") + 19, sent.lastIndexOf(", fee "));
            assertTrue(out.toString().endsWith("rejected: DUPLICATE: the same transaction is in block " + block +
                " already, status OK, fee 0.000250 CMT (250 µCMT)\n"), out.toString());
            // Another at a nonce already used, and one below the minimum fee, are rejected in a block.
            assertEquals(3, run("send", "transfer", "--devnet", "3", "--to", recipient, "--amount", "2",
                "--nonce", "0", "--ingress", ingress), err::toString);
            assertTrue(out.toString().contains("rejected: BAD_NONCE in block "), out.toString());
            assertTrue(out.toString().endsWith(", fee 0.000000 CMT (0 µCMT)\n"), out.toString());
            assertEquals(3, run("send", "transfer", "--devnet", "3", "--to", recipient, "--amount", "0.000001",
                "--fee", "0", "--ingress", ingress), err::toString);
            assertTrue(out.toString().startsWith("sending transfer of 0.000001 CMT (1 µCMT) from "), out.toString());
            assertTrue(out.toString().contains(", nonce 1, fee 0.000000 CMT (0 µCMT): transaction "), out.toString());
            assertTrue(out.toString().contains("rejected: FEE_TOO_LOW in block "), out.toString());
            // The largest nonce a transaction may carry is signed and sent as given (this account is not there).
            assertEquals(3, run("send", "transfer", "--devnet", "3", "--to", recipient, "--amount", "1",
                "--nonce", "9223372036854775806", "--ingress", ingress), err::toString);
            assertTrue(out.toString().contains(", nonce 9223372036854775806, fee "), out.toString());
            assertTrue(out.toString().contains("rejected: BAD_NONCE in block "), out.toString());

            // A key the chain has never paid: it has no account, so no nonce and nothing to pay a fee with.
            final File keyFile = new File(dir, "new.key");
            assertEquals(0, run("keygen", "--out", keyFile.toString()), err::toString);
            assertEquals(3, run("send", "transfer", "--key", keyFile.toString(), "--to", recipient, "--amount", "1",
                "--ingress", ingress), err::toString);
            assertEquals("cmt send: account " + Hex.encode(ValidatorKeyFile.read(keyFile).address()) +
                " does not exist on this chain (it has never received CMT), so it cannot pay a fee",
                err.toString().strip());
            assertEquals("", out.toString(), "nothing sent");
        }
    }

    @Test
    void shouldRefuseBadInputBeforeConnecting()
    {
        final String to = "--to=" + Hex.encode(new byte[20]);
        assertEquals(1, run("send", "transfer", to, "--amount", "1"));
        assertTrue(err.toString().startsWith("cmt send: give one of --key FILE or --devnet N"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "0.0000001"));
        assertTrue(err.toString().startsWith("cmt send: --amount has more than six decimals"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "0"));
        assertTrue(err.toString().startsWith("cmt send: --amount must be more than 0 CMT, was 0"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "-3"));
        assertTrue(err.toString().startsWith("cmt send: --amount must be more than 0 CMT, was -3"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "10000000000000"));
        assertTrue(err.toString().startsWith("cmt send: --amount is more CMT than can exist"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "1e3x"));
        assertTrue(err.toString().startsWith("cmt send: --amount must be a number of CMT"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "1", "--fee", "-1"));
        assertTrue(err.toString().startsWith("cmt send: --fee must be >= 0 µCMT, was -1"), err.toString());
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "1", "--nonce", "-1"));
        assertTrue(err.toString().startsWith("cmt send: --nonce must be 0 to 9223372036854775806 (the largest a " +
            "transaction may carry), was -1"), err.toString());
        // The largest nonce, Long.MAX_VALUE, is one no transaction may carry (TransactionProcessor.MAX_NONCE): the
        // ledger would refuse it BAD_NONCE. Refused here before connecting, as the ingress below has no node.
        assertEquals(1, run("send", "transfer", "--devnet", "1", to, "--amount", "1", "--nonce",
            "9223372036854775807", "--ingress", "aeron:udp?endpoint=localhost:1", "--timeout-s", "1"));
        assertEquals("cmt send: --nonce must be 0 to 9223372036854775806 (the largest a transaction may carry), " +
            "was 9223372036854775807", err.toString().strip());
        assertEquals("", out.toString(), "nothing signed or sent");
        assertEquals(1, run("send", "transfer", "--devnet", "1", "--to", "abc", "--amount", "1"));
        assertTrue(err.toString().startsWith("cmt send: --to must be 40 hex digits"), err.toString());
        assertEquals(1, run("send", "stake", "--devnet", "1", to, "--amount", "1"));
        assertTrue(err.toString().contains("KIND"), err.toString());
    }

    private static <T> T await(final CmtClient client, final CompletableFuture<T> future) throws Exception
    {
        assertTrue(client.await(future, TimeUnit.SECONDS.toNanos(20)), "no answer");
        return future.get();
    }
}
