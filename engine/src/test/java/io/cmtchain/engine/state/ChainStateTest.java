package io.cmtchain.engine.state;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChainState}: how the state root is put together from its parts (accounts root, fee pool, DPoS digest,
 * contracts digest, in that order), the fee pool as a per-block delta, the supply count, and the fee schedule's rules.
 * The parts are recomputed here with the JDK's SHA-256 from the layout the class javadoc states.
 */
class ChainStateTest
{
    private static byte[] sha256(final byte[]... parts) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (final byte[] p : parts)
        {
            sha.update(p);
        }
        return sha.digest();
    }

    private static byte[] le(final long v)
    {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] accountsRoot(final ChainState state)
    {
        final byte[] root = new byte[32];
        state.commitment().root(root, 0);
        return root;
    }

    @Test
    void shouldHashTheFeePoolLittleEndianAfterTheAccountsRoot() throws Exception
    {
        final ChainState state = new ChainState(1, 1, 16, new FeeSchedule(0), 1);
        final int slot = state.accounts().findOrCreate(new UnsafeBuffer(new byte[20]), 0);
        state.accounts().balance(slot, 5);
        state.feePoolMicroCmt(0x0102_0304_0506_0708L);
        state.endBlock();
        final byte[] expected = sha256("CMTCHAIN/STATE/V1".getBytes(StandardCharsets.US_ASCII), accountsRoot(state),
            sha256(le(0x0102_0304_0506_0708L)));
        assertArrayEquals(expected, state.stateRoot());
        final byte[] out = new byte[40];
        state.stateRoot(out, 8);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 8, 40));
        // The root of the accounts is that of the one account: depth 1, bucket 0, node over 16 children.
        assertFalse(Arrays.equals(new byte[32], accountsRoot(state)));
    }

    @Test
    void shouldAppendTheDposThenTheContractsDigest() throws Exception
    {
        final ChainState state = Genesis.parse("{\"chainId\":5,\"stateTreeDepth\":1,\"devnet\":{\"validators\":1," +
            "\"accounts\":2,\"balanceMicroCmt\":10,\"validatorStakesMicroCmt\":[3000000000]}," +
            "\"dpos\":{\"validatorCapPpm\":1000000},\"contracts\":{}}").createState(1);
        assertNotNull(state.dpos());
        assertNotNull(state.contracts());
        final byte[] dpos = new byte[32];
        state.dpos().digest(dpos, 0);
        final byte[] contracts = new byte[32];
        state.contracts().digest(contracts, 0);
        assertFalse(Arrays.equals(dpos, contracts));
        final byte[] expected = sha256("CMTCHAIN/STATE/V1".getBytes(StandardCharsets.US_ASCII), accountsRoot(state),
            sha256(le(0)), dpos, contracts);
        assertArrayEquals(expected, state.stateRoot());
        // Supply: 2 x 10 in accounts and the stake DPoS holds.
        assertEquals(3_000_000_020L, state.totalSupplyMicroCmt());
    }

    @Test
    void shouldFoldTheBlocksFeesIntoThePoolOnceAtBlockEnd()
    {
        final ChainState state = new ChainState(1, 1, 16, new FeeSchedule(0), 1);
        state.feePoolMicroCmt(1_000);
        state.addFeeDelta(30);
        state.addFeeDelta(12);
        assertEquals(42, state.feeDeltaMicroCmt());
        assertEquals(1_000, state.feePoolMicroCmt());
        // Fees collected but not folded are part of the supply already.
        assertEquals(1_042, state.totalSupplyMicroCmt());
        final byte[] before = state.stateRoot();
        state.endBlock();
        assertEquals(1_042, state.feePoolMicroCmt());
        assertEquals(0, state.feeDeltaMicroCmt());
        assertEquals(1_042, state.totalSupplyMicroCmt());
        assertFalse(Arrays.equals(before, state.stateRoot()));
        state.endBlock();
        assertEquals(1_042, state.feePoolMicroCmt());
        state.addFeeDelta(Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> state.addFeeDelta(1));
        assertThrows(ArithmeticException.class, state::foldDeltas);
    }

    @Test
    void shouldKeepTheRootUntilTheNextBlockEnd()
    {
        final ChainState state = new ChainState(1, 2, 16, new FeeSchedule(0), 1);
        final UnsafeBuffer address = new UnsafeBuffer(new byte[20]);
        final int slot = state.accounts().findOrCreate(address, 0);
        state.accounts().balance(slot, 7);
        state.endBlock();
        final byte[] root = state.stateRoot();
        state.accounts().nonce(slot, 1);
        assertArrayEquals(root, state.stateRoot(), "the root is as of the last endBlock");
        state.endBlock();
        assertFalse(Arrays.equals(root, state.stateRoot()));
        state.accounts().nonce(slot, 0);
        state.endBlock();
        assertArrayEquals(root, state.stateRoot(), "the root is a function of the records");
    }

    @Test
    void shouldHoldEachTypesFeeAtOrAboveTheDefault()
    {
        final FeeSchedule fees = new FeeSchedule(100);
        assertEquals(100, fees.defaultMinFeeMicroCmt());
        for (int type = 0; type <= TxTypes.MAX_CODE; type++)
        {
            assertEquals(100, fees.minFee(type));
        }
        assertSame(fees, fees.minFee(TxTypes.TRANSFER, 100));
        fees.minFee(18, 250);
        assertEquals(250, fees.minFee(18));
        assertEquals(250, fees.minFee(18 + 256), "a type is a byte");
        assertEquals(100, fees.minFee(17));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> fees.minFee(TxTypes.TRANSFER, 99));
        assertEquals("fee for TRANSFER (99) is below the minimum fee 100", ex.getMessage());
        assertEquals(0, new FeeSchedule(0).minFee(5));
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule(-1));
    }
}
