package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random batches mixing the edge cases ZIP-215 decides (small-order and mixed-order A and R in every encoding, S
 * plus multiples of L, random bytes, single-bit corruptions, honest signatures), judged by {@link RefEd25519}'s
 * statement of the rule: the single verdict and each batch verdict must equal it.
 */
class ReferenceDifferentialTest
{
    private static final List<RefEd25519.Point> TORSION = RefEd25519.torsion();
    private static final List<byte[]> SMALL_ORDER_ENCODINGS = new ArrayList<>();

    static
    {
        // Every encoding of a small-order point: canonical, y + p where it fits, and "-0" where x = 0.
        for (final RefEd25519.Point t : TORSION)
        {
            for (final BigInteger y : new BigInteger[] {t.y, t.y.add(RefEd25519.P)})
            {
                for (final boolean sign : new boolean[] {false, true})
                {
                    final byte[] enc = RefEd25519.encodeY(y, sign);
                    final RefEd25519.Point decoded = y.bitLength() <= 255 ? RefEd25519.decode(enc) : null;
                    if (decoded != null && decoded.same(t))
                    {
                        SMALL_ORDER_ENCODINGS.add(enc);
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeWithTheReferenceOnRandomMixesOfEdgeCases()
    {
        run(101, 12);
    }

    @Test
    @Tag("slow")
    void shouldAgreeWithTheReferenceOnManyRandomMixesOfEdgeCases()
    {
        // A new seed each run, named in every failure so that it can be replayed.
        run(System.nanoTime(), 1000);
    }

    private static void run(final long seed, final int batches)
    {
        final Random random = new Random(seed);
        assertEquals(14, SMALL_ORDER_ENCODINGS.size());
        final Ed25519Verifier single = new Ed25519Verifier();
        final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(16, 4);
        int valid = 0;
        int invalid = 0;
        for (int round = 0; round < batches; round++)
        {
            final int size = 1 + random.nextInt(12);
            final boolean[] expected = new boolean[size];
            batch.reset();
            for (int i = 0; i < size; i++)
            {
                final byte[] msg = new byte[random.nextInt(5)];
                random.nextBytes(msg);
                final int kind = random.nextInt(8);
                final byte[][] entry = entry(random, kind, msg);
                expected[i] = RefEd25519.verify(entry[0], entry[1], msg);
                valid += expected[i] ? 1 : 0;
                invalid += expected[i] ? 0 : 1;
                assertEquals(expected[i], single.verify(entry[0], entry[1], msg),
                    "seed " + seed + ", round " + round + ", kind " + kind);
                batch.add(entry[0], entry[1], msg);
            }
            batch.verify();
            for (int i = 0; i < size; i++)
            {
                assertEquals(expected[i], batch.verdict(i), "seed " + seed + ", round " + round + ", entry " + i);
            }
        }
        assertTrue(valid > batches && invalid > batches, valid + " valid, " + invalid + " invalid");
    }

    /** A key and a signature over {@code msg} of the given kind. */
    private static byte[][] entry(final Random random, final int kind, final byte[] msg)
    {
        final BigInteger a = new BigInteger(252, random);
        final RefEd25519.Point t = TORSION.get(random.nextInt(8));
        final byte[] key;
        final byte[] sig;
        switch (kind)
        {
            case 0:
            {
                // Small-order A: [k]A vanishes, so R = [S]B + any small-order point verifies.
                key = SMALL_ORDER_ENCODINGS.get(random.nextInt(SMALL_ORDER_ENCODINGS.size()));
                final BigInteger s = new BigInteger(253, random).mod(RefEd25519.L);
                sig = new byte[64];
                System.arraycopy(RefEd25519.encode(RefEd25519.add(RefEd25519.mul(s, RefEd25519.BASE), t)), 0, sig, 0,
                    32);
                System.arraycopy(RefEd25519.littleEndian(s, 32), 0, sig, 32, 32);
                break;
            }
            case 1:
                // Small-order R in any encoding, mixed-order A.
                key = RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), t));
                sig = RefEd25519.sign(a, key, BigInteger.ZERO, null,
                    SMALL_ORDER_ENCODINGS.get(random.nextInt(SMALL_ORDER_ENCODINGS.size())), msg, BigInteger.ZERO);
                break;
            case 2:
                key = RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), t));
                sig = RefEd25519.sign(a, key, new BigInteger(252, random), TORSION.get(random.nextInt(8)), null, msg,
                    BigInteger.ZERO);
                break;
            case 3:
                // S plus a multiple of L: right mod L, not canonical.
                key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
                sig = RefEd25519.sign(a, key, new BigInteger(252, random), RefEd25519.IDENTITY, null, msg,
                    RefEd25519.L.multiply(BigInteger.valueOf(1 + random.nextInt(14))));
                break;
            case 4:
                key = new byte[32];
                random.nextBytes(key);
                sig = new byte[64];
                random.nextBytes(sig);
                sig[63] &= 0x0F;
                break;
            case 5:
            {
                key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
                sig = RefEd25519.sign(a, key, new BigInteger(252, random), RefEd25519.IDENTITY, null, msg,
                    BigInteger.ZERO);
                final int bit = random.nextInt(96 * 8);
                if (bit < 256)
                {
                    key[bit >>> 3] ^= (byte)(1 << (bit & 7));
                }
                else
                {
                    sig[(bit - 256) >>> 3] ^= (byte)(1 << (bit & 7));
                }
                break;
            }
            case 6:
                // Small-order A and R; S zero or random.
                key = SMALL_ORDER_ENCODINGS.get(random.nextInt(SMALL_ORDER_ENCODINGS.size()));
                sig = new byte[64];
                System.arraycopy(
                    SMALL_ORDER_ENCODINGS.get(random.nextInt(SMALL_ORDER_ENCODINGS.size())), 0, sig, 0, 32);
                if (random.nextBoolean())
                {
                    System.arraycopy(RefEd25519.littleEndian(new BigInteger(252, random), 32), 0, sig, 32, 32);
                }
                break;
            default:
                key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
                sig = RefEd25519.sign(a, key, new BigInteger(252, random), RefEd25519.IDENTITY, null, msg,
                    BigInteger.ZERO);
                break;
        }
        return new byte[][] {key, sig};
    }
}
