package io.cmtchain.pipeline;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.dpos.ProposerPriority;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.InMemoryBlockJournal;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.journal.Recovery;
import io.cmtchain.journal.ReplayMismatchException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node on the DPoS devnet: proposers follow Tendermint's proposer priority over the devnet validators' stakes,
 * the proposer signs each header and the validators' commit rides with the next block, and replay and recovery feed
 * DPoS the same signers (awards paid) and refuse a block whose proposer signature is wrong.
 */
class DposNodeTest
{
    private static final int SENDERS = 16;
    private static final int OK = ReceiptStatus.OK.value();

    @TempDir
    File dir;

    private final TestChain chain = new TestChain(SENDERS);
    private final String genesisJson = DevnetGenesis.jsonWithAccounts(SENDERS);
    private final List<Integer> statuses = new ArrayList<>();

    @Test
    void shouldProposeByProposerPriorityAndReplayToTheSameRootWithAwardsPaid()
    {
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        final byte[] root;
        try (Node node = Node.launch(context().genesis(chain.genesis).blockJournal(journal)))
        {
            chain.submitAndAwaitReceipts(node, 0, 400, statuses);
            root = node.chain().state().stateRoot();
        }
        assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);
        final List<InMemoryBlockJournal.Entry> entries = journal.entries();
        assertTrue(entries.size() >= 400 / 8, "blocks of at most 8: " + entries.size());

        // An independent proposer-priority run, fed each height's validator set and powers from a replaying chain.
        final Chain replay = new Chain(chain.genesis.createState(42), 0, new byte[32]);
        final DposState dpos = replay.state().dpos();
        final ProposerPriority expected = new ProposerPriority();
        final int[] proposed = new int[dpos.validatorCount()];
        final byte[][] genesisValidators = new byte[dpos.validatorCount()][];
        for (int i = 0; i < genesisValidators.length; i++)
        {
            genesisValidators[i] = dpos.validator(i);
        }
        final long genesisStake = dpos.heldMicroCmt();
        final Replayer replayer = new Replayer(replay);
        for (final InMemoryBlockJournal.Entry entry : entries)
        {
            final int n = dpos.validatorCount();
            final byte[][] addresses = new byte[n][];
            final long[] powers = new long[n];
            for (int i = 0; i < n; i++)
            {
                addresses[i] = dpos.validator(i);
                powers[i] = dpos.validatorPower(i);
            }
            expected.update(addresses, powers, n);
            expected.height(entry.header.height - 1);
            assertArrayEquals(addresses[expected.advance()], entry.header.proposer,
                "proposer of block " + entry.header.height);
            for (int i = 0; i < genesisValidators.length; i++)
            {
                proposed[i] += Arrays.equals(genesisValidators[i], entry.header.proposer) ? 1 : 0;
            }
            assertEquals(entry.header.height == 1 ? 0 : 4, entry.commit.count(),
                "all four devnet validators sign the block before " + entry.header.height);
            assertNull(replayer.replay(entry));
        }
        assertArrayEquals(root, replay.state().stateRoot());
        assertTrue(proposed[0] > proposed[3] && proposed[3] > 0,
            "4:3:2:1 stakes propose in proportion: " + Arrays.toString(proposed));
        assertTrue(dpos.mintedMicroCmt() > 0, "inflation awarded");
        assertTrue(dpos.heldMicroCmt() > genesisStake, "awards compound into the validators' stake");
        assertEquals(chain.genesis.supplyMicroCmt() + dpos.mintedMicroCmt(), replay.state().totalSupplyMicroCmt());
    }

    @Test
    void shouldRecoverAfterARestartToWhatReplayFromGenesisReaches()
    {
        final byte[] root;
        final long height;
        try (Node node = launchOnDisk(genesisJson))
        {
            chain.submitAndAwaitReceipts(node, 0, 96, statuses);
            root = node.chain().state().stateRoot();
            height = node.chain().height();
        }
        final List<String> recoveryLog = new ArrayList<>();
        final Chain replayed = Recovery.recover(dir.toPath(), new ReferenceExecutor(), recoveryLog::add);
        // The snapshot holds the DPoS and contracts state, so recovery starts from it rather than from genesis.
        assertTrue(recoveryLog.stream().noneMatch(line -> line.contains("skipping snapshot")), recoveryLog::toString);
        assertTrue(recoveryLog.stream().anyMatch(line -> line.contains("from the snapshot at")), recoveryLog::toString);
        assertEquals(height, replayed.height());
        assertArrayEquals(root, replayed.state().stateRoot());
        assertTrue(replayed.state().dpos().mintedMicroCmt() > 0);

        try (Node node = launchOnDisk(null))
        {
            assertEquals(height, node.chain().height());
            assertArrayEquals(root, node.chain().state().stateRoot());
            chain.submitAndAwaitReceipts(node, 96, 32, statuses);
            assertTrue(node.chain().height() > height, "proposes and commits again after the restart");
        }
        assertTrue(statuses.stream().allMatch(s -> s == OK), statuses::toString);
    }

    @Test
    void shouldRefuseABlockWithATamperedProposerSignatureNamingItsHeight()
    {
        final InMemoryBlockJournal journal = new InMemoryBlockJournal();
        try (Node node = Node.launch(context().genesis(chain.genesis).blockJournal(journal)))
        {
            chain.submitAndAwaitReceipts(node, 0, 64, statuses);
        }
        final List<InMemoryBlockJournal.Entry> entries = journal.entries();
        final long tampered = 5;
        final File copy = new File(dir, "tampered");
        try (ChronicleBlockJournal out = new ChronicleBlockJournal(new JournalContext().dataDirectory(copy.toPath())))
        {
            final BlockTransactions txs = new BlockTransactions(64);
            final BlockReceipts receipts = new BlockReceipts(64);
            final BlockHeader header = new BlockHeader();
            for (final InMemoryBlockJournal.Entry entry : entries)
            {
                load(entry, txs, receipts);
                header.copyFrom(entry.header);
                if (header.height == tampered)
                {
                    header.proposerSignature[7] ^= 1;
                }
                out.append(header, entry.commit, txs, receipts);
            }
        }
        final ReplayMismatchException ex = assertThrows(ReplayMismatchException.class,
            () -> Recovery.recover(copy.toPath(), genesisJson, new ReferenceExecutor(), line -> { }));
        assertEquals("block 5: proposer signature does not verify against the key of its proposer " +
            Hex.encode(entries.get(4).header.proposer), ex.getMessage());

        // A forged commit signature is refused the same way.
        final Chain replay = new Chain(chain.genesis.createState(1), 0, new byte[32]);
        final Replayer replayer = new Replayer(replay);
        for (final InMemoryBlockJournal.Entry entry : entries.subList(0, 2))
        {
            assertNull(replayer.replay(entry));
        }
        final InMemoryBlockJournal.Entry third = entries.get(2);
        third.commit.signatures()[3] ^= 1;
        final String refused = replayer.replay(third);
        assertTrue(refused != null && refused.startsWith("block 3: commit signature of ") &&
            refused.endsWith(" over block 2 does not verify"), refused);
    }

    private NodeContext context()
    {
        return TestChain.invokerContext(dir, statuses);
    }

    private Node launchOnDisk(final String json)
    {
        final NodeContext ctx = context().snapshotIntervalBlocks(4);
        if (json != null)
        {
            ctx.genesisJson(json);
        }
        return Node.launch(ctx);
    }

    private static void load(
        final InMemoryBlockJournal.Entry entry, final BlockTransactions txs, final BlockReceipts receipts)
    {
        final Sha256 sha = new Sha256();
        final byte[] hashes = new byte[Math.max(1, entry.transactions.size()) * 32];
        for (int i = 0; i < entry.transactions.size(); i++)
        {
            final byte[] f = entry.transactions.get(i);
            TxHash.compute(sha, new UnsafeBuffer(f), 0, f.length, hashes, i * 32);
        }
        entry.transactions(txs, hashes);
        receipts.reset(entry.statuses.length);
        for (int i = 0; i < entry.statuses.length; i++)
        {
            receipts.set(i, entry.statuses[i] & 0xFF, entry.fees[i]);
        }
    }

    /** Replays in-memory journal entries on a chain, with the commit each carries. */
    private static final class Replayer
    {
        private final Chain chain;
        private final ReferenceExecutor executor = new ReferenceExecutor();
        private final BlockTransactions txs = new BlockTransactions(64);
        private final BlockReceipts journaled = new BlockReceipts(64);
        private final BlockReceipts receipts = new BlockReceipts(64);
        private final BlockHeader scratch = new BlockHeader();

        Replayer(final Chain chain)
        {
            this.chain = chain;
        }

        String replay(final InMemoryBlockJournal.Entry entry)
        {
            load(entry, txs, journaled);
            return chain.replay(entry.header, entry.commit, txs, executor, receipts, scratch);
        }
    }
}
