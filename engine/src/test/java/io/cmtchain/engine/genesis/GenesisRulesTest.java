package io.cmtchain.engine.genesis;

import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The genesis file's rules field by field: defaults, the bounds of every number (both ends accepted, one past refused),
 * the supply bound, and what each section puts into the first state. The first state is consensus: two nodes that read
 * one file differently fork at block 1.
 */
class GenesisRulesTest
{
    private static final String VALIDATOR = "\"validators\":[{\"publicKey\":\"" + "11".repeat(32) + "\"}]";

    private static Genesis parse(final String fields)
    {
        return Genesis.parse("{\"chainId\":7," + VALIDATOR + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    private static String error(final String fields)
    {
        return assertThrows(GenesisException.class, () -> parse(fields)).getMessage();
    }

    private static String account(final String address, final long balance)
    {
        return "{\"address\":\"" + address + "\",\"balanceMicroCmt\":" + balance + "}";
    }

    private static long balanceOf(final ChainState state, final byte[] address)
    {
        final int slot = state.accounts().find(new UnsafeBuffer(address), 0);
        assertTrue(slot >= 0, "no account " + Hex.encode(address));
        return state.accounts().balance(slot);
    }

    @Test
    void shouldFillDefaultsForEveryOptionalSection()
    {
        final Genesis g = parse("");
        assertEquals(Genesis.DEFAULT_TREE_DEPTH, g.stateTreeDepth());
        assertEquals(0, g.fees().defaultMinFeeMicroCmt());
        assertEquals(0, g.fees().minFee(TxTypes.TRANSFER));
        assertNull(g.dpos());
        assertEquals(0, g.contractsMaxActionsPerBlock());
        assertEquals(0, g.supplyMicroCmt());
        assertEquals(0, g.devnetAccounts());
        assertEquals(0, g.devnetBalanceMicroCmt());
        final ChainState state = g.createState(1);
        assertEquals(Genesis.DEFAULT_TREE_DEPTH, state.commitment().depth());
        assertNull(state.dpos());
        assertNull(state.contracts());
        assertEquals(0, state.accounts().size());
        assertEquals(7, state.chainId());
        // A comment is allowed.
        assertEquals(7, parse("\"comment\":\"hello\"").chainId());
    }

    @Test
    void shouldTakeTheChainIdAsAnUnsigned32BitNumber()
    {
        assertEquals(1, Genesis.parse("{\"chainId\":1," + VALIDATOR + "}").chainId());
        assertEquals(-1, Genesis.parse("{\"chainId\":4294967295," + VALIDATOR + "}").chainId());
        for (final String bad : new String[]{"0", "4294967296", "-1"})
        {
            final String message = assertThrows(GenesisException.class,
                () -> Genesis.parse("{\"chainId\":" + bad + "," + VALIDATOR + "}")).getMessage();
            assertEquals("genesis.chainId must be in 1..4294967295, was " + bad, message);
        }
        for (final String bad : new String[]{"\"7\"", "7.5", "true"})
        {
            final String message = assertThrows(GenesisException.class,
                () -> Genesis.parse("{\"chainId\":" + bad + "," + VALIDATOR + "}")).getMessage();
            assertTrue(message.startsWith("genesis.chainId must be an integer, was "), message);
        }
    }

    @Test
    void shouldBoundTheTreeDepthAndTheCapacityHint()
    {
        assertEquals(1, parse("\"stateTreeDepth\":1").createState(1).commitment().depth());
        assertEquals(6, parse("\"stateTreeDepth\":6").stateTreeDepth());
        assertEquals("genesis.stateTreeDepth must be in 1..6, was 0", error("\"stateTreeDepth\":0"));
        assertEquals("genesis.stateTreeDepth must be in 1..6, was 7", error("\"stateTreeDepth\":7"));
        parse("\"accountsCapacity\":100000000");
        assertEquals("genesis.accountsCapacity must be in 0..100000000, was 100000001",
            error("\"accountsCapacity\":100000001"));
    }

    @Test
    void shouldReadAFeeScheduleWithPerTypeMinimums()
    {
        final Genesis g = parse("\"fees\":{\"minimumMicroCmt\":100,\"byType\":{\"TRANSFER\":150}}");
        assertEquals(100, g.fees().defaultMinFeeMicroCmt());
        assertEquals(150, g.fees().minFee(TxTypes.TRANSFER));
        assertEquals(100, g.fees().minFee(12));
        // A per-type fee equal to the minimum is accepted, one below it is not.
        assertEquals(100, parse("\"fees\":{\"minimumMicroCmt\":100,\"byType\":{\"TRANSFER\":100}}")
            .fees().minFee(TxTypes.TRANSFER));
        assertEquals("fees.byType: fee for TRANSFER (99) is below the minimum fee 100",
            error("\"fees\":{\"minimumMicroCmt\":100,\"byType\":{\"TRANSFER\":99}}"));
        assertEquals("fees.byType.TRANSFER must be a non-negative integer",
            error("\"fees\":{\"byType\":{\"TRANSFER\":-1}}"));
        assertEquals("fees.byType.TRANSFER must be a non-negative integer",
            error("\"fees\":{\"byType\":{\"TRANSFER\":\"1\"}}"));
        assertEquals(0, parse("\"fees\":{\"byType\":{\"TRANSFER\":0}}").fees().minFee(TxTypes.TRANSFER));
        assertEquals(0, parse("\"fees\":{}").fees().defaultMinFeeMicroCmt());
        // A misspelt field would leave the fee at its default of 0: refused, naming it.
        assertEquals("fees has an unknown field \"minimumMicroCMT\"", error("\"fees\":{\"minimumMicroCMT\":100}"));
        assertEquals(100, parse("\"fees\":{\"minimumMicroCmt\":100,\"comment\":\"c\"}")
            .fees().defaultMinFeeMicroCmt());
        assertEquals("fees.minimumMicroCmt must be in 0..9223372036854775807, was -1",
            error("\"fees\":{\"minimumMicroCmt\":-1}"));
        assertEquals("fees must be a JSON object", error("\"fees\":[]"));
        assertEquals("fees.byType must be a JSON object", error("\"fees\":{\"byType\":1}"));
    }

    @Test
    void shouldPlaceEachAccountAtItsAddressOrItsKeysAddress()
    {
        final byte[] publicKey = Ed25519Key.devnet("genesis", 1).publicKey();
        final Genesis g = parse("\"accounts\":[" + account("0x" + "ab".repeat(20), 5) + ",{\"publicKey\":\"" +
            Hex.encode(publicKey) + "\",\"balanceMicroCmt\":7}," + account("cd".repeat(20), 0) + "]");
        assertEquals(12, g.supplyMicroCmt());
        final ChainState state = g.createState(1);
        assertEquals(3, state.accounts().size());
        assertEquals(5, balanceOf(state, Hex.decode("ab".repeat(20))));
        assertEquals(7, balanceOf(state, Addresses.of(publicKey)));
        assertEquals(0, balanceOf(state, Hex.decode("cd".repeat(20))));
        assertEquals(12, state.totalSupplyMicroCmt());
        assertEquals("accounts[0] needs exactly one of \"address\" or \"publicKey\"",
            error("\"accounts\":[{\"address\":\"" + "ab".repeat(20) + "\",\"publicKey\":\"" + "11".repeat(32) +
                "\",\"balanceMicroCmt\":1}]"));
        assertEquals("accounts[0] needs exactly one of \"address\" or \"publicKey\"",
            error("\"accounts\":[{\"balanceMicroCmt\":1}]"));
        assertEquals("accounts[1].publicKey must be 32 bytes, was 20",
            error("\"accounts\":[" + account("ab".repeat(20), 1) + ",{\"publicKey\":\"" + "ab".repeat(20) +
                "\",\"balanceMicroCmt\":1}]"));
        assertEquals("accounts[0] is missing \"balanceMicroCmt\"",
            error("\"accounts\":[{\"address\":\"" + "ab".repeat(20) + "\"}]"));
        assertEquals("accounts[0] is missing \"address\" (hex string)",
            error("\"accounts\":[{\"address\":5,\"balanceMicroCmt\":1}]"));
        assertEquals("accounts must be a JSON array", error("\"accounts\":{}"));
        assertEquals("accounts[0] must be a JSON object", error("\"accounts\":[5]"));
    }

    @Test
    void shouldRefuseAnAccountFieldItDoesNotKnowSuchAsANonce()
    {
        // Every account starts at nonce 0. A nonce carried over from another chain's state was dropped without a
        // word, and with it the nonces that kept that chain's signed transactions from being taken again.
        assertEquals("accounts[1] has an unknown field \"nonce\"", error("\"accounts\":[" +
            account("ab".repeat(20), 1) + ",{\"address\":\"" + "cd".repeat(20) + "\",\"balanceMicroCmt\":1," +
            "\"nonce\":9223372036854775807}]"));
        assertEquals("accounts[0] has an unknown field \"balance\"", error("\"accounts\":[{\"publicKey\":\"" +
            "11".repeat(32) + "\",\"balanceMicroCmt\":1,\"balance\":2}]"));
        // A comment is taken, as at the top level.
        assertEquals(1, parse("\"accounts\":[{\"address\":\"" + "ab".repeat(20) + "\",\"balanceMicroCmt\":1," +
            "\"comment\":\"treasury\"}]").supplyMicroCmt());
    }

    @Test
    void shouldHoldTheSupplyToHalfTheRangeOfALong()
    {
        final long half = Long.MAX_VALUE / 2;
        assertEquals(half, parse("\"accounts\":[" + account("ab".repeat(20), half - 1) + "," +
            account("cd".repeat(20), 1) + "]").supplyMicroCmt());
        assertEquals("total supply exceeds " + half + " µCMT", error("\"accounts\":[" +
            account("ab".repeat(20), half) + "," + account("cd".repeat(20), 1) + "]"));
        assertEquals(half, parse("\"accounts\":[" + account("ab".repeat(20), half) + "]").supplyMicroCmt());
        // The same bound over devnet accounts, counted one by one.
        assertEquals(half - half % 3, parse("\"devnet\":{\"accounts\":3,\"balanceMicroCmt\":" + half / 3 + "}")
            .supplyMicroCmt());
        assertEquals("total supply exceeds " + half + " µCMT",
            error("\"devnet\":{\"accounts\":3,\"balanceMicroCmt\":" + (half / 3 + 1) + "}"));
    }

    @Test
    void shouldMakeDevnetAccountsAndValidatorsFromDerivableKeys()
    {
        final Genesis g = parse("\"devnet\":{\"accounts\":3,\"balanceMicroCmt\":10,\"validators\":2}");
        assertEquals(3, g.devnetAccounts());
        assertEquals(10, g.devnetBalanceMicroCmt());
        assertEquals(30, g.supplyMicroCmt());
        assertEquals(3, g.validators().size());
        assertEquals("validator-0", g.validators().get(0).name());
        assertNull(g.validators().get(0).devnetKey());
        for (int i = 0; i < 2; i++)
        {
            final Genesis.Validator v = g.validators().get(1 + i);
            final Ed25519Key key = Ed25519Key.devnet(Genesis.DEVNET_VALIDATOR_TAG, i);
            assertEquals("devnet-validator-" + i, v.name());
            assertArrayEquals(key.publicKey(), v.publicKey());
            assertArrayEquals(key.address(), v.address());
            assertArrayEquals(key.seed(), v.devnetKey().seed());
        }
        final ChainState state = g.createState(1);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, i).seed(),
                Genesis.devnetAccountKey(i).seed());
            assertEquals(10, balanceOf(state, Genesis.devnetAccountKey(i).address()));
        }
        assertEquals(3, state.accounts().size());
        assertEquals("devnet.accounts must be in 0..50000000, was 50000001",
            error("\"devnet\":{\"accounts\":50000001}"));
        assertEquals("devnet.validators must be in 0..1000, was 1001", error("\"devnet\":{\"validators\":1001}"));
        assertEquals("devnet.validatorCommissionPpm needs devnet.validatorStakesMicroCmt",
            error("\"devnet\":{\"validatorCommissionPpm\":5}"));
    }

    @Test
    void shouldRefuseADevnetAccountThatRepeatsAListedOne()
    {
        final String address = Hex.encode(Genesis.devnetAccountKey(1).address());
        final Genesis g = parse("\"accounts\":[" + account(address, 4) + "],\"devnet\":{\"accounts\":2," +
            "\"balanceMicroCmt\":10}");
        final GenesisException ex = assertThrows(GenesisException.class, () -> g.createState(1));
        assertEquals("devnet account 1 repeats an account of \"accounts\"", ex.getMessage());
    }

    @Test
    void shouldBoundTheDevnetValidatorsCommission()
    {
        final String stakes = "\"validators\":1,\"validatorStakesMicroCmt\":[3000000000]";
        final String dpos = ",\"dpos\":{\"validatorCapPpm\":1000000}";
        parse("\"devnet\":{" + stakes + ",\"validatorCommissionPpm\":1}" + dpos);
        parse("\"devnet\":{" + stakes + ",\"validatorCommissionPpm\":999999}" + dpos);
        assertEquals("devnet.validatorCommissionPpm must be in 1..999999, was 0",
            error("\"devnet\":{" + stakes + ",\"validatorCommissionPpm\":0}" + dpos));
        assertEquals("devnet.validatorCommissionPpm must be in 1..999999, was 1000000",
            error("\"devnet\":{" + stakes + ",\"validatorCommissionPpm\":1000000}" + dpos));
        // The stake bound: ten times it (the declared maximum) must fit a long.
        assertEquals(Long.MAX_VALUE / 10, parse("\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[" +
            Long.MAX_VALUE / 10 + "]}" + dpos).supplyMicroCmt());
        assertTrue(error("\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[" + (Long.MAX_VALUE / 10 + 1) +
            "]}" + dpos).startsWith("devnet.validatorStakesMicroCmt[0] must be a positive integer (at most " +
            Long.MAX_VALUE / 10 + ")"));
        assertTrue(error("\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[0]}" + dpos)
            .startsWith("devnet.validatorStakesMicroCmt[0] must be a positive integer"));
        assertTrue(error("\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[\"3000000000\"]}" + dpos)
            .startsWith("devnet.validatorStakesMicroCmt[0] must be a positive integer"));
        // The genesis stake counts in the supply.
        assertEquals(3_000_000_000L, parse("\"devnet\":{" + stakes + "}" + dpos).supplyMicroCmt());
    }

    @Test
    void shouldAppendTheDevnetCandidatesToTheListedOnes()
    {
        final String listed = "{\"publicKey\":\"" + "11".repeat(32) + "\",\"stakeMicroCmt\":1000000000," +
            "\"maxStakeMicroCmt\":10000000000,\"commissionPpm\":100000}";
        final Genesis g = Genesis.parse("{\"chainId\":7,\"devnet\":{\"validators\":1," +
            "\"validatorStakesMicroCmt\":[3000000000]},\"dpos\":{\"validatorCapPpm\":1000000,\"candidates\":[" +
            listed + "]}}");
        assertEquals(4_000_000_000L, g.supplyMicroCmt());
        assertEquals(4_000_000_000L, g.dpos().stakedMicroCmt());
        assertEquals(2, g.validators().size());
        final ChainState state = g.createState(1);
        assertEquals(2, state.dpos().validatorCount());
        assertEquals(4_000_000_000L, state.totalSupplyMicroCmt());
        assertEquals(0, state.dpos().validatorIndex(Ed25519Key.devnet(Genesis.DEVNET_VALIDATOR_TAG, 0).address()));
        assertEquals(1, state.dpos().validatorIndex(Addresses.of(Hex.decode("11".repeat(32)))));
    }

    /**
     * The class's javadoc, and docs/scenarios.md for a scenario's sections, say every object takes a "comment": the
     * devnet and contracts sections too, which refused it while the genesis's other objects took it.
     */
    @Test
    void shouldTakeACommentInTheDevnetAndContractsSectionsAsInEveryOtherObject()
    {
        final Genesis g = parse("\"devnet\":{\"comment\":\"derivable keys\",\"accounts\":2," +
            "\"balanceMicroCmt\":10},\"contracts\":{\"comment\":\"c\",\"maxScheduledActionsPerBlock\":7}");
        assertEquals(2, g.devnetAccounts());
        assertEquals(7, g.contractsMaxActionsPerBlock());
        assertEquals("devnet has an unknown field \"comments\"", error("\"devnet\":{\"comments\":\"c\"}"));
        // The keys of byType are transaction types: a comment there is not one.
        assertEquals("fees.byType: unknown transaction type \"comment\"",
            error("\"fees\":{\"byType\":{\"comment\":\"c\"}}"));
    }

    @Test
    void shouldRefuseAFeeForTheSchemasNullType()
    {
        // NULL_VAL is the SBE enum's "no value" (code 255), not a transaction type.
        assertEquals("fees.byType: unknown transaction type \"NULL_VAL\"",
            error("\"fees\":{\"byType\":{\"NULL_VAL\":5}}"));
        assertEquals("fees.byType: unknown transaction type \"transfer\"",
            error("\"fees\":{\"byType\":{\"transfer\":5}}"));
    }

    @Test
    void shouldBoundTheContractsSection()
    {
        assertEquals(1000, parse("\"contracts\":{}").contractsMaxActionsPerBlock());
        assertEquals(1000, parse("\"contracts\":{}").createState(1).contracts().maxActionsPerBlock());
        assertEquals(1, parse("\"contracts\":{\"maxScheduledActionsPerBlock\":1}").createState(1).contracts()
            .maxActionsPerBlock());
        assertEquals(1_000_000, parse("\"contracts\":{\"maxScheduledActionsPerBlock\":1000000}")
            .contractsMaxActionsPerBlock());
        assertEquals("contracts.maxScheduledActionsPerBlock must be in 1..1000000, was 0",
            error("\"contracts\":{\"maxScheduledActionsPerBlock\":0}"));
        assertEquals("contracts.maxScheduledActionsPerBlock must be in 1..1000000, was 1000001",
            error("\"contracts\":{\"maxScheduledActionsPerBlock\":1000001}"));
        assertEquals("contracts has an unknown field \"max\"", error("\"contracts\":{\"max\":1}"));
        assertEquals("contracts must be a JSON object", error("\"contracts\":1"));
    }

    @Test
    void shouldNameValidatorsAndRefuseARepeatedKey()
    {
        final Genesis g = Genesis.parse("{\"chainId\":7,\"validators\":[{\"name\":\"shop\",\"publicKey\":\"0x" +
            "11".repeat(32) + "\"},{\"name\":5,\"publicKey\":\"" + "22".repeat(32) + "\"}]}");
        assertEquals("shop", g.validators().get(0).name());
        assertEquals("validator-1", g.validators().get(1).name());
        assertArrayEquals(Hex.decode("11".repeat(32)), g.validators().get(0).publicKey());
        assertArrayEquals(Addresses.of(Hex.decode("22".repeat(32))), g.validators().get(1).address());
        final String message = assertThrows(GenesisException.class, () -> Genesis.parse("{\"chainId\":7," +
            "\"validators\":[{\"publicKey\":\"" + "11".repeat(32) + "\"},{\"publicKey\":\"" + "22".repeat(32) +
            "\"},{\"publicKey\":\"" + "11".repeat(32) + "\"}]}")).getMessage();
        assertEquals("duplicate validator key in validators 0 and 2", message);
        // A listed validator takes a name, its key and a comment; a misspelt field is refused rather than dropped.
        final String listed = "\"publicKey\":\"" + "22".repeat(32) + "\"";
        assertEquals("v1", Genesis.parse("{\"chainId\":7,\"validators\":[{\"name\":\"v1\"," + listed +
            ",\"comment\":\"c\"}]}").validators().get(0).name());
        assertEquals("validators[0] has an unknown field \"nmae\"", assertThrows(GenesisException.class,
            () -> Genesis.parse("{\"chainId\":7,\"validators\":[{\"nmae\":\"v1\"," + listed + "}]}")).getMessage());
        // A listed key equal to a devnet validator's is a repeat too.
        final String devnetKey = Hex.encode(Ed25519Key.devnet(Genesis.DEVNET_VALIDATOR_TAG, 0).publicKey());
        assertEquals("duplicate validator key in validators 0 and 1", assertThrows(GenesisException.class,
            () -> Genesis.parse("{\"chainId\":7,\"validators\":[{\"publicKey\":\"" + devnetKey + "\"}]," +
                "\"devnet\":{\"validators\":1}}")).getMessage());
        assertEquals("validators must be a JSON array", assertThrows(GenesisException.class,
            () -> Genesis.parse("{\"chainId\":7,\"validators\":{}}")).getMessage());
        assertEquals("validators[0] is missing \"publicKey\" (hex string)", assertThrows(GenesisException.class,
            () -> Genesis.parse("{\"chainId\":7,\"validators\":[{}]}")).getMessage());
    }

    @Test
    void shouldNameACandidateWithAnEmptyDescriptionByItsIndex()
    {
        final String candidate = "\"stakeMicroCmt\":1000000000,\"maxStakeMicroCmt\":10000000000," +
            "\"commissionPpm\":100000";
        final Genesis g = Genesis.parse("{\"chainId\":7,\"dpos\":{\"validatorCapPpm\":1000000,\"candidates\":[" +
            "{\"publicKey\":\"" + "11".repeat(32) + "\",\"description\":\"\"," + candidate + "}]}}");
        assertEquals("candidate-0", g.validators().get(0).name());
        assertEquals(1_000_000_000L, g.supplyMicroCmt());
        assertFalse(g.validators().isEmpty());
    }
}
