package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.transport.ReceiptSink;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Account queries on their way from ingress to the execution stage, which owns the state and answers them between
 * blocks, so an answer is the state after the last executed block.
 */
final class AccountQueries extends QueryRing
{
    /** Most queries answered per duty cycle, so that blocks are not held up by a burst. */
    static final int LIMIT = 64;

    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(key);
    private Chain chain;
    private ReceiptSink sink;

    AccountQueries()
    {
        super(Addresses.LENGTH, LIMIT);
    }

    /**
     * The execution stage's side: answer up to {@link #LIMIT} queries from the chain's state.
     *
     * @param chain after its last executed block, not in the middle of one.
     * @param sink  where answers go (the transport's egress).
     * @return queries answered.
     */
    int answer(final Chain chain, final ReceiptSink sink)
    {
        this.chain = chain;
        this.sink = sink;
        return drain();
    }

    @Override
    protected boolean answer(final long clientId, final long correlationId)
    {
        final AccountStore accounts = chain.state().accounts();
        final int slot = accounts.find(addressBuffer, 0);
        final boolean exists = slot != AccountStore.MISSING;
        return sink.offerAccountState(clientId, correlationId, key, chain.height(), exists,
            exists ? accounts.balance(slot) : 0, exists ? accounts.nonce(slot) : 0);
    }
}
