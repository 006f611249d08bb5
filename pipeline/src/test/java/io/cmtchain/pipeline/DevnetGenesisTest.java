package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class DevnetGenesisTest
{
    @Test
    void shouldEnableDposAndContractsInTheEmbeddedDevnet()
    {
        final Genesis genesis = DevnetGenesis.genesis();
        assertNotNull(genesis.dpos());
        assertEquals(4, genesis.validators().size());
    }

    @Test
    void shouldTakeDposOutForPlainBenchmarks()
    {
        final Genesis genesis = Genesis.parse(DevnetGenesis.jsonWithoutDpos(64));
        assertNull(genesis.dpos());
        assertEquals(64, genesis.devnetAccounts());
        assertEquals(4, genesis.validators().size());
    }
}
