package io.cmtchain.engine;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.cmtchain.engine.TestChains.BALANCE;
import static io.cmtchain.engine.TestChains.FEE;
import static org.junit.jupiter.api.Assertions.*;

class LedgerRulesTest
{
    private final TransactionBuilder builder = new TransactionBuilder(TestChains.CHAIN_ID);
    private final Ed25519Key alice = Genesis.devnetAccountKey(0);
    private final Ed25519Key bob = Genesis.devnetAccountKey(1);
    private final byte[] carol = Addresses.of(Ed25519Key.devnet("carol", 0).publicKey());
    private ChainState state;
    private Chain chain;

    @BeforeEach
    void setUp()
    {
        state = TestChains.devnet(2).createState(7);
        chain = TestChains.chain(state);
    }

    private long balance(final byte[] address)
    {
        final int slot = state.accounts().find(new UnsafeBuffer(address), 0);
        return slot == AccountStore.MISSING ? -1 : state.accounts().balance(slot);
    }

    private long nonce(final byte[] address)
    {
        return state.accounts().nonce(state.accounts().find(new UnsafeBuffer(address), 0));
    }

    private void assertReceipt(final BlockReceipts r, final int i, final ReceiptStatus status, final long fee)
    {
        assertEquals(status, ReceiptStatus.get((short)r.status(i)), "status of tx " + i);
        assertEquals(fee, r.feeCharged(i), "fee of tx " + i);
    }

    @Test
    void shouldTransferAndChargeFee()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE, bob.address(), 1_000)));
        assertReceipt(r, 0, ReceiptStatus.OK, FEE);
        assertEquals(BALANCE - 1_000 - FEE, balance(alice.address()));
        assertEquals(BALANCE + 1_000, balance(bob.address()));
        assertEquals(1, nonce(alice.address()));
        assertEquals(FEE, state.feePoolMicroCmt());
        assertEquals(2 * BALANCE, state.totalSupplyMicroCmt());
    }

    @Test
    void shouldCreateRecipientAccount()
    {
        assertEquals(-1, balance(carol));
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE, carol, 5)));
        assertReceipt(r, 0, ReceiptStatus.OK, FEE);
        assertEquals(5, balance(carol));
        assertEquals(3, state.accounts().size());
    }

    @Test
    void shouldApplyNoncesInBlockOrder()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE, carol, 1),
            TestChains.transfer(builder, alice, 2, FEE, carol, 1),
            TestChains.transfer(builder, alice, 1, FEE, carol, 1),
            TestChains.transfer(builder, alice, 1, FEE, carol, 1)));
        assertReceipt(r, 0, ReceiptStatus.OK, FEE);
        assertReceipt(r, 1, ReceiptStatus.BAD_NONCE, 0);
        assertReceipt(r, 2, ReceiptStatus.OK, FEE);
        assertReceipt(r, 3, ReceiptStatus.BAD_NONCE, 0);
        assertEquals(2, nonce(alice.address()));
        assertEquals(2, balance(carol));
    }

    @Test
    void shouldRejectFeeTooLowWithoutCharging()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE - 1, bob.address(), 1)));
        assertReceipt(r, 0, ReceiptStatus.FEE_TOO_LOW, 0);
        assertEquals(BALANCE, balance(alice.address()));
        assertEquals(0, nonce(alice.address()));
    }

    @Test
    void shouldRejectUnknownSenderAsInsufficientFunds()
    {
        final Ed25519Key nobody = Ed25519Key.devnet("nobody", 0);
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, nobody, 0, FEE, bob.address(), 1)));
        assertReceipt(r, 0, ReceiptStatus.INSUFFICIENT_FUNDS, 0);
        assertEquals(2, state.accounts().size());
    }

    @Test
    void shouldChargeFeeWhenAmountExceedsBalance()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE, carol, BALANCE)));
        assertReceipt(r, 0, ReceiptStatus.INSUFFICIENT_FUNDS, FEE);
        assertEquals(BALANCE - FEE, balance(alice.address()));
        assertEquals(1, nonce(alice.address()));
        assertEquals(-1, balance(carol), "a failed transfer creates no account");
        assertEquals(FEE, state.feePoolMicroCmt());
    }

    @Test
    void shouldNotChargeWhenBalanceBelowFee()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, BALANCE + 1, carol, 1)));
        assertReceipt(r, 0, ReceiptStatus.INSUFFICIENT_FUNDS, 0);
        assertEquals(BALANCE, balance(alice.address()));
        assertEquals(0, nonce(alice.address()));
    }

    @Test
    void shouldRejectExpired()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.transfer(alice, 0, FEE, 1, carol, 1, buffer, 0);
        final byte[] valid = new byte[length];
        buffer.getBytes(0, valid);
        assertReceipt(TestChains.runBlock(chain, List.of(valid)), 0, ReceiptStatus.OK, FEE);
        final int length2 = builder.transfer(alice, 1, FEE, 1, carol, 1, buffer, 0);
        final byte[] expired = new byte[length2];
        buffer.getBytes(0, expired);
        assertReceipt(TestChains.runBlock(chain, List.of(expired)), 0, ReceiptStatus.EXPIRED, 0);
        assertEquals(1, nonce(alice.address()));
    }

    @Test
    void shouldRecheckStatelessRulesInExecution()
    {
        final byte[] wrongChain = TestChains.transfer(new TransactionBuilder(5), alice, 0, FEE, carol, 1);
        final byte[] truncated = java.util.Arrays.copyOf(
            TestChains.transfer(builder, alice, 0, FEE, carol, 1), TransactionDescriptor.BODY_OFFSET + 3);
        final BlockReceipts r = TestChains.runBlock(chain, List.of(wrongChain, truncated));
        assertReceipt(r, 0, ReceiptStatus.WRONG_CHAIN, 0);
        assertReceipt(r, 1, ReceiptStatus.MALFORMED, 0);
        assertEquals(BALANCE, balance(alice.address()));
    }

    @Test
    void shouldAllowSelfTransferPayingOnlyFee()
    {
        final BlockReceipts r = TestChains.runBlock(chain, List.of(
            TestChains.transfer(builder, alice, 0, FEE, alice.address(), 500)));
        assertReceipt(r, 0, ReceiptStatus.OK, FEE);
        assertEquals(BALANCE - FEE, balance(alice.address()));
    }

    @Test
    void shouldRejectRecipientOverflowAfterCharging()
    {
        final ChainState s = new ChainState(TestChains.CHAIN_ID, 2, 16, new FeeSchedule(FEE), 1);
        final int a = s.accounts().findOrCreate(new UnsafeBuffer(alice.address()), 0);
        s.accounts().balance(a, 1_000);
        final int c = s.accounts().findOrCreate(new UnsafeBuffer(carol), 0);
        s.accounts().balance(c, Long.MAX_VALUE - 10);
        s.endBlock();
        final BlockReceipts r = TestChains.runBlock(TestChains.chain(s), List.of(
            TestChains.transfer(builder, alice, 0, FEE, carol, 11)));
        assertReceipt(r, 0, ReceiptStatus.OVERFLOW, FEE);
        assertEquals(1_000 - FEE, s.accounts().balance(a));
        assertEquals(Long.MAX_VALUE - 10, s.accounts().balance(c));
        // Up to exactly Long.MAX_VALUE is no overflow.
        assertReceipt(TestChains.runBlock(TestChains.chain(s), List.of(
            TestChains.transfer(builder, alice, 1, FEE, carol, 10))), 0, ReceiptStatus.OK, FEE);
        assertEquals(1_000 - 2 * FEE - 10, s.accounts().balance(a));
        assertEquals(Long.MAX_VALUE, s.accounts().balance(c));
    }

    @Test
    void shouldConserveSupplyOverManyTransfers()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        final long[] nonces = new long[2];
        final Ed25519Key[] keys = {alice, bob};
        for (int block = 0; block < 5; block++)
        {
            final java.util.List<byte[]> frames = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                final int k = random.nextInt(2);
                final byte[] to = random.nextBoolean() ? keys[1 - k].address() :
                    Addresses.of(Ed25519Key.devnet("r", random.nextInt(10)).publicKey());
                frames.add(TestChains.transfer(builder, keys[k], nonces[k]++, FEE + random.nextInt(5), to,
                    1 + random.nextInt(1_000_000)));
            }
            final BlockReceipts r = TestChains.runBlock(chain, frames);
            // Conservation over blocks that moved nothing would hold whatever the rules: every transfer must pass.
            for (int i = 0; i < frames.size(); i++)
            {
                assertEquals(ReceiptStatus.OK.value(), r.status(i), "block " + block + " tx " + i);
            }
            assertEquals(2 * BALANCE, state.totalSupplyMicroCmt());
        }
        assertTrue(state.feePoolMicroCmt() >= 200 * FEE);
    }
}
