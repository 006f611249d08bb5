package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownDrainTest
{
    @TempDir
    File dataDir;

    @Test
    void shouldDrainWithTheLongestTimeoutThereIs()
    {
        final TestChain chain = new TestChain(1);
        final List<Long> receipts = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final int[] refusals = {3};
        final ReceiptSink sink = new ReceiptSink()
        {
            @Override
            public void onReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                receipts.add(clientId);
            }

            @Override
            public boolean offerReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                // The egress is full for a few duty cycles: the drain has to wait on its clock.
                if (refusals[0]-- > 0)
                {
                    return false;
                }
                onReceipt(clientId, txHash, hashOffset, status, blockHeight, feeCharged);
                return true;
            }
        };
        final Node node = Node.launch(TestChain.invokerContext(dataDir, new ArrayList<>())
            .genesis(chain.genesis)
            .blockJournal(new InMemoryBlockJournal())
            .blockIntervalMs(60_000)
            .drainTimeoutMs(Long.MAX_VALUE)
            .receiptSink(sink)
            .errorHandler(errors::add));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(TransactionSink.ACCEPTED, node.ingress().onTransaction(frame, 0,
                chain.unsignedTransfer(0, i, frame), i));
        }
        node.close();

        assertEquals(List.of(), errors, "the drain timed out");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), receipts);
    }

    @Test
    void shouldReceiptEveryAcceptedTransactionWhenClosedMidRun() throws InterruptedException
    {
        final int producers = 3;
        final int senders = 24;
        final int perProducer = 200_000;
        final TestChain chain = new TestChain(senders);
        final AtomicIntegerArray receiptCounts = new AtomicIntegerArray(producers * perProducer);
        final AtomicLong receipts = new AtomicLong();
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final InProcessClient client = new InProcessClient((clientId, hash, off, status, height, fee) ->
        {
            receiptCounts.incrementAndGet((int)clientId);
            receipts.incrementAndGet();
        });
        final Node node = client.launch(new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .blockJournal(journal)
            .threadingMode(ThreadingMode.SHARED)
            .sigverify("none")
            .verifierThreads(1)
            .ringSize(4096)
            .blockMaxTxs(512)
            .blockIntervalMs(1_000));
        final long[] accepted = new long[producers];
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
                final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 50_000);
                final int sendersPerProducer = senders / producers;
                for (int i = 0; i < perProducer; i++)
                {
                    final int sender = producer * sendersPerProducer + i % sendersPerProducer;
                    final int length = chain.unsignedTransfer(sender, i / sendersPerProducer, frame);
                    if (!client.submit(frame, 0, length, (long)producer * perProducer + i, idle))
                    {
                        return;
                    }
                    accepted[producer]++;
                }
            });
            threads[p].start();
        }
        Await.until(() -> receipts.get() > 20_000, 60_000, () -> "only " + receipts.get() + " receipts");
        // The block interval is long: close must cut the open block itself.
        node.close();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        long totalAccepted = 0;
        for (final long n : accepted)
        {
            totalAccepted += n;
        }
        assertTrue(totalAccepted < (long)producers * perProducer, "closed before the producers finished");
        assertEquals(totalAccepted, receipts.get());
        for (int i = 0; i < receiptCounts.length(); i++)
        {
            final int n = receiptCounts.get(i);
            final int producer = i / perProducer;
            final boolean wasAccepted = i % perProducer < accepted[producer];
            assertEquals(wasAccepted ? 1 : 0, n, "transaction " + i);
        }
        chain.assertReplayMatches(journal, node.chain().state().stateRoot(), node.chain().height());
    }
}
