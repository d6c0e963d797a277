package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * A single-process stand-in for a cluster: one state machine, n1 leads while it is up and reachable, otherwise the
 * lowest-numbered reachable node. Enough to test the console's parsing, dispatch and output.
 */
final class FakeCluster implements DemoCluster {

    private final List<String> nodeIds = new ArrayList<>(List.of("n1", "n2", "n3"));
    private final Set<String> down = new LinkedHashSet<>();
    private final Map<String, Long> snapshots = new HashMap<>();
    private final Set<String> partitioned = new LinkedHashSet<>();
    private final KvStateMachine machine = new KvStateMachine();
    private long index;

    private String leader() {
        List<String> reachable = nodeIds.stream().filter(n -> !down.contains(n) && !partitioned.contains(n)).toList();
        return reachable.size() * 2 > nodeIds.size() ? reachable.get(0) : null;
    }

    @Override
    public byte[] submit(byte[] command, Duration timeout) {
        if (leader() == null) {
            throw new ClusterException("no leader right now (a majority of the nodes is down or cut off)");
        }
        return machine.apply(++index, command);
    }

    @Override
    public byte[] read(byte[] query, Duration timeout) {
        if (leader() == null) {
            throw new ClusterException("no leader right now (a majority of the nodes is down or cut off)");
        }
        return machine.query(query);
    }

    @Override
    public List<NodeView> status() {
        List<NodeView> views = new ArrayList<>();
        String leader = leader();
        for (String id : nodeIds) {
            boolean up = !down.contains(id);
            long snap = snapshots.getOrDefault(id, 0L);
            RaftStatus status = up ? new RaftStatus(id, id.equals(leader) ? Role.LEADER : Role.FOLLOWER, 1, leader,
                    index, index, index, Map.of(), snap, snap + 1) : null;
            views.add(new NodeView(id, up, partitioned.contains(id), status));
        }
        return views;
    }

    @Override
    public boolean awaitLeader(Duration timeout) {
        return leader() != null;
    }

    private void requireKnown(String nodeId) {
        if (!nodeIds.contains(nodeId)) {
            throw new ClusterException("no node " + nodeId + "; the nodes are " + nodeIds);
        }
    }

    @Override
    public void kill(String nodeId) {
        requireKnown(nodeId);
        if (!down.add(nodeId)) {
            throw new ClusterException(nodeId + " is already down");
        }
    }

    @Override
    public Optional<String> stop(String nodeId) {
        kill(nodeId);
        return Optional.empty();
    }

    /** Snapshots the one shared state machine, as node {@code nodeId}'s (whose log is then empty). */
    @Override
    public SnapshotInfo snapshot(String nodeId, Duration timeout) {
        requireKnown(nodeId);
        if (down.contains(nodeId) || index == 0) {
            throw new ClusterException(nodeId + " is down or has applied nothing");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            machine.captureSnapshot().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshots.put(nodeId, index);
        return new SnapshotInfo(index, 1, Membership.ofVoters(Set.copyOf(nodeIds)), out.size(), 0);
    }

    /** Every node applies at once: only a down or partitioned node is an error. */
    @Override
    public RaftStatus awaitApplied(String nodeId, Duration timeout) {
        requireKnown(nodeId);
        if (down.contains(nodeId) || partitioned.contains(nodeId)) {
            throw new ClusterException(nodeId + " is down or partitioned");
        }
        return status().stream().filter(v -> v.nodeId().equals(nodeId)).findFirst().orElseThrow().status();
    }

    @Override
    public void restart(String nodeId) {
        requireKnown(nodeId);
        if (!down.remove(nodeId)) {
            throw new ClusterException(nodeId + " is running; kill it first");
        }
    }

    /** Adds a voter at once (the fake has no catch-up). */
    @Override
    public Set<String> add(String nodeId, Duration timeout) {
        if (nodeIds.contains(nodeId)) {
            throw new ClusterException(nodeId + " is a member already");
        }
        nodeIds.add(nodeId);
        return Set.copyOf(nodeIds);
    }

    /** Removes a voter at once; its line disappears from status. */
    @Override
    public Removal remove(String nodeId, Duration timeout) {
        requireKnown(nodeId);
        if (nodeIds.size() == 1) {
            throw new ClusterException("cannot remove " + nodeId + ", the last voter");
        }
        nodeIds.remove(nodeId);
        return new Removal(Set.copyOf(nodeIds), true, true, Optional.ofNullable(leader()));
    }

    @Override
    public void partition(String nodeId) {
        requireKnown(nodeId);
        partitioned.add(nodeId);
    }

    @Override
    public void heal(String nodeId) {
        requireKnown(nodeId);
        partitioned.remove(nodeId);
    }

    @Override
    public void close() {
    }
}
