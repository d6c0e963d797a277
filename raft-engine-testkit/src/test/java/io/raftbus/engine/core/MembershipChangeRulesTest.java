package io.raftbus.engine.core;

import io.raftbus.engine.MembershipChangeRefusedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import io.raftbus.engine.spi.SnapshotInfo;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.MembershipChange.Kind.ADD_LEARNER;
import static io.raftbus.engine.core.MembershipChange.Kind.PROMOTE;
import static io.raftbus.engine.core.MembershipChange.Kind.REMOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules around configurations: the single-server change bug that the "commit an entry of your term first" rule
 * prevents, reverting a truncated CONFIG entry, and configurations in snapshots.
 */
class MembershipChangeRulesTest {

    private static final Membership ABC = MembershipChangeTest.ABC;
    private static final byte[] NONE = new byte[0];

    /** Pairs of nodes that cannot reach each other, and nodes that get no AppendEntries. */
    private static final class Cuts {
        final Set<String> pairs = new HashSet<>();
        final Set<String> noAppends = new HashSet<>();

        void cut(String x, String... others) {
            for (String y : others) {
                pairs.add(x + "-" + y);
                pairs.add(y + "-" + x);
            }
        }

        void install(SnapshotCluster cluster) {
            cluster.transform = m -> pairs.contains(m.from() + "-" + m.to())
                    || (m instanceof AppendEntriesRequest && noAppends.contains(m.to())) ? null : m;
        }
    }

    /**
     * Ongaro's single-server change bug (raft-dev, 2015), with a, b, c, d voters and e joining:
     * <ol>
     *   <li>a leads term 1, adds e as a learner, then appends e's promotion (C1: five voters), which reaches e only;</li>
     *   <li>a and e drop out; b is elected in term 2 by c and d (d gets no entries from b) and proposes removing d
     *       (C2: a, b, c);</li>
     *   <li>a comes back with d and e only and asks for votes in C1.</li>
     * </ol>
     * Without the rule, b commits its no-op and C2 with c alone (a majority of C2), a wins term 3 with d and e (a
     * majority of C1, neither has a term-2 entry) and commits its C1 entry at the index where b committed its
     * no-op: two committed logs. With the rule, b must first commit its no-op in C0, which needs d: then d holds a
     * term-2 entry and never votes for a.
     */
    private static SnapshotCluster replay(boolean rule) {
        RaftConfig config = MembershipChangeTest.config().toBuilder().maxLearnerLagEntries(1_000).build();
        SnapshotCluster cluster = new SnapshotCluster(config, "a", "b", "c", "d");
        Cuts cuts = new Cuts();
        cuts.install(cluster);
        Membership abcd = Membership.ofVoters(Set.of("a", "b", "c", "d"));
        assertEquals("a", cluster.awaitLeader(1_000));
        cluster.addNode("e", abcd, 300);
        cluster.change("a", ADD_LEARNER, "e");
        cluster.advance(60);
        cuts.cut("a", "b", "c", "d");
        cluster.change("a", PROMOTE, "e"); // C1 reaches e only
        cluster.drain();
        assertEquals(5, cluster.core("e").membership().voters().size());

        cluster.crash("a");
        cluster.isolated.add("e");
        cuts.noAppends.add("d");
        while (cluster.core("b").status().role() != Role.LEADER) {
            cluster.advance(10);
        }
        assertEquals(2, cluster.core("b").status().term());
        if (rule) {
            MembershipChangeRefusedException refused = assertThrows(MembershipChangeRefusedException.class,
                    () -> cluster.change("b", REMOVE, "d"));
            assertTrue(refused.getMessage().contains("has not yet committed an entry of its term"),
                    refused.getMessage());
            cuts.noAppends.clear(); // with d, b's no-op commits: d now holds a term-2 entry
            cluster.advance(30);
        } else {
            cluster.core("b").unsafeSkipTermCommitRule(true);
        }
        cluster.change("b", REMOVE, "d");
        cluster.drain();
        assertEquals(cluster.core("b").status().lastLogIndex(), cluster.core("b").status().commitIndex(),
                "b committed C2");

        cluster.restart("a", fixedTimeout(0));
        cluster.isolated.clear();
        cuts.pairs.clear();
        cuts.noAppends.clear();
        cuts.cut("a", "b", "c");
        cuts.cut("e", "b", "c");
        cuts.cut("d", "b", "c");
        cluster.advance(2_000);
        return cluster;
    }

    @Test
    void aLeaderCommitsAnEntryOfItsTermBeforeItChangesTheConfiguration() {
        SnapshotCluster cluster = replay(true);
        assertNotEquals(Role.LEADER, cluster.core("a").status().role(), "d refuses a: it holds b's term-2 no-op");
        assertNotEquals(Role.LEADER, cluster.core("e").status().role(), "and e");
        assertCommittedLogsAgree(cluster);
    }

    @Test
    void withoutTheRuleTheKnownScenarioLosesACommittedEntry() {
        SnapshotCluster cluster = replay(false);
        assertTrue(cluster.core("a").status().isLeader() || cluster.core("e").status().isLeader(),
                "a or e wins in C1 with d");
        assertFalse(committedLogsAgree(cluster), "a committed over what b committed: the rule is needed");
    }

    private static void assertCommittedLogsAgree(SnapshotCluster cluster) {
        assertTrue(committedLogsAgree(cluster), "two nodes committed different entries at one index");
    }

    private static boolean committedLogsAgree(SnapshotCluster cluster) {
        List<SnapshotCluster.Node> nodes = List.copyOf(cluster.nodes.values());
        for (SnapshotCluster.Node x : nodes) {
            for (SnapshotCluster.Node y : nodes) {
                long upTo = Math.min(x.core.status().commitIndex(), y.core.status().commitIndex());
                long from = Math.max(x.core.status().firstLogIndex(), y.core.status().firstLogIndex());
                for (long i = from; i <= upTo; i++) {
                    if (x.log.termAt(i) != y.log.termAt(i)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void truncatingAnUncommittedConfigEntryRevertsTheConfiguration() {
        InMemoryLog log = new InMemoryLog();
        RaftCore b = Fixtures.core("b", ABC, Fixtures.plain(), log, 100);
        Membership withD = new Membership(Set.of("a", "b", "c"), Set.of("d"));
        b.receive(append("a", "b", 1, 0, 0, 0, new LogEntry(1, 1, EntryType.NOOP, NONE),
                new LogEntry(2, 1, EntryType.CONFIG, MembershipCodec.encode(withD))));
        assertEquals(withD, b.membership(), "in force once appended, committed or not");
        assertEquals(Set.of("d"), b.status().learners());
        RaftCore restarted = new RaftCore("b", CLUSTER, ABC, Fixtures.plain(), log, 0, fixedTimeout(100), 0);
        assertEquals(withD, restarted.membership(), "found in the log at start");

        restarted.receive(append("c", "b", 2, 1, 1, 1, new LogEntry(2, 2, EntryType.NOOP, NONE)));
        assertEquals(2, log.termAt(2), "c of term 2 overwrote it");
        assertEquals(ABC, restarted.membership(), "the configuration before it is in force again");
    }

    @Test
    void aConfigEntryThatDoesNotDecodeIsDroppedAsMalformed() {
        RaftCore b = Fixtures.core("b", ABC, Fixtures.plain(), new InMemoryLog(), 100);
        b.receive(append("a", "b", 1, 0, 0, 0, new LogEntry(1, 1, EntryType.CONFIG, new byte[] {9, 9})));
        assertEquals(1L, b.dropCounts().get("malformed"));
        assertEquals(0, b.status().lastLogIndex());
        assertEquals(ABC, MembershipCodec.decode(MembershipCodec.encode(ABC)));
    }

    @Test
    void aSnapshotCarriesTheConfigurationInForceAtItsIndexNotTheLatest() {
        SnapshotCluster cluster = MembershipChangeTest.abcWithCommands(MembershipChangeTest.config(), 3);
        cluster.addNode("d", ABC, 0);
        cluster.isolated.add("b");
        cluster.isolated.add("c");
        cluster.change("a", ADD_LEARNER, "d"); // in force on a, not committed
        cluster.drain();
        cluster.core("a").requestSnapshot();
        cluster.drain();
        SnapshotInfo first = cluster.node("a").store.latest().orElseThrow();
        assertEquals(ABC, first.membership(), "the change is above the snapshot's index");

        cluster.isolated.clear();
        cluster.advance(100);
        cluster.core("a").requestSnapshot();
        cluster.drain();
        SnapshotInfo second = cluster.node("a").store.latest().orElseThrow();
        assertEquals(new Membership(Set.of("a", "b", "c"), Set.of("d")), second.membership());
    }

    @Test
    void aSnapshotInstalledFromTheLeaderSetsTheConfiguration() {
        RaftConfig config = MembershipChangeTest.config().toBuilder().snapshotEveryEntries(10).logTrailingEntries(2)
                .build();
        SnapshotCluster cluster = MembershipChangeTest.abcWithCommands(config, 1);
        cluster.addNode("d", ABC, 0);
        cluster.isolated.add("d");
        cluster.change("a", ADD_LEARNER, "d");
        for (int i = 0; i < 30; i++) {
            cluster.submit("a", "cmd" + i, 20);
            cluster.drain();
        }
        cluster.advance(100);
        assertTrue(cluster.core("a").status().firstLogIndex() > 5, "the CONFIG entry is compacted away");

        cluster.isolated.clear();
        cluster.advance(500);
        assertEquals(1, cluster.node("d").restores, "d caught up through a snapshot");
        assertEquals(new Membership(Set.of("a", "b", "c"), Set.of("d")), cluster.core("d").membership());
        assertEquals(cluster.node("a").state, cluster.node("d").state);
    }
}
