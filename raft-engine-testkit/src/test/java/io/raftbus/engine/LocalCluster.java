package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testkit.Await;
import io.raftbus.engine.testkit.RecordingStateMachine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/** A cluster of real {@link RaftNode}s on one {@link InMemoryNetwork}, for the runtime's tests. */
final class LocalCluster implements AutoCloseable {

    /** Short protocol timeouts, but long enough that a loaded 2-core machine does not cause spurious elections. */
    static final RaftConfig FAST = RaftConfig.builder()
            .electionTimeoutMs(300, 600)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .build();

    final InMemoryNetwork network = new InMemoryNetwork();
    final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    final Map<String, RecordingStateMachine> machines = new LinkedHashMap<>();
    private final Map<String, InMemoryLog> logs = new LinkedHashMap<>();
    private final Set<String> members = new TreeSet<>();
    private final RaftConfig config;
    private final BiFunction<String, LogAPI, LogAPI> wrapLog;

    /** Builds (does not start) {@code size} nodes n1..n{size}. */
    LocalCluster(int size, RaftConfig config) {
        this(size, config, (id, transport) -> transport);
    }

    /** Builds (does not start) {@code size} nodes n1..n{size}, each over the transport {@code wrap} returns. */
    LocalCluster(int size, RaftConfig config, BiFunction<String, Transport, Transport> wrap) {
        this(size, config, wrap, (id, log) -> log);
    }

    /**
     * Builds (does not start) {@code size} nodes n1..n{size}, each over the transport {@code wrap} returns and the
     * log {@code wrapLog} returns (given the node's in-memory log).
     */
    LocalCluster(int size, RaftConfig config, BiFunction<String, Transport, Transport> wrap,
                 BiFunction<String, LogAPI, LogAPI> wrapLog) {
        this.wrapLog = wrapLog;
        this.config = config;
        for (int i = 1; i <= size; i++) {
            members.add("n" + i);
        }
        for (String id : members) {
            logs.put(id, new InMemoryLog());
            machines.put(id, new RecordingStateMachine());
            nodes.put(id, build(id, wrap.apply(id, network.transport(id))));
        }
    }

    private RaftNode build(String id, Transport transport) {
        return RaftNode.builder()
                .nodeId(id)
                .members(members)
                .clusterId("test-cluster")
                .config(config)
                .transport(transport)
                .log(wrapLog.apply(id, logs.get(id)))
                .stateMachine(machines.get(id))
                .randomSeed(id.hashCode())
                .build();
    }

    /**
     * Closes node {@code id} and starts a new node in its place over the same (reopened) log, a fresh in-memory
     * state machine (which the new node rebuilds from the log) and a new transport.
     */
    RaftNode restart(String id) {
        nodes.get(id).close();
        logs.get(id).reopen();
        machines.put(id, new RecordingStateMachine());
        RaftNode node = build(id, network.transport(id));
        nodes.put(id, node);
        node.start();
        return node;
    }

    LocalCluster startAll() {
        nodes.values().forEach(RaftNode::start);
        return this;
    }

    RaftNode node(String id) {
        return nodes.get(id);
    }

    /** Waits until one of {@code among} leads and every other of them follows it in the same term. */
    RaftNode awaitLeader(Collection<String> among) {
        String leader = Await.value("a leader agreed on by " + among, () -> agreedLeader(among));
        return nodes.get(leader);
    }

    RaftNode awaitLeader() {
        return awaitLeader(nodes.keySet());
    }

    private String agreedLeader(Collection<String> among) {
        RaftStatus leaderStatus = null;
        for (String id : among) {
            RaftStatus s = nodes.get(id).status();
            if (s.isLeader()) {
                if (leaderStatus != null) {
                    return null;
                }
                leaderStatus = s;
            }
        }
        if (leaderStatus == null) {
            return null;
        }
        for (String id : among) {
            RaftStatus s = nodes.get(id).status();
            if (s.term() != leaderStatus.term() || !leaderStatus.nodeId().equals(s.leaderId())) {
                return null;
            }
        }
        return leaderStatus.nodeId();
    }

    List<String> followers(RaftNode leader) {
        List<String> out = new ArrayList<>(nodes.keySet());
        out.remove(leader.nodeId());
        return out;
    }

    /** Waits until each of {@code ids} has applied exactly {@code count} commands. */
    void awaitApplied(Collection<String> ids, int count) {
        Await.until("nodes " + ids + " to apply " + count + " commands",
                () -> ids.stream().allMatch(id -> machines.get(id).size() >= count));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Override
    public void close() {
        nodes.values().forEach(RaftNode::close);
    }
}
