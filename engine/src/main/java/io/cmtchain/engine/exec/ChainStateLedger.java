package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.TransactionFlyweight;

/**
 * The sequential engine's {@link Ledger}: handles are {@link AccountStore} slots of the bound {@link ChainState},
 * written in place. One per thread.
 * <p>
 * {@link #prefetch} prepares a window of the block's next transactions before they run ({@link AccountPrefetcher}):
 * their cache misses overlap instead of stalling each transaction in turn. It only reads.
 */
final class ChainStateLedger implements Ledger
{
    private final AccountPrefetcher prefetcher = new AccountPrefetcher();
    private ChainState state;
    private AccountStore accounts;

    ChainStateLedger bind(final ChainState state)
    {
        if (this.state != state)
        {
            this.state = state;
            this.accounts = state.accounts();
            prefetcher.bind(accounts);
        }
        return this;
    }

    /**
     * Prepare transactions {@code from} to {@code to} (at most {@link AccountPrefetcher#WINDOW}) of a block, which are
     * executed next, in order.
     *
     * @param txs     of the block.
     * @param from    first transaction.
     * @param to      one past the last.
     * @param chainId of the chain, for the stateless check that guards reading a frame's fields.
     */
    void prefetch(final BlockTransactions txs, final int from, final int to, final int chainId)
    {
        prefetcher.prepare(txs, from, to, chainId);
    }

    /** Drop the prepared window, at the end of a block: its frames' bytes may be reused after it. */
    void forgetPrefetch()
    {
        prefetcher.forget();
    }

    @Override
    public int sender(final TransactionFlyweight tx)
    {
        return prefetcher.sender(tx);
    }

    @Override
    public int transferRecipient(final TransactionFlyweight tx)
    {
        return accounts.findOrCreate(tx.buffer(), tx.transferRecipientOffset());
    }

    @Override
    public long balance(final int account)
    {
        return accounts.balance(account);
    }

    @Override
    public long nonce(final int account)
    {
        return accounts.nonce(account);
    }

    @Override
    public void balance(final int account, final long value)
    {
        accounts.balance(account, value);
    }

    @Override
    public void nonce(final int account, final long value)
    {
        accounts.nonce(account, value);
    }

    @Override
    public void addFeeDelta(final long fee)
    {
        state.addFeeDelta(fee);
    }

    @Override
    public DposState dpos()
    {
        return state.dpos();
    }

    @Override
    public ContractsState contracts()
    {
        return state.contracts();
    }
}
