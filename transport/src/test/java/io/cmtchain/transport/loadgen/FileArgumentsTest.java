package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileArgumentsTest
{
    @TempDir
    File dir;

    @Test
    void shouldAcceptANewOrExistingFileInAWritableDirectory() throws Exception
    {
        assertDoesNotThrow(() -> FileArguments.checkWritable(new File(dir, "new.json"), "--json"));
        final File existing = new File(dir, "old.json");
        assertTrue(existing.createNewFile());
        assertDoesNotThrow(() -> FileArguments.checkWritable(existing, "--json"));
        assertDoesNotThrow(() -> FileArguments.checkWritable(null, "--json"));
    }

    @Test
    void shouldNameTheOptionTheFileAndTheProblem()
    {
        final File missingDir = new File(dir, "no/such/dir/x.json");
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> FileArguments.checkWritable(missingDir, "--json"));
        assertEquals("--json " + missingDir + ": cannot write there: directory " + missingDir.getParentFile() +
            " does not exist", missing.getMessage());

        final IllegalArgumentException directory = assertThrows(IllegalArgumentException.class,
            () -> FileArguments.checkWritable(dir, "--record"));
        assertTrue(directory.getMessage().startsWith("--record " + dir + ": cannot write there: it is a directory"),
            directory.getMessage());
    }

    @Test
    void shouldGiveReasonsInWords()
    {
        assertEquals("no such file or directory", FileArguments.reason(new NoSuchFileException("/x")));
        assertEquals("permission denied", FileArguments.reason(new AccessDeniedException("/x")));
        assertEquals("Read-only file system", FileArguments.reason(new FileSystemException("/x", null,
            "Read-only file system")));
    }
}
