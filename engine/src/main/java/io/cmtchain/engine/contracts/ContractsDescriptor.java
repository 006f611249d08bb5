package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.TxType;

/**
 * Body layouts of the Smart Business Contract transaction types (little-endian, fixed length per type, so a length
 * mismatch is found by the stateless checks). Addresses are 20 bytes, amounts i64, ids i64, heights u64.
 * <pre>
 *  TOKEN_CREATE        (40)  name[16] | symbol[8] | decimals u8 | flags u8 | initialSupply i64          34 bytes
 *  TOKEN_TRANSFER      (41)  tokenId i64 | to[20] | amount i64                                           36 bytes
 *  TOKEN_APPROVE       (42)  tokenId i64 | spender[20] | allowance i64                                   36 bytes
 *  TOKEN_TRANSFER_FROM (43)  tokenId i64 | from[20] | to[20] | amount i64                                56 bytes
 *  TOKEN_MINT          (44)  tokenId i64 | to[20] | amount i64                                           36 bytes
 *  TOKEN_BURN          (45)  tokenId i64 | amount i64                                                    16 bytes
 *  TOKEN_FREEZE        (46)  tokenId i64 | account[20] | frozen u8                                       29 bytes
 *  ESCROW_CREATE       (47)  seller[20] | arbiter[20] (zeros: none) | tokenId i64 (0: CMT) | amount i64
 *                            | deadlineHeight u64                                                        64 bytes
 *  ESCROW_RELEASE      (48), ESCROW_CLAIM (49), ESCROW_DISPUTE (50)   escrowId i64                        8 bytes
 *  ESCROW_SETTLE       (51)  escrowId i64 | toSeller i64                                                 16 bytes
 *  LOAN_OFFER          (52)  borrower[20] | principal i64 | ratePpm i32 (per instalment) | instalments u16
 *                            | intervalBlocks u32 | graceBlocks u32 | lateFee i64                       50 bytes
 *  LOAN_ACCEPT         (53), LOAN_CANCEL (54), LOAN_REPAY (55)   loanId i64                                8 bytes
 *  INSURANCE_OPEN      (56)  adjuster[20] | premium i64 | baseCover i64 | capCover i64 | deposit i64
 *                            | salesEndHeight u64 | expiryHeight u64                                    68 bytes
 *  INSURANCE_BUY       (57)  poolId i64                                                                   8 bytes
 *  INSURANCE_APPROVE   (58)  poolId i64 | holder[20] | delayMinutes u32 | amount i64                    40 bytes
 * </pre>
 * Token and escrow ids are derived from the creating transaction, so a client knows them before the block:
 * {@code id = first 8 bytes (big-endian) of SHA-256("CMT/CONTRACT" || sender address || nonce u64 LE), top bit
 * cleared; an id of 0 becomes 1} (0 names CMT in an escrow).
 */
public final class ContractsDescriptor
{
    public static final int TOKEN_CREATE = TxType.TOKEN_CREATE.value();
    public static final int TOKEN_TRANSFER = TxType.TOKEN_TRANSFER.value();
    public static final int TOKEN_APPROVE = TxType.TOKEN_APPROVE.value();
    public static final int TOKEN_TRANSFER_FROM = TxType.TOKEN_TRANSFER_FROM.value();
    public static final int TOKEN_MINT = TxType.TOKEN_MINT.value();
    public static final int TOKEN_BURN = TxType.TOKEN_BURN.value();
    public static final int TOKEN_FREEZE = TxType.TOKEN_FREEZE.value();
    public static final int ESCROW_CREATE = TxType.ESCROW_CREATE.value();
    public static final int ESCROW_RELEASE = TxType.ESCROW_RELEASE.value();
    public static final int ESCROW_CLAIM = TxType.ESCROW_CLAIM.value();
    public static final int ESCROW_DISPUTE = TxType.ESCROW_DISPUTE.value();
    public static final int ESCROW_SETTLE = TxType.ESCROW_SETTLE.value();
    public static final int LOAN_OFFER = TxType.LOAN_OFFER.value();
    public static final int LOAN_ACCEPT = TxType.LOAN_ACCEPT.value();
    public static final int LOAN_CANCEL = TxType.LOAN_CANCEL.value();
    public static final int LOAN_REPAY = TxType.LOAN_REPAY.value();
    public static final int INSURANCE_OPEN = TxType.INSURANCE_OPEN.value();
    public static final int INSURANCE_BUY = TxType.INSURANCE_BUY.value();
    public static final int INSURANCE_APPROVE = TxType.INSURANCE_APPROVE.value();

    /** First and last type codes reserved for contracts. */
    public static final int FIRST_TYPE = 40;
    public static final int LAST_TYPE = 69;

    /** Token flags. */
    public static final int FLAG_MINTABLE = 1;
    public static final int FLAG_BURNABLE = 2;
    public static final int FLAG_FREEZABLE = 4;
    public static final int KNOWN_FLAGS = FLAG_MINTABLE | FLAG_BURNABLE | FLAG_FREEZABLE;

    public static final int NAME_LENGTH = 16;
    public static final int SYMBOL_LENGTH = 8;
    public static final int MAX_DECIMALS = 18;

    public static final int CREATE_NAME_OFFSET = 0;
    public static final int CREATE_SYMBOL_OFFSET = 16;
    public static final int CREATE_DECIMALS_OFFSET = 24;
    public static final int CREATE_FLAGS_OFFSET = 25;
    public static final int CREATE_SUPPLY_OFFSET = 26;
    public static final int CREATE_BODY_LENGTH = 34;

    /** TOKEN_TRANSFER, TOKEN_APPROVE and TOKEN_MINT share a layout. */
    public static final int TOKEN_ID_OFFSET = 0;
    public static final int MOVE_ACCOUNT_OFFSET = 8;
    public static final int MOVE_AMOUNT_OFFSET = 28;
    public static final int MOVE_BODY_LENGTH = 36;

    public static final int FROM_FROM_OFFSET = 8;
    public static final int FROM_TO_OFFSET = 28;
    public static final int FROM_AMOUNT_OFFSET = 48;
    public static final int FROM_BODY_LENGTH = 56;

    public static final int BURN_AMOUNT_OFFSET = 8;
    public static final int BURN_BODY_LENGTH = 16;

    public static final int FREEZE_ACCOUNT_OFFSET = 8;
    public static final int FREEZE_FLAG_OFFSET = 28;
    public static final int FREEZE_BODY_LENGTH = 29;

    public static final int ESCROW_SELLER_OFFSET = 0;
    public static final int ESCROW_ARBITER_OFFSET = 20;
    public static final int ESCROW_TOKEN_OFFSET = 40;
    public static final int ESCROW_AMOUNT_OFFSET = 48;
    public static final int ESCROW_DEADLINE_OFFSET = 56;
    public static final int ESCROW_CREATE_BODY_LENGTH = 64;

    public static final int ESCROW_ID_OFFSET = 0;
    public static final int ESCROW_ACTION_BODY_LENGTH = 8;
    public static final int SETTLE_TO_SELLER_OFFSET = 8;
    public static final int SETTLE_BODY_LENGTH = 16;

    public static final int LOAN_BORROWER_OFFSET = 0;
    public static final int LOAN_PRINCIPAL_OFFSET = 20;
    public static final int LOAN_RATE_OFFSET = 28;
    public static final int LOAN_INSTALMENTS_OFFSET = 32;
    public static final int LOAN_INTERVAL_OFFSET = 34;
    public static final int LOAN_GRACE_OFFSET = 38;
    public static final int LOAN_LATE_FEE_OFFSET = 42;
    public static final int LOAN_OFFER_BODY_LENGTH = 50;
    public static final int LOAN_ID_OFFSET = 0;
    public static final int LOAN_ACTION_BODY_LENGTH = 8;

    public static final int POOL_ADJUSTER_OFFSET = 0;
    public static final int POOL_PREMIUM_OFFSET = 20;
    public static final int POOL_BASE_OFFSET = 28;
    public static final int POOL_CAP_OFFSET = 36;
    public static final int POOL_DEPOSIT_OFFSET = 44;
    public static final int POOL_SALES_END_OFFSET = 52;
    public static final int POOL_EXPIRY_OFFSET = 60;
    public static final int POOL_OPEN_BODY_LENGTH = 68;
    public static final int POOL_ID_OFFSET = 0;
    public static final int POOL_BUY_BODY_LENGTH = 8;
    public static final int APPROVE_HOLDER_OFFSET = 8;
    public static final int APPROVE_DELAY_OFFSET = 28;
    public static final int APPROVE_AMOUNT_OFFSET = 32;
    public static final int APPROVE_BODY_LENGTH = 40;

    /** The flight-delay rule: at least this delay pays the base cover, ... */
    public static final int BASE_DELAY_MINUTES = 4 * 60;
    /** ... and at least this one pays the approved amount, up to the cap. */
    public static final int CAP_DELAY_MINUTES = 6 * 60;

    /** Bounds of loan terms. */
    public static final int MAX_RATE_PPM = 1_000_000;
    public static final int MAX_INSTALMENTS = 1000;

    private ContractsDescriptor()
    {
    }

    /**
     * @param type code.
     * @return true for a contract type this engine knows.
     */
    public static boolean isContract(final int type)
    {
        return type >= TOKEN_CREATE && type <= INSURANCE_APPROVE;
    }

    /**
     * @param type code.
     * @return the body length of a contract type, or -1.
     */
    public static int bodyLength(final int type)
    {
        switch (type)
        {
            case 40: return CREATE_BODY_LENGTH;
            case 41:
            case 42:
            case 44: return MOVE_BODY_LENGTH;
            case 43: return FROM_BODY_LENGTH;
            case 45: return BURN_BODY_LENGTH;
            case 46: return FREEZE_BODY_LENGTH;
            case 47: return ESCROW_CREATE_BODY_LENGTH;
            case 48:
            case 49:
            case 50: return ESCROW_ACTION_BODY_LENGTH;
            case 51: return SETTLE_BODY_LENGTH;
            case 52: return LOAN_OFFER_BODY_LENGTH;
            case 53:
            case 54:
            case 55: return LOAN_ACTION_BODY_LENGTH;
            case 56: return POOL_OPEN_BODY_LENGTH;
            case 57: return POOL_BUY_BODY_LENGTH;
            case 58: return APPROVE_BODY_LENGTH;
            default: return -1;
        }
    }
}
