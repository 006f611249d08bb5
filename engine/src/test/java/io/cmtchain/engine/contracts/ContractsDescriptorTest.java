package io.cmtchain.engine.contracts;

import io.cmtchain.engine.tx.TxTypes;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract bodies' wire format, as the class Javadoc's table gives it: a body of another length is refused by the
 * stateless checks, so each length is part of consensus. Checked directly, since the lengths are read once, into
 * {@link TxTypes}' table, when that class loads.
 */
class ContractsDescriptorTest
{
    @Test
    void shouldGiveEachContractTypeTheBodyLengthOfTheDocumentedLayout()
    {
        final int[][] lengths = {
            {TOKEN_CREATE, 34}, {TOKEN_TRANSFER, 36}, {TOKEN_APPROVE, 36}, {TOKEN_TRANSFER_FROM, 56}, {TOKEN_MINT, 36},
            {TOKEN_BURN, 16}, {TOKEN_FREEZE, 29}, {ESCROW_CREATE, 64}, {ESCROW_RELEASE, 8}, {ESCROW_CLAIM, 8},
            {ESCROW_DISPUTE, 8}, {ESCROW_SETTLE, 16}, {LOAN_OFFER, 50}, {LOAN_ACCEPT, 8}, {LOAN_CANCEL, 8},
            {LOAN_REPAY, 8}, {INSURANCE_OPEN, 68}, {INSURANCE_BUY, 8}, {INSURANCE_APPROVE, 40}};
        assertEquals(INSURANCE_APPROVE - TOKEN_CREATE + 1, lengths.length, "one row per contract type");
        for (int i = 0; i < lengths.length; i++)
        {
            final int type = lengths[i][0];
            assertEquals(TOKEN_CREATE + i, type, "the types are numbered in the table's order");
            assertEquals(lengths[i][1], bodyLength(type), TxTypes.name(type));
            assertEquals(lengths[i][1], TxTypes.bodyLength(type), TxTypes.name(type));
            assertTrue(isContract(type), TxTypes.name(type));
        }
        for (int type = INSURANCE_APPROVE + 1; type <= LAST_TYPE; type++)
        {
            assertEquals(-1, bodyLength(type), "reserved type " + type);
            assertEquals(-1, TxTypes.bodyLength(type), "reserved type " + type);
            assertFalse(isContract(type), "reserved type " + type);
        }
        assertFalse(isContract(FIRST_TYPE - 1));
        assertEquals(-1, bodyLength(FIRST_TYPE - 1));
        assertEquals(TOKEN_CREATE, FIRST_TYPE);
    }

    @Test
    void shouldEndEachLayoutsLastFieldWhereItsBodyEnds()
    {
        assertEquals(CREATE_BODY_LENGTH, CREATE_SUPPLY_OFFSET + 8);
        assertEquals(CREATE_SYMBOL_OFFSET, CREATE_NAME_OFFSET + NAME_LENGTH);
        assertEquals(CREATE_DECIMALS_OFFSET, CREATE_SYMBOL_OFFSET + SYMBOL_LENGTH);
        assertEquals(CREATE_FLAGS_OFFSET, CREATE_DECIMALS_OFFSET + 1);
        assertEquals(CREATE_SUPPLY_OFFSET, CREATE_FLAGS_OFFSET + 1);
        assertEquals(MOVE_ACCOUNT_OFFSET, TOKEN_ID_OFFSET + 8);
        assertEquals(MOVE_AMOUNT_OFFSET, MOVE_ACCOUNT_OFFSET + 20);
        assertEquals(MOVE_BODY_LENGTH, MOVE_AMOUNT_OFFSET + 8);
        assertEquals(FROM_TO_OFFSET, FROM_FROM_OFFSET + 20);
        assertEquals(FROM_AMOUNT_OFFSET, FROM_TO_OFFSET + 20);
        assertEquals(FROM_BODY_LENGTH, FROM_AMOUNT_OFFSET + 8);
        assertEquals(BURN_BODY_LENGTH, BURN_AMOUNT_OFFSET + 8);
        assertEquals(FREEZE_FLAG_OFFSET, FREEZE_ACCOUNT_OFFSET + 20);
        assertEquals(FREEZE_BODY_LENGTH, FREEZE_FLAG_OFFSET + 1);
        assertEquals(ESCROW_ARBITER_OFFSET, ESCROW_SELLER_OFFSET + 20);
        assertEquals(ESCROW_TOKEN_OFFSET, ESCROW_ARBITER_OFFSET + 20);
        assertEquals(ESCROW_AMOUNT_OFFSET, ESCROW_TOKEN_OFFSET + 8);
        assertEquals(ESCROW_DEADLINE_OFFSET, ESCROW_AMOUNT_OFFSET + 8);
        assertEquals(ESCROW_CREATE_BODY_LENGTH, ESCROW_DEADLINE_OFFSET + 8);
        assertEquals(ESCROW_ACTION_BODY_LENGTH, ESCROW_ID_OFFSET + 8);
        assertEquals(SETTLE_BODY_LENGTH, SETTLE_TO_SELLER_OFFSET + 8);
        assertEquals(LOAN_PRINCIPAL_OFFSET, LOAN_BORROWER_OFFSET + 20);
        assertEquals(LOAN_RATE_OFFSET, LOAN_PRINCIPAL_OFFSET + 8);
        assertEquals(LOAN_INSTALMENTS_OFFSET, LOAN_RATE_OFFSET + 4);
        assertEquals(LOAN_INTERVAL_OFFSET, LOAN_INSTALMENTS_OFFSET + 2);
        assertEquals(LOAN_GRACE_OFFSET, LOAN_INTERVAL_OFFSET + 4);
        assertEquals(LOAN_LATE_FEE_OFFSET, LOAN_GRACE_OFFSET + 4);
        assertEquals(LOAN_OFFER_BODY_LENGTH, LOAN_LATE_FEE_OFFSET + 8);
        assertEquals(LOAN_ACTION_BODY_LENGTH, LOAN_ID_OFFSET + 8);
        assertEquals(POOL_PREMIUM_OFFSET, POOL_ADJUSTER_OFFSET + 20);
        assertEquals(POOL_BASE_OFFSET, POOL_PREMIUM_OFFSET + 8);
        assertEquals(POOL_CAP_OFFSET, POOL_BASE_OFFSET + 8);
        assertEquals(POOL_DEPOSIT_OFFSET, POOL_CAP_OFFSET + 8);
        assertEquals(POOL_SALES_END_OFFSET, POOL_DEPOSIT_OFFSET + 8);
        assertEquals(POOL_EXPIRY_OFFSET, POOL_SALES_END_OFFSET + 8);
        assertEquals(POOL_OPEN_BODY_LENGTH, POOL_EXPIRY_OFFSET + 8);
        assertEquals(POOL_BUY_BODY_LENGTH, POOL_ID_OFFSET + 8);
        assertEquals(APPROVE_HOLDER_OFFSET, POOL_ID_OFFSET + 8);
        assertEquals(APPROVE_DELAY_OFFSET, APPROVE_HOLDER_OFFSET + 20);
        assertEquals(APPROVE_AMOUNT_OFFSET, APPROVE_DELAY_OFFSET + 4);
        assertEquals(APPROVE_BODY_LENGTH, APPROVE_AMOUNT_OFFSET + 8);
    }
}
