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
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /**
     * A reader's lock ({@code cmt salvage}) and the writer's exclude each other across processes: a node cannot take
     * a directory that salvage reads, and (JournalSalvageTest) salvage cannot take one a node has.
     */
    @Test
    void shouldRefuseTheWritersLockToAnotherProcessWhileAReaderHoldsItShared() throws Exception
    {
        final DataDirectory data = new DataDirectory(dir);
        data.lock().channel().close();
        final FileLock shared = data.lockShared();
        try
        {
            assertTrue(shared.isShared());
            final Process writer = ChildProcess.start(LockHolder.class, dir.toString());
            try
            {
                final BufferedReader out = new BufferedReader(
                    new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("refused: data directory " + data.root() + " is in use by another process",
                    out.readLine());
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            }
            finally
            {
                writer.destroyForcibly();
            }
        }
        finally
        {
            shared.channel().close();
        }
        assertEquals(null, new DataDirectory(dir.resolve("none")).lockShared(), "no lock file, none made");
        assertFalse(Files.exists(dir.resolve("none")));
    }

    /** Holds a data directory's lock until its standard input closes; says so when it is refused. */
    static final class LockHolder
    {
        public static void main(final String[] args) throws IOException
        {
            final FileLock lock;
            try
            {
                lock = new DataDirectory(Path.of(args[0])).lock();
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("refused: " + ex.getMessage());
                System.out.flush();
                return;
            }
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // Until the test closes the pipe.
            }
            lock.channel().close();
        }
    }

    @Test
    void shouldRefuseADataDirectoryWhosePartIsNotADirectory() throws IOException
    {
        final DataDirectory data = new DataDirectory(dir.resolve("node")).create();
        assertSame(data, data.requireWritable());
        // Each part in turn, the others whole: each is checked, and named.
        final String[] parts = {"index directory", "snapshot directory", "journal directory"};
        final Path[] paths = {data.indexDir(), data.snapshotsDir(), data.journalDir()};
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i];
            final Path path = paths[i];
            Files.delete(path);
            Files.writeString(path, "in the way");
            final IllegalStateException ex = assertThrows(IllegalStateException.class, data::requireWritable);
            assertEquals("not starting: the " + part + " " + path + " is not writable: not a directory",
                ex.getMessage());
            Files.delete(path);
            Files.createDirectory(path);
            data.requireWritable();
        }
        // The data directory itself, first: a file there, where its parts would be missing.
        final Path root = dir.resolve("a-file");
        Files.writeString(root, "in the way");
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            new DataDirectory(root)::requireWritable);
        assertEquals("not starting: the data directory " + root + " is not writable: not a directory", ex.getMessage());
    }

    @Test
    void shouldRefuseADataDirectoryInWhichNoFileCanBeCreated() throws Exception
    {
        final DataDirectory data = new DataDirectory(dir.resolve("node")).create();
        Files.writeString(data.root().resolve("cmt-counters.dat"), "a file that is itself writable");
        // Permission bits where they apply; as root, whom they do not restrict, the immutable attribute (ext4, xfs).
        final boolean immutable = makeUnwritable(data.journalDir());
        try
        {
            final UncheckedIOException ex = assertThrows(UncheckedIOException.class, data::requireWritable);
            assertTrue(ex.getMessage().startsWith("not starting: the journal directory " + data.journalDir() +
                " is not writable: "), ex.getMessage());
            assertTrue(ex.getMessage().endsWith(immutable ? "Operation not permitted" : "permission denied"),
                ex.getMessage());
        }
        finally
        {
            makeWritable(data.journalDir(), immutable);
        }
        data.requireWritable();
        try (java.util.stream.Stream<Path> files = Files.list(data.journalDir()))
        {
            assertEquals(0, files.count(), "the probe files are deleted");
        }
    }

    /** @return true when made unwritable with chattr +i; false with permission bits; the test skipped when neither. */
    private static boolean makeUnwritable(final Path directory) throws Exception
    {
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canCreateIn(directory))
        {
            return false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
            new ProcessBuilder("chattr", "+i", directory.toString()).inheritIO().start().waitFor() == 0,
            "permission bits do not restrict this user and chattr +i is not available");
        if (canCreateIn(directory))
        {
            makeWritable(directory, true);
            org.junit.jupiter.api.Assumptions.abort("chattr +i did not restrict writes");
        }
        return true;
    }

    private static void makeWritable(final Path directory, final boolean immutable) throws Exception
    {
        if (immutable)
        {
            assertEquals(0, new ProcessBuilder("chattr", "-i", directory.toString()).inheritIO().start().waitFor());
        }
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean canCreateIn(final Path directory)
    {
        try
        {
            Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
