package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Randomised blocks for differential tests: transfers between genesis accounts, to and from addresses that are not
 * accounts yet, self-transfers, amounts beyond the balance, bad nonces, low fees, expiry, and frames that fail the
 * stateless checks; contention from all-distinct to all-one-account. Frames carry a zero signature: executors run
 * after verification and never read it. Keys are 32 pseudo-random bytes (only their SHA-256, the address, matters).
 */
final class RandomBlocks
{
    static final int CHAIN_ID = 1001;
    static final long MIN_FEE = 100;
    static final int GENESIS_ACCOUNTS = 64;
    static final int OUTSIDERS = 24;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int FRAME_SPACE = TransactionDescriptor.MAX_LENGTH + 64;

    private final SplittableRandom random;
    private final byte[][] keys = new byte[GENESIS_ACCOUNTS + OUTSIDERS][];
    private final byte[][] addresses = new byte[GENESIS_ACCOUNTS + OUTSIDERS][];
    private final long[] nonces = new long[GENESIS_ACCOUNTS + OUTSIDERS];
    private final byte[] noHash = new byte[32];
    private UnsafeBuffer frames = new UnsafeBuffer(new byte[FRAME_SPACE * 64]);

    RandomBlocks(final long seed)
    {
        random = new SplittableRandom(seed);
        final Sha256 sha = new Sha256();
        for (int i = 0; i < keys.length; i++)
        {
            sha.update("differential".getBytes(StandardCharsets.US_ASCII)).updateLong(seed).updateLong(i);
            keys[i] = sha.digest();
            addresses[i] = Addresses.of(keys[i]);
        }
    }

    /** @return a genesis of {@link #GENESIS_ACCOUNTS} accounts with varied balances, some too poor to pay. */
    Genesis genesis()
    {
        final StringBuilder json = new StringBuilder()
            .append("{\"chainId\":").append(CHAIN_ID)
            .append(",\"stateTreeDepth\":").append(1 + random.nextInt(3))
            .append(",\"fees\":{\"minimumMicroCmt\":").append(MIN_FEE).append("}")
            .append(",\"accounts\":[");
        for (int i = 0; i < GENESIS_ACCOUNTS; i++)
        {
            final long balance = random.nextInt(4) == 0 ? random.nextInt(300) : 1_000_000 + random.nextInt(100_000_000);
            json.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(keys[i]))
                .append("\",\"balanceMicroCmt\":").append(balance).append("}");
        }
        json.append("],\"validators\":[{\"name\":\"v\",\"publicKey\":\"").append(Hex.encode(keys[0])).append("\"}]}");
        java.util.Arrays.fill(nonces, 0);
        return Genesis.parse(json.toString());
    }

    /**
     * Take each known key's next nonce from the state, so most transactions of the next block are in sequence.
     *
     * @param state after the last block.
     */
    void syncNonces(final ChainState state)
    {
        final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        for (int i = 0; i < keys.length; i++)
        {
            address.putBytes(0, addresses[i]);
            final int slot = state.accounts().find(address, 0);
            nonces[i] = slot == AccountStore.MISSING ? 0 : state.accounts().nonce(slot);
        }
    }

    /**
     * @param height of the block (for expiry).
     * @param count  transactions.
     * @param txs    receives them.
     */
    void block(final long height, final int count, final BlockTransactions txs)
    {
        txs.reset();
        if (frames.capacity() < count * FRAME_SPACE)
        {
            frames = new UnsafeBuffer(new byte[count * FRAME_SPACE]);
        }
        // Contention: how many parties this block draws from, from one account to every key we know.
        final int[] spans = {1, 2, 3, 8, 24, keys.length};
        final int span = spans[random.nextInt(spans.length)];
        final int first = random.nextInt(keys.length - span + 1);
        for (int i = 0; i < count; i++)
        {
            final int offset = i * FRAME_SPACE;
            final int length = randomTransaction(height, first, span, offset);
            txs.add(frames, offset, length, noHash, 0);
        }
    }

    private int randomTransaction(final long height, final int first, final int span, final int offset)
    {
        final int from = pick(first, span);
        final int to = random.nextInt(8) == 0 ? from : pick(first, span);
        long nonce = nonces[from];
        final int kind = random.nextInt(100);
        if (kind < 8)
        {
            nonce += random.nextBoolean() ? 1 : -1;
        }
        else
        {
            nonces[from]++;
        }
        long fee = MIN_FEE + (random.nextInt(4) == 0 ? random.nextInt(1000) : 0);
        if (kind >= 8 && kind < 12)
        {
            fee = random.nextInt((int)MIN_FEE);
        }
        long expiry = random.nextInt(5) == 0 ? height + random.nextInt(3) - 1 : 0;
        if (expiry < 0)
        {
            expiry = 0;
        }
        long amount = 1 + random.nextInt(random.nextInt(10) == 0 ? 200_000_000 : 500_000);
        if (kind >= 12 && kind < 15)
        {
            amount = Long.MAX_VALUE - random.nextInt(1000);
        }
        int length = encode(offset, keys[from], nonce, fee, expiry, TxTypes.TRANSFER, addresses[to], amount);
        if (kind >= 15 && kind < 22)
        {
            length = corrupt(offset, length, kind - 15);
        }
        return length;
    }

    /** Break a frame the way a bad client might, so that a stateless check rejects it. */
    private int corrupt(final int offset, final int length, final int how)
    {
        switch (how)
        {
            case 0:
                frames.putInt(offset + TransactionDescriptor.CHAIN_ID_OFFSET, CHAIN_ID + 1, LE);
                return length;
            case 1:
                frames.putLong(
                    offset + TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_AMOUNT_OFFSET,
                    -random.nextInt(5), LE);
                return length;
            case 2:
                frames.putByte(offset + TransactionDescriptor.TYPE_OFFSET, (byte)(2 + random.nextInt(200)));
                return length;
            case 3:
                // A consistent frame whose body is one byte too long for a TRANSFER.
                frames.putShort(offset + TransactionDescriptor.BODY_LENGTH_OFFSET,
                    (short)(TransactionDescriptor.TRANSFER_BODY_LENGTH + 1), LE);
                frames.putByte(offset + length, (byte)0);
                return length + 1;
            case 4:
                frames.putShort(offset + 2, (short)99, LE);
                return length;
            case 5:
                frames.putLong(offset + TransactionDescriptor.FEE_OFFSET, -1, LE);
                return length;
            default:
                return TransactionDescriptor.MIN_LENGTH - 1;
        }
    }

    private int pick(final int first, final int span)
    {
        return first + random.nextInt(span);
    }

    private int encode(
        final int offset,
        final byte[] publicKey,
        final long nonce,
        final long fee,
        final long expiry,
        final int type,
        final byte[] recipient,
        final long amount)
    {
        return TestFrames.transfer(frames, offset, CHAIN_ID, publicKey, nonce, fee, expiry, type, recipient, amount);
    }
}
