package io.cmtchain.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes and damages the index's transaction hash log ({@code txhash.log}, see {@link JournalIndex}) byte by byte, for
 * tests: independently of the index's own writer, so that a test pins the file format rather than echoing the code.
 */
final class TxHashLogFiles
{
    static final int HEADER_LENGTH = 64;
    static final int RECORD_LENGTH = 16;
    static final int COUNT_OFFSET = 8;
    static final int CRC_OFFSET = 12;
    /** "CMTTLOG1" little-endian: format 1, 16 bytes per transaction. */
    static final long MAGIC_V1 = 0x31474F4C54544D43L;
    /** "CMTTLOG2" little-endian: format 2, a record's CRC32C covers its prefixes only. */
    static final long MAGIC_V2 = 0x32474F4C54544D43L;
    /** "CMTTLOG3" little-endian: format 3, a record's CRC32C covers its height, count and prefixes. */
    static final long MAGIC_V3 = 0x33474F4C54544D43L;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private TxHashLogFiles()
    {
    }

    /**
     * @param magic    of the header.
     * @param heights  of the block records, in order.
     * @param prefixes of each block's transactions.
     * @param format3  true for format 3's checksum (height, count and prefixes), false for format 2's (prefixes only).
     * @return the log's bytes.
     */
    static byte[] log(final long magic, final long[] heights, final long[][] prefixes, final boolean format3)
    {
        int length = HEADER_LENGTH;
        for (final long[] p : prefixes)
        {
            length += RECORD_LENGTH + 8 * p.length;
        }
        final ByteBuffer log = ByteBuffer.allocate(length).order(LE);
        log.putLong(0, magic);
        int at = HEADER_LENGTH;
        for (int b = 0; b < heights.length; b++)
        {
            log.putLong(at, heights[b]).putInt(at + COUNT_OFFSET, prefixes[b].length);
            for (int i = 0; i < prefixes[b].length; i++)
            {
                log.putLong(at + RECORD_LENGTH + 8 * i, prefixes[b][i]);
            }
            final int recordLength = RECORD_LENGTH + 8 * prefixes[b].length;
            log.putInt(at + CRC_OFFSET, format3 ? checksum(log.array(), at, recordLength) :
                prefixChecksum(log.array(), at, recordLength));
            at += recordLength;
        }
        return log.array();
    }

    /**
     * Rewrite a log of format 3 as format 2 wrote the same blocks: magic 'CMTTLOG2', each record's checksum over its
     * prefixes only.
     */
    static void toFormat2(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer log = ByteBuffer.wrap(bytes).order(LE);
        if (log.getLong(0) != MAGIC_V3)
        {
            throw new IllegalStateException(file + " is not of format 3");
        }
        log.putLong(0, MAGIC_V2);
        for (int at = HEADER_LENGTH; at < bytes.length; )
        {
            final int recordLength = RECORD_LENGTH + 8 * log.getInt(at + COUNT_OFFSET);
            if (log.getInt(at + CRC_OFFSET) != checksum(bytes, at, recordLength))
            {
                throw new IllegalStateException(file + ": the record at " + at + " is not checksummed as format 3");
            }
            log.putInt(at + CRC_OFFSET, prefixChecksum(bytes, at, recordLength));
            at += recordLength;
        }
        Files.write(file, bytes);
    }

    /** @return format 3's checksum of the record at {@code at}: height and count, then prefixes. */
    static int checksum(final byte[] log, final int at, final int recordLength)
    {
        final CRC32C crc = new CRC32C();
        crc.update(log, at, CRC_OFFSET);
        crc.update(log, at + RECORD_LENGTH, recordLength - RECORD_LENGTH);
        return (int)crc.getValue();
    }

    /** @return format 2's checksum of the record at {@code at}: its prefixes only. */
    static int prefixChecksum(final byte[] log, final int at, final int recordLength)
    {
        final CRC32C crc = new CRC32C();
        crc.update(log, at + RECORD_LENGTH, recordLength - RECORD_LENGTH);
        return (int)crc.getValue();
    }

    static long magic(final Path file) throws IOException
    {
        return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(LE).getLong(0);
    }

    /** Flip bit {@code bit} (0 to 7) of the byte at {@code position}. */
    static void flipBit(final Path file, final long position, final int bit) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ (1 << bit));
        }
    }
}
