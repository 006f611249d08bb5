package io.cmtchain.pipeline;

/**
 * How the node's stages are mapped onto threads, after Aeron's {@code ThreadingMode}. Configuration, not code: the
 * stages are the same agents in every mode.
 */
public enum ThreadingMode
{
    /**
     * A thread per stage (transport ingress, decode, each verifier, ordering, execution, journal, receipts, transport
     * egress) with a busy idle strategy: for dedicated hardware with a core per stage. Pin each thread to its core
     * with {@code cmt.cpu.affinity} ({@link CpuAffinity}).
     */
    DEDICATED,

    /**
     * Transport ingress, decode, ordering, execution, journal, receipts and transport egress composed onto one thread,
     * each signature verifier on a thread of its own, all (and the embedded Aeron driver) with an idle strategy that
     * sleeps ({@code cmt.shared.idle}): for small machines, where the verifiers need every cycle the rest leaves.
     */
    SHARED,

    /**
     * No threads of the node's own (the embedded Aeron driver still has one): the caller drives every stage, and the
     * transport's agents, through {@link Node#doWork()}. For deterministic tests and for
     * embedding the node in another duty cycle.
     */
    INVOKER
}
