package io.cmtchain.engine.genesis;

import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposGenesis;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chain's first state and parameters, read from a JSON genesis file:
 * <pre>
 * {
 *   "chainId": 1001,
 *   "stateTreeDepth": 5,                                      (optional, 1..6, default 5)
 *   "accountsCapacity": 2097152,                              (optional sizing hint: accounts to presize for)
 *   "fees": {"minimumMicroCmt": 100, "byType": {"TRANSFER": 100}},
 *   "accounts": [{"address": "40 hex", "balanceMicroCmt": 1000000},   (each at nonce 0; no other fields but
 *                {"publicKey": "64 hex", "balanceMicroCmt": 5}],     "comment")
 *   "devnet": {"accounts": 1000, "balanceMicroCmt": 1000000000, "validators": 4,   (optional)
 *              "validatorStakesMicroCmt": [4000000000000, ...]},  (optional, with "dpos": devnet validators' stakes)
 *   "validators": [{"name": "v1", "publicKey": "64 hex"}],         (optional with "dpos": its candidates then)
 *   (every object here with named fields takes a "comment", and a field it does not know is refused, naming it;
 *    the keys of "byType" are transaction types only)
 *   "dpos": {...}                                             (optional: enables DPoS, see {@link DposGenesis})
 *   "contracts": {"maxScheduledActionsPerBlock": 1000}        (optional: enables Smart Business Contracts)
 * }
 * </pre>
 * The {@code devnet} entry adds accounts and validators whose keys anyone can derive
 * ({@link Ed25519Key#devnet(String, long)} with the tags {@link #DEVNET_ACCOUNT_TAG} and
 * {@link #DEVNET_VALIDATOR_TAG}): for a local devnet and load tests, never for a real chain. With
 * {@code devnet.validatorStakesMicroCmt} (one stake per devnet validator; needs a {@code "dpos"} section) the devnet
 * validators are also genesis DPoS candidates, after those of {@code dpos.candidates}: each owned by its key's address,
 * staking the given amount as its self-stake (declared maximum ten times it, so the 10% self-stake rule holds),
 * commission {@code devnet.validatorCommissionPpm} (default 10%). A node holding their keys proposes and signs.
 */
public final class Genesis
{
    public static final String DEVNET_ACCOUNT_TAG = "cmt-devnet-account";
    public static final String DEVNET_VALIDATOR_TAG = "cmt-devnet-validator";
    public static final int DEFAULT_TREE_DEPTH = 5;
    /** Commission of devnet validators made DPoS candidates, unless {@code devnet.validatorCommissionPpm} says. */
    public static final int DEVNET_COMMISSION_PPM = 100_000;

    private final int chainId;
    private final int stateTreeDepth;
    private final FeeSchedule fees;
    private final List<byte[]> accountAddresses;
    private final List<Long> accountBalances;
    private final List<Validator> validators;
    private final int devnetAccounts;
    private final long devnetBalanceMicroCmt;
    private final DposGenesis dpos;
    private final int contractsMaxActionsPerBlock;
    private final long supplyMicroCmt;

    /** A genesis validator. */
    public static final class Validator
    {
        private final String name;
        private final byte[] publicKey;
        private final Ed25519Key devnetKey;

        Validator(final String name, final byte[] publicKey, final Ed25519Key devnetKey)
        {
            this.name = name;
            this.publicKey = publicKey;
            this.devnetKey = devnetKey;
        }

        public String name()
        {
            return name;
        }

        public byte[] publicKey()
        {
            return publicKey.clone();
        }

        public byte[] address()
        {
            return Addresses.of(publicKey);
        }

        /** @return the signing key on a devnet, else null. */
        public Ed25519Key devnetKey()
        {
            return devnetKey;
        }
    }

    private final int accountsCapacity;

    private Genesis(
        final int chainId,
        final int stateTreeDepth,
        final FeeSchedule fees,
        final List<byte[]> accountAddresses,
        final List<Long> accountBalances,
        final List<Validator> validators,
        final int devnetAccounts,
        final long devnetBalanceMicroCmt,
        final DposGenesis dpos,
        final int contractsMaxActionsPerBlock,
        final long supplyMicroCmt,
        final int accountsCapacity)
    {
        this.accountsCapacity = accountsCapacity;
        this.dpos = dpos;
        this.contractsMaxActionsPerBlock = contractsMaxActionsPerBlock;
        this.supplyMicroCmt = supplyMicroCmt;
        this.chainId = chainId;
        this.stateTreeDepth = stateTreeDepth;
        this.fees = fees;
        this.accountAddresses = accountAddresses;
        this.accountBalances = accountBalances;
        this.validators = validators;
        this.devnetAccounts = devnetAccounts;
        this.devnetBalanceMicroCmt = devnetBalanceMicroCmt;
    }

    /**
     * @param json   genesis document.
     * @param source where it was read from, named in front of what is wrong with it ({@code "genesis file F"}); null
     *               for a document given as text, which has nothing to name.
     * @return the genesis.
     * @throws GenesisException naming the source and the problem.
     */
    public static Genesis parse(final String json, final String source)
    {
        try
        {
            return parse(json);
        }
        catch (final GenesisException ex)
        {
            if (source == null)
            {
                throw ex;
            }
            throw new GenesisException(source + ": " + ex.getMessage());
        }
    }

    /**
     * @param json genesis document.
     * @return the genesis.
     * @throws GenesisException naming the problem.
     */
    @SuppressWarnings("unchecked")
    public static Genesis parse(final String json)
    {
        final Object root;
        try
        {
            root = Json.parse(json);
        }
        catch (final Json.JsonException ex)
        {
            throw new GenesisException("genesis is not valid JSON: " + ex.getMessage());
        }
        if (!(root instanceof Map))
        {
            throw new GenesisException("genesis must be a JSON object");
        }
        final Map<String, Object> doc = (Map<String, Object>)root;
        requireKnownFields(doc, "genesis", "chainId", "stateTreeDepth", "fees", "accounts", "devnet", "validators",
            "dpos", "contracts", "comment", "accountsCapacity");
        final int chainId = (int)longField(doc, "chainId", "genesis", 1, 0xFFFF_FFFFL, null);
        final int depth = (int)longField(doc, "stateTreeDepth", "genesis", 1, 6, (long)DEFAULT_TREE_DEPTH);
        final int accountsCapacity = (int)longField(doc, "accountsCapacity", "genesis", 0, 100_000_000, 0L);

        final FeeSchedule fees;
        final Object feesValue = doc.get("fees");
        if (feesValue == null)
        {
            fees = new FeeSchedule(0);
        }
        else
        {
            final Map<String, Object> f = object(feesValue, "fees");
            requireKnownFields(f, "fees", "minimumMicroCmt", "byType", "comment");
            fees = new FeeSchedule(longField(f, "minimumMicroCmt", "fees", 0, Long.MAX_VALUE, 0L));
            final Object byType = f.get("byType");
            if (byType != null)
            {
                for (final Map.Entry<String, Object> e : object(byType, "fees.byType").entrySet())
                {
                    final int type = TxTypes.code(e.getKey());
                    if (type < 0)
                    {
                        throw new GenesisException("fees.byType: unknown transaction type \"" + e.getKey() + "\"");
                    }
                    if (!(e.getValue() instanceof Long) || (Long)e.getValue() < 0)
                    {
                        throw new GenesisException("fees.byType." + e.getKey() + " must be a non-negative integer");
                    }
                    try
                    {
                        fees.minFee(type, (Long)e.getValue());
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new GenesisException("fees.byType: " + ex.getMessage());
                    }
                }
            }
        }

        final List<byte[]> addresses = new ArrayList<>();
        final List<Long> balances = new ArrayList<>();
        final Map<String, Integer> seen = new HashMap<>();
        long total = 0;
        final Object accountsValue = doc.get("accounts");
        if (accountsValue != null)
        {
            final List<Object> list = array(accountsValue, "accounts");
            for (int i = 0; i < list.size(); i++)
            {
                final String where = "accounts[" + i + "]";
                final Map<String, Object> a = object(list.get(i), where);
                // Every account starts at nonce 0: a "nonce" from another chain's state must not be dropped
                // without a word, as it would let that chain's signed transactions be taken again.
                requireKnownFields(a, where, "address", "publicKey", "balanceMicroCmt", "comment");
                final byte[] address;
                if (a.containsKey("address") == a.containsKey("publicKey"))
                {
                    throw new GenesisException(where + " needs exactly one of \"address\" or \"publicKey\"");
                }
                if (a.containsKey("address"))
                {
                    address = hexField(a, "address", where, 20);
                }
                else
                {
                    address = Addresses.of(hexField(a, "publicKey", where, 32));
                }
                final long balance = longField(a, "balanceMicroCmt", where, 0, Long.MAX_VALUE, null);
                final Integer previous = seen.put(Hex.encode(address), i);
                if (previous != null)
                {
                    throw new GenesisException("duplicate account " + Hex.encode(address) + " in accounts[" +
                        previous + "] and accounts[" + i + "]");
                }
                total = addSupply(total, balance);
                addresses.add(address);
                balances.add(balance);
            }
        }

        int devnetAccounts = 0;
        long devnetBalance = 0;
        int devnetValidators = 0;
        List<Object> devnetStakes = null;
        long devnetCommissionPpm = DEVNET_COMMISSION_PPM;
        final Object devnetValue = doc.get("devnet");
        if (devnetValue != null)
        {
            final Map<String, Object> d = object(devnetValue, "devnet");
            requireKnownFields(d, "devnet", "accounts", "balanceMicroCmt", "validators", "validatorStakesMicroCmt",
                "validatorCommissionPpm", "comment");
            devnetAccounts = (int)longField(d, "accounts", "devnet", 0, 50_000_000, 0L);
            devnetBalance = longField(d, "balanceMicroCmt", "devnet", 0, Long.MAX_VALUE, 0L);
            devnetValidators = (int)longField(d, "validators", "devnet", 0, 1000, 0L);
            for (int i = 0; i < devnetAccounts; i++)
            {
                total = addSupply(total, devnetBalance);
            }
            if (d.containsKey("validatorStakesMicroCmt"))
            {
                devnetStakes = array(d.get("validatorStakesMicroCmt"), "devnet.validatorStakesMicroCmt");
                if (devnetStakes.size() != devnetValidators)
                {
                    throw new GenesisException("devnet.validatorStakesMicroCmt has " + devnetStakes.size() +
                        " stakes for " + devnetValidators + " devnet validators");
                }
                if (!doc.containsKey("dpos"))
                {
                    throw new GenesisException("devnet.validatorStakesMicroCmt makes the devnet validators DPoS " +
                        "candidates: the genesis needs a \"dpos\" section");
                }
                devnetCommissionPpm = longField(d, "validatorCommissionPpm", "devnet", 1, 999_999,
                    (long)DEVNET_COMMISSION_PPM);
            }
            else if (d.containsKey("validatorCommissionPpm"))
            {
                throw new GenesisException("devnet.validatorCommissionPpm needs devnet.validatorStakesMicroCmt");
            }
        }

        DposGenesis dpos = null;
        List<Object> dposCandidates = List.of();
        final Object dposValue = doc.get("dpos");
        if (dposValue != null)
        {
            try
            {
                Map<String, Object> dposDoc = object(dposValue, "dpos");
                if (dposDoc.get("candidates") instanceof List)
                {
                    dposCandidates = array(dposDoc.get("candidates"), "dpos.candidates");
                }
                if (devnetStakes != null)
                {
                    dposDoc = withDevnetCandidates(dposDoc, devnetStakes, devnetCommissionPpm);
                }
                dpos = DposGenesis.parse(dposDoc);
            }
            catch (final IllegalArgumentException | ArithmeticException ex)
            {
                throw new GenesisException("dpos: " + ex.getMessage());
            }
            total = addSupply(total, dpos.stakedMicroCmt());
        }

        int contractsMaxActions = 0;
        final Object contractsValue = doc.get("contracts");
        if (contractsValue != null)
        {
            final Map<String, Object> c = object(contractsValue, "contracts");
            requireKnownFields(c, "contracts", "maxScheduledActionsPerBlock", "comment");
            contractsMaxActions = (int)longField(c, "maxScheduledActionsPerBlock", "contracts", 1, 1_000_000,
                (long)ContractsState.DEFAULT_MAX_ACTIONS_PER_BLOCK);
        }

        final List<Validator> validators = new ArrayList<>();
        final Object validatorsValue = doc.get("validators");
        if (validatorsValue != null)
        {
            final List<Object> list = array(validatorsValue, "validators");
            for (int i = 0; i < list.size(); i++)
            {
                final String where = "validators[" + i + "]";
                final Map<String, Object> v = object(list.get(i), where);
                requireKnownFields(v, where, "name", "publicKey", "comment");
                final Object name = v.get("name");
                validators.add(new Validator(
                    name instanceof String ? (String)name : "validator-" + i,
                    hexField(v, "publicKey", where, 32), null));
            }
        }
        else
        {
            // On a DPoS chain the genesis candidates are the validators: no need to list their keys twice.
            for (int i = 0; i < dposCandidates.size(); i++)
            {
                final String where = "dpos.candidates[" + i + "]";
                final Map<String, Object> c = object(dposCandidates.get(i), where);
                final Object description = c.get("description");
                validators.add(new Validator(description instanceof String && !((String)description).isEmpty() ?
                    (String)description : "candidate-" + i, hexField(c, "publicKey", where, 32), null));
            }
        }
        for (int i = 0; i < devnetValidators; i++)
        {
            final Ed25519Key key = Ed25519Key.devnet(DEVNET_VALIDATOR_TAG, i);
            validators.add(new Validator("devnet-validator-" + i, key.publicKey(), key));
        }
        if (validators.isEmpty())
        {
            throw new GenesisException("genesis needs at least one validator (\"validators\", devnet.validators " +
                "or dpos.candidates)");
        }
        final Map<String, Integer> validatorKeys = new HashMap<>();
        for (int i = 0; i < validators.size(); i++)
        {
            final Integer previous = validatorKeys.put(Hex.encode(validators.get(i).publicKey), i);
            if (previous != null)
            {
                throw new GenesisException("duplicate validator key in validators " + previous + " and " + i);
            }
        }

        return new Genesis(chainId, depth, fees, Collections.unmodifiableList(addresses),
            Collections.unmodifiableList(balances), Collections.unmodifiableList(validators), devnetAccounts,
            devnetBalance, dpos, contractsMaxActions, total, accountsCapacity);
    }

    public int chainId()
    {
        return chainId;
    }

    public int stateTreeDepth()
    {
        return stateTreeDepth;
    }

    public FeeSchedule fees()
    {
        return fees;
    }

    /** @return the DPoS section, or null on a chain without DPoS. */
    public DposGenesis dpos()
    {
        return dpos;
    }

    /** @return the bound on scheduled contract actions per block, or 0 on a chain without contracts. */
    public int contractsMaxActionsPerBlock()
    {
        return contractsMaxActionsPerBlock;
    }

    /** @return µCMT at genesis: every balance and every genesis stake. */
    public long supplyMicroCmt()
    {
        return supplyMicroCmt;
    }

    public List<Validator> validators()
    {
        return validators;
    }

    /** @return number of devnet accounts, keys from {@link #devnetAccountKey(int)}. */
    public int devnetAccounts()
    {
        return devnetAccounts;
    }

    public long devnetBalanceMicroCmt()
    {
        return devnetBalanceMicroCmt;
    }

    /**
     * @param index of the devnet account.
     * @return its key.
     */
    public static Ed25519Key devnetAccountKey(final int index)
    {
        return Ed25519Key.devnet(DEVNET_ACCOUNT_TAG, index);
    }

    /**
     * Build the state at height 0. Devnet accounts need their public keys derived (tens of microseconds each).
     *
     * @param tableSeed account table seed (not consensus state).
     * @return the state.
     */
    public ChainState createState(final long tableSeed)
    {
        final int expected = accountAddresses.size() + devnetAccounts;
        // Presizing avoids doubling the account table (a copy and a rehash: tens of ms at a million accounts) while
        // the node runs; a sizing hint only, not consensus state.
        final int capacity = Math.max(accountsCapacity, Math.max(1024, expected * 2));
        final ChainState state = new ChainState(chainId, stateTreeDepth, capacity, fees, tableSeed);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < accountAddresses.size(); i++)
        {
            buffer.putBytes(0, accountAddresses.get(i));
            final int slot = state.accounts().findOrCreate(buffer, 0);
            state.accounts().balance(slot, accountBalances.get(i));
        }
        for (int i = 0; i < devnetAccounts; i++)
        {
            buffer.putBytes(0, devnetAccountKey(i).address());
            final int slot = state.accounts().findOrCreate(buffer, 0);
            if (state.accounts().balance(slot) != 0)
            {
                throw new GenesisException("devnet account " + i + " repeats an account of \"accounts\"");
            }
            state.accounts().balance(slot, devnetBalanceMicroCmt);
        }
        if (dpos != null)
        {
            final DposState d = dpos.create();
            d.genesisSupply(supplyMicroCmt);
            state.dpos(d);
        }
        if (contractsMaxActionsPerBlock > 0)
        {
            state.contracts(new ContractsState(contractsMaxActionsPerBlock));
        }
        state.endBlock();
        return state;
    }

    /**
     * @return the "dpos" object with the devnet validators appended to its candidates.
     */
    private static Map<String, Object> withDevnetCandidates(
        final Map<String, Object> dposDoc, final List<Object> stakes, final long commissionPpm)
    {
        final Map<String, Object> out = new LinkedHashMap<>(dposDoc);
        final List<Object> candidates = new ArrayList<>(
            dposDoc.containsKey("candidates") ? array(dposDoc.get("candidates"), "dpos.candidates") : List.of());
        for (int i = 0; i < stakes.size(); i++)
        {
            final Object stake = stakes.get(i);
            if (!(stake instanceof Long) || (Long)stake <= 0 || (Long)stake > Long.MAX_VALUE / 10)
            {
                throw new GenesisException("devnet.validatorStakesMicroCmt[" + i + "] must be a positive integer " +
                    "(at most " + Long.MAX_VALUE / 10 + "), was " + stake);
            }
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("publicKey", Hex.encode(Ed25519Key.devnet(DEVNET_VALIDATOR_TAG, i).publicKey()));
            c.put("maxStakeMicroCmt", (Long)stake * 10);
            c.put("commissionPpm", commissionPpm);
            c.put("stakeMicroCmt", stake);
            c.put("description", "devnet-validator-" + i);
            candidates.add(c);
        }
        out.put("candidates", candidates);
        return out;
    }

    private static long addSupply(final long total, final long balance)
    {
        // Keep half the range free for inflation; DposState's award stops the chain before the supply (and so any
        // balance or pool) would pass 2^63-1.
        if (balance > Long.MAX_VALUE / 2 - total)
        {
            throw new GenesisException("total supply exceeds " + (Long.MAX_VALUE / 2) + " µCMT");
        }
        return total + balance;
    }

    /**
     * @throws GenesisException naming the first field of {@code object} that is not one of {@code fields}: a field the
     *                          parser does not know would be dropped without a word.
     */
    private static void requireKnownFields(final Map<String, Object> object, final String where, final String... fields)
    {
        final String unknown = Json.firstUnknownField(object, List.of(fields));
        if (unknown != null)
        {
            throw new GenesisException(where + " has an unknown field \"" + unknown + "\"");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Object value, final String where)
    {
        if (!(value instanceof Map))
        {
            throw new GenesisException(where + " must be a JSON object");
        }
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(final Object value, final String where)
    {
        if (!(value instanceof List))
        {
            throw new GenesisException(where + " must be a JSON array");
        }
        return (List<Object>)value;
    }

    private static long longField(
        final Map<String, Object> map, final String key, final String where, final long min, final long max,
        final Long defaultValue)
    {
        final Object value = map.get(key);
        if (value == null)
        {
            if (defaultValue == null)
            {
                throw new GenesisException(where + " is missing \"" + key + "\"");
            }
            return defaultValue;
        }
        if (!(value instanceof Long))
        {
            throw new GenesisException(where + "." + key + " must be an integer, was " + value);
        }
        final long v = (Long)value;
        if (v < min || v > max)
        {
            throw new GenesisException(where + "." + key + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private static byte[] hexField(
        final Map<String, Object> map, final String key, final String where, final int length)
    {
        final Object value = map.get(key);
        if (!(value instanceof String))
        {
            throw new GenesisException(where + " is missing \"" + key + "\" (hex string)");
        }
        final byte[] bytes;
        try
        {
            String s = (String)value;
            if (s.startsWith("0x"))
            {
                s = s.substring(2);
            }
            bytes = Hex.decode(s);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new GenesisException(where + "." + key + " is not hex: " + ex.getMessage());
        }
        if (bytes.length != length)
        {
            throw new GenesisException(where + "." + key + " must be " + length + " bytes, was " + bytes.length);
        }
        return bytes;
    }
}
