package io.cmtchain.engine.exec;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractTransactions;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.dpos.DposTransactions;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;

/**
 * The ledger rules for one transaction that passed the stateless checks and signature verification. Deterministic:
 * the outcome depends only on the state and the transaction. One instance per executing thread. The rules read and
 * write accounts through a {@link Ledger}, so the sequential and the parallel executors share them.
 * <p>
 * Order of checks, and what each outcome costs the sender:
 * <ol>
 *   <li>stateless checks again (a journal replay must not trust its input): the status, nothing charged;</li>
 *   <li>EXPIRED (height past a non-zero expiry), FEE_TOO_LOW (below the type's schedule), DPOS_DISABLED (a DPoS
 *       type on a chain without DPoS, or run against a ledger that cannot reach the DPoS state), CONTRACTS_DISABLED
 *       (the same for contract types and the contracts state), INSUFFICIENT_FUNDS
 *       (no account, or balance below the fee), BAD_NONCE (nonce not equal to the account's, or above
 *       {@link #MAX_NONCE}, so that a nonce never wraps): nothing charged, nonce unchanged;</li>
 *   <li>otherwise the fee is charged into the block's fee delta and the nonce advances, then the body runs; a body
 *       failure (INSUFFICIENT_FUNDS for the amount, OVERFLOW of the recipient) undoes the body only.</li>
 * </ol>
 */
public final class TransactionProcessor
{
    /**
     * The largest nonce a transaction may carry. One with {@link Long#MAX_VALUE} is refused BAD_NONCE: the account's
     * next nonce would wrap to {@link Long#MIN_VALUE} and its nonces repeat. An account whose next nonce is
     * {@code Long.MAX_VALUE} can send nothing more. A consensus rule, in force from genesis (no activation height: no
     * chain reaches it by counting).
     */
    public static final long MAX_NONCE = Long.MAX_VALUE - 1;

    /** Most transactions one {@link #prefetch} call prepares. */
    public static final int PREFETCH_WINDOW = AccountPrefetcher.WINDOW;

    private final ChainStateLedger chainStateLedger = new ChainStateLedger();
    private final DposTransactions dposTransactions = new DposTransactions();
    private final ContractTransactions contractTransactions = new ContractTransactions();
    private long feeCharged;

    /**
     * Before executing transactions {@code from} to {@code to} of a block onto {@code state} with
     * {@link #execute(ChainState, TransactionFlyweight, long)}, in order: load what they will read, so their cache
     * misses overlap. Optional and read-only: outcomes are the same without it.
     *
     * @param state to be applied to.
     * @param txs   of the block.
     * @param from  first transaction.
     * @param to    one past the last, at most {@link #PREFETCH_WINDOW} after {@code from}.
     */
    public void prefetch(final ChainState state, final BlockTransactions txs, final int from, final int to)
    {
        chainStateLedger.bind(state).prefetch(txs, from, to, state.chainId());
    }

    /** End of the block whose windows were prefetched: forget them (their frames' bytes may be reused). */
    public void forgetPrefetch()
    {
        chainStateLedger.forgetPrefetch();
    }

    /**
     * Execute straight onto a {@link ChainState}: the sequential engine.
     *
     * @param state  to apply to.
     * @param tx     wrapped frame.
     * @param height of the block being executed.
     * @return {@code ReceiptStatus} code; {@link #feeCharged()} tells the fee.
     */
    public int execute(final ChainState state, final TransactionFlyweight tx, final long height)
    {
        return execute(chainStateLedger.bind(state), state.chainId(), state.fees(), tx, height);
    }

    /**
     * Execute against any {@link Ledger}: the one definition of the rules that every executor applies.
     *
     * @param ledger  accounts to read and write.
     * @param chainId of the chain.
     * @param fees    fee schedule in force.
     * @param tx      wrapped frame.
     * @param height  of the block being executed.
     * @return {@code ReceiptStatus} code; {@link #feeCharged()} tells the fee.
     */
    public int execute(
        final Ledger ledger, final int chainId, final FeeSchedule fees, final TransactionFlyweight tx,
        final long height)
    {
        feeCharged = 0;
        final int stateless = tx.check(chainId);
        if (stateless != ReceiptStatus.OK.value())
        {
            return stateless;
        }
        final long expiry = tx.expiryHeight();
        if (expiry != 0 && Long.compareUnsigned(height, expiry) > 0)
        {
            return ReceiptStatus.EXPIRED.value();
        }
        final int type = tx.type();
        final long fee = tx.feeMicroCmt();
        if (fee < fees.minFee(type))
        {
            return ReceiptStatus.FEE_TOO_LOW.value();
        }
        final boolean dposType = DposDescriptor.isDpos(type);
        if (dposType && ledger.dpos() == null)
        {
            // A chain without DPoS treats its types like unknown ones: rejected before anything is charged.
            return ReceiptStatus.DPOS_DISABLED.value();
        }
        final boolean contractType = ContractsDescriptor.isContract(type);
        if (contractType && ledger.contracts() == null)
        {
            return ReceiptStatus.CONTRACTS_DISABLED.value();
        }

        final int sender = ledger.sender(tx);
        if (sender == Ledger.MISSING)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final long senderBalance = ledger.balance(sender);
        if (senderBalance < fee)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final long nonce = tx.nonce();
        if (ledger.nonce(sender) != nonce || nonce > MAX_NONCE)
        {
            return ReceiptStatus.BAD_NONCE.value();
        }

        final long afterFee = senderBalance - fee;
        ledger.balance(sender, afterFee);
        ledger.nonce(sender, nonce + 1);
        ledger.addFeeDelta(fee);
        feeCharged = fee;

        if (type == TxTypes.TRANSFER)
        {
            return transfer(ledger, tx, sender, afterFee);
        }
        if (dposType)
        {
            return dposTransactions.execute(ledger, ledger.dpos(), tx, sender, afterFee);
        }
        if (contractType)
        {
            return contractTransactions.execute(ledger.contracts(), tx, sender, height);
        }
        return ReceiptStatus.UNKNOWN_TYPE.value();
    }

    /** @return fee charged by the last {@link #execute}. */
    public long feeCharged()
    {
        return feeCharged;
    }

    private static int transfer(
        final Ledger ledger, final TransactionFlyweight tx, final int sender, final long senderBalance)
    {
        final long amount = tx.transferAmount();
        if (amount > senderBalance)
        {
            return ReceiptStatus.INSUFFICIENT_FUNDS.value();
        }
        final int recipient = ledger.transferRecipient(tx);
        if (recipient == sender)
        {
            return ReceiptStatus.OK.value();
        }
        final long recipientBalance = ledger.balance(recipient);
        if (recipientBalance > Long.MAX_VALUE - amount)
        {
            return ReceiptStatus.OVERFLOW.value();
        }
        ledger.balance(sender, senderBalance - amount);
        ledger.balance(recipient, recipientBalance + amount);
        return ReceiptStatus.OK.value();
    }
}
