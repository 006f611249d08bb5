package io.cmtchain.engine.exec;

import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.tx.TransactionFlyweight;

/**
 * The accounts a transaction's ledger rules read and write, by handle. {@link TransactionProcessor} runs against
 * this view so that the sequential engine ({@link ChainStateLedger}, straight onto {@code ChainState}) and parallel
 * executors (onto their own per-block stores) apply one definition of the rules.
 * <p>
 * A handle names one account for the duration of one transaction; two handles are equal exactly when they name
 * the same account. Implementations bind to the transaction being executed, not to a thread's history.
 */
public interface Ledger
{
    /** Returned for an account that does not exist. */
    int MISSING = -1;

    /**
     * @param tx the transaction being executed.
     * @return handle of its sender's account, or {@link #MISSING}.
     */
    int sender(TransactionFlyweight tx);

    /**
     * The recipient of a TRANSFER, created empty (balance 0, nonce 0) if absent.
     *
     * @param tx the transfer being executed.
     * @return handle of the recipient's account.
     */
    int transferRecipient(TransactionFlyweight tx);

    /**
     * @param account handle.
     * @return balance in µCMT.
     */
    long balance(int account);

    /**
     * @param account handle.
     * @return next expected nonce.
     */
    long nonce(int account);

    /**
     * @param account handle.
     * @param value   new balance in µCMT.
     */
    void balance(int account, long value);

    /**
     * @param account handle.
     * @param value   new nonce.
     */
    void nonce(int account, long value);

    /**
     * @param fee charged by the transaction, in µCMT; a commutative delta folded at block end.
     */
    void addFeeDelta(long fee);

    /**
     * The DPoS state that DPoS transactions run against, where this ledger can reach it: ledgers that write straight
     * onto the {@code ChainState} (in-order execution) return it; per-block copies return null, and a DPoS
     * transaction run against them is rejected DPOS_DISABLED before any fee, so executors must run blocks holding
     * DPoS types in order on the state itself when the state has DPoS.
     *
     * @return the DPoS state, or null.
     */
    default DposState dpos()
    {
        return null;
    }

    /**
     * The contracts state that contract transactions run against, where this ledger can reach it: like
     * {@link #dpos()}, only ledgers that write straight onto the {@code ChainState} (whose handles are its
     * {@code AccountStore} slots) return it; otherwise contract transactions are rejected CONTRACTS_DISABLED before
     * any fee, so executors must run blocks holding contract types in order on the state itself.
     *
     * @return the contracts state, or null.
     */
    default ContractsState contracts()
    {
        return null;
    }
}
