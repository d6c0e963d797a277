package io.raftbus.engine;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;

/** Shared values and waits for the runtime's tests on a {@link RaftNodeCluster} of recording state machines. */
final class TestNodes {

    static final Duration DEADLINE = TestDeadlines.seconds(30);

    private TestNodes() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until each of {@code ids} has applied at least {@code count} commands. */
    static void awaitApplied(RaftNodeCluster<RecordingStateMachine> cluster, Collection<String> ids, int count) {
        Await.until("nodes " + ids + " to apply " + count + " commands",
                () -> ids.stream().allMatch(id -> cluster.stateMachine(id).size() >= count));
    }
}
