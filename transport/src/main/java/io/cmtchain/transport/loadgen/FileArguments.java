package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.util.IoErrors;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Checks and messages for files named on the command line, shared by the load generator and the {@code cmt}
 * commands: an output file is checked before a long run rather than after it, and an I/O failure is reported with
 * its reason rather than an exception's class name or a bare path.
 */
public final class FileArguments
{
    private FileArguments()
    {
    }

    /**
     * Check, before a run, that a file named by an option can be written at its end: its directory exists and is
     * writable, and the file, if it exists, is a writable regular file.
     *
     * @param file   the file, or null (nothing to check).
     * @param option the option that names it, for the message, e.g. {@code --json}.
     * @throws IllegalArgumentException naming the option, the file and what is wrong.
     */
    public static void checkWritable(final File file, final String option)
    {
        if (file == null)
        {
            return;
        }
        final File absolute = file.getAbsoluteFile();
        final File dir = absolute.getParentFile();
        final String problem;
        if (absolute.isDirectory())
        {
            problem = "it is a directory";
        }
        else if (dir == null || !dir.isDirectory())
        {
            problem = "directory " + dir + (dir != null && dir.exists() ? " is not a directory" : " does not exist");
        }
        else if (absolute.exists() ? !absolute.canWrite() : !dir.canWrite())
        {
            problem = absolute.exists() ? "it is not writable" : "directory " + dir + " is not writable";
        }
        else
        {
            return;
        }
        throw new IllegalArgumentException(option + " " + file + ": cannot write there: " + problem);
    }

    /**
     * Make a directory and the ones above it, unless it is there already.
     *
     * @param dir  the directory.
     * @param what what it is, for the message, e.g. {@code data directory}.
     * @throws IllegalArgumentException {@code "cannot create WHAT DIR: REASON"}, the reason being a file of that name
     *                                  in the way, or the system's.
     */
    public static void createDirectories(final File dir, final String what)
    {
        if (dir.isDirectory())
        {
            return;
        }
        try
        {
            Files.createDirectories(dir.toPath());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot create " + what + " " + dir + ": " +
                (dir.exists() ? "a file of that name is in the way" : reason(ex)));
        }
    }

    /**
     * @param ex an I/O failure.
     * @return why it failed, in words ({@link IoErrors#reason}): the JDK's file exceptions carry only the path as their
     *         message.
     */
    public static String reason(final IOException ex)
    {
        return IoErrors.reason(ex);
    }
}
