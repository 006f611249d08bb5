package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Hex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded run of random blocks on a {@link DposChain}, for the randomised DPoS tests: the genesis (candidates with
 * random stakes and commissions, funded newcomers, users and a foundation), the signers of each block, and the DPoS
 * transactions whose shape the tests share. A test extends it with its own amounts and its own mix of transactions.
 * <p>
 * Every draw comes from one {@link Random} in a fixed order, so that a seed gives the same chain whatever the account
 * table seed.
 */
abstract class RandomDposChain
{
    static final String[] USERS = {"u0", "u1", "u2", "u3", "u4", "u5"};
    static final String FOUNDATION = "f";
    private static final long FOUNDATION_BALANCE_MICRO_CMT = 1_000_000L;

    final long seed;
    final Random random;
    /** The chain the run builds. */
    final DposChain c;
    /** Per transaction of the block being built: its type. */
    final List<Integer> types = new ArrayList<>();
    private final String[] candidates;
    private final String[] newcomers;
    private final Map<String, String> labels = new HashMap<>();

    /**
     * @param seed                     the run's seed: the same seed, the same chain.
     * @param tableSeed                account table seed (its layout only, never the outcome).
     * @param contracts                whether the chain has the Smart Business Contracts too.
     * @param params                   the DPoS fields before the foundation and candidates, without braces.
     * @param candidates               labels of the genesis candidates.
     * @param candidateBalanceMicroCmt each genesis candidate's balance.
     * @param newcomers                labels of the accounts that may declare a candidacy.
     * @param userBalanceMicroCmt      each newcomer's and user's balance.
     */
    RandomDposChain(
        final long seed, final long tableSeed, final boolean contracts, final String params, final String[] candidates,
        final long candidateBalanceMicroCmt, final String[] newcomers, final long userBalanceMicroCmt)
    {
        this.seed = seed;
        this.candidates = candidates;
        this.newcomers = newcomers;
        random = new Random(seed);
        final StringBuilder entries = new StringBuilder();
        final List<Object> balances = new ArrayList<>();
        for (int i = 0; i < candidates.length; i++)
        {
            final long stake = 2_000_000_000L + random.nextInt(1_000_000_000);
            entries.append(i == 0 ? "" : ",").append(candidate(candidates[i], stake * 8,
                50_000 + random.nextInt(300_000), stake));
            balances.add(candidates[i]);
            balances.add(candidateBalanceMicroCmt);
        }
        for (final String label : newcomers)
        {
            balances.add(label);
            balances.add(userBalanceMicroCmt);
        }
        for (final String label : USERS)
        {
            balances.add(label);
            balances.add(userBalanceMicroCmt);
        }
        balances.add(FOUNDATION);
        balances.add(FOUNDATION_BALANCE_MICRO_CMT);
        final String dposFields = params + ",\"foundation\":\"" + Hex.encode(address(FOUNDATION)) +
            "\",\"candidates\":[" + entries + "]";
        c = contracts ? DposChain.withContracts(tableSeed, 1, dposFields, balances.toArray()) :
            new DposChain(tableSeed, 1, dposFields, balances.toArray());
        for (int i = 0; i < balances.size(); i += 2)
        {
            labels.put(Hex.encode(address((String)balances.get(i))), (String)balances.get(i));
        }
    }

    /** @return a random amount, at the scales the test wants. */
    abstract long amount();

    /** @return a random amount for {@code delegator} to withdraw from {@code candidate}. */
    abstract long withdrawal(String candidate, String delegator);

    /**
     * @param height of the block being built.
     * @return a random transaction for it.
     */
    abstract byte[] randomTx(long height);

    /**
     * @param bound one more than the most transactions.
     * @return the random transactions of the next block, fewer than {@code bound}.
     */
    List<byte[]> frames(final int bound)
    {
        final long height = c.chain.height() + 1;
        final List<byte[]> frames = new ArrayList<>();
        final int n = random.nextInt(bound);
        for (int t = 0; t < n; t++)
        {
            frames.add(randomTx(height));
        }
        return frames;
    }

    /**
     * Run the next block, signed by most of the validators of the block before.
     *
     * @param frames its transactions.
     * @return the receipt statuses.
     */
    int[] block(final List<byte[]> frames)
    {
        final List<byte[]> signers = new ArrayList<>();
        for (final Candidate v : c.dpos.prevValidators)
        {
            if (random.nextInt(10) < 8)
            {
                signers.add(v.owner.bytes());
            }
        }
        return c.block(signers.toArray(new byte[0][]), frames.toArray(new byte[0][]));
    }

    /** The run must have minted, slashed and paid out an unbonding entry, or it proves little. */
    void assertMintedSlashedAndPaidOut()
    {
        assertTrue(c.dpos.mintedMicroCmt() > 0, "nothing minted");
        assertTrue(c.dpos.slashedMicroCmt() > 0, "nothing slashed");
        assertTrue(c.dpos.unbondingByHeight.size() < c.dpos.nextUnbondingId - 1, "no unbonding entry matured");
    }

    String pick(final String[] from)
    {
        return from[random.nextInt(from.length)];
    }

    /** @return a genesis candidate, or now and then a newcomer (which may not have declared). */
    String anyCandidate()
    {
        return random.nextInt(4) == 0 ? pick(newcomers) : pick(candidates);
    }

    String label(final Candidate k)
    {
        return labels.get(Hex.encode(k.owner.raw()));
    }

    /** @return a validator or backup in force (a proposer or voter), or now and then any candidate. */
    String member()
    {
        final List<String> members = new ArrayList<>();
        for (final Candidate v : c.dpos.validators)
        {
            members.add(label(v));
        }
        for (final Candidate v : c.dpos.backups)
        {
            members.add(label(v));
        }
        return members.isEmpty() || random.nextInt(10) == 0 ? anyCandidate() :
            members.get(random.nextInt(members.size()));
    }

    /** @return the delegation of {@code delegator} to {@code candidate}, or null if either is missing. */
    Delegation delegation(final String candidate, final String delegator)
    {
        final Candidate k = c.dpos.candidates.get(new ByteKey(address(candidate)));
        return k == null ? null : k.delegations.get(new ByteKey(address(delegator)));
    }

    /**
     * @param sorted whether the candidate's delegators are taken in key order (else in the map's).
     * @return mostly one of the candidate's delegators, so that the move happens; now and then a user.
     */
    byte[] compRateTarget(final String candidate, final boolean sorted)
    {
        final Candidate k = c.dpos.candidates.get(new ByteKey(address(candidate)));
        final List<ByteKey> delegators = new ArrayList<>();
        if (k != null)
        {
            delegators.addAll(k.delegations.keySet());
        }
        if (sorted)
        {
            delegators.sort(ByteKey::compareTo);
        }
        return delegators.isEmpty() || random.nextInt(4) == 0 ? address(pick(USERS)) :
            delegators.get(random.nextInt(delegators.size())).bytes();
    }

    /** @return the candidate's maximum stake, or 10,000 CMT if it is none. */
    long maxStake(final String candidate)
    {
        final Candidate k = c.dpos.candidates.get(new ByteKey(address(candidate)));
        return k == null ? 10_000_000_000L : k.maxStakeMicroCmt;
    }

    byte[] tx(final String sender, final int type, final byte[] body)
    {
        types.add(type);
        return c.tx(sender, type, body);
    }

    /** @return mostly a user, else the candidate itself. */
    String delegator(final String candidate)
    {
        return random.nextBoolean() ? pick(USERS) : candidate;
    }

    byte[] delegate(final String candidate, final String delegator)
    {
        return tx(delegator, DELEGATE, DposBodies.stake(address(candidate), amount()));
    }

    byte[] withdraw(final String candidate, final String delegator)
    {
        return tx(delegator, WITHDRAW, DposBodies.stake(address(candidate), withdrawal(candidate, delegator)));
    }

    byte[] activateOrDeactivate(final String candidate)
    {
        return tx(candidate, random.nextBoolean() ? ACTIVATE_CANDIDACY : DEACTIVATE_CANDIDACY, DposBodies.empty());
    }

    byte[] declareCandidacy()
    {
        final String newcomer = pick(newcomers);
        return tx(newcomer, DECLARE_CANDIDACY, DposBodies.declareCandidacy(key(newcomer).publicKey(),
            10_000_000_000L + random.nextInt(1_000_000_000), 1 + random.nextInt(500_000), new byte[4]));
    }

    byte[] verifyCandidacy()
    {
        return tx(FOUNDATION, VERIFY_CANDIDACY, DposBodies.verifyCandidacy(address(anyCandidate()), random.nextInt(2)));
    }

    /**
     * @param latest the latest height the evidence may be of.
     * @return evidence from a user that a candidate signed two blocks at a height of the last four up to latest.
     */
    byte[] doubleSignEvidence(final long latest)
    {
        final String offender = anyCandidate();
        final long at = Math.max(1, latest - random.nextInt(4));
        return tx(pick(USERS), DOUBLE_SIGN_EVIDENCE, DposBodies.doubleSignEvidence(key(offender).publicKey(),
            DposRejectionTest.signed(key(offender), at, 1), DposRejectionTest.signed(key(offender), at, 2)));
    }

    byte[] proposeTransferFund()
    {
        return tx(member(), PROPOSE, DposBodies.proposeTransferFund(address(pick(USERS)), address(pick(USERS)),
            amount()));
    }
}
