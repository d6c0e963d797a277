package io.raftbus.benchmarks.versus;

import io.raftbus.benchmarks.DiscardStateMachine;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.StateMachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Three raftbus {@link RaftNode}s on an {@link InMemoryNetwork} with {@link InMemoryLog}s and
 * {@link RaftConfig#defaults()} (or, for {@link Contender#RAFTBUS_ON_LOOP}, the defaults with
 * {@link RaftConfig#completeOnEventLoop()} on), built through the public API only.
 */
final class RaftbusCluster implements ClusterUnderTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private static final StateMachine DISCARD = DiscardStateMachine.INSTANCE;

    private final List<RaftNode> nodes = new ArrayList<>();
    /**
     * A system property of the benchmark's JVM ({@code -Dbench.versus.jvm.args=-Dbench.versus.commitNoticeDelayMs=0})
     * that overrides {@link RaftConfig#commitNoticeDelayMs()} in every raftbus cluster.
     */
    static final String COMMIT_NOTICE_DELAY_PROPERTY = "bench.versus.commitNoticeDelayMs";

    private volatile RaftNode leader;
    private volatile String leaderAndTerm = "none";
    private volatile String leaderId;

    private RaftbusCluster() {
    }

    /** @param completeOnEventLoop {@link RaftConfig#completeOnEventLoop()}; false: the defaults */
    static RaftbusCluster start(boolean completeOnEventLoop) {
        return start(RaftConfig.defaults().toBuilder().completeOnEventLoop(completeOnEventLoop).build(), false);
    }

    /**
     * At MicroRaft's default periods: its heartbeat period ({@code leaderHeartbeatPeriodSecs}), as election timeouts
     * its heartbeat timeout ({@code leaderHeartbeatTimeoutSecs}) up to 1.2 times it, and a snapshot every
     * {@code commitCountToTakeSnapshot} entries (into an {@link InMemorySnapshotStore}; the log keeps raftbus's default
     * {@link RaftConfig#logTrailingEntries()} behind it): for idle CPU and retained heap at equal settings, not
     * raftbus's 100 ms heartbeat and 1–2 s election timeouts without snapshots.
     */
    static RaftbusCluster startAtMicroRaftSettings(boolean completeOnEventLoop) {
        long heartbeatMs = io.microraft.RaftConfig.DEFAULT_LEADER_HEARTBEAT_PERIOD_SECS * 1000;
        long timeoutMs = io.microraft.RaftConfig.DEFAULT_LEADER_HEARTBEAT_TIMEOUT_SECS * 1000;
        return start(RaftConfig.defaults().toBuilder().heartbeatIntervalMs(heartbeatMs)
                .electionTimeoutMs(timeoutMs, timeoutMs * 6 / 5)
                .snapshotEveryEntries(io.microraft.RaftConfig.DEFAULT_COMMIT_COUNT_TO_TAKE_SNAPSHOT)
                .completeOnEventLoop(completeOnEventLoop).build(), true);
    }

    static RaftbusCluster start(RaftConfig config, boolean snapshots) {
        return start(config, snapshots, null);
    }

    /**
     * With {@code stamps} (null: none), every node's transport, log and state machine stamp the path of the one
     * command in flight ({@link OneAtATimeHops}).
     */
    static RaftbusCluster start(RaftConfig config, boolean snapshots, HopStamps stamps) {
        Long noticeDelay = Long.getLong(COMMIT_NOTICE_DELAY_PROPERTY);
        if (noticeDelay != null) { // an A/B of the eighth increment in one build; unset: the default
            config = config.toBuilder().commitNoticeDelayMs(noticeDelay).build();
        }
        RaftbusCluster cluster = new RaftbusCluster();
        InMemoryNetwork network = new InMemoryNetwork();
        try {
            for (String id : MEMBERS.stream().sorted().toList()) {
                RaftNode.Builder builder = RaftNode.builder()
                        .nodeId(id)
                        .members(MEMBERS)
                        .clusterId("versus")
                        .config(config)
                        .transport(stamps == null ? network.transport(id)
                                : new StampedTransport(id, network.transport(id), stamps))
                        .log(stamps == null ? new InMemoryLog() : new StampedLog(id, new InMemoryLog(), stamps))
                        .stateMachine(stamps != null ? new StampedStateMachine(id, DISCARD, stamps)
                                : snapshots ? SnapshottingDiscardStateMachine.INSTANCE : DISCARD);
                if (snapshots) {
                    builder.snapshotStore(new InMemorySnapshotStore());
                }
                cluster.nodes.add(builder.build());
            }
            cluster.nodes.forEach(RaftNode::start);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public void awaitLeader(Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RaftNode agreed = agreedLeader();
            if (agreed != null) {
                leader = agreed;
                leaderId = agreed.nodeId();
                leaderAndTerm = agreed.nodeId() + " in term " + agreed.status().term();
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        throw new TimeoutException("raftbus: no leader agreed by all of " + MEMBERS + " within " + timeout
                + "; statuses: " + nodes.stream().map(RaftNode::status).toList());
    }

    private RaftNode agreedLeader() {
        List<RaftStatus> statuses = nodes.stream().map(RaftNode::status).toList();
        String leaderId = statuses.get(0).leaderId();
        long term = statuses.get(0).term();
        if (leaderId == null || statuses.stream().anyMatch(s -> !leaderId.equals(s.leaderId()) || s.term() != term)) {
            return null;
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (statuses.get(i).isLeader()) {
                return nodes.get(i);
            }
        }
        return null;
    }

    /** The id of the leader {@link #awaitLeader} found. */
    String leaderId() {
        return leaderId;
    }

    @Override
    public String leaderAndTerm() {
        return leaderAndTerm;
    }

    @Override
    public CompletableFuture<?> submit(byte[] command) {
        return leader.submit(command);
    }

    @Override
    public CompletableFuture<?> read(byte[] query) {
        return leader.read(query);
    }

    @Override
    public void close() {
        for (RaftNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("closing raftbus node " + node.nodeId() + ": " + e);
            }
        }
    }
}
