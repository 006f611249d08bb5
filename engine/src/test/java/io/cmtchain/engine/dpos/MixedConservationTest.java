package io.cmtchain.engine.dpos;

import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.tx.TxTypes;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cmtchain.engine.contracts.ContractsDescriptor.*;
import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomised blocks of every transaction type on one chain with both DPoS and the Smart Business Contracts: transfers,
 * every staking and governance type (double-sign evidence, transfer-fund proposals and votes included) and every
 * contract type, with fees, inflation, absence and double-sign slashing, unbonding payouts and the contract scheduler
 * at work together. {@code DposConservationTest} and {@code ContractConservationTest} each run on a chain with one of
 * the two only, and the former leaves out declarations, evidence and governance.
 * <p>
 * After every block: every balance + the fee pool + every stake pool, idle delegation and unbonding entry + every CMT
 * escrow, offered loan and insurance pool = genesis supply + minted − slashed (each total walked, not trusted: DPoS's
 * held amount by {@link DposState#auditHeldMicroCmt}, the contracts' locks by
 * {@link ContractsState#auditLockedMicroCmt}); the minted total is the sum of the blocks' awards; an award pays out
 * exactly its mint plus the block's fees; every token balances; and a run on an account table seeded differently
 * reaches the same state root.
 */
class MixedConservationTest
{
    private static final int BLOCKS = 150;
    private static final String[] CANDIDATES = {"c0", "c1", "c2", "c3", "c4"};
    private static final String[] NEWCOMERS = {"n0", "n1"};
    /** The users that take part in contracts: few, so that the parties of one contract often act on it. */
    private static final String[] PARTIES = {"u0", "u1", "u2"};
    private static final String PARAMS = "\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3," +
        "\"proposalExpiryBlocks\":4,\"maxMissedBlocks\":3,\"absenceSlashPpm\":10000,\"doubleSignSlashPpm\":20000," +
        "\"maxValidators\":3,\"maxBackups\":2,\"validatorCapPpm\":400000,\"inflationBaseMicroCmt\":1000000000000000";
    /** Parameters a proposal may change, with the range its value is drawn from. */
    private static final long[][] PROPOSABLE = {
        {DposParams.ABSENCE_SLASH_PPM, 0, 30_000}, {DposParams.VALIDATOR_SHARE_PPM, 500_000, 1_000_000},
        {DposParams.UNBONDING_BLOCKS, 1, 5}, {DposParams.INFLATION_PPM, 0, 200_000},
        {DposParams.DOUBLE_SIGN_SLASH_PPM, 1, 50_000}};

    @Test
    void shouldConserveCmtOverRandomBlocksOfEveryTransactionType()
    {
        final int[] okByType = new int[TxTypes.MAX_CODE + 1];
        final int[] passed = new int[1];
        for (long seed = 1; seed <= 3; seed++)
        {
            final List<byte[]> a = new Run(seed, 11).run(okByType, passed);
            final List<byte[]> b = new Run(seed, 99).run(new int[TxTypes.MAX_CODE + 1], new int[1]);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++)
            {
                assertArrayEquals(a.get(i), b.get(i), "seed " + seed + " block " + (i + 1));
            }
        }
        // The runs must reach each rule's success path, not only its rejections (a successful ESCROW_CLAIM needs an
        // escrow still open at its deadline, which EscrowContractTest sets up on purpose).
        final List<String> never = new ArrayList<>();
        for (int type = 0; type <= TxTypes.MAX_CODE; type++)
        {
            final boolean wanted = type == TxTypes.TRANSFER || (type >= DECLARE_CANDIDACY && type <= VOTE) ||
                (type >= TOKEN_CREATE && type <= INSURANCE_APPROVE && type != ESCROW_CLAIM);
            if (wanted && okByType[type] == 0)
            {
                never.add(TxTypes.name(type));
            }
        }
        assertTrue(never.isEmpty(), "never committed: " + never);
        assertTrue(passed[0] > 0, "no proposal passed");
    }

    /** One seeded run; the table seed changes only the account table's layout, never the outcome. */
    private static final class Run extends RandomDposChain
    {
        private final List<Long> tokens = new ArrayList<>();
        private final List<Long> escrows = new ArrayList<>();
        private final List<Long> loans = new ArrayList<>();
        private final List<Long> pools = new ArrayList<>();
        private final Map<Long, String[]> parties = new HashMap<>();
        private final List<Long> disputed = new ArrayList<>();
        private final List<Long> arbitrable = new ArrayList<>();
        /** Policies bought: pool id and holder, for the adjuster's approvals. */
        private final List<Object[]> policies = new ArrayList<>();
        /** Per transaction of the block being built: what to note if it commits, or null. */
        private final List<Runnable> onCommit = new ArrayList<>();

        Run(final long seed, final long tableSeed)
        {
            super(seed, tableSeed, true, PARAMS, CANDIDATES, 10_000_000_000L, NEWCOMERS, 20_000_000_000L);
        }

        List<byte[]> run(final int[] okByType, final int[] passed)
        {
            final ContractsState contracts = c.state.contracts();
            final long genesis = c.state.totalSupplyMicroCmt();
            assertEquals(genesis, c.dpos.genesisSupplyMicroCmt());
            long minted = 0;
            final List<byte[]> roots = new ArrayList<>();
            for (int block = 1; block <= BLOCKS; block++)
            {
                final long height = c.chain.height() + 1;
                final int[] statuses = block(frames(16));
                for (int i = 0; i < statuses.length; i++)
                {
                    if (statuses[i] == 0)
                    {
                        okByType[types.get(i)]++;
                        if (onCommit.get(i) != null)
                        {
                            onCommit.get(i).run();
                        }
                    }
                }
                types.clear();
                onCommit.clear();
                c.resyncNonces();
                tokens.removeIf(id -> !contracts.tokenExists(id));
                escrows.removeIf(id -> contracts.escrowStatus(id) < 0);
                loans.removeIf(id -> contracts.loanStatus(id) < 0);
                pools.removeIf(id -> contracts.poolFunds(id) < 0);
                disputed.clear();
                arbitrable.clear();
                for (final long id : escrows)
                {
                    final int status = contracts.escrowStatus(id);
                    if (status == ContractsState.ESCROW_DISPUTED)
                    {
                        disputed.add(id);
                    }
                    else if (status == ContractsState.ESCROW_OPEN && parties.get(id).length > 2)
                    {
                        arbitrable.add(id);
                    }
                }
                policies.removeIf(p -> contracts.poolClosed((Long)p[0]));

                final String where = "seed " + seed + " block " + block;
                c.checkConservation();
                assertEquals(contracts.lockedMicroCmt(), contracts.auditLockedMicroCmt(), where);
                assertNull(contracts.auditTokens(), where);
                if (c.dpos.awardHeight == height && !c.dpos.awardRecipients.isEmpty())
                {
                    long paid = 0;
                    for (int i = 0; i < c.dpos.awardRecipients.size(); i++)
                    {
                        paid += c.dpos.awardAmounts[i];
                    }
                    assertEquals(c.dpos.awardMintedMicroCmt + c.dpos.awardFeesMicroCmt, paid, where);
                    minted += c.dpos.awardMintedMicroCmt;
                }
                assertEquals(minted, c.dpos.mintedMicroCmt(), where);
                assertEquals(genesis + minted - c.dpos.slashedMicroCmt(), c.state.totalSupplyMicroCmt(), where);
                roots.add(c.state.stateRoot());
            }
            assertMintedSlashedAndPaidOut();
            for (final Proposal p : c.dpos.proposals.values())
            {
                if (p.status == Proposal.PASSED && p.kind == KIND_TRANSFER_FUND)
                {
                    passed[0]++;
                }
            }
            return roots;
        }

        @Override
        long amount()
        {
            final int scale = random.nextInt(4);
            return scale == 0 ? 1 + random.nextInt(2_000) : scale == 1 ? 1 + random.nextInt(2_000_000_000) :
                scale == 2 ? 1 + random.nextInt(50_000) : random.nextInt(5) - 2;
        }

        /**
         * A random amount, or now and then all but less than the minimum delegation of the delegation as it stands:
         * a pooled delegation left below the minimum then moves out of its pool to idle, which random amounts almost
         * never do.
         */
        @Override
        long withdrawal(final String candidate, final String delegator)
        {
            final Delegation d = delegation(candidate, delegator);
            final long min = c.dpos.params.minDelegationMicroCmt();
            if (d == null || d.shares == 0 || random.nextInt(3) != 0)
            {
                return amount();
            }
            return Math.max(1, d.valueMicroCmt() - 1 - random.nextInt((int)min - 1));
        }

        /** Every transaction, the shared DPoS ones too, notes nothing on commit unless it says what. */
        @Override
        byte[] tx(final String sender, final int type, final byte[] body)
        {
            return tx(sender, type, body, null);
        }

        private byte[] tx(final String sender, final int type, final byte[] body, final Runnable ifCommitted)
        {
            onCommit.add(ifCommitted);
            return super.tx(sender, type, body);
        }

        private long nextId(final String sender)
        {
            return ContractsState.contractId(address(sender), c.nonce(sender));
        }

        @Override
        byte[] randomTx(final long height)
        {
            final int op = random.nextInt(100);
            if (op < 8)
            {
                final byte[] body = new byte[28];
                System.arraycopy(address(pick(USERS)), 0, body, 0, 20);
                new org.agrona.concurrent.UnsafeBuffer(body).putLong(20, amount(), ByteOrder.LITTLE_ENDIAN);
                return tx(random.nextBoolean() ? pick(USERS) : pick(CANDIDATES), TxTypes.TRANSFER, body);
            }
            if (op < 50)
            {
                return dposTx(height);
            }
            return contractTx(height);
        }

        private byte[] dposTx(final long height)
        {
            final String candidate = anyCandidate();
            final String delegator = delegator(candidate);
            final int op = random.nextInt(100);
            if (op < 25)
            {
                return delegate(candidate, delegator);
            }
            if (op < 42)
            {
                return withdraw(candidate, delegator);
            }
            if (op < 48)
            {
                final byte[] to = compRateTarget(candidate, true);
                return tx(candidate, SET_COMP_RATE, DposBodies.setCompRate(to, random.nextInt(400_000)));
            }
            if (op < 54)
            {
                return activateOrDeactivate(candidate);
            }
            if (op < 59)
            {
                final long max = maxStake(candidate) + random.nextInt(4_000_000) - 1_000_000;
                return tx(candidate, UPDATE_CANDIDACY, DposBodies.updateCandidacy(max, new byte[2]));
            }
            if (op < 60)
            {
                return tx(candidate, WITHDRAW_CANDIDACY, DposBodies.empty());
            }
            if (op < 64)
            {
                return declareCandidacy();
            }
            if (op < 67)
            {
                return verifyCandidacy();
            }
            if (op < 75)
            {
                return doubleSignEvidence(height);
            }
            if (op < 85)
            {
                if (random.nextBoolean())
                {
                    return proposeTransferFund();
                }
                final long[] p = PROPOSABLE[random.nextInt(PROPOSABLE.length)];
                return tx(member(), PROPOSE,
                    DposBodies.proposeChangeParam((int)p[0], p[1] + (long)random.nextInt((int)(p[2] - p[1] + 1))));
            }
            final long id = c.dpos.nextProposalId - 1 - random.nextInt(3);
            return tx(member(), VOTE, DposBodies.vote(id, random.nextInt(5) == 0 ? 0 : 1));
        }

        private long recent(final List<Long> ids)
        {
            return ids.isEmpty() || random.nextInt(20) == 0 ? random.nextLong() :
                ids.get(ids.size() - 1 - random.nextInt(Math.min(ids.size(), 6)));
        }

        /** A party of the contract (its issuer, buyer, seller, arbiter, lender, borrower, insurer or adjuster). */
        private String sender(final long contract)
        {
            final String[] of = parties.get(contract);
            return of == null || random.nextInt(4) == 0 ? pick(PARTIES) : of[random.nextInt(of.length)];
        }

        private static int indexOf(final String party)
        {
            for (int i = 0; i < PARTIES.length; i++)
            {
                if (PARTIES[i].equals(party))
                {
                    return i;
                }
            }
            throw new IllegalArgumentException(party);
        }

        private byte[] contractTx(final long height)
        {
            final String whoLabel = pick(PARTIES);
            final byte[] who = address(whoLabel);
            final long amount = amount();
            // Escrow and insurance types get extra weight: a settlement needs a create, a dispute and the arbiter in
            // turn, an approved claim a pool, a policy bought and the adjuster.
            final int pick = random.nextInt(8);
            final int type = pick < 2 ? ESCROW_CREATE + random.nextInt(5) :
                pick < 3 ? INSURANCE_OPEN + random.nextInt(3) : pick < 4 ? LOAN_OFFER + random.nextInt(4) :
                TOKEN_CREATE + random.nextInt(INSURANCE_APPROVE - TOKEN_CREATE + 1);
            final String creator = pick(PARTIES);
            final long id = nextId(creator);
            if (type == TOKEN_CREATE)
            {
                tokens.add(id);
                parties.put(id, new String[]{creator});
                return tx(creator, type, ContractBodies.tokenCreate("T" + random.nextInt(100),
                    "T" + random.nextInt(100), random.nextInt(20), random.nextInt(9), random.nextInt(2_000_000) - 10));
            }
            if (type == ESCROW_CREATE)
            {
                // Mostly a valid cast (a seller other than the buyer, an arbiter other than both, or none).
                final int buyer = indexOf(creator);
                final String seller = random.nextInt(8) == 0 ? whoLabel : PARTIES[(buyer + 1) % PARTIES.length];
                final String arbiter = random.nextBoolean() ? null : random.nextInt(8) == 0 ? pick(PARTIES) :
                    PARTIES[(buyer + 2) % PARTIES.length];
                escrows.add(id);
                parties.put(id, arbiter == null ? new String[]{creator, seller} :
                    new String[]{creator, seller, arbiter, arbiter});
                return tx(creator, type, ContractBodies.escrowCreate(address(seller),
                    arbiter == null ? null : address(arbiter), random.nextInt(4) != 0 ? 0 : recent(tokens),
                    random.nextInt(8) == 0 ? amount : 1 + random.nextInt(5_000), height + random.nextInt(12) - 1));
            }
            if (type == LOAN_OFFER)
            {
                loans.add(id);
                parties.put(id, new String[]{creator, whoLabel, whoLabel});
                return tx(creator, type, ContractBodies.loanOffer(who, amount, random.nextInt(50_000),
                    1 + random.nextInt(6), 1 + random.nextInt(8), random.nextInt(3), random.nextInt(20)));
            }
            if (type == INSURANCE_OPEN)
            {
                pools.add(id);
                parties.put(id, new String[]{whoLabel});
                return tx(creator, type, ContractBodies.insuranceOpen(who, 1 + random.nextInt(100_000),
                    50 + random.nextInt(100), 100 + random.nextInt(300_000), random.nextInt(500_000),
                    height + 2 + random.nextInt(8), height + 12 + random.nextInt(8)));
            }
            if (type >= TOKEN_TRANSFER && type <= TOKEN_FREEZE)
            {
                // Token amounts on the scale of token supplies (up to 2 * 10^6), some invalid.
                final long units = random.nextInt(10) == 0 ? -random.nextInt(3) : 1 + random.nextInt(5_000);
                final long token = recent(tokens);
                final String sender = sender(token);
                if (type == TOKEN_TRANSFER_FROM)
                {
                    // A spender moving the issuer's tokens, which the issuer approved (TOKEN_APPROVE) now and then.
                    return tx(pick(PARTIES), type, ContractBodies.tokenTransferFrom(token, address(sender), who,
                        units));
                }
                if (type == TOKEN_BURN)
                {
                    return tx(sender, type, ContractBodies.tokenBurn(token, units));
                }
                if (type == TOKEN_FREEZE)
                {
                    return tx(sender, type, ContractBodies.tokenFreeze(token, who, random.nextInt(3)));
                }
                return tx(sender, type, ContractBodies.tokenMove(token, who, units));
            }
            if (type >= LOAN_ACCEPT && type <= LOAN_REPAY)
            {
                final long loan = recent(loans);
                return tx(sender(loan), type, ContractBodies.loanAction(loan));
            }
            if (type == INSURANCE_BUY)
            {
                final long pool = recent(pools);
                final String holder = pick(PARTIES);
                return tx(holder, type, ContractBodies.insuranceBuy(pool),
                    () -> policies.add(new Object[]{pool, holder}));
            }
            if (type == INSURANCE_APPROVE)
            {
                // Mostly the adjuster, on a policy bought.
                final Object[] policy = policies.isEmpty() || random.nextInt(4) == 0 ?
                    new Object[]{recent(pools), whoLabel} : policies.get(random.nextInt(policies.size()));
                final long pool = (Long)policy[0];
                return tx(sender(pool), type, ContractBodies.insuranceApprove(pool, address((String)policy[1]),
                    200 + random.nextInt(300), random.nextInt(450_000)));
            }
            if (type == ESCROW_SETTLE)
            {
                // The arbiter of an escrow in dispute, mostly.
                final long escrow = disputed.isEmpty() || random.nextInt(4) == 0 ? recent(escrows) :
                    disputed.get(random.nextInt(disputed.size()));
                final String[] of = parties.get(escrow);
                final String arbiter = of != null && of.length > 2 && random.nextInt(8) != 0 ? of[2] : sender(escrow);
                return tx(arbiter, type, ContractBodies.escrowSettle(escrow, random.nextInt(3_000) - 5));
            }
            if (type == ESCROW_DISPUTE && !arbitrable.isEmpty() && random.nextInt(4) != 0)
            {
                // The buyer or the seller of an open escrow that has an arbiter.
                final long escrow = arbitrable.get(random.nextInt(arbitrable.size()));
                return tx(parties.get(escrow)[random.nextInt(2)], type, ContractBodies.escrowAction(escrow));
            }
            final long escrow = recent(escrows);
            return tx(sender(escrow), type, ContractBodies.escrowAction(escrow));
        }
    }
}
