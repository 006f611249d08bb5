package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The proposer check execution makes before it applies a DPoS block: the block's stamped proposer must be the one
 * DPoS schedules and its key held, else the node stops rather than make a block that would not replay.
 */
class BlockSignerTest
{
    private final Genesis genesis = Genesis.parse(DevnetGenesis.jsonWithAccounts(8));
    private final Chain chain = new Chain(genesis.createState(42), 0, new byte[32]);

    @Test
    void shouldFindTheScheduledProposersKey()
    {
        final byte[] scheduled = chain.scheduledProposer();
        assertNotNull(scheduled);
        final List<Ed25519Key> keys = devnetKeys();
        final int index = BlockSigner.devnet(genesis).proposerKeyIndex(chain, scheduled);
        assertArrayEquals(scheduled, keys.get(index).address());
    }

    @Test
    void shouldRefuseAProposerDposDoesNotScheduleNamingTheBlockAndBoth()
    {
        final byte[] scheduled = chain.scheduledProposer();
        final byte[] other = devnetKeys().stream().map(Ed25519Key::address)
            .filter(address -> !Arrays.equals(address, scheduled)).findFirst().orElseThrow();
        assertEquals("block 1 is stamped with proposer " + Hex.encode(other) + " but DPoS schedules " +
            Hex.encode(scheduled), assertThrows(IllegalStateException.class,
            () -> BlockSigner.devnet(genesis).proposerKeyIndex(chain, other)).getMessage());
    }

    @Test
    void shouldRefuseTheScheduledProposerWhoseKeyItDoesNotHold()
    {
        final byte[] scheduled = chain.scheduledProposer();
        final List<Ed25519Key> others = new ArrayList<>(devnetKeys());
        others.removeIf(key -> Arrays.equals(key.address(), scheduled));
        assertEquals(devnetKeys().size() - 1, others.size());
        assertEquals("this node holds no key of " + Hex.encode(scheduled) + ", the proposer of block 1",
            assertThrows(IllegalStateException.class,
                () -> new BlockSigner(others, genesis.chainId()).proposerKeyIndex(chain, scheduled)).getMessage());
    }

    private List<Ed25519Key> devnetKeys()
    {
        final List<Ed25519Key> keys = new ArrayList<>();
        for (final Genesis.Validator validator : genesis.validators())
        {
            keys.add(validator.devnetKey());
        }
        return keys;
    }
}
