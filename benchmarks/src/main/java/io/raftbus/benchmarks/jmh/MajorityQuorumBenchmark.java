package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.MajorityQuorumBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The commit index a majority of match indexes reaches, as the leader computes it on every acknowledgement
 * ({@code MajorityQuorum} through {@link MajorityQuorumBridge}), for 3 and 5 voters; the match indexes move on by one
 * per operation, as under load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MajorityQuorumBenchmark {

    @Param({"3", "5"})
    public int voters;

    private MajorityQuorumBridge quorum;
    private long[] match;
    private int turn;

    @Setup
    public void setUp() {
        quorum = new MajorityQuorumBridge(voters);
        match = new long[voters];
        for (int i = 0; i < voters; i++) {
            match[i] = 1_000_000 + 7L * i;
        }
    }

    /** One follower's match index moves on, then the value a majority reached. */
    @Benchmark
    public long acknowledgement() {
        match[turn] += voters;
        turn = turn + 1 == voters ? 0 : turn + 1;
        return quorum.reached(match);
    }
}
