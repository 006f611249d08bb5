package io.cmtchain.bench.dpos;

import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.dpos.ScenarioKeys;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.util.Hex;
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
 * Closing an empty block on a DPoS state with {@code delegations} live delegations spread over {@code candidates}
 * candidates (19 validators and 5 backups elected, every delegation above the minimum, so every one of them earns):
 * one operation is {@code beginBlock} (signers, missed-block counts) plus {@code ChainState.endBlock()} (award to 24
 * candidates with commission, re-ranking of the changed candidates, governance tally, election, proposer priority,
 * DPoS digest of the dirty records, state root). The share-based pools make it independent of the delegation
 * count; the {@code delegations} parameter shows that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class DposBlockBenchmark
{
    @Param({"100000"})
    public int delegations;

    @Param({"200"})
    public int candidates;

    private ChainState state;
    private DposState dpos;
    private byte[][] signers;
    private long height;

    @Setup(Level.Trial)
    public void setUp()
    {
        final StringBuilder json = new StringBuilder(delegations * 140);
        json.append("{\"chainId\":1,\"stateTreeDepth\":4,\"validators\":[{\"publicKey\":\"")
            .append(Hex.encode(ScenarioKeys.key("c0").publicKey())).append("\"}],\"dpos\":{\"candidates\":[");
        signers = new byte[candidates][];
        final String[] owners = new String[candidates];
        for (int i = 0; i < candidates; i++)
        {
            final byte[] publicKey = ScenarioKeys.key("c" + i).publicKey();
            signers[i] = ScenarioKeys.key("c" + i).address();
            owners[i] = Hex.encode(signers[i]);
            // Stakes differ so the ranking is not a tie: 10,000 CMT plus i CMT of self-stake.
            json.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append(Hex.encode(publicKey))
                .append("\",\"maxStakeMicroCmt\":1000000000000000,\"commissionPpm\":").append(50_000 + i * 100)
                .append(",\"stakeMicroCmt\":").append(100_000_000_000_000L + i * 1_000_000L).append('}');
        }
        json.append("],\"delegations\":[");
        final byte[] delegator = new byte[20];
        for (int d = 0; d < delegations; d++)
        {
            delegator[0] = (byte)(d >>> 24);
            delegator[1] = (byte)(d >>> 16);
            delegator[2] = (byte)(d >>> 8);
            delegator[3] = (byte)d;
            delegator[19] = 1;
            json.append(d == 0 ? "" : ",").append("{\"delegator\":\"").append(Hex.encode(delegator))
                .append("\",\"candidate\":\"").append(owners[d % candidates])
                .append("\",\"amountMicroCmt\":").append(1_000_000_000L + d).append('}');
        }
        json.append("]}}");
        state = Genesis.parse(json.toString()).createState(7);
        dpos = state.dpos();
        height = 0;
        if (dpos.validatorCount() != 19 || dpos.backupCount() != 5)
        {
            throw new IllegalStateException("expected 19 validators and 5 backups");
        }
    }

    /** One block closed: begin with every validator signing, end (award, election, digest, state root). */
    @Benchmark
    public long closeBlock()
    {
        dpos.beginBlock(++height, signers, signers.length);
        state.endBlock();
        return dpos.mintedMicroCmt();
    }
}
