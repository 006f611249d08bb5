package io.cmtchain.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest
{
    @Test
    void shouldKnowTheSettingsOfEveryContext()
    {
        for (final String name : List.of("cmt.ring.size", "cmt.snapshot.kept", "cmt.journal.minFreeBytes",
            "cmt.transport.ingress.channel", "cmt.executor.threads", "cmt.client.max.pending", "cmt.root"))
        {
            assertTrue(Settings.known().contains(name), name);
        }
    }

    @Test
    void shouldNameTheSettingsNothingReadsWithTheNearestThatIsRead()
    {
        assertEquals(List.of(
            "cmt.completely.different.thing is not a setting of cmtchain; it is ignored",
            "cmt.snapshots.kept is not a setting of cmtchain; it is ignored (did you mean cmt.snapshot.kept?)",
            "cmt.transport.ingress.stream is not a setting of cmtchain; it is ignored (did you mean " +
                "cmt.transport.ingress.stream.id?)"),
            unknown("cmt.ring.size", "cmt.snapshots.kept", "cmt.transport.ingress.stream",
                "cmt.completely.different.thing", "java.home"));
    }

    @Test
    void shouldSuggestForAShortNameOnlyWhatOneEditMakesOfIt()
    {
        // Every setting begins cmt.: that part is not counted as alike.
        assertEquals(List.of(
            "cmt. is not a setting of cmtchain; it is ignored",
            "cmt.foo is not a setting of cmtchain; it is ignored",
            "cmt.jurnal is not a setting of cmtchain; it is ignored (did you mean cmt.journal?)",
            "cmt.rot is not a setting of cmtchain; it is ignored (did you mean cmt.root?)"),
            unknown("cmt.foo", "cmt.rot", "cmt.jurnal", "cmt."));
    }

    @Test
    void shouldHaveOneNameForTheSnapshotInterval()
    {
        // The journal once read cmt.snapshot.intervalBlocks, which the node overrode with its own setting's value.
        assertEquals(List.of("cmt.snapshot.intervalBlocks is not a setting of cmtchain; it is ignored (did you mean " +
            "cmt.snapshot.interval.blocks?)"), unknown("cmt.snapshot.interval.blocks", "cmt.snapshot.intervalBlocks"));
    }

    @Test
    void shouldSayAeronsDirectoryPropertyIsIgnoredButNotItsOtherSettings()
    {
        // A client under -Daeron.dir=X once ran its private driver in X, deleting it; now nothing runs a driver there.
        assertEquals(List.of("aeron.dir is ignored: the node's media driver runs in cmt.transport.aeron.dir " +
            "(default: a directory of its own under /dev/shm), and a client command's in a new directory unless " +
            "given --aeron-dir (the directory of the media driver to use)"),
            unknown("aeron.dir", "aeron.term.buffer.length", "aeron.threading.mode"));
    }

    /** {@link Settings#unknown}'s lines for these properties (their values play no part). */
    private static List<String> unknown(final String... names)
    {
        final Properties properties = new Properties();
        for (final String name : names)
        {
            properties.setProperty(name, "1");
        }
        return Settings.unknown(properties);
    }
}
