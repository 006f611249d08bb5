package io.cmtchain.engine.contracts;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.cmtchain.engine.contracts.ContractsDescriptor.*;

/**
 * Encoders for contract transaction bodies (layouts in {@link ContractsDescriptor}), for clients, tools and tests;
 * sign the result with {@code TransactionBuilder.build}. Values are written as given, so tests can encode invalid
 * ones; a token's name or symbol that its field cannot carry as given (too long, or not ASCII) is refused rather than
 * cut.
 */
public final class ContractBodies
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private ContractBodies()
    {
    }

    /**
     * @return a TOKEN_CREATE body.
     * @throws IllegalArgumentException if the name is longer than {@link ContractsDescriptor#NAME_LENGTH} or the
     *                                  symbol than {@link ContractsDescriptor#SYMBOL_LENGTH} characters, or either is
     *                                  not ASCII: the body's fields could not carry them as given.
     */
    public static byte[] tokenCreate(
        final String name, final String symbol, final int decimals, final int flags, final long initialSupply)
    {
        final byte[] n = ascii(name, "name", NAME_LENGTH);
        final byte[] s = ascii(symbol, "symbol", SYMBOL_LENGTH);
        final byte[] body = new byte[CREATE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(CREATE_NAME_OFFSET, n);
        b.putBytes(CREATE_SYMBOL_OFFSET, s);
        b.putByte(CREATE_DECIMALS_OFFSET, (byte)decimals);
        b.putByte(CREATE_FLAGS_OFFSET, (byte)flags);
        b.putLong(CREATE_SUPPLY_OFFSET, initialSupply, LE);
        return body;
    }

    /** @return whether a body's text field of {@code maxLength} bytes carries {@code text} as given. */
    static boolean fits(final String text, final int maxLength)
    {
        return text.length() <= maxLength && StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }

    private static byte[] ascii(final String text, final String field, final int maxLength)
    {
        if (!fits(text, maxLength))
        {
            throw new IllegalArgumentException("a token's " + field + " is at most " + maxLength +
                " ASCII characters, was \"" + text + "\"");
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return a TOKEN_TRANSFER, TOKEN_APPROVE or TOKEN_MINT body. */
    public static byte[] tokenMove(final long tokenId, final byte[] account, final long amount)
    {
        final byte[] body = new byte[MOVE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(TOKEN_ID_OFFSET, tokenId, LE);
        b.putBytes(MOVE_ACCOUNT_OFFSET, account, 0, 20);
        b.putLong(MOVE_AMOUNT_OFFSET, amount, LE);
        return body;
    }

    public static byte[] tokenTransferFrom(final long tokenId, final byte[] from, final byte[] to, final long amount)
    {
        final byte[] body = new byte[FROM_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(TOKEN_ID_OFFSET, tokenId, LE);
        b.putBytes(FROM_FROM_OFFSET, from, 0, 20);
        b.putBytes(FROM_TO_OFFSET, to, 0, 20);
        b.putLong(FROM_AMOUNT_OFFSET, amount, LE);
        return body;
    }

    public static byte[] tokenBurn(final long tokenId, final long amount)
    {
        final byte[] body = new byte[BURN_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(TOKEN_ID_OFFSET, tokenId, LE);
        b.putLong(BURN_AMOUNT_OFFSET, amount, LE);
        return body;
    }

    public static byte[] tokenFreeze(final long tokenId, final byte[] account, final int frozen)
    {
        final byte[] body = new byte[FREEZE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(TOKEN_ID_OFFSET, tokenId, LE);
        b.putBytes(FREEZE_ACCOUNT_OFFSET, account, 0, 20);
        b.putByte(FREEZE_FLAG_OFFSET, (byte)frozen);
        return body;
    }

    /**
     * @param arbiter null for none.
     * @param tokenId 0 for CMT.
     */
    public static byte[] escrowCreate(
        final byte[] seller, final byte[] arbiter, final long tokenId, final long amount, final long deadlineHeight)
    {
        final byte[] body = new byte[ESCROW_CREATE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(ESCROW_SELLER_OFFSET, seller, 0, 20);
        if (arbiter != null)
        {
            b.putBytes(ESCROW_ARBITER_OFFSET, arbiter, 0, 20);
        }
        b.putLong(ESCROW_TOKEN_OFFSET, tokenId, LE);
        b.putLong(ESCROW_AMOUNT_OFFSET, amount, LE);
        b.putLong(ESCROW_DEADLINE_OFFSET, deadlineHeight, LE);
        return body;
    }

    /** @return an ESCROW_RELEASE, ESCROW_CLAIM or ESCROW_DISPUTE body. */
    public static byte[] escrowAction(final long escrowId)
    {
        final byte[] body = new byte[ESCROW_ACTION_BODY_LENGTH];
        new UnsafeBuffer(body).putLong(ESCROW_ID_OFFSET, escrowId, LE);
        return body;
    }

    public static byte[] escrowSettle(final long escrowId, final long toSeller)
    {
        final byte[] body = new byte[SETTLE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(ESCROW_ID_OFFSET, escrowId, LE);
        b.putLong(SETTLE_TO_SELLER_OFFSET, toSeller, LE);
        return body;
    }

    public static byte[] loanOffer(
        final byte[] borrower, final long principal, final int ratePpm, final int instalments,
        final long intervalBlocks, final long graceBlocks, final long lateFee)
    {
        final byte[] body = new byte[LOAN_OFFER_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(LOAN_BORROWER_OFFSET, borrower, 0, 20);
        b.putLong(LOAN_PRINCIPAL_OFFSET, principal, LE);
        b.putInt(LOAN_RATE_OFFSET, ratePpm, LE);
        b.putShort(LOAN_INSTALMENTS_OFFSET, (short)instalments, LE);
        b.putInt(LOAN_INTERVAL_OFFSET, (int)intervalBlocks, LE);
        b.putInt(LOAN_GRACE_OFFSET, (int)graceBlocks, LE);
        b.putLong(LOAN_LATE_FEE_OFFSET, lateFee, LE);
        return body;
    }

    /** @return a LOAN_ACCEPT, LOAN_CANCEL or LOAN_REPAY body. */
    public static byte[] loanAction(final long loanId)
    {
        final byte[] body = new byte[LOAN_ACTION_BODY_LENGTH];
        new UnsafeBuffer(body).putLong(LOAN_ID_OFFSET, loanId, LE);
        return body;
    }

    public static byte[] insuranceOpen(
        final byte[] adjuster, final long premium, final long baseCover, final long capCover, final long deposit,
        final long salesEndHeight, final long expiryHeight)
    {
        final byte[] body = new byte[POOL_OPEN_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putBytes(POOL_ADJUSTER_OFFSET, adjuster, 0, 20);
        b.putLong(POOL_PREMIUM_OFFSET, premium, LE);
        b.putLong(POOL_BASE_OFFSET, baseCover, LE);
        b.putLong(POOL_CAP_OFFSET, capCover, LE);
        b.putLong(POOL_DEPOSIT_OFFSET, deposit, LE);
        b.putLong(POOL_SALES_END_OFFSET, salesEndHeight, LE);
        b.putLong(POOL_EXPIRY_OFFSET, expiryHeight, LE);
        return body;
    }

    public static byte[] insuranceBuy(final long poolId)
    {
        final byte[] body = new byte[POOL_BUY_BODY_LENGTH];
        new UnsafeBuffer(body).putLong(POOL_ID_OFFSET, poolId, LE);
        return body;
    }

    public static byte[] insuranceApprove(final long poolId, final byte[] holder, final int delayMinutes,
        final long amount)
    {
        final byte[] body = new byte[APPROVE_BODY_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(body);
        b.putLong(POOL_ID_OFFSET, poolId, LE);
        b.putBytes(APPROVE_HOLDER_OFFSET, holder, 0, 20);
        b.putInt(APPROVE_DELAY_OFFSET, delayMinutes, LE);
        b.putLong(APPROVE_AMOUNT_OFFSET, amount, LE);
        return body;
    }
}
