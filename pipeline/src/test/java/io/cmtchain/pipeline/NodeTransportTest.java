package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.pipeline.cli.CmtMain;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.ReceiptListener;
import io.cmtchain.transport.TransportContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with its Aeron transport: signed transfers in over UDP and over IPC, verified by the ZIP-215 batch verifier,
 * receipts back over egress, and the transport's counters in the node's counters file.
 */
class NodeTransportTest
{
    private static final int SENDERS = 8;
    private static final int PER_CLIENT = 400;

    @TempDir
    File dir;

    private final TestChain chain = new TestChain(SENDERS);

    @Test
    void shouldRefuseAMediaDriverDirectoryOfOtherFilesBeforeRecoveryAndLeaveItAsItWas() throws IOException
    {
        // The embedded driver would delete the directory: refused, and before the journal is even opened.
        final File other = new File(dir, "other");
        assertTrue(other.mkdirs());
        final File kept = new File(other, "notes.txt");
        Files.writeString(kept.toPath(), "keep me");
        final List<String> lines = new ArrayList<>();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Node.launch(new NodeContext()
                .dataDir(new File(dir, "data"))
                .genesisJson(DevnetGenesis.jsonWithAccounts(SENDERS))
                .threadingMode(ThreadingMode.SHARED)
                .verifierThreads(1)
                .log(lines::add)
                .transportContext(new TransportContext().ingressChannel("aeron:ipc")
                    .aeronDirectoryName(other.getPath()))).close());
        assertTrue(ex.getMessage().startsWith("cmt.transport.aeron.dir is " + other.getAbsolutePath() +
            ", which holds 1 entry and no media driver's cnc.dat"), ex.getMessage());
        assertEquals(List.of(), lines, "nothing recovered or started");
        assertTrue(!new File(dir, "data/journal").exists(), "no journal opened");
        assertEquals("keep me", Files.readString(kept.toPath()));
    }

    @Test
    void shouldTakeTransactionsOverUdpAndIpcAndSendReceiptsBack() throws IOException
    {
        final String udp = "aeron:udp?endpoint=localhost:" + UdpNodes.freePort();
        final TransportContext transport = new TransportContext().ingressChannel(udp);
        final Counts counts = new Counts();
        try (Node node = Node.launch(new NodeContext()
            .dataDir(dir)
            .genesisJson(DevnetGenesis.jsonWithAccounts(SENDERS)
                .replace("\"byType\": {\"TRANSFER\": 100}", "\"byType\": {\"TRANSFER\": 100, \"ESCROW_CREATE\": 2500}"))
            .threadingMode(ThreadingMode.SHARED)
            .verifierThreads(1)
            .log(line -> { })
            .transportContext(transport)))
        {
            assertEquals("zip215", node.context().sigverify());
            try (CmtClient overUdp = CmtClient.connect(new CmtClient.Context()
                .embeddedDriver(true)
                .ingressChannel(udp)
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(20)));
                CmtClient overIpc = CmtClient.connect(new CmtClient.Context()
                    .aeronDirectoryName(transport.aeronDirectoryName())
                    .ingressChannel("aeron:ipc")
                    .connectTimeoutNs(TimeUnit.SECONDS.toNanos(20))))
            {
                assertEquals(chain.chainId(), overUdp.chainId());
                // The genesis fee schedule, told at connect over either medium.
                assertEquals(100, overUdp.minimumFee(TxTypes.TRANSFER));
                assertEquals(2500, overIpc.minimumFee(TxType.ESCROW_CREATE.value()));
                assertEquals(100, overIpc.minimumFee(TxType.DELEGATE.value()), "the default minimum");
                assertEquals(-1, overIpc.minimumFee(3), "no such type");
                // Even senders over UDP, odd ones over IPC, so that each sender's nonces arrive in order; every 50th
                // frame carries a broken signature.
                send(overUdp, 0, counts);
                send(overIpc, 1, counts);
                Await.until(() ->
                {
                    overUdp.poll();
                    overIpc.poll();
                    return overUdp.pendingCount() == 0 && overIpc.pendingCount() == 0;
                }, 60_000, () -> counts + ", pending " + overUdp.pendingCount() + " + " + overIpc.pendingCount());
            }

            final int bad = 2 * ((PER_CLIENT + 49) / 50);
            assertEquals(2 * PER_CLIENT - bad, counts.ok, counts::toString);
            assertEquals(bad, counts.badSignature, counts::toString);

            final StringWriter out = new StringWriter();
            final CommandLine stat = new CommandLine(new CmtMain());
            stat.setOut(new PrintWriter(out, true));
            assertEquals(0, stat.execute("stat", "--data", dir.getPath(), "--once"));
            assertTrue(out.toString().contains("transport: receipts sent"), out.toString());
            assertEquals(2 * PER_CLIENT, node.transport().counters().receiptsSent.get());
        }
    }

    private void send(final CmtClient client, final int parity, final Counts counts)
    {
        final TransactionBuilder builder = new TransactionBuilder(chain.chainId());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final long[] nonces = new long[SENDERS];
        for (int i = 0; i < PER_CLIENT; i++)
        {
            final int sender = 2 * (i % (SENDERS / 2)) + parity;
            final boolean broken = i % 50 == 0;
            final int length = builder.transfer(chain.keys[sender], nonces[sender], TestChain.FEE, 0,
                chain.keys[(sender + 1) % SENDERS].address(), 1, frame, 0);
            if (broken)
            {
                frame.putByte(TransactionDescriptor.SIGNATURE_OFFSET + 3,
                    (byte)(frame.getByte(TransactionDescriptor.SIGNATURE_OFFSET + 3) ^ 0x40));
            }
            else
            {
                nonces[sender]++;
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.submit(frame, 0, length, counts, i) < 0)
            {
                assertTrue(System.nanoTime() < deadlineNs, "submit kept failing");
                client.poll();
            }
        }
    }


    private static final class Counts implements ReceiptListener
    {
        int ok;
        int badSignature;
        int other;
        int lost;

        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
            if (status == ReceiptStatus.OK.value())
            {
                ok++;
            }
            else if (status == ReceiptStatus.BAD_SIGNATURE.value())
            {
                badSignature++;
            }
            else
            {
                other++;
            }
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            lost++;
        }

        @Override
        public String toString()
        {
            return "ok " + ok + ", bad signature " + badSignature + ", other " + other + ", lost " + lost;
        }
    }
}
