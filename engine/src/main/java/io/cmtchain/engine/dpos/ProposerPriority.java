package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Tendermint's proposer-priority rotation, deterministic and stake-weighted: over any window each validator
 * proposes in proportion to its voting power.
 * <p>
 * Per block: rescale priorities so that their spread is at most twice the total power (dividing by the rounded-up
 * ratio), centre them on zero (subtract the floor of their mean), add each validator's power to its priority, pick
 * the highest priority (ties: the lower address) as proposer and subtract the total power from it. A validator
 * joining the set starts at {@code -(total + total / 8)} so that it does not propose at once; one that stays keeps
 * its priority across set changes. Arithmetic saturates at the long range instead of wrapping.
 */
public final class ProposerPriority
{
    private byte[][] addresses = new byte[0][];
    private long[] power = new long[0];
    private long[] priority = new long[0];
    private byte[][] spareAddresses = new byte[0][];
    private long[] sparePower = new long[0];
    private long[] sparePriority = new long[0];
    private long totalPower;
    private int proposer = -1;
    private long height;

    /**
     * Replace the validator set; validators present before keep their priority.
     *
     * @param newAddresses 20-byte addresses.
     * @param newPowers    voting powers, > 0.
     * @param count        validators.
     */
    public void update(final byte[][] newAddresses, final long[] newPowers, final int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            if (newPowers[i] <= 0)
            {
                throw new IllegalArgumentException("voting power must be > 0");
            }
            total = Math.addExact(total, newPowers[i]);
        }
        // Written into the set before last (kept as a spare) rather than new arrays: the election calls this every
        // block, usually with a set of the same size. The current set is read below, so the two never share arrays.
        if (spareAddresses.length != count)
        {
            spareAddresses = new byte[count][];
            sparePower = new long[count];
            sparePriority = new long[count];
        }
        final byte[][] a = spareAddresses;
        final long[] p = sparePower;
        final long[] pr = sparePriority;
        for (int i = 0; i < count; i++)
        {
            if (a[i] == null || a[i].length != newAddresses[i].length)
            {
                a[i] = newAddresses[i].clone();
            }
            else
            {
                System.arraycopy(newAddresses[i], 0, a[i], 0, a[i].length);
            }
            p[i] = newPowers[i];
            pr[i] = saturatedSub(0, saturatedAdd(total, total >> 3));
            for (int j = 0; j < addresses.length; j++)
            {
                if (Arrays.equals(addresses[j], a[i]))
                {
                    pr[i] = priority[j];
                    break;
                }
            }
        }
        spareAddresses = addresses;
        sparePower = power;
        sparePriority = priority;
        addresses = a;
        power = p;
        priority = pr;
        totalPower = total;
        proposer = -1;
        if (count > 0)
        {
            rescale();
            centre();
        }
    }

    /** @return validators in the set. */
    public int size()
    {
        return addresses.length;
    }

    /**
     * Move to the next height and choose its proposer.
     *
     * @return index of the proposer in the set, or -1 for an empty set.
     */
    public int advance()
    {
        height++;
        final int n = addresses.length;
        if (n == 0)
        {
            proposer = -1;
            return -1;
        }
        rescale();
        centre();
        int best = 0;
        for (int i = 0; i < n; i++)
        {
            priority[i] = saturatedAdd(priority[i], power[i]);
        }
        for (int i = 1; i < n; i++)
        {
            if (priority[i] > priority[best] ||
                (priority[i] == priority[best] && Arrays.compareUnsigned(addresses[i], addresses[best]) < 0))
            {
                best = i;
            }
        }
        priority[best] = saturatedSub(priority[best], totalPower);
        proposer = best;
        return best;
    }

    /** @return the height the last {@link #advance()} chose a proposer for. */
    public long height()
    {
        return height;
    }

    /**
     * @param value height the next {@link #advance()} follows (the schedule's own count; set at genesis or restore).
     */
    public void height(final long value)
    {
        height = value;
    }

    /** @return a copy of the address chosen by the last {@link #advance()}, or null. */
    public byte[] proposer()
    {
        return proposer < 0 ? null : addresses[proposer].clone();
    }

    /**
     * @param out    receives the current proposer's address.
     * @param offset in {@code out}.
     * @return false (and nothing written) for an empty set.
     */
    public boolean proposer(final byte[] out, final int offset)
    {
        if (proposer < 0)
        {
            return false;
        }
        System.arraycopy(addresses[proposer], 0, out, offset, addresses[proposer].length);
        return true;
    }

    /**
     * @param address 20 bytes.
     * @return true when this address is the current proposer (no copy made).
     */
    public boolean isProposer(final byte[] address)
    {
        return proposer >= 0 && Arrays.equals(addresses[proposer], address);
    }

    /**
     * Look ahead without changing this schedule: the proposer at a later height if the set stays as it is.
     *
     * @param atHeight > {@link #height()}; equal returns the current proposer.
     * @return its address, or null for an empty set.
     */
    public byte[] proposer(final long atHeight)
    {
        if (atHeight < height)
        {
            throw new IllegalArgumentException("height " + atHeight + " is before the schedule's " + height);
        }
        if (atHeight == height)
        {
            return proposer();
        }
        final ProposerPriority copy = new ProposerPriority();
        copy.addresses = addresses;
        copy.power = power;
        copy.priority = priority.clone();
        copy.totalPower = totalPower;
        copy.height = height;
        int p = -1;
        while (copy.height < atHeight)
        {
            p = copy.advance();
        }
        return p < 0 ? null : addresses[p].clone();
    }

    /**
     * @param index in the set.
     * @return its current priority.
     */
    public long priority(final int index)
    {
        return priority[index];
    }

    /**
     * @param index in the set.
     * @return a copy of its address.
     */
    byte[] address(final int index)
    {
        return addresses[index].clone();
    }

    /**
     * @param index in the set.
     * @return its voting power.
     */
    long power(final int index)
    {
        return power[index];
    }

    /** @return index in the set of the proposer chosen by the last {@link #advance()}, or -1. */
    int proposerIndex()
    {
        return proposer;
    }

    void digest(final Sha256 sha)
    {
        sha.updateLong(height).updateLong(proposer).updateLong(addresses.length);
        for (int i = 0; i < addresses.length; i++)
        {
            sha.update(addresses[i]).updateLong(power[i]).updateLong(priority[i]);
        }
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(addresses.length);
        for (int i = 0; i < addresses.length; i++)
        {
            out.write(addresses[i]);
            out.writeLong(power[i]);
            out.writeLong(priority[i]);
        }
        out.writeLong(totalPower);
        out.writeInt(proposer);
        out.writeLong(height);
    }

    void read(final DataInput in) throws IOException
    {
        final int n = DposCodec.count(in, 1_000, "validators in the proposer schedule");
        addresses = new byte[n][20];
        power = new long[n];
        priority = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            in.readFully(addresses[i]);
            // As update() takes them: each power > 0, their sum within a long.
            power[i] = DposCodec.atLeast(in.readLong(), 1, "proposer schedule: power");
            if (power[i] > Long.MAX_VALUE - sum)
            {
                throw new IOException("proposer schedule: powers add up past 2^63-1");
            }
            sum += power[i];
            priority[i] = in.readLong();
        }
        totalPower = in.readLong();
        proposer = in.readInt();
        height = in.readLong();
        if (totalPower != sum)
        {
            // advance() takes the total from the proposer's priority and rescale() spreads by it.
            throw new IOException("proposer schedule: total power " + totalPower + " is not the sum of the powers, " +
                sum);
        }
        if (proposer < -1 || proposer >= n)
        {
            throw new IOException("proposer index " + proposer + " outside a set of " + n);
        }
    }

    private void rescale()
    {
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (final long p : priority)
        {
            max = Math.max(max, p);
            min = Math.min(min, p);
        }
        final long diff = saturatedSub(max, min);
        final long window = saturatedAdd(totalPower, totalPower);
        if (window > 0 && diff > window)
        {
            // Rounded up without forming diff + window - 1, which passes the long range once the total power passes
            // 2^61 (a genesis may hold up to 2^62 - 1 µCMT): wrapped, the ratio came out negative or 0.
            final long ratio = diff / window + (diff % window == 0 ? 0 : 1);
            for (int i = 0; i < priority.length; i++)
            {
                priority[i] = priority[i] / ratio;
            }
        }
    }

    private void centre()
    {
        final int n = priority.length;
        long quotients = 0;
        long remainders = 0;
        for (final long p : priority)
        {
            // floor(sum / n) without overflow: sum of floor quotients plus the floor of the summed remainders.
            quotients += Math.floorDiv(p, n);
            remainders += Math.floorMod(p, n);
        }
        final long mean = quotients + Math.floorDiv(remainders, n);
        for (int i = 0; i < n; i++)
        {
            priority[i] = saturatedSub(priority[i], mean);
        }
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    private static long saturatedSub(final long a, final long b)
    {
        final long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
