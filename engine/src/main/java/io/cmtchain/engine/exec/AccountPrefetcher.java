package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Prepares a window of a block's next transactions before they run in order: derives their senders' addresses (kept,
 * so {@link #sender} does not derive them again) and loads the table entries and rows of their senders and
 * recipients in loops of independent loads, so that the window's cache misses overlap instead of stalling each
 * transaction in turn. It only reads; the rules see the same state either way. Used by every in-order loop over an
 * {@link AccountStore} (the reference executor's ledger, the parallel executor's in-order path). One per thread.
 */
public final class AccountPrefetcher
{
    /** Transactions prepared at a time: enough misses in flight to cover memory latency, few enough to stay cached. */
    public static final int WINDOW = 16;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final TransactionFlyweight ahead = new TransactionFlyweight();
    private final byte[] windowSenders = new byte[WINDOW * Addresses.LENGTH];
    private final UnsafeBuffer windowSendersBuffer = new UnsafeBuffer(windowSenders);
    private final DirectBuffer[] windowBuffers = new DirectBuffer[WINDOW];
    private final int[] windowOffsets = new int[WINDOW];
    private final int[] windowPositions = new int[2 * WINDOW];
    private int windowCount;
    private int windowNext;
    private final Addresses addresses = new Addresses();
    private final byte[] senderAddress = new byte[Addresses.LENGTH];
    private final UnsafeBuffer senderAddressBuffer = new UnsafeBuffer(senderAddress);
    private AccountStore accounts;

    /**
     * @param accounts the store looked up from now on; a new store drops any prepared window.
     * @return this.
     */
    public AccountPrefetcher bind(final AccountStore accounts)
    {
        if (this.accounts != accounts)
        {
            this.accounts = accounts;
            forget();
        }
        return this;
    }

    /**
     * Prepare transactions {@code from} to {@code to} (at most {@link #WINDOW}) of a block, which are executed next,
     * in order.
     *
     * @param txs     of the block.
     * @param from    first transaction.
     * @param to      one past the last.
     * @param chainId of the chain, for the stateless check that guards reading a frame's fields.
     */
    public void prepare(final BlockTransactions txs, final int from, final int to, final int chainId)
    {
        int count = 0;
        int positions = 0;
        for (int i = from; i < to; i++)
        {
            final TransactionFlyweight tx = ahead.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
            if (tx.check(chainId) != ReceiptStatus.OK.value())
            {
                continue;
            }
            final int at = count * Addresses.LENGTH;
            addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), windowSenders, at);
            windowBuffers[count] = tx.buffer();
            windowOffsets[count] = tx.offset();
            count++;
            windowPositions[positions++] = accounts.prefetchEntry(
                windowSendersBuffer.getLong(at, BE), windowSendersBuffer.getLong(at + 8, BE),
                windowSendersBuffer.getInt(at + 16, BE));
            if (tx.type() == TxTypes.TRANSFER)
            {
                final DirectBuffer buffer = tx.buffer();
                final int r = tx.transferRecipientOffset();
                windowPositions[positions++] = accounts.prefetchEntry(
                    buffer.getLong(r, BE), buffer.getLong(r + 8, BE), buffer.getInt(r + 16, BE));
            }
        }
        for (int p = 0; p < positions; p++)
        {
            accounts.prefetchRow(windowPositions[p]);
        }
        windowCount = count;
        windowNext = 0;
    }

    /** Drop the prepared window, at the end of a block: its frames' bytes may be reused after it. */
    public void forget()
    {
        windowCount = 0;
        windowNext = 0;
        Arrays.fill(windowBuffers, null);
    }

    /**
     * @param tx a transaction of the block, in order.
     * @return the sender's slot, or a negative value when it has no account; from the prepared window's address when
     * the transaction is in it, else derived here.
     */
    public int sender(final TransactionFlyweight tx)
    {
        // A transaction rejected before its sender is read (expired, fee too low) leaves its entry unused: look on.
        for (int k = windowNext, n = windowCount; k < n; k++)
        {
            if (windowBuffers[k] == tx.buffer() && windowOffsets[k] == tx.offset())
            {
                // Derived by prepare from these very bytes, which do not change while the block executes.
                windowNext = k + 1;
                return accounts.find(windowSendersBuffer, k * Addresses.LENGTH);
            }
        }
        addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), senderAddress, 0);
        return accounts.find(senderAddressBuffer, 0);
    }
}
