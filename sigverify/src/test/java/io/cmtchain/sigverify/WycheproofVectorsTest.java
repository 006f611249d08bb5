package io.cmtchain.sigverify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cmtchain.engine.util.Hex;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Wycheproof's Ed25519 vectors. Both paths must agree on every vector, and agree with Wycheproof's strict
 * RFC 8032 expectation except where ZIP-215 intentionally differs.
 */
class WycheproofVectorsTest
{
    /**
     * tcIds where ZIP-215 differs from Wycheproof's strict RFC 8032 verdict, with the reason.
     */
    private static final Map<Integer, String> ZIP215_DIFFERENCES = new TreeMap<>();

    static
    {
        ZIP215_DIFFERENCES.put(151,
            "R encodes y = 1 with the sign bit of x set (\"-0\"); RFC 8032 5.1.3 rejects it, ZIP-215 ignores the sign"
            + " of x = 0 and decodes R as the point (0, 1), the identity, so the"
            + " signature verifies");
    }

    private static final class Vector
    {
        final int tcId;
        final byte[] pk;
        final byte[] msg;
        final byte[] sig;
        final boolean expected;

        Vector(final int tcId, final byte[] pk, final byte[] msg, final byte[] sig, final boolean expected)
        {
            this.tcId = tcId;
            this.pk = pk;
            this.msg = msg;
            this.sig = sig;
            this.expected = expected;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Vector> vectors()
    {
        final List<Vector> out = new ArrayList<>();
        final Map<String, Object> root = TestVectors.wycheproof();
        for (final Object g : (List<Object>)root.get("testGroups"))
        {
            final Map<String, Object> group = (Map<String, Object>)g;
            final byte[] pk = Hex.decode((String)((Map<String, Object>)group.get("publicKey")).get("pk"));
            for (final Object t : (List<Object>)group.get("tests"))
            {
                final Map<String, Object> test = (Map<String, Object>)t;
                out.add(new Vector(
                    ((Long)test.get("tcId")).intValue(),
                    pk,
                    Hex.decode((String)test.get("msg")),
                    Hex.decode((String)test.get("sig")),
                    "valid".equals(test.get("result"))));
            }
        }
        return out;
    }

    @Test
    void shouldAgreeAcrossModesAndWithWycheproofExceptDocumentedZip215Cases()
    {
        final List<Vector> vectors = vectors();
        assertEquals(151, vectors.size());
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(64, 32);
        final boolean[] singleVerdicts = new boolean[vectors.size()];
        final boolean[] batchVerdicts = new boolean[vectors.size()];
        for (int from = 0; from < vectors.size(); from += 64)
        {
            batch.reset();
            final int to = Math.min(vectors.size(), from + 64);
            for (int i = from; i < to; i++)
            {
                final Vector v = vectors.get(i);
                batch.add(v.pk, v.sig, v.msg);
            }
            batch.verify();
            for (int i = from; i < to; i++)
            {
                batchVerdicts[i] = batch.verdict(i - from);
            }
        }

        final Map<Integer, String> differences = new TreeMap<>();
        for (int i = 0; i < vectors.size(); i++)
        {
            final Vector v = vectors.get(i);
            singleVerdicts[i] = single.verify(v.pk, v.sig, v.msg);
            assertEquals(singleVerdicts[i], batchVerdicts[i], "single vs batch on tcId " + v.tcId);
            if (singleVerdicts[i] != v.expected)
            {
                differences.put(v.tcId,
                    ZIP215_DIFFERENCES.getOrDefault(v.tcId, "UNEXPECTED, got " + singleVerdicts[i]));
            }
        }
        assertEquals(ZIP215_DIFFERENCES, differences);
    }
}
