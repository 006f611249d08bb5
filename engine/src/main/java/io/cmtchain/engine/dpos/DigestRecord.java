package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

/**
 * A record of the DPoS state that takes part in its digest. The record's hash is cached and recomputed only after
 * {@link RecordDigest#markDirty(DigestRecord)}, so a block pays only for what it changed.
 */
abstract class DigestRecord
{
    /** Orders records within a digest bucket; unique within one {@link RecordDigest}. */
    final byte[] sortKey;
    final byte[] hash = new byte[32];
    int bucket = -1;
    boolean dirty;

    DigestRecord(final byte[] sortKey)
    {
        this.sortKey = sortKey;
    }

    /**
     * Feed the record's canonical encoding (every consensus field, fixed order, little-endian) to the digest.
     *
     * @param sha digest, reset.
     */
    abstract void encode(Sha256 sha);
}
