package io.raftbus.engine.testing;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Real {@link RaftNode}s n1..nN in one JVM, for tests: each over its own {@link InMemoryLog}, a state machine from
 * the test's supplier and, unless the test builds its transports (a {@code KafkaTransport}, say), a transport on one
 * {@link InMemoryNetwork}. Transports and logs can be wrapped ({@link PausableTransport}, a counting log, a failing
 * log). Nodes can be given snapshot stores ({@link Builder#snapshotStores}, {@link Builder#memorySnapshots},
 * {@link Builder#fileSnapshots}), opened again for each restart. Waits are on conditions with deadlines
 * ({@link #awaitLeader(Duration)}), never on time. Not thread-safe: drive it from the test's thread; the nodes
 * themselves are.
 *
 * @param <S> the state machine type, so that tests read their own state machines back
 */
public final class RaftNodeCluster<S extends StateMachine> implements AutoCloseable {

    /** Short protocol timeouts, but long enough that a loaded 2-core machine does not cause spurious elections. */
    public static final RaftConfig FAST = RaftConfig.builder()
            .electionTimeoutMs(300, 600)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .build();

    /**
     * {@link #FAST} with election timeouts of 2-4 s (scaled by {@link TestDeadlines}), for tests that need the leader
     * to stay put across a step (cut it off, hold its followers' answers): with FAST's 300-600 ms a leader's thread
     * starved for 700 ms on a loaded machine lost leadership mid-test. A starved thread can still move leadership
     * here, only much more rarely; tests that can follow it should, rather than rely on this.
     */
    public static final RaftConfig STEADY = FAST.toBuilder()
            .electionTimeoutMs(TestDeadlines.scaled(Duration.ofSeconds(2)).toMillis(),
                    TestDeadlines.scaled(Duration.ofSeconds(4)).toMillis())
            .build();

    private final String clusterId;
    private final RaftConfig config;
    private final Set<String> members = new TreeSet<>();
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final Function<String, Transport> transports;
    private final BiFunction<String, Transport, Transport> wrapTransport;
    private final BiFunction<String, LogAPI, LogAPI> wrapLog;
    private final Supplier<S> stateMachines;
    private final Function<String, SnapshotStore> snapshotStores;
    private final int recentEvents;
    private final long sessionIdleTimeoutMs;
    private final io.raftbus.engine.session.SessionLimits sessionLimits;
    private final java.util.function.LongSupplier logTimeClock;
    private final Map<String, InMemoryLog> logs = new LinkedHashMap<>();
    private final Map<String, S> machines = new LinkedHashMap<>();
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final List<RaftNode> joiners = new ArrayList<>();

    private RaftNodeCluster(Builder<S> b) {
        this.clusterId = b.clusterId;
        this.config = b.config;
        this.transports = b.transports != null ? b.transports : network::transport;
        this.wrapTransport = b.wrapTransport;
        this.wrapLog = b.wrapLog;
        this.stateMachines = b.stateMachines;
        this.snapshotStores = b.snapshotStores;
        this.recentEvents = b.recentEvents;
        this.sessionIdleTimeoutMs = b.sessionIdleTimeoutMs;
        this.sessionLimits = b.sessionLimits;
        this.logTimeClock = b.logTimeClock;
        for (int i = 1; i <= b.size; i++) {
            members.add("n" + i);
        }
        for (String id : members) {
            logs.put(id, new InMemoryLog());
            nodes.put(id, build(id));
        }
    }

    /** A builder of {@code size} nodes, each applying to a new state machine from {@code stateMachines}. */
    public static <S extends StateMachine> Builder<S> builder(int size, Supplier<S> stateMachines) {
        return new Builder<>(size, stateMachines);
    }

    private RaftNode build(String id) {
        S machine = stateMachines.get();
        machines.put(id, machine);
        return RaftNode.builder()
                .nodeId(id)
                .members(members)
                .clusterId(clusterId)
                .config(config)
                .transport(wrapTransport.apply(id, transports.apply(id)))
                .log(wrapLog.apply(id, logs.get(id)))
                .stateMachine(machine)
                .snapshotStore(snapshotStores == null ? null : snapshotStores.apply(id))
                .randomSeed(id.hashCode())
                .recentEvents(recentEvents)
                .sessions(sessionIdleTimeoutMs)
                .sessionLimits(sessionLimits)
                .logTimeClock(logTimeClock)
                .build();
    }

    /** Starts every node; returns this cluster. */
    public RaftNodeCluster<S> start() {
        nodes.values().forEach(RaftNode::start);
        return this;
    }

    /**
     * Closes node {@code id} (a no-op if it crashed) and starts a new node in its place over the same (reopened) log,
     * a new state machine (which the node rebuilds from its latest snapshot, if it has a store, and the log) and a new
     * transport, wrapped as at the start.
     */
    public RaftNode restart(String id) {
        nodes.get(id).close();
        logs.get(id).reopen();
        RaftNode node = build(id);
        nodes.put(id, node);
        node.start();
        return node;
    }

    /** Node {@code id}'s in-memory log (unwrapped), for tests that inspect it. */
    public InMemoryLog log(String id) {
        return Objects.requireNonNull(logs.get(id), () -> "no node " + id + " in " + members);
    }

    /** The node {@code id} now (a restart replaces it). */
    public RaftNode node(String id) {
        return Objects.requireNonNull(nodes.get(id), () -> "no node " + id + " in " + members);
    }

    /** Every node, by id, in id order: a live view. */
    public Map<String, RaftNode> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** The state machine node {@code id} applies to now (a restart gives it a new one). */
    public S stateMachine(String id) {
        return machines.get(id);
    }

    /** The network the default transports are on; other endpoints (a test client) can join it. */
    public InMemoryNetwork network() {
        return network;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The other nodes' ids, in id order. */
    public List<String> followers(RaftNode leader) {
        List<String> out = new ArrayList<>(nodes.keySet());
        out.remove(leader.nodeId());
        return out;
    }

    /** Waits at most {@code timeout} until one node leads and every other follows it in the same term. */
    public RaftNode awaitLeader(Duration timeout) {
        return awaitLeader(nodes.keySet(), timeout);
    }

    /** Waits at most {@code timeout} until one of {@code among} leads and the others of them follow it. */
    public RaftNode awaitLeader(Collection<String> among, Duration timeout) {
        List<String> ids = List.copyOf(among);
        return nodes.get(Await.value("a leader agreed on by " + ids, () -> agreedLeader(ids), timeout));
    }

    private String agreedLeader(Collection<String> among) {
        RaftStatus leader = null;
        for (String id : among) {
            RaftStatus s = nodes.get(id).status();
            if (s.isLeader()) {
                if (leader != null) {
                    return null;
                }
                leader = s;
            }
        }
        if (leader == null) {
            return null;
        }
        for (String id : among) {
            RaftStatus s = nodes.get(id).status();
            if (s.term() != leader.term() || !leader.nodeId().equals(s.leaderId())) {
                return null;
            }
        }
        return leader.nodeId();
    }

    /**
     * Builds and starts node {@code id} in join mode ({@code RaftNode.Builder.join(true)}): it knows this cluster's
     * members, id and config, has a fresh in-memory log, applies to {@code stateMachine}, talks over a transport
     * made as the cluster's are, and waits to be added ({@code addLearner}, {@code addMember}). It is not one of
     * {@link #nodes()}, but {@link #leaderOfHighestTerm()} counts it and {@link #close()} closes it first.
     */
    public RaftNode startJoiner(String id, StateMachine stateMachine) {
        return startJoiner(id, stateMachine, transports.apply(id));
    }

    /** As {@link #startJoiner(String, StateMachine)}, over {@code transport}. */
    public RaftNode startJoiner(String id, StateMachine stateMachine, Transport transport) {
        RaftNode joiner = RaftNode.builder()
                .nodeId(id)
                .members(members)
                .join(true)
                .clusterId(clusterId)
                .config(config)
                .transport(transport)
                .log(new InMemoryLog())
                .stateMachine(stateMachine)
                .randomSeed(id.hashCode())
                .build();
        joiners.add(joiner);
        joiner.start();
        return joiner;
    }

    /**
     * The node, among {@link #nodes()} and the joiners, that leads in the highest term, if any leads now (a deposed
     * leader may still think it leads in an older term).
     */
    public Optional<RaftNode> leaderOfHighestTerm() {
        List<RaftNode> all = new ArrayList<>(nodes.values());
        all.addAll(joiners);
        return all.stream().filter(n -> n.status().isLeader()).max(Comparator.comparingLong(n -> n.status().term()));
    }

    /** Closes every joiner, then every node (and with each its transport and log). */
    @Override
    public void close() {
        joiners.forEach(RaftNode::close);
        nodes.values().forEach(RaftNode::close);
    }

    /**
     * Builds a {@link RaftNodeCluster}. Defaults: cluster id {@code test-cluster}, {@link #FAST}, transports on the
     * cluster's in-memory network, nothing wrapped.
     */
    public static final class Builder<S extends StateMachine> {
        private final int size;
        private final Supplier<S> stateMachines;
        private String clusterId = "test-cluster";
        private RaftConfig config = FAST;
        private Function<String, Transport> transports;
        private BiFunction<String, Transport, Transport> wrapTransport = (id, transport) -> transport;
        private BiFunction<String, LogAPI, LogAPI> wrapLog = (id, log) -> log;
        private Function<String, SnapshotStore> snapshotStores;
        private int recentEvents = RaftNode.Builder.DEFAULT_RECENT_EVENTS;
        private long sessionIdleTimeoutMs;
        private io.raftbus.engine.session.SessionLimits sessionLimits = io.raftbus.engine.session.SessionLimits.DEFAULTS;
        private java.util.function.LongSupplier logTimeClock = System::currentTimeMillis;

        private Builder(int size, Supplier<S> stateMachines) {
            if (size < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
            }
            this.size = size;
            this.stateMachines = Objects.requireNonNull(stateMachines, "stateMachines");
        }

        public Builder<S> clusterId(String clusterId) {
            this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
            return this;
        }

        public Builder<S> config(RaftConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Builds each node's transport (given its id) instead of joining the in-memory network. */
        public Builder<S> transports(Function<String, Transport> transports) {
            this.transports = Objects.requireNonNull(transports, "transports");
            return this;
        }

        /** Wraps each node's transport (given its id and the transport); also on a restart. */
        public Builder<S> wrapTransports(BiFunction<String, Transport, Transport> wrap) {
            this.wrapTransport = Objects.requireNonNull(wrap, "wrap");
            return this;
        }

        /** Wraps each node's in-memory log (given its id and the log); also on a restart. */
        public Builder<S> wrapLogs(BiFunction<String, LogAPI, LogAPI> wrap) {
            this.wrapLog = Objects.requireNonNull(wrap, "wrap");
            return this;
        }

        /**
         * Gives each node the snapshot store {@code open} returns for its id, asked again at each restart (the node
         * closes its store when it stops, so return one over the same storage).
         */
        /**
         * Client sessions on every node ({@link RaftNode.Builder#sessions}), log time stamped from {@code logTimeClock}
         * (a test can move it by hand).
         */
        public Builder<S> sessions(long idleTimeoutMs, java.util.function.LongSupplier logTimeClock) {
            this.sessionIdleTimeoutMs = idleTimeoutMs;
            this.logTimeClock = Objects.requireNonNull(logTimeClock, "logTimeClock");
            return this;
        }

        /** The caps of every node's session table ({@link RaftNode.Builder#sessionLimits}). */
        public Builder<S> sessionLimits(io.raftbus.engine.session.SessionLimits limits) {
            this.sessionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** How many recent events each node keeps ({@link RaftNode.Builder#recentEvents(int)}); off by default. */
        public Builder<S> recentEvents(int capacity) {
            this.recentEvents = capacity;
            return this;
        }

        public Builder<S> snapshotStores(Function<String, SnapshotStore> open) {
            this.snapshotStores = Objects.requireNonNull(open, "open");
            return this;
        }

        /** Gives each node an {@link InMemorySnapshotStore}, kept (and reopened) across its restarts. */
        public Builder<S> memorySnapshots() {
            Map<String, InMemorySnapshotStore> stores = new HashMap<>();
            return snapshotStores(id -> stores.computeIfAbsent(id, x -> new InMemorySnapshotStore()).reopen());
        }

        /** Gives each node a {@link FileSnapshotStore} in {@code root/<node id>}. */
        public Builder<S> fileSnapshots(Path root) {
            Objects.requireNonNull(root, "root");
            return snapshotStores(id -> {
                try {
                    return FileSnapshotStore.open(root.resolve(id));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** The nodes, built but not started ({@link RaftNodeCluster#start()}). */
        public RaftNodeCluster<S> build() {
            return new RaftNodeCluster<>(this);
        }
    }
}
