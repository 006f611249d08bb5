package io.cmtchain.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process holds open or mapped, as Linux shows it under /proc/self: a leak survives every close. */
final class OpenFiles
{
    private OpenFiles()
    {
    }

    /** @return whether this system shows a process's descriptors (/proc/self/fd). */
    static boolean visible()
    {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /**
     * @param where a path prefix (a real path: /proc shows links resolved).
     * @return descriptors open and mappings held on files whose paths start with it.
     */
    static int openOrMapped(final String where) throws IOException
    {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds)
            {
                try
                {
                    if (Files.readSymbolicLink(fd).toString().startsWith(where))
                    {
                        count++;
                    }
                }
                catch (final IOException ex)
                {
                    // The descriptor of the directory stream itself, or one closed since the listing: not ours.
                }
            }
        }
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            if (line.contains(where))
            {
                count++;
            }
        }
        return count;
    }
}
