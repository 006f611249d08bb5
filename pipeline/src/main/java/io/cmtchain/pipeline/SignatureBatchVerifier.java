package io.cmtchain.pipeline;

import org.agrona.DirectBuffer;

/**
 * Verifies the signatures of a batch of whole transaction frames. One instance per verifier thread; not thread safe.
 * <p>
 * The signed message of a frame is {@code TransactionDescriptor.DOMAIN_TAG} followed by the frame from
 * {@code TransactionDescriptor.SIGNED_OFFSET} to its end; the public key and signature are at
 * {@code PUBLIC_KEY_OFFSET} and {@code SIGNATURE_OFFSET}. Every implementation must give each frame the verdict it
 * would get checked alone (the consensus rule), whatever else is in the batch.
 */
public interface SignatureBatchVerifier
{
    /** Forget the frames added so far. */
    void reset();

    /**
     * Add a frame that passed the stateless checks; it must stay unchanged until {@link #verify()} returns.
     *
     * @param buffer      holding the frame.
     * @param frameOffset of the frame.
     * @param frameLength of the frame.
     */
    void add(DirectBuffer buffer, int frameOffset, int frameLength);

    /** Verify every frame added since the last {@link #reset()}. */
    void verify();

    /**
     * @param i index of the frame in the order added.
     * @return the verdict from the last {@link #verify()}.
     */
    boolean valid(int i);
}
