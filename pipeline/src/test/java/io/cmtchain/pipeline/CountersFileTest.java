package io.cmtchain.pipeline;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void shouldNotTakeAProcessThatHasExitedForItsOwner() throws Exception
    {
        final Process gone = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
        try (CountersFile written = CountersFile.create(dir, 4, System.currentTimeMillis()))
        {
            written.ready();
        }
        final byte[] bytes = Files.readAllBytes(file().toPath());
        new UnsafeBuffer(bytes).putLong(CountersFile.PID_OFFSET, gone.pid());
        Files.write(file().toPath(), bytes);
        try (CountersFile read = CountersFile.openReadOnly(dir))
        {
            assertNotNull(read);
            assertEquals(gone.pid(), read.ownerPid());
            assertFalse(read.isOwnerAlive());
        }
    }

    @Test
    void shouldTakeOnlyAWholeReadyCountersFile() throws Exception
    {
        assertNull(CountersFile.openReadOnly(dir), "no file");
        // No counters: the header alone, which is a whole file.
        try (CountersFile written = CountersFile.create(dir, 0, 1))
        {
            written.ready();
        }
        assertEquals(CountersFile.HEADER_LENGTH, file().length());
        assertOpens(Files.readAllBytes(file().toPath()), true, "the header alone");

        try (CountersFile written = CountersFile.create(dir, 2, 1))
        {
            assertOpens(Files.readAllBytes(file().toPath()), false, "magic not yet written");
            written.ready();
        }
        final byte[] whole = Files.readAllBytes(file().toPath());
        assertOpens(whole, true, "whole");
        assertOpens(Arrays.copyOf(whole, CountersFile.HEADER_LENGTH - 1), false, "shorter than its header");
        assertOpens(Arrays.copyOf(whole, whole.length - 1), false, "one byte short");
        final int metadata = new UnsafeBuffer(whole).getInt(CountersFile.METADATA_LENGTH_OFFSET);
        final int values = new UnsafeBuffer(whole).getInt(CountersFile.VALUES_LENGTH_OFFSET);
        final int[][] changes = {
            {CountersFile.MAGIC_OFFSET, CountersFile.MAGIC + 1},
            {CountersFile.VERSION_OFFSET, CountersFile.VERSION + 1},
            {CountersFile.METADATA_LENGTH_OFFSET, -1},
            {CountersFile.VALUES_LENGTH_OFFSET, -1},
            {CountersFile.METADATA_LENGTH_OFFSET, metadata + 1},
            {CountersFile.VALUES_LENGTH_OFFSET, values + 1}};
        for (final int[] change : changes)
        {
            final byte[] bytes = whole.clone();
            new UnsafeBuffer(bytes).putInt(change[0], change[1]);
            assertOpens(bytes, false, "field at " + change[0] + " set to " + change[1]);
        }
    }

    private File file()
    {
        return new File(dir, CountersFile.FILENAME);
    }

    private void assertOpens(final byte[] bytes, final boolean opens, final String what) throws Exception
    {
        Files.write(file().toPath(), bytes);
        try (CountersFile read = CountersFile.openReadOnly(dir))
        {
            assertEquals(opens, read != null, what);
        }
    }

    @Test
    void shouldSayWhyItCannotReplaceTheCountersFile() throws Exception
    {
        final File file = new File(dir, CountersFile.FILENAME);
        Files.createDirectories(file.toPath().resolve("inside"));
        final IllegalStateException inTheWay = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> CountersFile.create(dir, 8, System.currentTimeMillis()));
        assertEquals("cannot replace " + file + ": a directory of that name is in the way", inTheWay.getMessage());
        Files.delete(file.toPath().resolve("inside"));
        Files.delete(file.toPath());

        // A data directory in which the file cannot be deleted, though the file itself is writable.
        Files.writeString(file.toPath(), "counters");
        Files.setPosixFilePermissions(dir.toPath(), PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        try
        {
            if (file.delete())
            {
                // Root, whom permission bits do not restrict: the immutable attribute (ext4, xfs) where there is one.
                Files.writeString(file.toPath(), "counters");
                immutable = new ProcessBuilder("chattr", "+i", dir.toString()).inheritIO().start().waitFor() == 0;
                org.junit.jupiter.api.Assumptions.assumeTrue(immutable, "chattr +i is not available to this root");
            }
            final IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> CountersFile.create(dir, 8, System.currentTimeMillis()));
            assertEquals("cannot replace " + file + ": " +
                (immutable ? "Operation not permitted" : "permission denied"), ex.getMessage());
        }
        finally
        {
            if (immutable)
            {
                assertEquals(0, new ProcessBuilder("chattr", "-i", dir.toString()).inheritIO().start().waitFor());
            }
            Files.setPosixFilePermissions(dir.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
