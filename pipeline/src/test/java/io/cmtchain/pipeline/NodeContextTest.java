package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.transport.TransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeContextTest
{
    @TempDir
    File dir;

    @Test
    void shouldRejectARingSizeThatIsNotAPowerOfTwo()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().dataDir(dir).ringSize(1000).conclude());
        assertTrue(ex.getMessage().startsWith(NodeContext.RING_SIZE_PROP), ex.getMessage());
    }

    @Test
    void shouldRefuseToLaunchAContextWhoseConcludeFailed()
    {
        final NodeContext ctx = new NodeContext().dataDir(dir).journal("memory").ringSize(1000);
        assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertFalse(ctx.isConcluded());

        // Correcting the setting does not make it usable: the failed run stopped half way through the defaults.
        ctx.ringSize(1024);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Node.launch(ctx).close());
        assertEquals("NodeContext failed to conclude before: make a new one with the setting corrected",
            ex.getMessage());
    }

    @Test
    void shouldRejectBlocksLargerThanHalfTheRing()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().dataDir(dir).ringSize(1024).blockMaxTxs(600).conclude());
    }

    @Test
    void shouldRejectABadIngressChannelBeforeRecovery()
    {
        // Checked when the node's context is concluded, not when the transport launches after recovery.
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new NodeContext()
            .dataDir(dir).transportContext(new TransportContext().ingressChannel("aeron:udp?endpoint=localhost"))
            .conclude());
        assertTrue(ex.getMessage().startsWith(TransportContext.INGRESS_CHANNEL_PROP), ex.getMessage());
    }

    @Test
    void shouldRejectAnUnknownSignatureVerifier()
    {
        assertThrows(IllegalArgumentException.class, () -> new NodeContext().dataDir(dir).sigverify("x").conclude());
    }

    @Test
    void shouldReadDefaultsFromSystemProperties()
    {
        System.setProperty(NodeContext.RING_SIZE_PROP, "16384");
        System.setProperty(NodeContext.THREADING_MODE_PROP, "dedicated");
        try
        {
            final NodeContext ctx = new NodeContext().dataDir(dir).conclude();
            assertEquals(16384, ctx.ringSize());
            assertEquals(ThreadingMode.DEDICATED, ctx.threadingMode());
            assertEquals(1001, ctx.genesis().chainId());
        }
        finally
        {
            System.clearProperty(NodeContext.RING_SIZE_PROP);
            System.clearProperty(NodeContext.THREADING_MODE_PROP);
        }
    }

    @Test
    void shouldVerifySignaturesWithTheZip215BatchVerifierByDefault()
    {
        final NodeContext ctx = new NodeContext().dataDir(dir).conclude();
        assertEquals("zip215", ctx.sigverify());
        assertTrue(ctx.verifierFactory().get() instanceof Zip215BatchVerifier);
        assertEquals(io.cmtchain.journal.Durability.PROCESS, ctx.durability());
        assertEquals("chronicle", ctx.journal());
    }

    @Test
    void shouldRejectAnUnknownDurabilityNamingTheProperty()
    {
        System.setProperty(NodeContext.DURABILITY_PROP, "sometimes");
        try
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, NodeContext::new);
            assertTrue(ex.getMessage().startsWith(NodeContext.DURABILITY_PROP), ex.getMessage());
        }
        finally
        {
            System.clearProperty(NodeContext.DURABILITY_PROP);
        }
    }

    @Test
    void shouldSayWhyItCannotReadTheGenesisFile()
    {
        final File missing = new File(dir, "missing.json");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().dataDir(dir).genesisFile(missing).conclude());
        assertEquals("cannot read genesis file " + missing + ": no such file or directory", ex.getMessage());
    }

    @Test
    void shouldNameTheGenesisItCannotUse() throws Exception
    {
        // A genesis given as a file, and one stored in the data directory by an earlier start, is named with what is
        // wrong in it; one given as JSON has no file to name.
        final File file = new File(dir, "genesis-edit.json");
        Files.writeString(file.toPath(), "{\"chainId\": 5}");
        assertEquals("genesis file " + file + ": genesis needs at least one validator (\"validators\", " +
            "devnet.validators or dpos.candidates)", assertThrows(GenesisException.class,
            () -> new NodeContext().dataDir(dir).genesisFile(file).conclude()).getMessage());

        final File data = new File(dir, "data");
        final DataDirectory directory = new DataDirectory(data.toPath()).create();
        Files.writeString(directory.genesisFile(), "{");
        assertEquals("the data directory's genesis " + directory.genesisFile() + ": genesis is not valid JSON: " +
            "unexpected end of input at line 1, column 2", assertThrows(GenesisException.class,
            () -> new NodeContext().dataDir(data).conclude()).getMessage());

        assertEquals("genesis is not valid JSON: unexpected end of input at line 1, column 2",
            assertThrows(GenesisException.class, () -> new NodeContext().dataDir(dir).genesisJson("{").conclude())
                .getMessage());
    }

    @Test
    void shouldSayTheDataDirectoryIsAFile() throws Exception
    {
        final File file = new File(dir, "data");
        assertTrue(file.createNewFile());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().dataDir(file).conclude());
        assertEquals("cannot create data directory " + file + ": a file of that name is in the way", ex.getMessage());
        final File below = new File(file, "chain");
        final IllegalArgumentException belowEx = assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().dataDir(below).conclude());
        assertTrue(belowEx.getMessage().startsWith("cannot create data directory " + below + ": ") &&
            belowEx.getMessage().length() > ("cannot create data directory " + below + ": ").length(),
            belowEx.getMessage());
    }

    @Test
    void shouldConcludeOnlyOnce()
    {
        final NodeContext ctx = new NodeContext().dataDir(dir).conclude();
        assertThrows(IllegalStateException.class, ctx::conclude);
    }
}
