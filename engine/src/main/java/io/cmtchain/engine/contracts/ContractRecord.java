package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;

/**
 * A record of the contracts state that takes part in its digest. The hash is cached and recomputed only after
 * {@link ContractStore#markDirty(ContractRecord)}, so a block pays only for the records it changed.
 */
abstract class ContractRecord
{
    /** Unique within the store; its first byte names the record kind, integers in it are big-endian. */
    final byte[] key;
    final byte[] hash = new byte[32];
    boolean dirty;

    ContractRecord(final byte[] key)
    {
        this.key = key;
    }

    /**
     * Feed every consensus field, fixed order, little-endian, to the digest.
     *
     * @param sha digest, after the key.
     */
    abstract void encode(Sha256 sha);
}
