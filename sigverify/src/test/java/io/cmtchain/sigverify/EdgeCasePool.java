package io.cmtchain.sigverify;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.cmtchain.engine.util.Hex;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signatures of every class ZIP-215 decides, each with the verdict {@link RefEd25519} gives it by the rule as
 * stated: the 12 speccheck cases and the 151 Wycheproof cases as filed, and entries built on BigInteger for what the
 * files leave out: small-order keys and nonces in each of their 14 encodings (the "-0" encodings and y + p
 * included), keys and nonces with each small-order component, points of large order with a non-canonical y
 * (y + p), encodings off the curve, and S at L, above it, at 2^253 and above, and 2^256 - 1. Honest signatures made
 * by BouncyCastle fill the batches around them. Built once and shared by the tests that mix them.
 */
final class EdgeCasePool
{
    /** Prefix of the honest fillers, so that batches mix an empty prefix (the edges) with a domain tag. */
    static final byte[] PREFIX = {'c', 'm', 't', '/', 't', 'x', 0};

    /** A key, signature, prefix and message, with its expected verdict and a name for failures. */
    static final class Entry
    {
        final String label;
        final byte[] pk;
        final byte[] sig;
        final byte[] prefix;
        final byte[] msg;
        final boolean expected;

        Entry(final String label, final byte[] pk, final byte[] sig, final byte[] prefix, final byte[] msg,
            final boolean expected)
        {
            this.label = label;
            this.pk = pk;
            this.sig = sig;
            this.prefix = prefix;
            this.msg = msg;
            this.expected = expected;
        }
    }

    private static final List<Entry> EDGES = Collections.unmodifiableList(buildEdges());

    private EdgeCasePool()
    {
    }

    /** @return every edge entry, the vector files' first (speccheck 0 to 11, then Wycheproof in file order). */
    static List<Entry> edges()
    {
        return EDGES;
    }

    /** @return the edge entries whose expected verdict is valid. */
    static List<Entry> validEdges()
    {
        final List<Entry> out = new ArrayList<>();
        for (final Entry e : EDGES)
        {
            if (e.expected)
            {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param random  the source of keys and messages.
     * @param count   honest signatures to make.
     * @param keyPool distinct keys they are spread over (senders repeat, so that the key cache hits).
     * @return signatures by BouncyCastle over {@link #PREFIX} and a random message, all valid.
     */
    static List<Entry> fillers(final Random random, final int count, final int keyPool)
    {
        final byte[][] secrets = new byte[keyPool][32];
        final byte[][] keys = new byte[keyPool][32];
        for (int k = 0; k < keyPool; k++)
        {
            random.nextBytes(secrets[k]);
            Ed25519.generatePublicKey(secrets[k], 0, keys[k], 0);
        }
        final List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int k = random.nextInt(keyPool);
            final byte[] msg = new byte[random.nextInt(90)];
            random.nextBytes(msg);
            final byte[] signed = new byte[PREFIX.length + msg.length];
            System.arraycopy(PREFIX, 0, signed, 0, PREFIX.length);
            System.arraycopy(msg, 0, signed, PREFIX.length, msg.length);
            final byte[] sig = new byte[64];
            Ed25519.sign(secrets[k], 0, signed, 0, signed.length, sig, 0);
            if (!Ed25519.verify(sig, 0, keys[k], 0, signed, 0, signed.length))
            {
                throw new IllegalStateException("BouncyCastle's own signature does not verify");
            }
            out.add(new Entry("filler " + i, keys[k], sig, PREFIX, msg, true));
        }
        return out;
    }

    /** Every encoding of a small-order point: canonical, y + p where it fits below 2^255, and "-0" where x = 0. */
    static List<byte[]> smallOrderEncodings(final List<RefEd25519.Point> torsion)
    {
        final List<byte[]> out = new ArrayList<>();
        for (final RefEd25519.Point t : torsion)
        {
            for (final BigInteger y : new BigInteger[] {t.y, t.y.add(RefEd25519.P)})
            {
                for (final boolean sign : new boolean[] {false, true})
                {
                    final byte[] enc = RefEd25519.encodeY(y, sign);
                    final RefEd25519.Point decoded = y.bitLength() <= 255 ? RefEd25519.decode(enc) : null;
                    if (decoded != null && decoded.same(t))
                    {
                        out.add(enc);
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Entry> buildEdges()
    {
        final List<Entry> out = new ArrayList<>();
        final List<Map<String, Object>> speccheck = TestVectors.speccheck();
        for (int i = 0; i < speccheck.size(); i++)
        {
            final Map<String, Object> c = speccheck.get(i);
            add(out, "speccheck " + i, Hex.decode((String)c.get("pub_key")), Hex.decode((String)c.get("signature")),
                Hex.decode((String)c.get("message")));
        }
        for (final Object g : (List<Object>)TestVectors.wycheproof().get("testGroups"))
        {
            final Map<String, Object> group = (Map<String, Object>)g;
            final byte[] pk = Hex.decode((String)((Map<String, Object>)group.get("publicKey")).get("pk"));
            for (final Object t : (List<Object>)group.get("tests"))
            {
                final Map<String, Object> test = (Map<String, Object>)t;
                add(out, "wycheproof " + test.get("tcId"), pk, Hex.decode((String)test.get("sig")),
                    Hex.decode((String)test.get("msg")));
            }
        }

        final Random random = new Random(215);
        final List<RefEd25519.Point> torsion = RefEd25519.torsion();
        final List<byte[]> smallOrder = smallOrderEncodings(torsion);
        final BigInteger l = RefEd25519.L;
        final byte[] msg = {'e', 'd', 'g', 'e'};

        // A small-order key in each encoding: [k]A vanishes under the cofactor, R = [s]B + T verifies with S = s, and
        // no other S (S + L, S + 2L >= 2^253) does; with R small-order too, S = 0.
        for (int i = 0; i < smallOrder.size(); i++)
        {
            final byte[] key = smallOrder.get(i);
            final BigInteger s = new BigInteger(252, random).mod(l);
            final RefEd25519.Point t = torsion.get(random.nextInt(8));
            for (final BigInteger sValue : new BigInteger[] {s, s.add(l), s.add(l).add(l)})
            {
                add(out, "small-order A " + i + ", S " + sValue.toString(16), key, signatureWithS(sValue, s, t), msg);
            }
            final byte[] both = new byte[64];
            System.arraycopy(smallOrder.get(random.nextInt(smallOrder.size())), 0, both, 0, 32);
            add(out, "small-order A " + i + " and R, S = 0", key, both, msg);
            final byte[] bothWithS = both.clone();
            System.arraycopy(RefEd25519.littleEndian(s, 32), 0, bothWithS, 32, 32);
            add(out, "small-order A " + i + " and R, S random", key, bothWithS, msg);
        }

        // Each small-order R encoding under a key of prime order and under a key with a small-order component.
        for (int i = 0; i < smallOrder.size(); i++)
        {
            final BigInteger a = new BigInteger(252, random);
            final byte[] prime = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
            add(out, "small-order R " + i + ", prime-order A", prime,
                RefEd25519.sign(a, prime, BigInteger.ZERO, null, smallOrder.get(i), msg, BigInteger.ZERO), msg);
            final byte[] mixed =
                RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), torsion.get(1 + i % 7)));
            add(out, "small-order R " + i + ", mixed-order A", mixed,
                RefEd25519.sign(a, mixed, BigInteger.ZERO, null, smallOrder.get(i), msg, BigInteger.ZERO), msg);
        }

        // Mixed-order keys and nonces (A + T_i, R + T_j): valid under the cofactor (most fail a cofactorless check);
        // S + 1 makes the error -B, of order L, whatever T_i and T_j are.
        for (int i = 0; i < 8; i++)
        {
            for (final int j : new int[] {(i + 3) % 8, 7 - i})
            {
                final BigInteger a = new BigInteger(252, random);
                final byte[] key =
                    RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.BASE), torsion.get(i)));
                final byte[] sig = RefEd25519.sign(a, key, new BigInteger(252, random), torsion.get(j), null, msg,
                    BigInteger.ZERO);
                add(out, "A + T" + i + ", R + T" + j, key, sig, msg);
                final BigInteger s = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(sig, 32, 64));
                final byte[] bad = sig.clone();
                System.arraycopy(RefEd25519.littleEndian(s.add(BigInteger.ONE).mod(l), 32), 0, bad, 32, 32);
                add(out, "A + T" + i + ", R + T" + j + ", S + 1", key, bad, msg);
            }
        }

        // Points of large order whose y has a non-canonical encoding (y + p, y < 19), both signs, as A and as R: they
        // decode (as y mod p), the equation fails; and y = 2 and y = 2 + p, which are off the curve.
        final BigInteger a = new BigInteger(252, random);
        final byte[] key = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.BASE));
        for (int y = 2; y < 19; y++)
        {
            for (final BigInteger value : new BigInteger[] {BigInteger.valueOf(y), RefEd25519.P.add(
                BigInteger.valueOf(y))})
            {
                for (final boolean sign : new boolean[] {false, true})
                {
                    final byte[] enc = RefEd25519.encodeY(value, sign);
                    final RefEd25519.Point point = RefEd25519.decode(enc);
                    final boolean small = point != null &&
                        RefEd25519.mul(BigInteger.valueOf(8), point).same(RefEd25519.IDENTITY);
                    if (small || (point == null && y != 2))
                    {
                        continue;
                    }
                    final String name = "y = " + value.toString(16) + (sign ? " with the sign bit" : "");
                    add(out, "A of " + name, enc,
                        RefEd25519.sign(a, key, new BigInteger(252, random), RefEd25519.IDENTITY, null, msg,
                            BigInteger.ZERO), msg);
                    add(out, "R of " + name, key,
                        RefEd25519.sign(a, key, BigInteger.ZERO, null, enc, msg, BigInteger.ZERO), msg);
                }
            }
        }

        // S at and past L on an honest signature: only S < L is accepted.
        final byte[] honest = RefEd25519.sign(a, key, new BigInteger(252, random), RefEd25519.IDENTITY, null, msg,
            BigInteger.ZERO);
        final BigInteger s = RefEd25519.fromLittleEndian(java.util.Arrays.copyOfRange(honest, 32, 64));
        add(out, "honest", key, honest, msg);
        for (final BigInteger sValue : new BigInteger[] {l, l.add(BigInteger.ONE), s.add(l),
            s.add(BigInteger.ONE.shiftLeft(253)), BigInteger.ONE.shiftLeft(253), BigInteger.ONE.shiftLeft(255).add(s),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)})
        {
            final byte[] sig = honest.clone();
            System.arraycopy(RefEd25519.littleEndian(sValue, 32), 0, sig, 32, 32);
            add(out, "S = " + sValue.toString(16), key, sig, msg);
        }
        return out;
    }

    /** R = [S mod L]B + t as the nonce of an S given as any 256-bit value. */
    private static byte[] signatureWithS(final BigInteger s, final BigInteger sModL, final RefEd25519.Point t)
    {
        final byte[] sig = new byte[64];
        System.arraycopy(RefEd25519.encode(RefEd25519.add(RefEd25519.mul(sModL, RefEd25519.BASE), t)), 0, sig, 0, 32);
        System.arraycopy(RefEd25519.littleEndian(s, 32), 0, sig, 32, 32);
        return sig;
    }

    private static void add(final List<Entry> out, final String label, final byte[] pk, final byte[] sig,
        final byte[] msg)
    {
        out.add(new Entry(label, pk, sig, new byte[0], msg, RefEd25519.verify(pk, sig, msg)));
    }
}
