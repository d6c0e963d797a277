package io.raftbus.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.session.SessionClient;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RaftMetrics} on a {@link SimpleMeterRegistry}: the documented meters exist and move with the cluster. */
class RaftMetricsTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);
    private static final int COMMANDS = 25;

    private RaftNodeCluster<RecordingStateMachine> cluster;
    private final List<RaftMetrics> binders = new ArrayList<>();

    @AfterEach
    void close() {
        binders.forEach(RaftMetrics::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void registersTheDocumentedMetersTaggedWithNodeAndCluster() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build();
        MeterRegistry registry = new SimpleMeterRegistry();
        bind(cluster.node("n1"), registry);

        Set<String> names = registry.getMeters().stream().map(meter -> meter.getId().getName())
                .collect(Collectors.toSet());
        assertEquals(Set.of("raftbus.role", "raftbus.term", "raftbus.commit.index", "raftbus.applied.index",
                "raftbus.apply.lag", "raftbus.log.last.index", "raftbus.snapshot.index", "raftbus.elections.started",
                "raftbus.elections.won", "raftbus.prevotes.started", "raftbus.leader.changes", "raftbus.role.changes",
                "raftbus.messages.received", "raftbus.messages.sent", "raftbus.messages.dropped",
                "raftbus.forward.answers", "raftbus.commands", "raftbus.reads", "raftbus.backpressure.rejections",
                "raftbus.log.append", "raftbus.log.hardstate"), names);
        for (Meter meter : registry.getMeters()) {
            assertEquals("n1", meter.getId().getTag("node"), meter.getId().toString());
            assertEquals(cluster.clusterId(), meter.getId().getTag("cluster"), meter.getId().toString());
        }
        assertEquals(1.0, registry.get("raftbus.role").tag("role", "FOLLOWER").gauge().value());
        assertEquals(0.0, registry.get("raftbus.role").tag("role", "LEADER").gauge().value());
    }

    @Test
    void valuesMoveAsTheClusterElectsALeaderAndCommits() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build();
        List<MeterRegistry> registries = new ArrayList<>();
        for (RaftNode node : cluster.nodes().values()) {
            MeterRegistry registry = new SimpleMeterRegistry();
            bind(node, registry); // before start: counters are live from the node's construction anyway
            registries.add(registry);
        }
        cluster.start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));
        MeterRegistry atLeader = registryOf(leader, registries);
        MeterRegistry atFollower = registryOf(follower, registries);

        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            futures.add(Submit.retrying(i % 2 == 0 ? leader : follower, ("cmd-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        futures.forEach(f -> Await.result(f, DEADLINE));
        Await.result(Submit.readRetrying(leader, new byte[0]), DEADLINE); // not served while leadership moves

        double won = sum(registries, r -> r.get("raftbus.elections.won").functionCounter().count());
        double started = sum(registries, r -> r.get("raftbus.elections.started").functionCounter().count());
        assertTrue(won >= 1 && started >= won, "won " + won + " of " + started);
        assertTrue(atLeader.get("raftbus.elections.won").functionCounter().count() >= 1);
        for (MeterRegistry r : registries) {
            double roles = r.get("raftbus.role").gauges().stream().mapToDouble(g -> g.value()).sum();
            assertEquals(1.0, roles, "exactly one role is current");
            assertTrue(r.get("raftbus.term").gauge().value() >= 1);
            assertTrue(r.get("raftbus.log.append").timer().count() >= 1, "every node appended entries");
        }
        assertTrue(counter(atLeader.get("raftbus.reads").tag("outcome", "succeeded")) >= 1);
        assertTrue(sum(registries, r -> counter(r.get("raftbus.messages.sent").tag("type", "AppendEntriesRequest")))
                > 0);
        assertTrue(sum(registries, r -> counter(r.get("raftbus.messages.received")
                .tag("type", "AppendEntriesResponse"))) > 0);
        double succeeded = sum(registries, r -> counter(r.get("raftbus.commands").tag("outcome", "succeeded")));
        assertTrue(succeeded >= COMMANDS, "succeeded " + succeeded);
        if (won == 1) { // leadership never moved: the follower forwarded its commands
            assertTrue(counter(atFollower.get("raftbus.messages.sent").tag("type", "CommandRequest")) >= 1);
        }
        Await.until("every node to apply the commands and count a leader change", () -> registries.stream()
                .allMatch(r -> r.get("raftbus.commit.index").gauge().value() >= COMMANDS
                        && r.get("raftbus.applied.index").gauge().value() >= COMMANDS
                        && r.get("raftbus.apply.lag").gauge().value() >= 0
                        && r.get("raftbus.leader.changes").functionCounter().count() >= 1));
    }

    @Test
    void aNodeWithSessionsHasSessionMetersThatCountRegistrationsAndHeldResults() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start();
        RaftNode node = cluster.awaitLeader(DEADLINE);
        MeterRegistry registry = new SimpleMeterRegistry();
        bind(node, registry);

        SessionClient a = Await.result(SessionClient.open(node, DEADLINE.toMillis()), DEADLINE);
        Await.result(SessionClient.open(node, DEADLINE.toMillis()), DEADLINE);
        Await.result(a.submit("x".getBytes(StandardCharsets.UTF_8)), DEADLINE);

        assertEquals(2.0, registry.get("raftbus.sessions.open").gauge().value());
        assertEquals(1.0, registry.get("raftbus.sessions.held.results").gauge().value(), "a's result, unacknowledged");
        assertEquals(2.0, counter(registry.get("raftbus.sessions.replies").tag("reply", "registered")));
        assertEquals(1.0, counter(registry.get("raftbus.sessions.replies").tag("reply", "applied")));
        assertEquals(0.0, counter(registry.get("raftbus.sessions.replies").tag("reply", "unknown_session")));
        assertEquals(0.0, registry.get("raftbus.sessions.expired").functionCounter().count());
        assertEquals(0.0, registry.get("raftbus.sessions.evicted").functionCounter().count());
        for (Meter meter : registry.find("raftbus.sessions.replies").meters()) {
            assertEquals("n1", meter.getId().getTag("node"), meter.getId().toString());
        }
    }

    @Test
    void aNodeWithoutSessionsHasNoSessionMeters() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build();
        MeterRegistry registry = new SimpleMeterRegistry();
        bind(cluster.node("n1"), registry);
        assertTrue(registry.find("raftbus.sessions.open").meters().isEmpty());
    }

    @Test
    void closeRemovesTheMetersAndStopsFeedingTheTimers() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build();
        RaftNode node = cluster.node("n1");
        MeterRegistry registry = new SimpleMeterRegistry();
        RaftMetrics metrics = bind(node, registry);
        Timer append = registry.get("raftbus.log.append").timer();
        node.metrics().logAppend().record(1_000);
        assertEquals(1, append.count());

        metrics.close();
        node.metrics().logAppend().record(1_000);

        assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
        assertEquals(1, append.count());
    }

    private RaftMetrics bind(RaftNode node, MeterRegistry registry) {
        RaftMetrics metrics = new RaftMetrics(node);
        metrics.bindTo(registry);
        binders.add(metrics);
        return metrics;
    }

    private static double sum(List<MeterRegistry> registries, ToDoubleFunction<MeterRegistry> value) {
        return registries.stream().mapToDouble(value).sum();
    }

    private static double counter(RequiredSearch search) {
        return search.functionCounter().count();
    }

    private MeterRegistry registryOf(RaftNode node, List<MeterRegistry> registries) {
        return registries.stream().filter(r -> node.nodeId().equals(
                r.get("raftbus.term").gauge().getId().getTag("node"))).findFirst().orElseThrow();
    }
}
