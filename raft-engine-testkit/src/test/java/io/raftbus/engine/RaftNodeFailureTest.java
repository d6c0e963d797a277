package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a node reacts when the application's state machine or its log fails. */
class RaftNodeFailureTest {

    private RaftNode node;

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aStateMachineFailureStopsTheNodeWithoutSkippingTheEntry() {
        RecordingStateMachine recording = new RecordingStateMachine();
        IllegalStateException bug = new IllegalStateException("application bug");
        StateMachine failing = (index, command) -> {
            if (new String(command, StandardCharsets.UTF_8).equals("boom")) {
                throw bug;
            }
            return recording.apply(index, command);
        };
        InMemoryLog log = new InMemoryLog();
        node = singleNode(failing, log);
        CompletableFuture<RaftException> reported = new CompletableFuture<>();
        node.addListener(new RaftListener() {
            @Override
            public void onFatalError(String nodeId, RaftException error) {
                reported.complete(error);
            }
        });
        node.start();
        Await.until("the single node to lead", () -> node.status().isLeader());
        Await.result(node.submit(bytes("ok")), DEADLINE);
        assertTrue(node.fatalError().isEmpty());

        Throwable failure = Await.failure(node.submit(bytes("boom")), DEADLINE);

        RaftException stopped = Await.result(reported, DEADLINE);
        assertSame(bug, stopped.getCause(), "listeners hear why the node stopped");
        assertSame(stopped, node.fatalError().orElseThrow());

        assertSame(RaftException.class, failure.getClass());
        assertSame(bug, failure.getCause());
        assertTrue(failure.getMessage().contains("state machine"), failure.getMessage());
        Throwable later = Await.failure(node.submit(bytes("after")), DEADLINE);
        assertInstanceOf(NodeClosedException.class, later);
        assertSame(bug, later.getCause().getCause());
        assertEquals(List.of("ok"), recording.applied());
        Await.until("the stopped node to close its log", () -> isClosed(log));
    }

    @Test
    void aFailingLogAppendFailsTheCommandsButNotTheNode() {
        FlakyLog log = new FlakyLog();
        RecordingStateMachine machine = new RecordingStateMachine();
        node = singleNode(machine, log);
        node.start();
        Await.until("the single node to lead", () -> node.status().isLeader());

        log.failAppends = true;
        Throwable failure = Await.failure(node.submit(bytes("lost")), DEADLINE);
        assertInstanceOf(CommandNotAppendedException.class, failure, "certainly not applied: safe to retry");
        assertTrue(failure.getMessage().contains("could not append"), failure.getMessage());

        log.failAppends = false;
        assertEquals("1", new String(Await.result(node.submit(bytes("kept")), DEADLINE), StandardCharsets.UTF_8));
        assertEquals(List.of("kept"), machine.applied());
        assertTrue(node.status().isLeader());
    }

    @Test
    void aLogThatFailsPermanentlyStopsTheNode() {
        FailStopLog log = new FailStopLog();
        RecordingStateMachine machine = new RecordingStateMachine();
        node = singleNode(machine, log);
        CompletableFuture<RaftException> reported = reportFatal(node);
        node.start();
        Await.until("the single node to lead", () -> node.status().isLeader());
        Await.result(node.submit(bytes("ok")), DEADLINE);

        log.stop();
        Throwable lost = Await.failure(node.submit(bytes("lost")), DEADLINE);

        RaftException stopped = Await.result(reported, DEADLINE);
        assertSame(log.failure, stopped.getCause(), "listeners hear the log's failure");
        assertTrue(stopped.getMessage().contains("log failed permanently"), stopped.getMessage());
        assertSame(stopped, node.fatalError().orElseThrow());
        // the failed write may survive a restart: not "certainly not applied"
        assertInstanceOf(RaftException.class, lost);
        assertFalse(lost instanceof RetriableCommandException, lost.toString());
        assertSame(log.failure, lost.getCause());
        Throwable later = Await.failure(node.submit(bytes("after")), DEADLINE);
        assertInstanceOf(NodeClosedException.class, later);
        assertSame(stopped, later.getCause());
        assertEquals(List.of("ok"), machine.applied());
        Await.until("the stopped node to close its log", () -> log.closed);
    }

    @Test
    void aStateMachineThatMeetsAPermanentLogFailureStopsTheNodeNamingTheLog() {
        LogException storageGone = new LogException("I/O error (simulated) in the shared database", null, true);
        StateMachine sharingTheLogsStorage = (index, command) -> {
            throw storageGone;
        };
        node = singleNode(sharingTheLogsStorage, new InMemoryLog());
        CompletableFuture<RaftException> reported = reportFatal(node);
        node.start();
        Await.until("the single node to lead", () -> node.status().isLeader());

        Throwable failure = Await.failure(node.submit(bytes("x")), DEADLINE);

        RaftException stopped = Await.result(reported, DEADLINE);
        assertSame(storageGone, stopped.getCause());
        assertTrue(stopped.getMessage().contains("log failed permanently"), stopped.getMessage());
        assertSame(storageGone, failure.getCause());
    }

    @Test
    void aFollowerWhoseLogFailsPermanentlyStopsAndTheOthersCarryOn() {
        InMemoryNetwork network = new InMemoryNetwork();
        Set<String> members = Set.of("n1", "n2", "n3");
        Map<String, FailStopLog> logs = new TreeMap<>();
        Map<String, RaftNode> nodes = new TreeMap<>();
        for (String id : members) {
            logs.put(id, new FailStopLog());
            nodes.put(id, clusterNode(id, members, network, logs.get(id)));
        }
        try {
            nodes.values().forEach(RaftNode::start);
            RaftNode leader = Await.value("a leader", () -> nodes.values().stream()
                    .filter(n -> n.status().isLeader()).findFirst().orElse(null));
            Await.result(Submit.retrying(leader, bytes("before")), DEADLINE);
            String follower = members.stream().filter(id -> !id.equals(leader.nodeId())).sorted().findFirst()
                    .orElseThrow();
            CompletableFuture<RaftException> reported = reportFatal(nodes.get(follower));

            logs.get(follower).stop();
            // the follower meets its failed log when it must store this command; the leader commits it anyway
            Await.result(Submit.retrying(leader, bytes("after")), DEADLINE);

            RaftException stopped = Await.result(reported, DEADLINE);
            assertSame(logs.get(follower).failure, stopped.getCause());
            Await.until("the stopped follower to close its log", () -> logs.get(follower).closed);
            Await.result(Submit.retrying(leader, bytes("later")), DEADLINE);
        } finally {
            nodes.values().forEach(RaftNode::close);
        }
    }

    private static CompletableFuture<RaftException> reportFatal(RaftNode raftNode) {
        CompletableFuture<RaftException> reported = new CompletableFuture<>();
        raftNode.addListener(new RaftListener() {
            @Override
            public void onFatalError(String nodeId, RaftException error) {
                reported.complete(error);
            }
        });
        return reported;
    }

    private static RaftNode clusterNode(String id, Set<String> members, InMemoryNetwork network, LogAPI log) {
        return RaftNode.builder()
                .nodeId(id)
                .members(members)
                .clusterId("failure-cluster")
                .config(RaftNodeCluster.STEADY) // the leader found must stay put: FAST's moved on a loaded machine
                .transport(network.transport(id))
                .log(log)
                .stateMachine(new RecordingStateMachine())
                .randomSeed(id.hashCode())
                .build();
    }

    private static boolean isClosed(LogAPI log) {
        try {
            log.lastIndex();
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }

    private static RaftNode singleNode(StateMachine machine, LogAPI log) {
        return RaftNode.builder()
                .nodeId("solo")
                .members(Set.of("solo"))
                .clusterId("solo-cluster")
                .config(RaftNodeCluster.FAST)
                .transport(new InMemoryNetwork().transport("solo"))
                .log(log)
                .stateMachine(machine)
                .build();
    }

    /**
     * An in-memory log that can be made to stop for good, like a SqliteLog after an I/O error: from then on every
     * call throws the same permanent {@link LogException}.
     */
    private static final class FailStopLog extends ForwardingLog {
        final LogException failure = new LogException("I/O error (simulated); restart the node", null, true);
        private volatile boolean stopped;
        volatile boolean closed;

        FailStopLog() {
            super(new InMemoryLog());
        }

        void stop() {
            stopped = true;
        }

        @Override
        protected LogAPI delegate() {
            if (stopped) {
                throw failure;
            }
            return super.delegate();
        }

        @Override
        public void close() {
            closed = true;
            super.delegate().close();
        }
    }

    /** An in-memory log whose appends can be made to fail (atomically: nothing is appended). */
    private static final class FlakyLog extends ForwardingLog {
        volatile boolean failAppends;

        FlakyLog() {
            super(new InMemoryLog());
        }

        @Override
        public void append(List<LogEntry> entries) {
            if (failAppends) {
                throw new LogException("disk full (simulated)");
            }
            super.append(entries);
        }
    }
}
