package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.sigverify.Ed25519Verifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential: every frame in a batch gets the verdict the single ZIP-215 check gives it alone, whatever else is in
 * the batch and wherever the bad ones sit, frames read in place at their offsets in a shared buffer (as in the ring).
 */
class Zip215BatchVerifierTest
{
    private static final int STRIDE = 512;
    private static final int KEYS = 8;

    private final Genesis genesis = Genesis.parse(DevnetGenesis.jsonWithAccounts(KEYS));
    private final Ed25519Key[] keys = new Ed25519Key[KEYS];
    private final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
    private final Ed25519Verifier single = new Ed25519Verifier();

    Zip215BatchVerifierTest()
    {
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
        }
    }

    @Test
    void shouldAcceptAValidFrameAndRejectATamperedOne()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2 * STRIDE]);
        final int length = frame(buffer, 0, 0, 0);
        frame(buffer, STRIDE, 0, 0);
        buffer.putByte(STRIDE + length - 1, (byte)(buffer.getByte(STRIDE + length - 1) ^ 1));
        final Zip215BatchVerifier verifier = new Zip215BatchVerifier(64, 16);
        verifier.add(buffer, 0, length);
        verifier.add(buffer, STRIDE, length);
        verifier.verify();
        assertTrue(verifier.valid(0));
        assertFalse(verifier.valid(1));
    }

    @Test
    void shouldGiveEveryFrameItsOwnVerdictInRandomBatches()
    {
        final Random random = new Random(42);
        final Zip215BatchVerifier verifier = new Zip215BatchVerifier(64, 4);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * STRIDE]);
        final int[] lengths = new int[64];
        int bad = 0;
        for (int round = 0; round < 200; round++)
        {
            final int size = 1 + random.nextInt(64);
            verifier.reset();
            for (int i = 0; i < size; i++)
            {
                final int offset = i * STRIDE;
                lengths[i] = frame(buffer, offset, random.nextInt(KEYS), round * 64L + i);
                if (random.nextInt(8) == 0)
                {
                    tamper(buffer, offset, lengths[i], random);
                    bad++;
                }
                verifier.add(buffer, offset, lengths[i]);
            }
            verifier.verify();
            for (int i = 0; i < size; i++)
            {
                assertEquals(alone(buffer, i * STRIDE, lengths[i]), verifier.valid(i),
                    "round " + round + ", frame " + i + " of " + size);
            }
        }
        assertTrue(bad > 100, "too few bad frames to mean anything: " + bad);
    }

    private int frame(final UnsafeBuffer buffer, final int offset, final int sender, final long nonce)
    {
        return builder.transfer(keys[sender], nonce, 100, 0, keys[(sender + 1) % KEYS].address(), 1 + nonce, buffer,
            offset);
    }

    private static void tamper(final UnsafeBuffer buffer, final int offset, final int length, final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                // A signed byte: the challenge changes.
                flip(buffer, offset + TransactionDescriptor.SIGNED_OFFSET + random.nextInt(
                    length - TransactionDescriptor.SIGNED_OFFSET));
                break;
            case 1:
                // R.
                flip(buffer, offset + TransactionDescriptor.SIGNATURE_OFFSET + random.nextInt(32));
                break;
            case 2:
                // S made non-canonical (>= L): ZIP-215 rejects it outright.
                buffer.putByte(offset + TransactionDescriptor.SIGNATURE_OFFSET + 63, (byte)0xF0);
                break;
            default:
                // The public key.
                flip(buffer, offset + TransactionDescriptor.PUBLIC_KEY_OFFSET + random.nextInt(32));
                break;
        }
    }

    private static void flip(final UnsafeBuffer buffer, final int index)
    {
        buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << (index & 7))));
    }

    private boolean alone(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] publicKey = new byte[32];
        final byte[] signature = new byte[64];
        final byte[] message = new byte[TransactionDescriptor.DOMAIN_TAG.length + length -
            TransactionDescriptor.SIGNED_OFFSET];
        buffer.getBytes(offset + TransactionDescriptor.PUBLIC_KEY_OFFSET, publicKey);
        buffer.getBytes(offset + TransactionDescriptor.SIGNATURE_OFFSET, signature);
        System.arraycopy(TransactionDescriptor.DOMAIN_TAG, 0, message, 0, TransactionDescriptor.DOMAIN_TAG.length);
        buffer.getBytes(offset + TransactionDescriptor.SIGNED_OFFSET, message, TransactionDescriptor.DOMAIN_TAG.length,
            length - TransactionDescriptor.SIGNED_OFFSET);
        return single.verify(publicKey, signature, message);
    }
}
