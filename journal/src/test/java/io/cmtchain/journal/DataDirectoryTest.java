package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;

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

        data.writeGenesis("{\"chainId\":1}");
        assertTrue(data.hasGenesis());
        assertTrue(Files.isDirectory(data.journalDir()) && Files.isDirectory(data.indexDir()) &&
            Files.isDirectory(data.snapshotsDir()));
        data.writeGenesis("{\"chainId\":1}");
        final IllegalStateException other = assertThrows(IllegalStateException.class,
            () -> data.writeGenesis("{\"chainId\":2}"));
        assertTrue(other.getMessage().contains("already holds a different genesis"), other.getMessage());
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
}
