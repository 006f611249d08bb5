package io.cmtchain.pipeline;

/**
 * How the node's stages are mapped onto threads, after Aeron's {@code ThreadingMode}. Configuration, not code: the
 * stages are the same agents in every mode.
 */
public enum ThreadingMode
{
    /**
     * A thread per stage (decode, each verifier, ordering, execution, journal, receipts) with a busy idle strategy:
     * for dedicated hardware with a core per stage. Pin the threads with {@code taskset} (no JNI in this build).
     */
    DEDICATED,

    /**
     * Decode, ordering, execution, journal and receipts composed onto one thread, each signature verifier on a thread
     * of its own, all with a back-off idle strategy: for small machines.
     */
    SHARED,

    /**
     * No threads: the caller drives every stage through {@link Node#doWork()}. For deterministic tests and for
     * embedding the node in another duty cycle.
     */
    INVOKER
}
