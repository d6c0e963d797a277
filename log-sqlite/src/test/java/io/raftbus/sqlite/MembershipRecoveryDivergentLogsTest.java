package io.raftbus.sqlite;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Survivors whose logs differ (uncommitted suffixes of different leaders) are rewritten with the same members and
 * recovery term, restarted, and must end with one log: the AppendEntries consistency check must never match a
 * survivor's recovery entry against a different entry of the winner. Both scenarios break a naive rewrite: a CONFIG
 * entry in the log's last term lets the shorter survivor's entry 9@2 pass for the winner's command 9@2; one in a
 * shared fresh term lets survivors ending 7@3 and 7@2 both write 8@T, so the loser keeps its own entry 7.
 */
class MembershipRecoveryDivergentLogsTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(300, 600)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .build();
    private static final Set<String> OLD_MEMBERS = Set.of("n1", "n2", "n3");
    private static final Membership SURVIVORS = Membership.ofVoters(Set.of("n1", "n2"));

    @TempDir
    Path dir;

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final List<RaftNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(RaftNode::close);
    }

    /** n1 holds 6..8 of term 2, n2 holds 6..10 of term 2: n2's log wins, n1's recovery entry 9 is overwritten. */
    @Test
    void aSurvivorBehindInTheSameTermTakesTheOthersLog() {
        write("n1", 2, entries(1, 5, 1, "a"), entries(6, 8, 2, "b"));
        write("n2", 2, entries(1, 5, 1, "a"), entries(6, 10, 2, "b"));

        List<LogEntry> agreed = recoverRestartAndCommit("n2");

        assertEquals(List.of(2L, 2L, 2L, 2L, 2L), terms(agreed, 6, 10), "n2's commands of term 2 at 6..10");
    }

    /** n1 ends 7@3, n2 ends 7@2 (two leaders' uncommitted entries at one index): n1's log wins. */
    @Test
    void survivorsEndingAtOneIndexInDifferentTermsEndWithTheNewerLog() {
        write("n1", 3, entries(1, 5, 1, "a"), entries(6, 6, 2, "b"), entries(7, 7, 3, "c"));
        write("n2", 3, entries(1, 5, 1, "a"), entries(6, 6, 2, "b"), entries(7, 7, 2, "d"));

        List<LogEntry> agreed = recoverRestartAndCommit("n1");

        assertEquals(3, agreed.get(6).term(), "n1's entry 7@3");
    }

    /**
     * Recovers both survivors into {n1, n2} with one recovery term, restarts them, waits for a leader to commit a
     * command on both, stops them, and returns their log, which must be the same on both; {@code winner} must lead.
     */
    private List<LogEntry> recoverRestartAndCommit(String winner) {
        long term = 1 + Math.max(currentTerm("n1"), currentTerm("n2"));
        MembershipRecovery.recover(db("n1"), SURVIVORS, OptionalLong.of(term), Optional.empty());
        MembershipRecovery.recover(db("n2"), SURVIVORS, OptionalLong.of(term), Optional.empty());
        RecordingStateMachine m1 = new RecordingStateMachine();
        RecordingStateMachine m2 = new RecordingStateMachine();
        RaftNode n1 = start("n1", m1);
        RaftNode n2 = start("n2", m2);
        RaftNode leader = Await.value("a leader", () -> n1.status().isLeader() ? n1
                : n2.status().isLeader() ? n2 : null, DEADLINE);
        assertEquals(winner, leader.nodeId(), "the survivor with the more up-to-date log leads");
        Await.result(leader.submit("new".getBytes(StandardCharsets.UTF_8)), DEADLINE);
        Await.until("both to apply the new command", () -> m1.applied().contains("new")
                && m2.applied().contains("new"), DEADLINE);
        assertEquals(m1.applied(), m2.applied());
        nodes.forEach(RaftNode::close);
        nodes.clear();
        List<LogEntry> log1 = readAll("n1");
        List<LogEntry> log2 = readAll("n2");
        assertEquals(log1, log2, "one log on both survivors");
        return log1;
    }

    private long currentTerm(String id) {
        return MembershipRecovery.plan(db(id), SURVIVORS, OptionalLong.empty(), Optional.empty()).hardState().term();
    }

    @SafeVarargs
    private void write(String id, long term, List<LogEntry>... batches) {
        try (SqliteLog log = SqliteLog.open(db(id), "c", id)) {
            log.saveMembership(Membership.ofVoters(OLD_MEMBERS));
            log.saveHardState(new HardState(term, null));
            for (List<LogEntry> batch : batches) {
                log.append(batch);
            }
        }
    }

    private static List<LogEntry> entries(long from, long to, long term, String tag) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(new LogEntry(i, term, EntryType.COMMAND, (tag + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private RaftNode start(String id, RecordingStateMachine machine) {
        RaftNode node = RaftNode.builder().nodeId(id).members(OLD_MEMBERS).clusterId("c").config(CONFIG)
                .transport(network.transport(id)).log(SqliteLog.open(db(id), "c", id)).stateMachine(machine)
                .randomSeed(id.hashCode()).build();
        nodes.add(node);
        node.start();
        return node;
    }

    private List<LogEntry> readAll(String id) {
        return Await.value(id + " to release its log", () -> {
            try (SqliteLog log = SqliteLog.open(db(id), "c", id)) {
                return log.read(1, log.lastIndex() + 1, Long.MAX_VALUE);
            } catch (SqliteLogStorageException stillOpen) {
                return null;
            }
        }, DEADLINE);
    }

    private static List<Long> terms(List<LogEntry> log, long from, long to) {
        return log.subList((int) from - 1, (int) to).stream().map(LogEntry::term).toList();
    }

    private Path db(String id) {
        return dir.resolve(id + ".db");
    }
}
