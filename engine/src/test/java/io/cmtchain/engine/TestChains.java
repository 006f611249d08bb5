package io.cmtchain.engine;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Helpers shared by the engine's tests: a small devnet, signed frames, one-block runs.
 */
public final class TestChains
{
    public static final int CHAIN_ID = 1001;
    public static final long FEE = 100;
    public static final long BALANCE = 1_000_000_000L;

    private TestChains()
    {
    }

    public static Genesis devnet(final int accounts)
    {
        return Genesis.parse("{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":3," +
            "\"fees\":{\"minimumMicroCmt\":" + FEE + "}," +
            "\"devnet\":{\"accounts\":" + accounts + ",\"balanceMicroCmt\":" + BALANCE + ",\"validators\":1}}");
    }

    public static byte[] transfer(
        final TransactionBuilder builder, final Ed25519Key key, final long nonce, final long fee, final byte[] to,
        final long amount)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.transfer(key, nonce, fee, 0, to, amount, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /** Runs frames as one block; returns the receipts. */
    public static BlockReceipts runBlock(final Chain chain, final List<byte[]> frames)
    {
        final BlockTransactions txs = new BlockTransactions(frames.size());
        final Sha256 sha = new Sha256();
        final List<UnsafeBuffer> keep = new ArrayList<>();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            keep.add(b);
            txs.add(b, 0, frame.length, sha);
        }
        final BlockReceipts receipts = new BlockReceipts(frames.size());
        chain.apply(1000L * (chain.height() + 1), new byte[20], txs, new ReferenceExecutor(), receipts,
            new BlockHeader());
        return receipts;
    }

    public static Chain chain(final ChainState state)
    {
        return new Chain(state, 0, new byte[32]);
    }
}
