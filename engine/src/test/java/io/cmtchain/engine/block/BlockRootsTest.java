package io.cmtchain.engine.block;

import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the format of a block header's transactions and receipts roots (consensus: a change forks the chain). The
 * expected values were computed outside the project with Python's hashlib from the format that the README states:
 * inner node SHA-256(0x01 || left || right), an odd node carried up, receipt leaf
 * SHA-256(0x00 || tx hash || status u8 || fee i64 LE). Transaction i has the hash of 32 bytes of value i + 1, status i
 * and fee 1,000 × i.
 */
class BlockRootsTest
{
    @ParameterizedTest
    @CsvSource({
        "1, 0101010101010101010101010101010101010101010101010101010101010101, " +
            "d8736b2649c386270dfb8f8b04a612db8998324c0f76e52c451da55346aa49cd",
        "2, b331da6ec49d4547d9942a6727e5123f69bed5a0b97ac171cfbfd6201431fcfa, " +
            "d5f1cf9f8cb1495396e00fd8c15a36450798e5d818ce04a95f3e8f6623f0bff1",
        "3, 30a02c023aa9f351be86615ceedfd51bc34d9a2a003174b4132ea26e5c2d0417, " +
            "28295d42c2d6118829cb048753f00695055e0152ce2dc0795af642c654d31955",
        "5, 6ff0c6808a81ea1b1baaf8ea3bba84644330f485b1b48f097bfde8b76fc02e7c, " +
            "9e6db31fd37ead5503a09615a935953338628d879386f1e3448f24bdb6b11364",
    })
    void rootsMatchTheStatedFormat(final int count, final String txRoot, final String receiptsRoot)
    {
        final BlockTransactions txs = new BlockTransactions(2);
        final BlockReceipts receipts = new BlockReceipts(2);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
        final byte[] hash = new byte[32];
        receipts.reset(count);
        for (int i = 0; i < count; i++)
        {
            Arrays.fill(hash, (byte)(i + 1));
            txs.add(frame, 0, 8, hash, 0);
            receipts.set(i, i, 1_000L * i);
        }
        final byte[] root = new byte[32];
        new MerkleRoot().compute(txs.hashes(), txs.count(), root, 0);
        assertEquals(txRoot, Hex.encode(root));
        final ReceiptsRoot receiptsRootOf = new ReceiptsRoot();
        receiptsRootOf.compute(txs, receipts, root);
        assertEquals(receiptsRoot, Hex.encode(root));
        // Reused for a second block: buffers are overwritten, not appended to.
        receiptsRootOf.compute(txs, receipts, root);
        assertEquals(receiptsRoot, Hex.encode(root));
    }

    @Test
    void shouldGiveAnEmptyBlockTheZeroRoot()
    {
        final BlockTransactions txs = new BlockTransactions(1);
        final BlockReceipts receipts = new BlockReceipts(1);
        receipts.reset(0);
        final byte[] root = new byte[32];
        Arrays.fill(root, (byte)7);
        new ReceiptsRoot().compute(txs, receipts, root);
        assertEquals("00".repeat(32), Hex.encode(root));
    }
}
