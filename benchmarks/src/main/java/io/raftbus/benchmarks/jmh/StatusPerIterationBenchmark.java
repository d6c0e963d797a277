package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One command at a time through three protocol cores in one thread (in-memory logs, each message delivered and
 * its receiver's Ready taken at once, as each node's event loop does one iteration per message), with or without
 * {@link RaftCore#status()} after every step, as {@code NodeLoop} publishes it after every iteration: the difference
 * is what publishing the status costs one command (every iteration of one at a time changes the commit index, the
 * last index or a follower's match index, so each builds a new {@link RaftStatus}). A fresh cluster per iteration
 * keeps the logs small. Iterations and forks come from {@code bench.jmh.args}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatusPerIterationBenchmark {

    /** Whether every step is followed by the core's status, as in the event loop. */
    @Param({"true", "false"})
    public boolean status;

    private final ThreeCores cluster = new ThreeCores();

    @Setup(Level.Iteration)
    public void startCluster() {
        cluster.start(RaftConfig.defaults(), () -> {
            cluster.all().forEach(core -> step(core, null));
            deliver(null);
        });
    }

    @Benchmark
    public void oneCommand(Blackhole hole) {
        cluster.submit();
        quiesce(status ? hole : null);
    }

    /** Steps the leader, then delivers every message, stepping its receiver at once, until none is left. */
    private void quiesce(Blackhole hole) {
        step(cluster.leader(), hole);
        deliver(hole);
    }

    private void deliver(Blackhole hole) {
        RaftMessage m;
        while ((m = cluster.inFlight.poll()) != null) {
            RaftCore receiver = cluster.receiverOf(m);
            receiver.receive(m);
            step(receiver, hole);
        }
    }

    private void step(RaftCore core, Blackhole hole) {
        cluster.takeReadies(core);
        if (hole != null) {
            hole.consume(core.status());
        }
    }
}
