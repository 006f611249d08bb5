package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts on a chain whose supply DPoS inflation took past 2^62 µCMT, the genesis cap: amounts above 2^62 are then
 * real balances, and sums of two of them (an instalment's principal plus its interest) pass a long.
 */
class LargeSupplyContractsTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final long STAKE = 1_000_000_000L;
    /** A base of 2^61 µCMT at 100% over a one-block year: each rewarded block mints 2^61. */
    private static final String MINT_2_TO_61 = "\"minDelegationMicroCmt\":100,\"validatorCapPpm\":1000000," +
        "\"inflationPpm\":1000000,\"blocksPerYear\":1,\"unbondingBlocks\":1,\"inflationBaseMicroCmt\":" + (1L << 61);

    /**
     * A genesis at the supply cap (A staking 10^9 and holding 2 * 10^10, X the rest); two awards of 2^61 to A take the
     * supply to 2^63 - 1, and A withdraws 2^62 - 10^10 of it to its account, which then holds more than 2^62.
     */
    private static DposChain chainWhereALendsMoreThanTwoToThe62()
    {
        final long balance = 20 * STAKE;
        final DposChain c = DposChain.withContracts(42, 0, MINT_2_TO_61 + ",\"candidates\":[" +
            candidate("A", 10 * STAKE, 100_000, STAKE) + "]", "A", balance, "X", (1L << 62) - 1 - STAKE - balance);
        c.block("");
        c.block("A");
        c.block("A");
        assertEquals(Long.MAX_VALUE, c.dpos.supplyMicroCmt());
        // A share is worth about 2^62 / 10^9 µCMT by now, several times the self-stake (10^9): withdrawing 2^62
        // would take every share (rounded up), and A must keep shares worth its self-stake.
        assertArrayEquals(new int[]{OK}, c.block("", c.tx("A", DposDescriptor.WITHDRAW,
            DposBodies.stake(address("A"), (1L << 62) - balance / 2))));
        c.block("");
        assertTrue(c.balance("A") > (1L << 62) + 1);
        return c;
    }

    @Test
    void shouldDefaultRatherThanWrapWhenPrincipalPlusInterestPassesLongMax()
    {
        // One instalment of 2^62 + 1 at 100%: principal plus interest is 2^63 + 2, more than any balance. Summed in a
        // long it wrapped to -2^63 + 2, and the late fee (Long.MAX_VALUE) added at the grace end brought it back to
        // 1: the borrower "repaid" 2^62 + 1 borrowed with 1 µCMT.
        final DposChain c = chainWhereALendsMoreThanTwoToThe62();
        final long principal = (1L << 62) + 1;
        final long id = ContractsState.contractId(address("A"), c.nonce("A"));
        assertArrayEquals(new int[]{OK, OK}, c.block("",
            c.tx("A", ContractsDescriptor.LOAN_OFFER,
                ContractBodies.loanOffer(address("X"), principal, 1_000_000, 1, 2, 1, Long.MAX_VALUE)),
            c.tx("X", ContractsDescriptor.LOAN_ACCEPT, ContractBodies.loanAction(id))));
        final ContractsState contracts = c.state.contracts();
        final long lender = c.balance("A");
        final long borrower = c.balance("X");
        // Due 2 blocks after the offer: the block end before it finds the instalment short (late), the next one
        // runs the grace end, where the instalment plus the late fee is still more than X has.
        c.block("");
        assertEquals(ContractsState.LOAN_LATE, contracts.loanStatus(id));
        c.block("");
        assertEquals(ContractsState.LOAN_DEFAULTED, contracts.loanStatus(id));
        assertEquals(principal, contracts.loanOutstanding(id));
        assertEquals(lender, c.balance("A"));
        assertEquals(borrower, c.balance("X"));
        c.checkConservation();
    }
}
