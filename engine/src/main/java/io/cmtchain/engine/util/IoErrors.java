package io.cmtchain.engine.util;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why an I/O operation failed, in words, for the one-line errors operators read: the JDK's file exceptions carry only
 * the path as their message ("permission denied" is an {@link AccessDeniedException} whose message is the path).
 */
public final class IoErrors
{
    private IoErrors()
    {
    }

    /**
     * @param ex an I/O failure.
     * @return why it failed: the reason its type stands for, else the file system's reason, else its message, else
     *         its class's name.
     */
    public static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "it already exists";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof CharacterCodingException)
        {
            // Files.readString's, whose message is "Input length = 1"; every text file cmtchain reads is UTF-8.
            return "not UTF-8 text";
        }
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason();
        }
        final String message = ex.getMessage();
        return message == null ? ex.getClass().getSimpleName() : message;
    }
}
