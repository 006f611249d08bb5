package io.cmtchain.engine.contracts;

import io.cmtchain.engine.dpos.ScenarioRunner;
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

/** Runs docs/examples/contract-*.json and checks the outcomes docs/contracts.md quotes. */
class ContractScenarioTest
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
    private static List<Object> statuses(final Map<String, Object> out, final int block)
    {
        final Map<String, Object> b = (Map<String, Object>)((List<Object>)out.get("blocks")).get(block);
        final List<Object> result = new java.util.ArrayList<>();
        for (final Object r : (List<Object>)b.get("receipts"))
        {
            result.add(((Map<String, Object>)r).get("status"));
        }
        return result;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheTokenExample() throws IOException
    {
        final String text = example("contract-token.json");
        final Map<String, Object> out = run(text);
        assertEquals(List.of("OK"), statuses(out, 0));
        assertEquals(List.of("OK", "OK", "OK", "INSUFFICIENT_ALLOWANCE", "OK", "UNAUTHORIZED"), statuses(out, 1));
        assertEquals(List.of("OK", "OK", "ACCOUNT_FROZEN"), statuses(out, 2));
        assertEquals(List.of("OK", "OK"), statuses(out, 3));
        final Map<String, Object> points = (Map<String, Object>)((Map<String, Object>)((Map<String, Object>)
            out.get("contracts")).get("tokens")).get("points");
        assertEquals(100_200L, points.get("totalSupply"));
        final Map<String, Object> balances = (Map<String, Object>)points.get("balances");
        assertEquals(95_000L, balances.get("shop"));
        assertEquals(4_199L, balances.get("alice"));
        assertEquals(1_001L, balances.get("bob"));
        assertEquals(ScenarioRunner.run(text), ScenarioRunner.run(text));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheEscrowExample() throws IOException
    {
        final Map<String, Object> out = run(example("contract-escrow.json"));
        assertEquals(List.of("OK", "OK", "OK"), statuses(out, 0));
        assertEquals(List.of("DEADLINE_NOT_REACHED", "OK", "ESCROW_CLOSED", "OK"), statuses(out, 1));
        assertEquals(List.of("OK"), statuses(out, 2));
        assertEquals(List.of("ESCROW_CLOSED"), statuses(out, 4));
        final Map<String, Object> contracts = (Map<String, Object>)out.get("contracts");
        final Map<String, Object> escrows = (Map<String, Object>)contracts.get("escrows");
        assertEquals("released", ((Map<String, Object>)escrows.get("order1")).get("status"));
        assertEquals("auto_released", ((Map<String, Object>)escrows.get("order2")).get("status"));
        assertEquals("settled", ((Map<String, Object>)escrows.get("order3")).get("status"));
        assertEquals(0L, contracts.get("lockedMicroCmt"));
        // Block 3 (index 2) ends by running order2's deadline, due at height 4.
        final Map<String, Object> block3 = (Map<String, Object>)((List<Object>)out.get("blocks")).get(2);
        final Map<String, Object> action = (Map<String, Object>)((List<Object>)block3.get("contractActions")).get(0);
        assertEquals("order2", action.get("contract"));
        assertEquals(4L, action.get("dueHeight"));
        final Map<String, Object> balances = (Map<String, Object>)out.get("balances");
        // seller: +100 + 50 + 14 CMT, 2 fees of 1,000 µCMT.
        assertEquals(1_000_000_000L + 164_000_000L - 2_000L, balances.get("seller"));
        final Map<String, Object> supply = (Map<String, Object>)out.get("supply");
        assertEquals(supply.get("expectedMicroCmt"), supply.get("countedMicroCmt"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> action(final Map<String, Object> out, final int blockIndex, final int i)
    {
        final Map<String, Object> b = (Map<String, Object>)((List<Object>)out.get("blocks")).get(blockIndex);
        return (Map<String, Object>)((List<Object>)b.get("contractActions")).get(i);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheLoanExample() throws IOException
    {
        final Map<String, Object> out = run(example("contract-loan.json"));
        assertEquals(36L, out.get("height"));
        // End of block 11 = start of height 12: dave pays 300 + 9 CMT, erin (8,000 µCMT left) misses.
        assertEquals("dave-loan", action(out, 10, 0).get("contract"));
        assertEquals("paid", action(out, 10, 0).get("outcome"));
        assertEquals("erin-loan", action(out, 10, 1).get("contract"));
        assertEquals("missed", action(out, 10, 1).get("outcome"));
        // End of block 14 = the grace end (12 + 3): erin, refilled in block 13, pays 309 + the 5 CMT fee.
        assertEquals("loan_grace_end", action(out, 13, 0).get("kind"));
        assertEquals("paid_late", action(out, 13, 0).get("outcome"));
        final Map<String, Object> contracts = (Map<String, Object>)out.get("contracts");
        final Map<String, Object> loans = (Map<String, Object>)contracts.get("loans");
        final Map<String, Object> dave = (Map<String, Object>)loans.get("dave-loan");
        assertEquals("repaid", dave.get("status"));
        assertEquals(18_000_000L, dave.get("interestPaid"));
        final Map<String, Object> erin = (Map<String, Object>)loans.get("erin-loan");
        assertEquals("repaid", erin.get("status"));
        assertEquals(9_000_000L, erin.get("interestPaid"));
        final Map<String, Object> credit = (Map<String, Object>)contracts.get("credit");
        assertEquals(1L, ((Map<String, Object>)credit.get("dave")).get("loansOnTime"));
        assertEquals(1L, ((Map<String, Object>)credit.get("erin")).get("loansLate"));
        final Map<String, Object> supply = (Map<String, Object>)out.get("supply");
        assertEquals(supply.get("expectedMicroCmt"), supply.get("countedMicroCmt"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheInsuranceExample() throws IOException
    {
        final Map<String, Object> out = run(example("contract-insurance.json"));
        assertEquals(List.of("NOT_COVERED", "OK", "OK"), statuses(out, 2));
        final Map<String, Object> pool = (Map<String, Object>)((Map<String, Object>)((Map<String, Object>)
            out.get("contracts")).get("insurancePools")).get("flight-42");
        final Map<String, Object> policies = (Map<String, Object>)pool.get("policies");
        assertEquals(0L, policies.get("ann"));
        assertEquals(100_000_000L, policies.get("ben"));
        // cat asked 250 CMT (within the cap); the pool held 280 - 100 = 180, so it pays 180.
        assertEquals(180_000_000L, policies.get("cat"));
        assertEquals(true, pool.get("closed"));
        assertEquals(0L, pool.get("returned"));
        assertEquals("returned", action(out, 7, 0).get("outcome"));
        final Map<String, Object> supply = (Map<String, Object>)out.get("supply");
        assertEquals(supply.get("expectedMicroCmt"), supply.get("countedMicroCmt"));
    }

    /** A scenario whose one transaction is {@code tx} (JSON fields), sent by "a". */
    private static String oneTransaction(final String tx)
    {
        return "{\"accounts\": {\"a\": 100000000, \"b\": 100000000}, \"contracts\": {}, " +
            "\"blocks\": [{\"txs\": [{\"from\": \"a\", " + tx + "}]}]}";
    }

    private static String refusal(final String tx)
    {
        return assertThrows(ScenarioRunner.ScenarioException.class, () -> ScenarioRunner.run(oneTransaction(tx)))
            .getMessage();
    }

    @Test
    void shouldRefuseValuesTheirBodyFieldCannotHoldRatherThanSendOthers()
    {
        // Written as given, these would have been cut to the field's width: a loan of 65,537 instalments sent as one
        // of 1, a token of 274 decimals as one of 18, a 4 h 1 min delay of 2^32 + 241 minutes as 241 minutes.
        final String loan = "\"type\": \"LOAN_OFFER\", \"id\": \"l\", \"borrower\": \"b\", \"principal\": 1000, ";
        assertEquals("blocks[0].txs[0].instalments must be within 0..65535 (the width of its field), was 65537",
            refusal(loan + "\"instalments\": 65537, \"intervalBlocks\": 5"));
        assertEquals("blocks[0].txs[0].intervalBlocks must be within 0..4294967295 (the width of its field), was -1",
            refusal(loan + "\"instalments\": 3, \"intervalBlocks\": -1"));
        assertEquals("blocks[0].txs[0].graceBlocks must be within 0..4294967295 (the width of its field), " +
            "was 4294967296", refusal(loan + "\"instalments\": 3, \"intervalBlocks\": 5, \"graceBlocks\": 4294967296"));
        assertEquals("blocks[0].txs[0].ratePpm must be within -2147483648..2147483647 (the width of its field), " +
            "was 4294977296", refusal(loan + "\"instalments\": 3, \"intervalBlocks\": 5, \"ratePpm\": 4294977296"));
        final String token = "\"type\": \"TOKEN_CREATE\", \"id\": \"t\", ";
        assertEquals("blocks[0].txs[0].decimals must be within 0..255 (the width of its field), was 274",
            refusal(token + "\"name\": \"Points\", \"symbol\": \"PTS\", \"decimals\": 274"));
        assertEquals("blocks[0].txs[0].name must be at most 16 ASCII characters, was \"Loyalty points 2026\"",
            refusal(token + "\"name\": \"Loyalty points 2026\", \"symbol\": \"PTS\""));
        assertEquals("blocks[0].txs[0].symbol must be at most 8 ASCII characters, was \"P\u00c9\"",
            refusal(token + "\"name\": \"Points\", \"symbol\": \"P\u00c9\""));
        assertEquals("blocks[0].txs[1].delayMinutes must be within 0..4294967295 (the width of its field), " +
            "was 4294967537", refusal("\"type\": \"INSURANCE_OPEN\", \"id\": \"p\", \"adjuster\": \"b\", " +
            "\"premium\": 10, \"baseCover\": 100, \"capCover\": 200, \"salesEndHeight\": 3, \"expiryHeight\": 9}, " +
            "{\"from\": \"b\", \"type\": \"INSURANCE_APPROVE\", \"pool\": \"p\", \"holder\": \"a\", " +
            "\"delayMinutes\": 4294967537"));

        // A flag is true or false: "true" in quotes made a token that was not mintable.
        assertEquals("blocks[0].txs[0].mintable must be true or false, was \"true\"",
            refusal(token + "\"name\": \"Points\", \"symbol\": \"PTS\", \"mintable\": \"true\""));

        assertEquals("blocks[0].txs[0].decimals must be an integer, was \"2\"",
            refusal(token + "\"name\": \"Points\", \"symbol\": \"PTS\", \"decimals\": \"2\""));

        // Values the fields hold go to the chain as written, invalid ones included, for the rules to reject.
        assertEquals(List.of("INVALID_TERMS"), statuses(run(oneTransaction(
            loan + "\"instalments\": 65535, \"intervalBlocks\": 4294967295, \"ratePpm\": -1")), 0));
        assertEquals(List.of("INVALID_BODY"), statuses(run(oneTransaction(
            token + "\"name\": \"Loyalty points 1\", \"symbol\": \"PTSPTSPT\", \"decimals\": 255")), 0));
    }
}
