package io.cmtchain.pipeline;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.Durability;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.journal.JournalReader;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node on its data directory: the Chronicle journal by default, recovery at start (height, state, duplicates),
 * snapshots, the stored genesis, and receipts that wait for room in the sink rather than being dropped.
 */
class NodeRecoveryTest
{
    private static final int SENDERS = 16;
    private static final int OK = ReceiptStatus.OK.value();

    @TempDir
    File dir;

    private final TestChain chain = new TestChain(SENDERS);
    private final String genesisJson = DevnetGenesis.jsonWithAccounts(SENDERS);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
    private final List<Integer> statuses = new ArrayList<>();
    private final List<Long> clientIds = new ArrayList<>();

    @Test
    void shouldContinueFromTheJournalAfterARestart()
    {
        final byte[] root;
        final long height;
        try (Node node = launch(genesisJson))
        {
            for (int i = 0; i < 200; i++)
            {
                submit(node, i);
            }
            awaitReceipts(node, 200);
            height = node.chain().height();
            root = node.chain().state().stateRoot();
            assertTrue(height >= 200 / 16, "blocks of at most 16: " + height);
        }
        assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);
        assertTrue(new File(dir, "snapshots").list().length > 0, "snapshots every 3 blocks");

        statuses.clear();
        // No genesis given: the data directory's stored one is used.
        try (Node node = launch(null))
        {
            assertEquals(height, node.chain().height());
            assertArrayEquals(root, node.chain().state().stateRoot());
            submit(node, 7);
            submit(node, 200);
            awaitReceipts(node, 2);
            assertEquals(List.of((int)ReceiptStatus.DUPLICATE.value(), OK), statuses,
                "a transaction from before the restart is a duplicate; the next nonce goes on");
            assertEquals(height + 1, node.chain().height());
        }
    }

    @Test
    void shouldRefillTheDuplicateFilterWithTheLastWindowOfTransactionsAfterARestart()
    {
        final int window = 16;
        final int sent = 100;
        try (Node node = Node.launch(context(genesisJson).dedupeWindow(window)))
        {
            chain.submitAndAwaitReceipts(node, 0, sent, statuses);
        }
        assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);

        statuses.clear();
        final List<Integer> expected = new ArrayList<>();
        try (Node node = Node.launch(context(null).dedupeWindow(window)))
        {
            // Newest first: a transaction admitted now would push the oldest of the window out.
            for (int i = sent - 1; i >= sent - window - 1; i--)
            {
                chain.submitAndAwaitReceipts(node, i, 1, statuses);
                expected.add((int)(i >= sent - window ? ReceiptStatus.DUPLICATE : ReceiptStatus.BAD_NONCE).value());
            }
        }
        assertEquals(expected, statuses, "the last " + window + " transactions journaled are duplicates after a " +
            "restart, as they were before it; the one before them is past the window, stopped by its used nonce");
    }

    @Test
    void shouldNotStampABlockBeforeTheLastOneAfterARestartWithAClockThatWentBack()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(2_000_000_000_000L);
        try (Node node = launch(genesisJson, clock))
        {
            submit(node, 0);
            admitAndCut(node, clock);
            awaitReceipts(node, 1);
        }
        // The machine's clock was an hour fast and is corrected while the node is down.
        clock.update(2_000_000_000_000L - 3_600_000);
        try (Node node = launch(null, clock))
        {
            submit(node, SENDERS);
            admitAndCut(node, clock);
            awaitReceipts(node, 2);
        }
        assertEquals(List.of(OK, OK), statuses);
        final List<Long> timestamps = new ArrayList<>();
        try (ChronicleBlockJournal journal = ChronicleBlockJournal.open(new DataDirectory(dir.toPath()),
            Durability.PROCESS); JournalReader reader = journal.newReader())
        {
            while (reader.next())
            {
                timestamps.add(reader.header().timestampMs);
            }
        }
        assertEquals(List.of(2_000_000_000_001L, 2_000_000_000_001L), timestamps,
            "log timestamps never go backwards, a restart included");
    }

    @Test
    void shouldRefuseADataDirectoryOfAnotherChain()
    {
        launch(genesisJson).close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> launch(DevnetGenesis.jsonWithAccounts(SENDERS + 1)));
        assertTrue(ex.getMessage().contains("different genesis"), ex.getMessage());
        assertTrue(Files.isRegularFile(new DataDirectory(dir.toPath()).genesisFile()));
    }

    @Test
    void shouldSayAStoredGenesisIsComparedByteForByteAndHowToUseIt()
    {
        launch(genesisJson).close();
        // The same chain's genesis, saved again by an editor with a newline at the end.
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> launch(genesisJson + "\n"));
        assertTrue(ex.getMessage().contains("byte for byte") && ex.getMessage().contains("without a genesis"),
            ex.getMessage());
    }

    /**
     * A start that fails once the genesis is stored, in starting its stages (here the supplier of their idle strategy
     * throws, as a thread that cannot be made would) or its ingress, removes the genesis it stored in a fresh data
     * directory: else the next start, given the genesis the operator meant, is refused as another chain's, though no
     * block of the first was ever journaled. The journal's files stay.
     */
    @Test
    void shouldRemoveTheGenesisItStoredWhenItFailsToStart()
    {
        final DataDirectory data = new DataDirectory(dir.toPath());
        final IllegalStateException noThread = new IllegalStateException("cannot make a stage thread");
        assertSame(noThread, assertThrows(IllegalStateException.class,
            () -> Node.launch(context(genesisJson).threadingMode(ThreadingMode.DEDICATED)
                .dedicatedIdleStrategy(failingOnCall(3, noThread)))));
        assertFalse(data.hasGenesis(), "a failed start kept the genesis it stored, which would refuse the next " +
            "start's --genesis as another chain's");
        assertTrue(Files.isDirectory(data.journalDir()));

        final IllegalStateException noIngress = new IllegalStateException("cannot start the ingress");
        assertSame(noIngress, assertThrows(IllegalStateException.class,
            () -> Node.launch(context(genesisJson).ingressStarter(sink ->
            {
                throw noIngress;
            }))));
        assertFalse(data.hasGenesis(), "a start whose ingress failed kept the genesis it stored");

        // Another chain's genesis is taken, and stored by the start that runs.
        final String other = DevnetGenesis.jsonWithAccounts(SENDERS + 1);
        launch(other).close();
        assertEquals(other, data.readGenesis());
    }

    /**
     * An ingress that cannot make its thread fails with an Error (Thread.start's OutOfMemoryError), not a
     * RuntimeException: the launch stops the node and removes the genesis it stored for that failure too, and throws
     * it as it came; the next start, with the same genesis, runs.
     */
    @Test
    void shouldCloseTheNodeAndRemoveTheGenesisItStoredWhenItsIngressFailsWithAnError()
    {
        final DataDirectory data = new DataDirectory(dir.toPath());
        final OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread: possibly out of " +
            "memory or process/resource limits reached");
        assertSame(noThread, assertThrows(OutOfMemoryError.class,
            () -> Node.launch(context(genesisJson).ingressStarter(sink ->
            {
                throw noThread;
            }))));
        assertFalse(data.hasGenesis(), "a start whose ingress failed with an Error kept the genesis it stored");

        try (Node node = launch(genesisJson))
        {
            submit(node, 0);
            awaitReceipts(node, 1);
        }
        assertEquals(List.of(OK), statuses);
        assertEquals(genesisJson, data.readGenesis());
    }

    /**
     * A start whose ingress fails closes the node, and a step of that close can fail too: here the drain of the one
     * transaction the ingress took (a malformed frame, whose receipt the sink never has room for, so no block is
     * journaled) times out, and the node's error handler throws what it is told. The close went no further: the
     * genesis stayed, the journal and its directory's lock stayed open, and the launch threw the error handler's
     * exception in place of the ingress's. Now every step runs, the launch throws the ingress's failure with the
     * close's added as suppressed, and the next start runs.
     */
    @Test
    void shouldFinishClosingAFailedStartAndThrowItsFailureWhenAStepOfTheCloseThrows()
    {
        final DataDirectory data = new DataDirectory(dir.toPath());
        final IllegalStateException noIngress = new IllegalStateException("cannot start the ingress");
        final List<Throwable> handled = new ArrayList<>();
        final ReceiptSink neverRoom = offeringOnly((clientId, status) -> false);
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> Node.launch(context(genesisJson)
                .receiptSink(neverRoom)
                .drainTimeoutMs(50)
                .errorHandler(ex ->
                {
                    handled.add(ex);
                    throw new IllegalStateException("the error handler throws what it is told", ex);
                })
                .ingressStarter(sink ->
                {
                    assertEquals(TransactionSink.ACCEPTED, sink.onTransaction(new UnsafeBuffer(new byte[64]), 0, 64,
                        0));
                    throw noIngress;
                })));

        assertSame(noIngress, thrown, "the close's failure replaced the start's");
        assertEquals(1, handled.size(), handled::toString);
        assertTrue(handled.get(0).getMessage().startsWith("drain timed out"), handled.get(0).getMessage());
        assertEquals(1, thrown.getSuppressed().length, List.of(thrown.getSuppressed())::toString);
        assertSame(handled.get(0), thrown.getSuppressed()[0].getCause());
        assertFalse(data.hasGenesis(), "a start whose close failed kept the genesis it stored");

        // The journal was closed (its directory's lock released): the next start runs, from height 0.
        try (Node node = launch(genesisJson))
        {
            assertEquals(0, node.chain().height());
            submit(node, 0);
            awaitReceipts(node, 1);
        }
        assertEquals(List.of(OK), statuses);
    }

    /**
     * A start that failed closes what it opened even when a step of that clean-up throws an Error (here the log,
     * told that the genesis the start stored could not be removed): Agrona's quiet close stops only an Exception, so
     * the journal stayed open (its directory's lock held), the counters file stayed, and the Error replaced the
     * start's failure.
     */
    @Test
    void shouldFinishCleaningUpAFailedStartWhenAStepOfItThrowsAnError()
    {
        final DataDirectory data = new DataDirectory(dir.toPath());
        final IllegalStateException failure = new IllegalStateException("no idle strategy for a stage");
        final Error logError = new Error("the log cannot take the line");
        final Throwable thrown = assertThrows(Throwable.class, () -> Node.launch(context(genesisJson)
            .threadingMode(ThreadingMode.DEDICATED)
            .log(line ->
            {
                if (line.startsWith("warning: the failed start stored"))
                {
                    throw logError;
                }
            })
            .dedicatedIdleStrategy(() ->
            {
                // The genesis this start stored cannot be removed: a directory that is not empty is in its place.
                try
                {
                    Files.delete(data.genesisFile());
                    Files.createDirectories(data.genesisFile().resolve("in-the-way"));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                throw failure;
            })));

        assertSame(failure, thrown, "the clean-up's Error replaced the start's failure");
        assertEquals(List.of(logError), List.of(thrown.getSuppressed()));
        assertFalse(new File(dir, CountersFile.FILENAME).exists(), "the counters file stayed");

        // The journal was closed (its directory's lock released): the next start runs, from height 0.
        assertTrue(new File(data.genesisFile().toFile(), "in-the-way").delete());
        assertTrue(data.genesisFile().toFile().delete());
        try (Node node = launch(genesisJson))
        {
            assertEquals(0, node.chain().height());
        }
    }

    /**
     * A failed start removes only the genesis it stored: never one stored before it, nor one that a block was
     * journaled with (the drain of a start whose ingress failed after taking a transaction journals its block).
     */
    @Test
    void shouldKeepAGenesisStoredBeforeAFailedStartOrJournaledWithABlock()
    {
        final DataDirectory data = new DataDirectory(dir.toPath());
        final IllegalStateException failure = new IllegalStateException("cannot start");
        final Function<TransactionSink, AutoCloseable> takeOneThenFail = sink ->
        {
            final int length = chain.unsignedTransfer(0, statuses.size(), frame);
            assertEquals(TransactionSink.ACCEPTED, sink.onTransaction(frame, 0, length, 0));
            throw failure;
        };
        assertSame(failure, assertThrows(IllegalStateException.class,
            () -> Node.launch(context(genesisJson).ingressStarter(takeOneThenFail))));
        assertEquals(List.of(OK), statuses, "the transaction taken before the failure is drained into a block");
        assertTrue(data.hasGenesis(), "the genesis of a journaled block was removed");
        assertEquals(genesisJson, data.readGenesis());

        assertSame(failure, assertThrows(IllegalStateException.class,
            () -> Node.launch(context(genesisJson).threadingMode(ThreadingMode.DEDICATED)
                .dedicatedIdleStrategy(failingOnCall(1, failure)))));
        assertSame(failure, assertThrows(IllegalStateException.class,
            () -> Node.launch(context(null).ingressStarter(sink ->
            {
                throw failure;
            }))));
        assertTrue(data.hasGenesis(), "a failed start removed a genesis stored before it");
        assertEquals(genesisJson, data.readGenesis());
        try (Node node = launch(null))
        {
            assertEquals(1, node.chain().height());
        }
    }

    @Test
    void shouldHoldAReceiptUntilTheSinkHasRoomAndNeverDropIt()
    {
        final int count = 3_000;
        final int[] offers = new int[1];
        final ReceiptSink sometimesFull = offeringOnly((clientId, status) ->
        {
            if (++offers[0] % 3 != 0)
            {
                return false;
            }
            clientIds.add(clientId);
            statuses.add(status);
            return true;
        });
        try (Node node = Node.launch(new NodeContext()
            .dataDir(dir)
            .genesis(chain.genesis)
            .blockJournal(new InMemoryBlockJournal())
            .threadingMode(ThreadingMode.INVOKER)
            .sigverify("none")
            .ringSize(1024)
            .blockMaxTxs(64)
            .receiptSink(sometimesFull)))
        {
            int next = 0;
            while (clientIds.size() < count)
            {
                while (next < count && offer(node, next) == TransactionSink.ACCEPTED)
                {
                    next++;
                }
                node.doWork();
            }
            assertTrue(node.counters().backPressured() > 0, "the ring filled behind the held receipts");
        }
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, clientIds.get(i), "receipts in order, each once");
            assertEquals(OK, statuses.get(i));
        }
    }

    private Node launch(final String json)
    {
        return launch(json, SystemEpochClock.INSTANCE);
    }

    private Node launch(final String json, final EpochClock clock)
    {
        return Node.launch(context(json, clock));
    }

    private NodeContext context(final String json)
    {
        return context(json, SystemEpochClock.INSTANCE);
    }

    private NodeContext context(final String json, final EpochClock clock)
    {
        final NodeContext ctx = new NodeContext()
            .epochClock(clock)
            .dataDir(dir)
            .threadingMode(ThreadingMode.INVOKER)
            .sigverify("none")
            .blockMaxTxs(16)
            .blockIntervalMs(1)
            .snapshotIntervalBlocks(3)
            .log(line -> { })
            .receiptSink((clientId, hash, off, status, height, fee) -> statuses.add(status));
        if (json != null)
        {
            ctx.genesisJson(json);
        }
        return ctx;
    }

    /** @return idle strategies for the stage threads, until the {@code call}-th, which throws the failure. */
    private static Supplier<IdleStrategy> failingOnCall(final int call, final RuntimeException failure)
    {
        final AtomicInteger calls = new AtomicInteger();
        return () ->
        {
            if (calls.incrementAndGet() == call)
            {
                throw failure;
            }
            return new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);
        };
    }

    private void submit(final Node node, final int index)
    {
        assertEquals(TransactionSink.ACCEPTED, offer(node, index));
    }

    private int offer(final Node node, final int index)
    {
        final int length = chain.unsignedTransfer(index % SENDERS, index / SENDERS, frame);
        return node.ingress().onTransaction(frame, 0, length, index);
    }

    /** Let ordering admit what was submitted, then move the clock past the 1 ms block interval. */
    private static void admitAndCut(final Node node, final CachedEpochClock clock)
    {
        for (int i = 0; i < 10; i++)
        {
            node.doWork();
        }
        clock.advance(1);
    }

    private void awaitReceipts(final Node node, final int count)
    {
        Await.until(() ->
        {
            node.doWork();
            return statuses.size() >= count;
        }, 30_000, () -> statuses.size() + " of " + count + " receipts");
    }

    /** A receipt's offer to a sink: whether the sink took it. */
    private interface ReceiptOffer
    {
        boolean offer(long clientId, int status);
    }

    /** @return a sink that the receipts stage must offer to (as it does), each offer answered by {@code offer}. */
    private static ReceiptSink offeringOnly(final ReceiptOffer offer)
    {
        return new ReceiptSink()
        {
            @Override
            public void onReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                throw new AssertionError("the receipts stage must offer, not push");
            }

            @Override
            public boolean offerReceipt(
                final long clientId, final byte[] txHash, final int hashOffset, final int status,
                final long blockHeight, final long feeCharged)
            {
                return offer.offer(clientId, status);
            }
        };
    }
}
