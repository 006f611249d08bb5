package io.cmtchain.engine.dpos;

import io.cmtchain.engine.codec.ReceiptStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DELEGATE, UPDATE_CANDIDACY and SET_COMP_RATE check that the stake they add fits the pool it buys into
 * ({@link StakePool#canBuy}) before they change anything, and reject OVERFLOW when it does not. The check must be
 * exactly the buy the rule then makes: one that passes where the buy throws fails the block on every node, one that
 * refuses where the buy works rejects a valid stake. Each case prices a pool as slashing can (a share down to a tiny
 * fraction of a µCMT; a pool with shares always has a value) and sends the largest amount that buys at most 2^63 - 1
 * shares in all, then one µCMT more, in each shape the rules buy in: a new delegation, one holding shares of pool 0 or
 * of another pool, an idle one that the amount takes past the minimum (the total buys), the owner's self-stake charged
 * on a raised maximum, and a delegation moved at its worth into an existing pool. The states are set directly, not
 * reached by a history, and the blocks award nothing.
 */
class StakeFitTest
{
    private static final int OK = ReceiptStatus.OK.value();
    private static final int OVERFLOW = ReceiptStatus.OVERFLOW.value();
    private static final int INVALID_AMOUNT = ReceiptStatus.INVALID_AMOUNT.value();
    private static final long MIN = 1_000;
    private static final int POOLS = 150;
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** A pool of {@link #shouldRefuseAStakeThatWouldBuyNoShare}: 10^12 µCMT for 1,000 shares, 10^9 µCMT a share. */
    private static final long VALUE = 1_000_000_000_000L;
    private static final long SHARES = 1_000;
    private static final long PRICE = VALUE / SHARES;

    /** A new chain: candidate A (selfStakePpm 10^6, so a raised maximum charges exactly the difference). */
    private static DposChain chain()
    {
        final DposChain c = new DposChain(0, "\"minDelegationMicroCmt\":" + MIN + ",\"inflationPpm\":0," +
            "\"selfStakePpm\":1000000,\"candidates\":[" + candidate("A", 1_000_000, 100_000, 1_000_000) + "]",
            "A", 10, "dan", 10, "eve", 10);
        c.block("");
        return c;
    }

    /**
     * @return the largest amount a pool of {@code value} µCMT for {@code shares} shares can take while the shares
     * bound binds (the amount that buys one share too many is below what would take the value past 2^63 - 1), or -1.
     */
    private static long largestFit(final long value, final long shares)
    {
        // floor(x * shares / value) <= 2^63 - 1 - shares  <=>  x <= ((2^63 - shares) * value - 1) / shares.
        final BigInteger fit = MAX.subtract(BigInteger.valueOf(shares)).add(BigInteger.ONE)
            .multiply(BigInteger.valueOf(value)).subtract(BigInteger.ONE).divide(BigInteger.valueOf(shares));
        return fit.add(BigInteger.TWO).compareTo(MAX.subtract(BigInteger.valueOf(value))) <= 0 ?
            fit.longValueExact() : -1;
    }

    private static long minted(final long value, final long shares, final long amount)
    {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(shares)).divide(BigInteger.valueOf(value))
            .longValueExact();
    }

    /** @return total shares of a pool that slashing has cheapened: from 2 to 2^63 - 1. */
    private static long shares(final Random r)
    {
        final long[] some = {1_000_000_000_000L, 100_000_000_000_000L, 1L << 62, Long.MAX_VALUE / 3,
            Long.MAX_VALUE - 1};
        return r.nextBoolean() ? some[r.nextInt(some.length)] : 2 + (r.nextLong() >>> (1 + r.nextInt(62)));
    }

    /** @return a value for {@code shares} shares: at most one µCMT a share, down to 1 µCMT for all of them. */
    private static long value(final Random r, final long shares)
    {
        final long[] some = {1, 2, 100, 501_192, 1_000_000};
        final long v = r.nextBoolean() ? some[r.nextInt(some.length)] : 1 + (long)(r.nextDouble() * (shares - 1));
        return Math.min(v, shares);
    }

    private static void balance(final DposChain c, final String label, final long balanceMicroCmt)
    {
        final int slot = c.state.accounts().findOrCreate(new UnsafeBuffer(address(label)), 0);
        c.state.accounts().balance(slot, balanceMicroCmt);
    }

    private static Delegation delegation(final DposChain c, final String label)
    {
        return c.candidate("A").delegations.get(new ByteKey(address(label)));
    }

    /** Set pool 0 of A to a price, all its shares the owner's; A's maximum out of the way of DELEGATE. */
    private static StakePool pool0(final DposChain c, final long value, final long shares)
    {
        final Candidate a = c.candidate("A");
        final StakePool p = a.pools.get(0);
        p.valueMicroCmt = value;
        p.totalShares = shares;
        a.delegations.get(a.owner).shares = shares;
        a.maxStakeMicroCmt = Long.MAX_VALUE;
        c.dpos.heldMicroCmt = value;
        return p;
    }

    /**
     * A chain where dan holds 2 &times; {@code worth} shares of A's pool 0, priced at two shares a µCMT (so they are
     * worth {@code worth}: a move buys with the worth, not the shares), and eve holds every share of A's pool at 5%,
     * {@code value} µCMT for {@code shares}, priced as slashing can leave it.
     */
    private static DposChain chainWithADelegationToMove(final long worth, final long value, final long shares)
    {
        final DposChain c = chain();
        final StakePool p0 = pool0(c, worth + 1, 2 * (worth + 1));
        final Candidate a = c.candidate("A");
        a.delegations.get(a.owner).shares = 2;
        final Delegation d = c.dpos.delegation(a, new ByteKey(address("dan")));
        d.shares = 2 * worth;
        final StakePool target = a.pool(50_000);
        target.valueMicroCmt = value;
        target.totalShares = shares;
        final Delegation e = c.dpos.delegation(a, new ByteKey(address("eve")));
        e.pool = target;
        e.shares = shares;
        c.dpos.heldMicroCmt = worth + 1 + value;
        assertEquals(worth, p0.valueOf(d.shares));
        return c;
    }

    private static int send(final DposChain c, final String sender, final int type, final byte[] body)
    {
        return c.block("", c.tx(sender, type, body))[0];
    }

    /** Counts of OK and OVERFLOW, each of which every shape must see. */
    private final int[] outcomes = new int[2];

    private boolean accepted(final int status, final String what)
    {
        assertTrue(status == OK || status == OVERFLOW, what + ": status " + status);
        outcomes[status == OK ? 0 : 1]++;
        return status == OK;
    }

    private void assertBothSeen(final String shape)
    {
        assertTrue(outcomes[0] > 20 && outcomes[1] > 20, shape + ": ok " + outcomes[0] + ", overflow " + outcomes[1]);
        outcomes[0] = 0;
        outcomes[1] = 0;
    }

    @Test
    void shouldBuyIntoPoolZeroForANewDelegationExactlyWhenItFits()
    {
        final Random r = new Random(31);
        for (int i = 0; i < POOLS; i++)
        {
            final long shares = shares(r);
            final long value = value(r, shares);
            final long fit = largestFit(value, shares);
            for (long amount = fit; fit >= MIN && amount <= fit + 1; amount++)
            {
                final DposChain c = chain();
                final StakePool p = pool0(c, value, shares);
                balance(c, "dan", amount);
                final String what = "new delegation of " + amount + " into " + value + " µCMT for " + shares;
                if (accepted(send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount)), what))
                {
                    assertEquals(fit, amount, what);
                    assertEquals(minted(value, shares, amount), delegation(c, "dan").shares, what);
                    assertEquals(value + amount, p.valueMicroCmt, what);
                }
                else
                {
                    assertEquals(fit + 1, amount, what);
                    assertNull(delegation(c, "dan"), what);
                    assertEquals(shares, p.totalShares, what);
                    assertEquals(amount, c.balance("dan"), what);
                }
            }
        }
        assertBothSeen("new delegation");
    }

    @Test
    void shouldBuyIntoTheDelegationsOwnPoolExactlyWhenItFits()
    {
        // dan holds shares of pool 0 (some of the owner's), or all the shares of a pool at 5%: the buy is in its pool.
        final Random r = new Random(37);
        for (int i = 0; i < 2 * POOLS; i++)
        {
            final boolean inPoolZero = i % 2 == 0;
            final long shares = shares(r);
            final long value = value(r, shares);
            final long fit = largestFit(value, shares);
            for (long amount = fit; fit >= 1 && fit + 1 <= Long.MAX_VALUE - value - 1_000_000 && amount <= fit + 1;
                amount++)
            {
                final DposChain c = chain();
                final Candidate a = c.candidate("A");
                final StakePool p;
                final long held;
                final Delegation d = c.dpos.delegation(a, new ByteKey(address("dan")));
                if (inPoolZero)
                {
                    p = pool0(c, value, shares);
                    held = 1 + (long)(r.nextDouble() * (shares - 1));
                    a.delegations.get(a.owner).shares = shares - held;
                }
                else
                {
                    p = a.pool(50_000);
                    p.valueMicroCmt = value;
                    p.totalShares = shares;
                    held = shares;
                    d.pool = p;
                    a.maxStakeMicroCmt = Long.MAX_VALUE;
                    c.dpos.heldMicroCmt = 1_000_000 + value;
                }
                d.shares = held;
                balance(c, "dan", amount);
                final String what = (inPoolZero ? "pool 0" : "pool at 5%") + ": " + amount + " into " + value +
                    " µCMT for " + shares;
                if (accepted(send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount)), what))
                {
                    assertEquals(fit, amount, what);
                    assertEquals(held + minted(value, shares, amount), d.shares, what);
                }
                else
                {
                    assertEquals(fit + 1, amount, what);
                    assertEquals(held, d.shares, what);
                    assertEquals(shares, p.totalShares, what);
                }
            }
        }
        assertBothSeen("delegation with shares");
    }

    @Test
    void shouldBuyWithTheWholeIdleAmountExactlyWhenTheTotalFits()
    {
        // dan has an idle delegation below the minimum; the amount takes it past the minimum, and idle plus amount
        // is what buys: at the largest total that fits, and one more.
        final Random r = new Random(41);
        for (int i = 0; i < POOLS; i++)
        {
            final long shares = shares(r);
            final long value = value(r, shares);
            final long fit = largestFit(value, shares);
            final long idle = 1 + r.nextInt((int)MIN - 1);
            for (long total = fit; fit >= MIN && total <= fit + 1; total++)
            {
                final DposChain c = chain();
                final Candidate a = c.candidate("A");
                final StakePool p = pool0(c, value, shares);
                final Delegation d = c.dpos.delegation(a, new ByteKey(address("dan")));
                d.idleMicroCmt = idle;
                a.idleMicroCmt = idle;
                c.dpos.heldMicroCmt += idle;
                final long amount = total - idle;
                balance(c, "dan", amount);
                final String what = "idle " + idle + " + " + amount + " into " + value + " µCMT for " + shares;
                if (accepted(send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount)), what))
                {
                    assertEquals(fit, total, what);
                    assertEquals(minted(value, shares, total), d.shares, what);
                    assertEquals(0, d.idleMicroCmt, what);
                    assertEquals(0, a.idleMicroCmt, what);
                }
                else
                {
                    assertEquals(fit + 1, total, what);
                    assertEquals(idle, d.idleMicroCmt, what);
                    assertEquals(shares, p.totalShares, what);
                }
            }
        }
        assertBothSeen("idle delegation");
    }

    @Test
    void shouldChargeTheSelfStakeOfARaisedMaximumExactlyWhenItFits()
    {
        // UPDATE_CANDIDACY raising A's maximum by x charges x (selfStakePpm 10^6), bought for the owner in pool 0.
        final Random r = new Random(43);
        for (int i = 0; i < POOLS; i++)
        {
            final long shares = shares(r);
            final long value = value(r, shares);
            final long fit = largestFit(value, shares);
            for (long charge = fit; fit >= 1 && charge <= fit + 1; charge++)
            {
                final DposChain c = chain();
                final Candidate a = c.candidate("A");
                final StakePool p = pool0(c, value, shares);
                a.maxStakeMicroCmt = value;
                balance(c, "A", charge);
                final String what = "charge " + charge + " into " + value + " µCMT for " + shares;
                final int status = send(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(value + charge,
                    new byte[0]));
                if (accepted(status, what))
                {
                    assertEquals(fit, charge, what);
                    assertEquals(shares + minted(value, shares, charge), a.delegations.get(a.owner).shares, what);
                    assertEquals(value + charge, a.maxStakeMicroCmt, what);
                }
                else
                {
                    assertEquals(fit + 1, charge, what);
                    assertEquals(shares, p.totalShares, what);
                    assertEquals(value, a.maxStakeMicroCmt, what);
                    assertEquals(charge, c.balance("A"), what);
                }
            }
        }
        assertBothSeen("raised maximum");
    }

    @Test
    void shouldMoveADelegationIntoAnExistingPoolExactlyWhenItsWorthFits()
    {
        // dan holds 2m shares of pool 0 at two shares a µCMT (worth m: the move buys with the worth, not the shares);
        // A moves it to the pool at 5% that eve holds, priced as slashing left it.
        final Random r = new Random(47);
        for (int i = 0; i < POOLS; i++)
        {
            final long shares = shares(r);
            final long value = value(r, shares);
            final long fit = largestFit(value, shares);
            for (long worth = fit; fit >= 1 && fit < Long.MAX_VALUE / 2 - 2 && worth <= fit + 1; worth++)
            {
                final DposChain c = chainWithADelegationToMove(worth, value, shares);
                final Candidate a = c.candidate("A");
                final StakePool p0 = a.pools.get(0);
                final Delegation d = a.delegations.get(new ByteKey(address("dan")));
                final StakePool target = a.pool(50_000);
                final String what = "worth " + worth + " into " + value + " µCMT for " + shares;
                if (accepted(send(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 50_000)), what))
                {
                    assertEquals(fit, worth, what);
                    assertEquals(target, d.pool, what);
                    assertEquals(minted(value, shares, worth), d.shares, what);
                }
                else
                {
                    assertEquals(fit + 1, worth, what);
                    assertEquals(p0, d.pool, what);
                    assertEquals(2 * worth, d.shares, what);
                    assertEquals(shares, target.totalShares, what);
                }
            }
        }
        assertBothSeen("moved delegation");
    }

    @Test
    void shouldRefuseAStakeThatWouldBuyNoShare()
    {
        // A share of 10^9 µCMT (10^12 µCMT for 1,000 shares): 10^9 - 1 µCMT buys floor(0.999999999) = 0 shares. The
        // rules took it (receipt OK) and the payer got nothing, the amount shared out to the pool's holders. Each
        // shape refuses it INVALID_AMOUNT and changes nothing; 10^9 buys one share.
        for (long amount = PRICE - 1; amount <= PRICE; amount++)
        {
            final boolean buys = amount == PRICE;
            final String what = amount + " µCMT at " + PRICE + " a share";
            buyNoShareAsANewDelegation(amount, buys, what);
            buyNoShareInTheDelegationsPool(amount, buys, what);
            buyNoShareWithIdleTakenPastTheMinimum(amount, buys, what);
            buyNoShareWithTheSelfStakeOfARaisedMaximum(amount, buys, what);
            buyNoShareWithAMovedDelegation(amount, buys, what);
        }
    }

    private static int expected(final boolean buys)
    {
        return buys ? OK : INVALID_AMOUNT;
    }

    private static void buyNoShareAsANewDelegation(final long amount, final boolean buys, final String what)
    {
        final DposChain c = chain();
        final StakePool p = pool0(c, VALUE, SHARES);
        balance(c, "dan", amount);
        assertEquals(expected(buys), send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount)), what);
        assertEquals(buys ? 1 : 0, delegation(c, "dan") == null ? 0 : delegation(c, "dan").shares, what);
        assertEquals(buys ? 0 : amount, c.balance("dan"), what);
        assertEquals(buys ? VALUE + amount : VALUE, p.valueMicroCmt, what);
    }

    private static void buyNoShareInTheDelegationsPool(final long amount, final boolean buys, final String what)
    {
        final DposChain c = chain();
        final StakePool p = pool0(c, VALUE, SHARES);
        final Candidate a = c.candidate("A");
        a.delegations.get(a.owner).shares = SHARES - 10;
        c.dpos.delegation(a, new ByteKey(address("dan"))).shares = 10;
        balance(c, "dan", amount);
        assertEquals(expected(buys), send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount)), what);
        assertEquals(buys ? 11 : 10, delegation(c, "dan").shares, what);
        assertEquals(buys ? SHARES + 1 : SHARES, p.totalShares, what);
        assertEquals(buys ? 0 : amount, c.balance("dan"), what);
    }

    private static void buyNoShareWithIdleTakenPastTheMinimum(final long amount, final boolean buys, final String what)
    {
        // Idle principal and the amount buy together.
        final DposChain c = chain();
        final StakePool p = pool0(c, VALUE, SHARES);
        final Delegation idle = c.dpos.delegation(c.candidate("A"), new ByteKey(address("dan")));
        idle.idleMicroCmt = 500;
        c.candidate("A").idleMicroCmt = 500;
        c.dpos.heldMicroCmt += 500;
        balance(c, "dan", amount - 500);
        assertEquals(expected(buys), send(c, "dan", DELEGATE, DposBodies.stake(address("A"), amount - 500)), what);
        assertEquals(buys ? 0 : 500, idle.idleMicroCmt, what);
        assertEquals(buys ? 1 : 0, idle.shares, what);
        assertEquals(buys ? SHARES + 1 : SHARES, p.totalShares, what);
    }

    private static void buyNoShareWithTheSelfStakeOfARaisedMaximum(
        final long amount, final boolean buys, final String what)
    {
        // selfStakePpm 10^6: the whole difference is charged.
        final DposChain c = chain();
        final StakePool p = pool0(c, VALUE, SHARES);
        c.candidate("A").maxStakeMicroCmt = VALUE;
        balance(c, "A", amount);
        assertEquals(expected(buys), send(c, "A", UPDATE_CANDIDACY, DposBodies.updateCandidacy(VALUE + amount,
            new byte[0])), what);
        assertEquals(buys ? VALUE + amount : VALUE, c.candidate("A").maxStakeMicroCmt, what);
        assertEquals(buys ? SHARES + 1 : SHARES, p.totalShares, what);
        assertEquals(buys ? 0 : amount, c.balance("A"), what);
    }

    private static void buyNoShareWithAMovedDelegation(final long amount, final boolean buys, final String what)
    {
        // dan's delegation, worth the amount, moved into the existing pool at 5% (eve's) at that price.
        final DposChain c = chainWithADelegationToMove(amount, VALUE, SHARES);
        final Candidate a = c.candidate("A");
        final StakePool p0 = a.pools.get(0);
        final Delegation moved = a.delegations.get(new ByteKey(address("dan")));
        final StakePool target = a.pool(50_000);
        assertEquals(expected(buys), send(c, "A", SET_COMP_RATE, DposBodies.setCompRate(address("dan"), 50_000)),
            what);
        assertEquals(buys ? target : p0, moved.pool, what);
        assertEquals(buys ? 1 : 2 * amount, moved.shares, what);
        assertEquals(buys ? SHARES + 1 : SHARES, target.totalShares, what);
        assertEquals(buys ? VALUE + amount : VALUE, target.valueMicroCmt, what);
    }
}
