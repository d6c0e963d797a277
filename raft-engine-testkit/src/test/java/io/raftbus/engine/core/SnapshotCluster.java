package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A test-only cluster of cores with snapshot stores on virtual time, with a hand-driven network: each node's state
 * machine is the list of commands it applied (a snapshot is that list, one command per line), snapshots are taken
 * synchronously when a Ready asks, and a snapshot installed from the leader is restored from the store. Messages go
 * in order unless {@link #shuffle} is set; {@link #transform} may drop (null), change or duplicate none of them.
 */
final class SnapshotCluster {

    static final String CLUSTER = TestCluster.CLUSTER;
    static final long STEP_MS = 10;

    /** One node: its durable log and store (kept across a crash), its core and applied state. */
    static final class Node {
        final String id;
        final InMemoryLog log = new InMemoryLog();
        final InMemorySnapshotStore store = new InMemorySnapshotStore();
        RaftCore core;
        List<String> state = new ArrayList<>();
        long lastApplied;
        int restores;
        /** Snapshot requests not taken (when {@link #autoSnapshot} is off). */
        final List<SnapshotRequest> requests = new ArrayList<>();
        boolean autoSnapshot = true;
        /** Local proposals that failed. */
        final List<ProposalFailure> failures = new ArrayList<>();
        /** Local proposals that completed: their entry was committed and handed out here. */
        final List<Long> completed = new ArrayList<>();
        /** The membership the node was started with (a node that joins later knows the cluster without itself). */
        Membership start;

        Node(String id) {
            this.id = id;
        }
    }

    final RaftConfig config;
    final Membership membership;
    final Map<String, Node> nodes = new TreeMap<>();
    final LinkedList<RaftMessage> inFlight = new LinkedList<>();
    final Set<String> isolated = new HashSet<>();
    /** Applied to each message when delivered: may return another, or null to drop it. */
    UnaryOperator<RaftMessage> transform = UnaryOperator.identity();
    /** Told of every message a core emits. */
    Consumer<RaftMessage> onSend = m -> { };
    /** Told of every message delivered. */
    Consumer<RaftMessage> onDeliver = m -> { };
    /** If set, the next message delivered is picked at random (reordering). */
    SplittableRandom shuffle;
    long now;
    private long proposalIds;

    /** Nodes named {@code ids}; the first times out first, so it leads term 1. */
    SnapshotCluster(RaftConfig config, String... ids) {
        this.config = config;
        this.membership = Membership.ofVoters(new TreeSet<>(List.of(ids)));
        for (int i = 0; i < ids.length; i++) {
            Node n = new Node(ids[i]);
            n.start = membership;
            nodes.put(ids[i], n);
            n.core = new RaftCore(ids[i], CLUSTER, membership, config, n.log, n.store, 0,
                    Fixtures.fixedTimeout(i * 60L), now);
        }
    }

    Node node(String id) {
        return nodes.get(id);
    }

    RaftCore core(String id) {
        return nodes.get(id).core;
    }

    /** Crash: the core and applied state are gone; log and store stay; writers not committed are discarded. */
    void crash(String id) {
        Node n = nodes.get(id);
        n.core = null;
        n.store.crash();
    }

    /**
     * Restarts {@code id} as a process would: writers not committed are gone, the log is reconciled with the store,
     * and the state machine is restored from the latest snapshot (or empty) and replays the log after it.
     */
    void restart(String id, java.util.random.RandomGenerator random) {
        Node n = nodes.get(id);
        n.store.crash();
        java.util.Optional<SnapshotInfo> latest = SnapshotRecovery.reconcile(id, n.log, n.store);
        try {
            n.state = latest.isPresent() ? decode(n.store.open(latest.get()).readAllBytes()) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        n.lastApplied = latest.map(SnapshotInfo::index).orElse(0L);
        n.core = new RaftCore(id, CLUSTER, n.start, config, n.log, n.store, n.lastApplied, random, now);
    }

    /**
     * Starts a new node {@code id} with an empty log and store, knowing the cluster as {@code start} (without itself:
     * it waits to be added); its election timeout is the minimum plus {@code timeoutOffset}.
     */
    Node addNode(String id, Membership start, long timeoutOffset) {
        Node n = new Node(id);
        n.start = start;
        nodes.put(id, n);
        n.core = new RaftCore(id, CLUSTER, start, config, n.log, n.store, 0, Fixtures.fixedTimeout(timeoutOffset),
                now);
        return n;
    }

    /** Proposes a membership change of {@code target} on {@code leader}; returns the proposal's id. */
    long change(String leader, MembershipChange.Kind kind, String target) {
        long id = ++proposalIds;
        core(leader).changeMembership(id, new MembershipChange(kind, target));
        return id;
    }

    /** Submits a command of about {@code bytes} bytes to {@code id}, named {@code name}. */
    void submit(String id, String name, int bytes) {
        StringBuilder b = new StringBuilder(name).append('-');
        while (b.length() < bytes) {
            b.append('x');
        }
        core(id).submit(++proposalIds, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Collects every core's effects and delivers messages until none are left. */
    void drain() {
        for (int rounds = 0; rounds < 200_000; rounds++) {
            collect();
            if (inFlight.isEmpty()) {
                return;
            }
            RaftMessage m = shuffle == null ? inFlight.pollFirst() : inFlight.remove(shuffle.nextInt(inFlight.size()));
            if (isolated.contains(m.from()) || isolated.contains(m.to())) {
                continue;
            }
            Node to = nodes.get(m.to());
            RaftMessage delivered = transform.apply(m);
            if (to == null || to.core == null || delivered == null) {
                continue;
            }
            onDeliver.accept(delivered);
            to.core.receive(delivered);
        }
        throw new AssertionError("messages never stopped flowing");
    }

    /** Advances virtual time by {@code ms}, ticking every core each step and delivering everything. */
    void advance(long ms) {
        long end = now + ms;
        while (now < end) {
            now = Math.min(end, now + STEP_MS);
            for (Node n : nodes.values()) {
                if (n.core != null) {
                    n.core.tick(now);
                }
            }
            drain();
        }
    }

    /** Advances until some node leads. */
    String awaitLeader(long maxMs) {
        long end = now + maxMs;
        while (now < end) {
            advance(STEP_MS);
            String leader = leader();
            if (leader != null) {
                return leader;
            }
        }
        throw new AssertionError("no leader within " + maxMs + " ms");
    }

    /** The leader of the highest term among live, connected nodes, or null. */
    String leader() {
        String best = null;
        long bestTerm = -1;
        for (Node n : nodes.values()) {
            if (n.core != null && !isolated.contains(n.id) && n.core.status().role() == Role.LEADER
                    && n.core.status().term() > bestTerm) {
                best = n.id;
                bestTerm = n.core.status().term();
            }
        }
        return best;
    }

    private void collect() {
        boolean more = true;
        while (more) {
            more = false;
            for (Node n : nodes.values()) {
                if (n.core == null) {
                    continue;
                }
                handle(n, n.core.ready());
                more |= n.core.hasCommittedToHandOut();
            }
        }
    }

    private void handle(Node n, Ready r) {
        for (RaftMessage m : r.messages()) {
            onSend.accept(m);
            inFlight.addLast(m);
        }
        if (r.snapshotToRestore() != null) {
            SnapshotInfo info = r.snapshotToRestore();
            try {
                n.state = decode(n.store.open(info).readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            n.lastApplied = info.index();
            n.restores++;
        }
        for (CommittedEntry c : r.committed()) {
            if (c.entry().index() != n.lastApplied + 1) {
                throw new AssertionError(n.id + " applies " + c.entry().index() + " after " + n.lastApplied);
            }
            if (c.entry().type() == EntryType.COMMAND) {
                n.state.add(new String(c.entry().payload(), StandardCharsets.UTF_8));
            }
            for (Waiter w : c.waiters()) {
                if (w instanceof Waiter.Local local) {
                    n.completed.add(local.proposalId());
                }
            }
            n.lastApplied = c.entry().index();
        }
        n.failures.addAll(r.failures());
        if (r.snapshotToTake() != null) {
            if (n.autoSnapshot) {
                take(n, r.snapshotToTake());
            } else {
                n.requests.add(r.snapshotToTake());
            }
        }
    }

    /** Writes {@code n}'s state now as the snapshot asked for, and reports it taken. */
    static SnapshotInfo take(Node n, SnapshotRequest req) {
        try {
            SnapshotWriter w = n.store.create(req.index(), req.term(), req.membership());
            w.stream().write(encode(n.state));
            SnapshotInfo info = w.commit();
            n.core.snapshotTaken(info);
            return info;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(List<String> state) {
        return String.join("\n", state).getBytes(StandardCharsets.UTF_8);
    }

    static List<String> decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(s.split("\n")));
    }
}
