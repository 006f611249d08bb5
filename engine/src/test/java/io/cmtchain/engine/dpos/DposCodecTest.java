package io.cmtchain.engine.dpos;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.cmtchain.engine.dpos.DposChain.address;
import static io.cmtchain.engine.dpos.DposChain.candidate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of the DPoS state (DposCodec): a node restarted from one must run on as the node that wrote it, so a
 * snapshot that is not consistent is refused with an IOException naming the problem, never read some other way.
 * DposConservationTest and DposChain.checkConservation read good snapshots back; these are the bad ones.
 */
class DposCodecTest
{
    /** Where the award recipients' count is: version, params (13 values, base, flag, foundation), 10 + 3 longs. */
    private static final int RECIPIENTS_AT = 1 + 13 * 8 + 8 + 1 + 20 + 8 + 1 + 9 * 8 + 3 * 8;

    private static DposChain chain()
    {
        return new DposChain(0, DposRewardTest.SMALL + ",\"candidates\":[" + candidate("A", 30_000, 100_000, 3_000) +
            "," + candidate("B", 20_000, 100_000, 2_000) + "]");
    }

    private static byte[] write(final DposState state) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DposCodec.write(state, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static DposState read(final byte[] bytes) throws IOException
    {
        return DposCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static void assertRefused(final byte[] bytes, final String reason)
    {
        final IOException refused = assertThrows(IOException.class, () -> read(bytes));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    /** @return the index of the n-th (from 0) occurrence of {@code pattern} in {@code bytes}. */
    private static int find(final byte[] bytes, final byte[] pattern, final int n)
    {
        int seen = 0;
        for (int i = 0; i + pattern.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length) && seen++ == n)
            {
                return i;
            }
        }
        throw new AssertionError("occurrence " + n + " not found");
    }

    @Test
    void shouldWriteOnlyBetweenBlocks()
    {
        final DposChain c = chain();
        c.block("");
        c.dpos.beginBlock(2, new byte[0][], 0);
        assertThrows(IllegalStateException.class, () -> write(c.dpos));
    }

    @Test
    void shouldReadBackTheLastAwardForReports() throws IOException
    {
        final DposChain c = chain();
        c.block("");
        c.block("A,B");
        final DposState read = read(write(c.dpos));
        assertEquals(2, read.awardRecipients.size());
        assertSame(read.candidates.get(new ByteKey(address("A"))), read.awardRecipients.get(0));
        assertEquals(c.dpos.awardAmounts[0], read.awardAmounts[0]);
        assertEquals(c.dpos.awardAmounts[1], read.awardAmounts[1]);
    }

    @Test
    void shouldRefuseAnInconsistentSnapshot() throws IOException
    {
        final DposChain c = chain();
        final byte[] good = write(c.dpos);
        read(good);
        // Genesis: no award recipients, then two candidates, written in address order.
        assertEquals(0, ByteBuffer.wrap(good, RECIPIENTS_AT, 4).getInt());
        assertEquals(2, ByteBuffer.wrap(good, RECIPIENTS_AT + 4, 4).getInt());
        final byte[] a = address("A");
        final byte[] b = address("B");

        final byte[] version = good.clone();
        version[0]++;
        assertRefused(version, "version");

        final byte[] negative = good.clone();
        ByteBuffer.wrap(negative, RECIPIENTS_AT, 4).putInt(-1);
        assertRefused(negative, "bad count of award recipients");

        // More candidates than a snapshot may hold (2^28): refused as such, not read until the data runs out.
        final byte[] many = good.clone();
        ByteBuffer.wrap(many, RECIPIENTS_AT + 4, 4).putInt((1 << 28) + 1);
        assertRefused(many, "bad count of candidates");

        // B's record under A's address: A twice (B's first occurrence is its record's owner).
        final byte[] twice = good.clone();
        System.arraycopy(a, 0, twice, find(good, b, 0), 20);
        assertRefused(twice, "appears twice");

        // B's own commission changed but not its pool 0's.
        final byte[] commission = good.clone();
        ByteBuffer.wrap(commission, find(good, b, 0) + 20 + 32, 4).putInt(200_000);
        assertRefused(commission, "pool 0 is not at its commission");

        // The validator set names an owner that has no candidate record (B's third occurrence: owner, own
        // delegation, then the set).
        final byte[] stranger = good.clone();
        System.arraycopy(address("stranger"), 0, stranger, find(good, b, 2), 20);
        assertRefused(stranger, "no candidate");

        // The proposer schedule ends the snapshot: proposer index (int), then its height (long). Of a set of 2,
        // -1 (no proposer) is an index, -2 and 2 are not.
        final int proposerAt = good.length - 12;
        assertEquals(c.dpos.schedule.proposerIndex(), ByteBuffer.wrap(good, proposerAt, 4).getInt());
        final byte[] none = good.clone();
        ByteBuffer.wrap(none, proposerAt, 4).putInt(-1);
        assertEquals(-1, read(none).schedule.proposerIndex());
        for (final int index : new int[]{-2, 2})
        {
            final byte[] outside = good.clone();
            ByteBuffer.wrap(outside, proposerAt, 4).putInt(index);
            assertRefused(outside, "outside a set of 2");
        }
    }
}
