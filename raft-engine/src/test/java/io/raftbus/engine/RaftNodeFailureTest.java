package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testkit.Await;
import io.raftbus.engine.testkit.RecordingStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.raftbus.engine.LocalCluster.DEADLINE;
import static io.raftbus.engine.LocalCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
                .config(LocalCluster.FAST)
                .transport(new InMemoryNetwork().transport("solo"))
                .log(log)
                .stateMachine(machine)
                .build();
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
