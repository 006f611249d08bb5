package io.cmtchain.pipeline;

import io.cmtchain.pipeline.cli.CmtMain;
import io.cmtchain.transport.loadgen.LoadGenerator;
import io.cmtchain.transport.loadgen.LoadMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against a node. Run twice, the second run with {@code continueFromNode} asks the node for its
 * senders' next nonce and commits everything, where a plain second run is all duplicates. With the Smart Business
 * Contract mix, every kind's transactions are built to commit (a two-step kind's second names the contract its first
 * created; token transfers move the token the setup created), so a run commits everything it sends and its setup.
 */
class LoadgenNodeTest
{
    private static final int SENDERS = 4;
    private static final int COUNT = 400;

    @TempDir
    File dir;

    @Test
    void shouldContinueASecondRunAtTheNoncesTheNodeReports()
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            assertEquals(COUNT, run(ingress, false, null, new ByteArrayOutputStream()).committed);

            final ByteArrayOutputStream again = new ByteArrayOutputStream();
            final LoadGenerator.Summary replayed = run(ingress, false, null, again);
            assertEquals(0, replayed.committed);
            assertTrue(again.toString(StandardCharsets.UTF_8).contains(
                "loadgen: warning: no transaction was committed"), again::toString);

            final ByteArrayOutputStream continued = new ByteArrayOutputStream();
            final LoadGenerator.Summary next = run(ingress, true, null, continued);
            assertEquals(COUNT, next.committed, continued::toString);
            assertEquals(0, next.rejected + next.lost);
            assertTrue(continued.toString(StandardCharsets.UTF_8).contains("senders' next nonce is " + COUNT / SENDERS),
                continued::toString);
        }
    }

    @Test
    void shouldCommitEveryTransactionOfEveryContractKind()
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = run(node.context().transportContext().ingressChannel(), false,
                "transfer=1,token=1,escrow=1,loan=1,insurance=1", out);

            assertEquals(COUNT, summary.committed, out::toString);
            assertEquals(0, summary.rejected + summary.lost, out::toString);
            assertEquals("{\"TOKEN_CREATE\":{\"OK\":" + SENDERS + "}}", summary.setup);
            for (final String type : new String[] {"\"TRANSFER\"", "\"TOKEN_TRANSFER\"", "\"ESCROW_CREATE\"",
                "\"ESCROW_RELEASE\"", "\"LOAN_OFFER\"", "\"LOAN_CANCEL\"", "\"INSURANCE_OPEN\"", "\"INSURANCE_BUY\""})
            {
                assertTrue(summary.byType.contains(type + ":{\"OK\":"), type + " in " + summary.byType);
            }
        }
    }

    @Test
    void shouldRecordTheSetupsTokenCreationsSoThatReplayChecksThemToo() throws Exception
    {
        final File data = new File(dir, "node");
        final File record = new File(dir, "committed.txt");
        try (Node node = UdpNodes.launch(data))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(new LoadGenerator.Config()
                .count(COUNT)
                .rate(0)
                .seconds(30)
                .senders(SENDERS)
                .accounts(100)
                .signingThreads(1)
                .ingressChannel(node.context().transportContext().ingressChannel())
                .recordFile(record)
                .mix(LoadMix.parse("transfer=1,token=1")), new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(COUNT, summary.committed, out::toString);
        }

        // The setup's creations first, under a comment line, then the measured phase's: every committed transaction.
        final List<String> lines = Files.readAllLines(record.toPath());
        assertTrue(lines.get(0).startsWith("# setup: "), lines.get(0));
        assertEquals("# measured phase", lines.get(1 + SENDERS), lines.get(1 + SENDERS));
        final List<String> hashes = lines.stream().filter(line -> !line.startsWith("#")).collect(Collectors.toList());
        assertEquals(SENDERS + COUNT, hashes.size(), lines::toString);
        assertEquals(SENDERS + COUNT, new HashSet<>(hashes).size(), lines::toString);
        assertEquals(SENDERS + COUNT + 2, lines.size(), lines::toString);
        // What replay --expect takes (it skips the comment lines): each one is committed in the node's journal.
        final int[] status = new int[1];
        final String text = Stdout.capture(() -> status[0] = CmtMain.execute("replay", "--data", data.getPath(),
            "--expect", record.getPath(), "--no-signatures"));
        assertEquals(0, status[0], text);
        assertTrue(text.contains("expect OK: all " + (SENDERS + COUNT) + " transactions of " + record), text);
    }

    private LoadGenerator.Summary run(
        final String ingress, final boolean continueFromNode, final String mix, final ByteArrayOutputStream out)
    {
        return LoadGenerator.run(new LoadGenerator.Config()
            .count(COUNT)
            .rate(0)
            .seconds(30)
            .senders(SENDERS)
            .accounts(100)
            .signingThreads(1)
            .ingressChannel(ingress)
            .continueFromNode(continueFromNode)
            .mix(LoadMix.parse(mix)), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
