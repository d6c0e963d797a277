package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.message.RaftMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The leader's group commit through three protocol cores in one thread, in-memory logs, messages delivered at once:
 * one operation submits {@code batch} 100-byte commands on the leader and delivers every message until all is quiet
 * (the batch appended and replicated, acknowledged, committed, handed out on the leader; with
 * {@code commitNoticeDelayMs} 0 the commit index sent on and handed out on every core, with 2 carried to the
 * followers by the next operation's AppendEntries instead). Compares {@link RaftConfig#leaderAppendOverlapsSend()} on (the batch's AppendEntries built from the
 * batch in memory and handed to the early-send sink before the append) with off (appended, then read back from the
 * log for the AppendEntries in the Ready). The time includes the followers' work, the same on both sides. A fresh
 * cluster per iteration keeps the logs small. Iterations and forks come from {@code bench.jmh.args}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeaderGroupCommitBenchmark {

    @Param({"true", "false"})
    public boolean overlap;

    @Param({"1", "64"})
    public int batch;

    /**
     * {@link RaftConfig#commitNoticeDelayMs()}: 0 sends each follower the new commit index at once (as before the
     * option); 2, the default, lets the next operation's AppendEntries carry it (the clock does not move here).
     */
    @Param({"0", "2"})
    public long commitNoticeDelayMs;

    private final ThreeCores cluster = new ThreeCores();

    @Setup(Level.Iteration)
    public void startCluster() {
        RaftConfig config = RaftConfig.builder().leaderAppendOverlapsSend(overlap)
                .commitNoticeDelayMs(commitNoticeDelayMs).build();
        cluster.start(config, this::quiesce);
    }

    @Benchmark
    public long groupCommit() {
        for (int i = 0; i < batch; i++) {
            cluster.submit();
        }
        quiesce();
        return cluster.leader().status().commitIndex();
    }

    /** Drains every core's Ready and delivers every message until none is left. */
    private void quiesce() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (RaftCore core : cluster.all()) {
                cluster.takeReadies(core);
            }
            RaftMessage m;
            while ((m = cluster.inFlight.poll()) != null) {
                cluster.receiverOf(m).receive(m);
                busy = true;
            }
        }
    }
}
