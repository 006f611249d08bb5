package io.cmtchain.engine.contracts;

import io.cmtchain.engine.tx.TxTypes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.cmtchain.engine.contracts.ContractBodies.*;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared rule of every contract type, "a rejection leaves only the fee", checked on randomized blocks rather
 * than on the sums ContractConservationTest compares (a rejected rule that, say, spent an allowance or froze a
 * holding would keep every sum): chain a runs each block as drawn; chain b runs the same block with every
 * transaction a rejected replaced by a transfer to its own sender with the same fee, which only charges the fee and
 * advances the nonce. Their state roots must be equal after every block. Amounts include the ends of a long, where a
 * check done on a wrapped sum would let a rule through.
 */
class ContractRejectionTest
{
    private static final int ACCOUNTS = 3;
    private static final int OK = 0;

    @Test
    void shouldChangeNothingButTheFeeAndNonceWhenAContractRuleRejects()
    {
        final int[] okByType = new int[64];
        final int[] rejectedByType = new int[64];
        for (long seed = 1; seed <= 10; seed++)
        {
            run(seed, okByType, rejectedByType);
        }
        for (int type = TOKEN_CREATE; type <= INSURANCE_APPROVE; type++)
        {
            assertTrue(rejectedByType[type] > 0, "type " + type + " never rejected");
            assertTrue(type == ESCROW_CLAIM || okByType[type] > 0, "type " + type + " never committed");
        }
    }

    private static void run(final long seed, final int[] okByType, final int[] rejectedByType)
    {
        final ContractChain a = new ContractChain(ACCOUNTS, 1);
        final ContractChain b = new ContractChain(ACCOUNTS, 1);
        final Random random = new Random(seed);
        final List<Long> tokens = new ArrayList<>();
        final List<Long> escrows = new ArrayList<>();
        final List<Long> loans = new ArrayList<>();
        final List<Long> pools = new ArrayList<>();
        final List<int[]> drawn = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();
        for (int block = 0; block < 100; block++)
        {
            drawn.clear();
            bodies.clear();
            final int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++)
            {
                final int from = random.nextInt(ACCOUNTS);
                final int type = random.nextInt(4) == 0 ? ESCROW_CREATE + random.nextInt(5) :
                    TOKEN_CREATE + random.nextInt(INSURANCE_APPROVE - TOKEN_CREATE + 1);
                final byte[] body = body(random, type, tokens, escrows, loans, pools, a.chain.height() + 1);
                final long id = a.add(from, type, body, fee(type));
                drawn.add(new int[]{from, type});
                bodies.add(body);
                final List<Long> created = type == TOKEN_CREATE ? tokens : type == ESCROW_CREATE ? escrows :
                    type == LOAN_OFFER ? loans : type == INSURANCE_OPEN ? pools : null;
                if (created != null)
                {
                    created.add(id);
                }
            }
            final int[] statuses = a.block();
            for (int i = 0; i < count; i++)
            {
                final int from = drawn.get(i)[0];
                final int type = drawn.get(i)[1];
                if (statuses[i] == OK)
                {
                    okByType[type]++;
                    b.add(from, type, bodies.get(i), fee(type));
                }
                else
                {
                    rejectedByType[type]++;
                    final byte[] toSelf = new byte[28];
                    System.arraycopy(address(from), 0, toSelf, 0, 20);
                    toSelf[20] = 1;
                    b.add(from, TxTypes.TRANSFER, toSelf, fee(type));
                }
            }
            b.block();
            assertArrayEquals(a.state.stateRoot(), b.state.stateRoot(), "seed " + seed + " block " + block +
                ": transactions (sender, type) " + describe(drawn) + ", statuses " + Arrays.toString(statuses));
            tokens.removeIf(id -> !a.contracts.tokenExists(id));
            escrows.removeIf(id -> a.contracts.escrowStatus(id) < 0);
            loans.removeIf(id -> a.contracts.loanStatus(id) < 0);
            pools.removeIf(id -> a.contracts.poolFunds(id) < 0);
        }
    }

    private static long fee(final int type)
    {
        return type == TOKEN_CREATE ? 1000 : ContractChain.FEE;
    }

    private static String describe(final List<int[]> drawn)
    {
        final StringBuilder s = new StringBuilder();
        for (final int[] d : drawn)
        {
            s.append('(').append(d[0]).append(", ").append(d[1]).append(')');
        }
        return s.toString();
    }

    /** Mostly small amounts, the rest at or next to the ends of a long. */
    private static long amount(final Random r)
    {
        switch (r.nextInt(10))
        {
            case 0: return -r.nextInt(3);
            case 1: return Long.MAX_VALUE - r.nextInt(3);
            case 2: return Long.MIN_VALUE + r.nextInt(3);
            default: return r.nextInt(400);
        }
    }

    private static byte[] body(
        final Random r, final int type, final List<Long> tokens, final List<Long> escrows, final List<Long> loans,
        final List<Long> pools, final long height)
    {
        final long token = tokens.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() : tokens.get(r.nextInt(tokens.size()));
        final long escrow = escrows.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
            escrows.get(escrows.size() - 1 - r.nextInt(Math.min(escrows.size(), 6)));
        final long loan = loans.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
            loans.get(loans.size() - 1 - r.nextInt(Math.min(loans.size(), 6)));
        final long pool = pools.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
            pools.get(pools.size() - 1 - r.nextInt(Math.min(pools.size(), 6)));
        final byte[] who = address(r.nextInt(ACCOUNTS));
        switch (type)
        {
            case 40: return tokenCreate("T" + r.nextInt(100), "T" + r.nextInt(100), r.nextInt(20), r.nextInt(9),
                r.nextInt(4) == 0 ? amount(r) : r.nextInt(2000) - 10);
            case 41:
            case 42:
            case 44: return tokenMove(token, who, amount(r));
            case 43: return tokenTransferFrom(token, address(r.nextInt(ACCOUNTS)), who, amount(r));
            case 45: return tokenBurn(token, amount(r));
            case 46: return tokenFreeze(token, who, r.nextInt(3));
            case 47: return escrowCreate(who, r.nextBoolean() ? null : address(r.nextInt(ACCOUNTS)),
                r.nextBoolean() ? 0 : token, amount(r), height + r.nextInt(8) - 1);
            case 51: return escrowSettle(escrow, r.nextInt(4) == 0 ? amount(r) : r.nextInt(450) - 10);
            case 52: return loanOffer(who, amount(r), r.nextInt(50_000), r.nextInt(5), r.nextInt(5), r.nextInt(3),
                r.nextInt(10) == 0 ? amount(r) : r.nextInt(20));
            case 53:
            case 54:
            case 55: return loanAction(loan);
            case 56:
            {
                final long salesEnd = height + r.nextInt(6) - (r.nextInt(8) == 0 ? 2 : 0);
                return insuranceOpen(who, 1 + r.nextInt(100), 50 + r.nextInt(100), 100 + r.nextInt(300),
                    r.nextInt(10) == 0 ? amount(r) : r.nextInt(500), salesEnd, salesEnd + r.nextInt(10));
            }
            case 57: return insuranceBuy(pool);
            case 58: return insuranceApprove(pool, who, 200 + r.nextInt(300),
                r.nextInt(4) == 0 ? amount(r) : r.nextInt(450));
            default: return escrowAction(escrow);
        }
    }
}
