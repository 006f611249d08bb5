package io.cmtchain.engine.exec;

import io.cmtchain.engine.TestChains;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchingExecutorTest
{
    private static final int SENDERS = 8;

    /**
     * The reference executor prepares windows of transactions ahead (sender addresses, table and row loads). Blocks
     * full of transactions rejected before their sender is read (expired, fee too low, malformed), repeated frames
     * and bad nonces, all in one shared buffer, must come out exactly as executing one transaction at a time.
     */
    @Test
    void shouldGiveTheSameReceiptsAndRootAsUnpreparedExecution()
    {
        final Genesis genesis = TestChains.devnet(SENDERS);
        final ChainState prepared = genesis.createState(1);
        final ChainState plain = genesis.createState(2);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final TransactionProcessor processor = new TransactionProcessor();
        final TransactionFlyweight tx = new TransactionFlyweight();
        final SplittableRandom random = new SplittableRandom(42);
        final long[] nonces = new long[SENDERS];
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[400 * 256]);
        final Sha256 sha = new Sha256();
        final java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int height = 1; height <= 6; height++)
        {
            final BlockTransactions txs = new BlockTransactions(400);
            int offset = 0;
            for (int i = 0; i < 400; i++)
            {
                final int sender = random.nextInt(SENDERS);
                final int kind = random.nextInt(10);
                final int repeatOf = txs.count() > 0 && kind == 0 ? random.nextInt(txs.count()) : -1;
                if (repeatOf >= 0)
                {
                    txs.add(txs.buffer(repeatOf), txs.offset(repeatOf), txs.length(repeatOf), sha);
                    continue;
                }
                final long nonce = kind == 1 ? nonces[sender] + 1 : nonces[sender];
                final long fee = kind == 2 ? TestChains.FEE - 1 : TestChains.FEE;
                final long expiry = kind == 3 ? height - 1 : 0;
                final byte[] to = kind == 4 ? Genesis.devnetAccountKey(random.nextInt(SENDERS)).address() :
                    Ed25519Key.devnet("to", random.nextInt(50)).address();
                int length = TransactionBuilder.encodeUnsignedTransfer(frames, offset, TestChains.CHAIN_ID,
                    Genesis.devnetAccountKey(sender).publicKey(), nonce, fee, expiry,
                    to, 1 + random.nextInt(1_000));
                if (kind == 5)
                {
                    length -= 1;
                    frames.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET, (short)0,
                        java.nio.ByteOrder.LITTLE_ENDIAN);
                }
                if (kind > 5)
                {
                    nonces[sender]++;
                }
                txs.add(frames, offset, length, sha);
                offset += 256;
            }

            final BlockReceipts preparedReceipts = new BlockReceipts(txs.count());
            executor.execute(prepared, height, txs, preparedReceipts);
            executor.commit(prepared);

            final BlockReceipts plainReceipts = new BlockReceipts(txs.count());
            plainReceipts.reset(txs.count());
            for (int i = 0; i < txs.count(); i++)
            {
                tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
                plainReceipts.set(i, processor.execute(plain, tx, height), processor.feeCharged());
            }
            plain.endBlock();

            for (int i = 0; i < txs.count(); i++)
            {
                assertEquals(plainReceipts.status(i), preparedReceipts.status(i), "block " + height + " tx " + i);
                assertEquals(plainReceipts.feeCharged(i), preparedReceipts.feeCharged(i));
                seen.add(preparedReceipts.status(i));
            }
            assertArrayEquals(plain.stateRoot(), prepared.stateRoot(), "block " + height);
        }
        for (final ReceiptStatus status : new ReceiptStatus[] {ReceiptStatus.OK, ReceiptStatus.EXPIRED,
            ReceiptStatus.FEE_TOO_LOW, ReceiptStatus.BAD_NONCE, ReceiptStatus.MALFORMED})
        {
            assertTrue(seen.contains((int)status.value()), "the block mix never produced " + status);
        }
    }
}
