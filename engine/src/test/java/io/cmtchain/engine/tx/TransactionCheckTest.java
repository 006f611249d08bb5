package io.cmtchain.engine.tx;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stateless transaction rules at their edges (their verdict is a receipt status, so it is consensus), the order in
 * which a frame with several faults is reported, and the derivations that make keys, addresses and transaction hashes
 * (pinned to values computed outside the project with Python's hashlib, or RFC 8032's first test vector).
 */
class TransactionCheckTest
{
    private static final int CHAIN_ID = 77;
    private static final int FRAME_OFFSET = 13;

    private final Ed25519Key key = Ed25519Key.devnet("check", 1);
    private final TransactionFlyweight tx = new TransactionFlyweight();

    /** An unsigned frame of the given type and body length at {@link #FRAME_OFFSET} of a larger buffer. */
    private static UnsafeBuffer frame(final int type, final long fee, final int bodyLength, final int capacity)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacity]);
        TransactionBuilder.encodeUnsigned(buffer, FRAME_OFFSET, CHAIN_ID, new byte[32], 0, fee, 0, type,
            new byte[bodyLength], 0, bodyLength);
        return buffer;
    }

    private int check(final UnsafeBuffer buffer, final int length)
    {
        return tx.wrap(buffer, FRAME_OFFSET, length).check(CHAIN_ID);
    }

    @Test
    void shouldAcceptTheShortestFrameOfATypeWithNoBody()
    {
        // Types 12 to 14 (DPoS) have empty bodies: a frame of exactly MIN_LENGTH bytes is well formed.
        assertEquals(0, TxTypes.bodyLength(12));
        final UnsafeBuffer buffer = frame(12, 0, 0, 200);
        assertEquals(ReceiptStatus.OK.value(), check(buffer, TransactionDescriptor.MIN_LENGTH));
        assertEquals(ReceiptStatus.MALFORMED.value(), check(buffer, TransactionDescriptor.MIN_LENGTH - 1));
    }

    @Test
    void shouldTakeAFrameOfExactlyTheMaximumLengthToTheBodyRules()
    {
        final int body = TransactionDescriptor.MAX_BODY_LENGTH;
        final UnsafeBuffer buffer = frame(TxTypes.TRANSFER, 0, body, FRAME_OFFSET + TransactionDescriptor.MAX_LENGTH);
        assertEquals(ReceiptStatus.INVALID_BODY.value(), check(buffer, TransactionDescriptor.MAX_LENGTH));
        final UnsafeBuffer longer = frame(TxTypes.TRANSFER, 0, body, 2 * TransactionDescriptor.MAX_LENGTH);
        assertEquals(ReceiptStatus.OVERSIZED.value(), check(longer, TransactionDescriptor.MAX_LENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> frame(TxTypes.TRANSFER, 0, body + 1, 4096));
    }

    @Test
    void shouldRefuseAFrameThatRunsPastItsBuffer()
    {
        final int length = TransactionDescriptor.MIN_LENGTH;
        final UnsafeBuffer exact = frame(12, 0, 0, FRAME_OFFSET + length);
        assertEquals(ReceiptStatus.OK.value(), check(exact, length));
        // One byte past the end (the length field is read as the frame claims it, not the buffer).
        assertEquals(ReceiptStatus.MALFORMED.value(), check(exact, length + 1));
        assertEquals(ReceiptStatus.MALFORMED.value(), tx.wrap(exact, -1, length).check(CHAIN_ID));
        // A transfer whose length and body length agree but whose last 8 bytes (the amount) lie past the buffer's end:
        // refused as framing, not read.
        final int transferLength = TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
        final UnsafeBuffer whole = new UnsafeBuffer(new byte[256]);
        TransactionBuilder.encodeUnsignedTransfer(
            whole, FRAME_OFFSET, CHAIN_ID, new byte[32], 0, 0, 0, new byte[20], 5);
        final UnsafeBuffer cut = new UnsafeBuffer(new byte[FRAME_OFFSET + transferLength - 8]);
        cut.putBytes(0, whole, 0, cut.capacity());
        assertEquals(ReceiptStatus.MALFORMED.value(), check(cut, transferLength));
    }

    @Test
    void shouldAcceptAZeroFeeAndAnAmountOfOne()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final int length = TransactionBuilder.encodeUnsignedTransfer(out, FRAME_OFFSET, CHAIN_ID, new byte[32], 0, 0,
            0, new byte[20], 1);
        assertEquals(ReceiptStatus.OK.value(), check(out, length));
        out.putLong(FRAME_OFFSET + TransactionDescriptor.FEE_OFFSET, -1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ReceiptStatus.MALFORMED.value(), check(out, length));
        out.putLong(FRAME_OFFSET + TransactionDescriptor.FEE_OFFSET, Long.MIN_VALUE, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ReceiptStatus.MALFORMED.value(), check(out, length));
    }

    @Test
    void shouldCheckTheAmountOfTransfersOnly()
    {
        // A 28-byte body of another type (DPoS stake) with zeros where a transfer's amount would be is well formed.
        assertEquals(TransactionDescriptor.TRANSFER_BODY_LENGTH, TxTypes.bodyLength(18));
        final UnsafeBuffer buffer = frame(18, 0, TransactionDescriptor.TRANSFER_BODY_LENGTH, 256);
        assertEquals(ReceiptStatus.OK.value(),
            check(buffer, TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH));
    }

    @Test
    void shouldReportTheFirstFaultInTheStatedOrder()
    {
        final int length = TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
        // Wrong chain, negative fee, unknown type: the chain is named.
        UnsafeBuffer b = frame(200, -1, TransactionDescriptor.TRANSFER_BODY_LENGTH, 256);
        assertEquals(ReceiptStatus.WRONG_CHAIN.value(), tx.wrap(b, FRAME_OFFSET, length).check(CHAIN_ID + 1));
        // Negative fee before an unknown type.
        assertEquals(ReceiptStatus.MALFORMED.value(), check(b, length));
        // Unknown type before a body length (28 bytes suit no type 200).
        b = frame(200, 0, TransactionDescriptor.TRANSFER_BODY_LENGTH, 256);
        assertEquals(ReceiptStatus.UNKNOWN_TYPE.value(), check(b, length));
        // A body of the wrong length for the type before the amount (a 27-byte transfer reads no amount).
        b = frame(TxTypes.TRANSFER, 0, 27, 256);
        assertEquals(ReceiptStatus.INVALID_BODY.value(), check(b, length - 1));
        // Oversized before anything else: a 1025-byte frame of nothing.
        assertEquals(ReceiptStatus.OVERSIZED.value(),
            tx.wrap(new UnsafeBuffer(new byte[2048]), 0, TransactionDescriptor.MAX_LENGTH + 1).check(CHAIN_ID));
    }

    @Test
    void shouldEncodeAnUnsignedTransferAsTheSignedOneWithoutItsSignature()
    {
        final byte[] to = Ed25519Key.devnet("check", 2).address();
        final UnsafeBuffer signed = new UnsafeBuffer(new byte[300]);
        final int length = new TransactionBuilder(CHAIN_ID).transfer(key, 5, 150, 99, to, 12_345, signed, 7);
        final UnsafeBuffer unsigned = new UnsafeBuffer(new byte[300]);
        unsigned.setMemory(0, 300, (byte)0x5A);
        assertEquals(length, TransactionBuilder.encodeUnsignedTransfer(unsigned, 7, CHAIN_ID, key.publicKey(), 5,
            150, 99, to, 12_345));
        final byte[] a = new byte[length];
        final byte[] u = new byte[length];
        signed.getBytes(7, a);
        unsigned.getBytes(7, u);
        assertArrayEquals(new byte[64], Arrays.copyOfRange(u, TransactionDescriptor.SIGNATURE_OFFSET,
            TransactionDescriptor.SIGNATURE_OFFSET + 64));
        System.arraycopy(a, TransactionDescriptor.SIGNATURE_OFFSET, u, TransactionDescriptor.SIGNATURE_OFFSET, 64);
        assertArrayEquals(a, u);
        tx.wrap(signed, 7, length);
        assertEquals(ReceiptStatus.OK.value(), tx.check(CHAIN_ID));
        assertEquals(99, tx.expiryHeight());
        assertEquals(TransactionDescriptor.TRANSFER_BODY_LENGTH, tx.bodyLength());
        assertEquals(7 + TransactionDescriptor.BODY_OFFSET, tx.bodyOffset());
        assertEquals(7 + TransactionDescriptor.SIGNATURE_OFFSET, tx.signatureOffset());
        assertEquals(7 + TransactionDescriptor.SIGNED_OFFSET, tx.signedOffset());
        assertEquals(length - TransactionDescriptor.SIGNED_OFFSET, tx.signedLength());
        assertEquals(TransactionDescriptor.signedLength(length), tx.signedLength());
        assertEquals(7, tx.offset());
        assertEquals(length, tx.length());
        // The signature verifies over the domain tag and the signed bytes, wherever the frame sits.
        final byte[] message = new byte[TransactionDescriptor.DOMAIN_TAG.length + tx.signedLength()];
        System.arraycopy(TransactionDescriptor.DOMAIN_TAG, 0, message, 0, TransactionDescriptor.DOMAIN_TAG.length);
        signed.getBytes(tx.signedOffset(), message, TransactionDescriptor.DOMAIN_TAG.length, tx.signedLength());
        assertTrue(Ed25519.verify(a, TransactionDescriptor.SIGNATURE_OFFSET, key.publicKey(), 0, message, 0,
            message.length));
    }

    @Test
    void shouldHashTheDomainTagAndTheSignedBytesOnly()
    {
        // Frame bytes 0..134 of value i; the hash is SHA-256("CMTCHAIN/TX/V1\0\0" || bytes 72..134) (hashlib).
        final byte[] bytes = new byte[5 + TransactionDescriptor.MIN_LENGTH];
        for (int i = 0; i < TransactionDescriptor.MIN_LENGTH; i++)
        {
            bytes[5 + i] = (byte)i;
        }
        final byte[] out = new byte[40];
        TxHash.compute(new Sha256(), new UnsafeBuffer(bytes), 5, TransactionDescriptor.MIN_LENGTH, out, 8);
        assertEquals("b0cfef93156fa6e17fb240c897ebf8e5aa84120c233df6392bb3516d7cddfe2d",
            Hex.encode(out, 8, 32));
        final BlockTransactions txs = new BlockTransactions(0);
        for (int i = 0; i < 17; i++)
        {
            txs.add(new UnsafeBuffer(bytes), 5, TransactionDescriptor.MIN_LENGTH, new Sha256());
        }
        assertEquals(17, txs.count());
        final byte[] h = new byte[32];
        txs.hash(16, h, 0);
        assertEquals("b0cfef93156fa6e17fb240c897ebf8e5aa84120c233df6392bb3516d7cddfe2d", Hex.encode(h));
        assertEquals(5, txs.offset(16));
        assertEquals(TransactionDescriptor.MIN_LENGTH, txs.length(16));
        // A different signature (bytes 8..71) leaves the hash as it is.
        bytes[5 + 8] ^= 1;
        TxHash.compute(new Sha256(), new UnsafeBuffer(bytes), 5, TransactionDescriptor.MIN_LENGTH, out, 8);
        assertEquals("b0cfef93156fa6e17fb240c897ebf8e5aa84120c233df6392bb3516d7cddfe2d",
            Hex.encode(out, 8, 32));
    }

    @Test
    void shouldDeriveDevnetKeysAndAddressesAsStated()
    {
        // seed = SHA-256(tag || index u64 LE), from hashlib.
        assertEquals("32d74bb67569df0b9ef4a5968e5d36fb3cfced4a319d5bb614317bdd902bfad8",
            Hex.encode(Ed25519Key.devnet("cmt-devnet-account", 0).seed()));
        assertEquals("866376d155fdfea29409b1ee81a8b94813145eb686201008e8e5d21c6f55dfd6",
            Hex.encode(Ed25519Key.devnet("cmt-devnet-validator", 3).seed()));
        // address = the first 20 bytes of SHA-256(public key), from hashlib.
        final byte[] publicKey = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            publicKey[i] = (byte)i;
        }
        assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c", Hex.encode(Addresses.of(publicKey)));
        final byte[] out = new byte[25];
        final byte[] framed = new byte[40];
        System.arraycopy(publicKey, 0, framed, 3, 32);
        new Addresses().fromPublicKey(new UnsafeBuffer(framed), 3, out, 5);
        assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c", Hex.encode(out, 5, 20));
        // RFC 8032 test 1: secret key, public key and the signature of the empty message.
        final Ed25519Key rfc = new Ed25519Key(
            Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Hex.encode(rfc.publicKey()));
        assertArrayEquals(Addresses.of(rfc.publicKey()), rfc.address());
        final byte[] sig = new byte[70];
        rfc.sign(new byte[3], 3, 0, sig, 6);
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4" +
            "6bd25bf5f0595bbe24655141438e7a100b", Hex.encode(sig, 6, 64));
        assertTrue(rfc.toString().contains(Hex.encode(rfc.address())));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519Key(new byte[31]));
    }

    @Test
    void shouldSayWhenARecipientLooksLikeAPublicKey()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[300]);
        final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
        assertEquals("a recipient is a 20-byte address, was 32 bytes (a public key? its address is " +
            "Addresses.of(publicKey))", assertThrows(IllegalArgumentException.class,
            () -> builder.transfer(key, 0, 0, 0, new byte[32], 1, out, 0)).getMessage());
        assertEquals("a recipient is a 20-byte address, was 21 bytes", assertThrows(IllegalArgumentException.class,
            () -> builder.transfer(key, 0, 0, 0, new byte[21], 1, out, 0)).getMessage());
    }

    @Test
    void shouldParseAnAddressWithOrWithoutItsPrefix()
    {
        final String hex = "630dcd2966c4336691125448bbb25b4ff412a49c";
        assertEquals(hex, Hex.encode(Addresses.parse(hex)));
        assertEquals(hex, Hex.encode(Addresses.parse("0x" + hex)));
        assertEquals(hex, Hex.encode(Addresses.parse(hex.toUpperCase())));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Addresses.parse(hex + "00"));
        assertEquals("an address is 20 bytes (40 hex digits), got 21", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("0x" + hex.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse(hex.substring(1)));
    }
}
