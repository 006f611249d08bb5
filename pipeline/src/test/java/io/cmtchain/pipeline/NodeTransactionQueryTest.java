package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.pipeline.cli.CmtMain;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.Receipt;
import io.cmtchain.transport.TransactionState;
import io.cmtchain.transport.TransportContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    @Test
    void shouldAnswerThatTheBlockCannotBeReadWhenTheBlockHoldingTheTransactionIsDamaged() throws Exception
    {
        // A node runs on a journal with a damaged block below its snapshot and duplicate window: neither recovery
        // nor the duplicate filter reads that block, so the damage shows only when a query reads it.
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final Ed25519Key sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 2);
        final byte[] recipient = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 3).address();
        final Receipt lost;
        final Receipt kept;
        try (Node node = launchWithSnapshots(errors);
            CmtClient client = connect(node))
        {
            final TransactionBuilder builder = new TransactionBuilder(client.chainId());
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
            lost = submit(client, frame, builder.transfer(sender, 0, 100, 0, recipient, 1_000, frame, 0));
            assertTrue(lost.committed(), lost::toString);
            Receipt last = lost;
            for (int nonce = 1; nonce <= 6; nonce++)
            {
                last = submit(client, frame, builder.transfer(sender, nonce, 100, 0, recipient, 1_000, frame, 0));
                assertTrue(last.committed(), last::toString);
            }
            kept = last;
            final long lostHeight = lost.blockHeight();
            Await.until(() -> snapshotAbove(lostHeight), 10_000, () -> "a snapshot above block " + lostHeight);
        }
        flipByteInBlock(lost.blockHeight(), 30);

        try (Node node = launchWithSnapshots(errors);
            CmtClient client = connect(node))
        {
            final TransactionState before = await(client, client.queryTransaction(kept.txHash()));
            assertTrue(before.committed(), before::toString);

            final TransactionState damaged = await(client, client.queryTransaction(lost.txHash()));
            assertTrue(damaged.unreadable(), damaged::toString);
            assertFalse(damaged.found(), damaged::toString);
            assertFalse(damaged.committed());
            assertArrayEquals(lost.txHash(), damaged.txHash());
            assertEquals(lost.blockHeight(), damaged.blockHeight());
            assertEquals(TransactionState.NO_STATUS, damaged.status());
            assertTrue(damaged.journaledHeight() >= kept.blockHeight(), damaged::toString);
            assertTrue(damaged.toString().contains("indexed in block " + lost.blockHeight() + ", which the node " +
                "cannot read"), damaged.toString());

            // Reported once, naming the query and the damage; the stage goes on answering.
            Await.until(() -> errors.size() == 1, 10_000, errors::toString);
            final String report = errors.get(0).toString();
            assertTrue(report.contains("transaction query for " + Hex.encode(lost.txHash())) &&
                report.contains("block " + lost.blockHeight()), report);
            assertTrue(errors.get(0).getCause().getMessage().startsWith("journal corrupted at block " +
                lost.blockHeight() + " "), errors.get(0).getCause()::toString);
            final TransactionState after = await(client, client.queryTransaction(kept.txHash()));
            assertTrue(after.committed(), after::toString);
            assertEquals(kept.blockHeight(), after.blockHeight());

            final String ingress = node.context().transportContext().ingressChannel();
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final CommandLine receipt = CmtMain.commandLine();
            receipt.setOut(new PrintWriter(out, true));
            receipt.setErr(new PrintWriter(err, true));
            assertEquals(4, receipt.execute("receipt", Hex.encode(lost.txHash()), "--ingress", ingress));
            assertEquals("", out.toString());
            assertTrue(err.toString().startsWith("cmt receipt: transaction " + Hex.encode(lost.txHash()) +
                ": the node's index places it in block " + lost.blockHeight() + ", which the node cannot read " +
                "from its journal"), err.toString());
            Await.until(() -> errors.size() == 2, 10_000, errors::toString);
        }
    }

    private Node launchWithSnapshots(final List<Throwable> errors)
    {
        return Node.launch(new NodeContext()
            .dataDir(dir)
            .genesisJson(DevnetGenesis.jsonWithAccounts(4))
            .verifierThreads(1)
            .snapshotIntervalBlocks(2)
            .dedupeWindow(2)
            .errorHandler(errors::add)
            .log(line -> { })
            .transportContext(new TransportContext()
                .ingressChannel("aeron:udp?endpoint=localhost:" + UdpNodes.freePort())));
    }

    private boolean snapshotAbove(final long height)
    {
        try (Stream<Path> files = Files.list(new DataDirectory(dir.toPath()).snapshotsDir()))
        {
            return files.anyMatch(p -> snapshotHeight(p) > height);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** @return the height in a snapshot's file name (its digits), or -1. */
    private static long snapshotHeight(final Path file)
    {
        final String digits = file.getFileName().toString().replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /** Flip a byte of block {@code height}'s journal entry (the Nth 'CMTC' magic), past its checksum. */
    private void flipByteInBlock(final long height, final int delta) throws IOException
    {
        final Path file;
        try (Stream<Path> files = Files.list(new DataDirectory(dir.toPath()).journalDir()))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == 'C' && bytes[i + 1] == 'M' && bytes[i + 2] == 'T' && bytes[i + 3] == 'C' &&
                ++found == height)
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(i + delta);
                    final int v = raf.read();
                    raf.seek(i + delta);
                    raf.write(v ^ 0x10);
                }
                return;
            }
        }
        throw new IllegalStateException("block " + height + " not found, " + found + " entries in " + file);
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
