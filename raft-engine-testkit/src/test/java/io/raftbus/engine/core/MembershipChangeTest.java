package io.raftbus.engine.core;

import io.raftbus.engine.InvalidMembershipChangeException;
import io.raftbus.engine.MembershipChangeRefusedException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.raftbus.engine.core.MembershipChange.Kind.ADD_LEARNER;
import static io.raftbus.engine.core.MembershipChange.Kind.ADD_MEMBER;
import static io.raftbus.engine.core.MembershipChange.Kind.PROMOTE;
import static io.raftbus.engine.core.MembershipChange.Kind.REMOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-server membership changes on a hand-driven network of cores: learners catch up without voting and are
 * promoted, the cluster grows and shrinks while commands commit, a removed follower or leader stops taking part, one
 * change at a time, and a node outside its configuration never campaigns.
 */
class MembershipChangeTest {

    static final Membership ABC = Membership.ofVoters(Set.of("a", "b", "c"));

    static RaftConfig config() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(false)
                .checkQuorum(false).snapshotEveryEntries(0).snapshotEveryBytes(0).maxLearnerLagEntries(5).build();
    }

    /** a leads term 1 of a, b, c, with {@code commands} commands committed. */
    static SnapshotCluster abcWithCommands(RaftConfig config, int commands) {
        SnapshotCluster cluster = new SnapshotCluster(config, "a", "b", "c");
        assertEquals("a", cluster.awaitLeader(1_000));
        for (int i = 0; i < commands; i++) {
            cluster.submit("a", "cmd" + i, 20);
            cluster.drain();
        }
        cluster.advance(100);
        return cluster;
    }

    static Membership members(Set<String> voters, Set<String> learners) {
        return new Membership(voters, learners);
    }

    private static void assertMembershipEverywhere(SnapshotCluster cluster, Membership expected, String... ids) {
        for (String id : ids) {
            assertEquals(expected, cluster.core(id).membership(), id + "'s configuration");
        }
    }

    @Test
    void aLearnerCatchesUpWithoutVotingThenIsPromoted() {
        SnapshotCluster cluster = abcWithCommands(config(), 20);
        cluster.addNode("d", ABC, 0);
        long add = cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(200);

        assertTrue(cluster.node("a").completed.contains(add), "the change completes once committed");
        Membership withLearner = members(Set.of("a", "b", "c"), Set.of("d"));
        assertMembershipEverywhere(cluster, withLearner, "a", "b", "c", "d");
        RaftStatus d = cluster.core("d").status();
        assertEquals(cluster.node("a").state, cluster.node("d").state, "the learner has the whole log applied");
        assertFalse(d.isVoter());
        assertEquals(Set.of("d"), d.learners());
        assertEquals(cluster.core("a").status().term(), d.term(), "the learner never campaigned");

        long promote = cluster.change("a", PROMOTE, "d");
        cluster.advance(200);
        assertTrue(cluster.node("a").completed.contains(promote));
        assertMembershipEverywhere(cluster, Membership.ofVoters(Set.of("a", "b", "c", "d")), "a", "b", "c", "d");
        assertTrue(cluster.core("d").status().isVoter());

        cluster.restart("a", Fixtures.fixedTimeout(200));
        assertEquals(Membership.ofVoters(Set.of("a", "b", "c", "d")), cluster.core("a").membership(),
                "a restart finds the configuration in the log");
    }

    @Test
    void addMemberGrowsThreeToFourToFiveWhileCommandsCommit() {
        SnapshotCluster cluster = abcWithCommands(config(), 5);
        cluster.addNode("d", ABC, 0);
        long addD = cluster.change("a", ADD_MEMBER, "d");
        for (int i = 0; i < 10; i++) {
            cluster.submit("a", "during-d" + i, 20);
            cluster.advance(30);
        }
        cluster.advance(300);
        assertTrue(cluster.node("a").completed.contains(addD), "done once the promotion commits");
        Membership abcd = Membership.ofVoters(Set.of("a", "b", "c", "d"));
        assertMembershipEverywhere(cluster, abcd, "a", "b", "c", "d");

        cluster.addNode("e", abcd, 0);
        long addE = cluster.change("a", ADD_MEMBER, "e");
        for (int i = 0; i < 10; i++) {
            cluster.submit("a", "during-e" + i, 20);
            cluster.advance(30);
        }
        cluster.advance(300);
        assertTrue(cluster.node("a").completed.contains(addE));
        assertMembershipEverywhere(cluster, Membership.ofVoters(Set.of("a", "b", "c", "d", "e")),
                "a", "b", "c", "d", "e");
        for (String id : List.of("b", "c", "d", "e")) {
            assertEquals(cluster.node("a").state, cluster.node(id).state, id + " applied what a applied");
        }
        assertEquals(25, cluster.node("a").state.size(), "every command committed");
        assertTrue(cluster.node("a").failures.isEmpty(), "nothing failed: " + cluster.node("a").failures);

        cluster.isolated.add("b");
        cluster.isolated.add("c");
        cluster.submit("a", "with-a-d-e", 20);
        cluster.advance(100);
        assertTrue(applied(cluster, "e", "with-a-d-e"),
                "a, d and e are a majority of five");
    }

    @Test
    void aRemovedFollowerStopsCampaigningAndSaysSo() {
        SnapshotCluster cluster = abcWithCommands(config(), 3);
        long remove = cluster.change("a", REMOVE, "c");
        cluster.advance(100);
        assertTrue(cluster.node("a").completed.contains(remove));
        Membership ab = Membership.ofVoters(Set.of("a", "b"));
        assertMembershipEverywhere(cluster, ab, "a", "b", "c");
        assertTrue(cluster.core("c").status().isNonMember(), "c learned of its removal before it committed");
        assertEquals(Set.of("b"), cluster.core("a").status().matchIndex().keySet(), "a no longer replicates to c");

        RaftCore a = cluster.core("a");
        long dropped = a.dropCounts().getOrDefault("non-member", 0L);
        a.receive(new VoteRequest(SnapshotCluster.CLUSTER, "c", "a", 99, 100, 99));
        assertEquals(dropped + 1, a.dropCounts().get("non-member"), "a removed node's campaign is dropped, counted");
        assertNotEquals(99, a.status().term());

        long term = cluster.core("c").status().term();
        List<RaftMessage> campaigns = campaignsOf(cluster, "c");
        cluster.isolated.add("c");
        cluster.advance(3_000);
        assertTrue(campaigns.isEmpty(), "c never campaigns: " + campaigns);
        assertEquals(term, cluster.core("c").status().term());
        assertEquals(Role.FOLLOWER, cluster.core("c").status().role());

        cluster.submit("a", "after", 20);
        cluster.advance(100);
        assertTrue(applied(cluster, "b", "after"), "a and b commit alone");
    }

    @Test
    void aRemovedLeaderStepsDownAfterTheChangeCommitsAndAnotherLeads() {
        SnapshotCluster cluster = abcWithCommands(config(), 3);
        long remove = cluster.change("a", REMOVE, "a");
        cluster.advance(1_000);
        assertTrue(cluster.node("a").completed.contains(remove), "the change completes on the removed leader");
        String leader = cluster.leader();
        assertNotNull(leader);
        assertNotEquals("a", leader);
        assertEquals(Role.FOLLOWER, cluster.core("a").status().role());
        assertTrue(cluster.core("a").status().isNonMember());
        assertMembershipEverywhere(cluster, Membership.ofVoters(Set.of("b", "c")), "a", "b", "c");

        List<RaftMessage> campaigns = campaignsOf(cluster, "a");
        cluster.submit(leader, "after", 20);
        cluster.advance(2_000);
        String other = leader.equals("b") ? "c" : "b";
        assertTrue(applied(cluster, other, "after"));
        assertTrue(campaigns.isEmpty(), "the removed leader never campaigns: " + campaigns);
        assertEquals(leader, cluster.leader(), "and the new leader leads on undisturbed");
    }

    @Test
    void oneChangeAtATimeAndClearErrors() {
        SnapshotCluster cluster = abcWithCommands(config(), 1);
        cluster.addNode("d", ABC, 0);
        cluster.addNode("e", ABC, 40);
        cluster.isolated.add("b");
        cluster.isolated.add("c"); // the first change cannot commit
        cluster.change("a", ADD_LEARNER, "d");
        cluster.drain();
        MembershipChangeRefusedException inProgress = assertThrows(MembershipChangeRefusedException.class,
                () -> cluster.change("a", ADD_LEARNER, "e"));
        assertTrue(inProgress.getMessage().contains("in progress"), inProgress.getMessage());

        cluster.isolated.clear();
        cluster.advance(100);
        cluster.change("a", ADD_LEARNER, "e"); // the first committed: now it may
        cluster.advance(100);

        assertThrows(InvalidMembershipChangeException.class, () -> cluster.change("a", PROMOTE, "zz"));
        assertThrows(InvalidMembershipChangeException.class, () -> cluster.change("a", ADD_LEARNER, "b"));
        assertThrows(InvalidMembershipChangeException.class, () -> cluster.change("a", REMOVE, "zz"));
        NotLeaderException notLeader = assertThrows(NotLeaderException.class,
                () -> cluster.change("b", REMOVE, "d"));
        assertEquals("a", notLeader.leaderId());

        SnapshotCluster solo = new SnapshotCluster(config(), "a");
        solo.awaitLeader(1_000);
        solo.advance(10);
        assertThrows(InvalidMembershipChangeException.class, () -> solo.change("a", REMOVE, "a"),
                "the last voter cannot be removed");
    }

    @Test
    void aLearnerIsPromotedOnlyOnceCaughtUp() {
        SnapshotCluster cluster = abcWithCommands(config(), 1);
        cluster.addNode("d", ABC, 0);
        cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(100);
        cluster.isolated.add("d");
        for (int i = 0; i < 10; i++) {
            cluster.submit("a", "while-d-is-away" + i, 20);
            cluster.drain();
        }
        MembershipChangeRefusedException behind = assertThrows(MembershipChangeRefusedException.class,
                () -> cluster.change("a", PROMOTE, "d"));
        assertTrue(behind.getMessage().contains("maxLearnerLagEntries"), behind.getMessage());
        cluster.isolated.clear();
        cluster.advance(100);
        cluster.change("a", PROMOTE, "d");
    }

    @Test
    void aLearnerThatNeverAnsweredIsNotPromotedHoweverShortTheLog() {
        SnapshotCluster cluster = abcWithCommands(config(), 1); // a log shorter than maxLearnerLagEntries
        cluster.addNode("d", ABC, 0);
        cluster.isolated.add("d"); // as if d were not started yet
        cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(100);
        MembershipChangeRefusedException silent = assertThrows(MembershipChangeRefusedException.class,
                () -> cluster.change("a", PROMOTE, "d"));
        assertTrue(silent.getMessage().contains("acknowledged no entry"), silent.getMessage());

        cluster.isolated.clear();
        cluster.advance(100);
        cluster.change("a", PROMOTE, "d");
        cluster.advance(100);
        assertTrue(cluster.core("d").status().isVoter());
    }

    @Test
    void addMemberWaitsForTheNewNodeToAnswerBeforeItVotes() {
        SnapshotCluster cluster = abcWithCommands(config(), 1);
        cluster.addNode("d", ABC, 0);
        cluster.isolated.add("d");
        cluster.change("a", ADD_MEMBER, "d");
        cluster.advance(500);
        assertEquals(members(Set.of("a", "b", "c"), Set.of("d")), cluster.core("a").membership(),
                "a node that never answered stays a learner: promoting it would lower fault tolerance");

        cluster.isolated.clear();
        cluster.advance(200);
        assertEquals(Membership.ofVoters(Set.of("a", "b", "c", "d")), cluster.core("a").membership());
    }

    @Test
    void learnersDoNotCountForCommitment() {
        SnapshotCluster cluster = abcWithCommands(config(), 1);
        cluster.addNode("d", ABC, 0);
        cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(100);
        long commit = cluster.core("a").status().commitIndex();

        cluster.isolated.add("b");
        cluster.isolated.add("c");
        cluster.submit("a", "only-a-and-d", 20);
        cluster.advance(100); // shorter than b's and c's election timeouts
        assertEquals(cluster.core("a").status().lastLogIndex(), cluster.core("d").status().lastLogIndex(),
                "the learner holds the entry");
        assertEquals(commit, cluster.core("a").status().commitIndex(), "but a and a learner are no majority");

        cluster.isolated.clear();
        cluster.advance(60);
        assertEquals(cluster.core("a").status().lastLogIndex(), cluster.core("a").status().commitIndex());
    }

    @Test
    void checkQuorumCountsVotersOnly() {
        SnapshotCluster cluster = abcWithCommands(config().toBuilder().checkQuorum(true).build(), 1);
        cluster.addNode("d", ABC, 0);
        cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(100);
        cluster.isolated.add("b");
        cluster.isolated.add("c");
        cluster.advance(400); // more than two minimum election timeouts, hearing from the learner d throughout
        assertNotEquals(Role.LEADER, cluster.core("a").status().role(), "a learner is no majority: a steps down");
    }

    @Test
    void aNodeThatJoinsNeverCampaignsUntilItIsAVoter() {
        SnapshotCluster cluster = abcWithCommands(config(), 1);
        List<RaftMessage> campaigns = campaignsOf(cluster, "d");
        cluster.addNode("d", ABC, 0);
        cluster.advance(3_000);
        assertTrue(campaigns.isEmpty(), "a joining node waits: " + campaigns);
        assertEquals(0, cluster.core("d").status().term());
        assertTrue(cluster.core("d").status().isNonMember());
        assertEquals(Long.MAX_VALUE, cluster.core("d").nextDeadline(), "it has no election timeout");

        cluster.change("a", ADD_LEARNER, "d");
        cluster.advance(100);
        cluster.isolated.add("a"); // the leader is gone: the voters elect another; the learner stays out
        cluster.advance(2_000);
        assertTrue(campaigns.isEmpty(), "a learner never campaigns: " + campaigns);
        assertNotEquals("a", cluster.leader());

        String leader = cluster.leader();
        cluster.change(leader, PROMOTE, "d");
        cluster.advance(100);
        assertTrue(cluster.core("d").status().isVoter());
        cluster.isolated.add(leader); // of b, c, d only one is left with d: no majority, but d may now campaign
        cluster.advance(1_000);
        assertFalse(campaigns.isEmpty(), "as a voter d campaigns when it no longer hears a leader");
    }

    /** Whether {@code id} applied the command submitted as {@code name}. */
    static boolean applied(SnapshotCluster cluster, String id, String name) {
        return cluster.node(id).state.stream().anyMatch(c -> c.startsWith(name + "-"));
    }

    /** Collects the pre-vote and vote requests {@code id} sends from now on. */
    static List<RaftMessage> campaignsOf(SnapshotCluster cluster, String id) {
        List<RaftMessage> campaigns = new ArrayList<>();
        cluster.onSend = m -> {
            if (m.from().equals(id) && (m instanceof VoteRequest || m instanceof PreVoteRequest)) {
                campaigns.add(m);
            }
        };
        return campaigns;
    }
}
