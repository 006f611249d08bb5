package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.MutableDirectBuffer;

/**
 * Transfers and Smart Business Contract transactions in the shares of a {@link LoadMix}. A sender's transactions go
 * in pairs of consecutive nonces (a unit): the unit's kind is drawn from the sender and unit number, so that a
 * two-step kind's second transaction (escrow release, loan cancel, policy purchase) follows its first in the
 * sender's own nonce order and names the contract the first created ({@link ContractsState#contractId}). Token
 * transfers move the sender's own token, created at nonce {@code tokenNonce} in the setup phase
 * ({@link #tokenCreate}). Every transaction is built to commit: long deadlines, small amounts, funded senders.
 */
public final class ContractMix implements TransactionMix
{
    /** Far enough that no escrow deadline or insurance sales end is reached during a run. */
    static final long FAR_HEIGHT = 1L << 40;
    private static final long TOKEN_SUPPLY = 1L << 60;

    private final LoadMix mix;
    private final RecipientSampler sampler;
    private final int senders;
    private final long firstNonce;
    private final long tokenNonce;
    private final long feeOverrideMicroCmt;
    private final FeeSchedule fees;
    private final long amountMicroCmt;
    private final ThreadLocal<TransferMix.Recipients> recipients = ThreadLocal.withInitial(TransferMix.Recipients::new);

    /**
     * @param mix                 shares of the kinds.
     * @param sampler             recipients (sellers, borrowers, adjusters, token and CMT recipients).
     * @param senders             devnet senders; transaction i is from sender i mod senders.
     * @param firstNonce          nonce of each sender's first measured transaction.
     * @param tokenNonce          nonce at which each sender created its token (used when the mix has tokens).
     * @param feeOverrideMicroCmt fee offered, raised to each type's genesis minimum; -1 for the minimum.
     * @param fees                the genesis fee schedule.
     * @param amountMicroCmt      CMT moved by transfers and locked by escrows.
     */
    public ContractMix(
        final LoadMix mix,
        final RecipientSampler sampler,
        final int senders,
        final long firstNonce,
        final long tokenNonce,
        final long feeOverrideMicroCmt,
        final FeeSchedule fees,
        final long amountMicroCmt)
    {
        this.mix = mix;
        this.sampler = sampler;
        this.senders = senders;
        this.firstNonce = firstNonce;
        this.tokenNonce = tokenNonce;
        this.feeOverrideMicroCmt = feeOverrideMicroCmt;
        this.fees = fees;
        this.amountMicroCmt = amountMicroCmt;
    }

    /**
     * @param type transaction type.
     * @return the fee offered for it.
     */
    public long fee(final int type)
    {
        return Math.max(feeOverrideMicroCmt, fees.minFee(type));
    }

    /**
     * Encode a sender's setup TOKEN_CREATE, at nonce {@code tokenNonce}.
     *
     * @param sender  its key.
     * @param builder the caller's builder.
     * @param out     destination.
     * @param offset  in {@code out}.
     * @return the frame's length.
     */
    public int tokenCreate(
        final Ed25519Key sender, final TransactionBuilder builder, final MutableDirectBuffer out, final int offset)
    {
        final byte[] body = ContractBodies.tokenCreate("Loadgen", "LG", 0, 0, TOKEN_SUPPLY);
        return builder.build(sender, tokenNonce, fee(ContractsDescriptor.TOKEN_CREATE), 0,
            ContractsDescriptor.TOKEN_CREATE, body, 0, body.length, out, offset);
    }

    @Override
    public int encode(
        final long index,
        final Ed25519Key sender,
        final long nonce,
        final TransactionBuilder builder,
        final MutableDirectBuffer out,
        final int offset)
    {
        final byte[] recipient = recipients.get().address(sampler.recipient(index));
        final long senderIndex = index % senders;
        final long step = nonce - firstNonce;
        final long unit = step >>> 1;
        final boolean second = (step & 1) == 1;
        final int kind = mix.kind((int)Long.remainderUnsigned(
            RecipientSampler.splitMix64(senderIndex * 0x9E3779B97F4A7C15L + unit),
            mix.total()));
        final byte[] address = sender.address();
        final int type;
        final byte[] body;
        switch (kind)
        {
            case LoadMix.TOKEN:
                type = ContractsDescriptor.TOKEN_TRANSFER;
                body = ContractBodies.tokenMove(ContractsState.contractId(address, tokenNonce), recipient, 1);
                break;
            case LoadMix.ESCROW:
                type = second ? ContractsDescriptor.ESCROW_RELEASE : ContractsDescriptor.ESCROW_CREATE;
                body = second ? ContractBodies.escrowAction(ContractsState.contractId(address, nonce - 1)) :
                    ContractBodies.escrowCreate(recipient, new byte[Addresses.LENGTH], 0, amountMicroCmt, FAR_HEIGHT);
                break;
            case LoadMix.LOAN:
                type = second ? ContractsDescriptor.LOAN_CANCEL : ContractsDescriptor.LOAN_OFFER;
                body = second ? ContractBodies.loanAction(ContractsState.contractId(address, nonce - 1)) :
                    ContractBodies.loanOffer(recipient, 1_000 * amountMicroCmt, 1_000, 3, 100, 10, 0);
                break;
            case LoadMix.INSURANCE:
                type = second ? ContractsDescriptor.INSURANCE_BUY : ContractsDescriptor.INSURANCE_OPEN;
                body = second ? ContractBodies.insuranceBuy(ContractsState.contractId(address, nonce - 1)) :
                    ContractBodies.insuranceOpen(recipient, 100, 1_000, 2_000, 10_000, FAR_HEIGHT, FAR_HEIGHT + 1);
                break;
            default:
                return builder.transfer(sender, nonce, fee(TxTypes.TRANSFER), 0, recipient, amountMicroCmt, out,
                    offset);
        }
        return builder.build(sender, nonce, fee(type), 0, type, body, 0, body.length, out, offset);
    }

    @Override
    public int maxFrameLength()
    {
        final byte[] a = new byte[Addresses.LENGTH];
        return TransactionDescriptor.BODY_OFFSET + Math.max(
            Math.max(ContractBodies.insuranceOpen(a, 1, 1, 1, 1, 1, 2).length,
                ContractBodies.loanOffer(a, 1, 1, 1, 1, 0, 0).length),
            Math.max(ContractBodies.escrowCreate(a, a, 0, 1, 1).length, ContractBodies.tokenMove(1, a, 1).length));
    }

    @Override
    public String describe()
    {
        return "contract-mix(" + mix + ",firstNonce=" + firstNonce + ",tokenNonce=" + tokenNonce + ",fee=" +
            feeOverrideMicroCmt + ",amount=" + amountMicroCmt + "," + sampler.describe() + ")";
    }
}
