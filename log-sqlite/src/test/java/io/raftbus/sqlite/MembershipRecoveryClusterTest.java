package io.raftbus.sqlite;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quorum-loss recovery end to end: real {@link RaftNode}s over {@link SqliteLog} files lose their majority for good;
 * {@link MembershipRecovery} rewrites the survivors' logs; restarted, the survivors elect a leader, keep every
 * command they held and commit new ones.
 */
class MembershipRecoveryClusterTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);
    /**
     * RaftNodeCluster.STEADY's election timeouts (2-4 s, scaled): each loop writes through SQLite, and 300-600 ms
     * let a slow fsync or a starved thread on a loaded machine move leadership under a command.
     */
    private static final RaftConfig CONFIG = RaftNodeCluster.STEADY;
    /** Snapshots every 5 entries, keeping 2 behind: the survivor's log is compacted when it is recovered. */
    private static final RaftConfig SNAPSHOTTING = CONFIG.toBuilder()
            .snapshotEveryEntries(5)
            .logTrailingEntries(2)
            .build();

    @TempDir
    Path dir;

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final Map<String, RaftNode> running = new HashMap<>();
    private final Map<String, RecordingStateMachine> machines = new HashMap<>();
    private boolean snapshots;

    @AfterEach
    void closeNodes() {
        running.values().forEach(RaftNode::close);
    }

    @Test
    void aLoneSurvivorRewrittenToItselfLeadsKeepsItsCommandsAndTakesANewMember() {
        Set<String> members = Set.of("n1", "n2", "n3");
        members.forEach(id -> start(id, members, false));
        List<String> committed = submitAll("before", 20);
        awaitApplied("n1", committed.size());

        lose("n2");
        lose("n3");
        RaftNode n1 = running.get("n1");
        Throwable alone = Await.failure(n1.submit(bytes("alone")), DEADLINE);
        lose("n1");

        MembershipRecoveryPlan plan = MembershipRecovery.recover(db("n1"), Membership.ofVoters(Set.of("n1")),
                OptionalLong.empty(), Optional.empty());
        assertEquals(Membership.ofVoters(members), plan.inForce());
        assertEquals(plan.lastIndex() + 1, plan.entryIndex());

        RaftNode restarted = start("n1", members, false); // started as before: the log says who the members are
        Await.until("n1 to lead alone", () -> restarted.status().isLeader());
        assertEquals(Set.of("n1"), restarted.status().voters());
        List<String> after = submitAll("after", 5);
        List<String> applied = awaitCommand("n1", after.get(after.size() - 1));
        assertEquals(committed, applied.subList(0, committed.size()), "every command n1 held is kept, in order");
        assertEquals(after, applied.subList(applied.size() - after.size(), applied.size()));
        if (applied.contains("alone")) {
            // n1 appended it as leader, and it was never committed then: its submitter was told the outcome is
            // unknown, never that it certainly was not applied
            assertTrue(alone instanceof CommandOutcomeUnknownException, alone.toString());
        }

        RaftNode n4 = start("n4", Set.of("n1"), true);
        Await.result(restarted.addMember("n4"), DEADLINE);
        Await.until("n4 to vote", () -> n4.status().isVoter());
        assertEquals(Set.of("n1", "n4"), restarted.status().voters());
        List<String> withN4 = submitAll("with-n4", 3);
        String last = withN4.get(withN4.size() - 1);
        assertEquals(awaitCommand("n1", last), awaitCommand("n4", last), "n4 holds and applied n1's whole log");
    }

    @Test
    void aLoneSurvivorWithSnapshotsIsRecoveredWithItsSnapshotDirectoryAndSendsItsSnapshotToANewMember() {
        snapshots = true;
        Set<String> members = Set.of("n1", "n2", "n3");
        members.forEach(id -> start(id, members, false));
        List<String> committed = submitAll("before", 20);
        awaitApplied("n1", committed.size());
        Await.until("n1 to compact its log", () -> running.get("n1").status().snapshotIndex() > 0);
        lose("n2");
        lose("n3");
        lose("n1");

        MembershipRecoveryPlan plan = MembershipRecovery.recover(db("n1"), Membership.ofVoters(Set.of("n1")),
                OptionalLong.empty(), Optional.of(snapshotDir("n1")));
        assertTrue(plan.snapshotIndex() > 0, "compacted: " + plan);
        assertTrue(plan.inForceSource().startsWith("snapshot at index"), plan.inForceSource());

        RaftNode restarted = start("n1", members, false);
        Await.until("n1 to lead alone", () -> restarted.status().isLeader());
        List<String> after = submitAll("after", 3);
        List<String> applied = awaitCommand("n1", after.get(after.size() - 1));
        assertEquals(committed, applied.subList(0, committed.size()), "every command n1 held is kept, in order");

        RaftNode n4 = start("n4", Set.of("n1"), true);
        Await.result(restarted.addMember("n4"), DEADLINE);
        List<String> withN4 = submitAll("with-n4", 2);
        String last = withN4.get(withN4.size() - 1);
        assertEquals(awaitCommand("n1", last), awaitCommand("n4", last), "n4 holds n1's state and log");
        assertTrue(n4.status().isVoter());
    }

    @Test
    void twoSurvivorsOfFiveRewrittenToThemselvesElectALeaderAndAgree() {
        Set<String> members = Set.of("n1", "n2", "n3", "n4", "n5");
        members.forEach(id -> start(id, members, false));
        List<String> committed = submitAll("before", 20);
        awaitApplied("n4", committed.size());
        awaitApplied("n5", committed.size());

        lose("n1");
        lose("n2");
        lose("n3");
        Await.failure(running.get("n4").submit(bytes("minority")), DEADLINE); // two of five cannot commit
        lose("n4");
        lose("n5");

        Membership survivors = Membership.ofVoters(Set.of("n4", "n5"));
        long term = 1 + Math.max(dryRun("n4", survivors).hardState().term(),
                dryRun("n5", survivors).hardState().term());
        MembershipRecovery.recover(db("n4"), survivors, OptionalLong.of(term), Optional.empty());
        MembershipRecovery.recover(db("n5"), survivors, OptionalLong.of(term), Optional.empty());

        RaftNode n4 = start("n4", members, false);
        RaftNode n5 = start("n5", members, false);
        Await.until("a leader among n4 and n5", () -> n4.status().isLeader() || n5.status().isLeader());
        List<String> after = submitAll("after", 5);
        String last = after.get(after.size() - 1);
        List<String> on4 = awaitCommand("n4", last);
        List<String> on5 = awaitCommand("n5", last);
        assertEquals(on4, on5, "both survivors applied the same commands in the same order");
        assertEquals(committed, on4.subList(0, committed.size()));
        assertEquals(after, on4.subList(on4.size() - after.size(), on4.size()));
        assertEquals(Set.of("n4", "n5"), n4.status().voters());
        assertEquals(Set.of("n4", "n5"), n5.status().voters());
    }

    private MembershipRecoveryPlan dryRun(String id, Membership members) {
        return MembershipRecovery.plan(db(id), members, OptionalLong.empty(), Optional.empty());
    }

    private RaftNode start(String id, Set<String> members, boolean join) {
        RecordingStateMachine machine = new RecordingStateMachine();
        RaftNode.Builder builder = RaftNode.builder().nodeId(id).members(members).clusterId("c").join(join)
                .config(snapshots ? SNAPSHOTTING : CONFIG).transport(network.transport(id))
                .log(SqliteLog.open(db(id), "c", id)).stateMachine(machine).randomSeed(id.hashCode());
        if (snapshots) {
            builder.snapshotDirectory(snapshotDir(id));
        }
        RaftNode node = builder.build();
        node.start();
        running.put(id, node);
        machines.put(id, machine);
        return node;
    }

    /** Stops {@code id} for good (its file stays, to be recovered or never used again). */
    private void lose(String id) {
        running.remove(id).close();
        Await.until(id + " to release its log", () -> {
            try {
                SqliteLog.open(db(id), "c", id).close();
                return true;
            } catch (SqliteLogStorageException stillOpen) {
                return false;
            }
        });
    }

    private Path db(String id) {
        return dir.resolve(id + ".db");
    }

    private Path snapshotDir(String id) {
        return dir.resolve(id + ".snapshots");
    }

    /** Submits {@code count} commands to the leader, one at a time, each until it commits. */
    private List<String> submitAll(String prefix, int count) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String command = prefix + "-" + i;
            Await.result(Submit.retrying(leader(), bytes(command)), DEADLINE); // again while certainly not applied
            sent.add(command);
        }
        return sent;
    }

    private RaftNode leader() {
        return Await.value("a leader", () -> running.values().stream().filter(n -> n.status().isLeader())
                .findFirst().orElse(null), DEADLINE);
    }

    private List<String> awaitApplied(String id, int count) {
        RecordingStateMachine machine = machines.get(id);
        Await.until(id + " to apply " + count + " commands", () -> machine.size() >= count, DEADLINE);
        return machine.applied();
    }

    /** What {@code id} applied, once it applied {@code command} (so everything before it too). */
    private List<String> awaitCommand(String id, String command) {
        RecordingStateMachine machine = machines.get(id);
        Await.until(id + " to apply " + command, () -> machine.applied().contains(command), DEADLINE);
        return machine.applied();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
