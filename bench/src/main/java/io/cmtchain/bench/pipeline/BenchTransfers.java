package io.cmtchain.bench.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.pipeline.DevnetGenesis;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * An endless stream of valid transfers among devnet accounts, for pipelines with signature checks off: each sender's
 * frame is signed once and its nonce rewritten after (so the signature no longer holds, and no check looks). The
 * chain is the devnet without DPoS by default: the ArrayBlockingQueue baseline does not sign block headers, so for the
 * comparison neither side does; the devnet with DPoS (the node's default chain) is for measuring what it costs.
 */
final class BenchTransfers
{
    static final long FEE = 100;

    final Genesis genesis;
    private final int senders;
    private final UnsafeBuffer[] templates;
    private final int length;
    private long next;

    BenchTransfers(final int senders)
    {
        this(senders, false);
    }

    /**
     * @param senders devnet accounts that send, each to the next.
     * @param dpos    true for the devnet with DPoS (signed headers and commits, stake-weighted proposers).
     */
    BenchTransfers(final int senders, final boolean dpos)
    {
        this.senders = senders;
        genesis = Genesis.parse(
            dpos ? DevnetGenesis.jsonWithAccounts(senders) : DevnetGenesis.jsonWithoutDpos(senders));
        templates = new UnsafeBuffer[senders];
        final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
        int frameLength = 0;
        for (int i = 0; i < senders; i++)
        {
            templates[i] = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
            frameLength = builder.transfer(Genesis.devnetAccountKey(i), 0, FEE, 0,
                Genesis.devnetAccountKey((i + 1) % senders).address(), 1, templates[i], 0);
        }
        length = frameLength;
    }

    int length()
    {
        return length;
    }

    /** @return the next transfer's frame (valid until the same sender comes round again). */
    UnsafeBuffer next()
    {
        final long i = next++;
        final UnsafeBuffer frame = templates[(int)(i % senders)];
        frame.putLong(TransactionDescriptor.NONCE_OFFSET, i / senders, ByteOrder.LITTLE_ENDIAN);
        return frame;
    }
}
