package io.cmtchain.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Damages a journal's cycle file the way a crash or a bad disk would, for tests: the journal's own, and the
 * pipeline's (through this module's test jar).
 */
public final class JournalFiles
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
    public static void flipByteInBlock(final Path dataDir, final int block, final int delta) throws IOException
    {
        final Path file = cycleFile(dataDir);
        final int at = entryOffset(Files.readAllBytes(file), block, file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at + delta);
            final int b = raf.read();
            raf.seek(at + delta);
            raf.write(b ^ 0x5A);
        }
    }

    /**
     * Rewrite one byte of a block's entry and make its checksum right again, as a bug that journaled a wrong value
     * would: the journal reads the entry as whole, and only what checks the value itself can see it.
     *
     * @param dataDir data directory holding one cycle file.
     * @param block   1-based: the block whose entry to change.
     * @param delta   bytes after the entry's magic, past the checksum.
     * @param value   the byte's new value.
     */
    public static void forgeByteInBlock(final Path dataDir, final int block, final int delta, final int value)
        throws IOException
    {
        final Path file = cycleFile(dataDir);
        final byte[] bytes = Files.readAllBytes(file);
        final int at = entryOffset(bytes, block, file);
        final ByteBuffer entry = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int length = entry.getInt(at + 4);
        bytes[at + delta] = (byte)value;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, at + 12, length - 12);
        entry.putInt(at + 8, (int)crc.getValue());
        Files.write(file, bytes);
    }

    private static int entryOffset(final byte[] bytes, final int block, final Path file)
    {
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == MAGIC[0] && bytes[i + 1] == MAGIC[1] && bytes[i + 2] == MAGIC[2] &&
                bytes[i + 3] == MAGIC[3] && ++found == block)
            {
                return i;
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
    public static void eraseFromBlock(final Path dataDir, final int block) throws IOException
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

    /**
     * Cut the file short where a block's entry begins (with the queue's header before it), as a copy or restore that
     * stopped there leaves it.
     *
     * @param dataDir data directory holding one cycle file.
     * @param block   1-based: the first block cut off.
     */
    public static void truncateAtBlock(final Path dataDir, final int block) throws IOException
    {
        final Path file = cycleFile(dataDir);
        final int at = entryOffset(Files.readAllBytes(file), block, file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(at - 4);
        }
    }

    public static Path cycleFile(final Path dataDir) throws IOException
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
