package io.raftbus.examples.kv;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.spi.SnapshotInfo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The demo's cluster: several {@link KvNode}s in this process, talking through one Kafka broker, each with its log in
 * {@code <dataDir>/<nodeId>.db}. Commands go to the node that reports itself leader (or, while none does, to a node
 * that knows one, which forwards); commands that were certainly not appended (no leader yet, leadership lost before
 * commit, backpressure) are retried until the timeout.
 */
final class LocalCluster implements DemoCluster {

    /** How often waits re-check the nodes' status. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String clusterId;
    private final String bootstrapServers;
    private final Path dataDir;
    private final RaftConfig config;
    private final List<String> nodeIds;
    private final Map<String, KvNode> running = new LinkedHashMap<>();
    private final Set<String> partitioned = new HashSet<>();

    private LocalCluster(String clusterId, String bootstrapServers, Path dataDir, RaftConfig config,
                         List<String> nodeIds) {
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        // kill is a crash; stop hands leadership over explicitly (KvNode.stop)
        this.config = config.toBuilder().handOverOnClose(false).build();
        this.nodeIds = List.copyOf(nodeIds);
    }

    /** Starts every node. */
    static LocalCluster start(String clusterId, String bootstrapServers, Path dataDir, RaftConfig config,
                              List<String> nodeIds) {
        LocalCluster cluster = new LocalCluster(clusterId, bootstrapServers, dataDir, config, nodeIds);
        // in parallel: each node's transport spends most of its start waiting for the broker
        List<CompletableFuture<KvNode>> starting = nodeIds.stream()
                .map(id -> CompletableFuture.supplyAsync(() -> cluster.newNode(id))).toList();
        RuntimeException failure = joinEach(starting, (i, node) -> {
            synchronized (cluster) {
                cluster.running.put(nodeIds.get(i), node);
            }
        });
        if (failure != null) {
            cluster.close();
            throw failure;
        }
        return cluster;
    }

    private KvNode newNode(String id) {
        boolean cutOff;
        synchronized (this) {
            cutOff = partitioned.contains(id);
        }
        return KvNode.start(id, Set.copyOf(nodeIds), clusterId, bootstrapServers, logFile(id), config, cutOff);
    }

    private synchronized void startNode(String id) {
        running.put(id, newNode(id));
    }

    /** Where node {@code id} keeps its log. */
    Path logFile(String id) {
        return dataDir.resolve(id + ".db");
    }

    @Override
    public byte[] submit(byte[] command, Duration timeout) {
        return untilAnswered(node -> node.submit(command), timeout);
    }

    @Override
    public byte[] read(byte[] query, Duration timeout) {
        return untilAnswered(node -> node.read(query), timeout);
    }

    /** Sends through the leader (or a follower, which forwards) and retries what certainly had no effect. */
    private byte[] untilAnswered(Function<RaftNode, CompletableFuture<byte[]>> send, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no node knows a leader";
        while (true) {
            Optional<KvNode> target = target();
            if (target.isPresent()) {
                long remaining = deadline - System.nanoTime();
                try {
                    return send.apply(target.get().node()).get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new ClusterException("no result within " + KvFormat.seconds(timeout)
                            + "; the command may still be applied later" + majorityHint());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while waiting for the result");
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RetriableCommandException) {
                        lastProblem = cause.getMessage(); // nothing was applied: safe to try again
                    } else if (cause instanceof CommandTooLargeException) {
                        throw new ClusterException("command too large: " + cause.getMessage());
                    } else if (cause instanceof CommandOutcomeUnknownException) {
                        throw new ClusterException("outcome unknown (it may or may not be applied): "
                                + cause.getMessage());
                    } else {
                        throw new ClusterException(String.valueOf(cause.getMessage()), cause);
                    }
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClusterException(noLeaderMessage(lastProblem, timeout));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private synchronized String noLeaderMessage(String lastProblem, Duration waited) {
        long reachable = reachableCount();
        if (reachable < majority()) {
            return "no leader right now: " + reachable + " of " + nodeIds.size() + " nodes are up and reachable, "
                    + majority() + " are needed (restart or heal one)";
        }
        return "no leader right now (" + lastProblem + "); waited " + KvFormat.seconds(waited);
    }

    /** Why a command may be stuck, when a majority is not reachable; empty otherwise. */
    private synchronized String majorityHint() {
        long reachable = reachableCount();
        return reachable >= majority() ? "" : " (" + reachable + " of " + nodeIds.size()
                + " nodes are up and reachable; committing needs " + majority() + ")";
    }

    private synchronized long reachableCount() {
        return running.keySet().stream().filter(id -> !partitioned.contains(id)).count();
    }

    private int majority() {
        return nodeIds.size() / 2 + 1;
    }

    /** The reachable node claiming leadership in the highest term, else a reachable node that knows a leader. */
    private synchronized Optional<KvNode> target() {
        KvNode best = null;
        long bestTerm = -1;
        KvNode forwarder = null;
        for (Map.Entry<String, KvNode> entry : running.entrySet()) {
            if (partitioned.contains(entry.getKey())) {
                continue;
            }
            RaftStatus status = entry.getValue().node().status();
            if (status.isLeader() && status.term() > bestTerm) {
                best = entry.getValue();
                bestTerm = status.term();
            } else if (forwarder == null && status.leaderId() != null
                    && !partitioned.contains(status.leaderId()) && running.containsKey(status.leaderId())) {
                forwarder = entry.getValue();
            }
        }
        return Optional.ofNullable(best != null ? best : forwarder);
    }

    @Override
    public synchronized List<NodeView> status() {
        List<NodeView> views = new ArrayList<>();
        for (String id : nodeIds) {
            KvNode node = running.get(id);
            views.add(new NodeView(id, node != null, partitioned.contains(id), node == null ? null : node.node().status()));
        }
        views.sort(Comparator.comparing(NodeView::nodeId));
        return views;
    }

    @Override
    public boolean awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (target().isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** The current leader's id, if a reachable node claims leadership. */
    Optional<String> leaderId() {
        return target().map(n -> n.node().status()).filter(RaftStatus::isLeader).map(RaftStatus::nodeId);
    }

    private void requireKnown(String nodeId) {
        if (!nodeIds.contains(nodeId)) {
            throw new ClusterException("no node " + nodeId + "; the nodes are " + String.join(", ", nodeIds));
        }
    }

    @Override
    public synchronized void kill(String nodeId) {
        requireKnown(nodeId);
        KvNode node = running.remove(nodeId);
        if (node == null) {
            throw new ClusterException(nodeId + " is already down; restart it with: restart " + nodeId);
        }
        node.close();
    }

    @Override
    public synchronized Optional<String> stop(String nodeId) {
        requireKnown(nodeId);
        KvNode node = running.remove(nodeId);
        if (node == null) {
            throw new ClusterException(nodeId + " is already down; restart it with: restart " + nodeId);
        }
        return node.stop();
    }

    @Override
    public SnapshotInfo snapshot(String nodeId, Duration timeout) {
        KvNode node;
        synchronized (this) {
            requireKnown(nodeId);
            node = running.get(nodeId);
        }
        if (node == null) {
            throw new ClusterException(nodeId + " is down; restart it with: restart " + nodeId);
        }
        try {
            return node.node().takeSnapshot().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException(nodeId + " wrote no snapshot within " + KvFormat.seconds(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the snapshot");
        } catch (ExecutionException e) {
            throw new ClusterException("no snapshot of " + nodeId + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public RaftStatus awaitApplied(String nodeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target;
        synchronized (this) {
            requireReachable(nodeId);
            target = running.entrySet().stream().filter(e -> !partitioned.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().node().status().commitIndex()).max().orElse(0);
        }
        while (true) {
            RaftStatus status;
            synchronized (this) {
                status = requireReachable(nodeId).node().status();
            }
            if (status.lastApplied() >= target) {
                return status;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClusterException(nodeId + " applied " + status.lastApplied() + " of " + target
                        + " within " + KvFormat.seconds(timeout) + "; it is " + status.role()
                        + (status.leaderId() == null ? " and knows no leader" : " of leader " + status.leaderId())
                        + ", commit=" + status.commitIndex() + " snap=" + status.snapshotIndex() + majorityHint());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The running node {@code nodeId}. @throws ClusterException if unknown, down or partitioned */
    private synchronized KvNode requireReachable(String nodeId) {
        requireKnown(nodeId);
        KvNode node = running.get(nodeId);
        if (node == null) {
            throw new ClusterException(nodeId + " is down; restart it with: restart " + nodeId);
        }
        if (partitioned.contains(nodeId)) {
            throw new ClusterException(nodeId + " is partitioned and cannot catch up; heal it with: heal " + nodeId);
        }
        return node;
    }

    /** The state machine of node {@code nodeId}, if it is running (for tests that look inside a node). */
    synchronized Optional<KvStateMachine> stateMachine(String nodeId) {
        return Optional.ofNullable(running.get(nodeId)).map(KvNode::stateMachine);
    }

    @Override
    public synchronized void restart(String nodeId) {
        requireKnown(nodeId);
        if (running.containsKey(nodeId)) {
            throw new ClusterException(nodeId + " is running; kill it first with: kill " + nodeId);
        }
        try {
            startNode(nodeId);
        } catch (RuntimeException e) {
            throw new ClusterException("could not restart " + nodeId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void partition(String nodeId) {
        requireKnown(nodeId);
        if (!partitioned.add(nodeId)) {
            throw new ClusterException(nodeId + " is already partitioned; heal it with: heal " + nodeId);
        }
        KvNode node = running.get(nodeId);
        if (node != null) {
            node.transport().pause();
        }
    }

    @Override
    public synchronized void heal(String nodeId) {
        requireKnown(nodeId);
        if (!partitioned.remove(nodeId)) {
            throw new ClusterException(nodeId + " is not partitioned");
        }
        KvNode node = running.get(nodeId);
        if (node != null) {
            node.transport().resume();
        }
    }

    /** Closes every running node. Idempotent. */
    @Override
    public synchronized void close() {
        // in parallel: each node waits for its transport to flush and stop
        List<CompletableFuture<Void>> closing = running.values().stream()
                .map(node -> CompletableFuture.runAsync(node::close)).toList();
        running.clear();
        RuntimeException failure = joinEach(closing, (i, ignored) -> { });
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for every future, handing each result (with its position) to {@code onSuccess}; returns the first
     * failure with the later ones suppressed in it, or null when all succeeded.
     */
    private static <T> RuntimeException joinEach(List<CompletableFuture<T>> futures,
                                                 BiConsumer<Integer, T> onSuccess) {
        RuntimeException failure = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                onSuccess.accept(i, futures.get(i).join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        return failure;
    }
}
