package io.raftbus.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.raftbus.engine.NodeClosedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.testing.PausableTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test fixture running an N-node raftbus cluster in this JVM: each node has its own durable log file and
 * {@link FileSnapshotStore} directory under a directory, a {@link PausableTransport} over the backend's transport,
 * and a fresh {@link KvStateMachine} (restored at start from the latest snapshot, if any). When snapshots are taken
 * and the log compacted is the config's business ({@link RaftConfig#snapshotEveryEntries()} and the rest). Nodes can
 * be killed (closed; the files stay), restarted from their files, and isolated/healed; new nodes can be started in
 * join mode ({@link #startJoining}) for membership changes. It also records which node led
 * which term, to check Election Safety (at most one leader per term).
 */
public final class ClusterHarness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterHarness.class);

    /** One started node and the pieces the tests look at (the node owns and closes the snapshot store). */
    public record Member(RaftNode node, KvStateMachine stateMachine, PausableTransport transport,
            FileSnapshotStore snapshots) {
    }

    private final ClusterBackend backend;
    private final String clusterId;
    private final Set<String> members;
    private final Path dir;
    private final RaftConfig config;
    private final Map<String, Member> running = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> leaderByTerm = new ConcurrentHashMap<>();
    /** Nodes started in join mode, with the members they were started with (again on a restart). */
    private final Map<String, Set<String>> joinedWith = new ConcurrentHashMap<>();
    private final List<String> safetyViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ClusterHarness(ClusterBackend backend, String clusterId, Set<String> members, Path dir,
            RaftConfig config) {
        this.backend = backend;
        this.clusterId = clusterId;
        this.members = members;
        this.dir = dir;
        this.config = config;
    }

    /** Node ids {@code n1..nN}. */
    public static Set<String> memberIds(int size) {
        return IntStream.rangeClosed(1, size).mapToObj(i -> "n" + i)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Starts a cluster of {@code size} nodes named n1..nN, logs under {@code dir}. */
    public static ClusterHarness start(ClusterBackend backend, String clusterId, int size, Path dir,
            RaftConfig config) {
        return start(backend, clusterId, size, dir, config, memberIds(size));
    }

    /**
     * A cluster of {@code size} members n1..nN of which only {@code inThisJvm} are started here (the others run
     * elsewhere, for example in a child process).
     */
    public static ClusterHarness start(ClusterBackend backend, String clusterId, int size, Path dir,
            RaftConfig config, Set<String> inThisJvm) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create the cluster's data directory " + dir, e);
        }
        ClusterHarness harness = new ClusterHarness(backend, clusterId, Set.copyOf(memberIds(size)), dir, config);
        try {
            for (String id : inThisJvm) {
                harness.startNode(id);
            }
        } catch (RuntimeException | Error e) {
            harness.close();
            throw e;
        }
        return harness;
    }

    /**
     * A config with election timeouts suited to a shared 2-core machine talking through Kafka. Without the
     * leadership hand-over on close: {@link #kill} is meant as a crash.
     */
    public static RaftConfig testConfig() {
        return RaftConfig.builder()
                .electionTimeoutMs(400, 800)
                .heartbeatIntervalMs(50)
                .forwardTimeoutMs(3_000)
                .handOverOnClose(false)
                .build();
    }

    public String clusterId() {
        return clusterId;
    }

    public Set<String> members() {
        return members;
    }

    /** The node's SQLite (or other) log file. */
    public Path logFile(String id) {
        return dir.resolve(id + ".db");
    }

    /** The directory of the node's snapshot store. */
    public Path snapshotDirectory(String id) {
        return dir.resolve(id + "-snapshots");
    }

    /**
     * Starts a new node {@code id} in join mode ({@link RaftNode.Builder#join}) with the current voters
     * {@code currentMembers} (its transport configured with them too), over a new log file, to be added by the
     * leader; a restart starts it again the same way.
     */
    public synchronized Member startJoining(String id, Set<String> currentMembers) {
        joinedWith.put(id, Set.copyOf(currentMembers));
        return startNode(id);
    }

    /** Starts {@code id} over its existing (or new) log file and snapshots with a fresh state machine. */
    public synchronized Member startNode(String id) {
        if (running.containsKey(id)) {
            throw new IllegalStateException(id + " is already running");
        }
        boolean join = joinedWith.containsKey(id);
        Set<String> startMembers = joinedWith.getOrDefault(id, members);
        PausableTransport transport = new PausableTransport(backend.transport(clusterId, startMembers, id));
        if (isolated.contains(id)) {
            transport.pause();
        }
        KvStateMachine stateMachine = new KvStateMachine();
        FileSnapshotStore snapshots;
        try {
            snapshots = FileSnapshotStore.open(snapshotDirectory(id));
        } catch (java.io.IOException e) {
            transport.close();
            throw new java.io.UncheckedIOException("Cannot open the snapshot store of " + id, e);
        }
        RaftNode node = RaftNode.builder()
                .nodeId(id)
                .members(startMembers)
                .join(join)
                .clusterId(clusterId)
                .config(config)
                .transport(transport)
                .log(backend.openLog(logFile(id), clusterId, id))
                .stateMachine(stateMachine)
                .snapshotStore(snapshots)
                .build();
        node.addListener(new RaftListener() {
            @Override
            public void onRoleChange(String nodeId, Role from, Role to, long term) {
                if (to == Role.LEADER) {
                    String previous = leaderByTerm.putIfAbsent(term, nodeId);
                    if (previous != null && !previous.equals(nodeId)) {
                        safetyViolations.add("term " + term + " has two leaders: " + previous + " and " + nodeId);
                    }
                }
            }
        });
        node.start();
        Member member = new Member(node, stateMachine, transport, snapshots);
        running.put(id, member);
        return member;
    }

    /** Stops {@code id} abruptly from the cluster's point of view (its log file stays). */
    public synchronized void kill(String id) {
        Member member = running.remove(id);
        if (member == null) {
            throw new IllegalStateException(id + " is not running");
        }
        member.node().close();
        LOG.info("killed {}", id);
    }

    /** Kills (if running) and starts {@code id} again from its log file. */
    public synchronized Member restart(String id) {
        if (running.containsKey(id)) {
            kill(id);
        }
        Member member = startNode(id);
        LOG.info("restarted {}", id);
        return member;
    }

    /** Cuts {@code id} off both ways (survives restarts until {@link #heal}). */
    public void isolate(String id) {
        isolated.add(id);
        Member member = running.get(id);
        if (member != null) {
            member.transport().pause();
        }
    }

    public void heal(String id) {
        isolated.remove(id);
        Member member = running.get(id);
        if (member != null) {
            member.transport().resume();
        }
    }

    public Member member(String id) {
        Member member = running.get(id);
        if (member == null) {
            throw new IllegalStateException(id + " is not running");
        }
        return member;
    }

    public RaftNode node(String id) {
        return member(id).node();
    }

    public KvStateMachine stateMachine(String id) {
        return member(id).stateMachine();
    }

    public Set<String> runningIds() {
        return Set.copyOf(running.keySet());
    }

    /** The running, non-isolated leader with the highest term, if any. */
    public Optional<String> leader() {
        return running.values().stream()
                .filter(m -> !isolated.contains(m.node().nodeId()))
                .map(m -> m.node().status())
                .filter(RaftStatus::isLeader)
                .max(Comparator.comparingLong(RaftStatus::term))
                .map(RaftStatus::nodeId);
    }

    /** The leader as known to any running node (possibly a node outside this JVM), if any. */
    public Optional<String> knownLeader() {
        return leader().or(() -> running.values().stream()
                .filter(m -> !isolated.contains(m.node().nodeId()))
                .map(m -> m.node().status())
                .filter(s -> s.leaderId() != null)
                .max(Comparator.comparingLong(RaftStatus::term))
                .map(RaftStatus::leaderId));
    }

    /** Waits until a connected node leads and returns its id. */
    public String awaitLeader(Duration timeout) {
        Await.until("a leader in cluster " + clusterId, timeout, () -> leader().isPresent(), this::describe);
        return leader().orElseThrow();
    }

    /**
     * Submits to the leader if one is known, else to a random running node (which forwards). Fails with
     * {@link NodeClosedException} if nothing runs.
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        Optional<String> leader = leader();
        String target = leader.orElseGet(this::randomRunning);
        if (target == null) {
            return CompletableFuture.failedFuture(new NodeClosedException("no node of " + clusterId + " is running"));
        }
        Member member = running.get(target);
        if (member == null) {
            return CompletableFuture.failedFuture(new NodeClosedException(target + " was just killed"));
        }
        return member.node().submit(command);
    }

    /** A linearizable read ({@link RaftNode#read}) through the leader if known, else any running reachable node. */
    public CompletableFuture<byte[]> read(byte[] query) {
        String target = leader().orElseGet(this::randomRunning);
        Member member = target == null ? null : running.get(target);
        if (member == null) {
            return CompletableFuture.failedFuture(new NodeClosedException("no node of " + clusterId + " to read from"));
        }
        return member.node().read(query);
    }

    /** A linearizable read through a random running node, isolated or not (see {@link #submitViaAnyNode}). */
    public CompletableFuture<byte[]> readViaAnyNode(byte[] query) {
        List<Member> all = new ArrayList<>(running.values());
        if (all.isEmpty()) {
            return CompletableFuture.failedFuture(new NodeClosedException("no node of " + clusterId + " is running"));
        }
        return all.get(ThreadLocalRandom.current().nextInt(all.size())).node().read(query);
    }

    /** Submits through a specific node (it forwards to the leader if it is a follower). */
    public CompletableFuture<byte[]> submitVia(String id, byte[] command) {
        return member(id).node().submit(command);
    }

    /**
     * Submits through a random running node, isolated or not, as a client with a stale view of the cluster would
     * (a follower forwards to its leader; an isolated leader cannot commit).
     */
    public CompletableFuture<byte[]> submitViaAnyNode(byte[] command) {
        List<Member> all = new ArrayList<>(running.values());
        if (all.isEmpty()) {
            return CompletableFuture.failedFuture(new NodeClosedException("no node of " + clusterId + " is running"));
        }
        return all.get(ThreadLocalRandom.current().nextInt(all.size())).node().submit(command);
    }

    private String randomRunning() {
        List<String> ids = new ArrayList<>(running.keySet());
        ids.removeAll(isolated);
        return ids.isEmpty() ? null : ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    /**
     * Waits until every node of {@code ids} is running and has applied at least {@code index} (judged by the node,
     * since {@code index} may be a no-op that its state machine never sees; see {@link #awaitConverged}).
     */
    public void awaitAppliedEverywhere(Set<String> ids, long index, Duration timeout) {
        Await.until("nodes " + ids + " to apply index " + index, timeout,
                () -> ids.stream().allMatch(id -> running.containsKey(id)
                        && running.get(id).node().status().lastApplied() >= index),
                this::describe);
    }

    /**
     * Waits until every running node knows the highest commit index any of them knows and has applied up to it, and
     * returns the highest command index every state machine applied (the one to compare digests at).
     *
     * <p>Convergence is judged on the node's own applied index, not the state machine's: a leader's no-op is
     * committed and applied without reaching the state machine, so when the log ends with one (a leader elected
     * after the last command) the state machine's last index stays below the commit index for good.
     */
    public long awaitConverged(Duration timeout) {
        Await.until("running nodes to converge", timeout, () -> {
            List<RaftStatus> all = running.values().stream().map(m -> m.node().status()).toList();
            long maxCommit = all.stream().mapToLong(RaftStatus::commitIndex).max().orElse(0);
            return maxCommit > 0 && all.stream().allMatch(s -> s.commitIndex() == maxCommit
                    && s.lastApplied() >= maxCommit);
        }, this::describe);
        return running.values().stream().mapToLong(m -> m.stateMachine().lastApplied()).min().orElse(0);
    }

    /** Violations of Election Safety seen so far (empty when all is well). */
    public List<String> safetyViolations() {
        return List.copyOf(safetyViolations);
    }

    /** One line per running node: role, term, leader, commit, applied, last index. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        running.values().stream().sorted(Comparator.comparing(m -> m.node().nodeId())).forEach(m -> {
            RaftStatus s = m.node().status();
            sb.append(String.format(
                    "%n  %s %-9s term=%d leader=%s commit=%d applied=%d(sm %d) log=%d..%d snap=%d%s drops=%s",
                    s.nodeId(), s.role(), s.term(), s.leaderId(), s.commitIndex(), s.lastApplied(),
                    m.stateMachine().lastApplied(), s.firstLogIndex(), s.lastLogIndex(), s.snapshotIndex(),
                    isolated.contains(s.nodeId()) ? " ISOLATED" : "", m.node().dropCounts()));
        });
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        for (String id : List.copyOf(running.keySet())) {
            try {
                kill(id);
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed: {}", id, e.toString());
            }
        }
    }
}
