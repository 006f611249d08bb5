package io.cmtchain.executor;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/** Unsigned transaction frames for executor tests: executors run after verification and never read signatures. */
final class TestFrames
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private TestFrames()
    {
    }

    static int transfer(
        final UnsafeBuffer frames,
        final int offset,
        final int chainId,
        final byte[] publicKey,
        final long nonce,
        final long fee,
        final long expiry,
        final int type,
        final byte[] recipient,
        final long amount)
    {
        final int length = TransactionBuilder.encodeUnsignedTransfer(frames, offset, chainId, publicKey, nonce, fee,
            expiry, recipient, amount);
        // Tests put other type codes on a transfer body to reach the stateless checks.
        frames.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)type);
        return length;
    }

    /**
     * A genesis whose accounts are the given public keys with the given balances; the first key is the one validator.
     *
     * @param chainId            of the chain.
     * @param minimumFeeMicroCmt the fee schedule's minimum.
     * @param keys               the accounts' public keys.
     * @param balance            an account's balance in µCMT, by its index in {@code keys}.
     * @return the parsed genesis.
     */
    static Genesis genesis(
        final int chainId, final long minimumFeeMicroCmt, final byte[][] keys, final IntToLongFunction balance)
    {
        return genesis(chainId, minimumFeeMicroCmt, keys.length, i -> keys[i], balance);
    }

    /**
     * As {@link #genesis(int, long, byte[][], IntToLongFunction)}, with the keys of accounts 0 to {@code accounts - 1}
     * given by {@code key}.
     *
     * @param chainId            of the chain.
     * @param minimumFeeMicroCmt the fee schedule's minimum.
     * @param accounts           how many.
     * @param key                an account's public key, by its index.
     * @param balance            an account's balance in µCMT, by its index.
     * @return the parsed genesis.
     */
    static Genesis genesis(
        final int chainId,
        final long minimumFeeMicroCmt,
        final int accounts,
        final IntFunction<byte[]> key,
        final IntToLongFunction balance)
    {
        final StringBuilder json = new StringBuilder();
        for (int i = 0; i < accounts; i++)
        {
            json.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(key.apply(i)))
                .append("\",\"balanceMicroCmt\":").append(balance.applyAsLong(i)).append('}');
        }
        return Genesis.parse("{\"chainId\":" + chainId + ",\"fees\":{\"minimumMicroCmt\":" + minimumFeeMicroCmt +
            "},\"accounts\":[" + json + "],\"validators\":[{\"publicKey\":\"" + Hex.encode(key.apply(0)) + "\"}]}");
    }

    /**
     * @param i account number, below 2^16.
     * @return a public key made from it (not a point on the curve: the executor never verifies signatures).
     */
    static byte[] key(final int i)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)i;
        k[31] = (byte)(i >> 8);
        k[5] = 0x42;
        return k;
    }
}
