package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the documented examples in docs/examples and checks the numbers docs/scenarios.md quotes. */
class ScenarioRunnerTest
{
    private static String example(final String name) throws IOException
    {
        Path p = Path.of("docs/examples", name);
        if (!Files.exists(p))
        {
            p = Path.of("../docs/examples", name);
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(final String scenario)
    {
        return (Map<String, Object>)Json.parse(ScenarioRunner.run(scenario));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(final Object list, final String field, final String value)
    {
        for (final Object o : (List<Object>)list)
        {
            final Map<String, Object> m = (Map<String, Object>)o;
            if (value.equals(m.get(field)))
            {
                return m;
            }
        }
        throw new AssertionError("no " + field + " = " + value);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReproduceTheHandWorkedRewardExample() throws IOException
    {
        final String text = example("dpos-rewards.json");
        final Map<String, Object> out = run(text);
        assertEquals(3L, out.get("height"));
        final Map<String, Object> supply = (Map<String, Object>)out.get("supply");
        assertEquals(supply.get("expectedMicroCmt"), supply.get("countedMicroCmt"));
        assertEquals(2_000L, supply.get("mintedMicroCmt"));
        assertEquals(5_750L, find(out.get("candidates"), "candidate", "A").get("stakeMicroCmt"));
        final Map<String, Object> carol = find(out.get("delegations"), "delegator", "carol");
        assertEquals(1_390L, carol.get("stakeMicroCmt"));
        final Map<String, Object> block2 = (Map<String, Object>)((List<Object>)out.get("blocks")).get(1);
        final Map<String, Object> paid = (Map<String, Object>)((Map<String, Object>)block2.get("award")).get("paid");
        assertEquals(750L, paid.get("A"));
        assertEquals(250L, paid.get("B"));
        // Deterministic: the same scenario gives the same report, byte for byte.
        assertEquals(ScenarioRunner.run(text), ScenarioRunner.run(text));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheLifecycleExample() throws IOException
    {
        final Map<String, Object> out = run(example("dpos-lifecycle.json"));
        final Map<String, Object> supply = (Map<String, Object>)out.get("supply");
        assertEquals(supply.get("expectedMicroCmt"), supply.get("countedMicroCmt"));
        assertTrue((Long)supply.get("slashedMicroCmt") > 0);
        assertEquals("inactive", find(out.get("candidates"), "candidate", "v3").get("state"));
        assertEquals(true, find(out.get("candidates"), "candidate", "alice").get("verified"));
        assertEquals("passed", find(out.get("proposals"), "kind", "transfer_fund").get("status"));
        for (final Object b : (List<Object>)out.get("blocks"))
        {
            for (final Object r : (List<Object>)((Map<String, Object>)b).get("receipts"))
            {
                assertEquals("OK", ((Map<String, Object>)r).get("status"), String.valueOf(r));
            }
        }
        // bob's withdrawal matured at 2 + 5 = 7 and was paid.
        assertTrue(((List<Object>)out.get("unbonding")).isEmpty());
    }

    @Test
    void shouldNameTheProblemInABadScenario()
    {
        assertEquals("blocks[0].txs[0]: unknown transaction type \"NOPE\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(
                "{\"blocks\":[{\"txs\":[{\"from\":\"a\",\"type\":\"NOPE\"}]}]}")).getMessage());
        // The schema's no-value is no transaction type, as in a genesis file's fees.byType.
        assertEquals("blocks[0].txs[0]: unknown transaction type \"NULL_VAL\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(
                "{\"blocks\":[{\"txs\":[{\"from\":\"a\",\"type\":\"NULL_VAL\"}]}]}")).getMessage());
        // 32-bit fields given a number outside the range are named, not cut to their low 32 bits (4294967297 would
        // declare with a commission of 1 ppm, 4294967303 be chain 7).
        assertEquals("blocks[0].txs[0].commissionPpm must be a 32-bit integer, was 4294967297", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(
                "{\"accounts\":{\"a\":100000},\"blocks\":[{\"txs\":[{\"from\":\"a\"," +
                "\"type\":\"DECLARE_CANDIDACY\",\"maxStakeMicroCmt\":100000,\"commissionPpm\":4294967297}]}]}"))
            .getMessage());
        assertEquals("blocks[0].txs[0].compRatePpm must be a 32-bit integer, was -4294967296", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(
                "{\"blocks\":[{\"txs\":[{\"from\":\"a\",\"type\":\"SET_COMP_RATE\",\"delegator\":\"b\"," +
                "\"compRatePpm\":-4294967296}]}]}")).getMessage());
        // A number in quotes is shown in quotes: "must be an integer, was 7" said nothing.
        assertEquals("chainId must be an integer, was \"7\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run("{\"chainId\":\"7\"}")).getMessage());
        assertEquals("chainId must be a 32-bit integer, was 4294967303", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run("{\"chainId\":4294967303}"))
            .getMessage());
        assertTrue(assertThrows(ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run("{\"x\":1}"))
            .getMessage().contains("unknown field"));
        // A transaction's fields too: a misspelt optional one ran on its default without a word (this transfer with
        // nonce 0, the delegation with the scenario's fee), and one of another type was ignored.
        final String accounts = "{\"accounts\":{\"a\":100000},\"blocks\":[{\"txs\":[";
        assertEquals("blocks[0].txs[0] has a field TRANSFER does not take: \"nonse\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"TRANSFER\",\"to\":\"b\",\"amountMicroCmt\":5,\"nonse\":3}]}]}")).getMessage());
        assertEquals("blocks[0].txs[0] has a field DELEGATE does not take: \"fee\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"DELEGATE\",\"candidate\":\"b\",\"amountMicroCmt\":5,\"fee\":3}]}]}")).getMessage());
        assertEquals("blocks[0].txs[0] has a field WITHDRAW_CANDIDACY does not take: \"candidate\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"WITHDRAW_CANDIDACY\",\"candidate\":\"b\"}]}]}")).getMessage());
        // A flag is true or false: "false" in quotes verified the candidate, "true" voted no.
        assertEquals("blocks[0].txs[0].verified must be true or false, was \"false\"", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"VERIFY_CANDIDACY\",\"candidate\":\"b\",\"verified\":\"false\"}]}]}")).getMessage());
        assertEquals("blocks[0].txs[0].yes must be true or false, was 1", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"VOTE\",\"proposal\":1,\"yes\":1}]}]}")).getMessage());
        // Where, as for every other field.
        assertEquals("blocks[0].txs[0].description must be a string, was 7", assertThrows(
            ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(accounts + "{\"from\":\"a\"," +
                "\"type\":\"UPDATE_CANDIDACY\",\"maxStakeMicroCmt\":5,\"description\":7}]}]}")).getMessage());
        // A nonce no transaction may carry is refused: from Long.MAX_VALUE the sender's next counted nonce wrapped to
        // Long.MIN_VALUE. Negative ones too, and on the contract path, which takes the nonce into a contract's id.
        assertEquals("blocks[0].txs[0].nonce must be 0 to 9223372036854775806 (the largest a transaction may " +
            "carry), was 9223372036854775807", assertThrows(ScenarioRunner.ScenarioException.class,
            () -> ScenarioRunner.run(accounts + "{\"from\":\"a\",\"type\":\"TRANSFER\",\"to\":\"b\"," +
                "\"amountMicroCmt\":5,\"nonce\":9223372036854775807},{\"from\":\"a\",\"type\":\"TRANSFER\"," +
                "\"to\":\"b\",\"amountMicroCmt\":5}]}]}")).getMessage());
        assertEquals("blocks[0].txs[0].nonce must be 0 to 9223372036854775806 (the largest a transaction may " +
            "carry), was -1", assertThrows(ScenarioRunner.ScenarioException.class,
            () -> ScenarioRunner.run(accounts + "{\"from\":\"a\",\"type\":\"TRANSFER\",\"to\":\"b\"," +
                "\"amountMicroCmt\":5,\"nonce\":-1}]}]}")).getMessage());
        assertEquals("blocks[0].txs[0].nonce must be 0 to 9223372036854775806 (the largest a transaction may " +
            "carry), was 9223372036854775807", assertThrows(ScenarioRunner.ScenarioException.class,
            () -> ScenarioRunner.run("{\"contracts\":{},\"accounts\":{\"a\":100000},\"blocks\":[{\"txs\":[" +
                "{\"from\":\"a\",\"type\":\"TOKEN_CREATE\",\"id\":\"t\",\"name\":\"T\",\"symbol\":\"T\"," +
                "\"nonce\":9223372036854775807}]}]}")).getMessage());
        // The largest is given as asked (the ledger refuses it, as a's nonce is 0), and the next counts on to
        // Long.MAX_VALUE, refused too, not to Long.MIN_VALUE.
        final String largest = ScenarioRunner.run(accounts + "{\"from\":\"a\",\"type\":\"TRANSFER\"," +
            "\"to\":\"b\",\"amountMicroCmt\":5,\"nonce\":9223372036854775806},{\"from\":\"a\"," +
            "\"type\":\"TRANSFER\",\"to\":\"b\",\"amountMicroCmt\":5}]}]}");
        assertEquals(2, largest.split("BAD_NONCE", -1).length - 1, largest);
        // Every field a type reads, and a comment, is taken.
        ScenarioRunner.run(accounts + "{\"from\":\"a\",\"type\":\"TRANSFER\",\"to\":\"b\",\"amountMicroCmt\":5," +
            "\"nonce\":0,\"feeMicroCmt\":0,\"comment\":\"x\"}]}]}");
        assertTrue(assertThrows(ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run("[1,"))
            .getMessage().startsWith("scenario is not valid JSON"));
    }
}
