package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A tiny test-only multi-core harness on virtual time: every message is delivered in order unless a link is cut or a
 * filter drops it; time advances in fixed steps. No threads, no sleeps.
 */
final class TestCluster {

    static final String CLUSTER = "test-cluster";
    static final long STEP_MS = 10;

    final RaftConfig config;
    final Membership membership;
    final Map<String, InMemoryLog> logs = new LinkedHashMap<>();
    final Map<String, RaftCore> cores = new LinkedHashMap<>();
    final Map<String, List<CommittedEntry>> applied = new LinkedHashMap<>();
    final Map<String, List<ProposalFailure>> failures = new LinkedHashMap<>();
    final Map<String, List<LateAcceptance>> late = new LinkedHashMap<>();
    final ArrayDeque<RaftMessage> inFlight = new ArrayDeque<>();
    final List<RaftMessage> delivered = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final Set<String> down = new HashSet<>();
    private Predicate<RaftMessage> dropFilter = m -> false;
    private final SplittableRandom seeds;
    private final Map<String, RandomGenerator> randoms = new HashMap<>();
    long now;

    TestCluster(RaftConfig config, long seed, String... ids) {
        this.config = config;
        this.membership = Membership.ofVoters(new TreeSet<>(List.of(ids)));
        this.seeds = new SplittableRandom(seed);
        for (String id : ids) {
            logs.put(id, new InMemoryLog());
            start(id);
        }
    }

    /**
     * Runs cores on prebuilt logs with the given randomness. Members of {@code membership} without a log are
     * phantoms: messages to them are lost (a test may answer for them).
     */
    TestCluster(RaftConfig config, Membership membership, Map<String, InMemoryLog> prebuilt,
                Map<String, RandomGenerator> random) {
        this.config = config;
        this.membership = membership;
        this.seeds = new SplittableRandom(0);
        this.randoms.putAll(random);
        for (Map.Entry<String, InMemoryLog> e : prebuilt.entrySet()) {
            logs.put(e.getKey(), e.getValue());
            start(e.getKey());
        }
    }

    static RaftConfig defaultConfig() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).build();
    }

    void start(String id) {
        RandomGenerator random = randoms.containsKey(id) ? randoms.get(id) : seeds.split();
        cores.put(id, new RaftCore(id, CLUSTER, membership, config, logs.get(id), 0, random, now));
        applied.put(id, new ArrayList<>());
        failures.computeIfAbsent(id, k -> new ArrayList<>());
        late.computeIfAbsent(id, k -> new ArrayList<>());
        down.remove(id);
    }

    /** Crash: the core's volatile state is lost, its log kept; messages to it are lost while it is down. */
    void crash(String id) {
        cores.remove(id);
        down.add(id);
    }

    RaftCore core(String id) {
        return cores.get(id);
    }

    /** Cuts both directions between {@code id} and every other node. */
    void isolate(String id) {
        cut.add(id);
    }

    void heal(String id) {
        cut.remove(id);
    }

    void dropWhere(Predicate<RaftMessage> filter) {
        this.dropFilter = filter;
    }

    /** Collects every core's effects and delivers messages until none are left. */
    void drain() {
        for (int rounds = 0; rounds < 100_000; rounds++) {
            collect();
            RaftMessage m = inFlight.pollFirst();
            if (m == null) {
                return;
            }
            if (cut.contains(m.from()) || cut.contains(m.to()) || dropFilter.test(m)) {
                continue;
            }
            RaftCore to = cores.get(m.to());
            if (to != null) {
                delivered.add(m);
                to.receive(m);
            }
        }
        throw new AssertionError("messages never stopped flowing");
    }

    private void collect() {
        for (Map.Entry<String, RaftCore> e : cores.entrySet()) {
            Ready r = e.getValue().ready();
            inFlight.addAll(r.messages());
            applied.get(e.getKey()).addAll(r.committed());
            failures.get(e.getKey()).addAll(r.failures());
            late.get(e.getKey()).addAll(r.lateAcceptances());
        }
    }

    /** Advances virtual time by {@code ms}, ticking every core each step and delivering everything. */
    void advance(long ms) {
        long end = now + ms;
        while (now < end) {
            now = Math.min(end, now + STEP_MS);
            for (RaftCore c : cores.values()) {
                c.tick(now);
            }
            drain();
        }
    }

    /** Advances until some node leads (or fails after {@code maxMs}). */
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

    /** The unique leader of the highest term among live cores, or null. */
    String leader() {
        String best = null;
        long bestTerm = -1;
        for (Map.Entry<String, RaftCore> e : cores.entrySet()) {
            var s = e.getValue().status();
            if (s.role() == Role.LEADER && s.term() > bestTerm && !cut.contains(e.getKey())) {
                best = e.getKey();
                bestTerm = s.term();
            }
        }
        return best;
    }

    List<Long> appliedCommandIndexes(String id) {
        List<Long> out = new ArrayList<>();
        for (CommittedEntry c : applied.get(id)) {
            out.add(c.entry().index());
        }
        return out;
    }
}
