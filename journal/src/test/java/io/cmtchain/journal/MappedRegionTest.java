package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A region's file is allocated, not sparse: every byte it grows by is written through its channel first. */
class MappedRegionTest
{
    @TempDir
    Path dir;

    /** Records the ranges it writes; fails as a full disk does while {@link #failing}. */
    static final class RecordingWriter implements ChannelWriter
    {
        final List<long[]> writes = new ArrayList<>();
        boolean failing;

        @Override
        public int write(final FileChannel channel, final ByteBuffer source, final long position) throws IOException
        {
            if (failing)
            {
                throw new IOException("No space left on device");
            }
            final int written = channel.write(source, position);
            writes.add(new long[]{ position, written });
            return written;
        }

        /** Assert that the writes recorded from the {@code first}th on cover exactly {@code [start, end)}. */
        void assertCovered(final int first, final long start, final long end)
        {
            final List<long[]> ranges = new ArrayList<>(writes.subList(first, writes.size()));
            ranges.sort(Comparator.comparingLong(r -> r[0]));
            long covered = start;
            for (final long[] range : ranges)
            {
                assertTrue(range[0] >= start && range[0] <= covered,
                    "a write at " + range[0] + " outside or after a gap of [" + start + ", " + covered + ")");
                covered = Math.max(covered, range[0] + range[1]);
            }
            assertEquals(end, covered, "written up to");
        }
    }

    @Test
    void shouldWriteEveryByteOfANewFile() throws IOException
    {
        final Path file = dir.resolve("region");
        final RecordingWriter writer = new RecordingWriter();
        try (MappedRegion region = new MappedRegion(file, 300_000, writer))
        {
            assertEquals(300_000, region.length());
            writer.assertCovered(0, 0, 300_000);
            assertEquals(0, region.getLong(300_000 - 8));
        }
        assertEquals(300_000, Files.size(file));
    }

    @Test
    void shouldWriteEveryByteItGrowsByAndKeepWhatTheFileHeld() throws IOException
    {
        final Path file = dir.resolve("region");
        final byte[] held = SpaceReservationTest.writeFile(file, 10_000);
        final RecordingWriter writer = new RecordingWriter();
        try (MappedRegion region = new MappedRegion(file, 50_000, writer))
        {
            writer.assertCovered(0, 10_000, 50_000);
            assertEquals(0xABABABABABABABABL, region.getLong(9_992));
            region.putLong(8, 42);

            final int before = writer.writes.size();
            region.ensureLength(200_000);
            assertEquals(200_000, region.length());
            writer.assertCovered(before, 50_000, 200_000);
            assertEquals(42, region.getLong(8));
            assertEquals(0xABABABABABABABABL, region.getLong(9_992));
            region.force();
        }
        final byte[] after = Files.readAllBytes(file);
        assertEquals(200_000, after.length);
        final byte[] expected = held.clone();
        Arrays.fill(expected, 8, 16, (byte)0);
        expected[8] = 42;
        assertArrayEquals(expected, Arrays.copyOf(after, 10_000));
        SpaceReservationTest.assertZerosFrom(after, 10_000);
    }

    @Test
    void shouldNotGrowWhenTheSpaceCannotBeAllocatedAndGrowOnceItCan() throws IOException
    {
        final Path file = dir.resolve("region");
        final RecordingWriter writer = new RecordingWriter();
        try (MappedRegion region = new MappedRegion(file, 4_096, writer))
        {
            region.putLong(4_088, 7);
            writer.failing = true;
            final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
                () -> region.ensureLength(1 << 20));
            assertTrue(ex.getMessage().contains("No space left on device"), ex.getMessage());
            assertEquals(4_096, region.length());
            assertEquals(7, region.getLong(4_088));

            writer.failing = false;
            final int before = writer.writes.size();
            region.ensureLength(1 << 20);
            assertEquals(1 << 20, region.length());
            writer.assertCovered(before, 4_096, 1 << 20);
            assertEquals(7, region.getLong(4_088));
            region.putLong((1 << 20) - 8, 9);
            assertEquals(9, region.getLong((1 << 20) - 8));
        }
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void shouldKeepEveryValueAtItsOffsetAcrossChunksAndThroughGrowth() throws IOException
    {
        // 4 KiB chunks stand for the 1 GiB ones, which a file reaches after 134 million blocks' heights.
        final Path file = dir.resolve("region");
        final int shift = 12;
        try (MappedRegion region = new MappedRegion(file, 10_000, new RecordingWriter(), shift))
        {
            // Two whole chunks and a short third, which each growth maps again at its new length.
            for (long offset = 0; offset + 8 <= 10_000; offset += 8)
            {
                region.putLong(offset, valueAt(offset));
            }
            for (long length = 11_000; length <= 30_000; length += 1_000)
            {
                region.ensureLength(length);
                assertEquals(length, region.length());
                final long newest = length - 8;
                region.putLongRelease(newest, valueAt(newest));
            }
            for (long offset = 10_000; offset + 8 <= 30_000; offset += 8)
            {
                region.putLong(offset, valueAt(offset));
            }
            for (long offset = 0; offset + 8 <= 30_000; offset += 8)
            {
                assertEquals(valueAt(offset), region.getLong(offset), "at " + offset);
            }
            region.force();
        }
        // The same file read as one chunk: each value was stored where its offset says.
        try (MappedRegion region = new MappedRegion(file, 0, new RecordingWriter()))
        {
            assertEquals(30_000, region.length());
            for (long offset = 0; offset + 8 <= 30_000; offset += 8)
            {
                assertEquals(valueAt(offset), region.getLong(offset), "at " + offset);
            }
        }
    }

    @Test
    void shouldLetGoOfAChunksMappingWhenItMapsItAgain() throws IOException
    {
        assumeTrue(OpenFiles.visible(), "needs /proc/self");
        final Path file = dir.resolve("region");
        try (MappedRegion region = new MappedRegion(file, 5_000, new RecordingWriter(), 12))
        {
            final String where = file.toRealPath().toString();
            // Twenty growths within the third chunk, each mapping it again: the channel and at most 3 mappings (the
            // kernel may merge neighbours, never split them).
            for (long length = 8_300; length <= 12_000; length += 185)
            {
                region.ensureLength(length);
            }
            assertTrue(OpenFiles.openOrMapped(where) <= 1 + 3, "open or mapped: " + OpenFiles.openOrMapped(where));
        }
        assertEquals(0, OpenFiles.openOrMapped(file.toRealPath().toString()), "open or mapped once closed");
    }

    @Test
    void shouldRefuseAChunkShorterThanAPageOrLongerThanAGibibyte()
    {
        for (final int shift : new int[] {11, MappedRegion.CHUNK_SHIFT + 1})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new MappedRegion(dir.resolve("region"), 4_096, new RecordingWriter(), shift));
            assertEquals("chunk shift " + shift + " is outside [12, 30]", ex.getMessage());
        }
    }

    private static long valueAt(final long offset)
    {
        return (offset + 1) * 0x9E3779B97F4A7C15L;
    }
}
