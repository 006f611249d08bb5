package io.cmtchain.sigverify;

import java.util.SplittableRandom;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch at the largest capacity the verifier accepts, 65,536 entries, as an operator may configure it: every
 * verdict right with all entries valid, then with bad entries at the first, a middle and the last index, and the
 * 65,537th entry refused. The other tests use batches of at most a few hundred, so nothing else shows that the
 * tables, coefficients and bisection of a full batch fit their arrays. Signatures come from BouncyCastle; about
 * 65,536 signatures and three verifications of the batch take tens of seconds, hence the tag.
 */
@Tag("slow")
class FullCapacityBatchTest
{
    private static final int CAPACITY = 1 << 16;
    private static final int KEYS = 512;
    private static final byte[] PREFIX = {'c', 'm', 't', 0};

    @Test
    void shouldGiveEveryVerdictOfAFullBatch()
    {
        final SplittableRandom random = new SplittableRandom(65_536);
        final byte[][] secrets = new byte[KEYS][32];
        final byte[][] keys = new byte[KEYS][32];
        for (int k = 0; k < KEYS; k++)
        {
            random.nextBytes(secrets[k]);
            Ed25519.generatePublicKey(secrets[k], 0, keys[k], 0);
        }
        final byte[][] msgs = new byte[CAPACITY][];
        final byte[][] sigs = new byte[CAPACITY][64];
        final byte[] signed = new byte[PREFIX.length + 64];
        System.arraycopy(PREFIX, 0, signed, 0, PREFIX.length);
        for (int i = 0; i < CAPACITY; i++)
        {
            msgs[i] = new byte[8 + random.nextInt(57)];
            random.nextBytes(msgs[i]);
            System.arraycopy(msgs[i], 0, signed, PREFIX.length, msgs[i].length);
            Ed25519.sign(secrets[i % KEYS], 0, signed, 0, PREFIX.length + msgs[i].length, sigs[i], 0);
        }

        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(CAPACITY, 4096);
        assertEquals(CAPACITY, batch.capacity());
        fill(batch, keys, sigs, msgs);
        assertThrows(IllegalStateException.class, () -> batch.add(keys[0], sigs[0], PREFIX, msgs[0]));
        assertTrue(batch.verify());
        for (int i = 0; i < CAPACITY; i++)
        {
            assertTrue(batch.verdict(i), "entry " + i);
        }

        final int[] bad = {0, 40_961, CAPACITY - 1};
        for (final int i : bad)
        {
            sigs[i][40] ^= 4;
        }
        batch.reset();
        fill(batch, keys, sigs, msgs);
        assertFalse(batch.verify());
        int failed = 0;
        for (int i = 0; i < CAPACITY; i++)
        {
            final boolean expected = i != bad[0] && i != bad[1] && i != bad[2];
            assertEquals(expected, batch.verdict(i), "entry " + i);
            failed += batch.verdict(i) ? 0 : 1;
        }
        assertEquals(bad.length, failed);
    }

    private static void fill(
        final Ed25519BatchVerifier batch, final byte[][] keys, final byte[][] sigs, final byte[][] msgs)
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            assertEquals(i, batch.add(keys[i % KEYS], sigs[i], PREFIX, msgs[i]));
        }
        assertEquals(CAPACITY, batch.size());
    }
}
