package io.raftbus.sqlite.example;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What the ledger cluster tests do to their nodes: find the leader, and submit a command to it. */
final class LedgerNodes {

    private LedgerNodes() {
    }

    /** The node that leads now, waiting for one. */
    static RaftNode leader(Map<String, RaftNode> nodes) {
        return Await.value("a leader", () -> nodes.values().stream().filter(n -> n.status().isLeader())
                .findFirst().orElse(null));
    }

    /**
     * Submits to the current leader, retrying only when the failure proves the command was not applied (a leader
     * change on a loaded machine), so that a retry cannot apply it twice.
     */
    static String submit(Map<String, RaftNode> nodes, LedgerCommand command) throws Exception {
        long deadline = System.nanoTime() + TestDeadlines.seconds(60).toNanos();
        while (true) {
            try {
                byte[] result = leader(nodes).submit(command.encode())
                        .get(TestDeadlines.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
                return new String(result, StandardCharsets.UTF_8);
            } catch (ExecutionException e) {
                boolean notApplied = e.getCause() instanceof NotLeaderException
                        || e.getCause() instanceof BackpressureException
                        || e.getCause() instanceof CommandNotCommittedException;
                if (!notApplied || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
