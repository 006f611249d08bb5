package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.junit.jupiter.api.Test;

import static io.cmtchain.engine.contracts.ContractBodies.*;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenContractTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int ALL = FLAG_MINTABLE | FLAG_BURNABLE | FLAG_FREEZABLE;

    private final ContractChain c = new ContractChain(6, 10);

    private long create(final int issuer, final int flags, final long supply)
    {
        final long id = c.add(issuer, TOKEN_CREATE, tokenCreate("Shop Points", "SHOP", 2, flags, supply));
        assertEquals(OK, c.block()[0]);
        return id;
    }

    @Test
    void shouldCreateTokenWithInitialSupplyHeldByIssuer()
    {
        final long id = create(0, ALL, 1_000_000);
        assertTrue(c.contracts.tokenExists(id));
        assertEquals(1_000_000, c.contracts.tokenTotalSupply(id));
        assertEquals(1_000_000, c.contracts.tokenBalance(id, address(0)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldChargeTheScheduleFeeForTokenCreate()
    {
        c.add(0, TOKEN_CREATE, tokenCreate("Cheap", "CHP", 0, 0, 1), 999);
        assertEquals(ReceiptStatus.FEE_TOO_LOW.value(), c.block()[0]);
    }

    @Test
    void shouldTransferApproveAndTransferFrom()
    {
        final long id = create(0, 0, 1000);
        assertEquals(OK, c.run(0, TOKEN_TRANSFER, tokenMove(id, address(1), 300)));
        assertEquals(700, c.contracts.tokenBalance(id, address(0)));
        assertEquals(300, c.contracts.tokenBalance(id, address(1)));

        assertEquals(OK, c.run(1, TOKEN_APPROVE, tokenMove(id, address(2), 200)));
        assertEquals(200, c.contracts.allowance(id, address(1), address(2)));
        assertEquals(ReceiptStatus.INSUFFICIENT_ALLOWANCE.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(1), address(3), 201)));
        assertEquals(OK, c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(1), address(3), 150)));
        assertEquals(50, c.contracts.allowance(id, address(1), address(2)));
        assertEquals(150, c.contracts.tokenBalance(id, address(3)));
        assertEquals(150, c.contracts.tokenBalance(id, address(1)));
        assertEquals(OK, c.run(1, TOKEN_APPROVE, tokenMove(id, address(2), 0)));
        assertEquals(0, c.contracts.allowance(id, address(1), address(2)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldRejectBadTransfers()
    {
        final long id = create(0, 0, 1000);
        assertEquals(ReceiptStatus.NO_SUCH_TOKEN.value(), c.run(0, TOKEN_TRANSFER, tokenMove(id + 1, address(1), 1)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_TRANSFER, tokenMove(id, address(1), 0)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_TRANSFER, tokenMove(id, address(1), -5)));
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(),
            c.run(0, TOKEN_TRANSFER, tokenMove(id, address(1), 1001)));
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(), c.run(1, TOKEN_TRANSFER, tokenMove(id, address(0), 1)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_APPROVE, tokenMove(id, address(1), -1)));
        assertEquals(1000, c.contracts.tokenBalance(id, address(0)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldRejectBadCreates()
    {
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, tokenCreate("", "X", 0, 0, 1)));
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, tokenCreate("ok", "low", 0, 0, 1)));
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, tokenCreate("a\u0001b", "X", 0, 0, 1)));
        assertEquals(ReceiptStatus.INVALID_BODY.value(), c.run(0, TOKEN_CREATE, tokenCreate("ok", "X", 19, 0, 1)));
        assertEquals(ReceiptStatus.INVALID_BODY.value(), c.run(0, TOKEN_CREATE, tokenCreate("ok", "X", 0, 8, 1)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_CREATE, tokenCreate("ok", "X", 0, 0, -1)));
        final byte[] gap = tokenCreate("ab", "X", 0, 0, 1);
        gap[3] = 'c';
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, gap));
    }

    @Test
    void shouldMintOnlyAsIssuerOfMintableToken()
    {
        final long fixed = create(0, 0, 10);
        final long mintable = create(0, FLAG_MINTABLE, 10);
        assertEquals(ReceiptStatus.NOT_MINTABLE.value(), c.run(0, TOKEN_MINT, tokenMove(fixed, address(1), 5)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(1, TOKEN_MINT, tokenMove(mintable, address(1), 5)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_MINT, tokenMove(mintable, address(1), 0)));
        assertEquals(OK, c.run(0, TOKEN_MINT, tokenMove(mintable, address(1), 5)));
        assertEquals(15, c.contracts.tokenTotalSupply(mintable));
        assertEquals(5, c.contracts.tokenBalance(mintable, address(1)));
        assertEquals(ReceiptStatus.OVERFLOW.value(),
            c.run(0, TOKEN_MINT, tokenMove(mintable, address(1), Long.MAX_VALUE - 10)));
        assertEquals(15, c.contracts.tokenTotalSupply(mintable));
    }

    @Test
    void shouldFoldSupplyDeltasAtBlockEnd()
    {
        final long id = create(0, FLAG_MINTABLE | FLAG_BURNABLE, 100);
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), 50));
        c.add(0, TOKEN_BURN, tokenBurn(id, 30));
        c.add(0, TOKEN_MINT, tokenMove(id, address(2), 7));
        final int[] statuses = c.block();
        assertEquals(OK, statuses[0]);
        assertEquals(OK, statuses[1]);
        assertEquals(OK, statuses[2]);
        assertEquals(127, c.contracts.tokenTotalSupply(id));
        // Both totals are in the token's record: 100 + 50 + 7 minted, 30 burned.
        assertEquals(157, c.contracts.token(id).mintedTotal);
        assertEquals(30, c.contracts.token(id).burnedTotal);
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldAcceptTheLimitsOfNamesSymbolsDecimalsAndSupply()
    {
        // Names: printable ASCII ' ' .. '~'; symbols: A-Z and 0-9; up to 18 decimals; a supply of 0 gives the issuer
        // no holding record.
        final long id = c.add(0, TOKEN_CREATE, tokenCreate(" ~", "AZ09", MAX_DECIMALS, 0, 0));
        assertEquals(OK, c.block()[0]);
        assertTrue(c.contracts.tokenExists(id));
        assertEquals(0, c.contracts.tokenTotalSupply(id));
        assertNull(c.contracts.store.get(Keys.holding(id, address(0))));
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, tokenCreate("a\u007F", "X", 0, 0, 1)));
        assertEquals(ReceiptStatus.INVALID_NAME.value(), c.run(0, TOKEN_CREATE, tokenCreate("a\u001F", "X", 0, 0, 1)));
        for (final String symbol : new String[] {"A@", "A[", "A/", "A:"})
        {
            assertEquals(ReceiptStatus.INVALID_NAME.value(),
                c.run(0, TOKEN_CREATE, tokenCreate("ok", symbol, 0, 0, 1)), symbol);
        }
    }

    @Test
    void shouldKeepEachAllowanceToItsTokenOwnerAndSpender()
    {
        final long id = create(0, 0, 1000);
        final long other = create(0, 0, 1000);
        assertEquals(OK, c.run(0, TOKEN_TRANSFER, tokenMove(id, address(1), 500)));
        c.add(0, TOKEN_APPROVE, tokenMove(id, address(2), 100));
        c.add(0, TOKEN_APPROVE, tokenMove(id, address(3), 30));
        c.add(1, TOKEN_APPROVE, tokenMove(id, address(2), 60));
        c.add(0, TOKEN_APPROVE, tokenMove(other, address(2), 7));
        for (final int status : c.block())
        {
            assertEquals(OK, status);
        }
        assertEquals(100, c.contracts.allowance(id, address(0), address(2)));
        assertEquals(30, c.contracts.allowance(id, address(0), address(3)));
        assertEquals(60, c.contracts.allowance(id, address(1), address(2)));
        assertEquals(7, c.contracts.allowance(other, address(0), address(2)));
        assertEquals(0, c.contracts.allowance(other, address(1), address(2)));

        // The spender moves up to the allowance of that owner, of that token.
        assertEquals(ReceiptStatus.INSUFFICIENT_ALLOWANCE.value(),
            c.run(3, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(1), address(3), 1)));
        assertEquals(ReceiptStatus.INSUFFICIENT_ALLOWANCE.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(other, address(0), address(2), 8)));
        assertEquals(OK, c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(other, address(0), address(2), 7)));
        assertEquals(7, c.contracts.tokenBalance(other, address(2)));
        assertEquals(100, c.contracts.allowance(id, address(0), address(2)));
        assertEquals(0, c.contracts.tokenBalance(id, address(2)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldSpendAWholeAllowanceAndRemoveIt()
    {
        final long id = create(0, 0, 1000);
        assertEquals(OK, c.run(0, TOKEN_APPROVE, tokenMove(id, address(2), 100)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(0), address(4), 0)));
        // A negative amount would move tokens from the recipient to the owner.
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(0), address(4), -5)));
        assertEquals(1000, c.contracts.tokenBalance(id, address(0)));
        assertEquals(0, c.contracts.tokenBalance(id, address(4)));
        assertEquals(100, c.contracts.allowance(id, address(0), address(2)));

        assertEquals(OK, c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(0), address(4), 100)));
        assertEquals(900, c.contracts.tokenBalance(id, address(0)));
        assertEquals(100, c.contracts.tokenBalance(id, address(4)));
        assertEquals(0, c.contracts.allowance(id, address(0), address(2)));
        // Spent to zero, the allowance record is gone from the state, as if never given.
        assertNull(c.contracts.store.get(Keys.allowance(id, address(0), address(2))));
        assertEquals(ReceiptStatus.INSUFFICIENT_ALLOWANCE.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(id, address(0), address(4), 1)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldKeepTheBurnedTotalWhenAMintReachesLongMaxExactly()
    {
        // The minted and burned totals are in the token's record, so in the state root: they are rebased (burns
        // counted off the minted total) only when the minted total would pass Long.MAX_VALUE, not when it reaches it.
        final long id = create(0, ALL, Long.MAX_VALUE - 10);
        assertEquals(OK, c.run(0, TOKEN_BURN, tokenBurn(id, 10)));
        assertEquals(OK, c.run(0, TOKEN_MINT, tokenMove(id, address(0), 10)));
        final Token t = c.contracts.token(id);
        assertEquals(Long.MAX_VALUE, t.mintedTotal);
        assertEquals(10, t.burnedTotal);
        assertEquals(Long.MAX_VALUE - 10, c.contracts.tokenTotalSupply(id));

        assertEquals(OK, c.run(0, TOKEN_MINT, tokenMove(id, address(0), 1)));
        assertEquals(Long.MAX_VALUE - 9, t.mintedTotal);
        assertEquals(0, t.burnedTotal);
        assertEquals(Long.MAX_VALUE - 9, c.contracts.tokenTotalSupply(id));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldCountThisBlocksBurnsAndMintsAgainstTheCaps()
    {
        // Within a block, a mint sees the block's burns (supply MAX - 150 before minting 60, not MAX - 50) and the
        // block's earlier mints (minted MAX - 40 + 30 would pass MAX with 20 more: the totals are rebased first).
        final long id = create(0, ALL, Long.MAX_VALUE - 100);
        c.add(0, TOKEN_BURN, tokenBurn(id, 50));
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), 60));
        assertArrayEquals(new int[]{OK, OK}, c.block());
        final Token t = c.contracts.token(id);
        assertEquals(Long.MAX_VALUE - 40, t.mintedTotal);
        assertEquals(50, t.burnedTotal);
        c.add(0, TOKEN_MINT, tokenMove(id, address(1), 30));
        c.add(0, TOKEN_MINT, tokenMove(id, address(1), 20));
        assertArrayEquals(new int[]{OK, OK}, c.block());
        assertEquals(Long.MAX_VALUE - 40, t.mintedTotal);
        assertEquals(0, t.burnedTotal);
        assertEquals(Long.MAX_VALUE - 40, c.contracts.tokenTotalSupply(id));
        assertEquals(50, c.contracts.tokenBalance(id, address(1)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldBurnOnlyBurnableTokensHeld()
    {
        final long fixed = create(0, 0, 10);
        final long burnable = create(0, FLAG_BURNABLE, 10);
        assertEquals(ReceiptStatus.NOT_BURNABLE.value(), c.run(0, TOKEN_BURN, tokenBurn(fixed, 1)));
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(), c.run(0, TOKEN_BURN, tokenBurn(burnable, 11)));
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(), c.run(1, TOKEN_BURN, tokenBurn(burnable, 1)));
        assertEquals(ReceiptStatus.INVALID_AMOUNT.value(), c.run(0, TOKEN_BURN, tokenBurn(burnable, 0)));
        assertEquals(OK, c.run(0, TOKEN_BURN, tokenBurn(burnable, 4)));
        assertEquals(6, c.contracts.tokenTotalSupply(burnable));
    }

    @Test
    void shouldFreezeAndUnfreezeWhereTheTokenAllows()
    {
        final long plain = create(0, 0, 100);
        final long freezable = create(0, FLAG_FREEZABLE | FLAG_BURNABLE, 100);
        assertEquals(ReceiptStatus.NOT_FREEZABLE.value(), c.run(0, TOKEN_FREEZE, tokenFreeze(plain, address(1), 1)));
        assertEquals(ReceiptStatus.UNAUTHORIZED.value(), c.run(1, TOKEN_FREEZE, tokenFreeze(freezable, address(1), 1)));
        assertEquals(ReceiptStatus.INVALID_BODY.value(), c.run(0, TOKEN_FREEZE, tokenFreeze(freezable, address(1), 2)));
        assertEquals(OK, c.run(0, TOKEN_TRANSFER, tokenMove(freezable, address(1), 40)));
        assertEquals(OK, c.run(0, TOKEN_FREEZE, tokenFreeze(freezable, address(1), 1)));
        assertTrue(c.contracts.tokenFrozen(freezable, address(1)));
        assertEquals(ReceiptStatus.ACCOUNT_FROZEN.value(),
            c.run(1, TOKEN_TRANSFER, tokenMove(freezable, address(2), 1)));
        assertEquals(ReceiptStatus.ACCOUNT_FROZEN.value(), c.run(1, TOKEN_BURN, tokenBurn(freezable, 1)));
        assertEquals(OK, c.run(1, TOKEN_APPROVE, tokenMove(freezable, address(2), 10)));
        assertEquals(ReceiptStatus.ACCOUNT_FROZEN.value(),
            c.run(2, TOKEN_TRANSFER_FROM, tokenTransferFrom(freezable, address(1), address(2), 1)));
        // A frozen account still receives.
        assertEquals(OK, c.run(0, TOKEN_TRANSFER, tokenMove(freezable, address(1), 1)));
        assertEquals(OK, c.run(0, TOKEN_FREEZE, tokenFreeze(freezable, address(1), 0)));
        assertFalse(c.contracts.tokenFrozen(freezable, address(1)));
        assertEquals(OK, c.run(1, TOKEN_TRANSFER, tokenMove(freezable, address(2), 41)));
        assertNull(c.contracts.auditTokens());
    }

    @Test
    void shouldChargeFeeOnRejectionAndChangeNothingElse()
    {
        final long id = create(0, 0, 100);
        final byte[] before = c.state.stateRoot();
        final long balance = c.balance(1);
        assertEquals(ReceiptStatus.INSUFFICIENT_TOKENS.value(), c.run(1, TOKEN_TRANSFER, tokenMove(id, address(2), 1)));
        assertEquals(balance - ContractChain.FEE, c.balance(1));
        assertFalse(java.util.Arrays.equals(before, c.state.stateRoot()));
        assertEquals(0, c.contracts.tokenBalance(id, address(2)));
    }

    @Test
    void shouldRejectContractTypesOnChainWithoutContracts()
    {
        final io.cmtchain.engine.state.ChainState plain = io.cmtchain.engine.TestChains.devnet(2).createState(1);
        assertNull(plain.contracts());
        final io.cmtchain.engine.tx.TransactionBuilder b =
            new io.cmtchain.engine.tx.TransactionBuilder(io.cmtchain.engine.TestChains.CHAIN_ID);
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[1024]);
        final byte[] body = tokenCreate("x", "X", 0, 0, 1);
        final int length = b.build(ContractChain.key(0), 0, 1000, 0, TOKEN_CREATE, body, 0, body.length, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        final int status = io.cmtchain.engine.TestChains.runBlock(
            io.cmtchain.engine.TestChains.chain(plain), java.util.List.of(frame)).status(0);
        assertEquals(ReceiptStatus.CONTRACTS_DISABLED.value(), status);
    }

    @Test
    void shouldMintAfterBurnsWithoutOverflowingTheCumulativeTotals()
    {
        // The rule refuses a mint only when the supply (minted - burned) would pass 2^63 - 1: after burning a whole
        // Long.MAX_VALUE supply, minting is allowed again, and the block must still close.
        final long id = create(0, ALL, Long.MAX_VALUE);
        assertEquals(OK, c.run(0, TOKEN_BURN, tokenBurn(id, Long.MAX_VALUE)));
        assertEquals(0, c.contracts.tokenTotalSupply(id));
        assertEquals(OK, c.run(0, TOKEN_MINT, tokenMove(id, address(1), 5)));
        assertEquals(5, c.contracts.tokenTotalSupply(id));
        assertEquals(5, c.contracts.tokenBalance(id, address(1)));
        assertNull(c.contracts.auditTokens());

        // Within one block: mint to the cap, burn, mint to the cap, burn, mint to the cap, and one more (refused).
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), Long.MAX_VALUE - 5));
        c.add(0, TOKEN_BURN, tokenBurn(id, Long.MAX_VALUE - 5));
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), Long.MAX_VALUE - 5));
        c.add(0, TOKEN_BURN, tokenBurn(id, Long.MAX_VALUE - 10));
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), Long.MAX_VALUE - 10));
        c.add(0, TOKEN_MINT, tokenMove(id, address(0), 1));
        final int[] statuses = c.block();
        for (int i = 0; i < 5; i++)
        {
            assertEquals(OK, statuses[i]);
        }
        assertEquals(ReceiptStatus.OVERFLOW.value(), statuses[5]);
        assertEquals(Long.MAX_VALUE, c.contracts.tokenTotalSupply(id));
        assertEquals(Long.MAX_VALUE - 5, c.contracts.tokenBalance(id, address(0)));
        assertNull(c.contracts.auditTokens());
    }
}
