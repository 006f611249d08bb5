package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.transport.TransactionSink;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Genesis, transactions and journal replay for pipeline tests.
 */
final class TestChain
{
    static final long FEE = 100;

    final Genesis genesis;
    final Ed25519Key[] keys;
    final byte[][] templates;
    final int[] templateLengths;

    /**
     * A node context for tests that drive the node on the calling thread: INVOKER threading, signature checks off,
     * blocks of at most 8 transactions cut every millisecond, no log, each receipt's status added to {@code statuses}.
     *
     * @param dir      data directory.
     * @param statuses receives the receipts' statuses.
     * @return the context, for the caller to add its genesis and the rest.
     */
    static NodeContext invokerContext(final File dir, final List<Integer> statuses)
    {
        return new NodeContext()
            .dataDir(dir)
            .threadingMode(ThreadingMode.INVOKER)
            .sigverify("none")
            .blockMaxTxs(8)
            .blockIntervalMs(1)
            .log(line -> { })
            .receiptSink((clientId, hash, off, status, height, fee) -> statuses.add(status));
    }

    /**
     * @param accounts devnet accounts; each is a sender, sending to the next.
     */
    TestChain(final int accounts)
    {
        genesis = Genesis.parse(DevnetGenesis.jsonWithAccounts(accounts));
        keys = new Ed25519Key[accounts];
        templates = new byte[accounts][];
        templateLengths = new int[accounts];
        final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
        for (int i = 0; i < accounts; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
        }
        for (int i = 0; i < accounts; i++)
        {
            final byte[] frame = new byte[TransactionDescriptor.MAX_LENGTH];
            templateLengths[i] = builder.transfer(keys[i], 0, FEE, 0, keys[(i + 1) % accounts].address(), 1,
                new UnsafeBuffer(frame), 0);
            templates[i] = frame;
        }
    }

    int chainId()
    {
        return genesis.chainId();
    }

    /**
     * A transfer whose signature is valid only for nonce 0: for pipelines with signature checks off.
     *
     * @param sender index.
     * @param nonce  of the sender.
     * @param out    receives the frame.
     * @return its length.
     */
    int unsignedTransfer(final int sender, final long nonce, final UnsafeBuffer out)
    {
        final int length = templateLengths[sender];
        out.putBytes(0, templates[sender], 0, length);
        out.putLong(TransactionDescriptor.NONCE_OFFSET, nonce, ByteOrder.LITTLE_ENDIAN);
        return length;
    }

    /**
     * Offer transfers {@code first .. first + count - 1} to a node driven on the caller's thread (transfer i: sender
     * {@code i % accounts}, nonce {@code i / accounts}, client id i), driving the node while its ring is full, then
     * drive it until their receipts have arrived.
     *
     * @param node     an {@link ThreadingMode#INVOKER} node.
     * @param first    index of the first transfer.
     * @param count    transfers.
     * @param statuses the receipt statuses the node's receipt sink appends to.
     */
    void submitAndAwaitReceipts(final Node node, final int first, final int count, final List<Integer> statuses)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final int before = statuses.size();
        for (int i = first; i < first + count; i++)
        {
            final int length = unsignedTransfer(i % keys.length, i / keys.length, frame);
            final long clientId = i;
            Await.until(() ->
            {
                if (node.ingress().onTransaction(frame, 0, length, clientId) == TransactionSink.ACCEPTED)
                {
                    return true;
                }
                node.doWork();
                return false;
            }, 30_000, () -> "ring full");
        }
        Await.until(() ->
        {
            node.doWork();
            return statuses.size() >= before + count;
        }, 30_000, () -> (statuses.size() - before) + " of " + count + " receipts");
    }

    /**
     * Replay the journal from genesis with the reference executor and check every block and the final state root.
     *
     * @param journal       of the node.
     * @param expectedRoot  state root of the node's chain.
     * @param expectedHeight of the node's chain.
     */
    void assertReplayMatches(final InMemoryBlockJournal journal, final byte[] expectedRoot, final long expectedHeight)
    {
        final Chain replay = new Chain(genesis.createState(42), 0, new byte[32]);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final BlockTransactions txs = new BlockTransactions(1024);
        final BlockReceipts receipts = new BlockReceipts(1024);
        final BlockHeader scratch = new BlockHeader();
        final Sha256 sha = new Sha256();
        final List<InMemoryBlockJournal.Entry> entries = journal.entries();
        assertEquals(expectedHeight, entries.size());
        for (final InMemoryBlockJournal.Entry entry : entries)
        {
            final byte[] hashes = new byte[entry.transactions.size() * 32];
            for (int i = 0; i < entry.transactions.size(); i++)
            {
                final byte[] frame = entry.transactions.get(i);
                TxHash.compute(sha, new UnsafeBuffer(frame), 0, frame.length, hashes, i * 32);
            }
            entry.transactions(txs, hashes);
            assertNull(replay.replay(entry.header, entry.commit, txs, executor, receipts, scratch));
            for (int i = 0; i < receipts.count(); i++)
            {
                assertEquals(entry.statuses[i] & 0xFF, receipts.status(i));
            }
        }
        assertArrayEquals(expectedRoot, replay.state().stateRoot());
    }
}
