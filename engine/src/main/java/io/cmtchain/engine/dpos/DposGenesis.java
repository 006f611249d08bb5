package io.cmtchain.engine.dpos;

import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code "dpos"} object of a genesis file:
 * <pre>
 * "dpos": {
 *   "maxValidators": 19, "maxBackups": 5, ... (any parameter of {@link DposParams} by name; defaults: CyberMiles)
 *   "inflationBaseMicroCmt": 1000000000000000,   (10^9 CMT)
 *   "compoundOnSupply": false,
 *   "foundation": "40 hex",                      (may verify candidates; default: no one)
 *   "candidates": [{"publicKey": "64 hex", "owner": "40 hex" (default: the key's address),
 *                   "maxStakeMicroCmt": ..., "commissionPpm": ..., "stakeMicroCmt": ..., "description": "..."}],
 *   "delegations": [{"delegator": "40 hex", "candidate": "40 hex (owner)", "amountMicroCmt": ...}]
 * }
 * </pre>
 * A genesis candidate's stake is its owner's self-delegation; it and every genesis delegation count in the genesis
 * supply.
 */
public final class DposGenesis
{
    private static final List<String> CANDIDATE_FIELDS = List.of("publicKey", "owner", "maxStakeMicroCmt",
        "commissionPpm", "stakeMicroCmt", "description", "comment");
    private static final List<String> DELEGATION_FIELDS =
        List.of("delegator", "candidate", "amountMicroCmt", "comment");

    private final Map<String, Object> doc;
    private long stakedMicroCmt;

    private DposGenesis(final Map<String, Object> doc)
    {
        this.doc = doc;
    }

    /**
     * Parse and validate (by building the state once).
     *
     * @param doc the "dpos" object.
     * @return the parsed genesis section.
     * @throws IllegalArgumentException naming the problem.
     */
    public static DposGenesis parse(final Map<String, Object> doc)
    {
        final DposGenesis g = new DposGenesis(doc);
        g.create();
        return g;
    }

    /** @return µCMT staked by the genesis candidates. */
    public long stakedMicroCmt()
    {
        return stakedMicroCmt;
    }

    /**
     * Build a fresh DPoS state (parameters are mutable by governance, so each state gets its own).
     *
     * @return the state with its genesis candidates; the caller sets the genesis supply.
     */
    @SuppressWarnings("unchecked")
    public DposState create()
    {
        final DposParams params = new DposParams();
        for (final Map.Entry<String, Object> e : doc.entrySet())
        {
            final String key = e.getKey();
            final Object value = e.getValue();
            final int id = DposParams.idOf(key);
            if (id != 0)
            {
                params.set(id, longValue(key, value));
            }
            else if (key.equals("inflationBaseMicroCmt"))
            {
                params.inflationBaseMicroCmt(longValue(key, value));
            }
            else if (key.equals("compoundOnSupply"))
            {
                if (!(value instanceof Boolean))
                {
                    throw new IllegalArgumentException("compoundOnSupply must be true or false");
                }
                params.compoundOnSupply((Boolean)value);
            }
            else if (key.equals("foundation"))
            {
                params.foundation(hex(value, "foundation", 20));
            }
            else if (!key.equals("candidates") && !key.equals("delegations") && !key.equals("comment"))
            {
                throw new IllegalArgumentException("unknown field \"" + key + "\"");
            }
        }
        final DposState state = new DposState(params);
        long staked = 0;
        final Object list = doc.get("candidates");
        if (list != null)
        {
            if (!(list instanceof List))
            {
                throw new IllegalArgumentException("candidates must be a JSON array");
            }
            final List<Object> candidates = (List<Object>)list;
            for (int i = 0; i < candidates.size(); i++)
            {
                final String where = "candidates[" + i + "]";
                if (!(candidates.get(i) instanceof Map))
                {
                    throw new IllegalArgumentException(where + " must be a JSON object");
                }
                final Map<String, Object> c = (Map<String, Object>)candidates.get(i);
                final String unknown = Json.firstUnknownField(c, CANDIDATE_FIELDS);
                if (unknown != null)
                {
                    throw new IllegalArgumentException(where + " has an unknown field \"" + unknown + "\"");
                }
                final byte[] publicKey = hex(c.get("publicKey"), where + ".publicKey", 32);
                final byte[] owner = c.containsKey("owner") ?
                    hex(c.get("owner"), where + ".owner", 20) : Addresses.of(publicKey);
                final long max = longValue(where + ".maxStakeMicroCmt", c.get("maxStakeMicroCmt"));
                final long commission = longValue(where + ".commissionPpm", c.get("commissionPpm"));
                final long stake = longValue(where + ".stakeMicroCmt", c.get("stakeMicroCmt"));
                final Object description = c.getOrDefault("description", "");
                if (!(description instanceof String))
                {
                    throw new IllegalArgumentException(where + ".description must be a string");
                }
                if (commission <= 0 || commission >= 1_000_000)
                {
                    // Checked here, on the value as written: cast to an int first, -4,294,967,295 would read as 1.
                    throw new IllegalArgumentException(
                        where + ".commissionPpm must be in 1..999999, was " + commission);
                }
                try
                {
                    state.genesisCandidate(owner, publicKey, max, (int)commission, stake,
                        ((String)description).getBytes(StandardCharsets.UTF_8));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(where + ": " + ex.getMessage());
                }
                staked = Math.addExact(staked, stake);
            }
        }
        final Object delegationList = doc.get("delegations");
        if (delegationList != null)
        {
            if (!(delegationList instanceof List))
            {
                throw new IllegalArgumentException("delegations must be a JSON array");
            }
            final List<Object> delegations = (List<Object>)delegationList;
            for (int i = 0; i < delegations.size(); i++)
            {
                final String where = "delegations[" + i + "]";
                if (!(delegations.get(i) instanceof Map))
                {
                    throw new IllegalArgumentException(where + " must be a JSON object");
                }
                final Map<String, Object> d = (Map<String, Object>)delegations.get(i);
                final String unknown = Json.firstUnknownField(d, DELEGATION_FIELDS);
                if (unknown != null)
                {
                    throw new IllegalArgumentException(where + " has an unknown field \"" + unknown + "\"");
                }
                final long amount = longValue(where + ".amountMicroCmt", d.get("amountMicroCmt"));
                try
                {
                    state.genesisDelegation(hex(d.get("delegator"), where + ".delegator", 20),
                        hex(d.get("candidate"), where + ".candidate", 20), amount);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(where + ": " + ex.getMessage());
                }
                staked = Math.addExact(staked, amount);
            }
        }
        stakedMicroCmt = staked;
        return state;
    }

    private static long longValue(final String where, final Object value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(where + " is missing (an integer)");
        }
        if (!(value instanceof Long))
        {
            throw new IllegalArgumentException(where + " must be an integer, was " + value);
        }
        return (Long)value;
    }

    private static byte[] hex(final Object value, final String where, final int length)
    {
        if (!(value instanceof String))
        {
            throw new IllegalArgumentException(where + " must be a hex string");
        }
        String s = (String)value;
        if (s.startsWith("0x"))
        {
            s = s.substring(2);
        }
        final byte[] bytes;
        try
        {
            bytes = Hex.decode(s);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(where + " is not hex: " + ex.getMessage());
        }
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(where + " must be " + length + " bytes, was " + bytes.length);
        }
        return bytes;
    }

    /** @return candidates in the genesis, for tools. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> candidates()
    {
        final Object list = doc.get("candidates");
        return list == null ? new ArrayList<>() : (List<Map<String, Object>>)list;
    }
}
