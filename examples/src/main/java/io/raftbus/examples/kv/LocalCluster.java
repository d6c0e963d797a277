package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.spi.SnapshotInfo;

import java.nio.file.Files;
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

/**
 * The demo's cluster: several {@link KvNode}s in this process, talking through one Kafka broker, each with its log in
 * {@code <dataDir>/<nodeId>.db}. Commands go to the node that reports itself leader (or, while none does, to a node
 * that knows one, which forwards); commands that were certainly not appended (no leader yet, leadership lost before
 * commit, backpressure) are retried until the timeout. Nodes can be added (started in join mode, then made voters by
 * the leader) and removed (by the leader, then stopped); a removed node stays listed as removed.
 */
final class LocalCluster implements DemoCluster {

    /** How often waits re-check the nodes' status. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String clusterId;
    private final String bootstrapServers;
    private final Path dataDir;
    private final RaftConfig config;
    /** The nodes the demo started with: the first configuration's voters. */
    private final List<String> nodeIds;
    /** Nodes added by {@link #add}, with the voters they joined (a restart starts them again with these). */
    private final Map<String, Set<String>> joined = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final Map<String, KvNode> running = new LinkedHashMap<>();
    private final Set<String> partitioned = new HashSet<>();
    /**
     * The console's client session over Kafka, as an external client's would be; registered at the first command and
     * kept alive while the console is idle.
     */
    private final SessionKvClient client;

    private LocalCluster(String clusterId, String bootstrapServers, Path dataDir, RaftConfig config,
                         List<String> nodeIds) {
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        // kill is a crash; stop hands leadership over explicitly (KvNode.stop)
        this.config = config.toBuilder().handOverOnClose(false).build();
        this.nodeIds = List.copyOf(nodeIds);
        this.client = new SessionKvClient((id, until) -> KafkaTransports.forClient(bootstrapServers, clusterId,
                Set.copyOf(nodeIds), Map.of(), until), clusterId, Set.copyOf(nodeIds))
                .keepSessionsAlive(KvNode.SESSION_IDLE_TIMEOUT_MS); // the console may sit idle for hours
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
        Set<String> joinedVoters;
        synchronized (this) {
            cutOff = partitioned.contains(id);
            joinedVoters = joined.get(id);
        }
        boolean join = joinedVoters != null;
        return KvNode.start(id, join ? joinedVoters : Set.copyOf(nodeIds), join, clusterId, bootstrapServers, Map.of(),
                logFile(id), config, cutOff);
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
        // in the console's client session: applied exactly once, retried across leader changes by the client
        return client.execute(KvCommand.decode(command), timeout).encode();
    }

    @Override
    public byte[] read(byte[] query, Duration timeout) {
        return untilRead(query, timeout);
    }

    /**
     * A linearizable read through the leader (or a follower, which forwards), tried again after each refusal until
     * {@code timeout}: a read changes nothing, so trying again is always safe, and so is the user's own retry after a
     * timeout. (Commands go through the console's client session instead, see {@link #submit}.)
     */
    private byte[] untilRead(byte[] query, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no node knows a leader";
        while (true) {
            Optional<KvNode> target = target();
            if (target.isPresent()) {
                long remaining = deadline - System.nanoTime();
                try {
                    return target.get().node().read(query).get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new ClusterException("no result within " + KvFormat.seconds(timeout)
                            + "; a read changes nothing: run it again" + majorityHint());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while waiting for the read; it changed nothing");
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RetriableCommandException) {
                        lastProblem = cause.getMessage(); // not served (leadership moved, ...): read again
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
        Set<String> voters = voters();
        long reachable = reachableCount(voters);
        if (reachable < majority(voters)) {
            return "no leader right now: " + reachable + " of " + voters.size() + " voters are up and reachable, "
                    + majority(voters) + " are needed (restart or heal one)";
        }
        return "no leader right now (" + lastProblem + "); waited " + KvFormat.seconds(waited);
    }

    /** Why a command may be stuck, when a majority is not reachable; empty otherwise. */
    private synchronized String majorityHint() {
        Set<String> voters = voters();
        long reachable = reachableCount(voters);
        return reachable >= majority(voters) ? "" : " (" + reachable + " of " + voters.size()
                + " voters are up and reachable; committing needs " + majority(voters) + ")";
    }

    private synchronized long reachableCount(Set<String> voters) {
        return running.keySet().stream().filter(id -> voters.contains(id) && !partitioned.contains(id)).count();
    }

    private static int majority(Set<String> voters) {
        return voters.size() / 2 + 1;
    }

    /**
     * The voters of the configuration in force as far as the running nodes know: the one of the node in the highest
     * term that knows one (a leader's if several), else the voters the demo started with.
     */
    private synchronized Set<String> voters() {
        RaftStatus best = null;
        for (KvNode node : running.values()) {
            RaftStatus status = node.node().status();
            if (!status.voters().isEmpty() && (best == null || status.term() > best.term()
                    || status.term() == best.term() && status.isLeader())) {
                best = status;
            }
        }
        return best == null ? Set.copyOf(nodeIds) : best.voters();
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
        for (String id : knownIds()) {
            KvNode node = running.get(id);
            views.add(new NodeView(id, node != null, partitioned.contains(id),
                    node == null ? null : node.node().status(), removed.contains(id),
                    node == null ? null : node.node().sessionStats().orElse(null)));
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

    /** Every node the demo knows: those it started with, those added since (removed ones included). */
    private synchronized List<String> knownIds() {
        Set<String> ids = new java.util.TreeSet<>(nodeIds);
        ids.addAll(joined.keySet());
        return List.copyOf(ids);
    }

    /** @throws ClusterException if the demo has no node {@code nodeId}, or it was removed from the cluster */
    private synchronized void requireKnown(String nodeId) {
        if (!knownIds().contains(nodeId)) {
            throw new ClusterException("no node " + nodeId + "; the nodes are " + String.join(", ", knownIds()));
        }
        if (removed.contains(nodeId)) {
            throw new ClusterException(nodeId + " was removed from the cluster and stays stopped");
        }
    }

    /** The reachable node claiming leadership in the highest term, if any (never a forwarder). */
    private synchronized Optional<RaftNode> leaderNode() {
        return target().map(KvNode::node).filter(n -> n.status().isLeader());
    }

    @Override
    public Set<String> add(String nodeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        requireName(nodeId);
        boolean start;
        synchronized (this) {
            if (removed.contains(nodeId)) {
                throw new ClusterException(nodeId + " was removed from the cluster; add a new node under another id"
                        + " (its log stays in " + logFile(nodeId) + ")");
            }
            if (nodeIds.contains(nodeId)) {
                throw new ClusterException(nodeId + " is a member already");
            }
            KvNode existing = running.get(nodeId);
            if (joined.containsKey(nodeId)) { // an earlier add that did not complete: its node runs, ask again
                if (existing == null) {
                    throw new ClusterException(nodeId + " is down; restart it first with: restart " + nodeId);
                }
                if (existing.node().status().isVoter()) {
                    throw new ClusterException(nodeId + " is a voter already");
                }
                start = false;
            } else if (Files.exists(logFile(nodeId))) {
                throw new ClusterException(logFile(nodeId) + " exists (from an earlier run?); add a node under"
                        + " another id");
            } else {
                start = true;
            }
        }
        if (start) {
            if (!awaitLeader(timeout)) {
                throw new ClusterException("no leader right now; " + nodeId + " was not started" + majorityHint());
            }
            synchronized (this) {
                joined.put(nodeId, Set.copyOf(voters())); // the cluster it joins; its log will hold the rest
            }
            try {
                KvNode node = newNode(nodeId);
                synchronized (this) {
                    running.put(nodeId, node);
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    joined.remove(nodeId);
                }
                throw new ClusterException("could not start " + nodeId + ": " + e.getMessage(), e);
            }
        }
        MembershipRequest.addVoter(this::leaderNode, nodeId, deadline, timeout);
        // the leader may promote a learner that is within maxLearnerLagEntries before it has received anything (a
        // short log): wait until the node itself has the configuration naming it a voter
        KvNode node;
        synchronized (this) {
            node = running.get(nodeId);
        }
        if (node != null && !awaitStatus(node, RaftStatus::isVoter, deadline)) {
            throw new ClusterException(nodeId + " was made a voter, but has not yet received the configuration"
                    + " naming it within " + KvFormat.seconds(timeout) + " (see status)");
        }
        return voters();
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** Node ids become parts of Kafka topic names (and file names): letters, digits, '.', '_' and '-' only. */
    private static void requireName(String nodeId) {
        if (!nodeId.matches("[A-Za-z0-9._-]+")) {
            throw new ClusterException("node id '" + nodeId + "' may only use letters, digits, '.', '_' and '-'");
        }
    }

    @Override
    public Removal remove(String nodeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        requireKnown(nodeId);
        MembershipRequest.remove(this::leaderNode, nodeId, deadline, timeout);
        KvNode node;
        boolean cutOff;
        synchronized (this) {
            node = running.get(nodeId);
            cutOff = partitioned.contains(nodeId);
        }
        boolean learned = true;
        if (node != null && !cutOff) {
            // a removed follower learns of it from the leader; a removed leader first hands leadership over
            learned = awaitStatus(node, s -> s.isNonMember() && !s.isLeader(), deadline);
        }
        synchronized (this) {
            running.remove(nodeId);
            partitioned.remove(nodeId);
            removed.add(nodeId);
        }
        if (node != null) {
            node.close();
        }
        awaitLeader(remaining(deadline));
        return new Removal(voters(), node != null, learned, leaderId());
    }

    /** Waits until {@code node}'s status satisfies {@code condition}, or the deadline; whether it did. */
    private static boolean awaitStatus(KvNode node, java.util.function.Predicate<RaftStatus> condition,
                                       long deadlineNanos) {
        while (!condition.test(node.node().status())) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
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

    /** Node {@code nodeId}, if it is running (for tests that drive a node directly). */
    synchronized Optional<RaftNode> raftNode(String nodeId) {
        return Optional.ofNullable(running.get(nodeId)).map(KvNode::node);
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
        client.close();
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
