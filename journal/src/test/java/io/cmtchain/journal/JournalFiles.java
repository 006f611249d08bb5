package io.cmtchain.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Damages a journal's cycle file the way a crash or a bad disk would, for tests. */
final class JournalFiles
{
    private static final byte[] MAGIC = {'C', 'M', 'T', 'C'};

    private JournalFiles()
    {
    }

    /**
     * @param dataDir data directory holding one cycle file.
     * @param block   1-based: the block whose entry to damage.
     * @param delta   bytes after the entry's magic to flip.
     */
    static void flipByteInBlock(final Path dataDir, final int block, final int delta) throws IOException
    {
        final Path file = cycleFile(dataDir);
        final byte[] bytes = Files.readAllBytes(file);
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == MAGIC[0] && bytes[i + 1] == MAGIC[1] && bytes[i + 2] == MAGIC[2] &&
                bytes[i + 3] == MAGIC[3])
            {
                if (++found == block)
                {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                    {
                        raf.seek(i + delta);
                        final int b = raf.read();
                        raf.seek(i + delta);
                        raf.write(b ^ 0x5A);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("block " + block + " not found, " + found + " entries in " + file);
    }

    /**
     * Zero a block's entry, with the queue's header before it, and everything after it, as a file that lost its last
     * pages (a truncated copy, a disk that filled up under the mapped file) reads.
     *
     * @param dataDir data directory holding one cycle file.
     * @param block   1-based: the first block to erase.
     */
    static void eraseFromBlock(final Path dataDir, final int block) throws IOException
    {
        final Path file = cycleFile(dataDir);
        final byte[] bytes = Files.readAllBytes(file);
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == MAGIC[0] && bytes[i + 1] == MAGIC[1] && bytes[i + 2] == MAGIC[2] &&
                bytes[i + 3] == MAGIC[3] && ++found == block)
            {
                int end = bytes.length;
                while (end > i && bytes[end - 1] == 0)
                {
                    end--;
                }
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(i - 4);
                    raf.write(new byte[end - (i - 4)]);
                }
                return;
            }
        }
        throw new IllegalStateException("block " + block + " not found, " + found + " entries in " + file);
    }

    static Path cycleFile(final Path dataDir) throws IOException
    {
        try (Stream<Path> files = Files.list(new DataDirectory(dataDir).journalDir()))
        {
            final List<Path> cycles =
                files.filter(p -> p.toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
            if (cycles.size() != 1)
            {
                throw new IllegalStateException("expected one cycle file, found " + cycles);
            }
            return cycles.get(0);
        }
    }
}
