package io.cmtchain.bench.sigverify;

import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.MessageSigner;
import io.cmtchain.sigverify.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Ed25519 signing of a block commit (the 20-byte tag, the chain id and a 32-byte header hash), one core: the signer a
 * validator node uses for its proposal and commit signatures ({@code cmtchain}: {@link Ed25519Signer}) against
 * BouncyCastle's RFC 8032 signer behind {@link Ed25519Key} ({@code bouncycastle}), which the node used before. Both
 * make the same bytes. Run with {@code -prof gc} for the allocation per signature.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SignBenchmark
{
    @Param({"cmtchain", "bouncycastle"})
    String signer;

    private final BlockSigning signing = new BlockSigning();
    private final byte[] headerHash = new byte[32];
    private final byte[] signature = new byte[BlockSigning.SIGNATURE_LENGTH];
    private MessageSigner key;

    @Setup(Level.Trial)
    public void setup()
    {
        final Ed25519Key devnetKey = Ed25519Key.devnet("cmt-bench-sign", 0);
        key = signer.equals("cmtchain") ? new Ed25519Signer(devnetKey.seed()) : devnetKey;
    }

    @Benchmark
    public byte signCommit()
    {
        // A different header each time, as blocks are.
        headerHash[0]++;
        signing.signCommit(key, 1001, headerHash, signature, 0);
        return signature[63];
    }
}
