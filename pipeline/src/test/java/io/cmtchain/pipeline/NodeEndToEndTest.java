package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class NodeEndToEndTest
{
    private static final int OK = ReceiptStatus.OK.value();

    @TempDir
    File dataDir;

    /** About 8 s on a 2-core machine, so it stays in the default build. */
    @Test
    void shouldReceiptEveryTransactionOnceAndMatchReferenceReplayWith1MillionTransactions()
    {
        run(1_000_000, false, ThreadingMode.SHARED);
    }

    @Test
    void shouldRejectBadSignaturesWithSignatureChecksOn()
    {
        run(20_000, true, ThreadingMode.SHARED);
    }

    @Test
    void shouldRunTheSamePipelineOnDedicatedThreads()
    {
        run(100_000, false, ThreadingMode.DEDICATED);
    }

    private void run(final int count, final boolean signed, final ThreadingMode mode)
    {
        final int accounts = 64;
        final TestChain chain = new TestChain(accounts);
        final byte[] expected = new byte[count];
        final byte[] received = new byte[count];
        final int[] receiptCount = new int[count];
        final long[] errors = new long[1];
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final InProcessClient client = new InProcessClient(
            (clientId, txHash, hashOffset, status, blockHeight, feeCharged) ->
            {
                final int i = (int)clientId;
                if (i < 0 || i >= count)
                {
                    errors[0]++;
                    return;
                }
                receiptCount[i]++;
                received[i] = (byte)status;
            });
        final NodeContext ctx = new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .blockJournal(journal)
            .threadingMode(mode)
            .dedicatedIdleStrategy(() -> new BackoffIdleStrategy(1, 1, 1_000, 100_000))
            .verifierThreads(2)
            .ringSize(8192)
            .blockMaxTxs(1024)
            .sigverify(signed ? "bouncycastle" : "none");
        final Node node = client.launch(ctx);
        final TransactionBuilder builder = new TransactionBuilder(chain.chainId());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final long[] nextNonce = new long[accounts];
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 100_000);
        try
        {
            for (int i = 0; i < count; i++)
            {
                final int sender = i % accounts;
                int length;
                if (signed)
                {
                    length = builder.transfer(chain.keys[sender], nextNonce[sender], TestChain.FEE, 0,
                        chain.keys[(sender + 1) % accounts].address(), 1, frame, 0);
                }
                else
                {
                    length = chain.unsignedTransfer(sender, nextNonce[sender], frame);
                }
                int status = OK;
                if (i % 101 == 7)
                {
                    frame.putInt(TransactionDescriptor.CHAIN_ID_OFFSET, chain.chainId() + 1, ByteOrder.LITTLE_ENDIAN);
                    status = ReceiptStatus.WRONG_CHAIN.value();
                }
                else if (i % 103 == 11)
                {
                    length--;
                    status = ReceiptStatus.MALFORMED.value();
                }
                else if (i % 107 == 13)
                {
                    // A nonce far ahead of the account's: in the block, refused by execution, nonce unchanged. (Not one
                    // the sender reaches later: its hash, once admitted, is remembered and a later equal frame is a
                    // DUPLICATE.)
                    if (signed)
                    {
                        length = builder.transfer(chain.keys[sender], nextNonce[sender] + 1_000_000_000L,
                            TestChain.FEE, 0, chain.keys[(sender + 1) % accounts].address(), 1, frame, 0);
                    }
                    else
                    {
                        length = chain.unsignedTransfer(sender, nextNonce[sender] + 1_000_000_000L, frame);
                    }
                    status = ReceiptStatus.BAD_NONCE.value();
                }
                else if (i % 109 == 17 && nextNonce[sender] > 0)
                {
                    // The sender's previous transaction again, byte for byte.
                    if (signed)
                    {
                        length = builder.transfer(chain.keys[sender], nextNonce[sender] - 1, TestChain.FEE, 0,
                            chain.keys[(sender + 1) % accounts].address(), 1, frame, 0);
                    }
                    else
                    {
                        length = chain.unsignedTransfer(sender, nextNonce[sender] - 1, frame);
                    }
                    status = ReceiptStatus.DUPLICATE.value();
                }
                else if (signed && i % 37 == 5)
                {
                    frame.putByte(TransactionDescriptor.SIGNATURE_OFFSET + 3,
                        (byte)(frame.getByte(TransactionDescriptor.SIGNATURE_OFFSET + 3) ^ 0x40));
                    status = ReceiptStatus.BAD_SIGNATURE.value();
                }
                else
                {
                    nextNonce[sender]++;
                }
                expected[i] = (byte)status;
                assertTrue(client.submit(frame, 0, length, i, idle));
            }
            Await.until(() -> client.receipts() >= count, 120_000,
                () -> client.receipts() + " of " + count + " receipts");
        }
        finally
        {
            node.close();
        }

        assertEquals(0, errors[0]);
        assertEquals(count, client.receipts());
        int committed = 0;
        for (int i = 0; i < count; i++)
        {
            if (receiptCount[i] != 1)
            {
                fail("transaction " + i + " got " + receiptCount[i] + " receipts");
            }
            if (received[i] != expected[i])
            {
                fail("transaction " + i + ": expected status " + ReceiptStatus.get((short)expected[i]) + ", got " +
                    ReceiptStatus.get((short)received[i]));
            }
            committed += received[i] == OK ? 1 : 0;
        }
        assertTrue(committed > count * 9 / 10);
        assertEquals(committed, node.counters().receipts(OK));
        assertEquals(0, node.counters().errors());
        chain.assertReplayMatches(journal, node.chain().state().stateRoot(), node.chain().height());
    }
}
