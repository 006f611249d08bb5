package io.cmtchain.pipeline;

import io.cmtchain.transport.ReceiptSink;
import io.cmtchain.transport.TransactionSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A client in the node's process, for tests and the demo: submits frames through the node's {@link TransactionSink},
 * offering again with an idle strategy while the ring is full, and passes every receipt to a listener.
 * <p>
 * {@link #submit} may be called from several threads (each with its own idle strategy); receipts arrive on the node's
 * receipts thread.
 */
public final class InProcessClient implements ReceiptSink
{
    private final ReceiptSink listener;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong receipts = new AtomicLong();
    private volatile Node node;

    /**
     * @param listener receives every receipt, on the node's receipts thread.
     */
    public InProcessClient(final ReceiptSink listener)
    {
        this.listener = listener;
    }

    /**
     * Start a node that sends its receipts to this client.
     *
     * @param ctx of the node; its receipt sink is replaced by this client.
     * @return the running node, which the caller closes.
     */
    public Node launch(final NodeContext ctx)
    {
        final Node launched = Node.launch(ctx.receiptSink(this));
        node = launched;
        return launched;
    }

    /**
     * Submit a frame, offering again while the node answers BACK_PRESSURED.
     *
     * @param buffer       holding the frame.
     * @param offset       of the frame.
     * @param length       of the frame.
     * @param clientId     returned on the receipt.
     * @param idleStrategy to wait with between offers; one per calling thread.
     * @return true when accepted (a receipt will follow), false when the node stopped accepting first.
     */
    public boolean submit(
        final DirectBuffer buffer, final int offset, final int length, final long clientId,
        final IdleStrategy idleStrategy)
    {
        final Node target = node;
        final TransactionSink sink = target.ingress();
        idleStrategy.reset();
        while (sink.onTransaction(buffer, offset, length, clientId) != TransactionSink.ACCEPTED)
        {
            if (!target.isAccepting())
            {
                return false;
            }
            idleStrategy.idle();
        }
        submitted.getAndIncrement();
        return true;
    }

    /**
     * Offer a frame once.
     *
     * @param buffer   holding the frame.
     * @param offset   of the frame.
     * @param length   of the frame.
     * @param clientId returned on the receipt.
     * @return {@link TransactionSink#ACCEPTED} or {@link TransactionSink#BACK_PRESSURED}.
     */
    public int offer(final DirectBuffer buffer, final int offset, final int length, final long clientId)
    {
        final int result = node.ingress().onTransaction(buffer, offset, length, clientId);
        if (result == TransactionSink.ACCEPTED)
        {
            submitted.getAndIncrement();
        }
        return result;
    }

    @Override
    public void onReceipt(
        final long clientId, final byte[] txHash, final int hashOffset, final int status, final long blockHeight,
        final long feeCharged)
    {
        listener.onReceipt(clientId, txHash, hashOffset, status, blockHeight, feeCharged);
        receipts.lazySet(receipts.get() + 1);
    }

    /** @return frames accepted so far. */
    public long submitted()
    {
        return submitted.get();
    }

    /** @return receipts received so far. */
    public long receipts()
    {
        return receipts.get();
    }
}
