package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.pipeline.cli.CmtMain;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.Receipt;
import io.cmtchain.transport.TransactionState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transaction queries over the transport: the node's journal stage answers from the journal's transaction index,
 * with the receipt it journaled, and the answer survives a restart.
 */
class NodeTransactionQueryTest
{
    @TempDir
    File dir;

    @Test
    void shouldAnswerWithTheJournaledReceiptOrNotFoundAndAfterARestart() throws Exception
    {
        final Ed25519Key sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 2);
        final byte[] recipient = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 3).address();
        final Receipt applied;
        final Receipt badNonce;
        try (Node node = UdpNodes.launch(dir);
            CmtClient client = connect(node))
        {
            final TransactionBuilder builder = new TransactionBuilder(client.chainId());
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);

            // Applied: its block holds it with OK and the fee charged.
            applied = submit(client, frame, builder.transfer(sender, 0, 100, 0, recipient, 1_000_000, frame, 0));
            assertTrue(applied.committed(), applied::toString);
            final TransactionState ok = await(client, client.queryTransaction(applied.txHash()));
            assertTrue(ok.found(), ok::toString);
            assertTrue(ok.committed(), ok::toString);
            assertArrayEquals(applied.txHash(), ok.txHash());
            assertEquals(applied.blockHeight(), ok.blockHeight());
            assertEquals(0, ok.index());
            assertEquals(ReceiptStatus.OK.value(), ok.status());
            assertEquals(applied.feeChargedMicroCmt(), ok.feeChargedMicroCmt());
            assertTrue(ok.journaledHeight() >= ok.blockHeight(), ok::toString);

            // Refused by the ledger inside its block (a nonce ahead of the account's): found, with that status.
            badNonce = submit(client, frame, builder.transfer(sender, 7, 100, 0, recipient, 1_000_000, frame, 0));
            assertEquals(ReceiptStatus.BAD_NONCE, badNonce.statusEnum(), badNonce::toString);
            final TransactionState refused = await(client, client.queryTransaction(badNonce.txHash()));
            assertTrue(refused.found(), refused::toString);
            assertFalse(refused.committed());
            assertEquals(ReceiptStatus.BAD_NONCE, refused.statusEnum());
            assertEquals(badNonce.blockHeight(), refused.blockHeight());
            assertEquals(0, refused.feeChargedMicroCmt());

            // Rejected before ordering (a bad signature): its receipt said so, and no block holds it.
            final int length = builder.transfer(sender, 1, 100, 0, recipient, 1_000_000, frame, 0);
            frame.putByte(8, (byte)(frame.getByte(8) ^ 1));
            final Receipt badSignature = submit(client, frame, length);
            assertEquals(ReceiptStatus.BAD_SIGNATURE, badSignature.statusEnum(), badSignature::toString);
            final TransactionState rejected = await(client, client.queryTransaction(badSignature.txHash()));
            assertFalse(rejected.found(), rejected::toString);
            assertEquals(TransactionState.NO_STATUS, rejected.status());
            assertEquals(ReceiptStatus.NULL_VAL, rejected.statusEnum());
            assertTrue(rejected.journaledHeight() >= refused.blockHeight(), rejected::toString);

            assertThrows(IllegalArgumentException.class, () -> client.queryTransaction(new byte[31]));
            Await.until(() -> node.transport().counters().transactionQueriesAnswered.get() == 3, 10_000,
                () -> "answered " + node.transport().counters().transactionQueriesAnswered.get());
            assertEquals(0, node.transport().counters().transactionQueriesRefused.get());

            // The operator's command asks the same way: 0 when found, 3 when not.
            final String ingress = node.context().transportContext().ingressChannel();
            final StringWriter out = new StringWriter();
            final CommandLine receipt = CmtMain.commandLine();
            receipt.setOut(new PrintWriter(out, true));
            assertEquals(0, receipt.execute("receipt", Hex.encode(applied.txHash()), "--ingress", ingress));
            assertTrue(out.toString().startsWith("transaction " + Hex.encode(applied.txHash()) + ": in block " +
                applied.blockHeight() + " at index 0, status OK, fee 0.000100 CMT (100 µCMT); final"), out.toString());
            out.getBuffer().setLength(0);
            assertEquals(3, receipt.execute("receipt", Hex.encode(badSignature.txHash()), "--ingress", ingress));
            assertTrue(out.toString().contains(": in no block this node has journaled"), out.toString());
        }

        // The journal is durable: a restarted node finds the same receipts.
        try (Node node = UdpNodes.launch(dir);
            CmtClient client = connect(node))
        {
            final TransactionState ok = await(client, client.queryTransaction(applied.txHash()));
            assertTrue(ok.committed(), ok::toString);
            assertEquals(applied.blockHeight(), ok.blockHeight());
            final TransactionState refused = await(client, client.queryTransaction(badNonce.txHash()));
            assertEquals(ReceiptStatus.BAD_NONCE, refused.statusEnum(), refused::toString);
        }
    }

    private static CmtClient connect(final Node node)
    {
        return CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(node.context().transportContext().ingressChannel())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(20)));
    }

    private static Receipt submit(final CmtClient client, final UnsafeBuffer frame, final int length) throws Exception
    {
        final CompletableFuture<Receipt> receipt = client.submitAsync(frame, 0, length);
        assertTrue(client.await(receipt, TimeUnit.SECONDS.toNanos(20)), "no receipt");
        return receipt.get();
    }

    private static TransactionState await(final CmtClient client, final CompletableFuture<TransactionState> state)
        throws Exception
    {
        assertTrue(client.await(state, TimeUnit.SECONDS.toNanos(20)), "no answer");
        return state.get();
    }
}
