package io.cmtchain.engine;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.engine.state.ChainState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GenesisTest
{
    private static String error(final String json)
    {
        return assertThrows(GenesisException.class, () -> Genesis.parse(json)).getMessage();
    }

    @Test
    void shouldMakeDevnetValidatorsDposCandidatesWithTheirStakes()
    {
        final Genesis g = Genesis.parse("{\"chainId\":5,\"devnet\":{\"validators\":2," +
            "\"validatorStakesMicroCmt\":[3000000000,2000000000]},\"dpos\":{\"validatorCapPpm\":1000000}}");
        final ChainState state = g.createState(1);
        assertEquals(2, state.dpos().validatorCount());
        assertArrayEquals(g.validators().get(0).address(), state.dpos().validator(0));
        assertArrayEquals(g.validators().get(0).publicKey(), state.dpos().validatorPublicKey(0));
        assertEquals(3_000_000_000L, state.dpos().validatorPower(0));
        assertEquals(5_000_000_000L, g.supplyMicroCmt());
        assertArrayEquals(g.validators().get(0).address(), state.dpos().nextProposer());
    }

    @Test
    void shouldRefuseDevnetStakesThatDoNotFit()
    {
        assertEquals("devnet.validatorStakesMicroCmt has 1 stakes for 2 devnet validators",
            error("{\"chainId\":5,\"devnet\":{\"validators\":2,\"validatorStakesMicroCmt\":[3000000000]}," +
                "\"dpos\":{}}"));
        assertTrue(error("{\"chainId\":5,\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[3000000000]}}")
            .contains("needs a \"dpos\" section"));
        assertTrue(error("{\"chainId\":5,\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[-1]}," +
            "\"dpos\":{}}").startsWith("devnet.validatorStakesMicroCmt[0] must be a positive integer"));
        assertTrue(error("{\"chainId\":5,\"devnet\":{\"validators\":1,\"validatorStakesMicroCmt\":[5]}," +
            "\"dpos\":{}}").startsWith("dpos: candidates[0]"));
        assertEquals("devnet has an unknown field \"stakes\"",
            error("{\"chainId\":5,\"devnet\":{\"validators\":1,\"stakes\":[5]}}"));
    }

    @Test
    void shouldNameAMissingCandidateField()
    {
        assertEquals("dpos: candidates[0].maxStakeMicroCmt is missing (an integer)",
            error("{\"chainId\":7,\"dpos\":{\"candidates\":[{\"publicKey\":\"" + "11".repeat(32) + "\"}]}}"));
    }

    @Test
    void shouldTakeTheDposCandidatesAsValidatorsWhenNoneAreListed()
    {
        final String candidate = ", \"stakeMicroCmt\": 1000000000, \"maxStakeMicroCmt\": 10000000000, " +
            "\"commissionPpm\": 100000";
        final Genesis genesis = Genesis.parse("{\"chainId\":7,\"dpos\":{\"validatorCapPpm\":1000000,\"candidates\":[" +
            "{\"publicKey\":\"" + "11".repeat(32) + "\", \"description\": \"shop-a\"" + candidate + "}," +
            "{\"publicKey\":\"" + "22".repeat(32) + "\"" + candidate + "}]}}");
        assertEquals(2, genesis.validators().size());
        assertEquals("shop-a", genesis.validators().get(0).name());
        assertEquals("candidate-1", genesis.validators().get(1).name());
        assertArrayEquals(org.agrona.BitUtil.fromHex("22".repeat(32)), genesis.validators().get(1).publicKey());
        final ChainState state = genesis.createState(1);
        assertEquals(2, state.dpos().validatorCount());
        assertTrue(error("{\"chainId\":7,\"dpos\":{}}").contains("\"validators\", devnet.validators or " +
            "dpos.candidates"));
    }

    @Test
    void shouldLoadAccountsAndDevnet()
    {
        final Genesis genesis = Genesis.parse("{\"chainId\":7,\"validators\":[{\"name\":\"a\",\"publicKey\":\"" +
            "11".repeat(32) + "\"}],\"accounts\":[{\"address\":\"" + "ab".repeat(20) +
            "\",\"balanceMicroCmt\":5}],\"devnet\":{\"accounts\":3,\"balanceMicroCmt\":10}}");
        assertEquals(7, genesis.chainId());
        assertEquals(1, genesis.validators().size());
        final ChainState state = genesis.createState(1);
        assertEquals(4, state.accounts().size());
        assertEquals(35, state.totalSupplyMicroCmt());
    }

    @Test
    void shouldReportBadJsonWithPosition()
    {
        final String message = error("{\"chainId\": 7,\n \"devnet\": {\"validators\": 1,}}");
        assertTrue(message.contains("not valid JSON") && message.contains("line 2"), message);
    }

    @Test
    void shouldReportDuplicateAccounts()
    {
        final String a = "{\"address\":\"" + "ab".repeat(20) + "\",\"balanceMicroCmt\":5}";
        final String message =
            error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"accounts\":[" + a + "," + a + "]}");
        assertTrue(message.contains("duplicate account") && message.contains("accounts[0]") &&
            message.contains("accounts[1]"), message);
    }

    @Test
    void shouldReportMissingAndMalformedFields()
    {
        assertTrue(error("{\"devnet\":{\"validators\":1}}").contains("missing \"chainId\""));
        assertTrue(error("{\"chainId\":7}").contains("at least one validator"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"accounts\":[{\"address\":\"zz\"," +
            "\"balanceMicroCmt\":1}]}").contains("accounts[0].address is not hex"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"accounts\":[{\"address\":\"abcd\"," +
            "\"balanceMicroCmt\":1}]}").contains("must be 20 bytes"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"accounts\":[{\"address\":\"" +
            "ab".repeat(20) + "\",\"balanceMicroCmt\":-1}]}").contains("balanceMicroCmt must be in"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"colour\":1}").contains("unknown field"));
        assertTrue(error("[1,2]").contains("must be a JSON object"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1},\"fees\":{\"byType\":{\"NOPE\":1}}}")
            .contains("unknown transaction type"));
        assertTrue(error("{\"chainId\":7,\"devnet\":{\"validators\":1,\"accounts\":2,\"balanceMicroCmt\":" +
            Long.MAX_VALUE / 3 + "}}").contains("total supply"));
    }

    @Test
    void shouldPresizeWithoutChangingTheRoot()
    {
        final String base = "{\"chainId\":7,\"devnet\":{\"validators\":1,\"accounts\":3,\"balanceMicroCmt\":10}";
        final ChainState plain = Genesis.parse(base + "}").createState(1);
        final ChainState presized = Genesis.parse(base + ",\"accountsCapacity\":100000}").createState(1);
        assertArrayEquals(plain.stateRoot(), presized.stateRoot());
        assertTrue(error(base + ",\"accountsCapacity\":-1}").contains("accountsCapacity must be in"));
    }
}
