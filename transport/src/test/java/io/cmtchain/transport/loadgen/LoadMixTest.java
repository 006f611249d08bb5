package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadMixTest
{
    @Test
    void shouldParseWeightsAndDrawKindsInTheirShares()
    {
        final LoadMix mix = LoadMix.parse("transfer=60, token=25,escrow=15");
        assertEquals("transfer=60,token=25,escrow=15", mix.toString());
        assertTrue(mix.needsTokens());
        assertFalse(mix.transfersOnlyMix());
        assertEquals(100, mix.total());
        assertEquals(LoadMix.TRANSFER, mix.kind(59));
        assertEquals(LoadMix.TOKEN, mix.kind(60));
        assertEquals(LoadMix.ESCROW, mix.kind(99));
        assertTrue(LoadMix.parse(null).transfersOnlyMix());
        assertTrue(LoadMix.parse(" ").transfersOnlyMix());
        assertTrue(LoadMix.parse("transfer=3").transfersOnlyMix());
        assertEquals(1_000_000, LoadMix.parse("escrow=1000000").total(), "the largest weight");
    }

    @Test
    void shouldRejectUnknownKindsAndBadWeightsWithClearMessages()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("transfer=1,stake=2"))
            .getMessage().contains("unknown kind \"stake\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("transfer=-1"))
            .getMessage().contains("must be an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("token"))
            .getMessage().contains("is not kind=weight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("=5"))
            .getMessage().contains("unknown kind \"\""));
        assertEquals("--mix: weight of \"escrow\" must be an integer in 0..1000000, was \"1000001\"",
            assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("escrow=1000001")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("token=1,token=2"))
            .getMessage().contains("given twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadMix.parse("transfer=0,escrow=0"))
            .getMessage().contains("add up to 0"));
    }
}
