package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.session.RaftClient;
import io.raftbus.engine.session.SessionExpiredException;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.it.linearizability.CheckResult;
import io.raftbus.it.linearizability.HistoryRecorder;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvModel;
import io.raftbus.it.linearizability.KvOutput;
import io.raftbus.it.linearizability.LinearizabilityChecker;
import io.raftbus.it.linearizability.Operation;
import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.KafkaSqliteBackend;
import io.raftbus.it.support.KvCodec;
import io.raftbus.it.support.NodeProcess;
import io.raftbus.it.support.ScenarioBase;
import io.raftbus.kafka.KafkaTransport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client sessions over the real broker: three nodes, each its own OS process running client sessions, and external
 * {@link RaftClient}s (put, get, cas, del; a third of them cas; a get is a linearizable read, no log entry) that
 * retry every command with the same session and seq until it has its result, while a nemesis kills the leader (SIGKILL, then a restart on its log) and pauses it
 * (SIGSTOP, then SIGCONT: it wakes up as a deposed leader), twice each. A command is one operation of the history
 * however many attempts it took; the history must be linearizable, and no cas may report as failed a value that was
 * in fact written (which is what a second application of a retried cas would answer). Faults advance on the
 * clients' progress, not on timers.
 */
class ClientSessionLinearizabilityTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSessionLinearizabilityTest.class);
    private static final int CLIENTS = 3;
    private static final int KEYS = 3;
    private static final int OPS_PER_PHASE = 40;
    /** Session idle timeout in log time: far longer than the test, so no session expires. */
    private static final long SESSION_IDLE_TIMEOUT_MS = 10 * 60 * 1000L;
    /** A command's bound (all its attempts); past it, its outcome is recorded as unknown. */
    private static final long OP_TIMEOUT_MS = TestDeadlines.seconds(30).toMillis();
    /** Silence after which a client tries the next member. */
    private static final long ATTEMPT_TIMEOUT_MS = TestDeadlines.seconds(2).toMillis();
    private static final Duration CHECK_BUDGET = TestDeadlines.seconds(120);

    private final Map<String, NodeProcess> nodes = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unexpected = new AtomicInteger();

    @Test
    void casWithRetriesUnderLeaderKillsAndPausesIsLinearizableWithEachCommandAppliedOnce() throws Exception {
        String clusterId = KAFKA.uniqueName("s");
        Set<String> members = ClusterHarness.memberIds(3);
        for (String id : members) {
            launch(clusterId, id, members);
        }
        awaitLeader();
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            RaftClient client = closeAfter(RaftClient.open(new KafkaTransport(KafkaSqliteBackend.transportConfig(
                            KAFKA.bootstrapServers(), clusterId, members)), "client-" + c, clusterId, members,
                    OP_TIMEOUT_MS, ATTEMPT_TIMEOUT_MS).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            int id = c;
            Thread t = new Thread(() -> runClient(id, client, recorder, completed, running), "session-client-" + c);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
        try {
            awaitProgress(completed);
            for (int round = 0; round < 2; round++) {
                String leader = awaitLeader();
                LOG.info("nemesis: SIGKILL leader {}", leader);
                nodes.remove(leader).kill();
                awaitProgress(completed);
                LOG.info("nemesis: restart {}", leader);
                launch(clusterId, leader, members);
                awaitProgress(completed);

                String leader2 = awaitLeader();
                LOG.info("nemesis: SIGSTOP leader {}", leader2);
                paused.add(leader2);
                nodes.get(leader2).pause();
                awaitProgress(completed);
                LOG.info("nemesis: SIGCONT {}", leader2);
                nodes.get(leader2).resume();
                paused.remove(leader2);
                awaitProgress(completed);
            }
        } finally {
            running.set(false);
            paused.forEach(id -> nodes.get(id).resume());
            for (Thread t : clients) {
                t.join(OP_TIMEOUT_MS * 2);
            }
        }

        List<Operation<KvInput, KvOutput>> history = recorder.history();
        long pending = history.stream().filter(Operation::pending).count();
        long begin = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(CHECK_BUDGET).check(new KvModel(), history);
        long casOverAnAttempt = history.stream().filter(op -> !op.pending() && op.input().kind() == KvInput.Kind.CAS
                && op.returnNanos() - op.callNanos() > TimeUnit.MILLISECONDS.toNanos(ATTEMPT_TIMEOUT_MS)).count();
        LOG.info("{} operations ({} with unknown outcome, {} unexpected errors; {} cas answered only after more than"
                + " one attempt's silence, i.e. retried) checked in {} ms: {}", history.size(), pending,
                unexpected.get(), casOverAnAttempt, (System.nanoTime() - begin) / 1_000_000, result.verdict());
        assertThat(history.size()).isGreaterThan(OPS_PER_PHASE * 9);
        assertThat(unexpected.get()).as("errors other than an unknown outcome").isZero();
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
        assertThat(casFailuresOfValuesThatWereWritten(history)).isEmpty();
    }

    /**
     * Failed cas operations whose new value a get later saw: values are unique per operation, so only that cas can
     * have written it; it was applied, and then "failed" (a second application finding its own value).
     */
    private static List<Operation<KvInput, KvOutput>> casFailuresOfValuesThatWereWritten(
            List<Operation<KvInput, KvOutput>> history) {
        Set<String> read = history.stream().filter(op -> !op.pending() && op.input().kind() == KvInput.Kind.GET)
                .map(op -> op.output().value()).collect(Collectors.toSet());
        return history.stream().filter(op -> !op.pending() && op.input().kind() == KvInput.Kind.CAS
                && !op.output().ok() && read.contains(op.input().value())).toList();
    }

    private void launch(String clusterId, String id, Set<String> members) {
        nodes.put(id, closeAfter(NodeProcess.launch(KAFKA.bootstrapServers(), clusterId, id, members,
                dir.resolve(id + ".db"), dir.resolve(id + ".out"), SESSION_IDLE_TIMEOUT_MS)));
    }

    /** The leader of the highest term among running, unpaused nodes, once there is one. */
    private String awaitLeader() {
        Await.until("a leader among " + nodes.keySet() + " (paused: " + paused + ")", PATIENCE,
                () -> leader().isPresent(), this::describe);
        return leader().orElseThrow();
    }

    private Optional<String> leader() {
        return nodes.entrySet().stream()
                .filter(e -> !paused.contains(e.getKey()) && e.getValue().isAlive() && e.getValue().status() != null
                        && "LEADER".equals(e.getValue().status().role()))
                .max(Comparator.comparingLong(e -> e.getValue().status().term())).map(Map.Entry::getKey);
    }

    private String describe() {
        Map<String, Object> state = new HashMap<>();
        nodes.forEach((id, n) -> state.put(id, n.isAlive() ? n.status() : "dead"));
        return state + " paused " + paused;
    }

    private void awaitProgress(AtomicInteger completed) {
        int from = completed.get();
        Await.until(OPS_PER_PHASE + " more operations", TestDeadlines.seconds(180),
                () -> completed.get() >= from + OPS_PER_PHASE, this::describe);
    }

    private void runClient(int client, RaftClient raft, HistoryRecorder<KvInput, KvOutput> recorder,
            AtomicInteger completed, AtomicBoolean running) {
        Random random = new Random(client * 7919L);
        Map<String, String> lastSeen = new HashMap<>();
        Set<String> keys = new HashSet<>();
        int written = 0;
        while (running.get()) {
            String key = "k" + random.nextInt(KEYS);
            keys.add(key);
            String value = "c" + client + "-" + written++;
            KvInput input = switch (random.nextInt(10)) {
                case 0, 1 -> KvInput.put(key, value);
                case 2, 3, 4 -> KvInput.get(key);
                case 5, 6, 7 -> KvInput.cas(key, lastSeen.get(key), value); // often the current value: it applies
                default -> KvInput.del(key);
            };
            int id = recorder.invoke(client, input);
            try {
                byte[] encoded = KvCodec.encode(input);
                // a get is a linearizable read (ReadIndex on the leader, no log entry); the rest are session commands
                KvOutput output = KvCodec.decodeOutput((input.kind() == KvInput.Kind.GET ? raft.read(encoded)
                        : raft.submit(encoded)).get());
                recorder.ok(id, output);
                completed.incrementAndGet();
                switch (input.kind()) {
                    case PUT -> lastSeen.put(key, value);
                    case GET -> lastSeen.put(key, output.value());
                    case CAS -> {
                        if (output.ok()) {
                            lastSeen.put(key, value);
                        } else {
                            lastSeen.remove(key); // unknown now: the next cas expects an absent key
                        }
                    }
                    case DEL -> lastSeen.remove(key);
                }
            } catch (ExecutionException e) {
                recorder.unknown(id); // every failure of a session command leaves its outcome open, at most once
                Throwable cause = e.getCause();
                // a read not served changed nothing; recording it as open is harmless for the checker
                if (!(cause instanceof CommandOutcomeUnknownException || cause instanceof ReadNotServedException)) {
                    unexpected.incrementAndGet();
                    LOG.warn("client {}: {} failed unexpectedly", client, input, cause);
                }
                if (cause instanceof SessionExpiredException) {
                    return;
                }
            } catch (InterruptedException e) {
                recorder.unknown(id);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
