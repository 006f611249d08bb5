package io.cmtchain.sigverify;

/**
 * A point prepared as an addend: (Y+X, Y-X, 2Z, 2dT). With Z = 1 and {@code z2} unused it is the affine
 * "Niels" form used for the fixed base-point table, whose additions skip one multiplication.
 */
final class CachedPoint
{
    final long[] yPlusX = new long[5];
    final long[] yMinusX = new long[5];
    final long[] z2 = new long[5];
    final long[] t2d = new long[5];
}
