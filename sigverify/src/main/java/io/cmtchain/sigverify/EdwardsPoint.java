package io.cmtchain.sigverify;

/**
 * A point of edwards25519 in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. Mutable and reused.
 */
final class EdwardsPoint
{
    final long[] x = new long[5];
    final long[] y = new long[5];
    final long[] z = new long[5];
    final long[] t = new long[5];

    void identity()
    {
        Field25519.zero(x);
        Field25519.one(y);
        Field25519.one(z);
        Field25519.zero(t);
    }

    void set(final EdwardsPoint p)
    {
        Field25519.copy(x, p.x);
        Field25519.copy(y, p.y);
        Field25519.copy(z, p.z);
        Field25519.copy(t, p.t);
    }
}
