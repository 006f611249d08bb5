package io.cmtchain.engine;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TransactionCodecTest
{
    private final TransactionBuilder builder = new TransactionBuilder(TestChains.CHAIN_ID);
    private final Ed25519Key key = Ed25519Key.devnet("test", 1);
    private final byte[] to = Addresses.of(Ed25519Key.devnet("test", 2).publicKey());

    @Test
    void shouldRoundTripTransfer()
    {
        final byte[] frame = TestChains.transfer(builder, key, 7, 150, to, 12345);
        assertEquals(TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH, frame.length);
        final TransactionFlyweight tx = new TransactionFlyweight().wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertEquals(ReceiptStatus.OK.value(), tx.check(TestChains.CHAIN_ID));
        assertEquals(TestChains.CHAIN_ID, tx.chainId());
        assertEquals(7, tx.nonce());
        assertEquals(150, tx.feeMicroCmt());
        assertEquals(0, tx.expiryHeight());
        assertEquals(TxType.TRANSFER.value(), tx.type());
        assertEquals(12345, tx.transferAmount());
        final byte[] recipient = new byte[20];
        tx.buffer().getBytes(tx.transferRecipientOffset(), recipient);
        assertArrayEquals(to, recipient);
        final byte[] pk = new byte[32];
        tx.buffer().getBytes(tx.publicKeyOffset(), pk);
        assertArrayEquals(key.publicKey(), pk);
    }

    @Test
    void shouldSignDomainTagAndEveryFieldButSignature()
    {
        final byte[] frame = TestChains.transfer(builder, key, 1, 150, to, 5);
        final byte[] message = new byte[TransactionDescriptor.DOMAIN_TAG.length + frame.length -
            TransactionDescriptor.SIGNED_OFFSET];
        System.arraycopy(TransactionDescriptor.DOMAIN_TAG, 0, message, 0, TransactionDescriptor.DOMAIN_TAG.length);
        System.arraycopy(frame, TransactionDescriptor.SIGNED_OFFSET, message, TransactionDescriptor.DOMAIN_TAG.length,
            frame.length - TransactionDescriptor.SIGNED_OFFSET);
        assertTrue(Ed25519.verify(frame, TransactionDescriptor.SIGNATURE_OFFSET, key.publicKey(), 0, message, 0,
            message.length));
        message[message.length - 1] ^= 1;
        assertFalse(Ed25519.verify(frame, TransactionDescriptor.SIGNATURE_OFFSET, key.publicKey(), 0, message, 0,
            message.length));
    }

    @Test
    void shouldRejectWrongChainUnknownTypeAndBadBodies()
    {
        final byte[] frame = TestChains.transfer(builder, key, 1, 150, to, 5);
        final TransactionFlyweight tx = new TransactionFlyweight();
        assertEquals(ReceiptStatus.WRONG_CHAIN.value(), tx.wrap(new UnsafeBuffer(frame), 0, frame.length).check(99));

        final byte[] unknown = frame.clone();
        unknown[TransactionDescriptor.TYPE_OFFSET] = (byte)200;
        assertEquals(ReceiptStatus.UNKNOWN_TYPE.value(),
            tx.wrap(new UnsafeBuffer(unknown), 0, unknown.length).check(TestChains.CHAIN_ID));

        final byte[] zero = TestChains.transfer(builder, key, 1, 150, to, 0);
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            tx.wrap(new UnsafeBuffer(zero), 0, zero.length).check(TestChains.CHAIN_ID));
        final byte[] negative = TestChains.transfer(builder, key, 1, 150, to, -5);
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            tx.wrap(new UnsafeBuffer(negative), 0, negative.length).check(TestChains.CHAIN_ID));

        final byte[] negativeFee = TestChains.transfer(builder, key, 1, -1, to, 5);
        assertEquals(ReceiptStatus.MALFORMED.value(),
            tx.wrap(new UnsafeBuffer(negativeFee), 0, negativeFee.length).check(TestChains.CHAIN_ID));

        final UnsafeBuffer shortBody = new UnsafeBuffer(new byte[1024]);
        final int length = builder.build(key, 1, 150, 0, TxType.TRANSFER.value(), new byte[10], 0, 10, shortBody, 0);
        assertEquals(ReceiptStatus.INVALID_BODY.value(), tx.wrap(shortBody, 0, length).check(TestChains.CHAIN_ID));
    }

    @Test
    void shouldRefuseARecipientThatIsNotAnAddressRatherThanPayATruncatedOne()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final byte[] publicKey = Ed25519Key.devnet("test", 2).publicKey();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> builder.transfer(key, 1, 150, 0, publicKey, 5, out, 0));
        assertTrue(ex.getMessage().contains("20-byte address"), ex.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> builder.transfer(key, 1, 150, 0, Arrays.copyOf(to, 19), 5, out, 0));
        assertThrows(IllegalArgumentException.class, () -> TransactionBuilder.encodeUnsignedTransfer(
            out, 0, TestChains.CHAIN_ID, key.publicKey(), 1, 150, 0, publicKey, 5));
    }

    @Test
    void shouldRejectOversizedAndHeaderMismatch()
    {
        final TransactionFlyweight tx = new TransactionFlyweight();
        final UnsafeBuffer big = new UnsafeBuffer(new byte[2048]);
        assertEquals(ReceiptStatus.OVERSIZED.value(), tx.wrap(big, 0, 1025).check(TestChains.CHAIN_ID));

        final byte[] frame = TestChains.transfer(builder, key, 1, 150, to, 5);
        for (int i = 0; i < 8; i++)
        {
            final byte[] bad = frame.clone();
            bad[i] ^= 0x40;
            assertEquals(ReceiptStatus.MALFORMED.value(),
                tx.wrap(new UnsafeBuffer(bad), 0, bad.length).check(TestChains.CHAIN_ID), "header byte " + i);
        }
        final byte[] badLength = frame.clone();
        new UnsafeBuffer(badLength).putShort(TransactionDescriptor.BODY_LENGTH_OFFSET, (short)29,
            ByteOrder.LITTLE_ENDIAN);
        assertEquals(ReceiptStatus.MALFORMED.value(),
            tx.wrap(new UnsafeBuffer(badLength), 0, badLength.length).check(TestChains.CHAIN_ID));
    }

    @Test
    void shouldGiveCleanVerdictForEveryTruncation()
    {
        final byte[] frame = TestChains.transfer(builder, key, 1, 150, to, 5);
        final TransactionFlyweight tx = new TransactionFlyweight();
        for (int length = 0; length < frame.length; length++)
        {
            final byte[] cut = Arrays.copyOf(frame, length);
            assertEquals(ReceiptStatus.MALFORMED.value(),
                tx.wrap(new UnsafeBuffer(cut), 0, length).check(TestChains.CHAIN_ID), "length " + length);
        }
    }

    @Test
    void shouldNeverThrowOnRandomBytes()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final TransactionFlyweight tx = new TransactionFlyweight();
        final byte[] valid = TestChains.transfer(builder, key, 1, 150, to, 5);
        int ok = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] bytes;
            if ((i & 1) == 0)
            {
                bytes = new byte[random.nextInt(1100)];
                for (int j = 0; j < bytes.length; j++)
                {
                    bytes[j] = (byte)random.nextInt();
                }
            }
            else
            {
                bytes = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                {
                    bytes[random.nextInt(bytes.length)] = (byte)random.nextInt();
                }
            }
            final int status = tx.wrap(new UnsafeBuffer(bytes), 0, bytes.length).check(TestChains.CHAIN_ID);
            assertNotEquals(ReceiptStatus.NULL_VAL, ReceiptStatus.get((short)status));
            if (status == ReceiptStatus.OK.value())
            {
                ok++;
                assertEquals(TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH,
                    bytes.length);
                assertTrue(tx.transferAmount() > 0);
            }
        }
        assertTrue(ok > 0, "mutations of signed fields still parse; signature checks reject them later");
    }

    @Test
    void shouldRoundTripBlockHeaderAndHashWithoutSignature()
    {
        final BlockHeader header = new BlockHeader();
        header.height = 42;
        header.timestampMs = 1_700_000_000_000L;
        Arrays.fill(header.parentHash, (byte)1);
        Arrays.fill(header.proposer, (byte)2);
        Arrays.fill(header.txRoot, (byte)3);
        Arrays.fill(header.receiptsRoot, (byte)4);
        Arrays.fill(header.stateRoot, (byte)5);
        header.txCount = 77;
        Arrays.fill(header.proposerSignature, (byte)6);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BlockHeader.ENCODED_LENGTH]);
        assertEquals(BlockHeader.ENCODED_LENGTH, header.encode(buffer, 0));
        final BlockHeader decoded = new BlockHeader().decode(buffer, 0, BlockHeader.ENCODED_LENGTH);
        assertEquals(header, decoded);

        final byte[] h1 = new byte[32];
        final byte[] h2 = new byte[32];
        header.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], h1, 0);
        decoded.proposerSignature[0] ^= 1;
        decoded.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], h2, 0);
        assertArrayEquals(h1, h2);
        decoded.stateRoot[0] ^= 1;
        decoded.hash(new Sha256(), new byte[BlockHeader.ENCODED_LENGTH], h2, 0);
        assertFalse(Arrays.equals(h1, h2));
        assertThrows(IllegalArgumentException.class, () -> new BlockHeader().decode(buffer, 0, 10));
    }
}
