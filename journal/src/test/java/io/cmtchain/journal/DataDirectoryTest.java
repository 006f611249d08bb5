package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A data directory holds one chain's genesis and is written by one holder of its lock at a time. */
class DataDirectoryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStoreTheGenesisOnceAndRefuseAnother()
    {
        final DataDirectory data = new DataDirectory(dir.resolve("node"));
        assertFalse(data.hasGenesis());
        final UncheckedIOException missing = assertThrows(UncheckedIOException.class, data::readGenesis);
        assertTrue(missing.getMessage().contains(data.genesisFile().toString()), missing.getMessage());
        // Checking stores nothing: any genesis goes where none is stored.
        data.refuseAnotherGenesis("{\"chainId\":2}");
        assertFalse(Files.exists(data.root()));

        data.writeGenesis("{\"chainId\":1}");
        assertTrue(data.hasGenesis());
        assertTrue(Files.isDirectory(data.journalDir()) && Files.isDirectory(data.indexDir()) &&
            Files.isDirectory(data.snapshotsDir()));
        data.writeGenesis("{\"chainId\":1}");
        final IllegalStateException other = assertThrows(IllegalStateException.class,
            () -> data.writeGenesis("{\"chainId\":2}"));
        assertTrue(other.getMessage().contains("already holds a different genesis"), other.getMessage());
        data.refuseAnotherGenesis("{\"chainId\":1}");
        assertEquals(other.getMessage(), assertThrows(IllegalStateException.class,
            () -> data.refuseAnotherGenesis("{\"chainId\":2}")).getMessage());
        assertEquals("{\"chainId\":1}", data.readGenesis());
        assertFalse(Files.exists(data.genesisFile().resolveSibling(DataDirectory.GENESIS_FILE + ".tmp")));
    }

    @Test
    void shouldLetOneHolderAtATimeTakeTheLock() throws IOException
    {
        final DataDirectory data = new DataDirectory(dir);
        final FileLock lock = data.lock();
        assertTrue(lock.isValid());
        final IllegalStateException twice = assertThrows(IllegalStateException.class, data::lock);
        assertTrue(twice.getMessage().contains("already open in this process"), twice.getMessage());
        lock.channel().close();
        final FileLock again = data.lock();
        assertTrue(again.isValid());
        again.channel().close();
    }

    @Test
    void shouldRefuseTheLockWhileAnotherProcessHoldsIt() throws Exception
    {
        final DataDirectory data = new DataDirectory(dir);
        final Process holder = ChildProcess.start(LockHolder.class, dir.toString());
        try
        {
            final BufferedReader out = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("locked", out.readLine());
            final String lockFile = data.lockFile().toRealPath().toString();
            final int open = OpenFiles.visible() ? OpenFiles.openOrMapped(lockFile) : 0;
            final IllegalStateException busy = assertThrows(IllegalStateException.class, data::lock);
            assertEquals("data directory " + data.root() + " is in use by another process", busy.getMessage());
            // Refused without keeping anything open: the lock file's channel is closed again.
            assertEquals(open, OpenFiles.visible() ? OpenFiles.openOrMapped(lockFile) : 0);
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, holder.exitValue());
            final FileLock lock = data.lock();
            assertTrue(lock.isValid());
            lock.channel().close();
        }
        finally
        {
            holder.destroyForcibly();
        }
    }

    /** Holds a data directory's lock until its standard input closes. */
    static final class LockHolder
    {
        public static void main(final String[] args) throws IOException
        {
            final FileLock lock = new DataDirectory(Path.of(args[0])).lock();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // Until the test closes the pipe.
            }
            lock.channel().close();
        }
    }
}
