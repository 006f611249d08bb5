package io.cmtchain.engine.exec;

import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sequential engine's {@link Ledger}: handles are {@link AccountStore} slots of the bound {@link ChainState},
 * written in place. One per thread.
 */
final class ChainStateLedger implements Ledger
{
    private final Addresses addresses = new Addresses();
    private final byte[] senderAddress = new byte[Addresses.LENGTH];
    private final UnsafeBuffer senderAddressBuffer = new UnsafeBuffer(senderAddress);
    private ChainState state;
    private AccountStore accounts;

    ChainStateLedger bind(final ChainState state)
    {
        this.state = state;
        this.accounts = state.accounts();
        return this;
    }

    @Override
    public int sender(final TransactionFlyweight tx)
    {
        addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), senderAddress, 0);
        return accounts.find(senderAddressBuffer, 0);
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
