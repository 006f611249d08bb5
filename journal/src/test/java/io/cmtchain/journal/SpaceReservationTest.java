package io.cmtchain.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SpaceReservationTest
{
    @TempDir
    Path dir;

    /** Records where it writes. */
    static final class Recording extends SpaceReservation
    {
        final List<Long> positions = new ArrayList<>();
        long failAt = Long.MAX_VALUE;

        @Override
        int write(final FileChannel channel, final ByteBuffer zeros, final long position) throws IOException
        {
            if (position >= failAt)
            {
                throw new IOException("No space left on device");
            }
            positions.add(position);
            return super.write(channel, zeros, position);
        }
    }

    /**
     * @param file   to write.
     * @param length of the file.
     * @return what it was written with: {@code length} bytes of 0xAB.
     */
    static byte[] writeFile(final Path file, final int length) throws IOException
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)0xAB);
        Files.write(file, bytes);
        return bytes;
    }

    /** Assert that every byte of {@code bytes} from {@code from} on is zero. */
    static void assertZerosFrom(final byte[] bytes, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (bytes[i] != 0)
            {
                throw new AssertionError("byte " + i + " is " + bytes[i]);
            }
        }
    }

    @Test
    void shouldZeroFromTheEntryOnAndLeaveWhatIsBeforeIt() throws IOException
    {
        final Path path = dir.resolve("cycle.cq4");
        final byte[] written = writeFile(path, 100_000);
        try (Recording reservation = new Recording())
        {
            reservation.reserve(path.toFile(), 100_000, 5_000);
            assertEquals(100_000, reservation.positions.get(0));
            assertEquals(100_000 + 5_000 + SpaceReservation.AHEAD, reservation.reservedEnd());
        }
        final byte[] after = Files.readAllBytes(path);
        assertEquals(100_000 + 5_000 + SpaceReservation.AHEAD, after.length);
        assertArrayEquals(written, Arrays.copyOf(after, 100_000));
        assertZerosFrom(after, 100_000);
    }

    @Test
    void shouldExtendOnlyWhenLessThanTheLowWaterIsLeftAndOnlyBeyondWhatIsReserved() throws IOException
    {
        final File file = Files.createFile(dir.resolve("cycle.cq4")).toFile();
        try (Recording reservation = new Recording())
        {
            reservation.reserve(file, 0, 1_000);
            final long reserved = reservation.reservedEnd();
            final int writes = reservation.positions.size();

            final long roomy = reserved - SpaceReservation.LOW_WATER - 10_000;
            reservation.reserve(file, roomy, 10_000);
            assertEquals(writes, reservation.positions.size(), "nothing written while the low water is kept");

            reservation.reserve(file, roomy + 10_000, 10_000);
            assertEquals(reserved, reservation.positions.get(writes), "extended from the reserved end");
            assertEquals(roomy + 20_000 + SpaceReservation.AHEAD, reservation.reservedEnd());
        }
    }

    @Test
    void shouldStartAgainOnANewFile() throws IOException
    {
        try (Recording reservation = new Recording())
        {
            reservation.reserve(Files.createFile(dir.resolve("a.cq4")).toFile(), 0, 1_000);
            final File next = dir.resolve("b.cq4").toFile();
            Files.createFile(next.toPath());
            final int writes = reservation.positions.size();
            reservation.reserve(next, 4_096, 1_000);
            assertEquals(4_096, reservation.positions.get(writes));
            assertEquals(4_096 + 1_000 + SpaceReservation.AHEAD, Files.size(next.toPath()));
        }
    }

    @Test
    void shouldHoldOneFileOpenAtATimeAndNoneOnceClosed() throws IOException
    {
        // A node rolls to a new cycle file every day: a descriptor left on each old one would run out in time.
        assumeTrue(OpenFiles.visible(), "needs /proc/self");
        final Path a = Files.createFile(dir.resolve("a.cq4")).toRealPath();
        final Path b = Files.createFile(dir.resolve("b.cq4")).toRealPath();
        final SpaceReservation reservation = new SpaceReservation();
        reservation.reserve(a.toFile(), 0, 1_000);
        assertEquals(1, OpenFiles.openOrMapped(a.toString()));
        reservation.reserve(b.toFile(), 0, 1_000);
        assertEquals(0, OpenFiles.openOrMapped(a.toString()), "the file it moved on from");
        assertEquals(1, OpenFiles.openOrMapped(b.toString()));
        reservation.close();
        assertEquals(0, OpenFiles.openOrMapped(b.toString()));
        reservation.close();
    }

    @Test
    void shouldFailWhenTheSpaceCannotBeAllocatedAndReserveAgainLater() throws IOException
    {
        final File file = Files.createFile(dir.resolve("cycle.cq4")).toFile();
        try (Recording reservation = new Recording())
        {
            reservation.failAt = 1L << 20;
            assertThrows(IOException.class, () -> reservation.reserve(file, 0, 1_000));
            assertEquals(0, reservation.reservedEnd(), "nothing counted as reserved");
            reservation.failAt = Long.MAX_VALUE;
            reservation.reserve(file, 0, 1_000);
            assertEquals(1_000 + SpaceReservation.AHEAD, reservation.reservedEnd());
        }
    }
}
