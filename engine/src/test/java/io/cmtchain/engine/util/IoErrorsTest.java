package io.cmtchain.engine.util;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reasons operators read in one-line errors, where the JDK's exceptions give only a path. */
class IoErrorsTest
{
    @Test
    void shouldGiveReasonsInWords()
    {
        assertEquals("no such file or directory", IoErrors.reason(new NoSuchFileException("/x")));
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x")));
        assertEquals("Read-only file system", IoErrors.reason(new FileSystemException("/x", null,
            "Read-only file system")));
        assertEquals("it already exists", IoErrors.reason(new FileAlreadyExistsException("/x")));
        assertEquals("not a directory", IoErrors.reason(new NotDirectoryException("/x")));
        assertEquals("/x", IoErrors.reason(new FileSystemException("/x")), "no reason: the message");
        assertEquals("No space left on device", IoErrors.reason(new IOException("No space left on device")));
        assertEquals("IOException", IoErrors.reason(new IOException()), "no message: the exception's name");
        // Files.readString's, for a byte that is not UTF-8: its message is "Input length = 1".
        assertEquals("not UTF-8 text", IoErrors.reason(new MalformedInputException(1)));
    }
}
