package io.cmtchain.pipeline;

import io.cmtchain.transport.loadgen.LoadGenerator;
import io.cmtchain.transport.loadgen.LoadMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's Smart Business Contract mix against a node: every kind's transactions are built to commit (a
 * two-step kind's second names the contract its first created, token transfers move the token the setup created), so
 * a run commits everything it sends and its setup.
 */
class LoadgenContractMixTest
{
    private static final int SENDERS = 4;
    private static final int COUNT = 400;

    @TempDir
    File dir;

    @Test
    void shouldCommitEveryTransactionOfEveryKind()
    {
        try (Node node = UdpNodes.launch(new File(dir, "node")))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final LoadGenerator.Summary summary = LoadGenerator.run(new LoadGenerator.Config()
                .count(COUNT)
                .rate(0)
                .seconds(30)
                .senders(SENDERS)
                .accounts(100)
                .signingThreads(1)
                .mix(LoadMix.parse("transfer=1,token=1,escrow=1,loan=1,insurance=1"))
                .ingressChannel(node.context().transportContext().ingressChannel()),
                new PrintStream(out, true, StandardCharsets.UTF_8));

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
}
