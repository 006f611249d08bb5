package io.cmtchain.transport.loadgen;

import java.util.Locale;

/**
 * The load generator's {@code --mix}: the share of each kind of transaction, as weights, e.g.
 * {@code transfer=60,token=25,escrow=15}. Kinds:
 * <ul>
 *   <li>{@code transfer}: CMT TRANSFER;</li>
 *   <li>{@code token}: TOKEN_TRANSFER of the sender's own token (each sender creates one, TOKEN_CREATE, in a setup
 *       phase that must commit before the measured phase);</li>
 *   <li>{@code escrow}: ESCROW_CREATE of CMT to a recipient, then the buyer's ESCROW_RELEASE of it;</li>
 *   <li>{@code loan}: LOAN_OFFER to a recipient, then the lender's LOAN_CANCEL of it;</li>
 *   <li>{@code insurance}: INSURANCE_OPEN of a pool, then the insurer's own INSURANCE_BUY of a policy in it.</li>
 * </ul>
 * Weights are shares of transactions (a two-step kind counts both of its transactions).
 */
public final class LoadMix
{
    public static final int TRANSFER = 0;
    public static final int TOKEN = 1;
    public static final int ESCROW = 2;
    public static final int LOAN = 3;
    public static final int INSURANCE = 4;
    static final String[] NAMES = {"transfer", "token", "escrow", "loan", "insurance"};
    private static final int MAX_WEIGHT = 1_000_000;

    private final int[] weights;
    private final int total;

    private LoadMix(final int[] weights)
    {
        this.weights = weights;
        int sum = 0;
        for (final int w : weights)
        {
            sum += w;
        }
        this.total = sum;
    }

    /** @return transfers only, the default. */
    public static LoadMix transfersOnly()
    {
        final int[] w = new int[NAMES.length];
        w[TRANSFER] = 1;
        return new LoadMix(w);
    }

    /**
     * @param spec {@code kind=weight,...}; null or empty for transfers only.
     * @return the mix.
     * @throws IllegalArgumentException naming an unknown kind, a repeated kind or a bad weight.
     */
    public static LoadMix parse(final String spec)
    {
        if (spec == null || spec.isBlank())
        {
            return transfersOnly();
        }
        final int[] w = new int[NAMES.length];
        final boolean[] seen = new boolean[NAMES.length];
        for (final String part : spec.split(",", -1))
        {
            final int eq = part.indexOf('=');
            if (eq < 0)
            {
                throw new IllegalArgumentException("--mix: \"" + part.trim() + "\" is not kind=weight " +
                    "(kinds: " + String.join(", ", NAMES) + ")");
            }
            final String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            final int kind = kindOf(name);
            if (kind < 0)
            {
                throw new IllegalArgumentException("--mix: unknown kind \"" + name + "\" (kinds: " +
                    String.join(", ", NAMES) + ")");
            }
            if (seen[kind])
            {
                throw new IllegalArgumentException("--mix: kind \"" + name + "\" given twice");
            }
            seen[kind] = true;
            final String value = part.substring(eq + 1).trim();
            try
            {
                w[kind] = Integer.parseInt(value);
            }
            catch (final NumberFormatException ex)
            {
                w[kind] = -1;
            }
            if (w[kind] < 0 || w[kind] > MAX_WEIGHT)
            {
                throw new IllegalArgumentException("--mix: weight of \"" + name + "\" must be an integer in 0.." +
                    MAX_WEIGHT + ", was \"" + value + "\"");
            }
        }
        final LoadMix mix = new LoadMix(w);
        if (mix.total == 0)
        {
            throw new IllegalArgumentException("--mix: the weights add up to 0");
        }
        return mix;
    }

    private static int kindOf(final String name)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /** @return true when every transaction is a CMT transfer. */
    public boolean transfersOnlyMix()
    {
        return weights[TRANSFER] == total;
    }

    /** @return true when senders need their token created first. */
    public boolean needsTokens()
    {
        return weights[TOKEN] > 0;
    }

    /**
     * @param draw a value in 0..{@link #total()}-1.
     * @return the kind it falls on.
     */
    int kind(final int draw)
    {
        int acc = 0;
        for (int i = 0; i < weights.length; i++)
        {
            acc += weights[i];
            if (draw < acc)
            {
                return i;
            }
        }
        return TRANSFER;
    }

    int total()
    {
        return total;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++)
        {
            if (weights[i] > 0)
            {
                sb.append(sb.length() == 0 ? "" : ",").append(NAMES[i]).append('=').append(weights[i]);
            }
        }
        return sb.toString();
    }
}
