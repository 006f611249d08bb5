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
        final Properties properties = new Properties();
        properties.setProperty("cmt.ring.size", "65536");
        properties.setProperty("cmt.snapshots.kept", "0");
        properties.setProperty("cmt.transport.ingress.stream", "7");
        properties.setProperty("cmt.completely.different.thing", "1");
        properties.setProperty("java.home", "/usr");
        assertEquals(List.of(
            "cmt.completely.different.thing is not a setting of cmtchain; it is ignored",
            "cmt.snapshots.kept is not a setting of cmtchain; it is ignored (did you mean cmt.snapshot.kept?)",
            "cmt.transport.ingress.stream is not a setting of cmtchain; it is ignored (did you mean " +
                "cmt.transport.ingress.stream.id?)"),
            Settings.unknown(properties));
    }

    @Test
    void shouldSuggestForAShortNameOnlyWhatOneEditMakesOfIt()
    {
        // Every setting begins cmt.: that part is not counted as alike.
        final Properties properties = new Properties();
        properties.setProperty("cmt.foo", "1");
        properties.setProperty("cmt.rot", "/tmp");
        properties.setProperty("cmt.jurnal", "memory");
        properties.setProperty("cmt.", "1");
        assertEquals(List.of(
            "cmt. is not a setting of cmtchain; it is ignored",
            "cmt.foo is not a setting of cmtchain; it is ignored",
            "cmt.jurnal is not a setting of cmtchain; it is ignored (did you mean cmt.journal?)",
            "cmt.rot is not a setting of cmtchain; it is ignored (did you mean cmt.root?)"),
            Settings.unknown(properties));
    }

    @Test
    void shouldHaveOneNameForTheSnapshotInterval()
    {
        // The journal once read cmt.snapshot.intervalBlocks, which the node overrode with its own setting's value.
        final Properties properties = new Properties();
        properties.setProperty("cmt.snapshot.interval.blocks", "100");
        properties.setProperty("cmt.snapshot.intervalBlocks", "100");
        assertEquals(List.of("cmt.snapshot.intervalBlocks is not a setting of cmtchain; it is ignored (did you mean " +
            "cmt.snapshot.interval.blocks?)"), Settings.unknown(properties));
    }
}
