package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.pipeline.cli.CmtMain;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.CmtClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Account queries over the transport: the node's execution stage answers from its state, between blocks.
 */
class NodeAccountQueryTest
{
    private static final long DEVNET_BALANCE = 1_000_000_000_000L;

    @TempDir
    File dir;

    @Test
    void shouldAnswerBalanceAndNextNonceAndSayWhenAnAccountDoesNotExist() throws Exception
    {
        try (Node node = UdpNodes.launch(dir))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            final CmtClient client = CmtClient.connect(new CmtClient.Context()
                .embeddedDriver(true)
                .ingressChannel(ingress)
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(20)));
            final byte[] funded = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 3).address();
            final AccountState genesis = await(client, client.queryAccount(funded));
            assertTrue(genesis.exists(), genesis::toString);
            assertEquals(DEVNET_BALANCE, genesis.balanceMicroCmt());
            assertEquals(0, genesis.nonce());
            assertArrayEquals(funded, genesis.address());

            final byte[] unknown = new byte[20];
            unknown[0] = 42;
            final AccountState none = await(client, client.queryAccount(unknown));
            assertFalse(none.exists(), none::toString);
            assertEquals(0, none.balanceMicroCmt());
            assertEquals(0, none.nonce());

            // Several in flight at once: each answer finds its own query.
            final CompletableFuture<AccountState> a = client.queryAccount(funded);
            final CompletableFuture<AccountState> b = client.queryAccount(unknown);
            assertTrue(await(client, a).exists());
            assertFalse(await(client, b).exists());

            assertThrows(IllegalArgumentException.class, () -> client.queryAccount(new byte[19]));
            Await.until(() -> node.transport().counters().accountQueriesAnswered.get() == 4, 10_000,
                () -> "answered " + node.transport().counters().accountQueriesAnswered.get());
            assertEquals(0, node.transport().counters().accountQueriesRefused.get());

            // The operator's command asks the same way.
            final StringWriter out = new StringWriter();
            final CommandLine account = CmtMain.commandLine();
            account.setOut(new PrintWriter(out, true));
            assertEquals(0, account.execute("account", "--devnet", "3", "--ingress", ingress));
            assertTrue(out.toString().startsWith("account " + Hex.encode(funded) +
                ": balance 1,000,000.000000 CMT (1,000,000,000,000 µCMT), next nonce 0, as of block "),
                out.toString());
            out.getBuffer().setLength(0);
            assertEquals(0, account.execute("account", "0x" + Hex.encode(funded), "--ingress", ingress));
            assertTrue(out.toString().startsWith("account " + Hex.encode(funded) + ": balance 1,000,000.000000 CMT"),
                out.toString());
            out.getBuffer().setLength(0);
            assertEquals(0, account.execute("account", Hex.encode(unknown), "--ingress", ingress));
            assertTrue(out.toString().startsWith("account " + Hex.encode(unknown) + ": no such account (it has " +
                "never received CMT), as of block "), out.toString());

            client.close();
            // A closed client answers at once, exceptionally.
            final ExecutionException closed = assertThrows(ExecutionException.class,
                () -> client.queryAccount(funded).get());
            assertInstanceOf(CmtClientException.class, closed.getCause());
        }
    }

    private static AccountState await(final CmtClient client, final CompletableFuture<AccountState> state)
        throws Exception
    {
        assertTrue(client.await(state, TimeUnit.SECONDS.toNanos(20)), "no answer");
        return state.get();
    }
}
