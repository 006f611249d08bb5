package io.cmtchain.bench.sigverify;

import java.util.concurrent.TimeUnit;

import io.cmtchain.sigverify.Ed25519BatchVerifier;
import io.cmtchain.sigverify.Ed25519Verifier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 verification throughput, per signature. Run with {@code -prof gc} to check that the project's
 * paths allocate nothing per signature:
 * <pre>
 *   bin/cmt bench jmh SigverifyBenchmark --prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SigverifyBenchmark
{
    private static final int CORPUS = 4096;

    @Param({"64"})
    int batchSize;

    private SignatureCorpus corpus;
    private Ed25519Verifier verifier;
    private Ed25519BatchVerifier batch;
    private int next;

    /**
     * Build the corpus and verifiers.
     */
    @Setup(Level.Trial)
    public void setup()
    {
        corpus = new SignatureCorpus(CORPUS, CORPUS, 1);
        verifier = new Ed25519Verifier();
        batch = new Ed25519BatchVerifier(batchSize, 0);
    }

    private int nextIndex()
    {
        next = (next + 1) & (CORPUS - 1);
        return next;
    }

    /**
     * @return verdict, consumed by JMH.
     */
    @Benchmark
    public boolean bouncyCastleSingle()
    {
        final int i = nextIndex();
        return Ed25519.verify(corpus.signatures[i], 0, corpus.pubKeys[i], 0, corpus.signed[i], 0,
            corpus.signed[i].length);
    }

    /**
     * @return verdict, consumed by JMH.
     */
    @Benchmark
    public boolean single()
    {
        final int i = nextIndex();
        return verifier.verify(corpus.buffer, SignatureCorpus.keyOffset(i), corpus.buffer, SignatureCorpus.sigOffset(i),
            SignatureCorpus.PREFIX, corpus.buffer, SignatureCorpus.msgOffset(i), SignatureCorpus.MESSAGE_LENGTH);
    }

    /**
     * One batch of {@code batchSize}; {@link OperationsPerInvocation} is 64, so the rate is per signature
     * for the default size.
     *
     * @return all valid, consumed by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(64)
    public boolean batch()
    {
        batch.reset();
        for (int j = 0; j < batchSize; j++)
        {
            final int i = nextIndex();
            batch.add(corpus.buffer, SignatureCorpus.keyOffset(i), corpus.buffer, SignatureCorpus.sigOffset(i),
                SignatureCorpus.PREFIX, corpus.buffer, SignatureCorpus.msgOffset(i), SignatureCorpus.MESSAGE_LENGTH);
        }
        return batch.verify();
    }
}
