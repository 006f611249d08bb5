package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.Receipt;
import io.cmtchain.transport.ReceiptListener;
import io.cmtchain.transport.TransactionState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples of {@code docs/client.md}, run against a node: the guide's code blocks are the regions between the
 * {@code guide:} markers below, and {@link #shouldShowThisCodeInTheGuide} fails when the two differ.
 */
class ClientGuideTest
{
    private static final long FEE_MICRO_CMT = 100;
    private static final int TRANSFERS = 2_000;

    @TempDir
    File dir;

    @Test
    void shouldCommitTheExamplesOnANodeAndCallAResentFrameADuplicate() throws Exception
    {
        try (Node node = UdpNodes.launch(dir))
        {
            final String ingress = node.context().transportContext().ingressChannel();
            final Receipt first = sendOne(ingress);
            assertTrue(first.committed(), first::toString);
            assertEquals(FEE_MICRO_CMT, first.feeChargedMicroCmt());

            // Its receipt again, from the node's journal; and a hash no block holds.
            final TransactionState journaled = receipt(ingress, first.txHash());
            assertTrue(journaled.committed(), journaled::toString);
            assertEquals(first.blockHeight(), journaled.blockHeight());
            assertEquals(FEE_MICRO_CMT, journaled.feeChargedMicroCmt());
            final TransactionState unknown = receipt(ingress, new byte[32]);
            assertFalse(unknown.found(), unknown::toString);

            final byte[] sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 0).address();
            final AccountState before = account(ingress, sender);
            assertEquals(1, before.nonce(), before::toString);

            final Outcomes outcomes = sendMany(ingress, before.nonce(), TRANSFERS);
            assertEquals(TRANSFERS, outcomes.committed, outcomes::toString);
            assertEquals(0, outcomes.rejected + outcomes.lost, outcomes::toString);

            final AccountState after = account(ingress, sender);
            assertEquals(1 + TRANSFERS, after.nonce(), after::toString);
            assertEquals(before.balanceMicroCmt() - TRANSFERS * (FEE_MICRO_CMT + 1), after.balanceMicroCmt(),
                after::toString);

            // Sending the same signed bytes again is safe: the node answers DUPLICATE (or BAD_NONCE once the hash has
            // left its window), never a second transfer.
            final Receipt again = sendOne(ingress);
            assertEquals(ReceiptStatus.DUPLICATE, again.statusEnum(), again::toString);
            assertTrue(node.chain().height() > 0);
        }
    }

    @Test
    void shouldShowThisCodeInTheGuide() throws IOException
    {
        // Tests run in the module's directory (Maven) or in the project's (an IDE).
        final Path root = Files.isDirectory(Path.of("docs")) ? Path.of(".") : Path.of("..");
        final String guide = Files.readString(root.resolve("docs/client.md"), StandardCharsets.UTF_8);
        final String source = Files.readString(
            root.resolve("pipeline/src/test/java/io/cmtchain/pipeline/ClientGuideTest.java"), StandardCharsets.UTF_8);
        final List<String> blocks = new ArrayList<>();
        final Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(guide);
        while (block.find())
        {
            blocks.add(block.group(1));
        }
        final List<String> regions = new ArrayList<>();
        final Matcher region = Pattern.compile("// guide:start\n(.*?)\\s*// guide:end", Pattern.DOTALL).matcher(source);
        while (region.find())
        {
            regions.add(dedent(region.group(1)));
        }
        assertEquals(4, regions.size());
        assertEquals(regions, blocks, "docs/client.md's java blocks must be the guide: regions of ClientGuideTest");
    }

    // guide:start
    /** Send one transfer and wait for its receipt. */
    static Receipt sendOne(final String ingressChannel) throws Exception
    {
        // The sender's key (a wallet loads its own); here devnet account 0, which the devnet genesis funds.
        final Ed25519Key sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 0);
        final byte[] recipient = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 1).address();

        try (CmtClient client = CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)                  // this process's own Aeron media driver
            .ingressChannel(ingressChannel)        // the node's, e.g. aeron:udp?endpoint=node-host:40123
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))))
        {
            // Encode and sign: nonce 0 (the account's next), the least fee the chain takes for a transfer (the node
            // tells its fee schedule at connect: 100 µCMT on the devnet), no expiry, 2.5 CMT.
            final TransactionBuilder builder = new TransactionBuilder(client.chainId());
            final long fee = client.minimumFee(TxTypes.TRANSFER);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
            final int length = builder.transfer(sender, 0, fee, 0, recipient, 2_500_000, frame, 0);

            final CompletableFuture<Receipt> receipt = client.submitAsync(frame, 0, length);
            if (!client.await(receipt, TimeUnit.SECONDS.toNanos(10)))   // polls: receipts come to the polling thread
            {
                throw new TimeoutException("no receipt within 10 s");
            }
            return receipt.get();                  // committed(), statusEnum(), blockHeight(), feeChargedMicroCmt()
        }
    }
    // guide:end

    // guide:start
    /** Ask the node for an account's balance and the nonce its next transaction must carry. */
    static AccountState account(final String ingressChannel, final byte[] address) throws Exception
    {
        try (CmtClient client = CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(ingressChannel)))
        {
            final CompletableFuture<AccountState> state = client.queryAccount(address);
            if (!client.await(state, TimeUnit.SECONDS.toNanos(10)))
            {
                throw new TimeoutException("no answer within 10 s");
            }
            return state.get();                    // exists(), balanceMicroCmt(), nonce(), height()
        }
    }
    // guide:end

    // guide:start
    /** Ask the node for a transaction's receipt, by the transaction's hash, from its journal. */
    static TransactionState receipt(final String ingressChannel, final byte[] txHash) throws Exception
    {
        try (CmtClient client = CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(ingressChannel)))
        {
            final CompletableFuture<TransactionState> state = client.queryTransaction(txHash);
            if (!client.await(state, TimeUnit.SECONDS.toNanos(10)))
            {
                throw new TimeoutException("no answer within 10 s");
            }
            return state.get();                    // found(), committed(), statusEnum(), blockHeight(), ...
        }
    }
    // guide:end

    // guide:start
    /** Send count transfers as fast as the node takes them; one listener, no allocation per transaction. */
    static Outcomes sendMany(final String ingressChannel, final long firstNonce, final int count)
    {
        final Ed25519Key sender = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 0);
        final byte[] recipient = Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, 1).address();
        final Outcomes outcomes = new Outcomes();
        final IdleStrategy idle = new BackoffIdleStrategy();

        try (CmtClient client = CmtClient.connect(new CmtClient.Context()
            .embeddedDriver(true)
            .ingressChannel(ingressChannel)
            .maxPending(4_096)))                   // transactions awaiting receipts, at most
        {
            final TransactionBuilder builder = new TransactionBuilder(client.chainId());
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
            for (int i = 0; i < count; i++)
            {
                final long nonce = firstNonce + i;
                final int length = builder.transfer(sender, nonce, 100, 0, recipient, 1, frame, 0);
                long result;
                while ((result = client.submit(frame, 0, length, outcomes, nonce)) < 0)
                {
                    if (result != CmtClient.BACK_PRESSURED && result != CmtClient.PENDING_FULL)
                    {
                        throw new IllegalStateException("not sent: " + CmtClient.describe(result));
                    }
                    idle.idle(client.poll());      // the node pushes back: read receipts, then try again
                }
            }
            while (client.pendingCount() > 0)
            {
                idle.idle(client.poll());
            }
        }
        return outcomes;
    }

    /** Told each transaction's one outcome, on the polling thread; the tag is the nonce given to submit. */
    static final class Outcomes implements ReceiptListener
    {
        int committed;
        int rejected;
        int lost;

        @Override
        public void onReceipt(
            final long tag, final DirectBuffer txHash, final int hashOffset, final int status, final long blockHeight,
            final long feeChargedMicroCmt)
        {
            if (status == ReceiptStatus.OK.value())
            {
                committed++;
            }
            else
            {
                rejected++;                        // ReceiptStatuses.name(status) says why, e.g. BAD_NONCE
            }
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            lost++;                                // committed or not: send the same frame again to find out
        }

        @Override
        public String toString()
        {
            return committed + " committed, " + rejected + " rejected, " + lost + " lost";
        }
    }
    // guide:end

    private static String dedent(final String text)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String line : text.split("\n", -1))
        {
            sb.append(line.startsWith("    ") ? line.substring(4) : line.strip()).append('\n');
        }
        return sb.toString().replaceAll("\n+$", "\n");
    }

}
