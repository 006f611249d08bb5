package io.cmtchain.engine.exec;

import io.cmtchain.engine.TestChains;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference executor's loop: one receipt per transaction, in block order. */
class ReferenceExecutorTest
{
    private final TransactionBuilder builder = new TransactionBuilder(TestChains.CHAIN_ID);
    private final byte[] to = Ed25519Key.devnet("to", 0).address();

    private BlockTransactions block(final List<byte[]> frames)
    {
        final BlockTransactions txs = new BlockTransactions(frames.size());
        final Sha256 sha = new Sha256();
        for (final byte[] frame : frames)
        {
            txs.add(new UnsafeBuffer(frame), 0, frame.length, sha);
        }
        return txs;
    }

    @Test
    void shouldSizeReusedReceiptsToEachBlock()
    {
        final ChainState state = TestChains.devnet(1).createState(3);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final BlockReceipts receipts = new BlockReceipts(1);
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            frames.add(TestChains.transfer(builder, Genesis.devnetAccountKey(0), i, TestChains.FEE, to, 1));
        }
        executor.execute(state, 1, block(frames), receipts);
        executor.commit(state);
        assertEquals(40, receipts.count());
        for (int i = 0; i < 40; i++)
        {
            assertEquals(ReceiptStatus.OK.value(), receipts.status(i), "tx " + i);
            assertEquals(TestChains.FEE, receipts.feeCharged(i));
        }
        executor.execute(state, 2, block(frames.subList(0, 3)), receipts);
        executor.commit(state);
        assertEquals(3, receipts.count());
        assertEquals(ReceiptStatus.BAD_NONCE.value(), receipts.status(0));
    }

    @Test
    void shouldRefuseTheLargestNonceSoThatAnAccountsNonceNeverWraps()
    {
        // Not reachable by counting (2^63 transactions), but the nonce is consensus state: the rule must say what
        // happens at the end of the range, and the answer must not be a wrap to Long.MIN_VALUE.
        final ChainState state = TestChains.devnet(1).createState(3);
        final Ed25519Key sender = Genesis.devnetAccountKey(0);
        final AccountStore accounts = state.accounts();
        final int slot = accounts.find(new UnsafeBuffer(sender.address()), 0);
        accounts.nonce(slot, Long.MAX_VALUE - 1);
        final long balance = accounts.balance(slot);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final BlockReceipts receipts = new BlockReceipts(3);

        executor.execute(state, 1, block(List.of(
            TestChains.transfer(builder, sender, Long.MAX_VALUE - 1, TestChains.FEE, to, 1),
            TestChains.transfer(builder, sender, Long.MAX_VALUE, TestChains.FEE, to, 1),
            TestChains.transfer(builder, sender, Long.MIN_VALUE, TestChains.FEE, to, 1))), receipts);
        executor.commit(state);

        assertEquals(ReceiptStatus.OK.value(), receipts.status(0), "the last nonce below the largest is used");
        assertEquals(ReceiptStatus.BAD_NONCE.value(), receipts.status(1), "the largest nonce is never taken");
        assertEquals(0, receipts.feeCharged(1));
        assertEquals(ReceiptStatus.BAD_NONCE.value(), receipts.status(2), "nor a wrapped one");
        assertEquals(0, receipts.feeCharged(2));
        assertEquals(Long.MAX_VALUE, accounts.nonce(slot));
        assertEquals(balance - TestChains.FEE - 1, accounts.balance(slot));
        assertEquals(TestChains.FEE, state.feePoolMicroCmt());
    }
}
