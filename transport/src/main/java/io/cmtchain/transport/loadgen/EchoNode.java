package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.NodeTransport;
import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import io.cmtchain.transport.TransportContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * A node with the transport only: every transaction is answered at once with a receipt carrying its stateless check
 * ({@link TransactionFlyweight#check(int)}), no signature check, no execution. Measures the transport alone:
 * {@code loadgen -> ingress -> echo sink -> egress -> loadgen}.
 * <pre>
 *   java -cp ... -Dcmt.transport.chain.id=1001 io.cmtchain.transport.loadgen.EchoNode
 * </pre>
 * Configuration is the {@link TransportContext} system properties ({@code cmt.transport.*}).
 */
public final class EchoNode
{
    private EchoNode()
    {
    }

    /**
     * @param args none; configure with system properties.
     */
    public static void main(final String[] args)
    {
        final TransportContext ctx = new TransportContext();
        final EchoSink sink = new EchoSink(ctx.chainId());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            NodeTransport transport = NodeTransport.launch(ctx, sink, null))
        {
            sink.receiptSink(transport.receiptSink());
            transport.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
            System.out.println("echo node: chain " + ctx.chainId() + ", ingress " + ctx.ingressChannel() +
                " stream " + ctx.ingressStreamId() + (ctx.ipcIngress() ? " and aeron:ipc" : "") + ", aeron dir " +
                ctx.aeronDirectoryName());
            barrier.await();
            System.out.println("echo node: " + sink.count() + " transactions, " + transport.counters());
        }
    }

    /**
     * Answers each transaction at once through a {@link ReceiptSink}; BACK_PRESSURED when the receipt sink is full.
     * Heights advance every {@code blockSize} transactions, to look like blocks.
     */
    public static final class EchoSink implements TransactionSink
    {
        private final int chainId;
        private final TransactionFlyweight flyweight = new TransactionFlyweight();
        private final Sha256 sha = new Sha256();
        private final byte[] hash = new byte[Sha256.DIGEST_LENGTH];
        private volatile ReceiptSink receiptSink;
        private long count;

        /**
         * @param chainId expected by the stateless check.
         */
        public EchoSink(final int chainId)
        {
            this.chainId = chainId;
        }

        /**
         * @param receiptSink where receipts go (the transport's, once launched).
         * @return this.
         */
        public EchoSink receiptSink(final ReceiptSink receiptSink)
        {
            this.receiptSink = receiptSink;
            return this;
        }

        /** @return transactions answered. */
        public long count()
        {
            return count;
        }

        @Override
        public int onTransaction(final DirectBuffer buffer, final int offset, final int length, final long clientId)
        {
            final ReceiptSink receipts = receiptSink;
            if (null == receipts)
            {
                return BACK_PRESSURED;
            }
            flyweight.wrap(buffer, offset, length);
            final int status = flyweight.check(chainId);
            TxHash.compute(sha, buffer, offset, length, hash, 0);
            final long fee = ReceiptStatus.OK.value() == status ? flyweight.feeMicroCmt() : 0;
            if (!receipts.offerReceipt(clientId, hash, 0, status, 1 + (count >> 12), fee))
            {
                return BACK_PRESSURED;
            }
            count++;
            return ACCEPTED;
        }
    }
}
