package io.cmtchain.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    @TempDir
    File dir;

    @Test
    void shouldSeeItsOwnerAliveWhileTheProcessThatWroteItRuns()
    {
        try (CountersFile written = CountersFile.create(dir, 4, System.currentTimeMillis()))
        {
            written.ready();
            try (CountersFile read = CountersFile.openReadOnly(dir))
            {
                assertNotNull(read);
                assertEquals(ProcessHandle.current().pid(), read.ownerPid());
                assertTrue(read.isOwnerAlive());
            }
        }
    }

    @Test
    void shouldNotTakeAProcessThatStartedAfterTheFileForItsOwner()
    {
        // A file left by a node before a reboot names a pid that another process may have now: this one started
        // after the file was written, so it cannot be the node that wrote it.
        final long beforeThisProcess = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() -
            TimeUnit.HOURS.toMillis(1);
        try (CountersFile written = CountersFile.create(dir, 4, beforeThisProcess))
        {
            written.ready();
            try (CountersFile read = CountersFile.openReadOnly(dir))
            {
                assertNotNull(read);
                assertEquals(ProcessHandle.current().pid(), read.ownerPid());
                assertFalse(read.isOwnerAlive());
            }
        }
    }
}
