package io.cmtchain.engine.contracts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cmtchain.engine.contracts.ContractBodies.*;
import static io.cmtchain.engine.contracts.ContractChain.address;
import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized blocks of every contract type (valid and invalid): after every block each token balances (holdings +
 * locked = minted − burned), CMT is conserved (balances + fee pool + escrow locks, the locks walked record by
 * record), and two chains fed the same blocks agree on every state root, the second reloading its contracts from a
 * snapshot after every block.
 */
class ContractConservationTest
{
    private static final int ACCOUNTS = 3;

    @Test
    void shouldConserveTokensAndCmtOverRandomizedBlocks()
    {
        final int[] okByType = new int[64];
        for (long seed = 1; seed <= 10; seed++)
        {
            run(seed, okByType);
        }
        // The run must reach every rule's success path, not only its rejections; a successful claim needs an escrow
        // still open at its deadline (scheduler carry-over), which EscrowContractTest sets up on purpose.
        for (int type = TOKEN_CREATE; type <= INSURANCE_APPROVE; type++)
        {
            assertTrue(type == ESCROW_CLAIM || okByType[type] > 0, "no successful type " + type);
        }
    }

    private static void run(final long seed, final int[] okByType)
    {
        final List<Integer> types = new ArrayList<>();
        final ContractChain a = new ContractChain(ACCOUNTS, 1);
        final ContractChain b = new ContractChain(ACCOUNTS, 1);
        final long supply = a.state.totalSupplyMicroCmt();
        b.reloadContracts();
        assertArrayEquals(a.state.stateRoot(), b.state.stateRoot(), "snapshot of genesis");
        final Random random = new Random(seed);
        final List<Long> tokens = new ArrayList<>();
        final List<Long> escrows = new ArrayList<>();
        final List<Long> loans = new ArrayList<>();
        final List<Long> pools = new ArrayList<>();
        for (int block = 0; block < 100; block++)
        {
            final int count = 1 + random.nextInt(15);
            for (int i = 0; i < count; i++)
            {
                final int from = random.nextInt(ACCOUNTS);
                // Escrow types get extra weight: a settlement needs a create, a dispute and the arbiter in turn.
                final int type = random.nextInt(4) == 0 ? ESCROW_CREATE + random.nextInt(5) :
                    TOKEN_CREATE + random.nextInt(INSURANCE_APPROVE - TOKEN_CREATE + 1);
                final byte[] body = body(random, type, tokens, escrows, loans, pools, a.chain.height() + 1);
                final long id = a.add(from, type, body);
                types.add(type);
                b.add(from, type, body);
                if (type == TOKEN_CREATE)
                {
                    tokens.add(id);
                }
                else if (type == ESCROW_CREATE)
                {
                    escrows.add(id);
                }
                else if (type == LOAN_OFFER)
                {
                    loans.add(id);
                }
                else if (type == INSURANCE_OPEN)
                {
                    pools.add(id);
                }
            }
            final int[] statuses = a.block();
            assertArrayEquals(statuses, b.block());
            for (int i = 0; i < statuses.length; i++)
            {
                if (statuses[i] == 0)
                {
                    okByType[types.get(i)]++;
                }
            }
            types.clear();
            // Keep only contracts that exist, so later transactions mostly aim at real ones.
            tokens.removeIf(id -> !a.contracts.tokenExists(id));
            escrows.removeIf(id -> a.contracts.escrowStatus(id) < 0);
            loans.removeIf(id -> a.contracts.loanStatus(id) < 0);
            pools.removeIf(id -> a.contracts.poolFunds(id) < 0);
            assertArrayEquals(a.state.stateRoot(), b.state.stateRoot(), "seed " + seed + " block " + block);
            // b goes on from a snapshot of its contracts: the digest rebuilt from every record must equal the one
            // kept up to date block by block (a record changed but not marked dirty would differ), and the restored
            // schedule must run on exactly as a's, which the next block's comparison checks.
            final byte[] root = b.state.stateRoot();
            b.reloadContracts();
            assertArrayEquals(root, b.state.stateRoot(), "snapshot, seed " + seed + " block " + block);
            assertNull(a.contracts.auditTokens(), "seed " + seed + " block " + block);
            assertEquals(a.contracts.lockedMicroCmt(), a.contracts.auditLockedMicroCmt(), "seed " + seed + " block " +
                block);
            assertEquals(supply, a.state.totalSupplyMicroCmt(), "seed " + seed + " block " + block);
        }
    }

    private static byte[] body(
        final Random r, final int type, final List<Long> tokens, final List<Long> escrows, final List<Long> loans,
        final List<Long> pools, final long height)
    {
        final long token = tokens.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() : tokens.get(r.nextInt(tokens.size()));
        // Recent escrows are the ones still open, where the interesting transitions are.
        final long escrow = escrows.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
            escrows.get(escrows.size() - 1 - r.nextInt(Math.min(escrows.size(), 6)));
        final byte[] who = address(r.nextInt(ACCOUNTS));
        final long amount = r.nextInt(10) == 0 ? -r.nextInt(5) : r.nextInt(400);
        switch (type)
        {
            case 40: return tokenCreate("T" + r.nextInt(100), "T" + r.nextInt(100), r.nextInt(20), r.nextInt(9),
                r.nextInt(2000) - 10);
            case 41:
            case 42:
            case 44: return tokenMove(token, who, amount);
            case 43: return tokenTransferFrom(token, address(r.nextInt(ACCOUNTS)), who, amount);
            case 45: return tokenBurn(token, amount);
            case 46: return tokenFreeze(token, who, r.nextInt(3));
            case 47: return escrowCreate(who, r.nextBoolean() ? null : address(r.nextInt(ACCOUNTS)),
                r.nextBoolean() ? 0 : token, amount, height + r.nextInt(8) - 1);
            case 51: return escrowSettle(escrow, r.nextInt(450) - 10);
            case 52: return loanOffer(who, amount, r.nextInt(50_000), 1 + r.nextInt(4), 1 + r.nextInt(4),
                r.nextInt(3), r.nextInt(20));
            case 56: return insuranceOpen(who, 1 + r.nextInt(100), 50 + r.nextInt(100), 100 + r.nextInt(300),
                r.nextInt(500), height + r.nextInt(4), height + 2 + r.nextInt(8));
            case 57:
            case 58:
            {
                final long pool = pools.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
                    pools.get(pools.size() - 1 - r.nextInt(Math.min(pools.size(), 6)));
                return type == 57 ? insuranceBuy(pool) :
                    insuranceApprove(pool, who, 200 + r.nextInt(300), r.nextInt(450));
            }
            case 53:
            case 54:
            case 55: return loanAction(loans.isEmpty() || r.nextInt(20) == 0 ? r.nextLong() :
                loans.get(loans.size() - 1 - r.nextInt(Math.min(loans.size(), 6))));
            default: return escrowAction(escrow);
        }
    }
}
