package io.cmtchain.engine;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.state.AccountsTreeReference;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.genesis.Genesis;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class StateRootTest
{
    private static final class Record
    {
        final byte[] address = new byte[20];
        long balance;
        long nonce;
    }

    private static List<Record> randomRecords(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Record> records = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final Record r = new Record();
            for (int j = 0; j < 20; j++)
            {
                r.address[j] = (byte)random.nextInt();
            }
            if (i % 10 == 0 && i > 0)
            {
                // Share a bucket prefix with the previous record, to exercise ordering inside a bucket.
                System.arraycopy(records.get(i - 1).address, 0, r.address, 0, 4);
            }
            r.balance = random.nextLong(1L << 40);
            r.nonce = random.nextInt(100);
            records.add(r);
        }
        return records;
    }

    private static byte[] rootOf(final List<Record> records, final long tableSeed, final int depth)
    {
        final ChainState state = new ChainState(1, depth, 16, new FeeSchedule(0), tableSeed);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (final Record r : records)
        {
            buffer.putBytes(0, r.address);
            final int slot = state.accounts().findOrCreate(buffer, 0);
            state.accounts().balance(slot, r.balance);
            state.accounts().nonce(slot, r.nonce);
        }
        state.endBlock();
        return state.stateRoot();
    }

    @Test
    void shouldNotDependOnInsertionOrderOrTableSeed()
    {
        final List<Record> records = randomRecords(5_000, 11);
        final byte[] expected = rootOf(records, 1, 3);
        final List<Record> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(5));
        assertArrayEquals(expected, rootOf(shuffled, 99, 3));
        Collections.reverse(shuffled);
        assertArrayEquals(expected, rootOf(shuffled, -12345, 3));
    }

    @Test
    void shouldChangeWithAnyField()
    {
        final List<Record> records = randomRecords(100, 12);
        final byte[] base = rootOf(records, 1, 2);
        records.get(50).balance++;
        final byte[] balanceChanged = rootOf(records, 1, 2);
        assertFalse(java.util.Arrays.equals(base, balanceChanged));
        records.get(50).balance--;
        records.get(50).nonce++;
        assertFalse(java.util.Arrays.equals(base, rootOf(records, 1, 2)));
        records.get(50).nonce--;
        assertArrayEquals(base, rootOf(records, 1, 2));
    }

    @Test
    void shouldMatchFromScratchAfterIncrementalUpdates()
    {
        final List<Record> records = randomRecords(3_000, 13);
        final ChainState state = new ChainState(1, 3, 16, new FeeSchedule(0), 77);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        final SplittableRandom random = new SplittableRandom(14);
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 300; i++)
            {
                final Record r = records.get(random.nextInt(records.size()));
                r.balance = random.nextLong(1L << 40);
                r.nonce++;
                buffer.putBytes(0, r.address);
                final int slot = state.accounts().findOrCreate(buffer, 0);
                state.accounts().balance(slot, r.balance);
                state.accounts().nonce(slot, r.nonce);
            }
            state.endBlock();
        }
        // Accounts never touched were never created in the incremental state: rebuild from what it holds.
        final List<Record> present = new ArrayList<>();
        for (int slot = 0; slot < state.accounts().size(); slot++)
        {
            final Record r = new Record();
            state.accounts().address(slot, r.address, 0);
            r.balance = state.accounts().balance(slot);
            r.nonce = state.accounts().nonce(slot);
            present.add(r);
        }
        Collections.shuffle(present, new Random(1));
        assertArrayEquals(rootOf(present, 5, 3), state.stateRoot());
    }

    @Test
    void shouldGiveSameRootForSameBlocks()
    {
        final byte[][] roots = new byte[2][];
        for (int run = 0; run < 2; run++)
        {
            final ChainState state = TestChains.devnet(4).createState(run * 1000L + 3);
            final Chain chain = TestChains.chain(state);
            final TransactionBuilder builder = new TransactionBuilder(TestChains.CHAIN_ID);
            for (int block = 0; block < 3; block++)
            {
                final List<byte[]> frames = new ArrayList<>();
                for (int k = 0; k < 4; k++)
                {
                    final Ed25519Key key = Genesis.devnetAccountKey(k);
                    frames.add(TestChains.transfer(builder, key, block, TestChains.FEE,
                        Ed25519Key.devnet("to", block * 4 + k).address(), 10 + k));
                }
                final io.cmtchain.engine.block.BlockReceipts r = TestChains.runBlock(chain, frames);
                // Equal roots of two runs that rejected everything would say nothing: every transfer must pass.
                for (int k = 0; k < 4; k++)
                {
                    assertEquals(0, r.status(k), "block " + block + " tx " + k);
                }
            }
            assertFalse(java.util.Arrays.equals(TestChains.devnet(4).createState(1).stateRoot(), state.stateRoot()));
            roots[run] = state.stateRoot();
            assertEquals(3, chain.height());
        }
        assertArrayEquals(roots[0], roots[1]);
    }

    @Test
    void shouldGiveSameRootWhenHashedInParts()
    {
        final List<Record> records = randomRecords(4_000, 21);
        for (final int parts : new int[] {2, 3, 16})
        {
            final ChainState state = new ChainState(1, 3, 16, new FeeSchedule(0), 5);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
            final SplittableRandom random = new SplittableRandom(parts);
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < 800; i++)
                {
                    final Record r = records.get(random.nextInt(records.size()));
                    r.balance = random.nextLong(1L << 40);
                    buffer.putBytes(0, r.address);
                    state.accounts().balance(state.accounts().findOrCreate(buffer, 0), r.balance);
                }
                state.foldDeltas();
                final io.cmtchain.engine.state.StateCommitment c = state.commitment();
                c.beginUpdate();
                // Parts in reverse order, each with its own worker: order and worker must not matter.
                for (int part = parts - 1; part >= 0; part--)
                {
                    c.updatePart(state.accounts(), part, parts, c.newWorker());
                }
                c.finishUpdate();
            }
            final List<Record> present = new ArrayList<>();
            for (int slot = 0; slot < state.accounts().size(); slot++)
            {
                final Record r = new Record();
                state.accounts().address(slot, r.address, 0);
                r.balance = state.accounts().balance(slot);
                r.nonce = state.accounts().nonce(slot);
                present.add(r);
            }
            assertArrayEquals(rootOf(present, 9, 3), state.stateRoot(), "parts " + parts);
        }
    }

    @Test
    void shouldMatchTheTreeTheReadmeSpecifies() throws Exception
    {
        // An independent, unoptimised computation of the README's definition: batching, prefetching and the
        // dirty-set walk of StateCommitment must not change a single bit of the root.
        final int depth = 2;
        final List<Record> records = randomRecords(2_000, 31);
        final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        final byte[] accountsRoot =
            AccountsTreeReference.root(records, r -> r.address, r -> r.balance, r -> r.nonce, depth);
        final byte[] feePoolDigest = sha.digest(new byte[8]);
        sha.update("CMTCHAIN/STATE/V1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update(accountsRoot);
        sha.update(feePoolDigest);
        assertArrayEquals(sha.digest(), rootOf(records, 3, depth));
    }
}
