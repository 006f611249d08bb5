package io.cmtchain.sigverify;

import java.util.List;
import java.util.Map;
import java.util.Random;

import io.cmtchain.engine.util.Hex;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The speccheck edge cases ("Taming the many EdDSAs"): small-order and mixed-order A and R, S &gt;= L,
 * non-canonical encodings. ZIP-215 verdicts are pinned for both paths.
 */
class SpeccheckVectorsTest
{
    /** ZIP-215 column of the speccheck table: only the non-canonical S cases (6, 7, 8) are invalid. */
    private static final boolean[] ZIP215 =
        {true, true, true, true, true, true, false, false, false, true, true, true};

    private static String verdicts(final boolean[] v)
    {
        final StringBuilder sb = new StringBuilder();
        for (final boolean b : v)
        {
            sb.append(b ? 'V' : 'X');
        }
        return sb.toString();
    }

    @Test
    void shouldGiveZip215VerdictsOnSingle()
    {
        final List<Map<String, Object>> cases = TestVectors.speccheck();
        final Ed25519Verifier verifier = new Ed25519Verifier();
        final boolean[] got = new boolean[cases.size()];
        for (int i = 0; i < cases.size(); i++)
        {
            final Map<String, Object> c = cases.get(i);
            got[i] = verifier.verify(hex(c, "pub_key"), hex(c, "signature"), hex(c, "message"));
        }
        assertEquals(verdicts(ZIP215), verdicts(got));
    }

    @Test
    void shouldGiveZip215VerdictsOnBatch()
    {
        final List<Map<String, Object>> cases = TestVectors.speccheck();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 16);
        for (final Map<String, Object> c : cases)
        {
            batch.add(hex(c, "pub_key"), hex(c, "signature"), hex(c, "message"));
        }
        batch.verify();
        final boolean[] got = new boolean[cases.size()];
        for (int i = 0; i < cases.size(); i++)
        {
            got[i] = batch.verdict(i);
        }
        assertEquals(verdicts(ZIP215), verdicts(got));
    }

    @Test
    void shouldGiveZip215VerdictsEachAloneInABatchOfValidSignatures()
    {
        final List<Map<String, Object>> cases = TestVectors.speccheck();
        final Random random = new Random(42);
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 64);
        final byte[][] keys = new byte[40][];
        final byte[][] msgs = new byte[40][];
        final byte[][] sigs = new byte[40][];
        for (int j = 0; j < keys.length; j++)
        {
            final byte[] sk = new byte[32];
            random.nextBytes(sk);
            keys[j] = new byte[32];
            Ed25519.generatePublicKey(sk, 0, keys[j], 0);
            msgs[j] = new byte[1 + random.nextInt(100)];
            random.nextBytes(msgs[j]);
            sigs[j] = new byte[64];
            Ed25519.sign(sk, 0, msgs[j], 0, msgs[j].length, sigs[j], 0);
        }
        for (int i = 0; i < cases.size(); i++)
        {
            for (final int position : new int[] {0, 17, 39})
            {
                batch.reset();
                for (int j = 0; j < keys.length; j++)
                {
                    if (j == position)
                    {
                        final Map<String, Object> c = cases.get(i);
                        batch.add(hex(c, "pub_key"), hex(c, "signature"), hex(c, "message"));
                    }
                    batch.add(keys[j], sigs[j], msgs[j]);
                }
                assertEquals(ZIP215[i], batch.verify(), "case " + i + " at " + position);
                for (int j = 0; j <= keys.length; j++)
                {
                    assertEquals(j == position ? ZIP215[i] : true, batch.verdict(j), "case " + i + " entry " + j);
                }
            }
        }
    }

    static byte[] hex(final Map<String, Object> c, final String key)
    {
        return Hex.decode((String)c.get(key));
    }
}
