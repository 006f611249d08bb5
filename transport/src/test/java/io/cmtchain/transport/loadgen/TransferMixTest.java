package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferMixTest
{
    @Test
    void shouldSendEachTransferToTheAddressItsDocumentationDerivesForItsDrawnRecipient() throws Exception
    {
        final RecipientSampler sampler = new RecipientSampler(1_000_000, 1.1, 0.1, 7);
        final TransferMix mix = new TransferMix(sampler, 250, 3);
        final TransactionBuilder builder = new TransactionBuilder(1);
        final Ed25519Key sender = Genesis.devnetAccountKey(0);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[mix.maxFrameLength()]);
        final Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 200; i++)
        {
            assertEquals(mix.maxFrameLength(), mix.encode(i, sender, i, builder, frame, 0));
            final byte[] recipient = new byte[20];
            frame.getBytes(TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_RECIPIENT_OFFSET,
                recipient);
            assertArrayEquals(documentedAddress(sampler.recipient(i)), recipient, "transaction " + i);
            addresses.add(Arrays.toString(recipient));
        }
        assertTrue(addresses.size() > 100, "distinct recipients: " + addresses.size());
    }

    @Test
    void shouldDescribeItsFeeAmountAndSamplerForTheCacheKey()
    {
        final RecipientSampler sampler = new RecipientSampler(10, 0, 0, 3);
        assertEquals("transfer(fee=250,amount=3," + sampler.describe() + ")",
            new TransferMix(sampler, 250, 3).describe());
    }

    /** SHA-256("cmt-loadgen-recipient" || r as 8 bytes little-endian), first 20 bytes, by the JDK's own SHA-256. */
    private static byte[] documentedAddress(final long recipient) throws NoSuchAlgorithmException
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("cmt-loadgen-recipient".getBytes(StandardCharsets.US_ASCII));
        sha.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(recipient).array());
        return Arrays.copyOf(sha.digest(), 20);
    }
}
