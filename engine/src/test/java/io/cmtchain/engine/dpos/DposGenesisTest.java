package io.cmtchain.engine.dpos;

import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static io.cmtchain.engine.dpos.DposChain.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The genesis "dpos" section (DposGenesis): every node must build the same DPoS state from the same genesis, so a
 * section that does not say exactly what it means is refused, naming the field, rather than read one way or another.
 */
class DposGenesisTest
{
    private static final String A = candidate("A", 30_000, 100_000, 3_000);

    @Test
    void shouldRefuseASectionThatIsNotWhatItSays()
    {
        final String key = "\"publicKey\":\"" + Hex.encode(key("B").publicKey()) + "\"";
        final String[][] bad = {
            {"\"bogus\":1", "bogus"},
            {"\"compoundOnSupply\":1", "compoundOnSupply"},
            {"\"foundation\":5", "foundation"},
            {"\"candidates\":[{" + key + ",\"owner\":\"" + Hex.encode(new byte[19]) + "\",\"maxStakeMicroCmt\":30000," +
                "\"commissionPpm\":1,\"stakeMicroCmt\":3000}]", "candidates[0].owner"},
            {"\"candidates\":[{\"publicKey\":\"" + Hex.encode(new byte[31]) + "\",\"maxStakeMicroCmt\":30000," +
                "\"commissionPpm\":1,\"stakeMicroCmt\":3000}]", "candidates[0].publicKey"},
            {"\"candidates\":{}", "candidates"},
            {"\"candidates\":[1]", "candidates[0]"},
            {"\"candidates\":[" + A + ",{" + key + ",\"maxStakeMicroCmt\":30000,\"commissionPpm\":1," +
                "\"stakeMicroCmt\":3000,\"votes\":1}]", "candidates[1]"},
            {"\"candidates\":[{" + key + ",\"maxStakeMicroCmt\":30000,\"commissionPpm\":1,\"stakeMicroCmt\":3000," +
                "\"description\":7}]", "candidates[0].description"},
            // -4,294,967,295 is 1 in its low 32 bits: refused, not read as a commission of 1 ppm.
            {"\"candidates\":[{" + key + ",\"maxStakeMicroCmt\":30000,\"commissionPpm\":-4294967295," +
                "\"stakeMicroCmt\":3000}]", "candidates[0].commissionPpm must be in 1..999999, was -4294967295"},
            // 4,294,967,297 is 1 in its low 32 bits too.
            {"\"candidates\":[{" + key + ",\"maxStakeMicroCmt\":30000,\"commissionPpm\":4294967297," +
                "\"stakeMicroCmt\":3000}]", "candidates[0].commissionPpm must be in 1..999999, was 4294967297"},
            {"\"candidates\":[{" + key + ",\"maxStakeMicroCmt\":\"30000\",\"commissionPpm\":1," +
                "\"stakeMicroCmt\":3000}]", "candidates[0].maxStakeMicroCmt must be an integer, was 30000"},
            {"\"candidates\":[" + A + "],\"delegations\":{}", "delegations"},
            {"\"candidates\":[" + A + "],\"delegations\":[1]", "delegations[0]"},
            // A misspelt field would be dropped: the delegation is refused rather than read without it.
            {"\"candidates\":[" + A + "],\"delegations\":[{\"delegator\":\"" + DposChain.hex("D") +
                "\",\"candidate\":\"" + DposChain.hex("A") + "\",\"amountMicroCmt\":500,\"lockedUntil\":9}]",
                "delegations[0] has an unknown field \"lockedUntil\""}};
        for (final String[] b : bad)
        {
            final GenesisException refused = assertThrows(GenesisException.class,
                () -> new DposChain(0, "\"minDelegationMicroCmt\":100," + b[0]), b[0]);
            assertTrue(refused.getMessage().contains(b[1]), refused.getMessage());
        }
    }

    @Test
    void shouldReadAnExplicitOwnerHexWithItsPrefixAndComments()
    {
        // B's owner is another account than its key's address; the foundation is written with 0x; comments anywhere.
        final String fields = "\"minDelegationMicroCmt\":100,\"comment\":\"test chain\",\"foundation\":\"0x" +
            DposChain.hex("foundation") + "\",\"candidates\":[" + A + ",{\"publicKey\":\"" +
            Hex.encode(key("B").publicKey()) + "\",\"owner\":\"0x" + DposChain.hex("B-owner") +
            "\",\"maxStakeMicroCmt\":20000,\"commissionPpm\":1,\"stakeMicroCmt\":2000,\"description\":\"b\"," +
            "\"comment\":\"owned apart\"}]";
        final DposChain c = new DposChain(0, fields);
        assertArrayEquals(address("foundation"), c.dpos.params.foundation());
        assertNull(c.candidate("B"));
        final Candidate b = c.candidate("B-owner");
        assertNotNull(b);
        assertArrayEquals(key("B").publicKey(), b.publicKey.bytes());
        assertEquals(2_000, c.stake("B-owner", "B-owner"));
        assertArrayEquals(new byte[]{'b'}, b.description);

        @SuppressWarnings("unchecked")
        final Map<String, Object> doc = (Map<String, Object>)Json.parse("{" + fields + "}");
        final DposGenesis genesis = DposGenesis.parse(doc);
        assertEquals(2, genesis.candidates().size());
        assertEquals(5_000, genesis.stakedMicroCmt());
        assertTrue(DposGenesis.parse(Map.of()).candidates().isEmpty());
        assertFalse(c.dpos.params.compoundOnSupply());
    }

    @Test
    void shouldReadEveryFieldADelegationAndTheSectionTake()
    {
        // The fields the unknown-field check lets through are read: a delegation's comment among them, and the two
        // parameters that are not ids of DposParams.
        final String delegation = "{\"delegator\":\"%s\",\"candidate\":\"" + DposChain.hex("A") +
            "\",\"amountMicroCmt\":%d%s}";
        final String fields = "\"minDelegationMicroCmt\":100,\"inflationBaseMicroCmt\":123456," +
            "\"compoundOnSupply\":true,\"candidates\":[" + A + "],\"delegations\":[" +
            String.format(delegation, DposChain.hex("D"), 500, ",\"comment\":\"a genesis delegation\"") + "," +
            String.format(delegation, DposChain.hex("E"), 700, "") + "]";
        final DposChain c = new DposChain(0, fields);
        assertEquals(500, c.stake("A", "D"));
        assertEquals(700, c.stake("A", "E"));
        assertEquals(123_456, c.dpos.params.inflationBaseMicroCmt());
        assertTrue(c.dpos.params.compoundOnSupply());

        @SuppressWarnings("unchecked")
        final Map<String, Object> doc = (Map<String, Object>)Json.parse("{" + fields + "}");
        final DposGenesis genesis = DposGenesis.parse(doc);
        assertEquals(3_000 + 500 + 700, genesis.stakedMicroCmt());
    }
}
