package io.cmtchain.transport.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;

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
    void shouldNameTheOptionTheFileAndTheProblem() throws IOException
    {
        final File missingDir = new File(dir, "no/such/dir/x.json");
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> FileArguments.checkWritable(missingDir, "--json"));
        assertEquals("--json " + missingDir + ": cannot write there: directory " + missingDir.getParentFile() +
            " does not exist", missing.getMessage());

        final File aFile = new File(dir, "plain");
        assertTrue(aFile.createNewFile());
        final File underAFile = new File(aFile, "x.json");
        final IllegalArgumentException notADirectory = assertThrows(IllegalArgumentException.class,
            () -> FileArguments.checkWritable(underAFile, "--json"));
        assertEquals("--json " + underAFile + ": cannot write there: directory " + aFile + " is not a directory",
            notADirectory.getMessage());

        final IllegalArgumentException directory = assertThrows(IllegalArgumentException.class,
            () -> FileArguments.checkWritable(dir, "--record"));
        assertTrue(directory.getMessage().startsWith("--record " + dir + ": cannot write there: it is a directory"),
            directory.getMessage());
    }
}
