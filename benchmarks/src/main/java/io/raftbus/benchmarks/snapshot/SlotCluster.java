package io.raftbus.benchmarks.snapshot;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A cluster of started {@link RaftNode}s, each with its {@link SlotStateMachine}, built by a factory per node id, in
 * which one node can be closed and replaced by a new one (a restart). {@link #close()} closes every node.
 */
final class SlotCluster implements AutoCloseable {

    /** One node and its state. */
    record Member(RaftNode node, SlotStateMachine state) {
    }

    private final String label;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private SlotCluster(String label) {
        this.label = label;
    }

    /** Builds every member with {@code factory} and starts them; closes those built if one fails. */
    static SlotCluster start(String label, Set<String> ids, Function<String, Member> factory) {
        SlotCluster cluster = new SlotCluster(label);
        try {
            for (String id : ids.stream().sorted().toList()) {
                cluster.members.put(id, factory.apply(id));
            }
            for (Member m : cluster.members.values()) {
                m.node().start();
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    String label() {
        return label;
    }

    Member member(String id) {
        return members.get(id);
    }

    List<Member> members() {
        return new ArrayList<>(members.values());
    }

    /** Closes {@code id}'s node (its replacement is started by {@link #restart}). */
    void stop(String id) {
        members.get(id).node().close();
    }

    /** Replaces {@code id} by {@code replacement} and starts it. */
    void restart(String id, Member replacement) {
        members.put(id, replacement);
        replacement.node().start();
    }

    /** Polls until one running node is leader and every other running node names it in the same term. */
    RaftNode awaitLeader(Duration timeout, Set<String> ignoring) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RaftNode leader = null;
            boolean agreed = true;
            long term = -1;
            for (Map.Entry<String, Member> e : members.entrySet()) {
                if (ignoring.contains(e.getKey())) {
                    continue;
                }
                RaftStatus s = e.getValue().node().status();
                if (s.leaderId() == null || (term >= 0 && s.term() != term)) {
                    agreed = false;
                    break;
                }
                term = s.term();
                if (s.isLeader()) {
                    leader = e.getValue().node();
                }
            }
            if (agreed && leader != null) {
                String id = leader.nodeId();
                if (members.entrySet().stream().filter(e -> !ignoring.contains(e.getKey()))
                        .allMatch(e -> id.equals(e.getValue().node().status().leaderId()))) {
                    return leader;
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        throw new TimeoutException("no leader agreed in " + label + " within " + timeout);
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            try {
                m.node().close();
            } catch (RuntimeException e) {
                System.err.println("closing " + m.node().nodeId() + " of " + label + ": " + e);
            }
        }
    }
}
