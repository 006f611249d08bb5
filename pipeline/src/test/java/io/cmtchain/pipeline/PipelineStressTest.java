package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.InMemoryBlockJournal;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Several producer threads, each owning its senders, against a small ring (so slots are reused many times). The
 * receipt listener checks per-event invariants as receipts arrive: every transaction committed, and per sender the
 * nonces in receipt order are exactly 0, 1, 2, ... (no reordering, no duplicate, no gap).
 */
class PipelineStressTest
{
    @TempDir
    File dataDir;

    @Test
    void shouldKeepPerSenderOrderWithoutDuplicatesOrGapsShort()
    {
        run(4, 16, 1_500, ThreadingMode.SHARED, 2);
    }

    @Test
    @Tag("stress")
    void shouldKeepPerSenderOrderWithoutDuplicatesOrGapsShared()
    {
        run(4, 32, 10_000, ThreadingMode.SHARED, 3);
    }

    @Test
    @Tag("stress")
    void shouldKeepPerSenderOrderWithoutDuplicatesOrGapsDedicated()
    {
        run(3, 32, 10_000, ThreadingMode.DEDICATED, 2);
    }

    private void run(
        final int producers, final int sendersPerProducer, final int txsPerSender, final ThreadingMode mode,
        final int verifiers)
    {
        final int senders = producers * sendersPerProducer;
        final TestChain chain = new TestChain(senders);
        final long[] expectedNonce = new long[senders];
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicLong receipts = new AtomicLong();
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final InProcessClient client = new InProcessClient((clientId, hash, off, status, height, fee) ->
        {
            final int sender = (int)(clientId >>> 32);
            final long nonce = clientId & 0xFFFF_FFFFL;
            if (status != ReceiptStatus.OK.value())
            {
                violation.compareAndSet(null, "sender " + sender + " nonce " + nonce + ": status " + status);
            }
            else if (nonce != expectedNonce[sender])
            {
                violation.compareAndSet(null, "sender " + sender + ": nonce " + nonce + " after " +
                    (expectedNonce[sender] - 1));
            }
            expectedNonce[sender] = nonce + 1;
            receipts.lazySet(receipts.get() + 1);
        });
        final Node node = client.launch(new NodeContext()
            .dataDir(dataDir)
            .genesis(chain.genesis)
            .blockJournal(journal)
            .threadingMode(mode)
            .dedicatedIdleStrategy(() -> new BackoffIdleStrategy(1, 1, 1_000, 50_000))
            .sigverify("none")
            .verifierThreads(verifiers)
            .verifyBatchSize(7)
            .ringSize(256)
            .blockMaxTxs(100)
            .blockIntervalMs(2));
        final List<Thread> threads = new ArrayList<>();
        final AtomicReference<Throwable> producerError = new AtomicReference<>();
        try
        {
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                final Thread thread = new Thread(() ->
                {
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
                    final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 50_000);
                    for (int n = 0; n < txsPerSender; n++)
                    {
                        for (int s = 0; s < sendersPerProducer; s++)
                        {
                            final int sender = producer * sendersPerProducer + s;
                            final int length = chain.unsignedTransfer(sender, n, frame);
                            if (!client.submit(frame, 0, length, ((long)sender << 32) | n, idle))
                            {
                                producerError.compareAndSet(null, new IllegalStateException("not accepted"));
                                return;
                            }
                        }
                    }
                }, "producer-" + p);
                threads.add(thread);
                thread.start();
            }
            final long total = (long)senders * txsPerSender;
            Await.until(() -> receipts.get() >= total || violation.get() != null, 600_000,
                () -> receipts.get() + " of " + total + " receipts");
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        finally
        {
            node.close();
        }
        assertNull(violation.get());
        assertNull(producerError.get());
        assertEquals((long)senders * txsPerSender, receipts.get());
        for (int s = 0; s < senders; s++)
        {
            assertEquals(txsPerSender, expectedNonce[s], "sender " + s);
        }
        chain.assertReplayMatches(journal, node.chain().state().stateRoot(), node.chain().height());
    }
}
