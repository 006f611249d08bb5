package io.cmtchain.pipeline;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.Durability;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.journal.JournalReplay;
import io.cmtchain.journal.Recovery;
import io.cmtchain.journal.TxLocation;
import io.cmtchain.pipeline.cli.NodeProcess;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.ReceiptListener;
import io.cmtchain.transport.TransportContext;
import org.agrona.DirectBuffer;
import org.agrona.collections.Object2IntHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kill -9 a node (a child JVM running {@code cmt node} on a data directory) under load at random moments, restart it
 * on the same directory, and check what a client was promised.
 * <p>
 * The client sends transfers from a few senders with consecutive nonces over Aeron UDP. A transaction whose OK
 * receipt arrived is recorded as committed; one sent without a receipt when the node died has an unknown outcome and
 * is sent again, in order, after the restart: then it is either committed now (OK) or the node says it already is
 * (DUPLICATE: its hash is in the journal's recent blocks). After the rounds, with the node stopped:
 * <ul>
 * <li>every transaction with an OK receipt is in the journal with status OK;</li>
 * <li>no transaction is applied twice: each hash appears at most once in the journal, and each sender's committed
 * nonces run 0, 1, 2, ... without a gap or a repeat;</li>
 * <li>every transaction sent ends up committed exactly once;</li>
 * <li>the state recovered from the data directory (snapshot + journal) has the state root of a replay of the whole
 * journal from genesis, which is also the last journaled header's.</li>
 * </ul>
 */
final class CrashScenario
{
    private static final int SENDERS = 40;
    private static final int MAX_TXS = 400_000;
    private static final int RATE_PER_SECOND = 4_000;
    private static final long READY_TIMEOUT_MS = 90_000;
    private static final long RECEIPTS_TIMEOUT_MS = 60_000;
    private static final byte UNSENT = 0;
    private static final byte PENDING = 1;
    private static final byte UNKNOWN = 2;
    private static final byte COMMITTED = 3;
    private static final byte ALREADY_COMMITTED = 4;

    private final File dataDir;
    private final File genesisFile;
    private final int rounds;
    private final long seed;
    private final Random random;
    private final PrintStream log = System.out;
    private final Genesis genesis;
    private final Ed25519Key[] keys = new Ed25519Key[SENDERS];
    private final byte[][] recipients = new byte[SENDERS][];
    private final TransactionBuilder builder;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
    private final byte[] state = new byte[MAX_TXS];
    private final byte[][] hashes = new byte[MAX_TXS][];
    private final Listener listener = new Listener();
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 200_000);
    private int sent;
    private int receiptsOk;
    private int snapshotRecoveries;
    private String unexpected;

    CrashScenario(final File workDir, final int rounds) throws IOException
    {
        this.dataDir = new File(workDir, "node");
        this.genesisFile = new File(workDir, "genesis.json");
        this.rounds = rounds;
        this.seed = Long.getLong("cmt.crash.seed", System.nanoTime());
        this.random = new Random(seed);
        final String json = DevnetGenesis.jsonWithAccounts(SENDERS * 2);
        Files.writeString(genesisFile.toPath(), json, StandardCharsets.UTF_8);
        genesis = Genesis.parse(json);
        builder = new TransactionBuilder(genesis.chainId());
        for (int i = 0; i < SENDERS; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
            recipients[i] = Genesis.devnetAccountKey(SENDERS + i).address();
        }
    }

    void run() throws Exception
    {
        log.println("crash scenario: " + rounds + " kill -9 rounds, seed " + seed + " (-Dcmt.crash.seed to repeat)");
        final int port = UdpNodes.freePort();
        final String ingress = "aeron:udp?endpoint=localhost:" + port;
        final File clientAeronDir = new File(dataDir.getParentFile(), "client-aeron");
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(clientAeronDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)))
        {
            for (int round = 1; round <= rounds; round++)
            {
                final NodeProcess node = startNode(ingress);
                try
                {
                    try (CmtClient client = connect(driver, ingress))
                    {
                        final long runMs = 300 + random.nextInt(1_700);
                        resendUnknown(client);
                        sendFor(client, runMs);
                        assertTrue(node.kill(30_000), "node did not die");
                    }
                }
                finally
                {
                    node.close();
                }
                int unknown = 0;
                for (int i = 0; i < sent; i++)
                {
                    if (state[i] == PENDING)
                    {
                        state[i] = UNKNOWN;
                    }
                    unknown += state[i] == UNKNOWN ? 1 : 0;
                }
                log.println("crash scenario: round " + round + " killed the node after " + sent + " sent, " +
                    receiptsOk + " OK receipts, " + unknown + " without a receipt");
                assertNoUnexpectedReceipt();
            }

            final NodeProcess node = startNode(ingress);
            try
            {
                try (CmtClient client = connect(driver, ingress))
                {
                    resendUnknown(client);
                    awaitAllReceipts(client);
                }
                assertEquals(0, node.stop(60_000), () -> "node did not stop cleanly:\n" + node.tail());
            }
            finally
            {
                node.close();
            }
        }
        assertNoUnexpectedReceipt();
        assertTrue(snapshotRecoveries > 0 || rounds < 3,
            "no restart recovered from a snapshot (interval too long for this run?)");
        checkJournal();
    }

    private NodeProcess startNode(final String ingress) throws InterruptedException
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put(TransportContext.INGRESS_CHANNEL_PROP, ingress);
        properties.put(NodeContext.GENESIS_FILE_PROP, genesisFile.getAbsolutePath());
        properties.put(NodeContext.SNAPSHOT_INTERVAL_BLOCKS_PROP, "20");
        properties.put(NodeContext.BLOCK_INTERVAL_MS_PROP, "20");
        properties.put(NodeContext.THREADING_MODE_PROP, "SHARED");
        final NodeProcess node = NodeProcess.start(dataDir, properties, List.of("-Xmx512m"), "node| ", log,
            line -> line.contains("recovery:") || line.contains("rror") || line.contains("xception"));
        if (!node.awaitReady(READY_TIMEOUT_MS))
        {
            final String tail = node.tail();
            node.close();
            fail("node did not start:\n" + tail);
        }
        if (node.tail().contains("from the snapshot at"))
        {
            snapshotRecoveries++;
        }
        return node;
    }

    private CmtClient connect(final MediaDriver driver, final String ingress)
    {
        return CmtClient.connect(new CmtClient.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .ingressChannel(ingress)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .autoReconnect(false));
    }

    private void resendUnknown(final CmtClient client)
    {
        for (int i = 0; i < sent; i++)
        {
            if (state[i] == UNKNOWN)
            {
                submit(client, i);
            }
        }
    }

    private void sendFor(final CmtClient client, final long runMs)
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(runMs);
        final int first = sent;
        long nowNs;
        while ((nowNs = System.nanoTime()) < endNs)
        {
            final long due = first + (nowNs - startNs) * RATE_PER_SECOND / 1_000_000_000L;
            int work = client.poll();
            while (sent < due && sent < MAX_TXS)
            {
                submit(client, sent);
                sent++;
                work++;
            }
            idle.idle(work);
        }
    }

    private void submit(final CmtClient client, final int index)
    {
        final int sender = index % SENDERS;
        final long nonce = index / SENDERS;
        final int length = builder.transfer(keys[sender], nonce, 100, 0, recipients[sender], 1 + nonce % 7, frame, 0);
        if (hashes[index] == null)
        {
            hashes[index] = new byte[32];
            TxHash.compute(new Sha256(), frame, 0, length, hashes[index], 0);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long result;
        while ((result = client.submit(frame, 0, length, listener, index)) < 0)
        {
            if (result != CmtClient.BACK_PRESSURED && result != CmtClient.PENDING_FULL)
            {
                fail("submit of transaction " + index + " failed: " + CmtClient.describe(result));
            }
            if (System.nanoTime() > deadlineNs)
            {
                fail("the node back-pressured transaction " + index + " for 30 s");
            }
            idle.idle(client.poll());
        }
        state[index] = PENDING;
    }

    private void awaitAllReceipts(final CmtClient client)
    {
        Await.until(() ->
        {
            client.poll();
            return client.pendingCount() == 0;
        }, RECEIPTS_TIMEOUT_MS, () -> client.pendingCount() + " transactions still without a receipt");
        for (int i = 0; i < sent; i++)
        {
            if (state[i] != COMMITTED && state[i] != ALREADY_COMMITTED)
            {
                fail("transaction " + i + " ended in state " + state[i] + ", not committed");
            }
        }
    }

    private void assertNoUnexpectedReceipt()
    {
        if (unexpected != null)
        {
            fail(unexpected);
        }
    }

    private void checkJournal()
    {
        final DataDirectory directory = new DataDirectory(dataDir.toPath());
        final String genesisJson = directory.readGenesis();
        final Chain recovered = Recovery.recover(dataDir.toPath(), new ReferenceExecutor(), line -> log.println(line));

        final Chain replayed = new Chain(genesis.createState(7), 0, new byte[32]);
        final Object2IntHashMap<String> seen = new Object2IntHashMap<>(-1);
        final Map<String, Long> nextNonceBySender = new LinkedHashMap<>();
        final TransactionFlyweight flyweight = new TransactionFlyweight();
        final byte[] hash = new byte[32];
        final byte[] publicKey = new byte[32];
        byte[] lastRoot = new byte[32];
        try (ChronicleBlockJournal journal = ChronicleBlockJournal.open(directory, Durability.PROCESS);
            JournalReader reader = journal.newReader())
        {
            final List<String> problems = new ArrayList<>();
            final JournalReplay replay = new JournalReplay();
            replay.run(reader, replayed, new ReferenceExecutor(), null);
            assertEquals(journal.lastHeight(), replayed.height(), "replay from genesis stopped early");

            reader.rewind();
            while (reader.next())
            {
                lastRoot = reader.header().stateRoot.clone();
                final BlockTransactions txs = reader.transactions();
                for (int i = 0; i < txs.count(); i++)
                {
                    txs.hash(i, hash, 0);
                    final String hex = Hex.encode(hash);
                    if (seen.getValue(hex) >= 0)
                    {
                        problems.add("transaction " + hex + " is in the journal twice (blocks " + seen.getValue(hex) +
                            " and " + reader.height() + ")");
                    }
                    seen.put(hex, (int)reader.height());
                    if (reader.receipts().status(i) != ReceiptStatus.OK.value())
                    {
                        continue;
                    }
                    flyweight.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
                    flyweight.buffer().getBytes(flyweight.publicKeyOffset(), publicKey);
                    final String sender = Hex.encode(publicKey);
                    final long expected = nextNonceBySender.getOrDefault(sender, 0L);
                    if (flyweight.nonce() != expected)
                    {
                        problems.add("sender " + sender.substring(0, 8) + " committed nonce " + flyweight.nonce() +
                            " where " + expected + " was next");
                    }
                    nextNonceBySender.put(sender, flyweight.nonce() + 1);
                }
            }
            for (int i = 0; i < sent; i++)
            {
                final long location = journal.findTransaction(hashes[i], 0);
                if (location == TxLocation.NOT_FOUND)
                {
                    problems.add("transaction " + i + " (" + (state[i] == COMMITTED ? "OK receipt" : "state " +
                        state[i]) + ") is not in the journal");
                }
                else if (journal.status(location) != ReceiptStatus.OK.value())
                {
                    problems.add("transaction " + i + " is journaled as " +
                        ReceiptStatus.get((short)journal.status(location)));
                }
            }
            if (!problems.isEmpty())
            {
                fail(problems.size() + " problems, first: " + problems.subList(0, Math.min(10, problems.size())));
            }
            int already = 0;
            for (int i = 0; i < sent; i++)
            {
                already += state[i] == ALREADY_COMMITTED ? 1 : 0;
            }
            log.println("crash scenario: journal holds " + journal.lastHeight() + " blocks, " + seen.size() +
                " transactions, each once; " + sent + " sent, all committed once (" + already + " of them answered " +
                "DUPLICATE when sent again after a crash: committed before it, receipt lost with the node); " +
                "genesis of " + genesisJson.length() + " bytes stored");
        }
        assertEquals(replayed.height(), recovered.height(), "recovered height");
        assertArrayEquals(replayed.state().stateRoot(), recovered.state().stateRoot(),
            "recovered state root differs from a replay from genesis");
        assertArrayEquals(lastRoot, recovered.state().stateRoot(), "recovered state root differs from the last header");
        assertTrue(Arrays.stream(directory.snapshotsDir().toFile().list()).anyMatch(n -> n.endsWith(".snap")) ||
            rounds < 3, "no snapshot was written");
    }


    private final class Listener implements ReceiptListener
    {
        private final byte[] hash = new byte[32];

        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
            final int index = (int)tag;
            txHash.getBytes(hashOffset, hash);
            if (!Arrays.equals(hash, hashes[index]))
            {
                unexpected = "receipt for transaction " + index + " carries another hash";
            }
            else if (status == ReceiptStatus.OK.value())
            {
                state[index] = COMMITTED;
                receiptsOk++;
            }
            else if (status == ReceiptStatus.DUPLICATE.value() && state[index] == PENDING)
            {
                // Sent again after a crash: the node found it among its journaled blocks.
                state[index] = ALREADY_COMMITTED;
            }
            else if (unexpected == null)
            {
                unexpected = "transaction " + index + " got " + ReceiptStatus.get((short)status) + " in block " +
                    blockHeight;
            }
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            final int index = (int)tag;
            if (state[index] == PENDING)
            {
                state[index] = UNKNOWN;
            }
        }
    }
}
