package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every flag and every pool of a candidate, a proposal's votes and every governance parameter reach the DPoS digest:
 * a state differing only there has another root.
 */
class DigestRecordTest
{
    private static ByteKey key(final int n, final int length)
    {
        final byte[] k = new byte[length];
        k[length - 1] = (byte)n;
        return new ByteKey(k);
    }

    private static void assertHashMoves(final DigestRecord record, final Runnable change)
    {
        final RecordDigest digest = new RecordDigest("TEST", 4);
        digest.add(record);
        final byte[] before = digest.root(new Sha256()).clone();
        change.run();
        digest.markDirty(record);
        assertFalse(Arrays.equals(before, digest.root(new Sha256())), "unchanged root");
    }

    @Test
    void shouldHashEveryFlagAndPoolOfACandidate()
    {
        final Candidate c = new Candidate(key(1, 20), key(1, 32), 30_000, 100_000, new byte[0], 0);
        assertHashMoves(c, () -> c.active = false);
        assertHashMoves(c, () -> c.verified = true);
        assertHashMoves(c, () -> c.withdrawn = true);
        c.pool(50_000).valueMicroCmt = 10;
        c.pool(20_000).valueMicroCmt = 20;
        final StakePool last = c.pools.get(2);
        assertHashMoves(c, () -> last.valueMicroCmt++);
        assertHashMoves(c, () -> last.totalShares++);
    }

    @Test
    void shouldKeepPoolsInAnOrderThatDoesNotDependOnHistory()
    {
        // Pool 0 at the candidate's rate, then the others by descending rate, however they were opened.
        final Candidate c = new Candidate(key(1, 20), key(1, 32), 30_000, 100_000, new byte[0], 0);
        final StakePool low = c.pool(10_000);
        final StakePool high = c.pool(90_000);
        final StakePool middle = c.pool(50_000);
        assertSame(high, c.pools.get(1));
        assertSame(middle, c.pools.get(2));
        assertSame(low, c.pools.get(3));
        assertSame(middle, c.pool(50_000));
        assertSame(c.pools.get(0), c.pool(100_000));
    }

    @Test
    void shouldKeyEntriesAndProposalsByTheirIdBigEndian()
    {
        // The key orders records within a digest bucket, so its layout is part of the commitment.
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, UnbondingEntry.idKey(0x0102030405060708L));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, UnbondingEntry.idKey(256));
    }

    @Test
    void shouldHashAVoteAndItsDirection()
    {
        final Proposal p = new Proposal(1, key(1, 20), DposDescriptor.KIND_CHANGE_PARAM, DposParams.MAX_BACKUPS, 3,
            key(0, 20), key(0, 20), 0, 1, 10);
        assertHashMoves(p, () -> p.votes.put(key(2, 20), true));
        assertHashMoves(p, () -> p.votes.put(key(2, 20), false));
    }

    @Test
    void shouldDigestTheProposerPriorities()
    {
        // Same set, powers, height and proposer; only the priorities differ (b joined the second schedule late and
        // started behind): the digests must differ.
        final byte[][] set = {key(1, 20).bytes(), key(2, 20).bytes()};
        final ProposerPriority fresh = new ProposerPriority();
        fresh.update(set, new long[] {10, 10}, 2);
        final ProposerPriority joined = new ProposerPriority();
        joined.update(new byte[][] {set[0]}, new long[] {10}, 1);
        joined.update(set, new long[] {10, 10}, 2);
        assertEquals(0, fresh.advance());
        assertEquals(0, joined.advance());
        assertEquals(fresh.height(), joined.height());
        assertFalse(fresh.priority(1) == joined.priority(1));
        final Sha256 a = new Sha256();
        fresh.digest(a);
        final Sha256 b = new Sha256();
        joined.digest(b);
        assertFalse(Arrays.equals(a.digest(), b.digest()));
    }

    private static byte[] digest(final DposParams params)
    {
        final Sha256 sha = new Sha256();
        params.digest(sha);
        return sha.digest();
    }

    @Test
    void shouldDigestEveryParameter()
    {
        final byte[] defaults = digest(new DposParams());
        for (int id = 1; id <= DposParams.PARAM_COUNT; id++)
        {
            final DposParams changed = new DposParams();
            final long value = changed.get(id);
            changed.set(id, DposParams.valid(id, value + 1) ? value + 1 : value - 1);
            assertFalse(Arrays.equals(defaults, digest(changed)), DposParams.NAMES[id]);
        }
        assertFalse(Arrays.equals(defaults, digest(new DposParams().inflationBaseMicroCmt(7))));
        assertFalse(Arrays.equals(defaults, digest(new DposParams().compoundOnSupply(true))));
        final byte[] foundation = new byte[20];
        foundation[0] = 1;
        final DposParams withFoundation = new DposParams().foundation(foundation);
        assertFalse(Arrays.equals(defaults, digest(withFoundation)));
        assertArrayEquals(foundation, withFoundation.foundation());
    }

    @Test
    void shouldRefuseParametersOutOfBounds()
    {
        final DposParams params = new DposParams().set(DposParams.MAX_VALIDATORS, 1_000).set(DposParams.MAX_BACKUPS, 0);
        assertThrows(IllegalArgumentException.class, () -> params.set(DposParams.MAX_VALIDATORS, 1_001));
        assertThrows(IllegalArgumentException.class, () -> params.set(DposParams.DOUBLE_SIGN_SLASH_PPM, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> params.set(0, 1));
        assertThrows(IllegalArgumentException.class, () -> params.foundation(new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> params.inflationBaseMicroCmt(-1));
        assertEquals(0, params.inflationBaseMicroCmt(0).inflationBaseMicroCmt());
        assertFalse(DposParams.valid(DposParams.MAX_VALIDATORS, 0));
    }

    @Test
    void shouldRefuseASnapshotWithAParameterOutOfBounds() throws IOException
    {
        // Parameters read back from a snapshot are held to the bounds a genesis or a proposal is held to: maxValidators
        // (the first value written) of 0 is refused, 1,000 is read back.
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DposParams().set(DposParams.MAX_VALIDATORS, 1_000).write(new DataOutputStream(bytes));
        final byte[] written = bytes.toByteArray();
        assertEquals(1_000, DposParams.read(new DataInputStream(new ByteArrayInputStream(written)))
            .maxValidators());
        written[7] = 0;
        written[6] = 0;
        assertThrows(IOException.class,
            () -> DposParams.read(new DataInputStream(new ByteArrayInputStream(written))));
    }
}
