package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each setting is checked at its bounds once, by conclude(). */
class JournalContextTest
{
    @TempDir
    Path dir;

    @Test
    void shouldAcceptEverySettingAtItsBounds()
    {
        accepted(c -> c.blockSizeBytes(1L << 20));
        accepted(c -> c.blockSizeBytes(1L << 34));
        accepted(c -> c.txIndexCapacity(16));
        accepted(c -> c.snapshotIntervalBlocks(0));
        accepted(c -> c.snapshotsKept(1));
        accepted(c -> c.minFreeBytes(0));
        final JournalContext context = new JournalContext().dataDirectory(dir);
        assertSame(context, context.conclude());
        assertEquals(new DataDirectory(dir).root(), context.dataDirectory().root());
        assertEquals(JournalContext.DEFAULT_BLOCK_SIZE_BYTES, context.blockSizeBytes());
        assertEquals(JournalContext.DEFAULT_TX_INDEX_CAPACITY, context.txIndexCapacity());
        assertEquals(JournalContext.DEFAULT_SNAPSHOT_INTERVAL_BLOCKS, context.snapshotIntervalBlocks());
        assertEquals(JournalContext.DEFAULT_SNAPSHOTS_KEPT, context.snapshotsKept());
        assertEquals(JournalContext.DEFAULT_MIN_FREE_BYTES, context.minFreeBytes());
        assertEquals(Durability.PROCESS, context.durability());
    }

    @Test
    void shouldRefuseEverySettingPastItsBoundsNamingIt()
    {
        refused(c -> c.blockSizeBytes((1L << 20) - 1), JournalContext.BLOCK_SIZE_PROP);
        refused(c -> c.blockSizeBytes((1L << 34) + 1), JournalContext.BLOCK_SIZE_PROP);
        refused(c -> c.txIndexCapacity(8), JournalContext.TX_INDEX_CAPACITY_PROP);
        refused(c -> c.txIndexCapacity(24), JournalContext.TX_INDEX_CAPACITY_PROP);
        refused(c -> c.snapshotIntervalBlocks(-1), JournalContext.SNAPSHOT_INTERVAL_PROP);
        refused(c -> c.snapshotsKept(0), JournalContext.SNAPSHOTS_KEPT_PROP);
        refused(c -> c.minFreeBytes(-1), JournalContext.MIN_FREE_BYTES_PROP);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new JournalContext().dataDirectory((DataDirectory)null).conclude());
        assertTrue(ex.getMessage().contains(JournalContext.DATA_DIR_PROP), ex.getMessage());
    }

    @Test
    void shouldRefuseASettingPropertyThatIsNotANumberNamingIt()
    {
        // Long.getLong took "100T" for unset: the journal kept 1 GiB free without a word.
        System.setProperty(JournalContext.MIN_FREE_BYTES_PROP, "100T");
        try
        {
            assertEquals(JournalContext.MIN_FREE_BYTES_PROP + " must be an integer, was 100T",
                assertThrows(IllegalArgumentException.class, JournalContext::new).getMessage());
            System.setProperty(JournalContext.MIN_FREE_BYTES_PROP, "2_000_000_000");
            assertEquals(2_000_000_000L, new JournalContext().minFreeBytes());
        }
        finally
        {
            System.clearProperty(JournalContext.MIN_FREE_BYTES_PROP);
        }
    }

    @Test
    void shouldReadTheDurabilityInAnyCaseAndRefuseAnythingElseNamingTheChoices()
    {
        // Durability.valueOf said "No enum constant io.cmtchain.journal.Durability.power" to an operator's lower case.
        System.setProperty(JournalContext.DURABILITY_PROP, "power");
        try
        {
            assertEquals(Durability.POWER, new JournalContext().durability());
            System.setProperty(JournalContext.DURABILITY_PROP, "disk");
            assertEquals(JournalContext.DURABILITY_PROP + " must be PROCESS or POWER, was disk",
                assertThrows(IllegalArgumentException.class, JournalContext::new).getMessage());
        }
        finally
        {
            System.clearProperty(JournalContext.DURABILITY_PROP);
        }
        assertEquals(Durability.PROCESS, new JournalContext().durability());
    }

    private void accepted(final UnaryOperator<JournalContext> setting)
    {
        setting.apply(new JournalContext().dataDirectory(dir)).conclude();
    }

    private void refused(final UnaryOperator<JournalContext> setting, final String property)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> setting.apply(new JournalContext().dataDirectory(dir)).conclude());
        assertTrue(ex.getMessage().startsWith(property), ex.getMessage());
    }
}
