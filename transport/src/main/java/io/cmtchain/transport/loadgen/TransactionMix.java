package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.MutableDirectBuffer;

/**
 * What the load generator sends: encodes the transaction of a given index, from a given sender and nonce: transfers
 * only ({@link TransferMix}), or the kinds {@code --mix} weighs ({@link LoadMix}), Smart Business Contract units among
 * them ({@link ContractMix}). Implementations must be deterministic in the index (the signed set is cached by
 * parameters) and safe to call from several signing threads at once, each with its own builder.
 */
public interface TransactionMix
{
    /**
     * @param index   of the transaction in the run.
     * @param sender  its key.
     * @param nonce   its nonce.
     * @param builder the calling thread's builder.
     * @param out     destination.
     * @param offset  in {@code out}.
     * @return the frame's length.
     */
    int encode(long index, Ed25519Key sender, long nonce, TransactionBuilder builder, MutableDirectBuffer out,
        int offset);

    /** @return an upper bound on a frame's length. */
    int maxFrameLength();

    /** @return every parameter that changes the frames, for the cache key. */
    String describe();
}
